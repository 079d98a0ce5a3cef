# MADV_PAGEOUT clears PG_referenced but leaves the PTE young; without swap
# the anonymous page stays (Referenced still counts it).
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
brk(0x44a000) = 0x44a000
mmap(NULL, 278528, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7fb3000
mmap(0x41e000, 4096, PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_POPULATE, -1, 0) = 0x7ffff7fb2000
madvise(0x7ffff7f8f000, 229376, MADV_PAGEOUT) = -1 ENOMEM (Cannot allocate memory)
