# mlockall populates private writable memory with FOLL_WRITE: a page made
# clean by MADV_FREE is dirtied again (follow_page_pte, FOLL_TOUCH).
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mlockall(MCL_FUTURE) = 0
brk(0x44a000) = 0x44a000
munlockall() = 0
madvise(0x43d000, 4096, MADV_FREE) = 0
mlockall(MCL_CURRENT) = 0
