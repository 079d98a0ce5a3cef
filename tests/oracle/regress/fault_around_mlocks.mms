# Fault-around into a VM_LOCKED mapping mlocks the small folios it maps
# (__folio_add_file_rmap -> mlock_vma_folio); an unevictable folio keeps
# PG_referenced through later folio_mark_accessed() calls, so the second
# child sees the page as Referenced.
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
# oracle-file: /tmp/mmsim-regress-fault_around_mlocks/file2 65536 fill=0-16:0x844251c805b58544
openat(AT_FDCWD, "/tmp/mmsim-regress-fault_around_mlocks/file2", O_RDWR) = 3
mmap(NULL, 1912832, PROT_NONE, MAP_PRIVATE, 3, 0) = 0x7ffff7e24000
ftruncate(3, 0) = 0
munmap(0x7ffff7f0d000, 212992) = 0
mmap(0x7ffff7e28000, 20480, PROT_WRITE, MAP_PRIVATE|MAP_LOCKED, 3, 0) = 0x7ffff7f3c000
ftruncate(3, 69101) = 0
touch 0x7ffff7f3d000 read
# read 0
1     fork() = 2
2     mmap(NULL, 4096, PROT_READ, MAP_SHARED|MAP_POPULATE, 3, 0) = 0x7ffff7f3b000
2     exit
1     fork() = 2
