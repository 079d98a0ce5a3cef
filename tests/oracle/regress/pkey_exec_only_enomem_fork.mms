# Protection keys (a CPU with PKU): a PROT_EXEC-only mmap too long for
# the address space fails with ENOMEM in get_unmapped_area(), after
# do_mmap() took the execute-only key; a fork's child inherits the
# allocation map, so its pkey_alloc() gets 2. Found by mmsim oracle
# --seed 1 (sequence 149) in CI's oracle/ci on 2026-12-02.
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(0x7ffff7fa9000, 140737488351232, PROT_EXEC, MAP_ANONYMOUS, -1, 0) = -1 ENOMEM (Cannot allocate memory)
1     fork() = 2
2     pkey_alloc(0, PKEY_DISABLE_ACCESS)
