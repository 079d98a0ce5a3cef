# MADV_GUARD_INSTALL marks the whole VMA "gu" (sticky: merges keep it),
# gives anonymous memory an anon_vma first, and the guarded page faults.
mmap(0x15555550a000, 4096, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_32BIT, -1, 0) = 0x40000000
madvise(0x40000000, 4096, MADV_GUARD_INSTALL) = 0
mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff3000
madvise(0x7ffff7ff4000, 4096, MADV_GUARD_INSTALL) = 0
touch 0x7ffff7ff4000 read
touch 0x7ffff7ff5000 write
mmap(0x7ffff7ff2000, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7ffff7ff2000
madvise(0x7ffff7ff2000, 20480, MADV_POPULATE_READ) = -1 EFAULT (Bad address)
madvise(0x7ffff7ff4000, 4096, MADV_GUARD_REMOVE) = 0
touch 0x7ffff7ff4000 read
mprotect(0x7ffff7ff5000, 4096, PROT_READ) = 0
