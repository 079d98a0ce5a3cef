# mlock and shmem THPs: a MAP_LOCKED shared anonymous mapping populated in
# PMD-mapped huge folios counts them in Mlocked (mlock_vma_folio on the
# PMD mapping); unmapping one page splits the first leaf, which munlocks
# that folio; munlock over the hole stops at it (ENOMEM) and leaves the
# second folio locked; munmap unlocks it. The live kernel (6.18, shmem_enabled
# always) shows the same Mlocked deltas: +4096, +2048, +2048, 0 kB.
set mm.transparent_hugepage.shmem_enabled=always
mmap(0x7f0000000000, 4194304, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED|MAP_LOCKED, -1, 0) = 0x7f0000000000
show meminfo
munmap(0x7f0000001000, 4096) = 0
show meminfo
munlock(0x7f0000000000, 4194304) = -1 ENOMEM (Cannot allocate memory)
show meminfo
munmap(0x7f0000000000, 4194304) = 0
show meminfo
