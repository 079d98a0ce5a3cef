/*
 * mmsim public API: the Linux 6.18 x86-64 memory manager in user space.
 *
 * Every syscall entry returns what the kernel's syscall would return: a
 * non-negative value on success, -errno on failure. Nothing here touches the
 * global errno. Handles are opaque.
 */
#ifndef MMSIM_MMSIM_H
#define MMSIM_MMSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#if defined(__GNUC__)
#define MMSIM_API __attribute__((visibility("default")))
#else
#define MMSIM_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

#include "mmsim/version.h"	/* MMSIM_VERSION, from the CMake project */

struct mmsim_machine;
struct mmsim_process;

/* Machine configuration; zero-initialised fields take Linux's defaults. */
struct mmsim_config {
	uint64_t ram_bytes;		/* default 16 GiB */
	int pgtable_levels;		/* 4 (default) or 5 */
	/*
	 * Pages the DMA, DMA32 and Normal zones manage after boot (what
	 * /proc/zoneinfo calls "managed"); 0 takes the model's estimate for
	 * ram_bytes. Lets a test reproduce a given machine exactly.
	 */
	uint64_t managed_pages[3];
	/*
	 * The CPU has protection keys enabled (x86 OSPKE): pkey_alloc() hands
	 * out keys 1-15, PROT_EXEC-only mappings get the execute-only key and
	 * smaps shows ProtectionKey. Default false (a CPU without PKU).
	 */
	bool pku;
};

MMSIM_API struct mmsim_machine *
mmsim_machine_create(const struct mmsim_config *cfg);
MMSIM_API void mmsim_machine_destroy(struct mmsim_machine *m);

/*
 * Set a sysctl or sysfs knob by its /proc/sys path ("vm.max_map_count",
 * "vm.mmap_min_addr", "vm.overcommit_memory", "vm.legacy_va_layout",
 * "kernel.randomize_va_space", "mm.transparent_hugepage.enabled", ...).
 * Returns 0, -ENOENT for an unknown knob or -EINVAL for a bad value.
 */
MMSIM_API int mmsim_knob_set(struct mmsim_machine *m, const char *name,
			     const char *value);
/* The i-th knob name mmsim_knob_set() knows (for completion), or NULL. */
MMSIM_API const char *mmsim_knob_name(size_t i);
/* Reads a knob into buf as its /proc/sys file would show it (no newline). */
MMSIM_API int mmsim_knob_get(struct mmsim_machine *m, const char *name,
			     char *buf, size_t size);

/*
 * Advances the machine's simulated clock by ms milliseconds, running what
 * the kernel's threads would do meanwhile (khugepaged wakes every
 * transparent_hugepage/khugepaged/scan_sleep_millisecs). 0 or -EINVAL.
 */
MMSIM_API int mmsim_clock_advance(struct mmsim_machine *m, uint64_t ms);

/* rlimits the model honours (RLIMIT_* numbering as in <sys/resource.h>). */
struct mmsim_rlimit {
	uint64_t cur, max;
};

/*
 * A new process laid out like a freshly exec'd program with ASLR off: a
 * small static ELF at 0x400000, [heap] start, [stack], [vvar],
 * [vvar_vclock], [vdso] and [vsyscall]. Returns NULL on allocation failure.
 */
MMSIM_API struct mmsim_process *mmsim_spawn(struct mmsim_machine *m,
					    const char *comm);

/*
 * A new process made by execve() of the host's ELF file at path, laid out
 * as Linux 6.18 x86-64 lays it out with ASLR off: its PT_LOAD segments (a
 * PIE at ELF_ET_DYN_BASE), bss and brk, the PT_INTERP interpreter below
 * mmap_base, [vvar], [vvar_vclock], [vdso], the [stack] holding path, argv
 * (NULL-terminated; argv[0] is not implied), envp and the auxv, and
 * [vsyscall]. Mapped files get the host file's device, inode and real
 * path. NULL on failure with the errno execve() would give in *err
 * (-ENOENT, -EACCES, -ENOEXEC, -ELIBBAD, -E2BIG, -ENOMEM, ...).
 */
MMSIM_API struct mmsim_process *
mmsim_spawn_elf(struct mmsim_machine *m, const char *path,
		const char *const argv[], const char *const envp[], int *err);

/*
 * execve() in process p (as after fork): the same layout as
 * mmsim_spawn_elf() in a new address space that replaces p's when the
 * exec succeeds. 0, or the negative errno with p unchanged.
 */
MMSIM_API int mmsim_execve(struct mmsim_process *p, const char *path,
			   const char *const argv[], const char *const envp[]);

/*
 * A new process from a /proc/PID/smaps snapshot (maps is accepted too, then
 * VmFlags are inferred). start_brk/brk/start_stack are as /proc/PID/stat
 * shows them (0: inferred from [heap] and [stack]). Files named in the
 * snapshot become simulated files with the same dev:inode and path. On a
 * parse error returns NULL and writes "line:col: message" into err.
 */
struct mmsim_import {
	const char *smaps_text;
	uint64_t start_brk, brk, start_stack;
	uint64_t start_code, end_code, start_data, end_data;
	uint64_t arg_start, arg_end, env_start, env_end;
	bool have_rlimits;
	struct mmsim_rlimit rlim[16];
	bool legacy_layout;
	/*
	 * Addresses whose page table exists in the snapshot's process (where
	 * it has pages present): pages are not imported, their tables are,
	 * empty (fault-around maps nothing where no table exists yet).
	 */
	const uint64_t *pte_tables;
	size_t nr_pte_tables;
};
MMSIM_API struct mmsim_process *
mmsim_spawn_import(struct mmsim_machine *m, const struct mmsim_import *imp,
		   char *err, size_t errsize);

MMSIM_API int mmsim_process_pid(const struct mmsim_process *p);
MMSIM_API void mmsim_exit(struct mmsim_process *p);

/*
 * fork(): a child with a copy of p's address space (copy-on-write pages,
 * no VM_DONTCOPY VMAs, empty VM_WIPEONFORK ones, no memory locks) and its
 * file descriptors. NULL when memory (or the commit limit) runs out.
 */
MMSIM_API struct mmsim_process *mmsim_fork(struct mmsim_process *p);
MMSIM_API struct mmsim_process *mmsim_process_find(struct mmsim_machine *m,
						   int pid);

MMSIM_API int mmsim_setrlimit(struct mmsim_process *p, int resource,
			      const struct mmsim_rlimit *lim);
MMSIM_API int mmsim_getrlimit(struct mmsim_process *p, int resource,
			      struct mmsim_rlimit *lim);
/* Capabilities the model checks: CAP_IPC_LOCK, CAP_SYS_ADMIN, CAP_SYS_RAWIO. */
MMSIM_API void mmsim_set_capable(struct mmsim_process *p, int cap, bool on);

/* ----- Files ----- */

enum mmsim_file_kind {
	MMSIM_FILE_REGULAR,	/* a file on a simulated disk */
	MMSIM_FILE_TMPFS,	/* tmpfs / shmem */
	MMSIM_FILE_DEVZERO,	/* /dev/zero */
	MMSIM_FILE_DEVICE,	/* a character device mapped with remap_pfn_range */
	MMSIM_FILE_HUGETLBFS,	/* a file on a hugetlbfs mount (pagesize=2M) */
	MMSIM_FILE_BLKDEV,	/* a block device (a swap area: swapon only) */
};

/*
 * Creates (or finds) a file at path with the given identity. dev is
 * (major << 8 | minor) as maps prints it; size is in bytes.
 */
MMSIM_API int mmsim_file_create(struct mmsim_machine *m, const char *path,
				enum mmsim_file_kind kind, uint32_t dev_major,
				uint32_t dev_minor, uint64_t ino,
				uint64_t size);
/* open(2): O_RDONLY/O_WRONLY/O_RDWR honoured; returns the fd or -errno. */
MMSIM_API int mmsim_open(struct mmsim_process *p, const char *path,
			 int flags);
/* open(2) with a chosen fd number, so a replay keeps the recorded numbers. */
MMSIM_API int mmsim_open_at_fd(struct mmsim_process *p, const char *path,
			       int flags, int fd);
MMSIM_API int mmsim_close(struct mmsim_process *p, int fd);
MMSIM_API long mmsim_ftruncate(struct mmsim_process *p, int fd,
			       uint64_t size);
MMSIM_API int mmsim_unlink(struct mmsim_machine *m, const char *path);

/*
 * read(2), write(2), pread64(2), pwrite64(2). The data go to and from buf
 * in host memory (not the process's address space); buf may be NULL: a
 * read then discards the data, a write writes zeroes.
 */
MMSIM_API long mmsim_read(struct mmsim_process *p, int fd, void *buf,
			  uint64_t count);
MMSIM_API long mmsim_write(struct mmsim_process *p, int fd, const void *buf,
			   uint64_t count);
MMSIM_API long mmsim_pread(struct mmsim_process *p, int fd, void *buf,
			   uint64_t count, int64_t pos);
MMSIM_API long mmsim_pwrite(struct mmsim_process *p, int fd, const void *buf,
			    uint64_t count, int64_t pos);
/* fallocate(2): modes 0, FALLOC_FL_KEEP_SIZE, PUNCH_HOLE, ZERO_RANGE. */
MMSIM_API long mmsim_fallocate(struct mmsim_process *p, int fd, int mode,
			       int64_t offset, int64_t len);
/* memfd_create(2); the _at_fd form takes a chosen fd number. */
MMSIM_API long mmsim_memfd_create(struct mmsim_process *p, const char *name,
				  unsigned int flags);
MMSIM_API long mmsim_memfd_create_at_fd(struct mmsim_process *p,
					const char *name, unsigned int flags,
					int fd);
/*
 * mincore(2): one byte per page of [addr, addr + len) into vec (host
 * memory, as many bytes as pages).
 */
/*
 * swapon(path, flags) and swapoff(path): a regular file of the machine
 * becomes (stops being) a swap area; 0 or -errno. flags: SWAP_FLAG_PREFER
 * (0x8000) | priority, as swapon(2).
 */
MMSIM_API long mmsim_swapon(struct mmsim_process *p, const char *path,
			    int flags);
MMSIM_API long mmsim_swapoff(struct mmsim_process *p, const char *path);

/*
 * mount(2) of a hugetlbfs file system (fstype "hugetlbfs", any other:
 * -ENODEV) at target with the options of data ("pagesize=2M,size=8M,
 * min_size=4M,nr_inodes=N,mode=0755,uid=N,gid=N"); files opened with
 * O_CREAT under target are made in it. 0 or the kernel's -errno.
 * umount2(2) of it: -EBUSY while one of its files is open or mapped,
 * unless flags has MNT_DETACH (2). statfs(2) of a path in such a mount
 * (-ENOSYS for a path on no hugetlbfs mount: the model has no other
 * file system with a statfs view).
 */
MMSIM_API long mmsim_mount(struct mmsim_process *p, const char *source,
			   const char *target, const char *fstype,
			   unsigned long flags, const char *data);
MMSIM_API long mmsim_umount2(struct mmsim_process *p, const char *target,
			     int flags);
struct mmsim_statfs {
	uint64_t f_type, f_bsize, f_blocks, f_bfree, f_bavail, f_files,
		f_ffree, f_namelen, f_frsize, f_flags;
	uint64_t f_fsid;	/* f_fsid.val[0]: the device number */
};
MMSIM_API long mmsim_statfs(struct mmsim_process *p, const char *path,
			    struct mmsim_statfs *buf);
MMSIM_API long mmsim_mincore(struct mmsim_process *p, uint64_t addr,
			     uint64_t len, unsigned char *vec);

/*
 * Setting up files before a run: write len bytes at off into the file at
 * path through the page cache, as another process's pwrite() would (the
 * pages stay cached and dirty); mmsim_file_sync() writes a file's dirty
 * pages back (they stay cached, clean).
 */
MMSIM_API int mmsim_file_pwrite(struct mmsim_machine *m, const char *path,
				const void *buf, uint64_t len, uint64_t off);
MMSIM_API int mmsim_file_sync(struct mmsim_machine *m, const char *path);

/* ----- Memory-management syscalls ----- */

MMSIM_API long mmsim_mmap(struct mmsim_process *p, uint64_t addr,
			  uint64_t len, uint64_t prot, uint64_t flags,
			  long fd, uint64_t off);
MMSIM_API long mmsim_munmap(struct mmsim_process *p, uint64_t addr,
			    uint64_t len);
MMSIM_API long mmsim_mprotect(struct mmsim_process *p, uint64_t addr,
			      uint64_t len, uint64_t prot);
MMSIM_API long mmsim_pkey_mprotect(struct mmsim_process *p, uint64_t addr,
				   uint64_t len, uint64_t prot, long pkey);
MMSIM_API long mmsim_pkey_alloc(struct mmsim_process *p, uint64_t flags,
				uint64_t init_rights);
MMSIM_API long mmsim_pkey_free(struct mmsim_process *p, long pkey);
MMSIM_API long mmsim_mremap(struct mmsim_process *p, uint64_t old_addr,
			    uint64_t old_len, uint64_t new_len, uint64_t flags,
			    uint64_t new_addr);
MMSIM_API long mmsim_brk(struct mmsim_process *p, uint64_t brk);
MMSIM_API long mmsim_madvise(struct mmsim_process *p, uint64_t addr,
			     uint64_t len, long advice);
MMSIM_API long mmsim_mlock(struct mmsim_process *p, uint64_t addr,
			   uint64_t len);
MMSIM_API long mmsim_mlock2(struct mmsim_process *p, uint64_t addr,
			    uint64_t len, uint64_t flags);
MMSIM_API long mmsim_munlock(struct mmsim_process *p, uint64_t addr,
			     uint64_t len);
MMSIM_API long mmsim_mlockall(struct mmsim_process *p, uint64_t flags);
MMSIM_API long mmsim_munlockall(struct mmsim_process *p);
MMSIM_API long mmsim_msync(struct mmsim_process *p, uint64_t addr,
			   uint64_t len, uint64_t flags);
MMSIM_API long mmsim_mseal(struct mmsim_process *p, uint64_t addr,
			   uint64_t len, uint64_t flags);
/* prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, addr, len, name); name may be NULL */
MMSIM_API long mmsim_set_anon_vma_name(struct mmsim_process *p,
				       uint64_t addr, uint64_t len,
				       const char *name);

/*
 * prctl(PR_SET_THP_DISABLE, disable, flags, 0, 0) (option 41; flags 0 or
 * PR_THP_DISABLE_EXCEPT_ADVISED, 2) and prctl(PR_GET_THP_DISABLE, 0, 0, 0,
 * 0) (option 42): the value or -errno as the syscall returns it; other
 * options give -EINVAL.
 */
MMSIM_API long mmsim_prctl_thp(struct mmsim_process *p, int option,
			       uint64_t arg2, uint64_t arg3, uint64_t arg4,
			       uint64_t arg5);

/*
 * System V shared memory: shmget(2), shmat(2), shmdt(2), shmctl(2) as the
 * syscalls return them. shmctl's buf is host memory holding the x86-64
 * struct the command reads or writes (struct shmid64_ds, 112 bytes, for
 * IPC_STAT, SHM_STAT, SHM_STAT_ANY and IPC_SET; struct shminfo64, 72, for
 * IPC_INFO; struct shm_info, 48, for SHM_INFO); NULL reads as -EFAULT.
 */
MMSIM_API long mmsim_shmget(struct mmsim_process *p, int32_t key,
			    uint64_t size, int shmflg);
MMSIM_API long mmsim_shmat(struct mmsim_process *p, int shmid,
			   uint64_t shmaddr, int shmflg);
MMSIM_API long mmsim_shmdt(struct mmsim_process *p, uint64_t shmaddr);
MMSIM_API long mmsim_shmctl(struct mmsim_process *p, int shmid, int cmd,
			    void *buf);
/* /proc/sysvipc/shm (times are the simulated clock's seconds). */
MMSIM_API int mmsim_proc_sysvipc_shm(struct mmsim_machine *m, FILE *out);
/*
 * The process's effective uid and gid (0, root, by default; inherited by
 * fork): owners of the segments it makes, ipc permission checks and
 * vm.hugetlb_shm_group.
 */
MMSIM_API void mmsim_set_cred(struct mmsim_process *p, uint32_t uid,
			      uint32_t gid);

/* ----- Accesses (what a load, store or instruction fetch does) ----- */

enum mmsim_access_kind {
	MMSIM_ACCESS_READ,
	MMSIM_ACCESS_WRITE,
	MMSIM_ACCESS_EXEC,
};

enum mmsim_signal {
	MMSIM_SIG_NONE = 0,
	MMSIM_SIG_SEGV = 11,
	MMSIM_SIG_BUS = 7,
	MMSIM_SIG_KILL = 9,	/* the process was killed (OOM killer) */
};

struct mmsim_fault_result {
	int signo;		/* 0, SIGSEGV or SIGBUS */
	int code;		/* si_code: SEGV_MAPERR, SEGV_ACCERR, BUS_ADRERR */
	uint64_t addr;		/* si_addr */
};

/*
 * Touch one byte at addr as the CPU would. Returns 0 and fills *res (signal
 * 0 when the access succeeded).
 */
MMSIM_API int mmsim_access(struct mmsim_process *p, uint64_t addr,
			   enum mmsim_access_kind kind,
			   struct mmsim_fault_result *res);

/*
 * An 8-byte load or store at addr & ~7 (it never crosses a page), with the
 * MMU walk and any page fault it takes; *value is what was read, or what
 * to write. Returns 0 with res filled as mmsim_access() does.
 */
MMSIM_API int mmsim_access_u64(struct mmsim_process *p, uint64_t addr,
			       enum mmsim_access_kind kind, uint64_t *value,
			       struct mmsim_fault_result *res);

/*
 * process_vm_readv()/process_vm_writev() from caller (may be NULL) into
 * target's memory at remote: len bytes to or from buf. Missing pages are
 * faulted in as get_user_pages() does (counted as the caller's faults).
 * Returns the bytes copied, or -EFAULT when not even the first page could
 * be reached.
 */
MMSIM_API long mmsim_process_vm_readv(struct mmsim_process *caller,
				      struct mmsim_process *target,
				      uint64_t remote, void *buf, size_t len);
MMSIM_API long mmsim_process_vm_writev(struct mmsim_process *caller,
				       struct mmsim_process *target,
				       uint64_t remote, const void *buf,
				       size_t len);

/* The task's fault counters (/proc/PID/stat minflt and majflt). */
MMSIM_API void mmsim_fault_counts(struct mmsim_process *p, uint64_t *minflt,
				  uint64_t *majflt);

/*
 * /proc/PID/pagemap: the 64-bit entries of the n pages from vaddr
 * (page aligned), as a reader with CAP_SYS_ADMIN sees them (PFNs are the
 * model's frames). Returns 0 or -EINVAL.
 */
MMSIM_API int mmsim_pagemap_read(struct mmsim_process *p, uint64_t vaddr,
				 uint64_t *out, size_t n);

/*
 * /proc/kpageflags of the model's frame pfn, the bits the model knows:
 * KPF_COMPOUND_HEAD (15), KPF_COMPOUND_TAIL (16), KPF_THP (22, any large
 * rmappable folio and the huge zero page), KPF_ZERO_PAGE (24).
 */
MMSIM_API uint64_t mmsim_kpageflags(struct mmsim_machine *m, uint64_t pfn);
/* The machine a process runs on. */
MMSIM_API struct mmsim_machine *mmsim_process_machine(struct mmsim_process *p);

/* The first page in [addr, end) with a page-table entry, or end. */
MMSIM_API uint64_t mmsim_pagemap_next(struct mmsim_process *p, uint64_t addr,
				      uint64_t end);

/*
 * The LRU lists (pages on each) and the folios waiting in the CPU's
 * batches in front of them; mmsim's own format (Linux shows the lists
 * only as meminfo and vmstat counters).
 */
MMSIM_API int mmsim_show_lru(struct mmsim_machine *m, FILE *out);

/*
 * The page-table entries a walk to addr reads, one line as the kernel's
 * dump_pagetable() prints them ("PGD ... P4D ... PUD ... PMD ... PTE ...").
 */
MMSIM_API int mmsim_show_pagetable(struct mmsim_process *p, uint64_t addr,
				   FILE *out);

/*
 * The VMA holding addr in p, field by field as the kernel keeps it
 * (vm_start, vm_end, vm_pgoff, vm_flags by VM_* name and smaps code,
 * vm_file, vm_ops, anon_vma and its chain, the page counts); the VMAs
 * around addr when none holds it. mmsim's own format.
 */
MMSIM_API int mmsim_show_vma(struct mmsim_process *p, uint64_t addr,
			     FILE *out);

/*
 * Explain mode: each operation narrates the kernel path it takes (Linux's
 * function names, the decisions made) to out, as indented text or as
 * NDJSON, one object per event ({"fn", "depth", "msg", and the message's
 * key=value words as fields}). Off by default; when off it costs a branch
 * per narration point. mmsim_explain_begin()/end() bracket one operation
 * of process p (NULL: a machine-wide one): begin writes its header (what,
 * as the script line reads), end what it changed: the lines of p's maps
 * that went and came (p at the end: the process begin saw if it is still
 * there, else the one given, e.g. a process the operation made), and the counters that moved (vmstat events, the
 * process's fault counts and RSS).
 */
enum mmsim_explain_mode {
	MMSIM_EXPLAIN_OFF,
	MMSIM_EXPLAIN_TEXT,
	MMSIM_EXPLAIN_JSON,
};
MMSIM_API void mmsim_explain_set(struct mmsim_machine *m, int mode,
				 FILE *out);
MMSIM_API int mmsim_explain_get(const struct mmsim_machine *m);
MMSIM_API void mmsim_explain_begin(struct mmsim_machine *m,
				   struct mmsim_process *p, const char *what);
MMSIM_API void mmsim_explain_end(struct mmsim_machine *m,
				 struct mmsim_process *p);

/*
 * pmap(1) of procps-ng 4.0.x: what it prints for a process whose
 * /proc/PID/smaps is smaps (the plain mode reads only its maps lines).
 * MMSIM_PMAP_PLAIN is `pmap PID`, EXTENDED -x, DEVICE -d, MORE -X and ALL
 * -XX; quiet is -q. shm_minor is the minor device number of System V
 * shared memory (pmap finds it by attaching a segment of its own; 1 on
 * Linux 6.18 and in the model).
 */
enum mmsim_pmap_mode {
	MMSIM_PMAP_PLAIN,
	MMSIM_PMAP_EXTENDED,
	MMSIM_PMAP_DEVICE,
	MMSIM_PMAP_MORE,
	MMSIM_PMAP_ALL,
};

struct mmsim_pmap_info {
	int pid;
	const char *cmdline;	/* its arguments joined by spaces */
	uint64_t start_stack;	/* /proc/PID/stat field 28 */
	unsigned int shm_minor;
	bool quiet;
};

MMSIM_API int mmsim_pmap_render(const char *smaps,
				const struct mmsim_pmap_info *info, int mode,
				FILE *out);
/* pmap of a model process (its cmdline is its comm). */
MMSIM_API int mmsim_show_pmap(struct mmsim_process *p, int mode, bool quiet,
			      FILE *out);

/* ----- /proc views: each writes the file's exact text to out ----- */

MMSIM_API int mmsim_proc_maps(struct mmsim_process *p, FILE *out);
MMSIM_API int mmsim_proc_smaps(struct mmsim_process *p, FILE *out);
MMSIM_API int mmsim_proc_smaps_rollup(struct mmsim_process *p, FILE *out);
/* /proc/PID/stat: the memory fields are the model's (see fs/proc/array.c). */
MMSIM_API int mmsim_proc_stat(struct mmsim_process *p, FILE *out);
MMSIM_API int mmsim_proc_status(struct mmsim_process *p, FILE *out);

/*
 * The machine-wide files: /proc/meminfo, /proc/vmstat, /proc/buddyinfo and
 * /proc/zoneinfo. Returns 0, -EINVAL for a NULL argument or -EIO when out
 * fails.
 */
/* /proc/swaps: the swap areas, their size, use and priority. */
MMSIM_API int mmsim_proc_swaps(struct mmsim_machine *m, FILE *out);
MMSIM_API int mmsim_proc_meminfo(struct mmsim_machine *m, FILE *out);
MMSIM_API int mmsim_proc_vmstat(struct mmsim_machine *m, FILE *out);
MMSIM_API int mmsim_proc_buddyinfo(struct mmsim_machine *m, FILE *out);
MMSIM_API int mmsim_proc_zoneinfo(struct mmsim_machine *m, FILE *out);

/* Number of VMAs (mm->map_count). */
MMSIM_API int mmsim_map_count(struct mmsim_process *p);

/* Runs every invariant check; returns true when all hold. */
MMSIM_API bool mmsim_validate(struct mmsim_process *p);

/* ----- Memory pressure: the OOM killer and the kernel log ----- */

/*
 * /proc/PID/oom_score_adj: -1000 (never picked) .. 1000; -EINVAL out of
 * range. mmsim_oom_score() is /proc/PID/oom_score.
 */
MMSIM_API int mmsim_set_oom_score_adj(struct mmsim_process *p, int adj);
MMSIM_API int mmsim_get_oom_score_adj(const struct mmsim_process *p);
MMSIM_API long mmsim_oom_score(struct mmsim_process *p);
/*
 * Killed by the OOM killer: the process is a zombie (no memory, no
 * files; accesses report MMSIM_SIG_KILL) until mmsim_exit().
 */
MMSIM_API bool mmsim_process_killed(const struct mmsim_process *p);
/* The kernel log lines the model prints (the OOM killer's), as dmesg. */
MMSIM_API int mmsim_dmesg(struct mmsim_machine *m, FILE *out);

/*
 * Memory cgroups (cgroup v2's memory controller). PATH names a cgroup
 * below the root ("box", "box/inner"; "" or "/" is the root), as under
 * /sys/fs/cgroup. mmsim_memcg_create() is mkdir (-EEXIST, -ENOENT for a
 * missing parent, -EINVAL for a bad name); mmsim_memcg_write() writes
 * VALUE to one of its files: memory.max, memory.high, memory.swap.max
 * (bytes with an optional K/M/G/T suffix, or "max"), memory.oom.group
 * (0 or 1), cgroup.procs (a pid: the process moves; its charges stay);
 * mmsim_memcg_attach() moves p. mmsim_memcg_show() prints one of its
 * files as Linux does: memory.current, memory.peak, memory.max,
 * memory.high, memory.swap.current, memory.swap.peak, memory.swap.max,
 * memory.oom.group, memory.events, memory.events.local,
 * memory.swap.events, memory.stat (the fields the model keeps),
 * cgroup.procs. Errors: -ENOENT (no such cgroup or file), -EINVAL.
 */
MMSIM_API int mmsim_memcg_create(struct mmsim_machine *m, const char *path);
MMSIM_API int mmsim_memcg_write(struct mmsim_machine *m, const char *path,
				const char *file, const char *value);
MMSIM_API int mmsim_memcg_attach(struct mmsim_process *p, const char *path);
MMSIM_API int mmsim_memcg_show(struct mmsim_machine *m, const char *path,
			       const char *file, FILE *out);

#ifdef __cplusplus
}
#endif

#endif /* MMSIM_MMSIM_H */
