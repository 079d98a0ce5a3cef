# vma_merge on an existing range: mprotect of the first part of a VMA to
# the flags of the VMA before it. prev grows, the VMA shrinks from below
# (mm/vma.c vma_merge_existing_range, "merge left", middle shrinks).
#
#     PPPPVVVV  ->  PPPPPPVV      (the old "case 5" of vma_merge)
#
# mprotect_fixup() calls vma_modify_flags(): before splitting off the
# range, it tries to merge it. No split is needed here: the boundary
# between prev and the VMA just moves up.
echo == before: prev read-write, the VMA read-only
mmap(0x600000000, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x600000000
mmap(0x600004000, 16384, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x600004000
show maps
echo == after: the VMA's first two pages made read-write: prev ends at 600006000
mprotect(0x600004000, 8192, PROT_READ|PROT_WRITE) = 0
show maps
expect map_count 12
