# shmem THP, huge=always: a 64 KiB fallocate() into an empty memfd makes a
# PMD-sized folio (the largest free aligned block first), as faults do.
# oracle-config: uid=0 layout=topdown shmem_enabled=always
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
