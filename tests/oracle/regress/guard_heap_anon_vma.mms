# anon_vma reuse ignores sticky flags: the guarded heap shares the bss's
# anon_vma and mlockall merges them.
brk(0x43a000) = 0x43a000
madvise(0x419000, 4096, MADV_GUARD_INSTALL) = 0
mlockall(MCL_CURRENT) = 0
