# MADV_REMOVE on shared anonymous memory punches a hole in its shmem file
# (vfs_fallocate PUNCH_HOLE|KEEP_SIZE): the pages leave the page cache and
# read back as zeroes.
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff3000
touch 0x7ffff7ff3000 write 0xf5f5
touch 0x7ffff7ff4000 write 0xf8f8
touch 0x7ffff7ff5000 write 0xfcfc
madvise(0x7ffff7ff4000, 8192, MADV_REMOVE) = 0
touch 0x7ffff7ff4000 read
touch 0x7ffff7ff6000 read
