# khugepaged on the simulated clock (mm/khugepaged.c): MADV_HUGEPAGE puts
# the mm on khugepaged's list; the thread wakes every scan_sleep_millisecs
# (10 s) and collapses, 4096 pages' worth (pages_to_scan) per wake-up,
# each PMD with at most max_ptes_none (511) empty entries, a writable entry
# and a referenced page. The same steps on the live kernel (a program that
# sleeps 30 s) collapse the same two PMDs and leave the one that maps only
# the zero page.
mmap(NULL, 8388608, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7600000
touch 0x7ffff7600000 write 0x1
touch 0x7ffff7801000 write 0x2
touch 0x7ffff7a00000 read
madvise(0x7ffff7600000, 8388608, MADV_HUGEPAGE) = 0
show smaps_rollup
# Nothing happens before the first wake-up ...
sleep 9999
show smaps_rollup
# ... at 10 s it collapses the two written PMDs (the data stays).
sleep 1
show smaps_rollup
touch 0x7ffff7801000 read
touch 0x7ffff7600000 read
# khugepaged's limits: with max_ptes_none 0 a PMD must be full. The write
# below replaces the zero page in the third PMD (a 4 KiB page: the PMD has
# a page table); the next passes find 511 empty entries and leave it
# (thp_scan_exceed_none_pte).
set mm.transparent_hugepage.khugepaged.max_ptes_none=0
touch 0x7ffff7a00008 write 0x3
sleep 20000
show smaps_rollup
