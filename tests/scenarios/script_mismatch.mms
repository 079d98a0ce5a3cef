# exit: 1
# A recorded result the model does not return, and an expectation that
# does not hold, are reported as FILE:LINE: ...; the run goes on and the
# exit status is 1.
mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7fbf000
mprotect(0x7ffff7ff6000, 4096, PROT_READ|PROT_WRITE) = -1 EACCES (Permission denied)
munmap(0x7ffff7ff6001, 4096) = 0
touch 0x7ffff7ff6000 write
expect signal none
touch 0x400000 write
expect signal SIGSEGV SEGV_MAPERR
expect map_count 12
expect maps
00400000-00401000 r--p 00000000 fe:00 1310723                            /usr/bin/app
00401000-0047b000 r-xp 00001000 fe:00 1310723                            /usr/bin/app
0047b000-004a3000 r--p 0007b000 fe:00 1310723                            /usr/bin/app
004a3000-004a7000 r--p 000a2000 fe:00 1310723                            /usr/bin/app
004a7000-004aa000 rw-p 000a6000 fe:00 1310723                            /usr/bin/app
004aa000-004af000 rw-p 00000000 00:00 0
7ffff7ff6000-7ffff7ff7000 r--p 00000000 00:00 0
7ffff7ff7000-7ffff7ffb000 r--p 00000000 00:00 0                          [vvar]
7ffff7ffb000-7ffff7ffd000 r--p 00000000 00:00 0                          [vvar_vclock]
7ffff7ffd000-7ffff7fff000 r-xp 00000000 00:00 0                          [vdso]
7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]
ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]
end
echo the run went on to the end
