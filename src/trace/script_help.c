/*
 * The script commands' synopses and help texts, one table for the REPL's
 * `help` and its completion. docs/scripts.md documents the same commands
 * at length (tests/scenarios/repl_help checks each name appears there).
 */
#include "trace/script.h"

const struct script_command_help script_command_help[] = {
	{ "spawn", "spawn [NAME] | spawn [-e NAME=VALUE]... PATH [ARG]...",
	  "A new process: a default static program's layout, or an execve()\n"
	  "of this machine's ELF file PATH. Later lines run in it." },
	{ "import", "import FILE [KEY=VALUE...]",
	  "A process from a /proc/PID/smaps (or maps) snapshot." },
	{ "pid", "pid N", "Selects process N (one not seen yet gets a default process)." },
	{ "exit", "exit", "Ends the selected process (its memory is freed)." },
	{ "touch", "touch ADDR read|write|exec [VALUE]",
	  "One access as the CPU makes it: walks the page tables and takes\n"
	  "the page fault Linux would; prints the signal if one is raised." },
	{ "file", "file PATH size=N [dev=MAJ:MIN] [ino=N] [kind=regular|tmpfs|devzero|device|hugetlbfs]",
	  "Declares a file the script can open and map." },
	{ "set", "set KNOB=VALUE",
	  "A sysctl or sysfs knob by its /proc/sys path (vm.overcommit_memory)\n"
	  "or as mm.DIR.FILE for /sys/kernel/mm (mm.transparent_hugepage.enabled)." },
	{ "show", "show maps|smaps|smaps_rollup|status|stat|pmap|faults|meminfo|vmstat|buddyinfo|zoneinfo|lru|swaps|dmesg|oom_score|pagetable ADDR|statfs PATH|memcg NAME [FILE]|PATH",
	  "Prints a /proc file of the process or the machine, byte for byte,\n"
	  "or a view of mmsim's own (lru, faults, pagetable ADDR)." },
	{ "expect", "expect maps ... end | expect signal SIG [CODE]|none | expect map_count N",
	  "Checks the model: a mismatch is reported and the run goes on." },
	{ "echo", "echo TEXT", "Prints TEXT." },
	{ "sleep", "sleep MS",
	  "Advances the simulated clock: khugepaged, the flusher and kswapd run." },
	{ "memcg", "memcg NAME [memory.max=SIZE] [memory.high=SIZE] [memory.swap.max=SIZE] [memory.oom.group=0|1] [cgroup.procs=PID]",
	  "Makes the memory cgroup NAME (cgroup v2, under /sys/fs/cgroup) if it\n"
	  "is new and writes its files; cgroup.procs=0 moves the selected\n"
	  "process into it. 'show memcg NAME [FILE]' prints its files." },
	{ "explain", "explain on|off|json",
	  "Explain mode: every operation narrates the kernel path it takes\n"
	  "(Linux's function names, the decisions made) and what it changed\n"
	  "(maps lines, counters); json writes the same as NDJSON." },
	{ "SYSCALL", "mmap(...) munmap(...) mprotect(...) mremap(...) brk(...) madvise(...) ...",
	  "A syscall in strace's syntax, e.g.\n"
	  "  mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)\n"
	  "An \" = RESULT\" after it is checked against the model's." },
	{ NULL, NULL, NULL },
};
