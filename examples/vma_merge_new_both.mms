# vma_merge, a new range that fills a hole exactly: prev, the new range
# and next become one VMA (mm/vma.c vma_merge_new_range, "merge both").
#
#     PPPP****NNNN  ->  PPPPPPPPPPPP
#
# mmap_region() first asks whether the new range can join its neighbours
# (can_vma_merge_after() for prev, can_vma_merge_before() for next): same
# flags, same file (none here), and for anonymous memory compatible
# anon_vmas. When both can, prev grows over the range and over next, and
# next is freed: no new vm_area_struct is made at all.
echo == before: prev and next, 8 KiB of hole between them
mmap(0x600000000, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x600000000
mmap(0x600006000, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x600006000
show maps
expect map_count 12
echo == after: the hole mapped with the same flags, one VMA from 600000000 to 600008000
mmap(0x600004000, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x600004000
show maps
expect map_count 11
#
# The same, after a write to each neighbour: a write fault gives each VMA
# an anon_vma of its own (anon_vma_prepare), and two VMAs with different
# anon_vmas can never become one (is_mergeable_anon_vma). The new range
# has none yet, so it still joins prev; next stays apart.
echo == before: prev and next both written to
mmap(0x610000000, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x610000000
mmap(0x610006000, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x610006000
touch 0x610000000 write
touch 0x610006000 write
show maps
# `show vma` prints the two anon_vmas: #2 and #3.
show vma 0x610000000
show vma 0x610006000
echo == after: prev grew over the hole (610000000-610006000), next did not join
mmap(0x610004000, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x610004000
show maps
