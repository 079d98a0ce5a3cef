# Protection keys on a CPU with PKU (the model follows the live CPU's
# ospke flag): PROT_EXEC alone takes the execute-only key (reads and writes
# fault with SEGV_PKUERR, mlock and MAP_POPULATE cannot populate it),
# pkey_alloc hands out the lowest free key after it, pkey_mprotect's
# write-disabled key stops a write fault and the populate of a locked VMA
# made writable, pkey 0 can be freed and allocated again, and leaving
# PROT_EXEC-only gives key 0 back (smaps ProtectionKey). Found when the
# reference machine gained PKU (every smaps comparison differed).
mmap(0x10000000, 16384, PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x10000000
touch 0x10000000 read
touch 0x10000000 exec
touch 0x10001000 write
mlock(0x10000000, 8192) = -1 ENOMEM (Cannot allocate memory)
mmap(0x10010000, 8192, PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS|MAP_POPULATE, -1, 0) = 0x10010000
madvise(0x10010000, 4096, MADV_POPULATE_READ) = -1 EINVAL (Invalid argument)
pkey_alloc(0, 0x2) = 2
pkey_alloc(0, 0) = 3
pkey_mprotect(0x10000000, 4096, PROT_READ|PROT_WRITE, 2) = 0
touch 0x10000000 read
touch 0x10000000 write
pkey_mprotect(0x10001000, 4096, PROT_READ|PROT_WRITE, 3) = 0
touch 0x10001000 write
mprotect(0x10002000, 4096, PROT_READ) = 0
pkey_free(2) = 0
pkey_free(1) = -1 EINVAL (Invalid argument)
pkey_free(0) = 0
pkey_alloc(0, 0) = 0
mprotect(0x10010000, 4096, PROT_EXEC) = 0
mprotect(0x10010000, 4096, PROT_READ) = 0
touch 0x10010000 read
show smaps
