# run: --explain --json --ram=1G
# The results as NDJSON, with the narration of hugetlb faults, khugepaged and the flusher:
# key=value words become fields (idx, pfn, max_ptes_none, nr_dirty ...).
# The 4 KiB page written before MADV_HUGEPAGE is collapsed by khugepaged
# at 10 s; the file's pages expire and are written back at 1 s.
set vm.nr_hugepages=1
mmap(0x600000000, 2097152, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|MAP_HUGETLB, -1, 0) = 0x600000000
touch 0x600000000 write
mmap(0x7f0000000000, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7f0000000000
touch 0x7f0000000000 write
madvise(0x7f0000000000, 4194304, MADV_HUGEPAGE) = 0
set vm.dirty_expire_centisecs=100
set vm.dirty_writeback_centisecs=100
file /data/f size=0
openat(AT_FDCWD, "/data/f", O_WRONLY) = 3
write(3, ""..., 8192) = 8192
sleep 10000
