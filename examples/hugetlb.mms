# hugetlbfs (mm/hugetlb.c), as in the seed's `pmap -XX` dump: an anonymous
# MAP_HUGETLB region at a fixed address. mmap() puts a file on the
# kernel's internal hugetlbfs mount behind it ("/anon_hugepage (deleted)",
# device 00:11) and reserves the pool's pages for the whole mapping; the
# first fault takes a page from the pool and maps it with one PMD entry
# (PSE set) instead of a page table.
#
# `show pmap -XX` prints what procps-ng's `pmap -XX PID` prints for this
# process (it reads the same smaps): the mapping is the `ht` line.
#
# The pool: four 2 MiB pages taken from the buddy allocator.
set vm.nr_hugepages=4
show /proc/sys/vm/nr_hugepages
show /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages
# Two huge pages at 0x600000000; both are reserved now, none is used.
mmap(0x600000000, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|MAP_HUGETLB, -1, 0) = 0x600000000
show /sys/kernel/mm/hugepages/hugepages-2048kB/resv_hugepages
# A pool too small for a mapping: ENOMEM at mmap time, not SIGBUS later.
mmap(NULL, 8388608, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0) = -1 ENOMEM (Cannot allocate memory)
# The fault: hugetlb_fault -> hugetlb_no_page takes a reserved page,
# zeroes it and maps it writable and dirty. The walk stops at the PMD: the
# entry's bit 7 (PSE, 0x80) makes it the leaf for all 2 MiB.
touch 0x600000008 write 0xf8f8
show pagetable 0x600000000
show pagetable 0x6001ff000
show /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages
show /sys/kernel/mm/hugepages/hugepages-2048kB/resv_hugepages
# KernelPageSize and MMUPageSize are 2048 kB; the page counts in
# Private_Hugetlb, not in Rss.
show smaps
# The seed's view: pmap -XX, one column per smaps field.
show pmap -XX
# After fork both processes map the page read-only; the child's write
# copies it into a page nobody reserved (hugetlb_wp).
fork() = 2000
pid 2000
touch 0x600000008 write 0xf5f5
touch 0x600000008 read
pid 1000
touch 0x600000008 read
show /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages
# Splitting a huge page is refused.
munmap(0x600001000, 4096) = -1 EINVAL (Invalid argument)
munmap(0x600000000, 4194304) = 0
show /sys/kernel/mm/hugepages/hugepages-2048kB/resv_hugepages
