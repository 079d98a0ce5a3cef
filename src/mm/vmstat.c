/*
 * /proc/vmstat's names (models mm/vmstat.c's vmstat_text), and the
 * counters of the kernel's own memory users that the model does not
 * simulate. The counters themselves live in struct mmsim_machine; the
 * writers are in fs/proc.
 */
#include "mm/internal.h"

const char *const vmstat_text[NR_VMSTAT_ITEMS] = {
#define VMSTAT_NAME(e, s) s,
	VMSTAT_ITEMS(VMSTAT_NAME)
#undef VMSTAT_NAME
};

/*
 * DIVERGENCE(linux): slab caches and kernel stacks are not simulated. The
 * model starts with the reference machine's values after boot
 * (samples/vmstat.6.18.txt and meminfo.6.18.txt, 24 GiB) and keeps
 * them, whatever the RAM size; they are not taken from the free pages.
 */
#define BOOT_SLAB_RECLAIMABLE_PAGES	3412	/* SReclaimable: 13648 kB */
#define BOOT_SLAB_UNRECLAIMABLE_PAGES	5181	/* SUnreclaim: 20724 kB */
#define BOOT_KERNEL_STACK_KB		1464	/* KernelStack (kB, as Linux) */

void vmstat_boot_init(struct mmsim_machine *m)
{
	m->vmstat[NR_SLAB_RECLAIMABLE] = BOOT_SLAB_RECLAIMABLE_PAGES;
	m->vmstat[NR_SLAB_UNRECLAIMABLE] = BOOT_SLAB_UNRECLAIMABLE_PAGES;
	m->vmstat[NR_KERNEL_STACK] = BOOT_KERNEL_STACK_KB;
}
