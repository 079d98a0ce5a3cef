# mlock populates: PROT_NONE cannot be faulted (ENOMEM, the VMA stays
# locked and split); a locked private writable mapping gets an anon_vma, so
# mprotect keeps its VM_ACCOUNT.
mmap(NULL, 24576, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff1000
mremap(0x7ffff7ff1000, 4096, 20480, MREMAP_MAYMOVE) = 0x7ffff7fec000
mlock(0x7ffff7fec000, 4096) = -1 ENOMEM (Cannot allocate memory)
mlock(0x7ffff7fec000, 0) = 0
mmap(0x7ffff7f00000, 4096, PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_LOCKED, -1, 0) = 0x7ffff7f00000
mprotect(0x7ffff7f00000, 4096, PROT_NONE) = 0
show smaps
