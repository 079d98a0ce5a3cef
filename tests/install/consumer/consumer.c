/*
 * A program that uses an installed libmmsim: maps memory in a simulated
 * process, writes to it and checks what the model says. Built by
 * tests/install/install_check.sh with pkg-config and with find_package.
 */
#define _DEFAULT_SOURCE	/* MAP_ANONYMOUS under -std=c11 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <mmsim/mmsim.h>

int main(void)
{
	struct mmsim_config cfg;
	struct mmsim_machine *m;
	struct mmsim_process *p;
	long addr;
	int ret = 1;

	memset(&cfg, 0, sizeof(cfg));
	m = mmsim_machine_create(&cfg);
	if (!m)
		return 1;
	p = mmsim_spawn(m, "consumer");
	if (!p)
		goto out;
	addr = mmsim_mmap(p, 0, 8192, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (addr < 0)
		goto out;
	if (mmsim_munmap(p, (uint64_t)addr, 4096))
		goto out;
	printf("mmsim %s: mmap gave %#lx\n", MMSIM_VERSION, addr);
	ret = 0;
out:
	mmsim_machine_destroy(m);
	return ret;
}
