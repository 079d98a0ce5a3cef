# A file on a hugetlbfs mount (kind=hugetlbfs, as /dev/hugepages/...):
# ftruncate by whole huge pages only, a shared mapping reserves the pool's
# pages, the page stays in the file after munmap and close (free 3 of 4).
set vm.nr_hugepages=4
file /dev/hugepages/buf size=0 dev=00:2d ino=1234 kind=hugetlbfs
openat(AT_FDCWD, "/dev/hugepages/buf", O_RDWR) = 3
ftruncate(3, 4096) = -1 EINVAL (Invalid argument)
ftruncate(3, 4194304) = 0
mmap(NULL, 4194304, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0)
show /sys/kernel/mm/hugepages/hugepages-2048kB/resv_hugepages
touch 0x7ffff7c00000 write 0x42
show maps
close(3) = 0
munmap(0x7ffff7c00000, 4194304) = 0
show /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages
