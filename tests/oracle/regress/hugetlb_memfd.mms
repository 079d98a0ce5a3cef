# hugetlb: a memfd on hugetlbfs (MFD_HUGETLB): ftruncate by whole pages,
# shared and private mappings of the same page (the private one copies on
# write), fallocate allocating and punching (which unmaps private copies
# too), truncation making later faults SIGBUS.
memfd_create("hp", MFD_HUGETLB)
ftruncate(3, 4096)
ftruncate(3, 6291456)
mmap(NULL, 6291456, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0)
mmap(NULL, 6291456, PROT_READ|PROT_WRITE, MAP_PRIVATE, 3, 0)
touch 0x7ffff7800000 write 0xf5
touch 0x7ffff7200000 read
touch 0x7ffff7200000 write 0xf8
touch 0x7ffff7800000 read
touch 0x7ffff7400000 write 0xf9
touch 0x7ffff7a00000 read
fallocate(3, FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE, 0, 2097152)
touch 0x7ffff7800000 read
touch 0x7ffff7200000 read
fallocate(3, 0, 0, 6291456)
ftruncate(3, 2097152)
touch 0x7ffff7400000 read
touch 0x7ffff7a00000 read
close(3)
munmap(0x7ffff7800000, 6291456)
munmap(0x7ffff7200000, 6291456)
