# MADV_COLD on part of a PTE-mapped THP (its PMD split by a MAP_FIXED
# mapping) splits the folio: the zero-filled pages become the zero page.
mmap(0x7fffd8800000, 6291456, PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fffd8800000
madvise(0x7fffd8800000, 6291456, MADV_HUGEPAGE) = 0
touch 0x7fffd8bb4780 write 0xf9fcf9f9f8f5f5f8
1     fork() = 2
2     exit
1     mmap(0x7fffd8a00000, 4096, PROT_NONE, MAP_SHARED|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x7fffd8a00000
1     madvise(0x7fffd8aa3000, 4096, MADV_COLD) = 0
