# hugetlb PMD sharing: shared mappings of the same file offsets that cover
# a whole 1 GiB-aligned range share the PMD table (huge_pmd_share): the
# forked child's first fault there takes the parent's table, so it sees
# the parent's pages without faulting them and the parent sees its
# writes; all of them show as Shared_Hugetlb, each process counts the
# table in VmPTE but not the pages it did not fault in HugetlbPages. A
# second mapping in the same process shares too. munmap of 2 MiB splits
# the VMA: the split unshares the table (the parent loses every page of
# that GiB, its HugetlbPages stays as it was); MADV_DONTNEED in a sharer
# unshares as well; mprotect splitting a sharer unshares it, and so does
# the child's exit. A mapping not aligned to 1 GiB keeps its own table.
# MAP_NORESERVE keeps the 1 GiB mappings within the oracle's small pool.
memfd_create("pmdshare", MFD_HUGETLB)
ftruncate(3, 1073741824)
mmap(0x7f0000000000, 1073741824, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED|MAP_NORESERVE, 3, 0)
touch 0x7f0000000000 write 0xf5
touch 0x7f0000200000 write 0xf8
fork() = 1
2 touch 0x7f0000000000 read
2 touch 0x7f0000800000 write 0xf9
1 touch 0x7f0000800000 read
1 mmap(0x7f0100000000, 1073741824, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED|MAP_NORESERVE, 3, 0)
1 touch 0x7f0100200000 read
1 munmap(0x7f0000000000, 2097152)
1 touch 0x7f0000200000 read
2 touch 0x7f0000200000 read
1 touch 0x7f0100000000 read
2 madvise(0x7f0000400000, 2097152, MADV_DONTNEED)
2 touch 0x7f0000000000 read
1 touch 0x7f0100800000 read
1 mmap(0x7f0200200000, 1071644672, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED|MAP_NORESERVE, 3, 2097152)
1 touch 0x7f0200200000 read
1 mprotect(0x7f0100000000, 2097152, PROT_READ)
1 touch 0x7f0100000000 read
2 exit
1 touch 0x7f0100200000 read
1 munmap(0x7f0100000000, 1073741824)
1 munmap(0x7f0000200000, 1071644672)
1 munmap(0x7f0200200000, 1071644672)
close(3)
