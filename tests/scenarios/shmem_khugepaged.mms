# khugepaged and MADV_COLLAPSE for shmem (mm/khugepaged.c
# hpage_collapse_scan_file, collapse_file, retract_page_tables): with
# shmem_enabled=advise a memfd's faults make small folios until the VMA
# is MADV_HUGEPAGE. That alone does not put the mm on khugepaged's list:
# khugepaged_enter_vma() asks shmem with the VMA's flags before
# VM_HUGEPAGE is set. An anonymous MADV_HUGEPAGE region does.
set mm.transparent_hugepage.shmem_enabled=advise
memfd_create("shm", 0) = 3
ftruncate(3, 8388608) = 0
mmap(NULL, 8388608, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x7ffff7600000
touch 0x7ffff7600000 write 0x1
touch 0x7ffff7605000 write 0x2
touch 0x7ffff7801000 write 0x3
madvise(0x7ffff7600000, 8388608, MADV_HUGEPAGE) = 0
mmap(0x200000000, 2097152, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x200000000
madvise(0x200000000, 2097152, MADV_HUGEPAGE) = 0
show smaps_rollup

# khugepaged wakes after 10 s: both blocks with pages (at most 511 holes,
# max_ptes_none) become PMD folios in the page cache (thp_collapse_alloc
# 2, ShmemHugePages 4096 kB); the page tables that mapped the old pages
# are retracted, so nothing is mapped until the next fault. (Each later
# pass counts those blocks in pages_collapsed again: a PMD folio found in
# the page cache counts as collapsed.)
sleep 10001
show /sys/kernel/mm/transparent_hugepage/khugepaged/pages_collapsed
show smaps_rollup

# A read faults the block back with a PMD (ShmemPmdMapped 2048 kB).
touch 0x7ffff7600000 read
show smaps_rollup

# MADV_COLLAPSE of the other block finds khugepaged's folio and maps it
# with a PMD at once; a block with nothing cached cannot be collapsed
# (SCAN_TRUNCATED: EINVAL for the call).
madvise(0x7ffff7800000, 2097152, MADV_COLLAPSE) = 0
madvise(0x7ffff7600000, 8388608, MADV_COLLAPSE) = -1 EINVAL (Invalid argument)
show smaps_rollup
show meminfo
