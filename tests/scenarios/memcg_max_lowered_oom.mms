# Writing a memory.max below the usage (memory_max_write()): reclaim first,
# then the memcg OOM killer until the usage fits; without swap only the
# larger task goes (the victim's memory is gone before the next check).
memcg box
spawn a
memcg box cgroup.procs=0
mmap(NULL, 8388608, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7600000
madvise(0x7ffff7600000, 8388608, MADV_POPULATE_WRITE) = 0
spawn b
memcg box cgroup.procs=0
mmap(NULL, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7a00000
madvise(0x7ffff7a00000, 4194304, MADV_POPULATE_WRITE) = 0
show memcg box memory.current
memcg box memory.max=6M
show memcg box memory.current
show memcg box memory.events
show memcg box cgroup.procs
show dmesg
