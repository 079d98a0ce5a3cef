# mlock of PTE-mapped mTHPs: a range mapping a whole folio mlocks it, part
# of one does not; munlock of any part munlocks it; a split after
# munlock maps the folio's zero-filled pages to the zero page (found by
# oracle --mthp seed 4: populated under mlockall, munlockall, MADV_COLD).
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf mthp=5
mmap(0x7f0000000000, 1048576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7f0000000000
madvise(0x7f0000000000, 1048576, MADV_HUGEPAGE) = 0
touch 0x7f0000000000 write 0xf9
touch 0x7f0000010000 write 0xf9
touch 0x7f0000020000 write 0xf9
mlock(0x7f0000002000, 8192) = 0
mlock(0x7f0000010000, 65536) = 0
munlock(0x7f0000002000, 8192) = 0
madvise(0x7f0000003000, 4096, MADV_COLD) = 0
munlock(0x7f0000010000, 8192) = 0
madvise(0x7f0000012000, 4096, MADV_COLD) = 0
munlock(0x7f0000010000, 65536) = 0
madvise(0x7f0000013000, 4096, MADV_PAGEOUT) = 0
mlockall(MCL_CURRENT|MCL_FUTURE) = 0
touch 0x7f0000030000 write 0xf9
munlockall() = 0
madvise(0x7f0000031000, 4096, MADV_COLD) = 0
