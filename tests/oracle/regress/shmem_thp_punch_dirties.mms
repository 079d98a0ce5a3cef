# shmem THP: MADV_REMOVE of one page inside a PMD-mapped shmem folio dirties
# the folio before splitting it (shmem_undo_range marks the partly covered
# folio dirty): a page of it mapped again is dirty (was: clean, Pss_Dirty 0).
# oracle-config: uid=0 layout=topdown shmem_enabled=always RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(0x7fffd8c00000, 2097152, PROT_READ, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7fffd8c00000
touch 0x7fffd8cab1e8 read
# read 0
madvise(0x7fffd8db3000, 4096, MADV_REMOVE) = 0
mlock(0x7fffd8d00000, 4096) = 0
show maps
