/*
 * What the process_vm_readv/writev checks (process_vm_check.c,
 * hugetlb_pvm_check.c) share: one step done on a live child and on the
 * model's process, the results and bytes compared.
 */
#ifndef MMSIM_TESTS_LIVE_PVM_H
#define MMSIM_TESTS_LIVE_PVM_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "mmsim/mmsim.h"

/* A read or a write of len bytes at base + off in the target. */
struct pvm_step {
	const char *what;
	bool write;
	uint64_t off;
	size_t len;	/* at most 8 KiB */
};

/*
 * The step from this process on the live child pid and from caller on
 * the model's target: 1 (and a "difference" line) when the results or the
 * bytes read differ, else 0 (and a "same" line).
 */
static inline int pvm_step_compare(const struct pvm_step *s, pid_t pid,
				   struct mmsim_process *caller,
				   struct mmsim_process *target, uint64_t base)
{
	unsigned char lbuf[8192], mbuf[8192];
	struct iovec local = { lbuf, s->len };
	struct iovec remote = { (void *)(uintptr_t)(base + s->off), s->len };
	long lr, mr;

	memset(lbuf, 0xf5, sizeof(lbuf));
	memset(mbuf, 0xf5, sizeof(mbuf));
	if (s->write) {
		lr = process_vm_writev(pid, &local, 1, &remote, 1, 0);
		mr = mmsim_process_vm_writev(caller, target, base + s->off,
					     mbuf, s->len);
	} else {
		lr = process_vm_readv(pid, &local, 1, &remote, 1, 0);
		mr = mmsim_process_vm_readv(caller, target, base + s->off,
					    mbuf, s->len);
	}
	if (lr < 0)
		lr = -errno;
	if (lr != mr || (lr > 0 && memcmp(lbuf, mbuf, (size_t)lr))) {
		printf("difference: %s: live %ld, model %ld%s\n", s->what, lr,
		       mr, lr == mr ? " (bytes differ)" : "");
		return 1;
	}
	printf("same: %s: %ld\n", s->what, lr);
	return 0;
}

#endif /* MMSIM_TESTS_LIVE_PVM_H */
