# shmem THP: mremap(MAYMOVE) of a System V shm attach to 2 MiB places it on a
# 2 MiB boundary (shmem_get_unmapped_area: the segment is on shm_mnt, whose
# huge= follows shmem_enabled).
# oracle-config: uid=0 layout=topdown shmem_enabled=always RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
1     shmget(0xffffffff, 62362, IPC_CREAT) = 0
1     shmat(0, NULL, 0) = 0x7ffff7fe7000
1     mremap(0x7ffff7fe7000, 4096, 2097152, MREMAP_MAYMOVE) = 0x7ffff7c00000
# model: = 0x7ffff7de7000
show maps
