# Explain mode on fork's copy-on-write and on a swap-in (mm/memory.c
# do_wp_page, kernel/fork.c copy_page_range, mm/swap_state.c
# do_swap_page).
file /swapfile size=16777216
swapon("/swapfile", 0) = 0
mmap(0x600000000000, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = 0x600000000000
touch 0x600000000000 write 1
touch 0x600000001000 write 2
explain on
# fork: both writable pages are write-protected in parent and child.
fork() = 1001
# The child's write: the page is shared (mapcount 2): copied.
pid 1001
touch 0x600000000000 write 3
# The parent's write: the child has its own copy now, so the parent is
# the page's only user and reuses it in place (no copy).
pid 1000
touch 0x600000000000 write 4
# Pageout of the parent's first page (its own now; MADV_PAGEOUT leaves
# pages still shared with the child alone): its PTE becomes a swap entry.
madvise(0x600000000000, 4096, MADV_PAGEOUT) = 0
# The swap-in: the written folio is still in the swap cache: minor.
touch 0x600000000000 read
explain off
show faults
