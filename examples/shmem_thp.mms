# Huge pages in shared memory: a shmem THP mapped by a PMD (mm/shmem.c
# shmem_get_folio, mm/memory.c do_set_pmd), as Linux 6.18 does it with
# /sys/kernel/mm/transparent_hugepage/shmem_enabled set to "always".
#
# The reference machine ships with shmem_enabled=never; writing "always"
# also sets huge=always on the kernel's internal tmpfs mount (shm_mnt),
# which holds memfd files and shared anonymous memory. Files on /dev/shm
# follow that mount's own huge= option instead (knob tmpfs.huge, "never").
set mm.transparent_hugepage.shmem_enabled=always
show /sys/kernel/mm/transparent_hugepage/shmem_enabled

# A 4 MiB memfd. mmap places it on a 2 MiB boundary
# (shmem_get_unmapped_area), so each 2 MiB of the file can be one PMD.
memfd_create("shm", 0) = 3
ftruncate(3, 4194304) = 0
mmap(NULL, 4194304, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x7ffff7a00000

# The first read: shmem allocates an order-9 folio for the whole 2 MiB
# (thp_file_alloc) and finish_fault maps it with a PMD leaf
# (thp_file_mapped): the walk stops at the PMD, PSE (0x80) set. The leaf
# is writable from the start (a shared shmem mapping has no write-notify)
# but clean: the CPU sets its dirty bit on the first write.
touch 0x7ffff7a00000 read
show pagetable 0x7ffff7a00000

# smaps: 2 MiB resident, all of it ShmemPmdMapped.
# meminfo: ShmemHugePages and ShmemPmdMapped 2048 kB, Shmem 2048 kB.
show smaps_rollup
show meminfo

# A write in the second 2 MiB: a second huge folio, a second leaf.
touch 0x7ffff7c00008 write 0xf8
show pagetable 0x7ffff7c00000

# Unmapping one 4 KiB page splits the first leaf. A page-cache leaf has no
# page table deposited for it: splitting it just zaps it (thp_split_pmd),
# and the pages fault back in with PTEs. The folio stays whole in the
# page cache (ShmemHugePages still 4096 kB).
munmap(0x7ffff7a05000, 4096) = 0
show pagetable 0x7ffff7a00000
# A read there maps the 16 pages of the fault-around window with PTEs.
touch 0x7ffff7a07000 read
show pagetable 0x7ffff7a07000
show smaps_rollup

# Truncating to 1 MiB + 100 bytes splits the first folio (thp_split_page,
# a non-uniform split that keeps the first 257 pages) and drops the rest;
# the second folio goes whole. Splitting a page-cache folio unmaps it
# everywhere: Rss drops to 0, Shmem to 1028 kB.
ftruncate(3, 1048676) = 0
show smaps_rollup
show vmstat
