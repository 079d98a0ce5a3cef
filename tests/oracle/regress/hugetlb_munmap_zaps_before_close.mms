# hugetlb (found by oracle/hugetlb, seed 3): munmap zaps every VMA of the
# range in one mmu_gather (vms_clear_ptes()) before it closes any of them
# (remove_vma() -> hugetlb_vm_op_close()). The owner's page, which the
# forked child still maps, is zapped while the 4 MiB mapping below it still
# holds its reservations: with surplus pages in the pool at that moment
# __unmap_hugepage_range() leaves the reservation consumed (no "restore
# reserve"), and HugePages_Rsvd keeps the 2 MiB mapping's page only. A
# model closing each VMA right after its zap gave the surplus pages back
# first and restored the owner's reservation: one less (live 4, model 3
# with 3 phantom reservations on the reference machine; on a clean pool
# the mappings fit without surplus pages, and hugetlb_munmap_full_pool
# and hugetlb_unmap_batch_surplus cover the order).
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(NULL, 8388608, PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|21<<MAP_HUGE_SHIFT, 6, 0) = 0x7ffff7600000
touch 0x7ffff77bc000 write 0xf8fcf9f9f8fcf5f8
mmap(0x42d000, 4096, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|21<<MAP_HUGE_SHIFT, -1, 0) = 0x600000
1     fork() = 2
2     exit
1     mmap(NULL, 4194304, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0) = 0x7ffff7200000
1     fork() = 2
1     munmap(0x7fffd869a000, 529887232) = 0
