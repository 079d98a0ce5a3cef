# Found by tests/oracle/exec_check.c: a loader run directly (an ET_DYN
# without PT_INTERP, here ld-linux itself: a static PIE) has its brk at
# ELF_ET_DYN_BASE rounded up to a page, 0x555555555000, even with ASLR off
# (Linux 6.15+, "binfmt_elf: Move brk for static PIE even if ASLR
# disabled"), not after its bss near mmap_base. The live kernel's
# /proc/PID/stat field 47 read 0x555555555000 where the model had put
# 0x7ffff7fff000.
# requires: test -x /lib64/ld-linux-x86-64.so.2
spawn /lib64/ld-linux-x86-64.so.2
brk(NULL) = 0x555555555000
# The heap grows there, far from the loader and the [vdso] below it.
brk(0x555555577000) = 0x555555577000
