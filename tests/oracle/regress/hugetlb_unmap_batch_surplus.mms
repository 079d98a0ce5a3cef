# hugetlb: the pages one zap unmaps are freed at the end of its
# mmu_gather (tlb_finish_mmu()), not one by one. A 4 MiB private mapping:
# its second page is shared with the forked child, its first the owner's
# alone (written after the fork). 1-page mappings fill the pool (2
# surplus pages), one is unmapped (1 surplus left). The munmap of the
# 4 MiB mapping sees that surplus page for both leaves, so neither gets
# its reservation back; freeing the first page before the second leaf's
# zap would have used up the surplus count and restored the second
# page's reservation (HugePages_Rsvd one less until the child exits).
mmap(NULL, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0)
touch 0x7ffff7c00000 write 0xf5
fork() = 1
1 touch 0x7ffff7a00000 write 0xf8
1 mmap(NULL, 2097152, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0)
1 mmap(NULL, 2097152, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0)
1 mmap(NULL, 2097152, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0)
1 mmap(NULL, 2097152, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0)
1 mmap(NULL, 2097152, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0)
1 mmap(NULL, 2097152, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0)
1 mmap(NULL, 2097152, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0)
1 mmap(NULL, 2097152, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0)
1 mmap(NULL, 2097152, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0)
1 mmap(NULL, 2097152, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0)
1 munmap(0x7ffff7800000, 2097152)
1 munmap(0x7ffff7a00000, 4194304)
2 touch 0x7ffff7c00000 read
2 exit
1 munmap(0x7ffff6600000, 20971520)
