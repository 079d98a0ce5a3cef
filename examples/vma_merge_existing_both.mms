# vma_merge on an existing range: a whole VMA given the flags of both its
# neighbours. prev grows over it and over next; both are freed
# (mm/vma.c vma_merge_existing_range, "merge both").
#
#     PPPPVVVVNNNN  ->  PPPPPPPPPPPP      (the old "case 6")
echo == before: read-write, read-only, read-write
mmap(0x600000000, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x600000000
mmap(0x600004000, 16384, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x600004000
mmap(0x600008000, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x600008000
show maps
expect map_count 13
echo == after: the middle made read-write: one VMA, 600000000-60000c000
mprotect(0x600004000, 16384, PROT_READ|PROT_WRITE) = 0
show maps
expect map_count 11
