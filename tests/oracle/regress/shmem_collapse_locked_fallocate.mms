# shmem MADV_COLLAPSE: a private mapping whose anon_vma comes from a COW in
# another block still collapses a block of untouched file pages (its table
# holds no anonymous page); a read-only private mapping gets a read-only
# PMD; fallocated (not uptodate) pages are instantiated; in a MAP_LOCKED
# shared mapping the old pages are unmapped and munlocked with the mlock
# batch drained at once (try_to_unmap_one(): the batch's reference would
# fail the refcount check: EAGAIN, was the model's answer) and the PMD
# folio is mlocked.
# oracle-config: uid=0 layout=topdown
memfd_create("x", 0) = 3
ftruncate(3, 8388608) = 0
mmap(0x200000000, 8388608, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED, 3, 0) = 0x200000000
touch 0x200600000 write 0xf9f9f9f9f9f9f9f9
touch 0x200004000 read
madvise(0x200000000, 2097152, MADV_COLLAPSE) = 0
mmap(0x300000000, 2097152, PROT_READ, MAP_PRIVATE|MAP_FIXED, 3, 2097152) = 0x300000000
touch 0x300001000 read
madvise(0x300000000, 2097152, MADV_COLLAPSE) = 0
fallocate(3, 0, 4194304, 65536) = 0
mmap(0x400000000, 2097152, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED|MAP_LOCKED, 3, 4194304) = 0x400000000
madvise(0x400000000, 2097152, MADV_COLLAPSE) = 0
touch 0x400001000 write 0xf9f9f9f9f9f9f9f9
show smaps
