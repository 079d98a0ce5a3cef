# Transparent huge pages under reclaim (mm/vmscan.c shrink_folio_list,
# mm/swapfile.c, mm/swap_state.c, mm/memory.c do_swap_page), as Linux 6.18
# does it: a THP goes to swap in one piece when the swap area can give it
# a cluster of 512 contiguous slots, else it is split and swapped page by
# page. Linux 6.18 allocates large swap entries only on a block device
# (SWP_BLKDEV): a swap file never gets one.
#
# 1. A swap partition (a block device) is swapped on; /proc/swaps says
#    "partition".
file /dev/vdb size=67108864 kind=blkdev
spawn worker
swapon("/dev/vdb", 0) = 0
show swaps
# 2. 4 MiB of MADV_HUGEPAGE memory: the first write in each 2 MiB block
#    faults in a THP mapped by one PMD (AnonHugePages 4096 kB); the first
#    8 pages of each get a value, the other 504 stay zero-filled.
mmap(0x7f0000000000, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = 0x7f0000000000
madvise(0x7f0000000000, 4194304, MADV_HUGEPAGE) = 0
touch 0x7f0000000000 write 1
touch 0x7f0000001000 write 2
touch 0x7f0000002000 write 3
touch 0x7f0000003000 write 4
touch 0x7f0000004000 write 5
touch 0x7f0000005000 write 6
touch 0x7f0000006000 write 7
touch 0x7f0000007000 write 8
touch 0x7f0000200000 write 101
touch 0x7f0000201000 write 102
touch 0x7f0000202000 write 103
touch 0x7f0000203000 write 104
touch 0x7f0000204000 write 105
touch 0x7f0000205000 write 106
touch 0x7f0000206000 write 107
touch 0x7f0000207000 write 108
show smaps_rollup
# 3. MADV_PAGEOUT of the first THP. Reclaim gives the whole folio a swap
#    cluster (add_to_swap: 512 slots), splits its PMD into 512 PTEs
#    (thp_split_pmd: try_to_unmap with TTU_SPLIT_HUGE_PMD), replaces each
#    by a swap entry and writes the folio in one I/O: thp_swpout 1,
#    pswpout 512, the 2048kB stats' swpout 1. The folio itself is not
#    split (thp_split_page stays 0); it waits in the swap cache while the
#    write is in flight.
madvise(0x7f0000000000, 2097152, MADV_PAGEOUT) = 0
echo --- swapped whole
show /sys/kernel/mm/transparent_hugepage/hugepages-2048kB/stats/split
show /sys/kernel/mm/transparent_hugepage/hugepages-2048kB/stats/swpout
show smaps_rollup
# 4. A read of its first page: the fault finds the large folio in the
#    swap cache with all 512 swap PTEs in place and maps it back whole, by
#    PTEs (a minor fault; AnonHugePages counts PMD mappings only).
touch 0x7f0000000000 read
show faults
show smaps_rollup
# 5. MADV_PAGEOUT again: the folio is clean and already has its slots, so
#    it is unmapped and freed without another write.
madvise(0x7f0000000000, 2097152, MADV_PAGEOUT) = 0
show smaps_rollup
# 6. Another read misses the swap cache: Linux reads order-0 pages from
#    a swap device that is not synchronous (zram is), with readahead
#    around the slot: a major fault; the value is the one written.
touch 0x7f0000001000 read
show faults
# 7. The same on a swap file: swapped off the partition (its pages come
#    back), a file swapped on. add_to_swap finds no cluster, so reclaim
#    splits the second THP (thp_split_page, thp_swpout_fallback); the
#    split maps its 504 zero-filled pages to the shared zero page (no
#    longer in Rss) and reclaim swaps the 8 others one by one (Swap 32 kB).
swapoff("/dev/vdb") = 0
file /swapfile size=67108864
swapon("/swapfile", 0) = 0
madvise(0x7f0000200000, 2097152, MADV_PAGEOUT) = 0
echo --- split, then swapped page by page
show /sys/kernel/mm/transparent_hugepage/hugepages-2048kB/stats/split
show /sys/kernel/mm/transparent_hugepage/hugepages-2048kB/stats/swpout_fallback
show smaps_rollup
show swaps
touch 0x7f0000201000 read
echo --- the counters of the whole run: thp_swpout 1, thp_swpout_fallback 1,
echo --- thp_split_pmd 2, thp_split_page 1, pswpout 512 + 8
show vmstat
