# THP: mremap(MREMAP_DONTUNMAP) of a whole aligned 2 MiB block moves its
# page table (move_normal_pmd()), so the old PMD is empty and a write at
# the old address takes a THP (Rss 2048 kB); the model moved the PTEs one
# by one, kept the old table and faulted one 4 KiB page. Found by mmsim
# oracle --seed 402 (sequence 719) on 2026-12-02.
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(NULL, 2097152, PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7c00000
touch 0x7ffff7c26000 write 0xf50000f8f8fcf9f8
1     madvise(0x7ffff7c00000, 2097152, MADV_HUGEPAGE) = 0
1     mremap(0x7ffff7c00000, 2097152, 2097152, MREMAP_MAYMOVE|MREMAP_DONTUNMAP) = 0x7ffff7a00000
1     touch 0x7ffff7c00000 write 0xfcfcfcf800f8f8f5
