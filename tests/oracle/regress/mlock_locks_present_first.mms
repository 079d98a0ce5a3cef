# mlock locks the pages already present before it populates the rest, so
# the population's touch of an already referenced page finds it
# unevictable and leaves PG_referenced set (folio_mark_accessed).
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(NULL, 241664, PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7fbc000
madvise(0x7ffff7ff3000, 4096, MADV_POPULATE_WRITE) = 0
mlock(0x7ffff7fc1000, 221184) = 0
1     fork() = 2
