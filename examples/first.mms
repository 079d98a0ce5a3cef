# first.mms: a first walk through mmsim.  Run it with
#
#     mmsim run examples/first.mms
#
# A script is one operation per line. Syscalls are written the way strace
# prints them, so an `strace -f -y` log is a script too. A call written
# without "= RESULT" prints the model's result; a call written with one is
# checked against it. Lines starting with '#' are comments.
#
# No `spawn` comes first, so the calls run in one default process: a small
# static program at 0x400000 (what `gcc -static` makes), started with ASLR
# off, so the addresses are the same on every run.

echo == 1. The process at start: program, bss, [vvar], [vdso], [stack]
show maps

echo
echo == 2. mmap(NULL, ...) places mappings top-down, from just below [vvar]
mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)
mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)

echo
echo == 3. A 4 MiB anonymous mapping is 2 MiB-aligned (ready for huge pages)
mmap(NULL, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)

echo
echo == 4. mprotect of the middle page splits a 3-page VMA into three
mmap(NULL, 12288, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)
mprotect(0x7ffff7ff2000, 4096, PROT_NONE)
# Reading the PROT_NONE page faults: SIGSEGV with si_code SEGV_ACCERR
# (mapped, but not accessible). An unmapped address gives SEGV_MAPERR.
touch 0x7ffff7ff2000 read
expect signal SIGSEGV SEGV_ACCERR

echo
echo == 5. munmap of the first page leaves two of the three
# This call carries its result, as strace writes it: the model's result is
# checked against it, and a call that matches prints nothing. A mismatch
# prints "first.mms:LINE: munmap: expected 0, model returned ..." and makes
# the exit status 1.
munmap(0x7ffff7ff1000, 4096) = 0

echo
echo == 6. brk grows the heap: the new VMA is named [heap]
brk(NULL)
brk(0x4d0000)

echo
echo == 7. The result, as /proc/PID/maps shows it
show maps

# The same calls on the live kernel (a gcc -static program run under
# `setarch -R`) give the same mmap-area lines byte for byte, the same
# SIGSEGV and the same [heap] line shape; only the program's own lines
# and brk start differ, because it is a different program.
