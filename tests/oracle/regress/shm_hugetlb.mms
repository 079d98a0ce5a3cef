# SHM_HUGETLB: the segment is a hugetlbfs file on the internal mount
# (00:11), its size rounded up to 2 MiB pages, every page reserved at
# shmget (HugePages_Rsvd) and consumed by the first touch; an unaligned
# address is refused even with SHM_RND (SHMLBA is 4 KiB), an mprotect
# inside a huge page too; /proc/sysvipc/shm's rss counts a huge page 512
# times (pages_per_huge_page() times a base-page nrpages). IPC_RMID while
# attached keeps the pages until the last detach.
shmget(0x1234, 3145728, IPC_CREAT|SHM_HUGETLB|0600) = 0
shmat(0, NULL, 0)
touch 0x7ffff7a00000 write 0xf5
shmat(0, 0x7fffd0100000, 0)
shmat(0, 0x7fffd0100000, SHM_RND)
shmat(0, 0x7fffd0200000, SHM_RDONLY)
touch 0x7fffd0200000 read
touch 0x7fffd0400000 read
mprotect(0x7ffff7a01000, 4096, PROT_READ)
mprotect(0x7ffff7c00000, 2097152, PROT_READ)
shmctl(0, IPC_STAT, 0x1)
shmctl(0, SHM_LOCK, NULL)
shmctl(0, IPC_STAT, 0x1)
shmget(IPC_PRIVATE, 4194304, IPC_CREAT|SHM_HUGETLB|SHM_HUGE_2MB|0600)
shmget(IPC_PRIVATE, 4194304, IPC_CREAT|SHM_HUGETLB|SHM_NORESERVE|0600)
shmat(2, NULL, 0)
touch 0x7ffff7600000 write 0xf8
shmget(IPC_PRIVATE, 33554432, IPC_CREAT|SHM_HUGETLB|0600)
shmget(IPC_PRIVATE, 2097152, IPC_CREAT|SHM_HUGETLB|0x58000000|0600)
shmctl(0, IPC_RMID, NULL)
shmdt(0x7ffff7a00000)
shmctl(0, IPC_STAT, 0x1)
shmdt(0x7fffd0200000)
shmctl(0, IPC_STAT, 0x1)
