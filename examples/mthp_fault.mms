# A multi-size THP (mTHP) fault: a 64 KiB anonymous folio mapped by 16
# PTEs (mm/memory.c alloc_anon_folio, do_anonymous_page).
#
# The per-size knobs under /sys/kernel/mm/transparent_hugepage/
# hugepages-NkB/enabled say which folio sizes an anonymous fault may use;
# every size but 2048kB is "never" by default. Here 64 KiB is "always":
# any private anonymous mapping gets 64 KiB folios where they fit.
set mm.transparent_hugepage.hugepages-64kB.enabled=always
mmap(0x7f0000000000, 1048576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7f0000000000

# One write at 0x...5008: the fault takes the highest allowed order whose
# naturally aligned block lies in the VMA and has no PTE yet, the 64 KiB
# at 0x7f0000000000, and maps all 16 pages with one set_ptes() batch, each
# PTE present, writable, user, accessed and dirty (0x67), the PFNs
# consecutive. One fault, 64 KiB resident.
touch 0x7f0000005008 write 0xf8f8f8f8f5f5f5f5
show pagetable 0x7f0000000000
show pagetable 0x7f0000005000
show pagetable 0x7f000000f000
# The next 64 KiB block has no page yet: the walk stops at a PTE of 0.
show pagetable 0x7f0000010000
show faults
show /sys/kernel/mm/transparent_hugepage/hugepages-64kB/stats/anon_fault_alloc
show /sys/kernel/mm/transparent_hugepage/hugepages-64kB/stats/nr_anon

# A read fault maps the shared zero page, 4 KiB (mTHP has no zero folio).
# A write next to it then finds that block's PTEs not all none: it falls
# back to a 4 KiB page (no smaller size is enabled).
touch 0x7f0000020000 read
touch 0x7f0000021000 write 0xf8
show pagetable 0x7f0000021000

# smaps counts the mTHP as ordinary anonymous memory: AnonHugePages is
# only for PMD-mapped THPs. 64 + 4 KiB resident.
show smaps_rollup

# Unmapping one page of the 64 KiB folio leaves it partly mapped: it waits
# on the deferred split queue (split_deferred, nr_anon_partially_mapped).
munmap(0x7f0000001000, 4096) = 0
show /sys/kernel/mm/transparent_hugepage/hugepages-64kB/stats/split_deferred
show /sys/kernel/mm/transparent_hugepage/hugepages-64kB/stats/nr_anon_partially_mapped
# Unmapping the rest frees it in one batch.
munmap(0x7f0000000000, 65536) = 0
show /sys/kernel/mm/transparent_hugepage/hugepages-64kB/stats/nr_anon
