# A second GUP touch of a referenced folio activates it and clears
# PG_referenced (folio_mark_accessed); the forked child's PTEs are old, so
# its Referenced shows the difference.
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(NULL, 1937408, PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_POPULATE, -1, 0) = 0x7ffff7e1e000
madvise(0x7ffff7e20000, 4096, MADV_POPULATE_WRITE) = 0
1     fork() = 2
