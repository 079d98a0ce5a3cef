# MADV_PAGEOUT on part of a PTE-mapped THP splits the folio too.
# oracle-file: /tmp/mmsim-oracle-17251-SciSFJ/file3 4202496 fill=0-1026:0xa269304b593985ba
# oracle-file: /dev/shm/mmsim-oracle-17251-O2KzsS/shm0 8192 fill=0-2:0xccacc6fef37be784
openat(AT_FDCWD, "/dev/shm/mmsim-oracle-17251-O2KzsS/shm0", O_RDWR) = 3
openat(AT_FDCWD, "/tmp/mmsim-oracle-17251-SciSFJ/file3", O_RDONLY) = 4
mmap(0x7fffd8200000, 2473984, PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fffd8200000
madvise(0x7fffd8200000, 2473984, MADV_HUGEPAGE) = 0
touch 0x7fffd8200000 write 0xf9f50000f9fcf5fc
mmap(0x7fffd832f000, 4096, PROT_NONE, MAP_PRIVATE|MAP_FIXED, 4, 0) = 0x7fffd832f000
1     madvise(0x7fffd8200000, 4096, MADV_PAGEOUT) = 0
