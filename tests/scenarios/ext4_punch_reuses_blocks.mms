# An ext4 file's written blocks freed by hole punches go on a free list
# that the next write-back reuses; the punched pages read back as zeroes,
# the rest as written, and the machine frees the list's slots once only
# (the oracle's seed 501 crashed in mmsim_machine_destroy on such a file).
file /tmp/punch-file size=16384
openat(AT_FDCWD, "/tmp/punch-file", O_RDWR) = 3
mmap(0x100000000, 16384, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x100000000
touch 0x100000000 write 1
touch 0x100001000 write 2
touch 0x100002000 write 3
touch 0x100003000 write 4
msync(0x100000000, 16384, MS_SYNC) = 0
fallocate(3, FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE, 0, 4096) = 0
fallocate(3, FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE, 4096, 4096) = 0
fallocate(3, FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE, 8192, 4096) = 0
touch 0x100000000 read
touch 0x100001000 read
touch 0x100003000 read
# a write-back into a hole takes the last freed block
touch 0x100001000 write 5
msync(0x100000000, 16384, MS_SYNC) = 0
munmap(0x100000000, 16384) = 0
fadvise64(3, 0, 0, POSIX_FADV_DONTNEED) = 0
mmap(0x100000000, 16384, PROT_READ, MAP_SHARED, 3, 0) = 0x100000000
touch 0x100001000 read
touch 0x100002000 read
touch 0x100003000 read
