# System V shared memory: every VMA of an attach counts in shm_nattch
# (an mprotect split makes two, fork doubles them), shmdt() finds the
# attach by the address it was made at and unmaps its pieces, but not a
# piece mremap moved away, which shmdt() at its own distance then finds.
# IPC_RMID with attaches marks the segment (mode 01000, key private).
shmget(IPC_PRIVATE, 12288, IPC_CREAT|0600) = 0
shmat(0, NULL, 0)
touch 0x7ffff7ff4000 write 0xf5f8
touch 0x7ffff7ff6000 write 0xf9fc
mprotect(0x7ffff7ff5000, 4096, PROT_READ)
shmctl(0, IPC_STAT, 0x1)
fork()
touch 0x7ffff7ff6000 read
shmctl(0, IPC_STAT, 0x1)
mremap(0x7ffff7ff6000, 4096, 4096, MREMAP_MAYMOVE|MREMAP_FIXED, 0x7ffff7e00000)
shmdt(0x7ffff7ff5000)
shmdt(0x7ffff7ff4000)
shmctl(0, IPC_STAT, 0x1)
shmctl(0, IPC_RMID, NULL)
shmctl(0, IPC_STAT, 0x1)
shmget(IPC_PRIVATE, 4096, 0600)
shmdt(0x7ffff7dfe000)
touch 0x7ffff7e00000 read
shmdt(0x7ffff7dfe000)
touch 0x7ffff7e00000 read
shmctl(0, IPC_STAT, 0x1)
