# swapoff brings back what shmem swapped out (try_to_unuse() calls
# shmem_unuse()): the pages return to the file's page cache, not to the
# mapping's page tables, and every value reads back. The model used to
# leave a shmem file's swap entries naming the removed area (found by
# fuzz_ops: its swap counts disagreed after a swapoff).
file /swapfile size=16777216
file /dev/shm/seg size=16384 kind=tmpfs
swapon("/swapfile", 0) = 0
openat(AT_FDCWD, "/dev/shm/seg", O_RDWR) = 3
mmap(0x600000000000, 16384, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x600000000000
touch 0x600000000000 write 0x11
touch 0x600000001000 write 0x22
touch 0x600000002000 write 0x33
madvise(0x600000000000, 8192, MADV_PAGEOUT) = 0
show smaps_rollup
show swaps
swapoff("/swapfile") = 0
show swaps
# Swap is 0; the two pages are in the page cache but not mapped (Rss 4 kB).
show smaps_rollup
touch 0x600000000000 read
touch 0x600000001000 read
touch 0x600000002000 read
