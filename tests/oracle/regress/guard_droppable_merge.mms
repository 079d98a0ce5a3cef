# Guard install over two VMAs: both get "gu" and share one anon_vma, so a
# later mprotect merges them.
mmap(NULL, 8388608, PROT_NONE, MAP_DROPPABLE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7600000
mprotect(0x7ffff7600000, 20480, PROT_READ) = 0
madvise(0x7ffff7600000, 28672, MADV_GUARD_INSTALL) = 0
mprotect(0x7ffff7602000, 28672, PROT_NONE) = 0
