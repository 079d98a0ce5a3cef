# An strace log is a script. Each section below uses the form of one strace
# option; every result is the model's own, so the run matches and is quiet
# apart from `show maps`. Calls the model does not take (execve, newfstatat,
# arch_prctl, ...) are kept and skipped; "+++" and "---" lines are skipped.

# strace -f -y -o LOG (the default -X abbrev): "PID  " prefixes, -y paths.
# A PID the script has not seen gets a fresh default process.
1000  execve("/usr/bin/app", ["app"], 0x7fffffffe6a8 /* 1 var */) = 0
1000  brk(NULL)                         = 0x4af000
1000  arch_prctl(ARCH_SET_FS, 0x4b1380) = 0
1000  brk(0x4d0000)                     = 0x4d0000
1000  mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff5000
1000  openat(AT_FDCWD</home/user>, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3</etc/ld.so.cache>
1000  newfstatat(3</etc/ld.so.cache>, "", {st_mode=S_IFREG|0644, st_size=41723, ...}, AT_EMPTY_PATH) = 0
1000  mmap(NULL, 41723, PROT_READ, MAP_PRIVATE, 3</etc/ld.so.cache>, 0) = 0x7ffff7fea000
1000  close(3</etc/ld.so.cache>)        = 0

# strace -X raw -ttt -T: numbers, epoch timestamps, durations.
1000  1795304497.606851 mmap(NULL, 8388608, 0x3, 0x22, -1, 0) = 0x7ffff7600000 <0.000013>
1000  1795304497.606888 madvise(0x7ffff7600000, 8388608, 0xe) = 0 <0.000013>

# strace -f without -o writes "[pid N] "; -X verbose adds the names; -tt.
[pid  1000] 12:34:56.789012 mprotect(0x7ffff7600000, 4096, 0x1 /* PROT_READ */) = 0
[pid  1000] 12:34:56.789100 mremap(0x7ffff7600000, 8388608, 16777216, 0x1 /* MREMAP_MAYMOVE */) = -1 EFAULT (Bad address)
[pid  1000] 12:34:56.789200 munmap(0xffffffffffffffff, 16777216) = -1 EINVAL (Invalid argument)

# Threads: clone3 with CLONE_VM makes PID 1001 share 1000's address
# space. Interleaved calls are split "<unfinished ...>" / "<... resumed>".
1000  clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7ffff75ff990, parent_tid=0x7ffff75ff990, exit_signal=0, stack=0x7ffff6dff000, stack_size=0x7fff80, tls=0x7ffff75ff6c0} => {parent_tid=[1001]}, 88) = 1001
1001  mmap(NULL, 1048576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0 <unfinished ...>
1000  munmap(0x7ffff7ff5000, 8192 <unfinished ...>
1001  <... mmap resumed>)               = 0x7ffff7eea000
1000  <... munmap resumed>)             = 0
1001  --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---
1001  +++ killed by SIGSEGV +++
1000  exit_group(0)                     = ?
1000  +++ exited with 0 +++

# Both threads' mappings are in the one address space; the file strace
# named is a regular file the script never declared (dev 08:01, ino 2000).
show maps
