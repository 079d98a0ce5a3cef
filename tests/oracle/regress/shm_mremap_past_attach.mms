# SysV shm: mremap(MREMAP_MAYMOVE|MREMAP_FIXED) of 32 KiB
# from the second attach of a one-page (8 KiB mapped) segment: the live
# kernel gives EFAULT (the range runs past the attach's VMA), the model
# moves it. Found by mmsim oracle --seed 402 (sequence 117) on 2026-12-02.
# Fixed: a System V attach (shm_vm_ops, shm_get_unmapped_area) may not
# move together with other VMAs (vma_multi_allowed() is false for it).
# oracle-config: uid=0 layout=legacy RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=68719476736:68719476736
shmget(IPC_PRIVATE, 4097, 0) = 0
shmat(0, NULL, 0) = 0x2aaaaaab3000
shmat(0, NULL, 0) = 0x2aaaaaab5000
mremap(0x2aaaaaab5000, 32768, 32768, MREMAP_MAYMOVE|MREMAP_FIXED, 0x400000000000) = -1 EFAULT (Bad address)
