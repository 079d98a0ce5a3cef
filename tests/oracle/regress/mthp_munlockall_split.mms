# An mTHP populated under mlockall(MCL_FUTURE), munlockall, then MADV_COLD
# of one page: the folio is split and its zero-filled pages become the
# zero page (Rss drops by 64 kB: none was written). Found by oracle
# --mthp seed 4.
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=268435456:268435456 RLIMIT_STACK=inf:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf mthp=1
mlockall(MCL_FUTURE) = 0
mmap(0x155536200000, 4096, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x155536200000
mmap(0x155536200000, 2097152, PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x15555534e000
munlockall() = 0
madvise(0x155555397000, 4096, MADV_COLD) = 0
