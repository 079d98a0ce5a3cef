# hugetlb PMD sharing, the /proc/PID/status side (the oracle compares smaps
# and pagemap, not status): the same steps on the reference kernel
# (Linux 6.18, a 1 GiB memfd on hugetlbfs mapped shared at a 1 GiB-aligned
# address) moved VmPTE and HugetlbPages as the model does here: the
# forked child's first fault takes the parent's PMD table (VmPTE +8 kB:
# its PUD table and the shared PMD table, live 40 -> 48 kB) and counts
# only the page it faulted itself (HugetlbPages 2048 kB, though it sees
# three); the parent's second aligned mapping shares its own table
# (VmPTE +4 kB, live 48 -> 52); munmap of 2 MiB unshares it again
# (VmPTE -4 kB, live 52 -> 48) and HugetlbPages keeps its 4096 kB.
set vm.nr_hugepages=520
memfd_create("pmdshare", MFD_HUGETLB) = 3
ftruncate(3, 1073741824)
mmap(0x7f0000000000, 1073741824, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED, 3, 0)
touch 0x7f0000000000 write 0xf5
touch 0x7f0000200000 write 0xf8
show status
fork() = 2000
pid 2000
show status
touch 0x7f0000000000 read
touch 0x7f0000800000 write 0xf9
show status
pid 1000
touch 0x7f0000800000 read
mmap(0x7f0100000000, 1073741824, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED, 3, 0)
touch 0x7f0100200000 read
show status
munmap(0x7f0000000000, 2097152)
show status
