# run: --ram=128M
# Swap-out by reclaim and swap-in on fault, step by step (mm/vmscan.c,
# mm/swap_state.c, mm/workingset.c), on a machine with 128 MiB of RAM
# and a 128 MiB swap file. Run it with `mmsim run --ram=128M`.
#
# 1. A swap file is swapped on (/proc/swaps).
file /swapfile size=134217728
spawn worker
swapon("/swapfile", 0) = 0
show swaps
# 2. 96 MiB of anonymous memory written, then a fork: parent and child
#    share every page (copy-on-write).
mmap(0x600000000000, 100663296, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = 0x600000000000
madvise(0x600000000000, 100663296, MADV_POPULATE_WRITE) = 0
fork() = 1001
# 3. The parent writes 64 MiB more. Free memory runs out: kswapd wakes at
#    the low watermark, ages the anonymous lists and swaps out the oldest
#    pages (add_to_swap, try_to_unmap of every mapping - the child's PTEs
#    become swap entries too - then pageout). The pages are zero-filled
#    (MADV_POPULATE_WRITE, nothing written since), so swap_writeout()
#    only marks their slots in the zeromap: no I/O (swpout_zero, not
#    pswpout) and the folios are freed in the same pass; written data
#    would go to the swap file and a later pass free the clean folios.
mmap(0x610000000000, 67108864, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = 0x610000000000
madvise(0x610000000000, 67108864, MADV_POPULATE_WRITE) = 0
echo --- kswapd ran (pageoutrun), zero-filled pages went to the zeromap (swpout_zero)
show vmstat
show swaps
echo --- the child's share of the swapped pages (Swap, SwapPss)
pid 1001
show smaps_rollup
# 4. The child reads its first page back: not in memory any more, a major
#    fault; its slot is in the zeromap, so the page is filled with zeroes
#    without reading the swap file (swpin_zero; pswpin for data); reclaim had left a shadow
#    entry in the swap cache, so the swap-in is counted as a refault
#    (workingset_refault_anon) and activated if it was evicted recently
#    enough (workingset_activate_anon).
touch 0x600000000000 read
show faults
echo --- the swap-in and the refault
show vmstat
