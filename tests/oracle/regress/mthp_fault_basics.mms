# mTHP faults (profile 5: 16kB and 64kB madvise): a write in a
# MADV_HUGEPAGE range takes a 64 KiB folio; a write next to a zero-page
# PTE falls back to 4 KiB; unmapping one page queues a deferred split,
# unmapping the rest frees the folio in one batch (no second one).
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf mthp=5
mmap(0x7f0000000000, 1048576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7f0000000000
madvise(0x7f0000000000, 1048576, MADV_HUGEPAGE) = 0
touch 0x7f0000005008 write 0xf9f8
touch 0x7f0000020000 read
touch 0x7f0000021000 write 0xf9
munmap(0x7f0000001000, 4096) = 0
munmap(0x7f0000000000, 65536) = 0
