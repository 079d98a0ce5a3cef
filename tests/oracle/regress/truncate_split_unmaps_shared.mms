# The same with a shared mapping populated by MADV_POPULATE_WRITE: the
# large folio straddling the new EOF is unmapped as it is split.
# oracle-config: uid=0 layout=legacy RLIMIT_DATA=inf:inf RLIMIT_STACK=inf:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
# oracle-file: /tmp/mmsim-regress-truncate_split_unmaps_shared/file2 65536
# oracle-file: /tmp/mmsim-regress-truncate_split_unmaps_shared/file3 4202496 fill=882-1001:0x96c8419dc63a0ada
# oracle-file: /dev/shm/mmsim-regress-truncate_split_unmaps_shared/shm2 266240
openat(AT_FDCWD, "/dev/shm/mmsim-regress-truncate_split_unmaps_shared/shm2", O_RDWR) = 3
openat(AT_FDCWD, "/dev/shm/mmsim-regress-truncate_split_unmaps_shared/shm2", O_RDONLY) = 4
openat(AT_FDCWD, "/tmp/mmsim-regress-truncate_split_unmaps_shared/file2", O_RDONLY) = 5
openat(AT_FDCWD, "/tmp/mmsim-regress-truncate_split_unmaps_shared/file3", O_RDWR) = 6
openat(AT_FDCWD, "/tmp/mmsim-regress-truncate_split_unmaps_shared/file3", O_RDWR) = 7
1     mmap(0x2aaaaab06000, 2101248, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x2aaaaab06000
1     read(7, ""..., 15) = 15
1     mmap(NULL, 626688, PROT_WRITE, MAP_SHARED, 6, 0) = 0x2aaaaad07000
1     madvise(0x2aaaaad07000, 20480, MADV_POPULATE_WRITE) = 0
1     ftruncate(7, 28672) = 0
