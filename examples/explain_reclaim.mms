# run: --ram=128M
# Explain mode on reclaim (mm/vmscan.c) on a machine with 128 MiB of RAM:
# an allocation finds free memory below the zone's low watermark and
# wakes kswapd, which shrinks the inactive lists until the high one.
# Each shrink_folio_list() batch is told as what happened to its pages.
file /data/big size=134217728
file /swapfile size=67108864
spawn worker
swapon("/swapfile", 0) = 0
openat(AT_FDCWD, "/data/big", O_RDONLY) = 3
# 1. The page cache fills free memory; reading on makes kswapd free the
#    oldest clean page-cache pages (nothing to write: they are dropped).
read(3, ""..., 67108864) = 67108864
explain on
read(3, ""..., 33554432) = 33554432
explain off
close(3) = 0
show lru
# 2. Anonymous memory with swap: once the page cache is gone, kswapd
#    swaps the oldest anonymous pages out (the PTEs become swap entries).
#    MADV_POPULATE_WRITE leaves them zero-filled, so swap_writeout() only
#    marks their slots in the zeromap: no write to the swap file
#    (swpout_zero, not pswpout), and the folio is freed at once.
mmap(0x600000000000, 100663296, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = 0x600000000000
explain on
madvise(0x600000000000, 100663296, MADV_POPULATE_WRITE) = 0
explain off
show swaps
show faults
