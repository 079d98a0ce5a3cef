# Fault counts (open, file pages): with mlockall(MCL_FUTURE), fallocate
# FALLOC_FL_ZERO_RANGE of a small file past its end, then a MAP_PRIVATE
# read-only mapping of 7 pages (populated by the mlock): the live kernel
# counts 1 minor fault for the mmap, the model 2. Found by mmsim oracle
# --seed 23 (sequence 162) on 2026-12-02; the model before the workingset
# and writeback work (1cafe7b) shows it too.
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
# oracle-file: /tmp/mmsim-oracle-d1/file1 12388 fill=3-4:0x2268c187a99084ae
# oracle-file: /tmp/mmsim-oracle-d1/file3 4202496 fill=0-1026:0x7f93e5dd07177b2e
openat(AT_FDCWD, "/tmp/mmsim-oracle-d1/file3", O_RDWR) = 3
openat(AT_FDCWD, "/tmp/mmsim-oracle-d1/file1", O_RDONLY) = 4
openat(AT_FDCWD, "/tmp/mmsim-oracle-d1/file1", O_RDWR) = 5
mlockall(MCL_FUTURE) = 0
fallocate(5, FALLOC_FL_ZERO_RANGE, 0, 858449) = 0
mmap(0x425000, 28672, PROT_READ, MAP_PRIVATE, 5, 0) = 0x425000
show maps
