# A non-canonical address is a general protection fault: SI_KERNEL, no address.
touch 0x800000000000 read
touch 0xffff800000000000 read
touch 0x7ffffffff000 write
