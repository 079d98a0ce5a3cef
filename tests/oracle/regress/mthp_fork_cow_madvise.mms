# mTHPs after fork: the child's write copies one page; the parent's write
# while the child lives copies too, after its exit reuses the folio.
# Whole-folio MADV_DONTNEED frees it in one batch; MADV_PAGEOUT of a
# whole folio splits it for reclaim (split, swpout_fallback, and the
# split_deferred its unmap counts); partial MADV_FREE splits it; partial
# MADV_DONTNEED, mprotect and munmap leave it whole (deferred split).
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf mthp=5
mmap(0x7f0000000000, 1048576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7f0000000000
madvise(0x7f0000000000, 1048576, MADV_HUGEPAGE) = 0
touch 0x7f0000005008 write 0xf9f8
touch 0x7f0000010000 write 0xf9
touch 0x7f0000020000 write 0xf9
touch 0x7f0000030000 write 0xf9
touch 0x7f0000040000 write 0xf9
touch 0x7f0000050000 write 0xf9
touch 0x7f0000060000 write 0xf9
1     fork() = 2
2     touch 0x7f0000005010 write 0xf8
2     touch 0x7f0000006010 read
1     touch 0x7f0000012000 write 0xf8
2     exit
1     touch 0x7f0000007000 write 0xf9
1     madvise(0x7f0000010000, 65536, MADV_DONTNEED) = 0
1     madvise(0x7f0000020000, 65536, MADV_PAGEOUT) = 0
1     mprotect(0x7f0000031000, 4096, PROT_READ) = 0
1     madvise(0x7f0000040000, 8192, MADV_FREE) = 0
1     madvise(0x7f0000050000, 8192, MADV_DONTNEED) = 0
1     munmap(0x7f0000001000, 4096) = 0
