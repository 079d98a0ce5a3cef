/*
 * Models fs/open.c: ftruncate() (do_sys_ftruncate, do_truncate) and
 * fallocate() (vfs_fallocate), down to the file system: ext4 for regular
 * files (src/fs/ext4.c), shmem for tmpfs and memfd (src/mm/shmem.c).
 */
#include <errno.h>

#include "mm/internal.h"
#include "mm/mman.h"

/* ->setattr(ATTR_SIZE) of the file's kind; the size was checked. */
static void do_truncate(struct inode *inode, uint64_t length)
{
	uint64_t oldsize = inode->i_size;

	if (inode_is_shmem(inode)) {
		/* shmem_setattr() */
		if (length < oldsize) {
			uint64_t holebegin = PAGE_ALIGN(length);

			inode->i_size = length;
			if (oldsize > holebegin)
				unmap_mapping_range(inode, holebegin, 0, true);
			shmem_truncate_range(inode, length, UINT64_MAX);
			if (oldsize > holebegin)
				unmap_mapping_range(inode, holebegin, 0, true);
		}
		inode->i_size = length;
		return;
	}
	if (inode->hugepage_size) {
		hugetlb_vmtruncate(inode, length);
		return;
	}
	if (inode->kind != MMSIM_FILE_REGULAR) {
		inode->i_size = length;
		return;
	}
	ext4_setattr_size(inode, length);
}

long mmsim_ftruncate(struct mmsim_process *p, int fd, uint64_t length)
{
	struct file *f;
	struct inode *inode;
	long ret = 0;

	if ((int64_t)length < 0)
		return -EINVAL;
	f = fget(p, fd);
	if (!f)
		return -EBADF;
	inode = f->f_inode;
	if (!f->f_mode_write || inode->kind == MMSIM_FILE_DEVZERO ||
	    inode->kind == MMSIM_FILE_DEVICE ||
	    inode->kind == MMSIM_FILE_BLKDEV)
		return -EINVAL;
	/* inode_newsize_ok() */
	if (length > inode->i_size && length > inode_maxbytes(inode))
		return -EFBIG;
	/* hugetlbfs_setattr(): whole huge pages only */
	if (inode->hugepage_size && (length & (inode->hugepage_size - 1)))
		return -EINVAL;
	do_truncate(inode, length);
	syscall_exit(p);
	return ret;
}

/* vfs_fallocate(): the VFS checks, then the file system's ->fallocate. */
long vfs_fallocate(struct mmsim_process *p, struct file *f, int mode,
		   int64_t offset, int64_t len)
{
	struct inode *inode;

	if (offset < 0 || len <= 0)
		return -EINVAL;
	if (mode & ~(FALLOC_FL_MODE_MASK | FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	switch (mode & FALLOC_FL_MODE_MASK) {
	case 0:
	case FALLOC_FL_UNSHARE_RANGE:
	case FALLOC_FL_ZERO_RANGE:
		break;
	case FALLOC_FL_PUNCH_HOLE:
		if (!(mode & FALLOC_FL_KEEP_SIZE))
			return -EOPNOTSUPP;
		break;
	case FALLOC_FL_COLLAPSE_RANGE:
	case FALLOC_FL_INSERT_RANGE:
	case FALLOC_FL_WRITE_ZEROES:
		if (mode & FALLOC_FL_KEEP_SIZE)
			return -EOPNOTSUPP;
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (!f->f_mode_write)
		return -EBADF;
	inode = f->f_inode;
	if (inode->kind == MMSIM_FILE_DEVZERO ||
	    inode->kind == MMSIM_FILE_DEVICE ||
	    inode->kind == MMSIM_FILE_BLKDEV)
		return -ENODEV;
	if ((uint64_t)offset + (uint64_t)len > inode_maxbytes(inode) ||
	    offset + len < 0)
		return -EFBIG;
	if (inode->hugepage_size) {
		/*
		 * hugetlbfs_fallocate(): punching a hole removes the huge
		 * pages wholly inside it; allocating takes pages from the
		 * pool (ENOSPC when it has none to give).
		 */
		if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
			return -EOPNOTSUPP;
		return hugetlbfs_fallocate(p, inode, mode, (uint64_t)offset,
					   (uint64_t)len);
	}
	if (inode_is_shmem(inode))
		return shmem_fallocate(inode, mode, (uint64_t)offset,
				       (uint64_t)len, p);
	return ext4_fallocate(inode, mode, (uint64_t)offset, (uint64_t)len);
}

long mmsim_fallocate(struct mmsim_process *p, int fd, int mode,
		     int64_t offset, int64_t len)
{
	struct file *f = fget(p, fd);
	long ret;

	task_enter(p);
	if (!f)
		return -EBADF;
	ret = vfs_fallocate(p, f, mode, offset, len);
	syscall_exit(p);
	return ret;
}
