# show vmstat: every /proc/vmstat counter, in the kernel's order. Here a
# process reads one page of a fresh mapping (a fault that maps the shared
# zero page, no allocation) and writes two (two faults, two anonymous
# pages). pgalloc_normal 7: those two pages, the four page tables of the
# walk (PGD, PUD, PMD, PTE) and the zero page, taken at boot.
# nr_dirty_threshold and nr_dirty_background_threshold are computed as
# the file is read: vm.dirty_ratio (20%) and vm.dirty_background_ratio
# (10%) of the free pages above the kernel's reserves plus the file LRU.
mmap(NULL, 65536, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7fe7000
touch 0x7ffff7fe7000 read
touch 0x7ffff7fe8000 write
touch 0x7ffff7fe9000 write 42
show vmstat

# The thresholds follow the sysctls: a byte count replaces the ratio.
set vm.dirty_background_bytes=1048576
show vmstat
