/*
 * Models mm/oom_kill.c for a global OOM (no memory cgroup, cpuset or
 * mempolicy constraint): oom_badness(), select_bad_process(),
 * oom_kill_process() and the kernel log lines that announce them.
 *
 * The victim's memory goes at once (what its exit and the oom_reaper
 * do) unless the victim is the task whose operation is allocating (or
 * that task is not known): that one keeps going with ALLOC_OOM and its
 * memory goes when the operation ends (syscall_exit()). A killed process stays as a zombie: no VMAs, no
 * files, every access answered with SIGKILL.
 *
 * DIVERGENCE(linux): no process is init or a kernel thread, so every
 * process may be picked; with no victim Linux panics ("System is
 * deadlocked on memory"), the model fails the allocation. The log keeps
 * the "invoked oom-killer" and "Killed process" lines, not the Mem-Info
 * dump and task table between them, nor the oom_reaper's line.
 * DIVERGENCE(linux): the victim's memory going at once closes the window
 * in which Linux, after exit_mmap() set MMF_OOM_SKIP and before the
 * pages are uncharged, may pick a second victim.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"

#define OOM_SCORE_ADJ_MIN	(-1000)
#define OOM_SCORE_ADJ_MAX	1000

/* printk(): one line into the machine's kernel log (dmesg). */
void printk(struct mmsim_machine *m, const char *fmt, ...)
{
	va_list ap;
	char line[512];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	if (m->kmsg_len + (size_t)n + 1 > m->kmsg_cap) {
		size_t cap = m->kmsg_cap ? m->kmsg_cap : 4096;
		char *buf;

		while (cap < m->kmsg_len + (size_t)n + 1)
			cap *= 2;
		buf = realloc(m->kmsg, cap);
		if (!buf)
			return;
		m->kmsg = buf;
		m->kmsg_cap = cap;
	}
	memcpy(m->kmsg + m->kmsg_len, line, (size_t)n);
	m->kmsg_len += (size_t)n;
	m->kmsg[m->kmsg_len] = '\0';
}

static uint64_t get_mm_rss(const struct mm_struct *mm)
{
	return (uint64_t)(mm->rss_stat[MM_FILEPAGES] +
			  mm->rss_stat[MM_ANONPAGES] +
			  mm->rss_stat[MM_SHMEMPAGES]);
}

/*
 * oom_badness(): rss + swap entries + page-table pages, moved by
 * oom_score_adj thousandths of totalpages; LONG_MIN for a task that may
 * not be killed (adj -1000, already killed, no mm).
 */
long oom_badness(struct mmsim_process *p, uint64_t totalpages)
{
	struct mm_struct *mm = p->mm;
	long points, adj = p->oom_score_adj;

	if (!mm || p->oom_killed || adj == OOM_SCORE_ADJ_MIN)
		return LONG_MIN;
	points = (long)(get_mm_rss(mm) +
			(uint64_t)mm->rss_stat[MM_SWAPENTS] +
			(uint64_t)mm->pgtables_bytes / PAGE_SIZE);
	adj *= (long)(totalpages / 1000);
	return points + adj;
}

static uint64_t oom_totalpages(struct mmsim_machine *m)
{
	return totalram_pages(m) + m->total_swap_pages;
}

/*
 * select_bad_process(): the highest badness; ties go to the task found
 * last in creation order. NULL with *abort set when a victim picked
 * earlier is still dying (it will free memory).
 */
static struct mmsim_process *select_bad_process(struct mmsim_machine *m,
						struct mem_cgroup *memcg,
						uint64_t totalpages,
						bool *abort)
{
	struct mmsim_process *p, *chosen = NULL;
	long chosen_points = LONG_MIN;

	*abort = false;
	/* m->procs is newest first: a strict > keeps the newest of a tie */
	for (p = m->procs; p; p = p->next_in_machine) {
		long points;

		/* a memcg OOM looks at the memcg's tasks only */
		if (memcg && !mem_cgroup_is_descendant(task_memcg(m, p), memcg))
			continue;

		if (p->oom_victim && !p->oom_killed) {
			*abort = true;
			return NULL;
		}
		/* oom_task_origin(): a task in swapoff goes first */
		points = p->oom_origin && !p->oom_killed ? LONG_MAX :
						  oom_badness(p, totalpages);
		if (points == LONG_MIN ||
		    (chosen && points <= chosen_points))
			continue;
		chosen = p;
		chosen_points = points;
	}
	return chosen;
}

/*
 * The gfp mask as the kernel prints it (%pGg): the model's bits are
 * Linux's, plus __GFP_HARDWALL, which GFP_USER-based masks carry.
 */
static void format_gfp(gfp_t gfp, char *buf, size_t size)
{
	static const struct {
		unsigned int mask;
		const char *name;
	} names[] = {
		{ 0x140cca, "GFP_HIGHUSER_MOVABLE|__GFP_COMP" },
		{ 0x100cca, "GFP_HIGHUSER_MOVABLE" },
		{ 0x100dca, "GFP_HIGHUSER_MOVABLE|__GFP_ZERO" },
		{ 0xcc0, "GFP_KERNEL" },
		{ 0xdc0, "GFP_KERNEL|__GFP_ZERO" },
	};
	unsigned int v = gfp;
	size_t i;

	if (gfp & (__GFP_HIGHMEM | __GFP_MOVABLE))
		v |= 0x100000;	/* __GFP_HARDWALL */
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].mask == v) {
			snprintf(buf, size, "%#x(%s)", v, names[i].name);
			return;
		}
	}
	snprintf(buf, size, "%#x()", v);
}

/* The victim's memory and files go (exit_mmap(), exit_files()). */
static void oom_reap(struct mmsim_process *p)
{
	int fd;

	mm_release_all(p->mm);
	for (fd = 0; fd < p->nr_fds; fd++) {
		fput(p->fds[fd]);
		p->fds[fd] = NULL;
	}
	p->oom_killed = true;
}

/* __oom_kill_process(): the log line, the counters, SIGKILL. */
static void __oom_kill_process(struct mmsim_machine *m,
			       struct mmsim_process *victim,
			       const char *message)
{
	struct mm_struct *mm = victim->mm;

	count_vm_event(m, OOM_KILL);
	memcg_memory_event(task_memcg(m, victim), MEMCG_OOM_KILL);
	printk(m,
	       "%s: Killed process %d (%s) total-vm:%" PRIu64
	       "kB, anon-rss:%" PRId64 "kB, file-rss:%" PRId64
	       "kB, shmem-rss:%" PRId64 "kB, UID:0 pgtables:%" PRId64
	       "kB oom_score_adj:%d\n",
	       message, victim->pid, victim->comm, mm->total_vm << (PAGE_SHIFT - 10),
	       mm->rss_stat[MM_ANONPAGES] << (PAGE_SHIFT - 10),
	       mm->rss_stat[MM_FILEPAGES] << (PAGE_SHIFT - 10),
	       mm->rss_stat[MM_SHMEMPAGES] << (PAGE_SHIFT - 10),
	       mm->pgtables_bytes >> 10, victim->oom_score_adj);
	victim->oom_victim = true;
	/*
	 * With the allocating task unknown, the victim might be the one
	 * whose operation is running: its memory goes when an operation
	 * ends (oom_exit_pending()).
	 */
	if (m->current_task && victim != m->current_task)
		oom_reap(victim);
	else
		m->oom_reap_pending = true;
}

/*
 * mem_cgroup_get_oom_group(): with memory.oom.group set on the victim's
 * memcg or an ancestor up to the OOM's domain, the highest such memcg,
 * whose every task is killed.
 */
static struct mem_cgroup *mem_cgroup_get_oom_group(struct mmsim_machine *m,
						   struct mmsim_process *victim,
						   struct mem_cgroup *domain)
{
	struct mem_cgroup *memcg = task_memcg(m, victim), *group = NULL;

	if (!domain)
		domain = m->memcgs[0];
	for (; memcg && !mem_cgroup_is_root(memcg); memcg = memcg->parent) {
		if (memcg->oom_group)
			group = memcg;
		if (memcg == domain)
			break;
	}
	return group;
}

static void oom_kill_process(struct mmsim_machine *m,
			     struct mmsim_process *victim,
			     struct mem_cgroup *domain, const char *message)
{
	struct mem_cgroup *group = mem_cgroup_get_oom_group(m, victim, domain);
	struct mmsim_process *p;

	__oom_kill_process(m, victim, message);
	if (!group)
		return;
	memcg_memory_event(group, MEMCG_OOM_GROUP_KILL);
	for (p = m->procs; p; p = p->next_in_machine)
		if (p != victim && !p->oom_victim && p->mm &&
		    p->oom_score_adj != OOM_SCORE_ADJ_MIN &&
		    mem_cgroup_is_descendant(task_memcg(m, p), group))
			__oom_kill_process(m, p, "Memory cgroup out of memory");
}

static bool __out_of_memory(struct mmsim_machine *m, struct mem_cgroup *memcg,
			    gfp_t gfp, unsigned int order)
{
	struct mmsim_process *cur = m->current_task, *victim;
	uint64_t totalpages = memcg ? mem_cgroup_get_max(m, memcg) :
				      oom_totalpages(m);
	char gfpbuf[96];
	bool abort;

	if (!totalpages)
		totalpages = 1;
	/* task_will_free_mem(current): a dying task just goes on */
	if (cur && cur->oom_victim)
		return true;
	victim = select_bad_process(m, memcg, totalpages, &abort);
	if (abort)
		return cur != NULL;	/* only a live task's exit frees it */
	format_gfp(gfp, gfpbuf, sizeof(gfpbuf));
	printk(m,
	       "%s invoked oom-killer: gfp_mask=%s, order=%u, "
	       "oom_score_adj=%d\n",
	       cur ? cur->comm : "kworker", gfpbuf, order,
	       cur ? cur->oom_score_adj : 0);
	if (!victim) {
		if (!memcg)
			printk(m, "Out of memory and no killable processes...\n");
		return false;
	}
	explain(m, "out_of_memory", "%s%s%s could not free enough for an order-%u allocation: select_bad_process picks pid=%d (%s) with badness=%ld (rss + swap entries + page tables = %ld pages, oom_score_adj=%d); oom_kill_process sends SIGKILL and the OOM reaper frees its memory", memcg ? "memory cgroup " : "reclaim", memcg ? memcg->name : "", memcg ? "'s limit reclaim" : "", order, victim->pid, victim->comm, oom_badness(victim, totalpages), oom_badness(victim, totalpages) - (long)victim->oom_score_adj * (long)(totalpages / 1000), victim->oom_score_adj);
	oom_kill_process(m, victim, memcg,
			 memcg ? "Memory cgroup out of memory" : "Out of memory");
	return true;
}

bool out_of_memory(struct mmsim_machine *m, gfp_t gfp, unsigned int order)
{
	return __out_of_memory(m, NULL, gfp, order);
}

bool out_of_memory_memcg(struct mmsim_machine *m, struct mem_cgroup *memcg,
			 gfp_t gfp, unsigned int order)
{
	return __out_of_memory(m, memcg, gfp, order);
}

bool oom_current_is_victim(struct mmsim_machine *m)
{
	return m->current_task && m->current_task->oom_victim;
}

/* At the end of an operation: a victim picked meanwhile now exits. */
void oom_exit_current(struct mmsim_process *p)
{
	oom_reap_victims(p->machine);
}

void oom_reap_victims(struct mmsim_machine *m)
{
	struct mmsim_process *q;

	m->oom_reap_pending = false;
	for (q = m->procs; q; q = q->next_in_machine)
		if (q->oom_victim && !q->oom_killed)
			oom_reap(q);
}

int mmsim_set_oom_score_adj(struct mmsim_process *p, int adj)
{
	if (adj < OOM_SCORE_ADJ_MIN || adj > OOM_SCORE_ADJ_MAX)
		return -EINVAL;
	p->oom_score_adj = adj;
	return 0;
}

int mmsim_get_oom_score_adj(const struct mmsim_process *p)
{
	return p->oom_score_adj;
}

/* /proc/PID/oom_score: badness around 1000 per totalpages, times 2/3. */
long mmsim_oom_score(struct mmsim_process *p)
{
	uint64_t totalpages = oom_totalpages(p->machine);
	long badness = oom_badness(p, totalpages);

	if (badness == LONG_MIN)
		return 0;
	return (1000 + badness * 1000 / (long)totalpages) * 2 / 3;
}

bool mmsim_process_killed(const struct mmsim_process *p)
{
	return p->oom_killed;
}

int mmsim_dmesg(struct mmsim_machine *m, FILE *out)
{
	if (m->kmsg_len && fwrite(m->kmsg, 1, m->kmsg_len, out) != m->kmsg_len)
		return -EIO;
	return 0;
}
