# shmem THP, huge=within_size: fallocate() and write() take the largest order
# whose aligned block ends within i_size or the write's end (order 4 at 0, order
# 2 at 16 over a hole, order 0 at 1 MiB); faults only PMD size (was: sizes
# from the write length, mapping_size_orders).
# oracle-config: uid=0 layout=topdown shmem_enabled=within_size
memfd_create("x", 0) = 3
fallocate(3, 0, 0, 65536) = 0
fallocate(3, 0, 73728, 12288) = 0
pwrite64(3, "abcdefgh", 8, 1048576) = 8
mmap(NULL, 4194304, PROT_READ, MAP_SHARED, 3, 0) = 0x7ffff7a00000
touch 0x7ffff7a00000 read
touch 0x7ffff7a01000 read
touch 0x7ffff7a0f000 read
touch 0x7ffff7a10000 read
touch 0x7ffff7a12000 read
touch 0x7ffff7a13000 read
touch 0x7ffff7b00000 read
