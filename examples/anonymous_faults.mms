# Anonymous memory and its page faults (mm/memory.c do_anonymous_page).
#
# mmap only creates a VMA: no page, no page table. The first access to
# each page faults; a read maps the shared zero page (not counted in Rss),
# a write allocates a zeroed page of its own. Watch the page table grow
# level by level (`show pagetable` prints what dump_pagetable() would) and
# the counters move.
mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff3000
show pagetable 0x7ffff7ff3000
# A read fault: the PTE points at the zero page (read-only, "special").
touch 0x7ffff7ff3000 read
show pagetable 0x7ffff7ff3000
# Writing there now is a write-protect fault: do_wp_page -> wp_page_copy
# gives the page a fresh zeroed frame of its own.
touch 0x7ffff7ff3000 write 0xf8f8
show pagetable 0x7ffff7ff3000
# A write to an untouched page allocates directly (one fault, not two).
touch 0x7ffff7ff4000 write 0xf5f5
show smaps_rollup
show status
# MADV_DONTNEED drops the pages: the next read finds zeroes again.
madvise(0x7ffff7ff3000, 16384, MADV_DONTNEED) = 0
touch 0x7ffff7ff3000 read
show smaps_rollup
