# shmem THP: MADV_PAGEOUT of a whole PMD-mapped shmem folio: reclaim unmaps
# it (TTU_SPLIT_HUGE_PMD) and keeps it (no swap): Rss 0 (was: still mapped).
# oracle-config: uid=0 layout=topdown shmem_enabled=always RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(NULL, 6291456, PROT_READ, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7ffff7800000
touch 0x7ffff7a00000 read
# read 0
madvise(0x7ffff7600000, 10301440, MADV_PAGEOUT) = -1 ENOMEM (Cannot allocate memory)
show maps
