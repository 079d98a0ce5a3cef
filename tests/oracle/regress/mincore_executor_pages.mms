# mincore() over the executor's own program: the live page cache holds
# its pages, the model has never read them (they are not imported), so
# the oracle compares mincore's vector only for memory the model backs.
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mincore(0x400000, 4096, [...]) = 0
mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff5000
touch 0x7ffff7ff5000 write 0xf5
mincore(0x7ffff7ff5000, 8192, [...]) = 0
