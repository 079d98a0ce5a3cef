# hugetlb: reservations at mmap (ENOMEM when the pool cannot hold them),
# MAP_NORESERVE faults that find no free page raise SIGBUS.
mmap(NULL, 20971520, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0)
mmap(NULL, 20971520, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|MAP_NORESERVE, -1, 0)
mmap(NULL, 12582912, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0)
touch 0x7ffff5600000 write 0xf5
touch 0x7ffff5800000 write 0xf5
touch 0x7ffff5a00000 read
touch 0x7ffff5c00000 read
touch 0x7ffff5e00000 write 0xf9
touch 0x7ffff6000000 write 0xf9
touch 0x7ffff6200000 write 0xf9
touch 0x7ffff6400000 write 0xf9
touch 0x7ffff6600000 write 0xf9
touch 0x7ffff6800000 write 0xf9
touch 0x7ffff6a00000 write 0xf9
mmap(NULL, 8388608, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0)
munmap(0x7ffff5600000, 4194304)
mmap(NULL, 8388608, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0)
touch 0x7ffff5600000 write 0xf5
