# SHM_HUGETLB|SHM_NORESERVE: nothing is reserved at shmget, and nothing at
# shmat either (hugetlbfs_file_mmap() treats the S_PRIVATE shm inode as
# VM_NORESERVE: a shm segment reserves at shmget or never); a touch takes
# an unreserved page. Found by the oracle (--hugetlb --seed 3, sequence
# 57): the model reserved at shmat as for a hugetlbfs file.
shmget(0xffffffff, 4096, IPC_CREAT|SHM_HUGETLB|SHM_NORESERVE|SHM_HUGE_2MB) = 0
shmat(0, NULL, 0)
shmat(0, NULL, SHM_RDONLY)
touch 0x7ffff7c00000 write 0xf5
touch 0x7ffff7a00000 read
shmget(IPC_PRIVATE, 4194304, IPC_CREAT|SHM_HUGETLB|0600) = 1
shmat(1, NULL, 0)
shmdt(0x7ffff7c00000)
shmctl(0, IPC_RMID, NULL)
shmdt(0x7ffff7a00000)
