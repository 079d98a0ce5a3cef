# mlockall(MCL_CURRENT) in the parent after fork copies every locked page
# (the PTEs are write-protected); the old pages, now only the child's, are
# munlocked, so the child's next touch activates one and clears
# PG_referenced (folio_mark_accessed on an evictable folio).
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mlockall(MCL_FUTURE) = 0
mmap(0x7ffff7fde000, 6291456, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff79f7000
1     fork() = 2
1     mlockall(MCL_CURRENT) = 0
2     madvise(0x7ffff7cc9000, 4096, MADV_POPULATE_READ) = 0
