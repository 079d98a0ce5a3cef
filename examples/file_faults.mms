# Page faults on a file mapping: major and minor faults, read-ahead and
# fault-around (mm/filemap.c filemap_fault, mm/readahead.c,
# do_read_fault/do_fault_around in mm/memory.c).
#
# A 1 MiB file on the disk, none of it in the page cache yet. The mapping
# starts at a 2 MiB boundary, so that the 64 KiB blocks fault-around works
# in are 16-page blocks of the file too.
file /data/table size=1048576
openat(AT_FDCWD, "/data/table", O_RDONLY) = 3
mmap(0x7fffe0000000, 1048576, PROT_READ, MAP_SHARED, 3, 0) = 0x7fffe0000000
mincore(0x7fffe0000000, 1048576, [...]) = 0
show faults
#
# Reading page 100 finds nothing in the page cache: a major fault. The
# fault reads around it (mmap read-around: read_ahead_kb = 128 KiB, 32
# pages, 84 to 115) and marks page 108 (PG_readahead) for the next
# window. Fault-around then maps the cached pages of the 16-page block
# around the fault, 96 to 111, but not the marked one: 15 pages, 60 kB.
touch 0x7fffe0064000 read
show faults
mincore(0x7fffe0000000, 1048576, [...]) = 0
show smaps_rollup
#
# Pages of that block are mapped now: touching them takes no fault.
touch 0x7fffe0065000 read
touch 0x7fffe006f000 read
show faults
#
# Page 108 is cached but not mapped: a minor fault. It carries the mark,
# so the fault starts asynchronous read-ahead of the next 32 pages (116 to
# 147, marked at 116) before it maps the page.
touch 0x7fffe006c000 read
show faults
mincore(0x7fffe0000000, 1048576, [...]) = 0
#
# Page 200 is far from anything read: another major fault, another window
# (184 to 215).
touch 0x7fffe00c8000 read
show faults
mincore(0x7fffe0000000, 1048576, [...]) = 0
show smaps_rollup
