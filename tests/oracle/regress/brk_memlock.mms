# With mlockall(MCL_FUTURE) the new heap is locked: RLIMIT_MEMLOCK applies.
# oracle-config: uid=65534 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mlockall(MCL_FUTURE) = 0
mmap(0x7fffd8cb6000, 8388608, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fffd8cb6000
brk(0x41d000) = 0x419000
mlock2(0x7ffff7cac000, 18446744073709547520, 0) = -1 ENOMEM (Cannot allocate memory)
