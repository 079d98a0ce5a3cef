# Swap-out through MADV_PAGEOUT and swap-in on fault (mm/swapfile.c,
# mm/swap_state.c, do_swap_page in mm/memory.c). Every number below was
# measured on the live kernel with a 16 MiB swap file (see
# docs/divergences.md for the swap rows).
file /swapfile size=16777216
swapon("/swapfile", 0) = 0
# The first page is mkswap's header: 4095 slots, the default priority -2.
show swaps
mmap(0x600000000000, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = 0x600000000000
touch 0x600000000000 write 1
touch 0x600000001000 write 2
touch 0x600000002000 write 3
touch 0x600000003000 write 4
# Pageout of the first two pages: slots 1 and 2, swap PTEs in pagemap.
madvise(0x600000000000, 8192, MADV_PAGEOUT) = 0
show smaps_rollup
show swaps
# The child shares the swap entries: SwapPss halves.
fork() = 1001
pid 1001
show smaps_rollup
# The written folio is still in the swap cache (the write was in flight
# on the live kernel): the swap-in is a minor fault.
touch 0x600000000000 read
# read 1
show faults
show smaps_rollup
exit
pid 1000
show smaps_rollup
# A write fault through an exclusive entry takes the folio back and frees
# its slot (should_try_to_free_swap).
touch 0x600000001000 write 7
show faults
show smaps_rollup
show swaps
touch 0x600000001000 read
# read 7
munmap(0x600000000000, 16384) = 0
show swaps
