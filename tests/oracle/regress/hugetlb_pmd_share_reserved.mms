# hugetlb PMD sharing with reservations: the oracle gives this script a
# live pool of 520 pages, so a 1 GiB shared mapping reserves its 512 pages
# at mmap (HugePages_Rsvd), as the live check of the PMD sharing work did
# by hand. Parent and forked child share the PMD table of the aligned
# gigabyte (Shared_Hugetlb, pagemap without the exclusive bit); pages the
# child faults in through the shared table consume the file's
# reservations; MADV_DONTNEED in the child unshares it; munmap and exit
# give the reservations back with the file.
# oracle-hugetlb-pool: 520
memfd_create("pmdres", MFD_HUGETLB)
ftruncate(3, 1073741824)
mmap(0x7f0000000000, 1073741824, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED, 3, 0)
touch 0x7f0000000000 write 0xf5
touch 0x7f0000200000 write 0xf8
fork() = 1
2 touch 0x7f0000000000 read
2 touch 0x7f0000800000 write 0xf9
1 touch 0x7f0000800000 read
1 touch 0x7f003fe00000 write 0xfc
2 touch 0x7f003fe00000 read
2 madvise(0x7f0000000000, 2097152, MADV_DONTNEED)
2 touch 0x7f0000200000 read
1 touch 0x7f0000200000 read
2 exit
1 munmap(0x7f0000000000, 1073741824)
close(3)
