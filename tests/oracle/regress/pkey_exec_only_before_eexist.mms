# Protection keys (a CPU with PKU): do_mmap() of 6.18 takes the
# execute-only key of a PROT_EXEC-only mapping before it chooses the
# address, so a MAP_FIXED_NOREPLACE that fails with EEXIST still
# allocates key 1 and the next pkey_alloc() gets 2 (the model gave 1).
# Found by mmsim oracle --mthp --seed 4 (sequence 23) on 2026-12-02.
# Without PKU both sides give ENOSPC.
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(NULL, 2031616, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7e07000
mmap(0x7ffff7e16000, 4096, PROT_EXEC, MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = -1 EEXIST (File exists)
pkey_alloc(0, PKEY_DISABLE_ACCESS|PKEY_DISABLE_WRITE)
