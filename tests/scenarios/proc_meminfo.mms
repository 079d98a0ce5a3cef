# show meminfo: the machine's /proc/meminfo, line for line as Linux 6.18
# prints it. A fresh 16 GiB machine first: MemTotal is what the zones
# manage, MemFree what the buddy allocator holds (all but the shared zero
# page), MemAvailable subtracts the kernel's reserves (the high watermarks
# and lowmem_reserve) and adds back reclaimable slab. Slab, KernelStack,
# VmallocUsed and Percpu are the reference machine's boot values: the model
# does not simulate those kernel users (docs/divergences.md). No process
# exists yet, so no page table either.
show meminfo

# 2 MiB of anonymous memory, populated: 512 pages move from MemFree to
# AnonPages; the walk needs a PTE table and the tables above it
# (PageTables), and the private writable mapping is charged to
# Committed_AS along with the new process's stack and data. The new pages
# join the inactive anon list through the CPU's lru_add batch, which the
# population drains at its end: all 512 are on it (Inactive(anon)).
mmap(NULL, 2097152, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_POPULATE, -1, 0) = 0x7ffff7c00000
show meminfo

# munmap gives the pages back and frees the PTE table; the PUD and PMD
# tables stay, since [vvar] and [vdso] share them.
munmap(0x7ffff7c00000, 2097152) = 0
show meminfo
