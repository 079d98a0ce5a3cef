# shmem MADV_COLLAPSE with shmem_enabled=always: the first block holds
# the large folio a pwrite made, the second the PMD folio a read fault
# made (the collapse only maps them), the last two have nothing cached
# (SCAN_TRUNCATED), so the whole call gives EINVAL.
# oracle-config: uid=0 layout=topdown shmem_enabled=always
memfd_create("x", 0) = 3
ftruncate(3, 8388608) = 0
pwrite64(3, "abcdefgh", 8, 65536) = 8
mmap(0x200000000, 8388608, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED, 3, 0) = 0x200000000
madvise(0x200000000, 2097152, MADV_COLLAPSE) = 0
touch 0x200200000 read
madvise(0x200000000, 8388608, MADV_COLLAPSE) = 0
