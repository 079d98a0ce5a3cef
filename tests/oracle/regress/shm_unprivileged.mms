# System V shared memory as nobody (uid and gid 65534, no capabilities):
# SHM_HUGETLB needs vm.hugetlb_shm_group or CAP_IPC_LOCK (an RLIMIT_MEMLOCK
# large enough no longer admits it: EPERM); the segment belongs to the
# caller; mode 0400 refuses a read-write attach (EACCES) but not a
# read-only one; IPC_SET by the creator may give it away and the creator
# keeps the right to remove it; SHM_LOCK charges the segment's size to
# RLIMIT_MEMLOCK (ENOMEM past it).
# oracle-config: uid=65534 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=65536:65536 RLIMIT_AS=inf:inf
shmget(IPC_PRIVATE, 4096, IPC_CREAT|SHM_HUGETLB|0600)
shmget(IPC_PRIVATE, 8192, IPC_CREAT|0400) = 0
shmat(0, NULL, 0)
shmat(0, NULL, SHM_RDONLY)
shmctl(0, IPC_STAT, 0x1)
shmctl(0, SHM_LOCK, NULL)
shmctl(0, IPC_STAT, 0x1)
shmget(IPC_PRIVATE, 131072, IPC_CREAT|0600) = 1
shmctl(1, SHM_LOCK, NULL)
shmctl(0, SHM_UNLOCK, NULL)
shmctl(1, SHM_LOCK, NULL)
shmctl(0, IPC_SET, {shm_perm={uid=0, gid=0, mode=0644}})
shmctl(0, IPC_STAT, 0x1)
shmat(0, NULL, 0)
shmctl(0, SHM_LOCK, NULL)
shmctl(0, IPC_RMID, NULL)
shmctl(1, IPC_RMID, NULL)
