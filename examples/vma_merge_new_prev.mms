# vma_merge, a new range right after a compatible VMA: prev grows over it
# (mm/vma.c vma_merge_new_range, "merge left"; vma_expand()).
#
#     PPPP****      ->  PPPPPPPP
#
# This is how a heap grown by mmap, or consecutive mmap(NULL) calls that
# land next to each other, end up as one VMA.
echo == before: prev at 600000000, 16 KiB
mmap(0x600000000, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x600000000
show maps
echo == after: 8 KiB mapped right after it with the same flags: prev now ends at 600006000
mmap(0x600004000, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x600004000
show maps
expect map_count 11
#
# Flags that differ keep VMAs apart: a read-only range after it is a VMA
# of its own (is_mergeable_vma compares vm_flags).
echo == a read-only range after it does not merge
mmap(0x600006000, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x600006000
show maps
expect map_count 12
