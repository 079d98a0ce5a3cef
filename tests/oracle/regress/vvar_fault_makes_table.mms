# Reading [vvar] inserts its page (vmf_insert_pfn), which makes the page
# table of that PMD; a file mapped just below it then gets its cached
# first page mapped by fault-around before the SIGBUS past EOF.
# oracle-config: uid=0 layout=topdown RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=8388608:8388608 RLIMIT_AS=inf:inf
# oracle-file: /tmp/mmsim-regress-vvar_fault_makes_table/file0 4096 fill=0-1:0x15566044be536cf4
# oracle-file: /dev/shm/mmsim-regress-vvar_fault_makes_table/shm0 8192
openat(AT_FDCWD, "/dev/shm/mmsim-regress-vvar_fault_makes_table/shm0", O_RDWR) = 3
openat(AT_FDCWD, "/tmp/mmsim-regress-vvar_fault_makes_table/file0", O_RDWR) = 4
mmap(NULL, 90112, PROT_READ, MAP_SHARED, 4, 0) = 0x7ffff7fe1000
touch 0x7ffff7ff7a87 read
# read 0
touch 0x7ffff7fe94d8 read
# --- SIGBUS {si_signo=SIGBUS, si_code=BUS_ADRERR, si_addr=0x7ffff7fe94d8} ---
