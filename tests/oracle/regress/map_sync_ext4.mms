# ext4 accepts MAP_SYNC in MAP_SHARED_VALIDATE but its ->mmap refuses it for
# a non-DAX file, after the old mapping was already taken down: a gap stays.
# oracle-file: /tmp/mmsim-regress/file0 4096
openat(AT_FDCWD, "/tmp/mmsim-regress/file0", O_RDWR) = 3
mmap(0x7ffff7fd2000, 4096, PROT_NONE, MAP_SHARED|MAP_SYNC, 3, 0) = -1 EOPNOTSUPP (Operation not supported)
mmap(0x7ffff7f90000, 4096, PROT_NONE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7ffff7f90000
mmap(0x7ffff7f8e000, 20480, PROT_NONE, MAP_SHARED_VALIDATE|MAP_FIXED|MAP_SYNC, 3, 0) = -1 EOPNOTSUPP (Operation not supported)
mmap(NULL, 258048, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7fb8000
mmap(0x7ffff7fba000, 4096, PROT_NONE, MAP_PRIVATE|MAP_FIXED|MAP_SYNC, 3, 0) = -1 EOPNOTSUPP (Operation not supported)
mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_SYNC, -1, 0) = 0x7ffff7fb7000
