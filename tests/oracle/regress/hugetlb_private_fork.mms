# hugetlb (issue 4): private MAP_HUGETLB faults, reads back, fork and COW,
# MADV_DONTNEED giving the reservation back, mprotect, the EINVAL of a
# split inside a huge page; smaps Private/Shared_Hugetlb, pagemap and the
# pool (HugePages_*) compared after every step (the oracle sets 8 pages).
mmap(NULL, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0)
touch 0x7ffff7a00000 read
touch 0x7ffff7a00000 write 0xf5
touch 0x7ffff7c00000 write 0xf8f8
touch 0x7ffff7c00008 read
fork() = 1
touch 0x7ffff7a00000 write 0xfc
touch 0x7ffff7a00000 read
touch 0x7ffff7c00000 read
madvise(0x7ffff7a00000, 2097152, MADV_DONTNEED)
touch 0x7ffff7a00000 read
mprotect(0x7ffff7a00000, 4194304, PROT_READ)
mprotect(0x7ffff7a00000, 4194304, PROT_READ|PROT_WRITE)
touch 0x7ffff7c00000 write 0xf9
munmap(0x7ffff7a00000, 4096)
munmap(0x7ffff7a00000, 2097152)
touch 0x7ffff7c00000 read
