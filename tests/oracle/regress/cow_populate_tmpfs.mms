# A private writable mapping of a tmpfs file populated with write faults:
# every page is copied (do_cow_fault); the model once lost track of a COW
# copy when a shmem folio's allocation moved the folio records under it.
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
# oracle-file: /tmp/mmsim-regress-cow-populate-tmpfs/file1 12388 fill=0-4:0x56b4261944174890
# oracle-file: /dev/shm/mmsim-regress-cow-populate-tmpfs/shm0 8192 fill=0-2:0x98b93f19ac6dc5a1
# oracle-file: /dev/shm/mmsim-regress-cow-populate-tmpfs/shm2 266240
openat(AT_FDCWD, "/tmp/mmsim-regress-cow-populate-tmpfs/file1", O_RDWR) = 3
openat(AT_FDCWD, "/dev/shm/mmsim-regress-cow-populate-tmpfs/shm0", O_RDWR) = 4
openat(AT_FDCWD, "/dev/shm/mmsim-regress-cow-populate-tmpfs/shm2", O_RDWR) = 5
openat(AT_FDCWD, "/dev/shm/mmsim-regress-cow-populate-tmpfs/shm0", O_RDWR) = 6
openat(AT_FDCWD, "/tmp/mmsim-regress-cow-populate-tmpfs/file1", O_RDONLY) = 7
openat(AT_FDCWD, "/tmp/mmsim-regress-cow-populate-tmpfs/file1", O_RDWR) = 8
pwrite64(8, "\365\365\374\370\374\365\370\371", 8, 3998682) = 8
1     pwrite64(5, "\365\371\370\365\365\374\0\371\365\365\371\374\370\371\0\365\0\371\0\374\371\371\370\0\374\374\370\374\374\371\365\370\365\371\365\365\374\365\0\370\371\371\374\374\0\371\374\365\374\374\371\365\370\0\374\374\371\374\371\374\374\365\370\0\371\374\370\371\374\370\370\374\370\0\371\365\370\0\374\371\374\370\371\370\0\365\370\365\365\371\370\371\371\374\370\0\374\374\374\371\0\370\370\374\365\365\374\0\374\0\371\371\0\365\365\374\365\365\371\0\370\370\0\365\370\0\365\374\0\374\365\365\374\370\365\0\365\374\370\370\370\0\370\370\365\370\374\370\374\365\374\365\371\374\0\374\370\370\365\370\371\0\374\374\365\365\374\370\374\365\370\371\374\365\374\374\374\0\374\374\374\365\370\374\365\371\370\374\371\374\374\0\374\374\374\374\365\370\371\365\0\374\0\370\371\0\0\374\370\0\374\371\370\0\0\0\374\374\365\371\365\0\0\370\0\370\370\371\370\370\370\371\0\0\374\374\370\371\374\374\370\374\374\370\365\371\370\365\371\370\370\0\374\374\370\371", 256, 4611686018427387904) = 256
1     mmap(0x7fffdfeb4000, 2097152, PROT_WRITE, MAP_PRIVATE|MAP_POPULATE, 5, 0) = 0x7fffdfeb4000
