# MADV_COLLAPSE of a PMD range holding PTE-mapped mTHPs (one partly
# mapped): their PTEs go in one rmap batch per folio, so no deferred
# split is counted for the whole ones.
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf mthp=5
mmap(0x7f0000000000, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7f0000000000
madvise(0x7f0000000000, 4194304, MADV_HUGEPAGE) = 0
mprotect(0x7f00001ff000, 4096, PROT_READ) = 0
touch 0x7f0000000000 write 0xf9
touch 0x7f0000010000 write 0xf9
touch 0x7f0000024000 write 0xf9
touch 0x7f0000034000 read
touch 0x7f0000035000 write 0xf9
madvise(0x7f0000011000, 4096, MADV_DONTNEED) = 0
mprotect(0x7f00001ff000, 4096, PROT_READ|PROT_WRITE) = 0
madvise(0x7f0000000000, 2097152, MADV_COLLAPSE) = 0
touch 0x7f0000100000 write 0xf9
