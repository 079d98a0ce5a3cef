# The LRU lists and the CPU's folio batches (mm/swap.c, mm/mlock.c).
#
# Reclaim picks its victims from five per-node lists: inactive and active
# anonymous, inactive and active file, and unevictable. A folio does not
# join a list at once: it waits in one of the CPU's batches of 31 folios
# (lru_add for new folios, lru_activate, lru_deactivate, lru_lazyfree, the
# mlock batch, ...), which move together when the batch fills, when a
# large folio arrives, or when the kernel calls lru_add_drain(). Every
# step below was checked against the LRU and active flags of
# /proc/kpageflags on the live kernel (the first one only on a quiet CPU:
# every task running there shares its batches), and the list sizes
# against a memory cgroup (tests/oracle/meminfo_check.c).
mmap(NULL, 163840, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7fcf000
madvise(0x7ffff7fcf000, 163840, MADV_NOHUGEPAGE) = 0
# 40 new anonymous pages: the first 31 fill the lru_add batch, which then
# moves them to the inactive anon list; 9 still wait.
touch 0x7ffff7fcf000 write 0xf8
touch 0x7ffff7fd0000 write 0xf8
touch 0x7ffff7fd1000 write 0xf8
touch 0x7ffff7fd2000 write 0xf8
touch 0x7ffff7fd3000 write 0xf8
touch 0x7ffff7fd4000 write 0xf8
touch 0x7ffff7fd5000 write 0xf8
touch 0x7ffff7fd6000 write 0xf8
touch 0x7ffff7fd7000 write 0xf8
touch 0x7ffff7fd8000 write 0xf8
touch 0x7ffff7fd9000 write 0xf8
touch 0x7ffff7fda000 write 0xf8
touch 0x7ffff7fdb000 write 0xf8
touch 0x7ffff7fdc000 write 0xf8
touch 0x7ffff7fdd000 write 0xf8
touch 0x7ffff7fde000 write 0xf8
touch 0x7ffff7fdf000 write 0xf8
touch 0x7ffff7fe0000 write 0xf8
touch 0x7ffff7fe1000 write 0xf8
touch 0x7ffff7fe2000 write 0xf8
touch 0x7ffff7fe3000 write 0xf8
touch 0x7ffff7fe4000 write 0xf8
touch 0x7ffff7fe5000 write 0xf8
touch 0x7ffff7fe6000 write 0xf8
touch 0x7ffff7fe7000 write 0xf8
touch 0x7ffff7fe8000 write 0xf8
touch 0x7ffff7fe9000 write 0xf8
touch 0x7ffff7fea000 write 0xf8
touch 0x7ffff7feb000 write 0xf8
touch 0x7ffff7fec000 write 0xf8
touch 0x7ffff7fed000 write 0xf8
touch 0x7ffff7fee000 write 0xf8
touch 0x7ffff7fef000 write 0xf8
touch 0x7ffff7ff0000 write 0xf8
touch 0x7ffff7ff1000 write 0xf8
touch 0x7ffff7ff2000 write 0xf8
touch 0x7ffff7ff3000 write 0xf8
touch 0x7ffff7ff4000 write 0xf8
touch 0x7ffff7ff5000 write 0xf8
touch 0x7ffff7ff6000 write 0xf8
show lru
# MADV_COLD starts with lru_add_drain(): all 40 are on the list now.
madvise(0x7ffff7fcf000, 4096, MADV_COLD) = 0
show lru
# Two touches by get_user_pages (MADV_POPULATE_READ) on 2 pages: the first
# sets PG_referenced, the second queues the folios on the lru_activate
# batch; population ends with the batches drained, so they are active.
madvise(0x7ffff7fd0000, 8192, MADV_POPULATE_READ) = 0
madvise(0x7ffff7fd0000, 8192, MADV_POPULATE_READ) = 0
show lru
# mlock drains before and after its walk: the 3 locked pages are
# unevictable when it returns.
mlock(0x7ffff7fd2000, 12288) = 0
show lru
show meminfo
# MADV_PAGEOUT without swap cannot reclaim anonymous pages: it takes them
# off their list and puts them back active, through the lru_add batch.
madvise(0x7ffff7fd5000, 16384, MADV_PAGEOUT) = 0
show lru
munlock(0x7ffff7fd2000, 12288) = 0
show lru
