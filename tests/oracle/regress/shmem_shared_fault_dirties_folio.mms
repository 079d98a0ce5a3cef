# A write fault on a shared shmem page the forked child did not inherit a
# PTE for (no anon_vma: copy_page_range skips the VMA): do_shared_fault
# dirties the folio (fault_dirty_shared_page), so the parent's clean PTE
# counts it as Shared_Dirty too.
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(NULL, 262144, PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_POPULATE, -1, 0) = 0x7ffff7fb7000
1     fork() = 2
2     touch 0x7ffff7fd2000 write 0xf9f8fcf5fc00f500
