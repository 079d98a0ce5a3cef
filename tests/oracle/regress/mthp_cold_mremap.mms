# mTHPs: reuse of a folio only this mm maps (child gone), mremap of part
# of one, mlock/munlock of part, MADV_COLD of a whole folio (no split)
# and of part of one (split).
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf mthp=5
mmap(0x7f0000000000, 2097152, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7f0000000000
madvise(0x7f0000000000, 1048576, MADV_HUGEPAGE) = 0
touch 0x7f0000000000 write 0xf9
touch 0x7f0000010000 write 0xf9
touch 0x7f0000020000 write 0xf9
touch 0x7f0000030000 write 0xf9
touch 0x7f0000044000 write 0xf9
1     fork() = 2
2     exit
1     madvise(0x7f0000001000, 61440, MADV_DONTNEED) = 0
1     touch 0x7f0000000000 write 0xf8
mremap(0x7f0000018000, 16384, 16384, MREMAP_MAYMOVE|MREMAP_FIXED, 0x7f0000300000) = 0x7f0000300000
touch 0x7f0000300000 write 0xf8
mlock(0x7f0000020000, 8192) = 0
munlock(0x7f0000020000, 8192) = 0
madvise(0x7f0000030000, 65536, MADV_COLD) = 0
madvise(0x7f0000034000, 4096, MADV_COLD) = 0
madvise(0x7f0000000000, 2097152, MADV_COLLAPSE) = 0
