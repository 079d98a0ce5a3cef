# A THP fault, the huge zero page on a read, fork (both PMDs write-protected,
# the folio shared), then a write in the parent: its PMD is split and only
# the written page is copied (Pss 1026 kB); partial munmap and mprotect
# split the child's leaf at the new VMA boundaries.
mmap(NULL, 8388608, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7600000
madvise(0x7ffff7600000, 8388608, MADV_HUGEPAGE) = 0
touch 0x7ffff7800008 read
touch 0x7ffff7600000 write 0xf9
1     fork() = 2
1     touch 0x7ffff7600008 write 0xf8
2     munmap(0x7ffff7601000, 4096) = 0
2     mprotect(0x7ffff7800000, 8192, PROT_READ) = 0
2     touch 0x7ffff7a00000 write 0xfc
1     touch 0x7ffff7a00000 read
2     exit
1     touch 0x7ffff7600010 write 0xf5
