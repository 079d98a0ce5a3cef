# mlockall populates [vdso] (legacy layout: next to the mmap base), which
# makes its page table; a file mapped in the same PMD then gets its cached
# first page mapped by fault-around before the SIGBUS past EOF.
# oracle-config: uid=0 layout=legacy RLIMIT_DATA=inf:inf RLIMIT_STACK=8388608:inf RLIMIT_MEMLOCK=65536:65536 RLIMIT_AS=1073741824:1073741824
# oracle-file: /tmp/mmsim-regress-vdso_fault_makes_table/file0 4096 fill=0-1:0xa63b4fb15b0b37d3
# oracle-file: /tmp/mmsim-regress-vdso_fault_makes_table/file2 65536 fill=0-16:0x6b9f1ba0517a32e2
# oracle-file: /tmp/mmsim-regress-vdso_fault_makes_table/file3 4202496 fill=0-1026:0x333112c2d07e8fd0
# oracle-file: /dev/shm/mmsim-regress-vdso_fault_makes_table/shm2 266240
openat(AT_FDCWD, "/dev/shm/mmsim-regress-vdso_fault_makes_table/shm2", O_RDWR) = 3
openat(AT_FDCWD, "/tmp/mmsim-regress-vdso_fault_makes_table/file0", O_RDONLY) = 4
openat(AT_FDCWD, "/tmp/mmsim-regress-vdso_fault_makes_table/file0", O_RDWR) = 5
openat(AT_FDCWD, "/tmp/mmsim-regress-vdso_fault_makes_table/file2", O_RDWR) = 6
openat(AT_FDCWD, "/tmp/mmsim-regress-vdso_fault_makes_table/file3", O_RDWR) = 7
openat(AT_FDCWD, "/tmp/mmsim-regress-vdso_fault_makes_table/file0", O_RDWR) = 8
mlockall(MCL_CURRENT) = 0
mmap(0x2aaaaaab1000, 32768, PROT_READ, MAP_PRIVATE, 8, 0) = 0x2aaaaaab3000
touch 0x2aaaaaaba577 read
# --- SIGBUS {si_signo=SIGBUS, si_code=BUS_ADRERR, si_addr=0x2aaaaaaba570} ---
