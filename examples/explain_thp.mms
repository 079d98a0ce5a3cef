# Explain mode on a THP fault and its fallbacks (mm/huge_memory.c):
# handle_mm_fault -> __handle_mm_fault -> create_huge_pmd ->
# do_huge_pmd_anonymous_page. THP "enabled" is madvise (the default).
explain on
# 4 MiB at a 2 MiB boundary, MADV_HUGEPAGE on its first 2 MiB only.
mmap(0x7f0000000000, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7f0000000000
madvise(0x7f0000000000, 2097152, MADV_HUGEPAGE) = 0
# A read: the huge zero page, mapped by a PMD leaf (no allocation).
touch 0x7f0000000000 read
# A write to it: a new order-9 folio replaces the huge zero page.
touch 0x7f0000000000 write
# The second 2 MiB has no VM_HUGEPAGE: enabled=madvise refuses, 4 KiB page.
touch 0x7f0000200000 write
explain off
show pagetable 0x7f0000000000
show pagetable 0x7f0000200000
# A fallback: the VMA is only 1 MiB, so no 2 MiB block fits in it.
mmap(0x7f0000400000, 1048576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7f0000400000
madvise(0x7f0000400000, 1048576, MADV_HUGEPAGE) = 0
explain on
touch 0x7f0000400000 write
explain off
show pagetable 0x7f0000400000
