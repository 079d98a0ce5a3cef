# COW of a PTE-mapped mTHP after the child that shared it has gone: with
# one page left mapped the folio is not reused (the page is copied and the
# folio freed), with two or more it is reused (the mapcount equals the
# refcount and no other mm maps it).
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf mthp=5
mmap(0x7f0000000000, 1048576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7f0000000000
madvise(0x7f0000000000, 1048576, MADV_HUGEPAGE) = 0
touch 0x7f0000000000 write 0xf9
touch 0x7f0000010000 write 0xf9
touch 0x7f0000020000 write 0xf9
1     fork() = 2
2     touch 0x7f0000020000 read
2     exit
1     madvise(0x7f0000001000, 61440, MADV_DONTNEED) = 0
1     touch 0x7f0000000000 write 0xf8
1     madvise(0x7f0000012000, 57344, MADV_DONTNEED) = 0
1     touch 0x7f0000010000 write 0xf8
1     touch 0x7f0000021000 write 0xf8
1     touch 0x7f0000022000 write 0xf8
