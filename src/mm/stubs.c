/* Temporary stubs for public entry points not yet implemented; each is removed as its real file lands. */
#include <errno.h>
#include "mm/internal.h"

long mmsim_mremap(struct mmsim_process *p, uint64_t old_addr, uint64_t old_len, uint64_t new_len, uint64_t flags, uint64_t new_addr)
{
	return -ENOSYS;
}
