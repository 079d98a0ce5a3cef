# Overcommit: when mmap refuses memory (mm/util.c __vm_enough_memory,
# security_vm_enough_memory_mm; Documentation/mm/overcommit-accounting.rst).
#
# Memory that may have to be backed by RAM or swap some day is charged to
# a machine-wide commit count (meminfo Committed_AS) when it is mapped:
# writable private memory (VM_ACCOUNT) and shared memory (shmem). What is
# charged is the size of the mapping, not what is touched. vm.overcommit_memory
# says how much may be charged. This machine: 16 GiB of RAM, no swap.
#
# Mode 0 (the default, "heuristic"): refuse only a single request larger
# than all of RAM and swap together; anything smaller passes.
echo == 1. Mode 0: 32 GiB of writable private memory is refused, 8 GiB is not
mmap(NULL, 34359738368, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = -1 ENOMEM (Cannot allocate memory)
mmap(NULL, 8589934592, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffdf7e00000
#
# Not charged at all: MAP_NORESERVE (in modes 0 and 1), and private memory
# that cannot be written (it can only ever hold the zero page or file
# pages). Making it writable later charges it then: mprotect fails.
echo == 2. Not charged: MAP_NORESERVE, and read-only private memory, until mprotect
mmap(NULL, 34359738368, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7ff5f7e00000
mmap(NULL, 34359738368, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fedf7e00000
mprotect(0x7fedf7e00000, 34359738368, PROT_READ|PROT_WRITE) = -1 ENOMEM (Cannot allocate memory) # live: skip (the oracle will not make 32 GiB writable live)
#
# Shared anonymous memory is shmem (see shared_anonymous.mms): shmem
# charges the whole size at mmap, so it is refused the same way.
echo == 3. 32 GiB of shared anonymous memory is refused as well
mmap(NULL, 34359738368, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = -1 ENOMEM (Cannot allocate memory)
munmap(0x7fedf7e00000, 34359738368) = 0
munmap(0x7ff5f7e00000, 34359738368) = 0
munmap(0x7ffdf7e00000, 8589934592) = 0
#
# Modes 1 and 2 change a machine-wide sysctl, which the oracle's replay
# does not do; tests/oracle/overcommit_check.c (ctest oracle/overcommit)
# checks their rules on the live kernel against the model's instead.
#
# Mode 1 ("always"): every request passes; the OOM killer deals with the
# consequences when the memory is used.
echo == 4. Mode 1: 32 GiB passes
set vm.overcommit_memory=1
mmap(NULL, 34359738368, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ff7f7e00000
munmap(0x7ff7f7e00000, 34359738368) = 0
#
# Mode 2 ("never"): the total charged may not pass CommitLimit =
# RAM x vm.overcommit_ratio (50%) + swap, here 8,225,560 kB, less a small
# reserve (min(total_vm / 32, vm.user_reserve_kbytes)). The first 4 GiB
# fit; the second would take Committed_AS past the limit. MAP_NORESERVE
# does not help in this mode.
echo == 5. Mode 2: CommitLimit is 8,225,560 kB: 4 GiB fits, 4 GiB more does not
set vm.overcommit_memory=2
mmap(NULL, 4294967296, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffef7e00000
mmap(NULL, 4294967296, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = -1 ENOMEM (Cannot allocate memory)
mmap(NULL, 4294967296, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = -1 ENOMEM (Cannot allocate memory)
show meminfo
