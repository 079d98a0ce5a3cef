# The top-down mmap layout (arch/x86/mm/mmap.c arch_pick_mmap_layout,
# mm/mmap.c get_unmapped_area -> arch_get_unmapped_area_topdown,
# vm_unmapped_area).
#
# The stack is at the top of the 47-bit user space, growing down; the
# program and its heap at the bottom, growing up; mmap(NULL, ...) takes
# addresses from mmap_base down. mmap_base is the top less the stack's
# room (RLIMIT_STACK, 8 MiB, plus a gap) and, with ASLR, a random offset
# (none here: ASLR is off). The vDSO was mapped first, just below
# mmap_base, so the first mapping ends where [vvar] starts.
echo == 1. The process at start
show maps
#
# Each mapping goes into the highest gap below mmap_base that fits it
# (unmapped_area_topdown walks the VMA tree's gaps from the top).
echo == 2. Three mappings, each below the one before
mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff5000
mmap(NULL, 16384, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff1000
mmap(NULL, 8192, PROT_READ|PROT_WRITE|PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7fef000
show maps
#
# A hole left by munmap is reused: a mapping that fits goes to its top; one
# that does not goes below everything.
echo == 3. The middle one unmapped: 8 KiB fits the hole (at its top), 16 KiB does not
munmap(0x7ffff7ff1000, 16384) = 0
mmap(NULL, 8192, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff3000
mmap(NULL, 16384, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7feb000
show maps
#
# An address given without MAP_FIXED is a hint: taken when that range is
# free, ignored (top-down search again) when it is not. The second 4 KiB
# below lands in what is left of the hole and merges with the read-only
# VMA above it, as two adjacent mappings with the same flags do.
echo == 4. Hints: 0x100000000 is free the first time, not the second
mmap(0x100000000, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x100000000
mmap(0x100000000, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff2000
#
# MAP_32BIT (x86-64 only) searches bottom-up in [1 GiB, 2 GiB).
echo == 5. MAP_32BIT: from 1 GiB up
mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_32BIT, -1, 0) = 0x40000000
#
# An anonymous mapping of 2 MiB or more is placed on a 2 MiB boundary
# (thp_get_unmapped_area) so that huge pages can back it.
echo == 6. 4 MiB: 2 MiB-aligned, below the gaps that were too small
mmap(NULL, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7a00000
show maps
#
# The legacy layout (vm.legacy_va_layout=1, or an unlimited RLIMIT_STACK,
# or `setarch -L`) is chosen at exec: mmap then searches bottom-up from
# TASK_UNMAPPED_BASE, a third of the address space (0x2aaaaaaab000).
echo == 7. A process started with vm.legacy_va_layout=1: bottom-up from 0x2aaaaaaab000
set vm.legacy_va_layout=1
spawn legacy
mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x2aaaaaaab000
mmap(NULL, 8192, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x2aaaaaaad000
show maps
