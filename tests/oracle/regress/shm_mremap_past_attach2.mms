# SysV shm: the same as shm_mremap_past_attach with a
# 28 KiB segment next to other mappings: 76 KiB from the attach moved with
# MREMAP_FIXED: live EFAULT, the model moves it. Found by mmsim oracle
# --seed 402 (sequence 788) on 2026-12-02.
# Fixed: a System V attach (shm_vm_ops, shm_get_unmapped_area) may not
# move together with other VMAs (vma_multi_allowed() is false for it).
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
# oracle-file: /tmp/mmsim-oracle-8171-h0pyNr/file2 65536
openat(AT_FDCWD, "/tmp/mmsim-oracle-8171-h0pyNr/file2", O_RDWR) = 3
shmget(0x1234, 28672, IPC_CREAT) = 0
mmap(NULL, 4157440, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7c00000
mmap(NULL, 483328, PROT_NONE, MAP_PRIVATE, 3, 0) = 0x7ffff7b8a000
shmat(0, NULL, 0) = 0x7ffff7b83000
mremap(0x7ffff7b83000, 77824, 77824, MREMAP_MAYMOVE|MREMAP_FIXED, 0x7fffd82e4000) = -1 EFAULT (Bad address)
