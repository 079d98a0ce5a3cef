# A transparent huge page fault, walked level by level (mm/huge_memory.c
# do_huge_pmd_anonymous_page).
#
# THP "enabled" is madvise here (the reference machine's setting): a
# private anonymous mapping gets huge pages only after MADV_HUGEPAGE, and
# only for whole, 2 MiB-aligned blocks inside it. mmap already aligned
# this 8 MiB mapping to 2 MiB (thp_get_unmapped_area).
mmap(NULL, 8388608, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7600000
madvise(0x7ffff7600000, 8388608, MADV_HUGEPAGE) = 0

# The first write in the second block: the buddy allocator gives an
# order-9 (2 MiB) folio and the PMD entry maps it directly. The walk reads
# PGD, P4D (folded into the PGD with 4 levels), PUD, then stops at the PMD:
# bit 7 (PSE, 0x80) says "this is the page", there is no PTE level. 0xe7:
# present, writable, user, accessed, dirty, PSE; bit 63 is NX.
touch 0x7ffff7800000 write 0xf8f8f8f8f5f5f5f5
show pagetable 0x7ffff7800000
# Any address in the block walks to the same leaf; the PFN of the 4 KiB
# page inside it is the leaf's PFN plus (address >> 12) & 511.
show pagetable 0x7ffff79ff000

# A read in the next block maps the huge zero page (use_zero_page=1):
# read-only (0x25 = present, user, accessed), PSE, and bit 9 (special).
# No memory is used for it: Rss does not count it.
touch 0x7ffff7a00000 read
show pagetable 0x7ffff7a00000

# smaps: 2 MiB resident, all of it AnonHugePages; THPeligible 1. The
# deposited page table (kept for a later split) counts in VmPTE/PageTables.
show smaps
show status

# Writing to the huge zero page gives a THP of its own (do_huge_zero_wp_pmd).
touch 0x7ffff7a00008 write 0xf9
show pagetable 0x7ffff7a00000

# Unmapping one 4 KiB page splits the PMD into 512 PTEs (__split_huge_pmd):
# the walk now reaches a PTE. The folio stays whole but partly mapped
# (thp_split_pmd, thp_deferred_split_page), AnonHugePages drops by 2 MiB.
munmap(0x7ffff7801000, 4096) = 0
show pagetable 0x7ffff7800000
show smaps_rollup

