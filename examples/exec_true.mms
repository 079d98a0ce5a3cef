# exec_true.mms: a real program, exec'd as Linux 6.18 does it. Run it with
#
#     mmsim run examples/exec_true.mms
#
# `spawn PATH ARGS...` reads the ELF file PATH of this machine and lays it
# out as execve() with ASLR off would (personality ADDR_NO_RANDOMIZE, as
# under gdb): /bin/true is a PIE, so it goes at ELF_ET_DYN_BASE
# (0x555555554000); its interpreter ld-linux is mapped top-down below
# mmap_base, then [vvar], [vvar_vclock] and [vdso] below it; the stack holds
# the path, arguments, environment and auxv, with 128 KiB to spare.
# tests/oracle/exec_check.c compares such layouts with the live kernel's.
#
# The output depends on the host's binaries: the scenario runs only where
# they are the ones it was written with, and the `file` lines pin their
# identity (device and inode), which maps prints.
# requires: printf '%s  %s\n%s  %s\n' c79bf44242829108e323378531f4ac839513ca1fba45efd6583643526e1e9fd2 /usr/bin/true 02bcda52c1a5dfc236f94d9e5255b4a0e26347d8a372a5223b650e31f291ce3c /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 | sha256sum -c --status
file /usr/bin/true size=35664 dev=fe:00 ino=248139
file /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 size=215000 dev=fe:00 ino=332383

echo == 1. execve("/bin/true", ["/bin/true", "--version"], ["LANG=C"])
spawn -e LANG=C /bin/true --version
show maps

echo
echo == 2. The 4 KiB the stack uses are present: the kernel wrote the strings
echo ==    and the auxv there. The last file page of each data segment was
echo ==    copied (COW) when exec zeroed the tail of its bss.
show smaps_rollup

echo
echo == 3. brk starts on the page after the bss; mmap goes below [vvar]
brk(NULL)
mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)
show maps
