# MADV_PAGEOUT on shared anonymous memory (shmem) without swap: every page
# is unmapped; a clean one (a read fault's zero page) leaves the page
# cache, a dirty one stays cached (shmem_writeout() redirties it) and
# faults back in as a minor fault with its data.
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff3000
touch 0x7ffff7ff3000 read
touch 0x7ffff7ff4000 write 0xf5f8
madvise(0x7ffff7ff3000, 16384, MADV_PAGEOUT) = 0
mincore(0x7ffff7ff3000, 16384, [...]) = 0
touch 0x7ffff7ff4000 read
touch 0x7ffff7ff3000 read
