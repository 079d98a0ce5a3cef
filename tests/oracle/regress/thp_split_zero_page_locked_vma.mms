# A THP split by MADV_PAGEOUT of a page in the unlocked part of its VMA:
# remap_page() turns zero-filled pages into the zero page only where the
# VMA that maps each page is not VM_LOCKED. Here the mlocked first part
# keeps its untouched second page (live Rss 8 kB); the model used to test
# the unlocked VMA and drop it. Found by oracle/hugetlb (seed 3, sequence 201).
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(NULL, 2097152, PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7c00000
madvise(0x7ffff7c00000, 2097152, MADV_HUGEPAGE) = 0
1     touch 0x7ffff7c00000 write 0xf5f8f8f900f9f5fc
1     mlock(0x7ffff7c00000, 8192) = 0
1     madvise(0x7ffff7c08000, 4096, MADV_PAGEOUT) = 0
