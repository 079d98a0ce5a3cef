# Protection keys (a CPU with PKU): a read below a PROT_EXEC-only stack
# VMA (MAP_GROWSDOWN) grows the stack down to the address, then
# access_error() denies the read by the execute-only key (SEGV_PKUERR)
# before any page is mapped; the model mapped the page first (pagemap
# present). Found by mmsim oracle --seed 1 (sequence 110) in CI's
# oracle/ci on 2026-12-02.
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
mmap(NULL, 4096, PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS|MAP_GROWSDOWN, -1, 0) = 0x7ffff7ff6000
touch 0x7ffff7ff273e read
