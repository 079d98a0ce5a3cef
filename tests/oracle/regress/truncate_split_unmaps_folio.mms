# ftruncate into a large page-cache folio (ext4 read-ahead made it)
# splits it; __folio_split() unmaps the whole folio first and file pages
# are not mapped again, so the pages below the new EOF leave Rss too.
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
# oracle-file: /tmp/mmsim-regress-truncate_split_unmaps_folio/file2 65536 fill=15-16:0x831e7c9cee8d637b
openat(AT_FDCWD, "/tmp/mmsim-regress-truncate_split_unmaps_folio/file2", O_RDWR) = 3
read(3, ""..., 3) = 3
mmap(0x7ffff7fa5000, 61440, PROT_READ, MAP_SHARED|MAP_POPULATE, 3, 0) = 0x7ffff7fa5000
1     ftruncate(3, 36864) = 0
