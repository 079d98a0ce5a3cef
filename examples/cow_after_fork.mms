# Copy-on-write after fork (kernel/fork.c dup_mmap, mm/memory.c
# copy_page_range and do_wp_page).
#
# fork copies the page tables of private memory, not the pages: both
# processes map the same frames, write-protected, and the pages count as
# shared (Pss is halved). The first write in either process copies the
# page for the writer; the last one left reuses it without a copy.
mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff5000
touch 0x7ffff7ff5000 write 0xf8f8
touch 0x7ffff7ff6000 write 0xf9f9
show pagetable 0x7ffff7ff5000
fork() = 2000
# The parent's PTE lost its write bit (0x2): the next write faults.
show pagetable 0x7ffff7ff5000
show smaps_rollup
# The child writes: do_wp_page finds the page shared and copies it.
pid 2000
touch 0x7ffff7ff5000 write 0xfcfc
show pagetable 0x7ffff7ff5000
touch 0x7ffff7ff5000 read
# The parent still sees its own value; its write finds the page no longer
# shared (one reference left) and reuses it in place: no copy.
pid 1000
touch 0x7ffff7ff5000 read
touch 0x7ffff7ff5000 write 0xf5f5
show pagetable 0x7ffff7ff5000
show smaps_rollup
