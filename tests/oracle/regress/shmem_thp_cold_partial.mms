# shmem THP: MADV_COLD on one page of a PMD-mapped shmem folio mapped by this mm
# only splits the folio (split_folio), which unmaps it: the next read refaults
# 16 pages by fault-around, not the PMD (was: the model kept the PMD).
# oracle-config: uid=0 layout=topdown shmem_enabled=always RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
1     mmap(0x7fffd8000000, 2097152, PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7fffd8000000
1     touch 0x7fffd8190350 write 0xf5f5f9f8fcf8
1     madvise(0x7fffd803f000, 4096, MADV_COLD) = 0
1     touch 0x7fffd8015e40 read
# read 0
show maps
