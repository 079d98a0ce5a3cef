# fork: the child shares the parent's anonymous pages copy-on-write; a
# write in the child copies the page (do_wp_page -> wp_page_copy).
mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff5000
touch 0x7ffff7ff5000 write 0x1111
touch 0x7ffff7ff6000 read
fork() = 2000
pid 2000
show smaps_rollup
touch 0x7ffff7ff5000 write 0x2222
show smaps_rollup
