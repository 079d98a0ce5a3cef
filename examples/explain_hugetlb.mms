# Explain mode on hugetlb faults (mm/hugetlb.c): hugetlb_fault ->
# hugetlb_no_page or hugetlb_wp, where the page comes from (a
# reservation made at mmap, a free page nobody reserved, or a surplus
# page), and why a fault gets SIGBUS when there is none.
# A pool of three 2 MiB pages, and up to two surplus pages beyond it
# (oracle/examples runs these steps on the live kernel with this pool).
# oracle-hugetlb-pool: 3
set vm.nr_hugepages=3
set vm.nr_overcommit_hugepages=2
explain on
# mmap reserves a private mapping's pages at once (hugetlb_reserve_pages).
mmap(0x600000000, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|MAP_HUGETLB, -1, 0) = 0x600000000
# The first fault consumes one of the two reservations.
touch 0x600000000 write 0xf5
# A shared mapping: its page goes to the file's page cache.
mmap(0x700000000, 2097152, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED|MAP_HUGETLB, -1, 0) = 0x700000000
touch 0x700000000 read
# MAP_NORESERVE reserves nothing: its faults may only take a page nobody
# reserved. The one free page is promised to the private mapping's second
# page, so they get surplus pages, up to nr_overcommit_hugepages.
mmap(0x800000000, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|MAP_HUGETLB|MAP_NORESERVE, -1, 0) = 0x800000000
touch 0x800000000 write 0xf8
explain off
touch 0x800200000 write 0xf8
show /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages
show /sys/kernel/mm/hugepages/hugepages-2048kB/resv_hugepages
show /sys/kernel/mm/hugepages/hugepages-2048kB/surplus_hugepages
# After fork both map the private page read-only. The child has no
# reservation, the free page is promised, the surplus is at its limit:
# the child's copy finds nothing, SIGBUS.
fork() = 2000
pid 2000
explain on
touch 0x600000000 write 0xf9
explain off
# The parent's write: it owns the reservation map, but the reservation of
# this page went to the page itself: a copy outside the reserve finds
# nothing either, so the page is taken from the child (unmap_ref_private)
# and the parent, its only mapper now, reuses it.
pid 1000
explain on
touch 0x600000000 write 0xfc
explain off
# The child lost its mapping of that page: its next access is SIGBUS.
pid 2000
touch 0x600000000 read
