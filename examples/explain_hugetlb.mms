# Explain mode on hugetlb faults (mm/hugetlb.c): hugetlb_fault ->
# hugetlb_no_page or hugetlb_wp, where the page comes from (a
# reservation made at mmap, or a free page nobody reserved) and why a
# fault gets SIGBUS when the pool has nothing left.
# A pool of three 2 MiB pages.
set vm.nr_hugepages=3
explain on
# mmap reserves a private mapping's pages at once (hugetlb_reserve_pages).
mmap(0x600000000, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|MAP_HUGETLB, -1, 0) = 0x600000000
# The first fault consumes one of the two reservations.
touch 0x600000000 write 1
# A shared mapping: its page goes to the file's page cache.
mmap(0x700000000, 2097152, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED|MAP_HUGETLB, -1, 0) = 0x700000000
touch 0x700000000 read
explain off
# After fork both map the private page read-only. The child has no
# reservation; the pool's one free page is promised to the parent's
# second huge page, so the child's copy finds nothing: SIGBUS.
fork() = 2000
pid 2000
explain on
touch 0x600000000 write 2
explain off
show /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages
show /sys/kernel/mm/hugepages/hugepages-2048kB/resv_hugepages
# The parent's write: it owns the reservation map, but its reservation
# for this page was consumed by the page itself: copy outside the
# reserve; no page is left, so the page is taken from the child
# (unmap_ref_private) and reused.
pid 1000
explain on
touch 0x600000000 write 3
explain off
# MAP_NORESERVE reserves nothing: with the pool used up, the fault is
# where it fails.
pid 1000
mmap(0x800000000, 2097152, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|MAP_HUGETLB|MAP_NORESERVE, -1, 0) = 0x800000000
touch 0x600200000 write 4
explain on
touch 0x800000000 write 5
