# vma_merge, a new range right before a compatible VMA: next grows down
# over it (mm/vma.c vma_merge_new_range, "merge right").
#
#         ****NNNN  ->      NNNNNNNN
#
# next's vm_start moves down and, for a file mapping, its vm_pgoff with it
# (the range must end where next's file offset begins: a file mapping can
# only take a range whose pages come just before its own in the file).
echo == before: next at 600004000, 8 KiB
mmap(0x600004000, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x600004000
show maps
echo == after: 16 KiB mapped just below it: next now starts at 600000000
mmap(0x600000000, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x600000000
show maps
expect map_count 11
