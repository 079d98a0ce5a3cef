# MLOCK_ONFAULT does not populate, but a droppable VMA is never locked, so
# it is populated, and PROT_NONE fails: ENOMEM.
mmap(NULL, 28672, PROT_NONE, MAP_DROPPABLE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff0000
mmap(NULL, 4096, PROT_NONE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7ffff7fef000
mlock2(0x7ffff7fef000, 12288, MLOCK_ONFAULT) = -1 ENOMEM (Cannot allocate memory)
mlockall(MCL_FUTURE) = 0
mmap(NULL, 4096, PROT_NONE, MAP_DROPPABLE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7fee000
show smaps
