# Sealing a range merges each sealed piece with a sealed neighbour.
mmap(NULL, 131072, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7fd7000
mseal(0x7ffff7fda000, 4096, 0) = 0
mseal(0x7ffff7fd9000, 20480, 0) = 0
munmap(0x7ffff7fd9000, 4096) = -1 EPERM (Operation not permitted)
