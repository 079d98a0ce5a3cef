# THP (open, for the anonymous THP work): a 6 MiB anonymous VMA (a brk
# page moved and grown by mremap) with guard regions installed in its
# first (partial) 2 MiB block and a read fault in the block at
# 0x7ffff7400000, then MADV_COLLAPSE of the two whole blocks from
# 0x7ffff7200000: EINVAL on both sides, but afterwards the model's VMA holds
# a THP (Rss and AnonHugePages 2048 kB), the live one nothing (Rss 0). Found by mmsim oracle --seed 1 --sequences 2000 (sequence 1414)
# on 2026-12-02; main at d7e1690 (before the exec work) shows it too.
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(NULL, 8388608, PROT_NONE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7ffff77f7000
brk(0x43d000) = 0x43d000
mremap(0x419000, 4096, 6299648, MREMAP_MAYMOVE) = 0x7ffff71f5000
madvise(0x7ffff71f6000, 61440, MADV_GUARD_INSTALL) = 0
touch 0x7ffff759e518 read
# read 0
madvise(0x7ffff7200000, 4194304, MADV_COLLAPSE) = -1 EINVAL (Invalid argument)
show maps
