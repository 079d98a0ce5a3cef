# shmem THP: a folio PMD-mapped by parent and child is maybe mapped shared:
# MADV_COLD on part of it does nothing (was: the model zapped the child's PMD).
# oracle-config: uid=0 layout=topdown shmem_enabled=always RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(0x7fffd7e00000, 2097152, PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7fffd7e00000
1     fork() = 2
2     exit
1     touch 0x7fffd7e00000 read
# read 0
1     fork() = 2
2     touch 0x7fffd7f6bcf0 write 0xf800f8fcfcf8f5
2     madvise(0x7fffd7eca000, 4096, MADV_COLD) = 0
show maps
