# Pages mapped into a locked VMA wait in the CPU's mlock batch before
# they become unevictable, so GUP's folio_mark_accessed() activates them
# and clears PG_referenced on the live side; the model locks them at once.
# The oracle leaves Referenced out after an mlock-family call
# (docs/divergences.md); the rest must still agree.
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
# oracle-file: /tmp/mmsim-regress-mlock_batch_referenced/file0 4096 fill=0-1:0x3eef6bfffceff4c6
# oracle-file: /dev/shm/mmsim-regress-mlock_batch_referenced/shm0 8192
# oracle-file: /dev/shm/mmsim-regress-mlock_batch_referenced/shm2 266240 fill=0-65:0xdd2e28fbd0cb3ef8
openat(AT_FDCWD, "/tmp/mmsim-regress-mlock_batch_referenced/file0", O_RDONLY) = 3
openat(AT_FDCWD, "/tmp/mmsim-regress-mlock_batch_referenced/file0", O_RDWR) = 4
openat(AT_FDCWD, "/tmp/mmsim-regress-mlock_batch_referenced/file0", O_RDWR) = 5
openat(AT_FDCWD, "/dev/shm/mmsim-regress-mlock_batch_referenced/shm2", O_RDONLY) = 6
openat(AT_FDCWD, "/dev/shm/mmsim-regress-mlock_batch_referenced/shm0", O_RDWR) = 7
openat(AT_FDCWD, "/dev/shm/mmsim-regress-mlock_batch_referenced/shm2", O_RDONLY) = 8
mmap(0x7ffff7fd7000, 4096, PROT_NONE, MAP_PRIVATE, 3, 0) = 0x7ffff7fd7000
mmap(0x7ffff7fd8000, 4096, PROT_WRITE, MAP_PRIVATE, 8, 0) = 0x7ffff7fd8000
1     fork() = 2
2     exit
1     mlock(0x7ffff7fd8000, 4096) = 0
1     mprotect(0x7ffff7fd7000, 8192, PROT_READ) = 0
1     mremap(0x7ffff7fd8000, 4096, 12288, 0, 0x7fffd8600000) = 0x7ffff7fd8000
1     fork() = 2
