# shmem MADV_COLLAPSE, the failures: a private mapping holding an
# anonymous COW copy (the page cache collapses, but the block cannot take
# a PMD: EINVAL), a mapping whose file offset is not 2 MiB aligned
# (EINVAL, nothing scanned), a PMD folio past a truncated EOF still
# mapped, and shared anonymous memory (its own shmem file) collapsed in
# two blocks.
# oracle-config: uid=0 layout=topdown
memfd_create("x", 0) = 3
ftruncate(3, 4194304) = 0
mmap(0x200000000, 2097152, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED, 3, 0) = 0x200000000
touch 0x200002000 write 0xf9f9f9f9f9f9f9f9
touch 0x200004000 read
madvise(0x200000000, 2097152, MADV_COLLAPSE) = 0
mmap(0x300000000, 2097152, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED, 3, 0) = 0x300000000
madvise(0x300000000, 2097152, MADV_COLLAPSE) = 0
madvise(0x300000000, 2097152, MADV_COLLAPSE) = 0
mmap(0x400000000, 4194304, PROT_READ, MAP_SHARED|MAP_FIXED, 3, 4096) = 0x400000000
madvise(0x400000000, 4194304, MADV_COLLAPSE) = 0
ftruncate(3, 1048576) = 0
touch 0x300000000 write 0xf9f9f9f9f9f9f9f9
mmap(0x500000000, 4194304, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x500000000
touch 0x500003000 write 0xf9f9f9f9f9f9f9f9
touch 0x500203000 read
madvise(0x500000000, 4194304, MADV_COLLAPSE) = 0
madvise(0x500000000, 4194304, MADV_COLLAPSE) = 0
show smaps
