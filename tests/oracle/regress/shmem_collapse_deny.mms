# shmem MADV_COLLAPSE with shmem_enabled=deny: EINVAL (the forced collapse
# ignores huge= but not deny); was 0 in the model.
# oracle-config: uid=0 layout=topdown shmem_enabled=deny
memfd_create("x", 0) = 3
ftruncate(3, 8388608) = 0
mmap(0x200000000, 8388608, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED, 3, 0) = 0x200000000
touch 0x200001000 write 0xf9f9f9f9f9f9f9f9
madvise(0x200000000, 2097152, MADV_COLLAPSE) = 0
