# run: --ram=128M
# Memory pressure on a machine with 64 MiB of RAM (mm/vmscan.c,
# mm/oom_kill.c), step by step. Run it with `mmsim run --ram=128M`.
#
# 1. A file twice the size of RAM is read with read(): the page cache
#    fills free memory until an allocation finds the zone below its low
#    watermark; that wakes kswapd, which reclaims the oldest clean
#    page-cache folios (the tail of the inactive file list) until the
#    zone is above its high watermark. The page cache stays bounded.
#    (In Linux kswapd is a thread running beside the reader; in the model
#    it runs to completion when woken, so all the work shows as kswapd's.)
file /data/big size=268435456
spawn reader
openat(AT_FDCWD, "/data/big", O_RDONLY) = 3
read(3, ""..., 268435456) = 268435456
echo --- after reading 256 MiB: the page cache stayed below RAM
show lru
echo --- kswapd ran (pageoutrun) and freed what it scanned
show vmstat
# 2. The same file through a mapping: MADV_POPULATE_READ faults every
#    page in. Mapped pages are aged through their PTEs' Accessed bits
#    (folio_referenced) before reclaim unmaps and frees them.
mmap(NULL, 268435456, PROT_READ, MAP_SHARED, 3, 0) = 0x7fffe7e00000
madvise(0x7fffe7e00000, 268435456, MADV_POPULATE_READ) = 0
show smaps_rollup
# 3. Anonymous memory cannot go anywhere without swap. Two processes
#    fill RAM; when reclaim cannot free enough the OOM killer picks the
#    process with the highest badness (rss + swap + page tables, moved
#    by oom_score_adj thousandths of RAM) and kills it.
munmap(0x7fffe7e00000, 268435456) = 0
exit
spawn hog
set oom_score_adj=500
mmap(NULL, 41943040, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff5600000
madvise(0x7ffff5600000, 41943040, MADV_POPULATE_WRITE) = 0
show oom_score
spawn big
mmap(NULL, 62914560, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff4200000
madvise(0x7ffff4200000, 62914560, MADV_POPULATE_WRITE) = 0
echo --- the kernel log: hog (adj 500) was killed although big is bigger
show dmesg
pid 1001
touch 0x7ffff5600000 read
expect signal SIGKILL
