/*
 * Models fs/proc/array.c do_task_stat(): the one line of /proc/PID/stat,
 * all 52 fields in the kernel's format. The memory fields come from the
 * model (minflt, majflt, vsize, rss, rsslim, the code/data/brk/arg/env
 * boundaries and start_stack).
 * DIVERGENCE(linux): fields about scheduling, signals, terminals and time
 * describe a task the model does not run: a sleeping ("S") single-threaded
 * process, times 0, no pending signals, exit_signal SIGCHLD.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "fs/proc/internal.h"

int mmsim_proc_stat(struct mmsim_process *p, FILE *out)
{
	struct mm_struct *mm;
	struct task_mem_counters c;
	uint64_t rss, rsslim;

	if (!p || !p->mm || !out)
		return -EINVAL;
	mm = p->mm;
	task_mem_counters(mm, &c);
	rss = c.anon + c.file + c.shmem;
	rsslim = p->rlim[5].cur;	/* RLIMIT_RSS */
	fprintf(out,
		"%d (%s) S %d %d %d 0 -1 4194304 %" PRIu64 " 0 %" PRIu64
		" 0 0 0 0 0 20 0 1 0 0 %" PRIu64 " %" PRIu64 " %" PRIu64
		" %" PRIu64 " %" PRIu64 " %" PRIu64 " 0 0 0 0 0 0 0 0 0 17 0 0"
		" 0 0 0 0 %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
		" %" PRIu64 " %" PRIu64 " %" PRIu64 " 0\n",
		p->pid, p->comm, p->ppid, p->pid, p->pid, p->min_flt,
		p->maj_flt, mm->total_vm << PAGE_SHIFT, rss, rsslim,
		mm->start_code, mm->end_code, mm->start_stack, mm->start_data,
		mm->end_data, mm->start_brk, mm->arg_start, mm->arg_end,
		mm->env_start, mm->env_end);
	return ferror(out) ? -EIO : 0;
}
