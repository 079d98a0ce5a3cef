# The child's mlockall copies the locked pages it shares with its parent;
# the originals stay mlocked by the parent's locked VMA (mlock_count), so
# a later touch leaves PG_referenced alone.
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(0x43e000, 32768, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_LOCKED, -1, 0) = 0x43e000
1     fork() = 2
2     mlockall(MCL_CURRENT) = 0
2     exit
1     madvise(0x442000, 4096, MADV_POPULATE_READ) = 0
1     fork() = 2
