# MADV_REMOVE punches a hole through vfs_fallocate(): past ext4's maximum
# file size it is EFBIG.
# oracle-file: /tmp/mmsim-regress/file1 12388
openat(AT_FDCWD, "/tmp/mmsim-regress/file1", O_RDWR) = 3
mmap(0x400000000000, 114688, PROT_NONE, MAP_SHARED, 3, 0x4000000000000000) = 0x400000000000
madvise(0x400000016000, 4096, MADV_REMOVE) = -1 EFBIG (File too large)
madvise(NULL, 4096, MADV_SOFT_OFFLINE) = -1 EINVAL (Invalid argument)
prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x400000000000, 4096, "heap-a") = -1 EINVAL (Invalid argument)
