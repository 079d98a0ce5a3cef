# show vma ADDR: a VMA's fields as the kernel keeps them, for each kind of
# mapping (the VmFlags and page counts are smaps', which the oracle checks)
# private anonymous, one page written
mmap(0x7e0000000000, 12288, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7e0000000000
touch 0x7e0000000000 write 1
show vma 0x7e0000002fff
# a gap: the VMAs around it
show vma 0x7e0000003000
# the program's text, a file on ext4
show vma 0x400000
# shared anonymous memory is shmem (shmem_zero_setup)
mmap(0x7e0000100000, 8192, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7e0000100000
touch 0x7e0000100000 write 2
show vma 0x7e0000100000
# a memfd (unlinked when mapped: shmem_anon_vm_ops), and a tmpfs file
memfd_create("buf<&>", 0) = 3
ftruncate(3, 4096) = 0
mmap(0x7e0000200000, 4096, PROT_READ, MAP_SHARED|MAP_FIXED, 3, 0) = 0x7e0000200000
show vma 0x7e0000200000
file /dev/shm/seg size=8192 dev=00:1a ino=5 kind=tmpfs
openat(AT_FDCWD, "/dev/shm/seg", O_RDWR) = 4
mmap(0x7e0000300000, 8192, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED, 4, 4096) = 0x7e0000300000
show vma 0x7e0000300000
# a named, locked anonymous region (a kernel built with CONFIG_ANON_VMA_NAME)
set config.anon_vma_name=1
mmap(0x7e0000400000, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|MAP_LOCKED, -1, 0) = 0x7e0000400000
prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x7e0000400000, 4096, "ring") = 0
show vma 0x7e0000400000
# a THP: one write fault maps the 2 MiB folio with a PMD
mmap(0x7e0000600000, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7e0000600000
madvise(0x7e0000600000, 4194304, MADV_HUGEPAGE) = 0
touch 0x7e0000600000 write 3
show vma 0x7e0000600000
# hugetlb
set vm.nr_hugepages=2
mmap(0x7e0040000000, 2097152, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|MAP_HUGETLB, -1, 0) = 0x7e0040000000
touch 0x7e0040000000 write 4
show vma 0x7e0040000000
# a device's memory (remap_pfn_range)
file /dev/mcas size=0 dev=00:06 ino=338 kind=device
openat(AT_FDCWD, "/dev/mcas", O_RDWR) = 5
mmap(0x700000000, 8192, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED, 5, 0x2738200000) = 0x700000000
show vma 0x700000000
# the special mappings
show vma 0x7ffff7ffd000
show vma 0xffffffffff600000
# after fork the child's VMA has its own anon_vma, chained to the parent's
fork() = 2000
pid 2000
touch 0x7e0000001000 write 5
show vma 0x7e0000000000
