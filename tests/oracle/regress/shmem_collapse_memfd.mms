# shmem MADV_COLLAPSE (collapse_file): a memfd with three pages written
# through two shared mappings: the collapse makes one PMD folio (the holes
# zero-filled), unmaps the old pages everywhere, retracts the other
# mapping's page table (it faults the THP back in with a PMD) and maps the
# caller's block with a PMD (ShmemPmdMapped 2048 kB); a second collapse
# finds the PMD and succeeds; a write goes through the PMD (shared
# writable shmem needs no write notification).
# oracle-config: uid=0 layout=topdown
memfd_create("x", 0) = 3
ftruncate(3, 4194304) = 0
mmap(0x200000000, 2097152, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED, 3, 0) = 0x200000000
mmap(0x300000000, 2097152, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED, 3, 0) = 0x300000000
touch 0x200000000 write 0xf9f9f9f9f9f9f9f9
touch 0x200005000 write 0xf9f9f9f9f9f9f9f9
touch 0x300007000 write 0xf9f9f9f9f9f9f9f9
madvise(0x200000000, 2097152, MADV_COLLAPSE) = 0
touch 0x300005000 read
madvise(0x200000000, 2097152, MADV_COLLAPSE) = 0
touch 0x200001000 write 0xf9f9f9f9f9f9f9f9
show smaps
