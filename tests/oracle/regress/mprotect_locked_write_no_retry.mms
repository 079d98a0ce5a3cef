# A locked private file mapping made writable is COWed at once by
# populate_vma_page_range(..., NULL): without "locked" the fault cannot
# drop mmap_lock, so the page-cache miss waits for its read in place and
# counts as one major fault (no VM_FAULT_RETRY, unlike __mm_populate()).
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
# oracle-file: /tmp/mmsim-regress-mprotect-locked-write/file0 4096
openat(AT_FDCWD, "/tmp/mmsim-regress-mprotect-locked-write/file0", O_RDWR) = 3
mmap(NULL, 8192, PROT_NONE, MAP_PRIVATE, 3, 0) = 0x7ffff7ff5000
mlock2(0x7ffff7ff5000, 4096, 0) = -1 ENOMEM (Cannot allocate memory)
mprotect(0x7ffff7ff5000, 4096, PROT_WRITE) = 0
