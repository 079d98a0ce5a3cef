# vma_merge on an existing range: mprotect of the last part of a VMA to the
# flags of the VMA after it. next grows down, the VMA shrinks from above
# (mm/vma.c vma_merge_existing_range, "merge right", middle shrinks).
#
#     VVVVNNNN  ->  VVNNNNNN      (the old "case 4" of vma_merge)
echo == before: the VMA read-only, next read-write
mmap(0x600000000, 16384, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x600000000
mmap(0x600004000, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x600004000
show maps
echo == after: the VMA's last two pages made read-write: next starts at 600002000
mprotect(0x600002000, 8192, PROT_READ|PROT_WRITE) = 0
show maps
expect map_count 12
