# CONFIG_PT_RECLAIM: MADV_DONTNEED(_LOCKED) frees a PTE table whose whole
# 2 MiB it zapped empty, so MADV_COLLAPSE there finds no table (EINVAL).
1     mmap(NULL, 4194304, PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7a00000
1     touch 0x7ffff7bbd000 write 0xf500f9fcf9f9f8f8
1     madvise(0x7ffff75a8000, 8749056, MADV_DONTNEED_LOCKED) = -1 ENOMEM (Cannot allocate memory)
1     madvise(0x7ffff7a00000, 2097152, MADV_COLLAPSE) = -1 EINVAL (Invalid argument)
