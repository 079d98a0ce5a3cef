/*
 * Models mm/process_vm_access.c: process_vm_readv() and
 * process_vm_writev() copy between the caller's buffer and another
 * process's memory, pinning each remote page as get_user_pages() does
 * (faulting it in, the fault counted on the caller). A failure part way
 * returns the bytes copied so far; a failure on the first page, EFAULT.
 * DIVERGENCE(linux): one remote range and one host buffer stand for the
 * iovec arrays; the caller's own memory is a host buffer, not simulated.
 */
#include <errno.h>
#include <string.h>

#include "mm/internal.h"

static long process_vm_rw(struct mmsim_process *caller,
			  struct mmsim_process *target, uint64_t remote,
			  void *buf, size_t len, bool vm_write)
{
	struct mmsim_machine *m = target->machine;
	size_t done = 0;

	if (!len)
		return 0;
	if (remote + len < remote)
		return -EFAULT;
	while (done < len) {
		uint64_t addr = remote + done;
		size_t off = addr & (PAGE_SIZE - 1);
		size_t n = PAGE_SIZE - off < len - done ? PAGE_SIZE - off :
							   len - done;
		struct page *page = get_user_page_remote(caller, target->mm,
							 addr, vm_write);
		uint8_t *data;

		if (!page)
			break;
		if (vm_write) {
			data = kmap_local_page_write(m, page);
			if (!data)
				break;
			memcpy(data + off, (uint8_t *)buf + done, n);
			SetPageFlag(folio_page(m, page_folio(m, page), 0),
				    PG_dirty);
		} else {
			memcpy((uint8_t *)buf + done,
			       kmap_local_page(m, page) + off, n);
		}
		done += n;
	}
	syscall_exit(target);
	if (caller && caller != target)
		syscall_exit(caller);
	return done ? (long)done : -EFAULT;
}

long mmsim_process_vm_readv(struct mmsim_process *caller,
			    struct mmsim_process *target, uint64_t remote,
			    void *buf, size_t len)
{
	return process_vm_rw(caller, target, remote, buf, len, false);
}

long mmsim_process_vm_writev(struct mmsim_process *caller,
			     struct mmsim_process *target, uint64_t remote,
			     const void *buf, size_t len)
{
	return process_vm_rw(caller, target, remote, (void *)buf, len, true);
}
