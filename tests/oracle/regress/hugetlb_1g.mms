# hugetlb: a 1 GiB page (MAP_HUGE_1GB, a PUD leaf): the oracle asks the host
# for one (skipped as an empty pool where it cannot have one). Reads and
# writes at both ends, partial munmap refused inside the page. No fork:
# whether fork copies a private 1 GiB leaf varies from run to run on the
# reference kernel (docs/divergences.md).
mmap(NULL, 1073741824, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|MAP_HUGE_1GB, -1, 0)
mmap(NULL, 2147483648, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|MAP_HUGE_1GB, -1, 0)
touch 0x7fff80000000 read
touch 0x7fff80000008 write 0xf5
touch 0x7fffbffff000 write 0xf8
touch 0x7fffbffff000 read
touch 0x7fff80000008 read
munmap(0x7fff80000000, 2097152)
munmap(0x7fff80000000, 1073741824)
