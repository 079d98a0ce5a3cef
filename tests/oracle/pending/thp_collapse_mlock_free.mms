# THP (open, for the anonymous THP work): MADV_COLLAPSE of a 2 MiB block with
# one page written, mlock2 of a page inside (the VMA split splits the PMD),
# then MADV_FREE of one 4 KiB page of the last piece: the live kernel keeps
# that page mapped (Rss 4 kB in the last VMA), the model maps none there
# (Rss 0). Found by mmsim oracle --seed 73 (sequence 62) on 2026-12-02.
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(0x7fffd8600000, 2097152, PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fffd8600000
touch 0x7fffd8600000 write 0xf9f9fc00f9f500f9
madvise(0x7fffd8600000, 2097152, MADV_COLLAPSE) = 0
mlock2(0x7fffd86e6000, 4096, 0) = 0
madvise(0x7fffd8733000, 4096, MADV_FREE) = 0
