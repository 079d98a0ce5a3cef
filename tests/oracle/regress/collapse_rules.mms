# MADV_COLLAPSE: a VMA too small for a PMD, or an unfaulted anonymous VMA,
# is EINVAL; a range with no whole PMD is 0 or, when the rounded ends cross,
# EINVAL; PMDs without page tables fail, faulted ones succeed.
mmap(0x7fffd8a00000, 4096, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fffd8a00000
madvise(0x7fffd8a00000, 4096, MADV_COLLAPSE) = -1 EINVAL (Invalid argument)
mmap(NULL, 2097152, PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7c00000
touch 0x7ffff7d6b000 write
madvise(0x7ffff7d65000, 4096, MADV_COLLAPSE) = -1 EINVAL (Invalid argument)
madvise(0x7ffff7c00000, 2097152, MADV_COLLAPSE) = 0
mmap(0x7fffd7f76000, 4194304, PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fffd7f76000
touch 0x7fffd7f7783c write
madvise(0x7fffd8132000, 1044480, MADV_COLLAPSE) = 0
madvise(0x7fffd7f76000, 4194304, MADV_COLLAPSE) = -1 EINVAL (Invalid argument)
