# The split of a PMD-mapped THP (partial MADV_FREE or MADV_COLD, MADV_PAGEOUT
# without swap) counts no deferred split: unmap_folio() turns the PMD into
# migration entries in one piece. Found by oracle --mthp (seed 4).
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf mthp=5
mmap(0x7fffd8600000, 6291456, PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fffd8600000
madvise(0x7fffd8600000, 6291456, MADV_HUGEPAGE) = 0
touch 0x7fffd86314b0 write 0xf9
madvise(0x7fffd8715000, 4096, MADV_FREE) = 0
touch 0x7fffd8800000 write 0xf9
madvise(0x7fffd8800000, 2097152, MADV_PAGEOUT) = 0
touch 0x7fffd8a00000 write 0xf9
madvise(0x7fffd8a00000, 1048576, MADV_COLD) = 0
