# Lines of an `mmsim record` trace (docs/recording.md) and of strace 6.1
# that a script reads: "#mmsim" lines after the PID are comments, and a
# deleted file's fd, which strace writes as 3</memfd:x>(deleted), keeps
# readlink()'s form "/memfd:x (deleted)".
100   #mmsim file 3 dev=00:01 ino=1 size=0 kind=tmpfs path=/memfd:x (deleted)
100   memfd_create("x", 0) = 3</memfd:x>(deleted)
100   ftruncate(3</memfd:x>(deleted), 8192) = 0
100   #mmsim touch 0x7ffff7ff5000-0x7ffff7ff7000 write
100   mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_SHARED, 3</memfd:x>(deleted), 0)
100   mmap(NULL, 8192, PROT_READ, MAP_SHARED, 3</memfd:x (deleted)>, 0)
