# shmem THP: MADV_PAGEOUT on part of a PMD-mapped shmem folio splits it:
# every mapping of it goes (was: the model kept the PMD).
# oracle-config: uid=0 layout=topdown shmem_enabled=always RLIMIT_DATA=inf:inf RLIMIT_STACK=inf:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(0x155535a00000, 4096, PROT_NONE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x155535a00000
mmap(0x155535400000, 8388608, PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x155554c00000
touch 0x1555551f3000 exec
# --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_ACCERR, si_addr=0x1555551f3000} ---
madvise(0x155555001000, 4096, MADV_PAGEOUT) = 0
touch 0x1555551707d8 write 0xfcf8f8fcf900f8fc
show maps
