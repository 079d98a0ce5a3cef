# Explain mode on the VMA layer: every vma_merge case, and the reasons a
# new mapping does not merge. The maps lines each step removes (-) and
# adds (+) are printed after the narration, so each merge the narration
# states shows in the maps. Run: mmsim run --explain examples/explain_merge.mms
explain on
# A new VMA: nothing is mapped around 0x7f0000000000.
mmap(0x7f0000000000, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7f0000000000
# Right after it, the same flags: vma_merge_new_range extends prev.
mmap(0x7f0000002000, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7f0000002000
# Two pages above a gap, then the gap filled: prev and next merge into one.
mmap(0x7f0000006000, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7f0000006000
mmap(0x7f0000004000, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7f0000004000
# Read-only next to it: the flags differ (wr, and ac: only a private
# writable mapping is accounted), so no merge.
mmap(0x7f0000008000, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7f0000008000
# mprotect of a page in the middle: no merge, two splits.
mprotect(0x7f0000002000, 4096, PROT_READ) = 0
# ... and back: the existing range merges prev, middle and next.
mprotect(0x7f0000002000, 4096, PROT_READ|PROT_WRITE) = 0
# The last writable page made read-only: it merges into next (the
# read-only VMA grows down), the writable VMA shrinks.
mprotect(0x7f0000007000, 4096, PROT_READ) = 0
# The first page: merges into nothing on the left, splits.
mprotect(0x7f0000000000, 4096, PROT_READ) = 0
# pgoff: an anonymous VMA's pgoff is its address in pages when made. A
# written VMA moved by mremap keeps its pgoff, so beside a fresh VMA with
# the same flags it does not merge: the maps keep two lines.
mmap(0x7f000000e000, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7f000000e000
mmap(0x7f0000100000, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7f0000100000
touch 0x7f0000100000 write
mremap(0x7f0000100000, 8192, 8192, MREMAP_MAYMOVE|MREMAP_FIXED, 0x7f0000010000) = 0x7f0000010000
explain off
show maps
