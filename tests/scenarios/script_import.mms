# import FILE [key=value...]: a process from a real /proc/PID/smaps (or
# maps) snapshot, here a gcc -static program that malloc'd 100000 bytes,
# captured on Linux 6.18 (tests/data/live_static.*). Paths are relative to
# the script. start_brk comes from /proc/PID/stat; brk is the end of
# [heap]. The maps come out as the kernel wrote them.
import ../data/live_static.smaps start_brk=0x4ac000 brk=0x4ce000
show maps

# and the process goes on from there
brk(NULL) = 0x4ce000
brk(0x4f0000) = 0x4f0000
mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff5000
expect map_count 12
