# MADV_POPULATE_READ/WRITE of memory whose protection key the caller's
# PKRU denies: check_vma_flags() refuses it, and for MADV_POPULATE_* every
# refusal there is EINVAL, not the EFAULT of a fault that would raise
# SIGSEGV. Read population of a write-disabled key is allowed, write is
# not; a range that starts in key 0 and runs into a denied key fails too.
# Found by `mmsim oracle --seed 23` (the model said EFAULT).
pkey_alloc(0, PKEY_DISABLE_ACCESS|PKEY_DISABLE_WRITE) = 1
pkey_alloc(0, PKEY_DISABLE_WRITE) = 2
mmap(0x10000000, 65536, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x10000000
pkey_mprotect(0x10000000, 16384, PROT_READ, 1) = 0
madvise(0x10001000, 4096, MADV_POPULATE_READ) = -1 EINVAL (Invalid argument)
madvise(0x10001000, 4096, MADV_POPULATE_WRITE) = -1 EINVAL (Invalid argument)
pkey_mprotect(0x10004000, 16384, PROT_READ|PROT_WRITE, 2) = 0
madvise(0x10004000, 8192, MADV_POPULATE_READ) = 0
madvise(0x10004000, 8192, MADV_POPULATE_WRITE) = -1 EINVAL (Invalid argument)
mprotect(0x10008000, 8192, PROT_READ) = 0
pkey_mprotect(0x1000a000, 8192, PROT_READ, 1) = 0
madvise(0x10008000, 16384, MADV_POPULATE_READ) = -1 EINVAL (Invalid argument)
show smaps
