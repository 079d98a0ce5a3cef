# shmem THP: zapping a dirty PMD leaf of a shmem folio (here: the destination of
# an mremap covering it) dirties the folio: its pages mapped again read dirty.
# oracle-config: uid=0 layout=topdown shmem_enabled=always RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(0x7fffd8a00000, 6291456, PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7fffd8a00000
touch 0x7fffd8c00000 read
# read 0
touch 0x7fffd8c00000 write 0xf9f9fcf90000f8
mremap(0x7fffd8a25000, 4096, 4206592, MREMAP_MAYMOVE|MREMAP_FIXED, 0x7fffd8a46000) = 0x7fffd8a46000
touch 0x7fffd8dc8960 read
# read 0
show maps
