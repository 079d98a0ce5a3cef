# __mm_populate() restarts a fault that dropped its lock as a new fault,
# never as a FAULT_FLAG_TRIED retry. With read_ahead_kb 8192 (this
# machine's disk), MCL_FUTURE's population of page 514 of an uncached
# file reads it (retry), then finds it with its PG_readahead mark and
# starts async read-ahead (retry again), then maps it: the live kernel
# counts one minor fault (the model used to count the third try major).
# Found by oracle --shmem-enabled always --seed 102 (sequence 135).
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
# oracle-file: /tmp/mmsim-oracle-17205-oCUKR6/file2 65536
# oracle-file: /tmp/mmsim-oracle-17205-oCUKR6/file3 4202496
# oracle-file: /dev/shm/mmsim-oracle-17205-YJJG8R/shm0 8192 fill=0-2:0xc08dd2694f46287e
openat(AT_FDCWD, "/tmp/mmsim-oracle-17205-oCUKR6/file2", O_RDWR) = 3
openat(AT_FDCWD, "/tmp/mmsim-oracle-17205-oCUKR6/file2", O_RDONLY) = 4
openat(AT_FDCWD, "/dev/shm/mmsim-oracle-17205-YJJG8R/shm0", O_RDONLY) = 5
openat(AT_FDCWD, "/tmp/mmsim-oracle-17205-oCUKR6/file3", O_RDONLY) = 6
1     mmap(0x2aaaab14e000, 4096, PROT_EXEC, MAP_SHARED, 6, 0) = 0x2aaaab14e000
1     mlockall(MCL_CURRENT|MCL_FUTURE) = 0
1     mmap(0x2aaaaaabb000, 4096, PROT_READ, MAP_PRIVATE, 6, 0x202000) = 0x2aaaaaabb000
show maps
