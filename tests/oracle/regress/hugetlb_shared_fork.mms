# hugetlb: a shared MAP_HUGETLB mapping is not copied at fork (the child
# faults the page-cache pages back in), partial munmap keeps the pages,
# MADV_REMOVE punches them out of the file, mincore shows mapped leaves.
mmap(NULL, 4194304, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0)
touch 0x7ffff7a00000 write 0xf5
fork() = 1
2 touch 0x7ffff7a00000 read
2 touch 0x7ffff7c00000 write 0xf8
1 touch 0x7ffff7c00000 read
1 munmap(0x7ffff7a00000, 2097152)
2 touch 0x7ffff7a00000 read
2 mincore(0x7ffff7bf0000, 131072, [...])
1 touch 0x7ffff7a00000 read
2 madvise(0x7ffff7a00000, 2097152, MADV_DONTNEED)
2 touch 0x7ffff7a00000 read
2 madvise(0x7ffff7c00000, 2097152, MADV_REMOVE)
1 touch 0x7ffff7c00000 read
2 exit
