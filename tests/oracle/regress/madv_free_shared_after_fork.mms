# MADV_FREE on a page the forked child also maps: the parent's PTE becomes
# clean and old, the folio's dirty bit stays (madvise_free_pte_range).
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
1     mmap(NULL, 126976, PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_LOCKED, -1, 0) = 0x7ffff7fd8000
1     munlockall() = 0
1     fork() = 2
1     madvise(0x7ffff7fde000, 4096, MADV_FREE) = 0
