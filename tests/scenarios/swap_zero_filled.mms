# Zero-filled pages under MADV_PAGEOUT (mm/page_io.c swap_writeout:
# is_folio_zero_filled -> the zeromap). No I/O: swpout_zero counts them,
# pswpout does not; reclaim frees them at once (not in the swap cache,
# unlike a written page whose write is in flight), and a swap-in fills
# zeroes without reading (swpin_zero, a major fault). Checked against the
# live kernel by tests/oracle/swap_check.c (steps 43-50).
file /swapfile size=16777216
swapon("/swapfile", 0) = 0
mmap(0x600000000000, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = 0x600000000000
madvise(0x600000000000, 16384, MADV_NOHUGEPAGE) = 0
touch 0x600000000000 write 0
touch 0x600000001000 write 0
touch 0x600000002000 write 5
madvise(0x600000000000, 12288, MADV_PAGEOUT) = 0
# pages 0-1 gone (slots in the zeromap), page 2 in the swap cache
mincore(0x600000000000, 12288, [...]) = 0
show smaps_rollup
show swaps
touch 0x600000000000 read
# read 0
show faults
touch 0x600000002000 read
# read 5
show faults
# swpout_zero 2, swpin_zero 1, pswpout 1, pswpin 0
show vmstat
