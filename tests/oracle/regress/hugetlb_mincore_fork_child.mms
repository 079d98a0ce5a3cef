# hugetlb mincore in a fork's child: fork copies no entries of a shared
# hugetlb mapping, and where no page table leads to the entry mincore's
# walk takes the hole path, which asks the hugetlbfs file's page cache:
# the page the parent faulted reads as resident (live 1, the model said 0).
# Found by mmsim oracle --hugetlb --seed 3 (sequence 186) on 2026-12-02.
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(0x100000000, 4096, PROT_READ, MAP_SHARED|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0) = 0x100000000
touch 0x1000005d4 read
1     fork() = 2
2     mincore(0x100002000, 4096, [...]) = 0
2     mincore(0x100000000, 65536, [...]) = 0
2     touch 0x100000000 read
2     mincore(0x100000000, 65536, [...]) = 0
