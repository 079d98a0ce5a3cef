# mlock of a shared file mapping whose page cache comes in large folios
# (read-ahead ramps up the order): as Linux 6.18's __folio_add_file_rmap(),
# a folio whose every page one call maps is mlocked, large or not, and
# goes to the unevictable list. Found by oracle/reclaim's cgroup figures
# (the live kernel: all 8 MiB unevictable; the model had 32 pages). The
# first folio is mapped by two fault-around calls and stays evictable here
# (docs/divergences.md, "mlock of large page-cache folios").
file /data/small size=8388608
spawn reader
openat(AT_FDCWD, "/data/small", O_RDONLY) = 3
mmap(NULL, 8388608, PROT_READ, MAP_SHARED, 3, 0) = 0x7ffff7600000
mlock(0x7ffff7600000, 8388608) = 0
show lru
