# fork, then both processes write the same page: each gets its own copy and
# reads back its own value; the first writer copies, the last one reuses.
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff3000
touch 0x7ffff7ff3000 write 0xf8f9
touch 0x7ffff7ff4000 read
1     fork() = 2
2     touch 0x7ffff7ff3000 read
2     touch 0x7ffff7ff3000 write 0xfcfc
1     touch 0x7ffff7ff3000 read
1     touch 0x7ffff7ff3000 write 0xf5
2     touch 0x7ffff7ff3000 read
2     touch 0x7ffff7ff4000 write 0xf8
1     touch 0x7ffff7ff4000 read
2     exit
1     munmap(0x7ffff7ff3000, 16384) = 0
