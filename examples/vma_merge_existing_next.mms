# vma_merge on an existing range: a whole VMA given the flags of the VMA
# after it (but not of the one before). next grows down over it, it is
# freed (mm/vma.c vma_merge_existing_range, "merge right", middle removed).
#
#     PPPPVVVVNNNN  ->  PPPPNNNNNNNN      (the old "case 8")
echo == before: no access, read-only, read-write
mmap(0x600000000, 16384, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x600000000
mmap(0x600004000, 16384, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x600004000
mmap(0x600008000, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x600008000
show maps
echo == after: the middle made read-write: next starts at 600004000
mprotect(0x600004000, 16384, PROT_READ|PROT_WRITE) = 0
show maps
expect map_count 12
