# Found by --seed 23 (seq 6524): live minflt +3 majflt +0, model minflt +2 majflt +0
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=inf:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
# oracle-file: /tmp/mmsim-oracle-30227-31460f/file2 65536
openat(AT_FDCWD, "/tmp/mmsim-oracle-30227-31460f/file2", O_RDWR) = 3
mmap(0x1555554ef000, 24576, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x1555554ef000
mremap(0x1555554ef000, 4096, 28672, MREMAP_MAYMOVE) = 0x155555547000
mmap(NULL, 8192, PROT_EXEC, MAP_SHARED, 3, 0) = 0x155555545000
mlock2(0x155555545000, 4096, 0) = 0
1     fallocate(3, 0, 60640, 12288) = 0
1     mremap(0x155555545000, 4096, 131072, MREMAP_MAYMOVE) = 0x155555525000
