# Whole PMD leaves: mprotect (change_huge_pmd) back and forth, mlock and
# munlock, mremap to a 2 MiB-aligned place (move_huge_pmd), MADV_FREE and
# MADV_COLD keep the leaf; MADV_PAGEOUT splits it (no swap cluster:
# THP_SWPOUT_FALLBACK), the zero-filled pages to the zero page, the written
# one kept; mincore, MADV_DONTNEED of a whole leaf, a write to the huge zero
# page and mremap shrinking across a leaf (split).
mmap(NULL, 8388608, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7600000
madvise(0x7ffff7600000, 8388608, MADV_HUGEPAGE) = 0
touch 0x7ffff7600000 write 0xf5
touch 0x7ffff7800000 write 0xf8
touch 0x7ffff7a00000 read
mprotect(0x7ffff7600000, 2097152, PROT_READ) = 0
touch 0x7ffff7600008 read
mprotect(0x7ffff7600000, 2097152, PROT_READ|PROT_WRITE) = 0
touch 0x7ffff7600010 write 0xf9
mlock(0x7ffff7800000, 2097152) = 0
munlock(0x7ffff7800000, 2097152) = 0
mremap(0x7ffff7800000, 2097152, 2097152, MREMAP_MAYMOVE|MREMAP_FIXED, 0x7fffd8000000) = 0x7fffd8000000
touch 0x7fffd8000000 read
madvise(0x7fffd8000000, 2097152, MADV_FREE) = 0
madvise(0x7ffff7600000, 2097152, MADV_COLD) = 0
madvise(0x7ffff7600000, 2097152, MADV_PAGEOUT) = 0
mincore(0x7ffff7600000, 16384, [...]) = 0
madvise(0x7ffff7600000, 2097152, MADV_DONTNEED) = 0
touch 0x7ffff7a00008 write 0xfc
mremap(0x7ffff7a00000, 2097152, 1048576, 0) = 0x7ffff7a00000
