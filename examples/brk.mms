# brk: the heap (mm/mmap.c SYSCALL_DEFINE1(brk), do_brk_flags).
#
# The program break starts right after the bss (mm->start_brk; with ASLR
# off there is no random gap). Moving it up maps anonymous memory, moving
# it down unmaps it. brk() never returns an error code: it returns the new
# break, or the old one when it cannot move (glibc turns that into ENOMEM).
echo == 1. The break at start: the end of the bss VMA (004aa000-004af000)
brk(NULL) = 0x4af000
#
# Growing by 64 KiB: brk() looks for a heap VMA to expand only from
# start_brk up (vma_prev_limit()), so the bss just below is left alone
# even though it is the same kind of memory: do_brk_flags() makes a new
# anonymous VMA. maps names the VMA that holds the break range "[heap]".
echo == 2. Up by 64 KiB: a new VMA, [heap]
brk(0x4bf000) = 0x4bf000
show maps
expect map_count 11
#
# Growing again expands the [heap] VMA in place (vma_merge_new_range()
# with just_expand: "can we just expand an old private anonymous
# mapping?"). The break need not be page-aligned: the VMA ends at the
# next page boundary, the break is what was asked.
echo == 3. Up again, to an unaligned break: [heap] grows to 004c1000
brk(0x4c0010) = 0x4c0010
show maps
expect map_count 11
#
# Nothing is allocated until touched: each first write is a page fault
# (do_anonymous_page), as for any anonymous memory.
echo == 4. Two heap pages written: Rss and VmData
touch 0x4b0000 write
touch 0x4c0008 write
show status
#
# Shrinking unmaps the pages above the new break (do_vmi_align_munmap):
# they are freed and Rss falls.
echo == 5. Down to 004b8000: the pages above are unmapped and freed
brk(0x4b8000) = 0x4b8000
show status
#
# The break cannot grow into another mapping, nor up to it: brk() wants
# one free page between the new break and the next VMA's start (less its
# stack guard gap, vm_start_gap()), and returns the old break otherwise.
echo == 6. A mapping at 004c0000: the break stops a page below it
mmap(0x4c0000, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x4c0000
brk(0x4d0000) = 0x4b8000
brk(0x4c0000) = 0x4b8000
brk(0x4bf000) = 0x4bf000
show maps
#
# A break below start_brk is refused as well.
brk(0x400000) = 0x4bf000
