# hugetlb: mremap moving part of a private mapping takes the reservation
# map away from the whole source VMA (move_vma() calls
# clear_vma_resv_huge_pages() on it before unmap_source_vma() splits the
# moved range off), so the part left behind is no longer the
# reservation's owner. Here every page is faulted before the move and
# shared with a forked child: the munmap of the part left behind marks
# nothing "restore reserve" (HugePages_Rsvd stays; as the owner it would
# drop by one until the child's exit), the moved part still owns its map.
# With unfaulted pages left behind, their reservations are never given
# back: the live kernel leaks them for good (HugePages_Rsvd stays up with
# as many surplus pages once the pool shrinks; the model does the same).
# That variant is not kept here, as every run would leak a page of the
# live pool: see docs/divergences.md.
mmap(NULL, 6291456, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0)
touch 0x7ffff7800000 write 0xf5
touch 0x7ffff7a00000 write 0xf8
touch 0x7ffff7c00000 write 0xf9
fork() = 1
1 mremap(0x7ffff7800000, 4194304, 4194304, MREMAP_MAYMOVE|MREMAP_FIXED, 0x7ffff7000000)
1 munmap(0x7ffff7c00000, 2097152)
2 touch 0x7ffff7c00000 read
2 exit
1 touch 0x7ffff7200000 read
1 munmap(0x7ffff7000000, 4194304)
