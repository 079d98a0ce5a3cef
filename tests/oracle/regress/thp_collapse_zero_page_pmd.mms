# MADV_COLLAPSE makes a THP of a PMD that maps only the zero page (reads),
# as of one with written pages; the copy keeps the data.
mmap(NULL, 8388608, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7600000
touch 0x7ffff7600000 read
touch 0x7ffff7800000 write 0xf9f8
touch 0x7ffff7a00000 read
touch 0x7ffff7a01000 write 0xf5f5
madvise(0x7ffff7600000, 6291456, MADV_COLLAPSE) = 0
touch 0x7ffff7800000 read
touch 0x7ffff7a01000 read
