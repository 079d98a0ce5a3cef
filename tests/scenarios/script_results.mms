# Call results checked against Linux 6.18: every "= RESULT" below is what
# the live kernel returned for the same call in a static program started
# with setarch -R (only the program's own maps lines differ).
mmap(NULL, 0, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = -1 EINVAL (Invalid argument)
mmap(0x10000000, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x10000000
mmap(0x10000000, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = -1 EEXIST (File exists)
munmap(0x10000001, 4096) = -1 EINVAL (Invalid argument)
mprotect(0x10000000, 4096, PROT_READ) = 0
# the range now spans two VMAs: mremap cannot grow it
mremap(0x10000000, 8192, 16384, MREMAP_MAYMOVE) = -1 EFAULT (Bad address)
mprotect(0x20000000, 4096, PROT_READ) = -1 ENOMEM (Cannot allocate memory)
mmap(NULL, 4096, PROT_READ, MAP_SHARED, -1, 0) = -1 EBADF (Bad file descriptor)
mmap(0x10000000, 4096, PROT_READ, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0x1) = -1 EINVAL (Invalid argument)
mlock2(0x10000000, 4096, 0x2) = -1 EINVAL (Invalid argument)
msync(0x10000000, 4096, MS_ASYNC|MS_SYNC) = -1 EINVAL (Invalid argument)
# grows in place into the free page above
mremap(0x10001000, 4096, 8192, 0) = 0x10001000
madvise(0x10000000, 12288, MADV_DONTFORK) = 0
mseal(0x10000000, 4096, 0) = 0
munmap(0x10000000, 4096) = -1 EPERM (Operation not permitted)
mprotect(0x10000000, 4096, PROT_READ|PROT_WRITE) = -1 EPERM (Operation not permitted)
mmap(0x10100000, 4096, PROT_READ|PROT_WRITE|PROT_GROWSDOWN, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x10100000
mmap(0x10200000, 8192, PROT_READ, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS|MAP_GROWSDOWN, -1, 0) = 0x10200000
# PROT_GROWSDOWN extends the change down to the start of the VMA
mprotect(0x10201000, 4096, PROT_READ|PROT_WRITE|PROT_GROWSDOWN) = 0
prlimit64(0, RLIMIT_AS, {rlim_cur=1024*1024*1024, rlim_max=RLIM64_INFINITY}, NULL) = 0
mmap(NULL, 2147483648, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = -1 ENOMEM (Cannot allocate memory)
mmap(NULL, 2147483648, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = -1 ENOMEM (Cannot allocate memory)
mlockall(0x8) = -1 EINVAL (Invalid argument)
mmap(0x10300000, 4096, PROT_READ, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS|MAP_32BIT, -1, 0) = 0x10300000
expect maps
00400000-00401000 r--p 00000000 fe:00 1310723                            /usr/bin/app
00401000-0047b000 r-xp 00001000 fe:00 1310723                            /usr/bin/app
0047b000-004a3000 r--p 0007b000 fe:00 1310723                            /usr/bin/app
004a3000-004a7000 r--p 000a2000 fe:00 1310723                            /usr/bin/app
004a7000-004aa000 rw-p 000a6000 fe:00 1310723                            /usr/bin/app
004aa000-004af000 rw-p 00000000 00:00 0
10000000-10001000 r--p 00000000 00:00 0
10001000-10003000 rw-p 00000000 00:00 0
10100000-10101000 rw-p 00000000 00:00 0
10200000-10202000 rw-p 00000000 00:00 0
10300000-10301000 r--p 00000000 00:00 0
7ffff7ff7000-7ffff7ffb000 r--p 00000000 00:00 0                          [vvar]
7ffff7ffb000-7ffff7ffd000 r--p 00000000 00:00 0                          [vvar_vclock]
7ffff7ffd000-7ffff7fff000 r-xp 00000000 00:00 0                          [vdso]
7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]
ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]
end
