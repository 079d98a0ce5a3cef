# The commands: what an strace log cannot say.

# set KNOB=VALUE: sysctls by their /proc/sys path. A process starts with
# 10 VMAs ([vsyscall] is not counted), so 14 leaves room for 4 more.
set vm.max_map_count=14

# file PATH size=N [dev=MAJ:MIN] [ino=N] [kind=...]: a file to open.
file /data/db size=10000 dev=fd:01 ino=4242

# spawn [NAME]: a new default process; later lines run in it.
spawn db
openat(AT_FDCWD, "/data/db", O_RDWR)
mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0)
close(3)

# touch ADDR read|write|exec: one access, as the CPU makes it. It prints
# nothing unless it raises a signal. The file ends in the mapping's third
# page, so the fourth page is past its end: SIGBUS.
touch 0x7ffff7ff4000 write
expect signal none
touch 0x7ffff7ff6000 read
expect signal SIGBUS BUS_ADRERR
touch 0x7ffff7ff2fff read
expect signal SIGSEGV SEGV_MAPERR
touch 0x7ffff7ff3000 exec
expect signal SIGSEGV

# Splitting VMAs past vm.max_map_count fails with ENOMEM: the first
# mprotect splits one VMA into three (12 -> 14), the second cannot.
mmap(NULL, 20480, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)
mprotect(0x7ffff7fef000, 4096, PROT_NONE)
mprotect(0x7ffff7ff1000, 4096, PROT_NONE)
expect map_count 14

# prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, ...) names anonymous memory
# on kernels built with CONFIG_ANON_VMA_NAME; the reference machine's is
# not (prctl returns EINVAL), and so is the model by default.
# Naming a whole VMA needs no split; naming part of one does, which the
# limit refuses (prctl reports that ENOMEM as EAGAIN).
set config.anon_vma_name=1
prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x7ffff7fef000, 4096, "guard")
prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x7ffff7ff2000, 4096, "buffer")

# show maps|smaps|smaps_rollup|status: the /proc file, exactly.
show maps
show status

# pid N selects a process; exit ends the selected one.
spawn second
expect map_count 10
pid 1000
expect map_count 14
exit
echo db has exited
