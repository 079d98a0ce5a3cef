# MADV_COLLAPSE walks the PMDs in order and stops at the first one with no
# page table: the later PMD with a written page is not collapsed (EINVAL).
mmap(NULL, 8388608, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7600000
touch 0x7ffff7899b80 write 0xfcf9f9f5f9f800f9
madvise(0x7ffff7600000, 6291456, MADV_COLLAPSE) = -1 EINVAL (Invalid argument)
