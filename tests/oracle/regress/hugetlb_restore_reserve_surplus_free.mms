# hugetlb: the owner unmaps its page while the forked child still maps it
# (no surplus pages then: the page is marked "restore reserve", the
# index's reservation goes back to the owner's map and the close releases
# it, so HugePages_Rsvd is one too low), then fills the pool with 1-page
# mappings (surplus pages). The child's exit frees the page with surplus
# pages in the pool: free_huge_folio() puts the reservation back and
# gives the page to the buddy allocator, HugePages_Rsvd can exceed
# HugePages_Free; the final munmap brings both back. Checked on the live
# kernel step by step: no reservation is lost or leaked on this path.
mmap(NULL, 2097152, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0)
touch 0x7ffff7c00000 write 0xf5
fork() = 1
1 munmap(0x7ffff7c00000, 2097152)
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
2 touch 0x7ffff7c00000 read
2 exit
1 munmap(0x7ffff6800000, 23068672)
