# The THP shrinkers, run by drop_caches=2 (drop_slab()): a 4 KiB write to
# a tmpfs file with huge=always gets a 2 MiB folio whose 511 pages past
# EOF shmem_unused_huge_shrink() frees; anonymous THPs partly unmapped
# (munmap, MADV_DONTNEED) wait on the deferred split queue until
# deferred_split_scan() splits them, freeing the unmapped halves and
# mapping the zero-filled pages of the last one to the zero page.
# tests/oracle/shrinker_check.c checks the same steps on Linux 6.18
# (pages cached, smaps Rss/AnonHugePages, thp_split_page: 0 differences).
set tmpfs.huge=always
file /tmp/sh/f size=0 kind=tmpfs
openat(AT_FDCWD, "/tmp/sh/f", O_RDWR) = 3
write(3, "\x5a\x5a\x5a\x5a", 4096) = 4096
mmap(0x600000000000, 8388608, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = 0x600000000000
madvise(0x600000000000, 8388608, MADV_HUGEPAGE) = 0
touch 0x600000000000 write
touch 0x600000200000 write
touch 0x600000400000 write
touch 0x600000600000 write
munmap(0x600000100000, 1048576) = 0
madvise(0x600000500000, 1048576, MADV_DONTNEED) = 0
show /sys/kernel/mm/transparent_hugepage/hugepages-2048kB/stats/nr_anon_partially_mapped
show smaps_rollup
set vm.drop_caches=2
show smaps_rollup
show /sys/kernel/mm/transparent_hugepage/hugepages-2048kB/stats/nr_anon_partially_mapped
show /sys/kernel/mm/transparent_hugepage/hugepages-2048kB/stats/split
show /proc/sys/vm/drop_caches
mmap(NULL, 2097152, PROT_READ, MAP_SHARED, 3, 0) = 0x7ffff7c00000
mincore(0x7ffff7c00000, 2097152, [1, 0, ...]) = 0
