# hugetlb: the owner of a private mapping unmaps a page its forked child
# still maps. __unmap_hugepage_range() gives the index's reservation back
# (the folio gets "restore reserve"), the VMA's close then releases it
# once more: HugePages_Rsvd goes below 0 and reads 18446744073709551615
# until the child's exit frees the page. The model keeps the same count.
mmap(NULL, 2097152, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0)
touch 0x7ffff7c00000 write 0xf5
fork() = 1
1 munmap(0x7ffff7c00000, 2097152)
2 touch 0x7ffff7c00000 read
1 mmap(NULL, 2097152, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|MAP_NORESERVE, -1, 0)
1 touch 0x7ffff7c00000 write 0xf8
2 exit
1 touch 0x7ffff7c00000 read
