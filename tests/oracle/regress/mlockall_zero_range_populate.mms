# Fault counts (open, file pages): with mlockall(MCL_FUTURE), fallocate
# FALLOC_FL_ZERO_RANGE of a small file past its end, then a MAP_PRIVATE
# read-only mapping of 7 pages (populated by the mlock): the live kernel
# counts 1 minor fault for the mmap, the model counted 2. Found by mmsim
# oracle --seed 23 (sequence 162) on 2026-12-02.
# The cause: ext4_zero_range() preallocates a range with a partial block
# whole first, growing the file (ext4_alloc_file_blocks() with the new
# size zeroes the old EOF block, page 3, in the page cache), and only then
# drops the page cache of the range's whole blocks, page 3 included. The
# model grew the file after the truncation, so page 3 stayed cached (the
# zeroed EOF page): the mlock population's first fault read and mapped
# pages 0-2 only, and a second fault at page 3 mapped 3-6. Now page 3
# goes too, and one fault's readahead and fault-around map all 7 pages.
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
