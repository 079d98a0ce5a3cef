# THP (open, for the THP work): an mremap'd brk page grown to 6 MiB
# (MREMAP_MAYMOVE of the heap's first page), guard pages installed, one
# read, MADV_COLLAPSE of 4 MiB fails with EINVAL on both sides, yet the
# model's smaps shows Rss 2048 kB for the heap VMA where the live kernel
# shows 0. Found by mmsim oracle --seed 1 (sequence 1414, 2000 sequences)
# on 2026-12-02; the model before this session's reclaim work (1cafe7b)
# shows it too.
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(NULL, 8388608, PROT_NONE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7ffff77f7000
brk(0x43d000) = 0x43d000
mremap(0x419000, 4096, 6299648, MREMAP_MAYMOVE) = 0x7ffff71f5000
madvise(0x7ffff71f6000, 61440, MADV_GUARD_INSTALL) = 0
touch 0x7ffff759e518 read
# read 0
madvise(0x7ffff7200000, 4194304, MADV_COLLAPSE) = -1 EINVAL (Invalid argument)
show maps
