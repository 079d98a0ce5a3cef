# A write fault on a private file mapping prepares the anon_vma before the
# read past EOF fails (SIGBUS), which later keeps two VMAs apart.
# oracle-file: /tmp/mmsim-regress/file1 12388
openat(AT_FDCWD, "/tmp/mmsim-regress/file1", O_RDWR) = 3
mmap(NULL, 237568, PROT_WRITE, MAP_PRIVATE, 3, 0) = 0x7ffff7fbd000
mlock(0x7ffff7fce000, 4096) = -1 ENOMEM (Cannot allocate memory)
touch 0x7ffff7fc3000 write
munlockall() = 0
touch 0x7ffff7fbd000 exec
