# hugetlbfs read(): a hugetlb memfd reads back what its shared mapping
# wrote (hugetlbfs_read_iter copies from the huge pages of the page
# cache), a hole reads as zeroes without allocating a page (the pool's
# counts stay), reads stop at i_size, across a huge page boundary they
# go on in the next page; write() is refused (no ->write_iter).
memfd_create("hr", MFD_HUGETLB)
ftruncate(3, 6291456)
mmap(NULL, 6291456, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0)
touch 0x7ffff7800000 write 0xf5f8f9fc
touch 0x7ffff79ffff8 write 0xfcf9
touch 0x7ffff7a00000 write 0xf8f8
pread64(3, "", 16, 0)
pread64(3, "", 16, 2097144)
pread64(3, "", 32, 4194296)
pread64(3, "", 64, 6291440)
pread64(3, "", 16, 6291456)
read(3, "", 24)
read(3, "", 8)
write(3, "ab", 2)
pwrite64(3, "ab", 2, 0)
ftruncate(3, 2097152)
pread64(3, "", 16, 2097144)
close(3)
munmap(0x7ffff7800000, 6291456)
