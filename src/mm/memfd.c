/*
 * Models mm/memfd.c: memfd_create() makes an unlinked tmpfs file (or a
 * hugetlbfs one with MFD_HUGETLB) named "memfd:NAME", which maps show as
 * "/memfd:NAME (deleted)".
 *
 * DIVERGENCE(linux): seals (fcntl F_ADD_SEALS) are not modelled, and the
 * inode numbers come from the machine's counter, not get_next_ino().
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/mman.h"

#define MFD_ALL_FLAGS	(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | \
			 MFD_NOEXEC_SEAL | MFD_EXEC)
#define MFD_HUGE_SHIFT	26
#define MFD_HUGE_MASK	0x3fU
#define MFD_NAME_MAX_LEN 249	/* longest name (NAME_MAX - strlen("memfd:")) */

long mmsim_memfd_create_at_fd(struct mmsim_process *p, const char *uname,
			      unsigned int flags, int fd)
{
	struct mmsim_machine *m = p->machine;
	struct inode *inode;
	struct file *f;
	char path[8 + MFD_NAME_MAX_LEN];
	uint64_t hsize = 0;
	int ret;

	if (!(flags & MFD_HUGETLB)) {
		if (flags & ~MFD_ALL_FLAGS)
			return -EINVAL;
	} else {
		unsigned int shift = (flags >> MFD_HUGE_SHIFT) & MFD_HUGE_MASK;

		if (flags & ~(MFD_ALL_FLAGS | (MFD_HUGE_MASK << MFD_HUGE_SHIFT)))
			return -EINVAL;
		if (shift && shift != 21 && shift != 30)
			return -EINVAL;
		hsize = shift == 30 ? PUD_SIZE : PMD_SIZE;
	}
	if ((flags & MFD_EXEC) && (flags & MFD_NOEXEC_SEAL))
		return -EINVAL;
	if (!uname)
		return -EFAULT;
	if (strlen(uname) > MFD_NAME_MAX_LEN)
		return -EINVAL;
	if (fd < 0 || fd > 1 << 20)
		return -EMFILE;
	snprintf(path, sizeof(path), "/memfd:%s", uname);
	/*
	 * The internal tmpfs mount is 00:01; hugetlbfs mounts as for
	 * anonymous MAP_HUGETLB memory.
	 */
	inode = inode_new(m, path, MMSIM_FILE_TMPFS, 0,
			  !hsize ? 1 : hsize == PUD_SIZE ? 0x12 : 0x11,
			  ++m->next_shmem_ino, 0);
	if (!inode)
		return -ENOMEM;
	inode->hugepage_size = hsize;
	inode->unlinked = true;
	inode->i_noreserve = !hsize;
	if (!hsize) {	/* shmem_file_setup() on shm_mnt */
		inode->i_shm_mnt = true;
		inode->i_large_folios = shmem_sb_huge(inode);
	}
	f = file_open_inode(m, inode, true, true);
	inode->i_count--;	/* the file holds the only reference */
	if (!f)
		return -ENOMEM;
	ret = fd_install(p, fd, f);
	if (ret < 0)
		fput(f);
	return ret;
}

long mmsim_memfd_create(struct mmsim_process *p, const char *uname,
			unsigned int flags)
{
	long ret = mmsim_memfd_create_at_fd(p, uname, flags,
					    get_unused_fd(p));

	syscall_exit(p);
	return ret;
}
