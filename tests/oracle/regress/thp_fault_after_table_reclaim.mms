# After MADV_DONTNEED freed the empty table (PT_RECLAIM), a write in a
# MADV_HUGEPAGE range faults a THP.
mmap(NULL, 2097152, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7c00000
mmap(NULL, 4194304, PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7800000
touch 0x7ffff7800000 write 0xf8f5f5f8f500f9fc
madvise(0x7ffff7600000, 4198400, MADV_DONTNEED_LOCKED) = -1 ENOMEM (Cannot allocate memory)
madvise(0x7ffff7600000, 4194304, MADV_HUGEPAGE) = -1 ENOMEM (Cannot allocate memory)
touch 0x7ffff7802000 write 0xf8f8fc00fc00fcf5
