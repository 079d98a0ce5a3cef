# System V shared memory (ipc/shm.c), as the live kernel does it.
#
# A segment is an unlinked file: on the internal tmpfs mount (00:01) for
# an ordinary segment, on the hugetlbfs mount (00:11) with SHM_HUGETLB.
# maps names it /SYSV<key in hex> (deleted) and shows the shmid as its
# inode number.
shmget(0x1234, 10000, IPC_CREAT|0600) = 0
shmat(0, NULL, 0)
touch 0x7ffff7ff4000 write 0xf8
show maps
#
# shm_nattch counts VMAs, not attaches: an mprotect that splits the attach
# makes two, and fork copies each (the child's exit gives them back).
mprotect(0x7ffff7ff5000, 4096, PROT_READ)
shmctl(0, IPC_STAT, {...})
fork() = 2000
shmctl(0, IPC_STAT, {...})
pid 2000
exit
pid 1000
#
# /proc/sysvipc/shm: rss counts the pages the segment has (one touched).
show /proc/sysvipc/shm
#
# IPC_RMID while attached only marks the segment (mode 01000, key 0: no
# shmget finds it); shmdt at the attach address unmaps its pieces, and
# the last detach destroys it.
shmctl(0, IPC_RMID, NULL)
shmget(0x1234, 0, 0)
shmdt(0x7ffff7ff4000)
shmctl(0, IPC_STAT, {...})
#
# SHM_HUGETLB: 3 MiB rounds up to two 2 MiB pages, reserved at shmget
# (HugePages_Rsvd), consumed by the first touch. Ids go on from the last
# index (1), not back to a free one.
set vm.nr_hugepages=4
shmget(IPC_PRIVATE, 3145728, IPC_CREAT|SHM_HUGETLB|0600) = 1
show /sys/kernel/mm/hugepages/hugepages-2048kB/resv_hugepages
shmat(1, NULL, 0)
touch 0x7ffff7a00000 write 0xf9
show /sys/kernel/mm/hugepages/hugepages-2048kB/resv_hugepages
show /proc/sysvipc/shm
shmctl(1, IPC_RMID, NULL)
shmdt(0x7ffff7a00000)
show /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages
