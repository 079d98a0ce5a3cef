# A hugetlbfs mount with size= and min_size= (strace's mount line): the
# subpool reserves min_size's pages at mount (HugePages_Rsvd 2), limits
# what mmap may reserve (ENOMEM past size=) and what MAP_NORESERVE faults
# may take (SIGBUS past size=); statfs shows its blocks. Every result and
# figure here was checked against Linux 6.18 by
# tests/oracle/hugetlbfs_mount_check.c.
set vm.nr_hugepages=8
mount("none", "/mnt/huge", "hugetlbfs", 0, "pagesize=2M,size=8M,min_size=4M") = 0
show /sys/kernel/mm/hugepages/hugepages-2048kB/resv_hugepages
show statfs /mnt/huge
openat(AT_FDCWD, "/mnt/huge/buf", O_RDWR|O_CREAT, 0600) = 3
ftruncate(3, 16777216) = 0
mmap(NULL, 16777216, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = -1 ENOMEM (Cannot allocate memory)
mmap(NULL, 8388608, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x7ffff7600000
show /sys/kernel/mm/hugepages/hugepages-2048kB/resv_hugepages
show statfs /mnt/huge
touch 0x7ffff7600000 write 0x42
umount2("/mnt/huge", 0) = -1 EBUSY (Device or resource busy)
munmap(0x7ffff7600000, 8388608) = 0
ftruncate(3, 2097152) = 0
show statfs /mnt/huge
close(3) = 0
umount2("/mnt/huge", 0) = 0
show /sys/kernel/mm/hugepages/hugepages-2048kB/resv_hugepages
# size= alone, a MAP_NORESERVE mapping: the third page is past the mount
mount("none", "/mnt/huge", "hugetlbfs", 0, "size=4M") = 0
openat(AT_FDCWD, "/mnt/huge/nr", O_RDWR|O_CREAT, 0600) = 3
ftruncate(3, 8388608) = 0
mmap(NULL, 8388608, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_NORESERVE, 3, 0) = 0x7ffff7600000
touch 0x7ffff7600000 write
touch 0x7ffff7800000 write
touch 0x7ffff7a00000 write
expect signal SIGBUS BUS_ADRERR
show statfs /mnt/huge
# the kernel's errno for bad options
mount("none", "/mnt/h2", "hugetlbfs", 0, "size=4M,min_size=8M") = -1 EINVAL (Invalid argument)
mount("none", "/mnt/h2", "hugetlbfs", 0, "min_size=100M") = -1 ENOMEM (Cannot allocate memory)
mount("none", "/mnt/h2", "hugetlbfs", 0, "pagesize=4M") = -1 EINVAL (Invalid argument)
mount("none", "/mnt/h2", "hugetlbfs", MS_NOSUID|MS_NODEV, "nr_inodes=2,size=50%") = 0
show statfs /mnt/h2
statfs("/mnt/h2", {f_type=HUGETLBFS_MAGIC, f_bsize=2097152, f_blocks=4, f_bfree=4, f_bavail=4, f_files=2, f_ffree=1, f_fsid={val=[0x28, 0]}, f_namelen=255, f_frsize=2097152, f_flags=ST_VALID|ST_NOSUID|ST_NODEV|ST_RELATIME}) = 0
statfs("/", 0x7ffee35efe10) = 0
openat(AT_FDCWD, "/mnt/h2/a", O_RDWR|O_CREAT, 0600) = 4
openat(AT_FDCWD, "/mnt/h2/b", O_RDWR|O_CREAT, 0600) = -1 ENOSPC (No space left on device)
# a private mapping filling a size=4M mount: a forked child's COW write
# has no page left in the subpool (SIGBUS); with room it gets one
mount("none", "/mnt/cow", "hugetlbfs", 0, "size=4M") = 0
openat(AT_FDCWD, "/mnt/cow/p", O_RDWR|O_CREAT, 0600) = 5
mmap(NULL, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE, 5, 0) = 0x7ffff7200000
touch 0x7ffff7200000 write 0x1
fork() = 2000
pid 2000
touch 0x7ffff7200000 write 0x2
expect signal SIGBUS BUS_ADRERR
exit
pid 1000
munmap(0x7ffff7200000, 4194304) = 0
mmap(NULL, 2097152, PROT_READ|PROT_WRITE, MAP_PRIVATE, 5, 0) = 0x7ffff7400000
touch 0x7ffff7400000 write 0x1
fork() = 2001
pid 2001
touch 0x7ffff7400000 write 0x2
expect signal none
show statfs /mnt/cow
