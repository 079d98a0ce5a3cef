# shmem THP in a System V shm segment (shm_mnt follows shmem_enabled): an
# attach at a 2 MiB boundary maps the segment's huge folios with PMDs
# (ShmemPmdMapped, THPeligible 1: shmem_file() looks at the mapping, the
# same for an attach); a read in a block maps it whole, a second attach
# maps its own PMD. Checked with the live knob "always".
# oracle-config: uid=0 layout=topdown shmem_enabled=always
shmget(IPC_PRIVATE, 4194304, 0) = 0
shmat(0, 0x7fffd8000000, 0) = 0x7fffd8000000
touch 0x7fffd8000000 read
touch 0x7fffd8205000 write 0xf5
shmat(0, 0x7fffd8800000, 0) = 0x7fffd8800000
touch 0x7fffd8a00008 read
munmap(0x7fffd8001000, 4096) = 0
touch 0x7fffd8003000 read
