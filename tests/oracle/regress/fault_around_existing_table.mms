# The forked child reads past EOF of a private file mapping in a PMD the
# executor's own mappings already have a page table for (copied at fork):
# fault-around maps the cached first page before the SIGBUS. Where no
# table exists yet, filemap_map_pages() would map nothing.
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
# oracle-file: /tmp/mmsim-regress-fault_around_existing_table/file0 4096 fill=0-1:0x748b1b4a147e872
# oracle-file: /tmp/mmsim-regress-fault_around_existing_table/file2 65536
# oracle-file: /tmp/mmsim-regress-fault_around_existing_table/file3 4202496
# oracle-file: /dev/shm/mmsim-regress-fault_around_existing_table/shm0 8192
openat(AT_FDCWD, "/dev/shm/mmsim-regress-fault_around_existing_table/shm0", O_RDWR) = 3
openat(AT_FDCWD, "/tmp/mmsim-regress-fault_around_existing_table/file2", O_RDWR) = 4
openat(AT_FDCWD, "/tmp/mmsim-regress-fault_around_existing_table/file2", O_RDONLY) = 5
openat(AT_FDCWD, "/tmp/mmsim-regress-fault_around_existing_table/file2", O_RDONLY) = 6
openat(AT_FDCWD, "/tmp/mmsim-regress-fault_around_existing_table/file3", O_RDONLY) = 7
openat(AT_FDCWD, "/tmp/mmsim-regress-fault_around_existing_table/file0", O_RDWR) = 8
mmap(0x7ffff7f9a000, 110592, PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7f9a000
mlock(0x7ffff7fa8000, 4096) = 0
mmap(0x7ffff7fd0000, 12288, PROT_WRITE, MAP_PRIVATE, 8, 0) = 0x7ffff7fd0000
1     fork() = 2
2     touch 0x7ffff7fd1000 exec
# --- SIGBUS {si_signo=SIGBUS, si_code=BUS_ADRERR, si_addr=0x7ffff7fd1000} ---
