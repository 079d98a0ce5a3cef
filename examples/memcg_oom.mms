# run: --ram=256M
# A memory cgroup's limit (cgroup v2's memory.max; mm/memcontrol.c,
# mm/vmscan.c, mm/oom_kill.c) on a machine with plenty of free memory:
# the limit alone forces reclaim, then an OOM kill. Run it with
# `mmsim run --ram=256M`.
#
# 1. The cgroup "box" may hold 32 MiB. Every folio its processes
#    allocate (page cache, anonymous, shmem) is charged to it
#    (memory.current) and sits on the cgroup's own LRU lists.
memcg box memory.max=32M
file /data/big size=67108864
spawn reader
memcg box cgroup.procs=0
show memcg box cgroup.procs
# 2. Reading a 64 MiB file: when a charge would pass memory.max, the
#    charging task reclaims in the cgroup itself (try_charge_memcg ->
#    try_to_free_mem_cgroup_pages, 32 pages at a time from priority 12)
#    although the machine has 200 MiB free: kswapd never runs. The page
#    cache stays at the limit; "max" counts the charges that hit it,
#    pgscan_direct/pgsteal_direct the cgroup's limit reclaim.
openat(AT_FDCWD, "/data/big", O_RDONLY) = 3
read(3, ""..., 67108864) = 67108864
show memcg box
# 3. Two more processes join the cgroup and fill anonymous memory. There
#    is no swap, so limit reclaim can only take the page cache; once that
#    is gone a charge finds nothing to reclaim and the memcg OOM killer
#    picks among the cgroup's tasks (oom_badness against the limit:
#    rss + swap + page tables, plus oom_score_adj thousandths of
#    memory.max). "hog" has oom_score_adj 500 and dies although "big"
#    is larger: its 12 MiB weigh 3072 + 500 * 8 pages = 7072 points,
#    big's 16 MiB 4096 and some. The machine's own OOM killer never ran.
spawn hog
memcg box cgroup.procs=0
set oom_score_adj=500
mmap(NULL, 12582912, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7200000
madvise(0x7ffff7200000, 12582912, MADV_POPULATE_WRITE) = 0
spawn big
memcg box cgroup.procs=0
mmap(NULL, 25165824, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff6600000
madvise(0x7ffff6600000, 25165824, MADV_POPULATE_WRITE) = 0
show dmesg
pid 1001
touch 0x7ffff7200000 read
expect signal SIGKILL
echo --- the cgroup after the kill: oom and oom_kill counted, hog gone
show memcg box memory.events
show memcg box memory.current
show memcg box cgroup.procs
