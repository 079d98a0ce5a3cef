# pagemap of a PMD-mapped THP takes PM_MMAP_EXCLUSIVE from the head page's
# mapcount for all 512 pages: after fork, the process that wrote (split
# its PMD, copied one page) sees the other's leaf shared or exclusive by
# whether page 0 is still mapped twice.
mmap(0x7fffd8200000, 2998272, PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fffd8200000
touch 0x7fffd8200000 write 0xf9f5f9f5fcf8f8fc
madvise(0x7fffd8200000, 2097152, MADV_COLLAPSE) = 0
1     fork() = 2
2     touch 0x7fffd8252740 write 0xf8f9f9fcf900fc
1     touch 0x7fffd8200000 write 0xf9f8f8fcf9f5f9
