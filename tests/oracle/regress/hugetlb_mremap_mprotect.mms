# hugetlb: mremap moves the leaves (and the reservations), PROT_NONE and
# back, the write after mprotect faults once (hugetlb_wp reuse).
mmap(NULL, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0)
touch 0x7ffff7a00000 write 0xf5
mremap(0x7ffff7a00000, 4194304, 4194304, MREMAP_MAYMOVE|MREMAP_FIXED, 0x7ffff7000000)
touch 0x7ffff7000000 read
touch 0x7ffff7200000 write 0xf8
mremap(0x7ffff7000000, 2097152, 4194304, MREMAP_MAYMOVE)
mremap(0x7ffff7000000, 4194304, 2097152, 0)
touch 0x7ffff7000000 read
mprotect(0x7ffff7000000, 2097152, PROT_NONE)
touch 0x7ffff7000000 read
mprotect(0x7ffff7000000, 2097152, PROT_READ)
touch 0x7ffff7000000 read
touch 0x7ffff7000000 write 0xf9
