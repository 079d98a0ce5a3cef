# Shared anonymous memory is charged to the commit by shmem itself: 32 GiB
# is more than RAM, so the heuristic overcommit mode refuses it.
mmap(NULL, 34359738368, PROT_NONE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = -1 ENOMEM (Cannot allocate memory)
mmap(NULL, 34359738368, PROT_NONE, MAP_SHARED|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7fef77fff000
