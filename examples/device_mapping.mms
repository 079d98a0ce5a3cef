# A driver's memory region, as in the seed's `pmap -XX` dump: /dev/mcas is
# a character device whose mmap calls remap_pfn_range(). The VMA is
# VM_IO|VM_PFNMAP|VM_DONTEXPAND|VM_DONTDUMP ("pf io de dd"), its
# page-table entries are filled at mmap time with the device's frames and
# no struct page behind them (Rss 0, pagemap present but not file), and it
# never merges with a neighbour.
file /dev/mcas size=0 dev=00:06 ino=338 kind=device
openat(AT_FDCWD, "/dev/mcas", O_RDWR) = 3
mmap(0x700000000, 1003520, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED, 3, 0x2738200000) = 0x700000000
mmap(0x7000f5000, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED, 3, 0x27382f5000) = 0x7000f5000
show maps
show smaps
touch 0x700000000 read
show pagetable 0x700000000
