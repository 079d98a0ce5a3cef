# Explain mode on collapses other than khugepaged's anonymous scan
# (examples/explain_khugepaged): MADV_COLLAPSE, which scans without
# khugepaged's max_ptes_* limits, and khugepaged on shmem, which
# collapses through the page cache (hpage_collapse_scan_file,
# collapse_file, retract_page_tables).
# MADV_COLLAPSE of 4 MiB anonymous: one page written in the first PMD (a
# collapse although 511 entries are empty), nothing in the second.
mmap(0x200000000, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x200000000
touch 0x200000000 write 0x1
explain on
madvise(0x200000000, 4194304, MADV_COLLAPSE) = -1 EINVAL (Invalid argument)
explain off
# shmem: a memfd with two pages in its first 2 MiB, none in the next.
set mm.transparent_hugepage.shmem_enabled=advise
memfd_create("shm", 0) = 3
ftruncate(3, 4194304) = 0
mmap(0x300000000, 4194304, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x300000000
touch 0x300000000 write 0x1
touch 0x300005000 write 0x2
madvise(0x300000000, 4194304, MADV_HUGEPAGE) = 0
# (MADV_HUGEPAGE on the shmem VMA alone does not put the mm on
# khugepaged's list; on the anonymous one it does)
madvise(0x200000000, 4194304, MADV_HUGEPAGE) = 0
explain on
sleep 10000
explain off
show smaps_rollup
