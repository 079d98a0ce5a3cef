# Protection keys (a CPU with PKU): a PROT_EXEC-only mmap with no
# MAP_TYPE fails with EINVAL after do_mmap() took the execute-only key:
# the next pkey_alloc() gets 2. Found by mmsim oracle --hugetlb --seed 3
# (sequence 223) on 2026-12-02.
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(0x7ffff7fa9000, 4096, PROT_EXEC, MAP_FIXED|MAP_ANONYMOUS, -1, 0) = -1 EINVAL (Invalid argument)
pkey_alloc(0, 0)
