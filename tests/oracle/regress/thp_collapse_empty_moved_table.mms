# A table mremap left empty, copied by fork, collapses in the child.
mmap(0x7fffd7e00000, 2097152, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fffd7e00000
touch 0x7fffd7e800c0 read
# read 0
mremap(0x7fffd7e00000, 4096, 3600384, MREMAP_MAYMOVE) = 0x7ffff7c88000
mmap(NULL, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7800000
touch 0x7ffff79841b8 write 0xf8fcf9f5fc00f8f8
mremap(0x7ffff7d60000, 8192, 2101248, MREMAP_MAYMOVE) = 0x7ffff75ff000
1     fork() = 2
2     madvise(0x7ffff7600000, 2097152, MADV_COLLAPSE) = 0
