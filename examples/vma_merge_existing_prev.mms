# vma_merge on an existing range: a whole VMA given the flags of the VMA
# before it (but not of the one after). prev grows over it, it is freed
# (mm/vma.c vma_merge_existing_range, "merge left", middle removed).
#
#     PPPPVVVVNNNN  ->  PPPPPPPPNNNN      (the old "case 7")
echo == before: read-write, read-only, no access
mmap(0x600000000, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x600000000
mmap(0x600004000, 16384, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x600004000
mmap(0x600008000, 16384, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x600008000
show maps
echo == after: the middle made read-write: prev ends at 600008000, next is untouched
mprotect(0x600004000, 16384, PROT_READ|PROT_WRITE) = 0
show maps
expect map_count 12
