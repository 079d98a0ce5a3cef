# exit: 2
# A malformed line is reported as FILE:LINE:COL: MESSAGE, the column
# pointing at the offending token. Every line is checked before anything
# runs, so all the errors are listed and nothing is printed by the echo.
echo this is not printed: the script does not run
mmap(NULL, 4096, PROT_RAED, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)
mmap(NULL, 4096, MAP_SHARED, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)
mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1)
mmpa(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)
munmap 0x1000 4096
munmap(0x1000 4096)
munmap(0x1000, 0x1g000) = 0
munmap(0x1000, 4096) = -1 ENOMEMORY (Cannot allocate memory)
munmap(0x1000, 4096) = 0 extra
madvise(0x1000, 4096, MADV_HUGE)
openat(AT_FDCWD, "/etc/passwd, O_RDONLY)
5053  <... mmap resumed>) = 0x7f2475800000
touch 0x1000 fetch
show heap
set vm.max_map_count
file relative/path size=4096
expect signal SIGSEGV BUS_ADRERR
frobnicate the address space
expect maps
00400000-00401000 r--p 00000000 fe:00 1310723                            /usr/bin/app
