/*
 * The simulated computer and its processes: machine creation with Linux's
 * default knobs, process and mm_struct lifetime, rlimits, capabilities,
 * and the default layout of a freshly exec'd static program (ASLR off).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <inttypes.h>

#include "mm/internal.h"
#include "mm/mman.h"

#define DEFAULT_RAM (16ULL << 30)

struct mmsim_machine *mmsim_machine_create(const struct mmsim_config *cfg)
{
	struct mmsim_machine *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	if (cfg)
		m->cfg = *cfg;
	if (!m->cfg.ram_bytes)
		m->cfg.ram_bytes = DEFAULT_RAM;
	if (m->cfg.pgtable_levels != 5)
		m->cfg.pgtable_levels = 4;
	m->totalram_pages = m->cfg.ram_bytes >> PAGE_SHIFT;
	m->knobs.max_map_count = 65530;
	m->knobs.mmap_min_addr = 4096;
	m->knobs.config_lsm_mmap_min_addr = 65536;
	m->knobs.overcommit_memory = 0;
	m->knobs.overcommit_ratio = 50;
	m->knobs.admin_reserve_kbytes = 8192;
	m->knobs.user_reserve_kbytes = 131072;
	m->knobs.stack_guard_gap = 256 * PAGE_SIZE;
	thp_knobs_init(m);
	m->knobs.dirty_ratio = 20;
	m->knobs.dirty_background_ratio = 10;
	m->knobs.dirty_expire_centisecs = 3000;
	m->knobs.dirty_writeback_centisecs = 500;
	m->knobs.read_ahead_kb = 128;
	m->knobs.page_cluster = 3;
	m->knobs.max_sectors_kb = 1280;
	m->knobs.fault_around_bytes = 65536;
	m->knobs.swappiness = 60;
	m->next_pid = 1000;
	m->next_shmem_ino = 1024;
	m->swap_least_priority = -1;	/* the first default priority is -2 */
	page_data_init(m);
	hugetlb_init(m);
	shm_init_ns(m);
	if (mem_cgroup_init(m) || page_alloc_init(m) || zero_page_init(m)) {
		mmsim_machine_destroy(m);
		return NULL;
	}
	m->totalram_pages = totalram_pages(m);
	vmstat_boot_init(m);
	return m;
}

void mmsim_machine_destroy(struct mmsim_machine *m)
{
	struct inode *i, *next;

	if (!m)
		return;
	explain_machine_free(m);
	while (m->procs)
		mmsim_exit(m->procs);
	shm_exit_ns(m);
	vma_cache_drain(m);
	for (i = m->inodes; i; i = next) {
		next = i->next_in_machine;
		inode_destroy(i);
	}
	path_map_destroy(&m->inode_paths, NULL);
	swap_exit(m);
	free(m->khugepaged_mms);
	hugetlb_exit(m);
	xa_destroy(&m->pmd_share);
	page_data_exit(m);
	page_alloc_exit(m);
	mem_cgroup_exit(m);
	free(m->kmsg);
	free(m);
}

/* ---- knobs ---- */

struct knob {
	const char *name;
	size_t offset;
	uint64_t min, max;
};

#define KNOB(n, field, lo, hi) { n, offsetof(struct vm_knobs, field), lo, hi }

static const struct knob u64_knobs[] = {
	KNOB("vm.max_map_count", max_map_count, 0, INT32_MAX),
	KNOB("vm.mmap_min_addr", mmap_min_addr, 0, UINT64_MAX),
	KNOB("vm.overcommit_kbytes", overcommit_kbytes, 0, UINT64_MAX),
	KNOB("vm.admin_reserve_kbytes", admin_reserve_kbytes, 0, UINT64_MAX),
	KNOB("vm.user_reserve_kbytes", user_reserve_kbytes, 0, UINT64_MAX),
	KNOB("config.lsm_mmap_min_addr", config_lsm_mmap_min_addr, 0,
	     UINT64_MAX),
	/* set through writeback_knob_set(), read here */
	KNOB("vm.dirty_bytes", dirty_bytes, 0, UINT64_MAX),
	KNOB("vm.dirty_background_bytes", dirty_background_bytes, 0,
	     UINT64_MAX),
	KNOB("block.read_ahead_kb", read_ahead_kb, 0, 1ULL << 30),
	KNOB("block.max_sectors_kb", max_sectors_kb, 4, 1ULL << 30),
	/* debugfs rejects more than one page table's worth */
	KNOB("debug.fault_around_bytes", fault_around_bytes, 0,
	     512 * 4096),
	KNOB("tmpfs.size_kb", tmpfs_size_kb, 0, UINT64_MAX),
};

static const struct knob int_knobs[] = {
	KNOB("vm.legacy_va_layout", legacy_va_layout, 0, INT32_MAX),
	KNOB("vm.overcommit_memory", overcommit_memory, 0, 2),
	KNOB("vm.overcommit_ratio", overcommit_ratio, 0, INT32_MAX),
	KNOB("kernel.randomize_va_space", randomize_va_space, 0, 2),
	KNOB("vm.dirty_ratio", dirty_ratio, 0, 100),
	KNOB("vm.dirty_background_ratio", dirty_background_ratio, 0, 100),
	KNOB("vm.dirty_expire_centisecs", dirty_expire_centisecs, 0,
	     INT32_MAX),
	/* set through writeback_knob_set(), read here */
	KNOB("vm.dirty_writeback_centisecs", dirty_writeback_centisecs, 0,
	     INT32_MAX),
	KNOB("vm.page-cluster", page_cluster, 0, 31),
	KNOB("vm.swappiness", swappiness, 0, 200),
	/* Kernel build options the model can follow either way. */
	KNOB("config.anon_vma_name", config_anon_vma_name, 0, 1),
	KNOB("config.memory_failure", config_memory_failure, 0, 1),
};

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || *s == '-')
		return -EINVAL;
	*out = v;
	return 0;
}

/* Knob names for completion: the tables above, then those set by code. */
const char *mmsim_knob_name(size_t i)
{
	static const char *const others[] = {
		"mm.transparent_hugepage.enabled",
		"mm.transparent_hugepage.defrag",
		"mm.transparent_hugepage.use_zero_page",
		"mm.transparent_hugepage.shmem_enabled",
		"mm.transparent_hugepage.khugepaged.pages_to_scan",
		"mm.transparent_hugepage.khugepaged.scan_sleep_millisecs",
		"mm.transparent_hugepage.khugepaged.max_ptes_none",
		"mm.transparent_hugepage.hugepages-64kB.enabled",
		"mm.transparent_hugepage.hugepages-2048kB.enabled",
		"mm.hugepages.hugepages-2048kB.nr_hugepages",
		"mm.hugepages.hugepages-1048576kB.nr_hugepages",
		"vm.nr_hugepages", "vm.nr_overcommit_hugepages",
		"vm.min_free_kbytes", "vm.watermark_scale_factor",
		"vm.stack_guard_gap", "vm.drop_caches", "tmpfs.huge",
		"kernel.shmmax",
		"kernel.shmall", "kernel.shmmni", "oom_score_adj",
	};
	size_t nu = sizeof(u64_knobs) / sizeof(u64_knobs[0]);
	size_t ni = sizeof(int_knobs) / sizeof(int_knobs[0]);

	if (i < nu)
		return u64_knobs[i].name;
	i -= nu;
	if (i < ni)
		return int_knobs[i].name;
	i -= ni;
	return i < sizeof(others) / sizeof(others[0]) ? others[i] : NULL;
}

int mmsim_knob_set(struct mmsim_machine *m, const char *name,
		   const char *value)
{
	size_t i;
	uint64_t v;

	{
		bool parsed = !parse_u64(value, &v);
		int r = hugetlb_knob_set(m, name, parsed ? v : 0, parsed);

		if (r != -ENOENT)
			return r;
		r = shm_knob_set(m, name, value);
		if (r != -ENOENT)
			return r;
	}
	if (!strncmp(name, "mm.transparent_hugepage.", 24))
		return thp_knob_set(m, name + 24, value);
	if (!strcmp(name, "tmpfs.huge"))
		return thp_knob_set(m, name, value);
	if (!strcmp(name, "vm.drop_caches")) {
		if (parse_u64(value, &v))
			return -EINVAL;
		return drop_caches(m, v);
	}
	if (!strcmp(name, "vm.stack_guard_gap")) {
		/* The boot option stack_guard_gap=, in pages. */
		if (parse_u64(value, &v) || v > (1ULL << 40))
			return -EINVAL;
		m->knobs.stack_guard_gap = v << PAGE_SHIFT;
		return 0;
	}
	if (!strcmp(name, "vm.min_free_kbytes"))
		return parse_u64(value, &v) ? -EINVAL :
		       page_alloc_set_min_free_kbytes(m, v);
	if (!strcmp(name, "vm.watermark_scale_factor"))
		return parse_u64(value, &v) ? -EINVAL :
		       page_alloc_set_watermark_scale_factor(m, v);
	if (!strncmp(name, "vm.dirty_", 9)) {
		/* an unparsable value is out of every range there */
		int r = writeback_knob_set(m, name, parse_u64(value, &v) ?
							    UINT64_MAX : v);

		if (r != -ENOENT)
			return r;
	}
	for (i = 0; i < sizeof(u64_knobs) / sizeof(u64_knobs[0]); i++) {
		if (strcmp(name, u64_knobs[i].name))
			continue;
		if (parse_u64(value, &v) || v < u64_knobs[i].min ||
		    v > u64_knobs[i].max)
			return -EINVAL;
		*(uint64_t *)((char *)&m->knobs + u64_knobs[i].offset) = v;
		return 0;
	}
	for (i = 0; i < sizeof(int_knobs) / sizeof(int_knobs[0]); i++) {
		if (strcmp(name, int_knobs[i].name))
			continue;
		if (parse_u64(value, &v) || v < int_knobs[i].min ||
		    v > int_knobs[i].max)
			return -EINVAL;
		*(int *)((char *)&m->knobs + int_knobs[i].offset) = (int)v;
		return 0;
	}
	return -ENOENT;
}

int mmsim_knob_get(struct mmsim_machine *m, const char *name, char *buf,
		   size_t size)
{
	size_t i;

	if (hugetlb_knob_get(m, name, buf, size) == 0)
		return 0;
	if (shm_knob_get(m, name, buf, size) == 0)
		return 0;
	if (!strncmp(name, "mm.transparent_hugepage.", 24))
		return thp_knob_get(m, name + 24, buf, size);
	if (!strcmp(name, "tmpfs.huge"))
		return thp_knob_get(m, name, buf, size);
	if (!strcmp(name, "vm.min_free_kbytes")) {
		snprintf(buf, size, "%" PRIu64, m->min_free_kbytes);
		return 0;
	}
	if (!strcmp(name, "vm.drop_caches")) {	/* the last value written */
		snprintf(buf, size, "%" PRIu64, m->drop_caches_last);
		return 0;
	}
	if (!strcmp(name, "vm.watermark_scale_factor")) {
		snprintf(buf, size, "%" PRIu64, m->watermark_scale_factor);
		return 0;
	}
	for (i = 0; i < sizeof(u64_knobs) / sizeof(u64_knobs[0]); i++)
		if (!strcmp(name, u64_knobs[i].name)) {
			snprintf(buf, size, "%" PRIu64,
				 *(uint64_t *)((char *)&m->knobs +
					       u64_knobs[i].offset));
			return 0;
		}
	for (i = 0; i < sizeof(int_knobs) / sizeof(int_knobs[0]); i++)
		if (!strcmp(name, int_knobs[i].name)) {
			snprintf(buf, size, "%d",
				 *(int *)((char *)&m->knobs +
					  int_knobs[i].offset));
			return 0;
		}
	return -ENOENT;
}

/* ---- processes ---- */

struct mmsim_machine *mmsim_process_machine(struct mmsim_process *p)
{
	return p ? p->machine : NULL;
}

struct mm_struct *mm_alloc(struct mmsim_process *p)
{
	struct mm_struct *mm = calloc(1, sizeof(*mm));

	if (!mm)
		return NULL;
	vma_tree_init(&mm->mm_mt);
	mm->mm_id = ++p->machine->next_mm_id;
	mm->machine = p->machine;
	mm->owner = p;
	mm->task_size = TASK_SIZE_47;
	/*
	 * init_new_context(): with PKU key 0 is allocated and the
	 * execute-only key is not chosen yet; without, no key is allocated.
	 */
	mm->pkey_allocation_map = p->machine->cfg.pku ? 1 : 0;
	mm->execute_only_pkey = p->machine->cfg.pku ? -1 : 0;
	if (pgd_alloc(mm)) {
		free(mm);
		return NULL;
	}
	return mm;
}

void mm_release_all(struct mm_struct *mm)
{
	struct vm_area_struct *vma, *next;

	khugepaged_exit(mm);
	exit_mmap_pages(mm);
	for (vma = mm_first_vma(mm); vma; vma = next) {
		next = vma_next(vma);
		if (vma->vm_flags & VM_ACCOUNT)
			vm_unacct_memory(mm->machine, vma_pages(vma));
		vma_unlink_free(mm, vma);
	}
	mm->total_vm = mm->locked_vm = mm->pinned_vm = 0;
	mm->data_vm = mm->exec_vm = mm->stack_vm = 0;
	mm->vma_cache = NULL;
}

void mm_free(struct mm_struct *mm)
{
	if (!mm)
		return;
	mm_release_all(mm);
	vm_area_free(mm->gate_vma);
	free(mm);
}

struct mmsim_process *process_alloc(struct mmsim_machine *m, const char *comm)
{
	struct mmsim_process *p = calloc(1, sizeof(*p));
	int i;

	if (!p)
		return NULL;
	p->machine = m;
	p->pid = m->next_pid++;
	snprintf(p->comm, sizeof(p->comm), "%s", comm ? comm : "mmsim");
	for (i = 0; i < MMSIM_RLIM_NLIMITS; i++)
		p->rlim[i].cur = p->rlim[i].max = RLIM_INFINITY;
	p->rlim[MMSIM_RLIMIT_STACK].cur = 8ULL << 20;
	p->rlim[MMSIM_RLIMIT_MEMLOCK].cur = 8ULL << 20;
	p->rlim[MMSIM_RLIMIT_MEMLOCK].max = 8ULL << 20;
	/* root: every capability */
	p->caps = ~0ULL;
	p->personality = ADDR_NO_RANDOMIZE;
	p->pkru = init_pkru_value(m);
	p->mm = mm_alloc(p);
	if (!p->mm) {
		free(p);
		return NULL;
	}
	arch_pick_mmap_layout(p);
	p->next_in_machine = m->procs;
	m->procs = p;
	return p;
}

void process_free(struct mmsim_process *p)
{
	struct mmsim_process **pp;
	int fd;

	for (pp = &p->machine->procs; *pp; pp = &(*pp)->next_in_machine)
		if (*pp == p) {
			*pp = p->next_in_machine;
			break;
		}
	mm_free(p->mm);
	exit_shm(p);
	for (fd = 0; fd < p->nr_fds; fd++)
		fput(p->fds[fd]);
	free(p->fds);
	free(p);
}

void mmsim_exit(struct mmsim_process *p)
{
	if (p)
		process_free(p);
}

int mmsim_process_pid(const struct mmsim_process *p)
{
	return p->pid;
}

struct mmsim_process *mmsim_process_find(struct mmsim_machine *m, int pid)
{
	struct mmsim_process *p;

	for (p = m->procs; p; p = p->next_in_machine)
		if (p->pid == pid)
			return p;
	return NULL;
}

int mmsim_setrlimit(struct mmsim_process *p, int resource,
		    const struct mmsim_rlimit *lim)
{
	if (resource < 0 || resource >= MMSIM_RLIM_NLIMITS)
		return -EINVAL;
	if (lim->cur > lim->max)
		return -EINVAL;
	if (lim->max > p->rlim[resource].max && !capable(p, 24 /* CAP_SYS_RESOURCE */))
		return -EPERM;
	p->rlim[resource] = *lim;
	if (resource == MMSIM_RLIMIT_STACK && !mm_first_vma(p->mm))
		arch_pick_mmap_layout(p);
	return 0;
}

int mmsim_getrlimit(struct mmsim_process *p, int resource,
		    struct mmsim_rlimit *lim)
{
	if (resource < 0 || resource >= MMSIM_RLIM_NLIMITS)
		return -EINVAL;
	*lim = p->rlim[resource];
	return 0;
}

void mmsim_set_capable(struct mmsim_process *p, int cap, bool on)
{
	if (cap < 0 || cap > 63)
		return;
	if (on)
		p->caps |= 1ULL << cap;
	else
		p->caps &= ~(1ULL << cap);
}

int mmsim_map_count(struct mmsim_process *p)
{
	return p->mm->map_count;
}

/* ---- the default layout: a static program just exec'd, ASLR off ---- */

struct seg {
	uint64_t start, end, pgoff;
	vm_flags_t flags;
	int kind;	/* 0 file, 1 anon, 2 stack, 3..6 specials */
};

#define FILE_RO (VM_READ | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)

static const struct seg default_layout[] = {
	{ 0x400000, 0x401000, 0x0, FILE_RO, 0 },
	{ 0x401000, 0x47b000, 0x1, FILE_RO | VM_EXEC, 0 },
	{ 0x47b000, 0x4a3000, 0x7b, FILE_RO, 0 },
	{ 0x4a3000, 0x4a7000, 0xa2, FILE_RO | VM_ACCOUNT, 0 },
	{ 0x4a7000, 0x4aa000, 0xa6, FILE_RO | VM_WRITE | VM_ACCOUNT, 0 },
	{ 0x4aa000, 0x4af000, 0x4aa, FILE_RO | VM_WRITE | VM_ACCOUNT, 1 },
	{ 0x7ffff7ff7000, 0x7ffff7ffb000, 0,
	  VM_READ | VM_MAYREAD | VM_PFNMAP | VM_IO | VM_DONTEXPAND |
		  VM_DONTDUMP, 3 },
	{ 0x7ffff7ffb000, 0x7ffff7ffd000, 0,
	  VM_READ | VM_MAYREAD | VM_PFNMAP | VM_IO | VM_DONTEXPAND |
		  VM_DONTDUMP, 4 },
	{ 0x7ffff7ffd000, 0x7ffff7fff000, 0,
	  VM_READ | VM_EXEC | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC |
		  VM_DONTEXPAND, 5 },
	{ 0x7ffffffde000, 0x7ffffffff000, 0x7ffffffde,
	  VM_STACK_DEFAULT_FLAGS | VM_GROWSDOWN, 2 },
	{ VSYSCALL_ADDR, VSYSCALL_ADDR + PAGE_SIZE, 0, VM_EXEC, 6 },
};

struct mmsim_process *mmsim_spawn(struct mmsim_machine *m, const char *comm)
{
	struct mmsim_process *p = process_alloc(m, comm);
	struct inode *exe;
	struct file *f;
	size_t i;

	if (!p)
		return NULL;
	exe = inode_find(m, "/usr/bin/app");
	if (!exe)
		exe = inode_new(m, "/usr/bin/app", MMSIM_FILE_REGULAR, 0xfe, 0,
				1310723, 0xaf000);
	if (!exe)
		goto fail;
	exe->i_others_write = false;
	f = file_open_inode(m, exe, true, false);
	if (!f)
		goto fail;
	for (i = 0; i < sizeof(default_layout) / sizeof(default_layout[0]);
	     i++) {
		const struct seg *s = &default_layout[i];
		struct vm_area_struct *vma = vm_area_alloc(p->mm);

		if (!vma) {
			fput(f);
			goto fail;
		}
		vma_set_range(vma, s->start, s->end, s->pgoff);
		vma->vm_flags = s->flags;
		switch (s->kind) {
		case 0:
			vma->vm_file = get_file(f);
			exe->i_mmap_count++;
			break;
		case 3:
			vma->special = VMA_SPECIAL_VVAR;
			break;
		case 4:
			vma->special = VMA_SPECIAL_VVAR_VCLOCK;
			break;
		case 5:
			vma->special = VMA_SPECIAL_VDSO;
			vma->has_close = true;
			break;
		case 6:
			vma->special = VMA_SPECIAL_VSYSCALL;
			break;
		default:
			break;
		}
		if (s->kind == 2 && anon_vma_prepare(vma) == 0)
			(void)0;
		if (s->kind != 6)
			vm_stat_account(p->mm, vma->vm_flags, vma_pages(vma));
		if (vma->vm_flags & VM_ACCOUNT)
			vm_acct_memory(m, vma_pages(vma));
		vma_link(p->mm, vma);
		if (s->kind == 2 && !vma->anon_vma)
			anon_vma_prepare(vma);
	}
	fput(f);
	p->mm->start_code = 0x401000;
	p->mm->end_code = 0x47a641;
	p->mm->start_data = 0x4a36d8;
	p->mm->end_data = 0x4a9330;
	p->mm->start_brk = p->mm->brk = 0x4af000;
	p->mm->start_stack = 0x7fffffffe3c0;
	p->mm->arg_start = 0x7fffffffe698;
	p->mm->arg_end = p->mm->env_start = 0x7fffffffe69c;
	p->mm->env_end = 0x7fffffffeff4;
	return p;
fail:
	process_free(p);
	return NULL;
}
