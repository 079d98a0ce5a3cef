# hugetlb: MAP_FIXED over the whole of a shared hugetlb mapping. Linux
# closes the old VMA before the new mapping's ->mmap() but puts its file
# only after it (vms_complete_munmap_vmas(), and the last fput() waits for
# the return to user space), so the shared file's 9 reservations still
# count when the private mapping reserves its own: with the oracle's pool
# (8 pages and 2 surplus) that fails with ENOMEM, and the old mapping is
# gone anyway. Found by `mmsim oracle --hugetlb --seed 3` (sequence 327),
# where the model had put the file first and granted the mapping.
mmap(NULL, 18874368, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0)
mmap(NULL, 4194304, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)
mmap(0x7ffff6c00000, 18874368, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0)
show maps
mmap(NULL, 2097152, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0)
mmap(0x7ffff6c00000, 16777216, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0)
show maps
