/*
 * Models fs/read_write.c: read(), write(), pread64() and pwrite64() on
 * the model's files, with vfs_read()/vfs_write()'s checks, down to the
 * page cache (mm/filemap.c) or shmem (mm/shmem.c).
 *
 * DIVERGENCE(linux): the data go to and from host memory the caller
 * passes (buf; NULL reads into nothing and writes zeroes), never through
 * the process's own address space, so a read() or write() never faults a
 * user page in and never fails with EFAULT.
 */
#include <errno.h>
#include <string.h>

#include "mm/internal.h"

#define MAX_RW_COUNT	(0x7fffffffULL & PAGE_MASK)	/* INT_MAX & PAGE_MASK */

/* ->read_iter of the file's kind. */
int64_t file_read(struct file *file, uint64_t pos, uint8_t *buf,
		  uint64_t count)
{
	struct inode *inode = file->f_inode;

	if (!count)
		return 0;
	if (inode->hugepage_size)
		return hugetlbfs_read(file, pos, buf, count);
	switch (inode->kind) {
	case MMSIM_FILE_TMPFS:
		return shmem_file_read(file, pos, buf, count);
	case MMSIM_FILE_DEVZERO:
		if (buf)
			memset(buf, 0, count);
		return (int64_t)count;
	case MMSIM_FILE_DEVICE:
		return -EINVAL;
	case MMSIM_FILE_BLKDEV:
		/*
		 * DIVERGENCE(linux): a block device's page cache is not
		 * modelled; it only serves as a swap area.
		 */
		return -EINVAL;
	case MMSIM_FILE_REGULAR:
	case MMSIM_FILE_HUGETLBFS:	/* made a tmpfs inode with huge pages */
		break;
	}
	return filemap_read(file, pos, buf, count);
}

/*
 * ->write_iter: generic_write_checks() (EFBIG at or past the file
 * system's limit, shorter writes up to it), then the write.
 */
int64_t file_write(struct mmsim_process *p, struct file *file, uint64_t pos,
		   const uint8_t *buf, uint64_t count)
{
	struct inode *inode = file->f_inode;
	uint64_t max = inode_maxbytes(inode);

	switch (inode->kind) {
	case MMSIM_FILE_DEVZERO:
		return (int64_t)count;
	case MMSIM_FILE_DEVICE:
	case MMSIM_FILE_BLKDEV:
		return -EINVAL;
	default:
		break;
	}
	if (inode->hugepage_size)
		return -EINVAL;
	if (!count)
		return 0;
	if (pos >= max)
		return -EFBIG;
	if (count > max - pos)
		count = max - pos;
	if (inode_is_shmem(inode))
		return shmem_file_write(file, pos, buf, count, p);
	/* ext4_write_checks(): the old EOF block's tail is zeroed first */
	if (pos > inode->i_size)
		ext4_block_zero_eof(inode, inode->i_size, pos);
	return generic_perform_write(file, pos, buf, count);
}

/* rw_verify_area() and the MAX_RW_COUNT clamp. */
static int64_t rw_verify_area(int64_t pos, uint64_t *count)
{
	if ((int64_t)*count < 0)
		return -EINVAL;
	if (pos < 0 || (int64_t)(pos + *count) < 0)
		return -EINVAL;
	if (*count > MAX_RW_COUNT)
		*count = MAX_RW_COUNT;
	return 0;
}

static int64_t vfs_read(struct file *file, uint8_t *buf, uint64_t count,
			uint64_t *ppos)
{
	int64_t ret;

	if (!file->f_mode_read)
		return -EBADF;
	ret = rw_verify_area((int64_t)*ppos, &count);
	if (ret)
		return ret;
	ret = file_read(file, *ppos, buf, count);
	if (ret > 0)
		*ppos += (uint64_t)ret;
	return ret;
}

static int64_t vfs_write(struct mmsim_process *p, struct file *file,
			 const uint8_t *buf, uint64_t count, uint64_t *ppos)
{
	int64_t ret;

	if (!file->f_mode_write)
		return -EBADF;
	ret = rw_verify_area((int64_t)*ppos, &count);
	if (ret)
		return ret;
	ret = file_write(p, file, *ppos, buf, count);
	if (ret > 0)
		*ppos += (uint64_t)ret;
	return ret;
}

long mmsim_read(struct mmsim_process *p, int fd, void *buf, uint64_t count)
{
	struct file *f = fget(p, fd);
	long ret;

	task_enter(p);
	if (!f)
		return -EBADF;
	ret = (long)vfs_read(f, buf, count, &f->f_pos);
	syscall_exit(p);
	return ret;
}

long mmsim_write(struct mmsim_process *p, int fd, const void *buf,
		 uint64_t count)
{
	struct file *f = fget(p, fd);
	long ret;

	task_enter(p);
	if (!f)
		return -EBADF;
	ret = (long)vfs_write(p, f, buf, count, &f->f_pos);
	syscall_exit(p);
	return ret;
}

/* The checks pread64 and pwrite64 share: a seekable file, a position. */
static long positional_file(struct mmsim_process *p, int fd, int64_t pos,
			    struct file **fp)
{
	struct file *f = fget(p, fd);

	if (pos < 0)
		return -EINVAL;
	if (!f)
		return -EBADF;
	if (f->f_inode->kind == MMSIM_FILE_DEVICE)
		return -ESPIPE;
	*fp = f;
	return 0;
}

long mmsim_pread(struct mmsim_process *p, int fd, void *buf, uint64_t count,
		 int64_t pos)
{
	struct file *f;
	uint64_t at = (uint64_t)pos;
	long ret = positional_file(p, fd, pos, &f);

	task_enter(p);
	if (ret)
		return ret;
	ret = (long)vfs_read(f, buf, count, &at);
	syscall_exit(p);
	return ret;
}

long mmsim_pwrite(struct mmsim_process *p, int fd, const void *buf,
		  uint64_t count, int64_t pos)
{
	struct file *f;
	uint64_t at = (uint64_t)pos;
	long ret = positional_file(p, fd, pos, &f);

	task_enter(p);
	if (ret)
		return ret;
	ret = (long)vfs_write(p, f, buf, count, &at);
	syscall_exit(p);
	return ret;
}
