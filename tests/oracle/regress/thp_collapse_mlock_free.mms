# THP: MADV_COLLAPSE of a 2 MiB block with one page written, mlock2 of a
# page inside (the VMA split splits the PMD; the folio, not inside the
# locked VMA, is not mlocked), then MADV_FREE of one 4 KiB page of the
# last piece: madvise_free_pte_range() splits the PTE-mapped folio, and the
# split maps every zero-filled page to the shared zero page except in the
# VM_LOCKED piece, so the three pieces keep 4, 4 and 0 kB. The live split
# can fail when another CPU holds the folio for a moment (reclaim or
# compaction; thp_split_page_failed moves, 1 run in 200 on a busy
# machine): the folio then stays mapped whole (920, 4, 1124 kB); the
# oracle counts that as live noise only when two replays do not show it.
# Found by mmsim oracle --seed 73 (sequence 62) on 2026-12-02 as such a
# live failure (pending/thp_collapse_mlock_free until then).
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(0x7fffd8600000, 2097152, PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fffd8600000
touch 0x7fffd8600000 write 0xf9f9fc00f9f500f9
madvise(0x7fffd8600000, 2097152, MADV_COLLAPSE) = 0
mlock2(0x7fffd86e6000, 4096, 0) = 0
madvise(0x7fffd8733000, 4096, MADV_FREE) = 0
