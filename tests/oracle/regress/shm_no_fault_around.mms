# A System V shm attach faults page by page: shm_vm_ops has no
# ->map_pages, so neither fault-around nor the mlock population maps the
# neighbouring pages of the segment (3 minor faults for a 3-page attach
# populated by mlockall(MCL_FUTURE); a forked child reading one page maps
# only that one, so the parent's other pages stay unshared in Pss). Found
# by the oracle (seed 71, sequences 103 and 166).
mlockall(MCL_FUTURE) = 0
shmget(IPC_PRIVATE, 12288, 0) = 0
shmat(0, NULL, 0)
shmat(0, NULL, 0)
munlockall() = 0
shmget(IPC_PRIVATE, 8529, 0) = 1
shmat(1, NULL, 0)
touch 0x7ffff7fee000 write 0xf5
touch 0x7ffff7fef000 write 0xf8
fork() = 1
2 touch 0x7ffff7fee000 read
2 touch 0x7ffff7ff1000 read
2 exit
