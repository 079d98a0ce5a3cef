# run: --ram=128M
# A THP fault that falls back because the buddy allocator has no free
# 2 MiB block: the hugetlb pool took every one (buddyinfo shows what is
# left: nothing at order 9 outside the DMA zone, which a THP may not use).
set vm.nr_hugepages=1000
show /proc/sys/vm/nr_hugepages
show buddyinfo
mmap(0x7f0000000000, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7f0000000000
madvise(0x7f0000000000, 4194304, MADV_HUGEPAGE) = 0
explain on
touch 0x7f0000000000 write
explain off
# a PTE, not a PMD leaf: the fault fell back to 4 KiB
show pagetable 0x7f0000000000
show /sys/kernel/mm/transparent_hugepage/hugepages-2048kB/stats/anon_fault_fallback
