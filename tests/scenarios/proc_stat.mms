# /proc/PID/stat: minflt (field 10) counts each fault, vsize and rss the
# address space and the pages mapped.
mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff5000
touch 0x7ffff7ff5000 write 1
show stat
touch 0x7ffff7ff6000 read
show stat
