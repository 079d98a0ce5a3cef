# MADV_COLLAPSE stops at a 2 MiB block holding guard markers: the swap-in
# before its collapse faults on the marker (SCAN_FAIL), which is not one
# of the results the loop goes on after. Here the first block has guard
# PTEs and the second only a zero-page PTE: EINVAL on both sides and the
# live kernel collapses nothing (the model used to collapse the second).
# Found by mmsim oracle --seed 1 --sequences 2000 (sequence 1414).
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(NULL, 8388608, PROT_NONE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7ffff77f7000
brk(0x43d000) = 0x43d000
mremap(0x419000, 4096, 6299648, MREMAP_MAYMOVE) = 0x7ffff71f5000
madvise(0x7ffff71f6000, 61440, MADV_GUARD_INSTALL) = 0
touch 0x7ffff759e518 read
# read 0
madvise(0x7ffff7200000, 4194304, MADV_COLLAPSE) = -1 EINVAL (Invalid argument)
show maps
