# MADV_REMOVE on shared hugetlb memory punches a hole in its hugetlbfs
# file: hugetlbfs_fallocate(PUNCH_HOLE) succeeds (no whole huge page in
# the range here, nothing to remove).
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(0x7ffff7fcd000, 4096, PROT_NONE, MAP_SHARED|MAP_ANONYMOUS|MAP_NORESERVE|MAP_HUGETLB|21<<MAP_HUGE_SHIFT, -1, 0) = 0x7ffff8000000
1     madvise(0x7ffff80a1000, 4096, MADV_REMOVE) = 0
# model: = -1 EOPNOTSUPP (Operation not supported)
