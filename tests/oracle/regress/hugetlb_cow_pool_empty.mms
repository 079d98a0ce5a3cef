# hugetlb: COW after fork with an empty pool. The child's COW fails with
# SIGBUS; the owner's takes the page from the child (unmap_ref_private),
# whose next fault there raises SIGBUS.
mmap(NULL, 16777216, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0)
touch 0x7ffff6e00000 write 0xf5
touch 0x7ffff7000000 write 0xf5
touch 0x7ffff7200000 write 0xf5
touch 0x7ffff7400000 write 0xf5
touch 0x7ffff7600000 write 0xf5
touch 0x7ffff7800000 write 0xf5
touch 0x7ffff7a00000 write 0xf5
touch 0x7ffff7c00000 write 0xf5
fork() = 1
2 touch 0x7ffff7000000 write 0xf8
1 touch 0x7ffff6e00000 write 0xf9
2 touch 0x7ffff6e00000 read
2 touch 0x7ffff7200000 read
1 touch 0x7ffff7200000 write 0xfc
