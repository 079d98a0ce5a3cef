# MADV_COLLAPSE over an mTHP (64kB always): the folio's PTEs go in one
# batch, no deferred split.
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=inf:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf mthp=1
mmap(0x155535600000, 4194304, PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x155535600000
touch 0x155535848b28 write 0xf9f8fc00f9f9
madvise(0x155535800000, 2097152, MADV_COLLAPSE) = 0
