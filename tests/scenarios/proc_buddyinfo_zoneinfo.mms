# show buddyinfo and show zoneinfo: the page allocator's free lists and
# zones. A 16 GiB machine holds almost all of its memory in order-10
# blocks; the smaller ones are the edges of the e820 ranges and of the
# memory boot reserved, and the blocks split for the pages taken so far
# (the zero page, the process's page tables and the page written here).
# zoneinfo's per-node stats follow the first populated zone (DMA).
mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff3000
touch 0x7ffff7ff3000 write
show buddyinfo
show zoneinfo
