# ext4 fallocate growing the file to an unaligned size zeroes the partial
# block at the new EOF too (ext4_alloc_file_blocks -> ext4_zero_partial_
# blocks): its page is created, not uptodate (the block is unwritten).
# Read-ahead then stops before it and fault-around skips it, so the locked
# mremap's population takes a third fault there.
# Found by --seed 23 (seq 6524): live minflt +3 majflt +0, model minflt +2 majflt +0
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=inf:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
# oracle-file: /tmp/mmsim-regress-fallocate_new_eof_folio/file2 65536
openat(AT_FDCWD, "/tmp/mmsim-regress-fallocate_new_eof_folio/file2", O_RDWR) = 3
mmap(0x1555554ef000, 24576, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x1555554ef000
mremap(0x1555554ef000, 4096, 28672, MREMAP_MAYMOVE) = 0x155555547000
mmap(NULL, 8192, PROT_EXEC, MAP_SHARED, 3, 0) = 0x155555545000
mlock2(0x155555545000, 4096, 0) = 0
1     fallocate(3, 0, 60640, 12288) = 0
1     mremap(0x155555545000, 4096, 131072, MREMAP_MAYMOVE) = 0x155555525000
