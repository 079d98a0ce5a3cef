# Explain mode on khugepaged (mm/khugepaged.c): MADV_HUGEPAGE puts the mm
# on khugepaged's list; the thread wakes every scan_sleep_millisecs (10 s
# of the simulated clock, which `sleep MS` advances) and scans each PMD of
# the VMAs that may have THPs: hpage_collapse_scan_pmd decides whether
# its 512 PTEs are worth a collapse (max_ptes_none, max_ptes_swap,
# max_ptes_shared, a writable entry, a referenced page), and
# collapse_huge_page copies them into one PMD-mapped THP.
# 8 MiB, 4 PMDs: the first has one written page, the second a read of
# the zero page only, the third two pages shared with a child after
# fork, the fourth is never touched.
mmap(0x7f0000000000, 8388608, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7f0000000000
touch 0x7f0000000000 write 0x1
touch 0x7f0000200000 read
touch 0x7f0000400000 write 0x3
touch 0x7f0000401000 write 0x4
madvise(0x7f0000000000, 8388608, MADV_HUGEPAGE) = 0
# max_ptes_shared is 256: with 0, one page shared with the child is too many.
set mm.transparent_hugepage.khugepaged.max_ptes_shared=0
fork() = 2000
# the child's write copies its page of the first PMD: the parent's is its
# own again, but fork left its PTE read-only until the parent writes
# (do_wp_page reuses the page); without that write the scan would say
# SCAN_PAGE_RO
pid 2000
touch 0x7f0000000000 write 0x5
pid 1000
touch 0x7f0000000000 write 0x6
explain on
sleep 10000
explain off
show smaps_rollup
# (the parent's AnonHugePages: the first PMD only). The child was put on
# khugepaged's list by fork (khugepaged_fork) and its first PMD, its own
# copy, collapses too; oracle/khugepaged checks both on the live kernel.
