# shmem THP: MADV_COLD over a PTE-mapped part of a shmem folio (after an
# mremap split the PMD) splits the folio, unmapping it (was: kept mapped).
# oracle-config: uid=0 layout=topdown shmem_enabled=always RLIMIT_DATA=inf:inf RLIMIT_STACK=inf:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(NULL, 2097152, PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x155555200000
touch 0x155555200000 write 0xf5f5f5f9f50000f8
mremap(0x155555213000, 4096, 8192, MREMAP_MAYMOVE) = 0x15555554c000
touch 0x1555552e8000 read
# read 0
1     madvise(0x155554ceb000, 6291456, MADV_COLD) = -1 ENOMEM (Cannot allocate memory)
show maps
