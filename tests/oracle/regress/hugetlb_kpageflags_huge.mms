# A hugetlb folio reads KPF_HUGE in /proc/kpageflags, never KPF_THP, even in
# a VMA that MADV_HUGEPAGE marked (here through a madvise that fails with
# ENOMEM after flagging the mapped part).
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(NULL, 4194304, PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_HUGETLB|21<<MAP_HUGE_SHIFT, -1, 0) = 0x7ffff7a00000
1     touch 0x7ffff7a00000 read
# read 0
1     madvise(0x7ffff75fe000, 8396800, MADV_HUGEPAGE) = -1 ENOMEM (Cannot allocate memory)
