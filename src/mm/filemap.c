/*
 * The model's small VFS as the VMA layer sees it: inodes with an identity
 * (dev, ino, path), open file descriptions and per-process fd tables.
 * Page-cache contents arrive with the page layer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/mman.h"

struct inode *inode_find(struct mmsim_machine *m, const char *path)
{
	struct inode *i;

	for (i = m->inodes; i; i = i->next_in_machine)
		if (!i->unlinked && i->path && !strcmp(i->path, path))
			return i;
	return NULL;
}

struct inode *inode_new(struct mmsim_machine *m, const char *path,
			enum mmsim_file_kind kind, uint32_t major,
			uint32_t minor, uint64_t ino, uint64_t size)
{
	struct inode *i = calloc(1, sizeof(*i));

	if (!i)
		return NULL;
	i->path = strdup(path ? path : "");
	if (!i->path) {
		free(i);
		return NULL;
	}
	i->kind = kind;
	i->dev_major = major;
	i->dev_minor = minor;
	i->i_ino = ino;
	i->i_size = size;
	i->i_count = 1;		/* the VFS's own reference */
	i->i_machine = m;
	i->next_in_machine = m->inodes;
	m->inodes = i;
	return i;
}

struct file *file_open_inode(struct mmsim_machine *m, struct inode *inode,
			     bool read, bool write)
{
	struct file *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->f_inode = inode;
	f->f_mode_read = read;
	f->f_mode_write = write;
	f->f_count = 1;
	f->id = ++m->next_file_id;
	inode->i_count++;
	return f;
}

void fput(struct file *f)
{
	if (!f || --f->f_count > 0)
		return;
	if (--f->f_inode->i_count == 0 && f->f_inode->i_acct_pages) {
		/* shmem_unacct_size() when the last user of the object goes */
		vm_unacct_memory(f->f_inode->i_machine,
				 f->f_inode->i_acct_pages);
		f->f_inode->i_acct_pages = 0;
	}
	free(f);
}

struct file *fget(struct mmsim_process *p, int fd)
{
	if (fd < 0 || fd >= p->nr_fds)
		return NULL;
	return p->fds[fd];
}

/*
 * The "dev/zero" shmem file behind a shared anonymous mapping.
 * DIVERGENCE(linux): inode numbers come from a per-machine counter, not
 * the kernel-wide get_next_ino(), so they differ from a live system's.
 */
struct file *shmem_zero_setup_file(struct mmsim_machine *m, uint64_t size)
{
	struct inode *inode;
	struct file *f;

	inode = inode_new(m, "/dev/zero", MMSIM_FILE_TMPFS, 0, 1,
			  ++m->next_shmem_ino, size);
	if (!inode)
		return NULL;
	inode->unlinked = true;
	f = file_open_inode(m, inode, true, true);
	inode->i_count--;
	return f;
}

int mmsim_file_create(struct mmsim_machine *m, const char *path,
		      enum mmsim_file_kind kind, uint32_t dev_major,
		      uint32_t dev_minor, uint64_t ino, uint64_t size)
{
	struct inode *i;

	if (!path || path[0] != '/')
		return -EINVAL;
	i = inode_find(m, path);
	if (i) {
		i->kind = kind;
		i->dev_major = dev_major;
		i->dev_minor = dev_minor;
		i->i_ino = ino;
		i->i_size = size;
		return 0;
	}
	return inode_new(m, path, kind, dev_major, dev_minor, ino, size) ?
		       0 : -ENOMEM;
}

static int fd_install(struct mmsim_process *p, int fd, struct file *f)
{
	if (fd >= p->nr_fds) {
		int n = p->nr_fds ? p->nr_fds : 16;
		struct file **fds;

		while (n <= fd)
			n *= 2;
		fds = realloc(p->fds, n * sizeof(*fds));
		if (!fds)
			return -ENOMEM;
		memset(fds + p->nr_fds, 0, (n - p->nr_fds) * sizeof(*fds));
		p->fds = fds;
		p->nr_fds = n;
	}
	if (p->fds[fd])
		fput(p->fds[fd]);
	p->fds[fd] = f;
	return fd;
}

int mmsim_open_at_fd(struct mmsim_process *p, const char *path, int flags,
		     int fd)
{
	struct inode *inode;
	struct file *f;
	int acc = flags & O_ACCMODE;
	int ret;

	if (fd < 0 || fd > 1 << 20)
		return -EBADF;
	inode = inode_find(p->machine, path);
	if (!inode)
		return -ENOENT;
	if (acc == O_ACCMODE)
		return -EINVAL;
	f = file_open_inode(p->machine, inode, acc != O_WRONLY,
			    acc != O_RDONLY);
	if (!f)
		return -ENOMEM;
	ret = fd_install(p, fd, f);
	if (ret < 0)
		fput(f);
	return ret;
}

int mmsim_open(struct mmsim_process *p, const char *path, int flags)
{
	int fd;

	/* 0, 1 and 2 are taken by stdin, stdout and stderr. */
	for (fd = 3; fd < p->nr_fds; fd++)
		if (!p->fds[fd])
			break;
	return mmsim_open_at_fd(p, path, flags, fd);
}

int mmsim_close(struct mmsim_process *p, int fd)
{
	if (fd < 0 || fd >= p->nr_fds || !p->fds[fd])
		return -EBADF;
	fput(p->fds[fd]);
	p->fds[fd] = NULL;
	return 0;
}

int mmsim_ftruncate(struct mmsim_process *p, int fd, uint64_t size)
{
	struct file *f = fget(p, fd);

	if (!f)
		return -EBADF;
	if (!f->f_mode_write)
		return -EINVAL;
	if (size > 0x7fffffffffffffffULL)
		return -EINVAL;
	f->f_inode->i_size = size;
	return 0;
}

int mmsim_unlink(struct mmsim_machine *m, const char *path)
{
	struct inode *i = inode_find(m, path);

	if (!i)
		return -ENOENT;
	i->unlinked = true;
	return 0;
}

/* ---- faults on file and shmem mappings ---- */

unsigned int do_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;

	/*
	 * DIVERGENCE(linux): no page cache yet. A file page past EOF raises
	 * SIGBUS; otherwise the fault succeeds without mapping a page, and a
	 * write to a private mapping still prepares the anon_vma, as
	 * do_cow_fault() does.
	 */
	if ((vmf->flags & FAULT_FLAG_WRITE) && !(vma->vm_flags & VM_SHARED) &&
	    anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	if (vma->vm_file &&
	    vma->vm_file->f_inode->kind != MMSIM_FILE_DEVZERO) {
		uint64_t pgoff = linear_page_index(vma, vmf->address);
		uint64_t size = PAGE_ALIGN(vma->vm_file->f_inode->i_size);

		if (pgoff >= size >> PAGE_SHIFT)
			return VM_FAULT_SIGBUS;
	}
	return 0;
}
