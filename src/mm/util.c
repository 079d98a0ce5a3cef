/*
 * Models the overcommit policy of mm/util.c: __vm_enough_memory() and the
 * vm_committed_as counter behind Committed_AS.
 *
 * DIVERGENCE(linux): one exact counter instead of a per-CPU one, so
 * Committed_AS and the mode-2 check never see per-CPU batching slack.
 */
#include <errno.h>

#include "mm/internal.h"

void vm_acct_memory(struct mmsim_machine *m, int64_t pages)
{
	m->vm_committed_as += pages;
}

void vm_unacct_memory(struct mmsim_machine *m, int64_t pages)
{
	m->vm_committed_as -= pages;
}

int64_t vm_commit_limit(struct mmsim_machine *m)
{
	int64_t allowed;

	if (m->knobs.overcommit_kbytes)
		allowed = m->knobs.overcommit_kbytes >> (PAGE_SHIFT - 10);
	else
		allowed = (int64_t)(m->totalram_pages - hugetlb_total_pages(m)) *
			  m->knobs.overcommit_ratio / 100;
	return allowed + (int64_t)m->total_swap_pages;
}

uint64_t vm_memory_committed(struct mmsim_machine *m)
{
	return m->vm_committed_as > 0 ? (uint64_t)m->vm_committed_as : 0;
}

/* The whole of security_vm_enough_memory_mm(), for its inline part. */
int __security_vm_enough_memory_mm(struct mmsim_process *p, int64_t pages)
{
	struct mmsim_machine *m = p->machine;
	int64_t allowed;

	vm_acct_memory(m, pages);

	if (m->knobs.overcommit_memory == 1)
		return 0;
	if (m->knobs.overcommit_memory == 0) {
		if (pages > (int64_t)(m->totalram_pages + m->total_swap_pages))
			goto error;
		return 0;
	}

	allowed = vm_commit_limit(m);
	/* Leave the last 3% (admin_reserve_kbytes) for root. */
	if (!capable(p, CAP_SYS_ADMIN))
		allowed -= m->knobs.admin_reserve_kbytes >> (PAGE_SHIFT - 10);
	/* Don't let a single process grow so big a user can't recover. */
	if (p->mm) {
		int64_t reserve = m->knobs.user_reserve_kbytes >>
				  (PAGE_SHIFT - 10);
		int64_t frac = (int64_t)(p->mm->total_vm / 32);

		allowed -= frac < reserve ? frac : reserve;
	}
	if (m->vm_committed_as < allowed)
		return 0;
error:
	vm_unacct_memory(m, pages);
	return -ENOMEM;
}
