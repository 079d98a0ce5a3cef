/*
 * Models mm/filemap.c and the file half of mm/memory.c's fault path: the
 * model's small VFS (inodes, open files, fd tables), the page cache of
 * each inode (struct address_space: an index -> folio map), regular files
 * with a disk behind them (ext4 on the reference machine: read-ahead,
 * large folios, ->page_mkwrite) and tmpfs/shmem files (src/mm/shmem.c),
 * file faults (do_read_fault with fault-around, do_cow_fault,
 * do_shared_fault, wp_page_shared), and buffered read()/write().
 *
 * Simplifications: one CPU and no locks, so a fault that Linux retries
 * after dropping mmap_lock for I/O returns VM_FAULT_RETRY at the same
 * points and is retried by the caller (the "I/O" itself completes at
 * once); no writeback in the background (pages are written back by
 * fsync-like calls and when reclaim wakes the flusher).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/mman.h"

/* ---- inodes and open files ---- */

/* The newest inode of path that is not unlinked, or NULL. */
struct inode *inode_find(struct mmsim_machine *m, const char *path)
{
	struct inode *i;

	for (i = path_map_get(&m->inode_paths, path); i; i = i->i_path_older)
		if (!i->unlinked)
			return i;
	return NULL;
}

/* Takes inode out of its path's list in m->inode_paths. */
static void inode_unhash(struct mmsim_machine *m, struct inode *inode)
{
	struct inode *i = path_map_get(&m->inode_paths, inode->path);

	VM_BUG_ON(!i);
	if (i == inode) {
		if (inode->i_path_older)	/* the key stays: no -ENOMEM */
			path_map_set(&m->inode_paths, inode->path,
				     inode->i_path_older);
		else
			path_map_remove(&m->inode_paths, inode->path);
	} else {
		while (i->i_path_older != inode)
			i = i->i_path_older;
		i->i_path_older = inode->i_path_older;
	}
	inode->i_path_older = NULL;
}

/*
 * rename(2) of inode to path: it becomes the newest inode of path (an
 * inode that path named before must be unlinked by the caller, as the
 * rename unlinks it). 0, or -ENOMEM with inode unchanged.
 */
int inode_rename(struct mmsim_machine *m, struct inode *inode,
		 const char *path)
{
	char *np;

	if (!strcmp(inode->path, path))
		return 0;
	np = strdup(path);
	if (!np || path_map_set(&m->inode_paths, np,
				path_map_get(&m->inode_paths, np))) {
		free(np);
		return -ENOMEM;
	}
	inode_unhash(m, inode);
	free(inode->path);
	inode->path = np;
	inode->i_path_older = path_map_get(&m->inode_paths, np);
	path_map_set(&m->inode_paths, np, inode);	/* the key is there */
	return 0;
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
	i->i_noreserve = kind == MMSIM_FILE_TMPFS;
	i->i_others_write = true;
	i->i_machine = m;
	i->i_data.host = i;
	i->i_path_older = path_map_get(&m->inode_paths, i->path);
	if (path_map_set(&m->inode_paths, i->path, i)) {
		free(i->path);
		free(i);
		return NULL;
	}
	i->next_in_machine = m->inodes;
	m->inodes = i;
	return i;
}

/* Frees what an inode owns (its page cache must be empty by now). */
void inode_destroy(struct inode *inode)
{
	struct disk_store *d = &inode->i_disk;
	uint32_t k;

	if (inode->hugepage_size)	/* its pages and reservations go */
		hugetlbfs_evict_inode(inode);
	xa_destroy(&inode->i_data.i_pages);
	page_cache_destroy_shadows(&inode->i_data);
	xa_destroy(&inode->i_swap);
	xa_destroy(&d->blocks);
	/* the free slots hold the next free slot's number, not a block */
	for (k = d->free; k; ) {
		uint32_t next = (uint32_t)(uintptr_t)d->data[k - 1];

		d->data[k - 1] = NULL;
		k = next;
	}
	for (k = 0; k < d->nr; k++)
		free(d->data[k]);
	free(d->data);
	free(inode->path);
	free(inode);
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
	file_ra_state_init(f);
	return f;
}

/*
 * iput(): when the last reference to an unlinked inode goes, its pages
 * go too (evict -> truncate_inode_pages_final), and shmem gives back its
 * Committed_AS charge.
 */
void iput(struct inode *inode)
{
	if (--inode->i_count > 0)
		return;
	if (inode->i_acct_pages) {
		vm_unacct_memory(inode->i_machine, inode->i_acct_pages);
		inode->i_acct_pages = 0;
	}
	if (!inode->unlinked)
		return;
	if (inode->hugepage_size)
		hugetlbfs_evict_inode(inode);
	else if (inode_is_shmem(inode))
		shmem_truncate_range(inode, 0, UINT64_MAX);
	else
		truncate_inode_pages_range(&inode->i_data, 0, UINT64_MAX);
}

/*
 * The last reference to an open file went (__fput): ext4's ->release
 * starts writeback of a file truncated to 0 since the last release
 * (auto_da_alloc), then the inode reference goes.
 */
static void file_release(struct file *f)
{
	struct inode *inode = f->f_inode;

	if (inode->da_alloc_close) {
		inode->da_alloc_close = false;
		filemap_write_and_wait_range(&inode->i_data, 0, UINT64_MAX);
	}
	iput(inode);
	fput(f->shm_base);	/* shm_release() */
	free(f);
}

void fput(struct file *f)
{
	if (!f || --f->f_count > 0)
		return;
	file_release(f);
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
	inode->i_noreserve = false;	/* mmap sets it for MAP_NORESERVE */
	inode->i_shm_mnt = inode->i_anon_shmem = true;
	inode->i_large_folios = shmem_sb_huge(inode);
	f = file_open_inode(m, inode, true, true);
	inode->i_count--;
	return f;
}

int mmsim_file_create(struct mmsim_machine *m, const char *path,
		      enum mmsim_file_kind kind, uint32_t dev_major,
		      uint32_t dev_minor, uint64_t ino, uint64_t size)
{
	struct inode *i;
	uint64_t hsize = 0;

	if (!path || path[0] != '/')
		return -EINVAL;
	i = inode_find(m, path);
	if (i && i->i_hugetlb_sb) {
		/* a file of a hugetlbfs mount: only its size changes */
		if (size < i->i_size)
			hugetlb_vmtruncate(i, ALIGN_UP(size,
						       i->hugepage_size));
		else
			i->i_size = size;
		return 0;
	}
	if (!i && hugetlbfs_sb_of_path(m, path)) {
		int err = hugetlbfs_create(m, hugetlbfs_sb_of_path(m, path),
					   path, &i);

		if (!err)
			i->i_size = size;
		return err;
	}
	if (kind == MMSIM_FILE_HUGETLBFS) {
		/* a hugetlbfs mount's file: shmem-like, in huge pages */
		kind = MMSIM_FILE_TMPFS;
		hsize = PMD_SIZE;
	}
	i = inode_find(m, path);
	if (i) {
		i->kind = kind;
		i->dev_major = dev_major;
		i->dev_minor = dev_minor;
		i->i_ino = ino;
		if (size < i->i_size)
			truncate_pagecache(i, size);
		i->i_size = size;
		return 0;
	}
	i = inode_new(m, path, kind, dev_major, dev_minor, ino, size);
	if (!i)
		return -ENOMEM;
	i->hugepage_size = hsize;
	if (hsize)
		return 0;
	if (kind == MMSIM_FILE_TMPFS) {	/* shmem_fill_super(): half of RAM */
		i->i_sb_max_blocks = m->knobs.tmpfs_size_kb ?
					     m->knobs.tmpfs_size_kb >> 2 :
					     m->totalram_pages / 2;
		i->i_large_folios = shmem_sb_huge(i);
	}
	return 0;
}

int fd_install(struct mmsim_process *p, int fd, struct file *f)
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

/* The lowest free fd from 3 (0, 1 and 2 are stdin, stdout and stderr). */
int get_unused_fd(struct mmsim_process *p)
{
	int fd;

	for (fd = 3; fd < p->nr_fds; fd++)
		if (!p->fds[fd])
			break;
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
	if (!inode && (flags & O_CREAT) && hugetlbfs_sb_of_path(p->machine,
								path)) {
		/* hugetlbfs_create() */
		ret = hugetlbfs_create(p->machine,
				       hugetlbfs_sb_of_path(p->machine, path),
				       path, &inode);
		if (ret)
			return ret;
	}
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
	return mmsim_open_at_fd(p, path, flags, get_unused_fd(p));
}

int mmsim_close(struct mmsim_process *p, int fd)
{
	if (fd < 0 || fd >= p->nr_fds || !p->fds[fd])
		return -EBADF;
	fput(p->fds[fd]);
	p->fds[fd] = NULL;
	return 0;
}

int mmsim_unlink(struct mmsim_machine *m, const char *path)
{
	struct inode *i = inode_find(m, path);

	if (!i)
		return -ENOENT;
	/* the dentry's reference goes: the pages too if nobody has it open */
	i->unlinked = true;
	iput(i);
	return 0;
}

/* ---- what a regular file keeps on disk ---- */

bool disk_has_block(const struct inode *inode, uint64_t index)
{
	return xa_load(&inode->i_disk.blocks, index) != 0;
}

/* The block at index on the disk, or NULL for a hole. */
static const uint8_t *disk_block(const struct inode *inode, uint64_t index)
{
	uint32_t slot = xa_load(&inode->i_disk.blocks, index);

	return slot ? inode->i_disk.data[slot - 1] : NULL;
}

/* Writes back one page (0 or -ENOMEM). */
static int disk_write(struct inode *inode, uint64_t index,
		      const uint8_t *src)
{
	struct disk_store *d = &inode->i_disk;
	uint32_t slot = xa_load(&d->blocks, index);

	if (!slot) {
		if (d->free) {
			slot = d->free;
			d->free = (uint32_t)(uintptr_t)d->data[slot - 1];
			d->data[slot - 1] = NULL;
		} else {
			if (d->nr == d->cap) {
				uint32_t cap = d->cap ? d->cap * 2 : 16;
				uint8_t **nd = realloc(d->data,
						       cap * sizeof(*nd));

				if (!nd)
					return -ENOMEM;
				d->data = nd;
				d->cap = cap;
			}
			d->data[d->nr++] = NULL;
			slot = d->nr;
		}
		d->data[slot - 1] = malloc(PAGE_SIZE);
		if (!d->data[slot - 1] || xa_store(&d->blocks, index, slot)) {
			free(d->data[slot - 1]);
			d->data[slot - 1] = (uint8_t *)(uintptr_t)d->free;
			d->free = slot;
			return -ENOMEM;
		}
	}
	memcpy(d->data[slot - 1], src, PAGE_SIZE);
	return 0;
}

/* Frees the blocks of [first, last] (truncate, punch hole). */
void disk_punch(struct inode *inode, uint64_t first, uint64_t last)
{
	struct disk_store *d = &inode->i_disk;
	uint64_t index = first;

	while (index <= last && xa_find(&d->blocks, &index, last)) {
		uint32_t slot = xa_load(&d->blocks, index);

		free(d->data[slot - 1]);
		d->data[slot - 1] = (uint8_t *)(uintptr_t)d->free;
		d->free = slot;
		xa_store(&d->blocks, index, 0);
		if (index == last)
			break;
		index++;
	}
}

/* ---- the page cache ---- */

struct folio *filemap_alloc_folio(struct mmsim_machine *m, unsigned int order)
{
	return folio_alloc(m, GFP_HIGHUSER_MOVABLE, order);
}

static struct mmsim_machine *mapping_machine(struct address_space *mapping)
{
	return mapping->host->i_machine;
}

struct folio *filemap_get_folio(struct address_space *mapping, uint64_t index)
{
	uint32_t id = xa_load(&mapping->i_pages, index);

	return id ? folio_by_id(mapping_machine(mapping), id) : NULL;
}

/*
 * filemap_add_folio(): the folio (from filemap_alloc_folio, one
 * reference) covers [index, index + nr) of the file; -EEXIST if a page of
 * that range is cached. The page cache takes nr references of its own.
 */
int __filemap_add_folio(struct address_space *mapping, struct folio *folio,
			uint64_t index, uint32_t *shadowp)
{
	struct inode *inode = mapping->host;
	struct mmsim_machine *m = inode->i_machine;
	uint64_t nr = folio_nr_pages(folio), i;
	uint32_t id = folio_id(m, folio);
	struct page *head = folio_page(m, folio, 0);
	uint32_t shadow;

	VM_BUG_ON(index & (nr - 1));
	for (i = 0; i < nr; i++)
		if (xa_load(&mapping->i_pages, index + i))
			return -EEXIST;
	for (i = 0; i < nr; i++) {
		if (xa_store(&mapping->i_pages, index + i, id)) {
			xa_erase_range(&mapping->i_pages, index,
				       index + nr - 1);
			return -ENOMEM;
		}
	}
	shadow = page_cache_take_shadow(mapping, index, nr);
	if (shadowp)
		*shadowp = shadow;
	workingset_update_nodes(mapping, index, index + nr - 1);
	folio->mapping = (uintptr_t)mapping;
	folio->index = index;
	head->_refcount += (int32_t)nr;
	if (inode_is_shmem(inode))
		SetPageFlag(head, PG_swapbacked);
	mapping->nrpages += nr;
	count_vm_events(m, NR_FILE_PAGES, (int64_t)nr);
	if (inode_is_shmem(inode))
		count_vm_events(m, NR_SHMEM, (int64_t)nr);
	if (folio->order == PMD_ORDER)	/* folio_test_pmd_mappable() */
		count_vm_events(m, inode_is_shmem(inode) ? NR_SHMEM_HUGEPAGES :
							   NR_FILE_HUGEPAGES,
				(int64_t)nr);
	return 0;
}

int filemap_add_folio(struct address_space *mapping, struct folio *folio,
		      uint64_t index)
{
	uint32_t shadow = 0;
	int err = __filemap_add_folio(mapping, folio, index, &shadow);

	/*
	 * A folio evicted not long ago comes back active (workingset);
	 * shmem_add_to_page_cache()'s callers add it to the LRU too.
	 */
	if (!err) {
		if (shadow)
			workingset_refault(mapping_machine(mapping), folio,
					   shadow);
		folio_add_lru(mapping_machine(mapping), folio);
	}
	return err;
}

/* ->read_folio(): the disk's contents (zeroes for holes), now uptodate. */
void filemap_read_folio(struct folio *folio)
{
	struct address_space *mapping = folio_mapping(folio);
	struct mmsim_machine *m = mapping_machine(mapping);
	uint64_t i;

	for (i = 0; i < folio_nr_pages(folio); i++) {
		struct page *page = folio_page(m, folio, i);
		const uint8_t *block = disk_block(mapping->host,
						  folio->index + i);

		clear_highpage(m, page);
		/* a block of zeroes or of one pattern keeps no host memory */
		if (block)
			page_data_write(m, page, 0, block, PAGE_SIZE);
	}
	SetPageFlag(folio_page(m, folio, 0), PG_uptodate);
	count_vm_events(m, PGPGIN, (int64_t)(folio_nr_pages(folio) * 4));
}

/*
 * filemap_remove_folio(): out of the page cache (the caller unmapped it);
 * the cache's references go, and with them the folio unless someone else
 * holds one. Reclaim leaves a shadow in its place (nonzero shadow).
 */
void __filemap_remove_folio(struct folio *folio, uint32_t shadow)
{
	struct address_space *mapping = folio_mapping(folio);
	struct mmsim_machine *m = mapping_machine(mapping);
	uint64_t nr = folio_nr_pages(folio);

	folio_cancel_dirty(m, folio);
	xa_erase_range(&mapping->i_pages, folio->index, folio->index + nr - 1);
	if (shadow)
		page_cache_store_shadow(mapping, folio->index, nr, shadow);
	else
		workingset_update_nodes(mapping, folio->index,
					folio->index + nr - 1);
	mapping->nrpages -= nr;
	count_vm_events(m, NR_FILE_PAGES, -(int64_t)nr);
	if (PageFlag(folio_page(m, folio, 0), PG_swapbacked))
		count_vm_events(m, NR_SHMEM, -(int64_t)nr);
	if (folio->order == PMD_ORDER)
		count_vm_events(m, PageFlag(folio_page(m, folio, 0),
					    PG_swapbacked) ?
					   NR_SHMEM_HUGEPAGES :
					   NR_FILE_HUGEPAGES,
				-(int64_t)nr);
	folio->mapping = 0;
	folio_put_refs(m, folio, (int)nr);
}

void filemap_remove_folio(struct folio *folio)
{
	__filemap_remove_folio(folio, 0);
}

/*
 * folio_mark_dirty(): sets PG_dirty; a file that writes back accounts it
 * (nr_dirty, nr_dirtied). shmem and anonymous folios just take the flag.
 */
bool folio_mark_dirty(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);
	struct address_space *mapping = folio_mapping(folio);

	if (PageFlag(head, PG_dirty))
		return false;
	SetPageFlag(head, PG_dirty);
	if (mapping && mapping_can_writeback(mapping->host)) {
		count_vm_events(m, NR_DIRTY, (int64_t)folio_nr_pages(folio));
		count_vm_events(m, NR_DIRTIED,
				(int64_t)folio_nr_pages(folio));
		inode_dirty_pages_changed(mapping->host,
					  (int64_t)folio_nr_pages(folio));
	}
	return true;
}

/* folio_cancel_dirty() / the accounting half of folio_clear_dirty_for_io(). */
void folio_cancel_dirty(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);
	struct address_space *mapping = folio_mapping(folio);

	if (!PageFlag(head, PG_dirty))
		return;
	ClearPageFlag(head, PG_dirty);
	if (mapping && mapping_can_writeback(mapping->host)) {
		count_vm_events(m, NR_DIRTY, -(int64_t)folio_nr_pages(folio));
		inode_dirty_pages_changed(mapping->host,
					  -(int64_t)folio_nr_pages(folio));
	}
}

/* Calls fn for every VMA (of every process) that maps inode: its i_mmap. */
void mapping_for_each_vma(struct inode *inode,
			  void (*fn)(struct vm_area_struct *vma, void *arg),
			  void *arg)
{
	struct vm_area_struct *vma, *next;

	for (vma = inode->i_data.i_mmap; vma; vma = next) {
		next = vma->shared.next;
		fn(vma, arg);
	}
}

/* ---- writeback (mm/page-writeback.c) ---- */

struct mkclean_arg {
	struct folio *folio;
};

/* page_mkclean_one(): shared mappings of the folio become clean and RO. */
static void mkclean_vma(struct vm_area_struct *vma, void *arg)
{
	struct mkclean_arg *a = arg;
	struct mmsim_machine *m = vma->vm_mm->machine;
	struct folio *folio = a->folio;
	uint64_t i;

	if (!(vma->vm_flags & VM_SHARED))
		return;
	for (i = 0; i < folio_nr_pages(folio); i++) {
		uint64_t pgoff = folio->index + i, addr;
		pte_t *pte;

		if (pgoff < vma->vm_pgoff ||
		    pgoff >= vma->vm_pgoff + vma_pages(vma))
			continue;
		addr = vma->vm_start + ((pgoff - vma->vm_pgoff) << PAGE_SHIFT);
		pte = pte_offset_map(vma->vm_mm, addr);
		if (!pte || !pte_present(*pte) ||
		    pte_pfn(*pte) != folio->pfn + i)
			continue;
		(void)m;
		if (pte_dirty(*pte) || pte_write(*pte))
			pte->pte &= ~(_PAGE_RW | _PAGE_DIRTY);
	}
}

/*
 * Writes a dirty folio back: folio_clear_dirty_for_io() (every shared PTE
 * of it clean and read-only, so the next write faults), then the data go
 * to disk; the part of the EOF page beyond i_size is zeroed first, as
 * ext4 does when it writes a page that straddles EOF.
 */
static void writeback_folio(struct folio *folio)
{
	struct address_space *mapping = folio_mapping(folio);
	struct inode *inode = mapping->host;
	struct mmsim_machine *m = inode->i_machine;
	struct mkclean_arg a = { folio };
	uint64_t i;

	mapping_for_each_vma(inode, mkclean_vma, &a);
	folio_cancel_dirty(m, folio);
	for (i = 0; i < folio_nr_pages(folio); i++) {
		uint64_t index = folio->index + i;
		uint64_t pos = index << PAGE_SHIFT;
		struct page *page = folio_page(m, folio, i);
		uint8_t *data;

		if (pos >= inode->i_size)
			break;
		if (pos + PAGE_SIZE <= inode->i_size) {
			/* read only: the page keeps its compact form */
			disk_write(inode, index, kmap_local_page(m, page));
			continue;
		}
		data = kmap_local_page_write(m, page);
		if (!data)
			continue;
		memset(data + (inode->i_size - pos), 0,
		       PAGE_SIZE - (inode->i_size - pos));
		disk_write(inode, index, data);
	}
	count_vm_events(m, NR_WRITTEN, (int64_t)folio_nr_pages(folio));
	count_vm_events(m, PGPGOUT, (int64_t)(folio_nr_pages(folio) * 4));
	/* folio_end_writeback(): written for reclaim: to the list's tail */
	if (PageFlag(folio_page(m, folio, 0), PG_reclaim)) {
		ClearPageFlag(folio_page(m, folio, 0), PG_reclaim);
		folio_rotate_reclaimable(m, folio);
	}
}

/*
 * filemap_write_and_wait_range(): writes back the dirty folios of bytes
 * [lstart, lend] of a file that writes back (nothing for shmem).
 */
int filemap_write_and_wait_range(struct address_space *mapping,
				 uint64_t lstart, uint64_t lend)
{
	uint64_t index = lstart >> PAGE_SHIFT, last = lend >> PAGE_SHIFT;

	if (!mapping_can_writeback(mapping->host) || lend < lstart)
		return 0;
	while (xa_find(&mapping->i_pages, &index, last)) {
		struct folio *folio = filemap_get_folio(mapping, index);
		struct mmsim_machine *m = mapping_machine(mapping);

		if (PageFlag(folio_page(m, folio, 0), PG_dirty))
			writeback_folio(folio);
		index = folio->index + folio_nr_pages(folio);
		if (!index || index > last)
			break;
	}
	return 0;
}

/*
 * Cyclic writeback (range_cyclic): up to nr pages of dirty folios from
 * writeback_index on, wrapping to the start once; writeback_index moves
 * past the last folio written. Returns the pages written.
 */
uint64_t filemap_writeback_cyclic(struct address_space *mapping, uint64_t nr)
{
	struct mmsim_machine *m = mapping_machine(mapping);
	uint64_t written = 0, index = mapping->writeback_index;
	uint64_t last = UINT64_MAX;
	bool wrapped = false;

	if (!mapping_can_writeback(mapping->host))
		return 0;
	for (;;) {
		while (written < nr && xa_find(&mapping->i_pages, &index, last)) {
			struct folio *folio = filemap_get_folio(mapping, index);

			if (PageFlag(folio_page(m, folio, 0), PG_dirty)) {
				writeback_folio(folio);
				written += folio_nr_pages(folio);
			}
			index = folio->index + folio_nr_pages(folio);
			if (!index || index > last)
				break;
		}
		if (written >= nr || wrapped || !mapping->writeback_index)
			break;
		wrapped = true;
		last = mapping->writeback_index - 1;
		index = 0;
	}
	mapping->writeback_index = index;
	return written;
}

/* ---- mapping file pages: set_pte_range, fault-around ---- */

static int mm_counter_file(struct mmsim_machine *m, struct folio *folio)
{
	return PageFlag(folio_page(m, folio, 0), PG_swapbacked) ?
		       MM_SHMEMPAGES : MM_FILEPAGES;
}

/*
 * set_pte_range(): nr PTEs from pte map nr pages of folio from page,
 * young (x86 does not want old prefaulted PTEs); a write makes them dirty
 * and, if the VMA may write, writable; a writable read-mapping of a dirty
 * folio starts dirty. The caller holds the references the PTEs take.
 */
static void set_pte_range(struct vm_fault *vmf, struct folio *folio,
			  uint64_t first, uint64_t nr, uint64_t addr,
			  pte_t *pte)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mmsim_machine *m = vma->vm_mm->machine;
	pteval_t prot = vmf_page_prot(vmf);
	pteval_t set = 0, entry;
	uint64_t i, pfn = folio->pfn + first;

	(void)addr;
	if (vmf->flags & FAULT_FLAG_WRITE)
		set = _PAGE_DIRTY | (vma->vm_flags & VM_WRITE ? _PAGE_RW : 0);
	else if ((prot & _PAGE_RW) &&
		 PageFlag(folio_page(m, folio, 0), PG_dirty))
		set = _PAGE_DIRTY;
	folio_add_file_rmap_ptes(m, folio, folio_page(m, folio, first), nr,
				 vma->vm_mm);
	entry = pfn_pte(pfn, prot | set).pte;
	if (nr == FAULT_AROUND_RUN) {
		/* the common run: a fixed count the compiler unrolls */
		for (i = 0; i < FAULT_AROUND_RUN; i++)
			pte[i].pte = entry + i * PAGE_SIZE;
	} else {
		for (i = 0; i < nr; i++, entry += PAGE_SIZE)
			pte[i].pte = entry;
	}
	/*
	 * __folio_add_file_rmap(): mlock_vma_folio() when this call maps
	 * the whole folio (6.18: large folios too, not only small ones)
	 */
	if (nr == folio_nr_pages(folio) && (vma->vm_flags & VM_LOCKED))
		mlock_folio(m, folio);
}

/*
 * Whether the nr entries from pte are all empty, as they are when
 * fault-around maps a range for the first time: one pass without
 * branches.
 */
static bool ptes_none(const pte_t *pte, uint64_t nr)
{
	pteval_t any = 0;
	uint64_t i;

	if (nr == FAULT_AROUND_RUN) {
		/* the common run: a fixed count the compiler unrolls */
		for (i = 0; i < FAULT_AROUND_RUN; i++)
			any |= pte[i].pte;
		return !any;
	}
	for (i = 0; i < nr; i++)
		any |= pte[i].pte;
	return !any;
}

/* fault_around_bytes in pages, rounded down to a power of two (>= 1). */
static uint64_t fault_around_pages(const struct mmsim_machine *m)
{
	uint64_t n = m->knobs.fault_around_bytes >> PAGE_SHIFT;

	return n ? 1ULL << (63 - __builtin_clzll(n)) : 1;
}

/*
 * next_uptodate_folio(): the next folio at or after *index (<= end) that
 * fault-around may map: uptodate, not marked for read-ahead, below EOF
 * (max_idx: the number of pages EOF is in). *index is left at the first
 * page of it that is in range.
 */
static struct folio *next_uptodate_folio(struct address_space *mapping,
					 struct xa_cursor *xc,
					 uint64_t *index, uint64_t end,
					 uint64_t max_idx)
{
	struct mmsim_machine *m = mapping_machine(mapping);
	uint32_t id;

	while (*index <= end && (id = xa_find_next(&mapping->i_pages, xc, index,
						  end))) {
		struct folio *folio = folio_by_id(m, id);
		struct page *head = folio_page(m, folio, 0);

		if (PageFlag(head, PG_uptodate) &&
		    !PageFlag(head, PG_readahead) && *index < max_idx)
			return folio;
		*index = folio->index + folio_nr_pages(folio);
		if (!*index)
			break;
	}
	return NULL;
}

/*
 * filemap_map_pmd() for a fault without a page table: a PMD-sized folio
 * that may be mapped large takes the PMD (true; *table NULL); else the
 * table for addr is made if can_map_large, or else looked up (*table:
 * NULL when there is none).
 */
static bool filemap_map_pmd(struct vm_fault *vmf, struct folio *folio,
			    bool can_map_large, uint64_t addr, pte_t **table)
{
	struct mm_struct *mm = vmf->vma->vm_mm;
	struct mmsim_machine *m = mm->machine;

	*table = NULL;
	/*
	 * The lookup takes no reference in the model; next_uptodate_folio()
	 * holds the folio locked and referenced. Held here across the page
	 * table allocations, whose reclaim would otherwise free it (and the
	 * frames would be mapped anyway).
	 */
	folio_get(m, folio);
	if (can_map_large && folio->order == PMD_ORDER) {
		pteval_t *pmd = pmd_alloc(mm, vmf->address);

		if (pmd && (pmd_is_leaf(*pmd) || !do_set_pmd(vmf, folio, pmd))) {
			folio_put(m, folio);
			return true;
		}
	}
	*table = can_map_large ? pte_alloc_map(mm, addr) :
				 pte_offset_map(mm, addr);
	folio_put(m, folio);
	return false;
}

/*
 * filemap_map_pages(): maps the cached, uptodate pages of file pages
 * [start_pgoff, end_pgoff] (never past EOF) into the empty PTEs of the
 * fault's page table; a large folio that lies within the VMA and one
 * page table is mapped whole. VM_FAULT_NOPAGE when the faulting address
 * itself got mapped.
 *
 * Only when the first folio found ends before the page holding EOF (or
 * the file is shmem) may this install the page table: otherwise, with no
 * table yet, nothing is mapped (the fault itself will map its page).
 */
static unsigned int filemap_map_pages(struct vm_fault *vmf,
				      uint64_t start_pgoff,
				      uint64_t end_pgoff)
{
	struct vm_area_struct *vma = vmf->vma;
	struct file *file = vma->vm_file;
	struct inode *inode = file->f_inode;
	struct address_space *mapping = &inode->i_data;
	struct mmsim_machine *m = vma->vm_mm->machine;
	uint64_t index = start_pgoff, rss = 0, file_end;
	uint64_t base = vma->vm_start - (vma->vm_pgoff << PAGE_SHIFT);
	uint64_t max_idx = DIV_ROUND_UP_PAGES(inode->i_size);
	struct xa_cursor xc = { NULL, 0 };
	unsigned int ret = 0, mmap_miss = 0, saved;
	bool can_map_large, prefetched;
	int type;
	struct folio *folio;
	pte_t *table;

	folio = next_uptodate_folio(mapping, &xc, &index, end_pgoff, max_idx);
	if (!folio)
		goto out;
	/*
	 * The access that faulted reads or writes the page once this
	 * returns: start loading its contents now, so the host cache miss
	 * (and the one on its page-data slot before it) overlaps the
	 * mapping work below instead of following it.
	 */
	prefetched = vmf->pgoff >= folio->index &&
		     vmf->pgoff - folio->index < folio_nr_pages(folio);
	if (prefetched)
		prefetch_page_data(m, folio_page(m, folio,
						 vmf->pgoff - folio->index));
	file_end = max_idx - 1;
	if (end_pgoff > file_end)
		end_pgoff = file_end;
	can_map_large = inode_is_shmem(inode) ||
			file_end >= folio->index + folio_nr_pages(folio);
	/*
	 * The fault found the page table already when it exists (vmf->pte:
	 * the faulting address's entry, in the same table as the whole
	 * window); then the PMD is a table and nothing is allocated.
	 */
	if (vmf->pte)	/* (the first page found may lie above the fault's) */
		table = vmf->pte + ((int64_t)index - (int64_t)vmf->pgoff);
	else if (filemap_map_pmd(vmf, folio, can_map_large,
				 base + (index << PAGE_SHIFT), &table))
		ret = VM_FAULT_NOPAGE;
	if (!table)
		goto out;
	/* every page of [start_pgoff, end_pgoff] is in this one table */
	table -= index - start_pgoff;
	type = mm_counter_file(m, folio);
	do {
		uint64_t first = index, last, i, n;
		uint64_t nr = folio_nr_pages(folio);

		last = folio->index + nr - 1;
		if (last > end_pgoff)
			last = end_pgoff;
		if (folio->order &&
		    (inode_is_shmem(inode) ||
		     file_end >= folio->index + folio_nr_pages(folio)) &&
		    folio->index >= vma->vm_pgoff &&
		    folio->index + nr <= vma->vm_pgoff + vma_pages(vma) &&
		    ((base + (folio->index << PAGE_SHIFT)) & PMD_MASK) ==
			    ((base + ((folio->index + nr) << PAGE_SHIFT) - 1) &
			     PMD_MASK)) {
			/* map the large folio whole */
			first = folio->index;
			last = folio->index + nr - 1;
		}
		/* a recently evicted folio's pages are no read-ahead hit */
		if (!PageFlag(folio_page(m, folio, 0), PG_workingset))
			mmap_miss += (unsigned int)(last - first + 1);
		/* each run of empty PTEs in one set_pte_range() */
		for (i = first; i <= last; i += n) {
			pte_t *pte = table + (int64_t)(i - start_pgoff);
			uint64_t addr = base + (i << PAGE_SHIFT);

			if (!pte_none(*pte)) {
				n = 1;
				continue;
			}
			n = last - i + 1;
			if (!ptes_none(pte, n))
				for (n = 1; i + n <= last && pte_none(pte[n]);
				     n++)
					;
			set_pte_range(vmf, folio, i - folio->index, n, addr,
				      pte);
			folio_ref_add(m, folio, (int)n);
			rss += n;
			if (vmf->address >= addr &&
			    vmf->address - addr < (n << PAGE_SHIFT)) {
				ret = VM_FAULT_NOPAGE;
				if (!prefetched)
					prefetch_page_data(m, folio_page(m,
						folio, i - folio->index +
						((vmf->address - addr) >>
						 PAGE_SHIFT)));
			}
		}
		index = folio->index + nr;
		if (!index || index > end_pgoff)
			break;
	} while ((folio = next_uptodate_folio(mapping, &xc, &index,
						 end_pgoff, max_idx)));
	add_mm_counter(vma->vm_mm, type, (long)rss);
out:
	saved = file->f_ra.mmap_miss;
	file->f_ra.mmap_miss = mmap_miss >= saved ? 0 : saved - mmap_miss;
	return ret;
}

/* do_fault_around(): fault_around_bytes of file pages around the fault. */
static unsigned int do_fault_around(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	uint64_t nr_pages = fault_around_pages(vma->vm_mm->machine);
	uint64_t pte_off = (vmf->address >> PAGE_SHIFT) & (PTRS_PER_PTE - 1);
	uint64_t vma_off = vmf->pgoff - vma->vm_pgoff;
	uint64_t from_pte, to_pte, lim;

	from_pte = ALIGN_DOWN(pte_off, nr_pages);
	if (from_pte < pte_off - (pte_off < vma_off ? pte_off : vma_off))
		from_pte = pte_off - (pte_off < vma_off ? pte_off : vma_off);
	to_pte = from_pte + nr_pages;
	if (to_pte > PTRS_PER_PTE)
		to_pte = PTRS_PER_PTE;
	lim = pte_off + vma_pages(vma) - vma_off;
	if (to_pte > lim)
		to_pte = lim;
	to_pte--;
	return filemap_map_pages(vmf, vmf->pgoff + from_pte - pte_off,
				 vmf->pgoff + to_pte - pte_off);
}

/*
 * finish_fault(): maps the COW copy, or vmf->page; a large page-cache
 * folio is mapped whole when it lies within the VMA and one page table,
 * its PTEs are all empty and it does not reach past the page holding EOF
 * (shmem may). The fault's folio reference becomes the PTEs'.
 */
static unsigned int finish_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	struct mmsim_machine *m = mm->machine;
	bool is_cow = (vmf->flags & FAULT_FLAG_WRITE) &&
		      !(vma->vm_flags & VM_SHARED);
	struct folio *folio;
	uint64_t nr = 1, idx, addr = vmf->address, i;
	pte_t *pte;

	if (is_cow) {
		pte_t entry;

		folio = vmf->cow_folio;
		pte = pte_alloc_map(mm, vmf->address);
		if (!pte)
			return VM_FAULT_OOM;
		vmf->pte = pte;
		if (!pte_none(*pte))
			return VM_FAULT_NOPAGE;
		entry = pfn_pte(folio->pfn, vma_page_prot(vma) | _PAGE_DIRTY);
		if (vma->vm_flags & VM_WRITE)
			entry.pte |= _PAGE_RW;
		folio_add_new_anon_rmap(m, folio, vma, vmf->address);
		folio_add_lru_vma(m, folio, vma);
		add_mm_counter(mm, MM_ANONPAGES, 1);
		*pte = entry;
		vmf->cow_folio = NULL;	/* the PTE has its reference */
		return 0;
	}
	folio = page_folio(m, vmf->page);
	idx = page_to_pfn(m, vmf->page) - folio->pfn;
	if (folio->order == PMD_ORDER &&
	    (inode_is_shmem(vma->vm_file->f_inode) ||
	     DIV_ROUND_UP_PAGES(vma->vm_file->f_inode->i_size) >=
		     folio->index + HPAGE_PMD_NR)) {
		/* a PMD-sized folio takes an empty PMD (do_set_pmd) */
		pteval_t *pmd = pmd_alloc(mm, vmf->address);

		if (!pmd)
			return VM_FAULT_OOM;
		if (!*pmd && !do_set_pmd(vmf, folio, pmd))
			return 0;	/* the fault's reference goes after */
	}
	/* vma_is_shmem() is false for a shm attach: one page at a time */
	if (folio->order && !vma_is_shm(vma)) {
		struct inode *inode = vma->vm_file->f_inode;
		uint64_t vma_off = vmf->pgoff - vma->vm_pgoff;
		uint64_t pte_off = (vmf->address >> PAGE_SHIFT) &
				   (PTRS_PER_PTE - 1);
		uint64_t n = folio_nr_pages(folio);
		bool needs_fallback = !inode_is_shmem(inode) &&
				      DIV_ROUND_UP_PAGES(inode->i_size) <
					      folio->index + n;

		if (!needs_fallback && vma_off >= idx &&
		    vma_off + (n - idx) <= vma_pages(vma) && pte_off >= idx &&
		    pte_off + (n - idx) <= PTRS_PER_PTE) {
			nr = n;
			addr = vmf->address - (idx << PAGE_SHIFT);
		}
	}
	pte = pte_alloc_map(mm, addr);
	if (!pte)
		return VM_FAULT_OOM;
	if (nr > 1) {
		for (i = 0; i < nr; i++)
			if (!pte_none(pte[i]))
				break;
		if (i < nr) {	/* fall back to the one page */
			nr = 1;
			addr = vmf->address;
			pte = pte_offset_map(mm, addr);
		}
	}
	vmf->pte = pte;
	if (nr == 1 && !pte_none(*pte))
		return VM_FAULT_NOPAGE;
	if (nr == 1) {
		set_pte_range(vmf, folio, idx, 1, addr, pte);
	} else {
		set_pte_range(vmf, folio, 0, nr, addr, pte);
		folio_ref_add(m, folio, (int)(nr - 1));
	}
	add_mm_counter(mm, mm_counter_file(m, folio), (long)nr);
	vmf->page = NULL;	/* the PTEs have its reference */
	return 0;
}

/* ---- ->fault for regular files: filemap_fault() ---- */

/*
 * maybe_unlock_mmap_for_io(): the first try of a fault that may retry
 * drops mmap_lock (or the VMA lock) before it waits for I/O, and then
 * ends in VM_FAULT_RETRY.
 */
static bool maybe_unlock_mmap_for_io(const struct vm_fault *vmf)
{
	return (vmf->flags & FAULT_FLAG_ALLOW_RETRY) &&
	       !(vmf->flags & FAULT_FLAG_TRIED);
}

#define MMAP_LOTSAMISS 100

/* do_sync_mmap_readahead(): read-ahead for a fault on an uncached page. */
static bool do_sync_mmap_readahead(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct file *file = vma->vm_file;
	struct file_ra_state *ra = &file->f_ra;
	struct readahead_control ractl = { file, &file->f_inode->i_data, ra,
					   vmf->pgoff };
	vm_flags_t vm_flags = vma->vm_flags;
	bool fpin = false;

	if (vm_flags & VM_HUGEPAGE) {
		/*
		 * MADV_HUGEPAGE: two PMD-sized folios from the aligned index
		 * (one unless random), read even with read-ahead off.
		 */
		fpin = maybe_unlock_mmap_for_io(vmf);
		ractl._index &= ~((uint64_t)HPAGE_PMD_NR - 1);
		ra->size = HPAGE_PMD_NR;
		if (!(vm_flags & VM_RAND_READ))
			ra->size *= 2;
		ra->async_size = HPAGE_PMD_NR;
		ra->order = PMD_ORDER;
		page_cache_ra_order(&ractl, ra);
		return fpin;
	}
	/* VM_EXEC read-ahead is meant for random access already. */
	if ((vm_flags & (VM_RAND_READ | VM_EXEC)) == VM_RAND_READ)
		return false;
	if (!ra->ra_pages)
		return false;
	if (vm_flags & VM_SEQ_READ) {
		fpin = maybe_unlock_mmap_for_io(vmf);
		page_cache_sync_ra(&ractl, ra->ra_pages);
		return fpin;
	}
	if (ra->mmap_miss < MMAP_LOTSAMISS * 10)
		ra->mmap_miss++;
	if (ra->mmap_miss > MMAP_LOTSAMISS)
		return false;
	fpin = maybe_unlock_mmap_for_io(vmf);
	if (vm_flags & VM_EXEC) {
		/*
		 * Executable memory: from the fault forward, not past the
		 * VMA (exec_folio_order() is 0 on x86).
		 */
		uint64_t start = vma->vm_pgoff, end = start + vma_pages(vma);
		uint64_t ra_end;

		ra->order = 0;
		ra->start = vmf->pgoff > start ? vmf->pgoff : start;
		ra_end = ra->start + ra->ra_pages;
		if (ra_end > end)
			ra_end = end;
		ra->size = (unsigned int)(ra_end - ra->start);
		ra->async_size = 0;
	} else {
		/* mmap read-around */
		ra->start = vmf->pgoff > ra->ra_pages / 2 ?
				    vmf->pgoff - ra->ra_pages / 2 : 0;
		ra->size = ra->ra_pages;
		ra->async_size = ra->ra_pages / 4;
		ra->order = 0;
	}
	ractl._index = ra->start;
	page_cache_ra_order(&ractl, ra);
	return fpin;
}

/* do_async_mmap_readahead(): the fault found a page marked PG_readahead. */
static bool do_async_mmap_readahead(struct vm_fault *vmf, struct folio *folio)
{
	struct file *file = vmf->vma->vm_file;
	struct file_ra_state *ra = &file->f_ra;
	struct readahead_control ractl = { file, &file->f_inode->i_data, ra,
					   vmf->pgoff };
	struct mmsim_machine *m = vmf->vma->vm_mm->machine;
	bool fpin = false;

	if ((vmf->vma->vm_flags & VM_RAND_READ) || !ra->ra_pages)
		return false;
	if (ra->mmap_miss)
		ra->mmap_miss--;
	if (PageFlag(folio_page(m, folio, 0), PG_readahead)) {
		fpin = maybe_unlock_mmap_for_io(vmf);
		page_cache_async_ra(&ractl, folio, ra->ra_pages);
	}
	return fpin;
}

static unsigned int filemap_fault(struct vm_fault *vmf)
{
	struct file *file = vmf->vma->vm_file;
	struct inode *inode = file->f_inode;
	struct address_space *mapping = &inode->i_data;
	struct mmsim_machine *m = inode->i_machine;
	uint64_t index = vmf->pgoff;
	unsigned int ret = 0;
	struct folio *folio;
	bool fpin = false;

	if (index >= DIV_ROUND_UP_PAGES(inode->i_size))
		return VM_FAULT_SIGBUS;
	/*
	 * The lookup's reference (filemap_get_folio() takes none in the
	 * model) is held across read-ahead, whose allocations may reclaim.
	 */
	folio = filemap_get_folio(mapping, index);
	explain(m, "filemap_fault", "page %" PRIu64 " of %s %s", index, inode->path ? inode->path : "the file", folio ? "is in the page cache: no I/O (minor)" : "is not in the page cache: do_sync_mmap_readahead reads it and its neighbours from disk (major, pgmajfault +1)");
	if (folio) {
		folio_get(m, folio);
		if (!(vmf->flags & FAULT_FLAG_TRIED))
			fpin = do_async_mmap_readahead(vmf, folio);
	} else {
		/* No page in the page cache at all: a major fault. */
		count_vm_event(m, PGMAJFAULT);
		ret = VM_FAULT_MAJOR;
		fpin = do_sync_mmap_readahead(vmf);
		folio = filemap_get_folio(mapping, index);
		if (folio) {
			folio_get(m, folio);
		} else {
			/* __filemap_get_folio(FGP_CREAT | FGP_FOR_MMAP) */
			folio = filemap_alloc_folio(m, 0);
			if (!folio)
				return ret | VM_FAULT_OOM;
			if (filemap_add_folio(mapping, folio, index)) {
				folio_put(m, folio);
				return ret | VM_FAULT_OOM;
			}
		}
	}
	if (!PageFlag(folio_page(m, folio, 0), PG_uptodate)) {
		/* page_not_uptodate: read it now, dropping the lock for it */
		if (maybe_unlock_mmap_for_io(vmf))
			fpin = true;
		filemap_read_folio(folio);
	}
	if (fpin || index >= DIV_ROUND_UP_PAGES(inode->i_size)) {
		folio_put(m, folio);
		return fpin ? ret | VM_FAULT_RETRY : VM_FAULT_SIGBUS;
	}
	vmf->page = folio_page(m, folio, index - folio->index);
	return ret | VM_FAULT_LOCKED;
}

/* vma->vm_ops->fault */
static unsigned int __do_fault(struct vm_fault *vmf)
{
	if (vmf->vma->is_shmem)
		return shmem_fault(vmf);
	return filemap_fault(vmf);
}

static void put_fault_page(struct vm_fault *vmf)
{
	struct mmsim_machine *m = vmf->vma->vm_mm->machine;

	if (vmf->page) {
		folio_put(m, page_folio(m, vmf->page));
		vmf->page = NULL;
	}
}

/* do_read_fault(): fault-around first, then the page itself. */
static unsigned int do_read_fault(struct vm_fault *vmf)
{
	unsigned int ret;

	/*
	 * should_fault_around(): a System V shm attach has no ->map_pages
	 * (shm_vm_ops), so it faults page by page.
	 */
	if (fault_around_pages(vmf->vma->vm_mm->machine) > 1 &&
	    !vma_is_shm(vmf->vma)) {
		ret = do_fault_around(vmf);
		explain(vmf->vma->vm_mm->machine, "do_fault_around", "map the neighbouring pages already in the page cache (fault_around_bytes=%" PRIu64 ")%s", fault_around_pages(vmf->vma->vm_mm->machine) << PAGE_SHIFT, ret ? ": the faulting page was among them" : "");
		if (ret)
			return ret;
	}
	ret = __do_fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		return ret;
	ret |= finish_fault(vmf);
	put_fault_page(vmf);
	return ret;
}

/*
 * do_cow_fault(): a write to a private file mapping with no PTE: the
 * file's page is copied into a new anonymous page, which is mapped.
 */
static unsigned int do_cow_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mmsim_machine *m = vma->vm_mm->machine;
	unsigned int ret;

	if (anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	vmf->cow_folio = folio_alloc(m, GFP_HIGHUSER_MOVABLE, 0);
	if (!vmf->cow_folio)
		return VM_FAULT_OOM;
	ret = __do_fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		goto uncharge_out;
	if (copy_highpage(m, folio_page(m, vmf->cow_folio, 0), vmf->page)) {
		ret = VM_FAULT_OOM;
		goto unlock;
	}
	SetPageFlag(folio_page(m, vmf->cow_folio, 0), PG_uptodate);
	ret |= finish_fault(vmf);
unlock:
	put_fault_page(vmf);
uncharge_out:
	if (vmf->cow_folio) {
		folio_put(m, vmf->cow_folio);
		vmf->cow_folio = NULL;
	}
	return ret;
}

/*
 * The file system's ->page_mkwrite (ext4: block_page_mkwrite): the folio
 * becomes dirty before any PTE may write it. shmem has none.
 */
static bool vma_has_page_mkwrite(const struct vm_area_struct *vma)
{
	return vma->vm_file && !vma->is_shmem &&
	       mapping_can_writeback(vma->vm_file->f_inode);
}

static unsigned int do_page_mkwrite(struct vm_fault *vmf, struct folio *folio)
{
	struct mmsim_machine *m = vmf->vma->vm_mm->machine;
	struct inode *inode = vmf->vma->vm_file->f_inode;

	/* A folio truncated away meanwhile, or wholly beyond EOF. */
	if (folio_mapping(folio) != &inode->i_data ||
	    (folio->index << PAGE_SHIFT) >= inode->i_size)
		return VM_FAULT_NOPAGE;
	folio_mark_dirty(m, folio);
	return VM_FAULT_LOCKED;
}

/* do_shared_fault(): a write to a shared file mapping with no PTE. */
static unsigned int do_shared_fault(struct vm_fault *vmf)
{
	struct mmsim_machine *m = vmf->vma->vm_mm->machine;
	struct folio *folio;
	unsigned int ret, tmp;

	ret = __do_fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		return ret;
	if (vma_has_page_mkwrite(vmf->vma)) {
		tmp = do_page_mkwrite(vmf, page_folio(m, vmf->page));
		if (tmp & (VM_FAULT_ERROR | VM_FAULT_NOPAGE)) {
			put_fault_page(vmf);
			return tmp;
		}
	}
	folio = page_folio(m, vmf->page);
	ret |= finish_fault(vmf);
	/* fault_dirty_shared_page(): shmem's folio too (noop_dirty_folio) */
	if (!(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))) {
		folio_mark_dirty(m, folio);
		m->bdp_pending = true;	/* balance_dirty_pages_ratelimited() */
	}
	put_fault_page(vmf);
	return ret;
}

/*
 * wp_page_shared(): a write to a present, write-protected PTE of a shared
 * mapping: ->page_mkwrite dirties the folio, then the PTE is reused,
 * writable, dirty and young.
 */
unsigned int wp_page_shared(struct vm_fault *vmf, struct page *page)
{
	struct mmsim_machine *m = vmf->vma->vm_mm->machine;

	if (page && vma_has_page_mkwrite(vmf->vma)) {
		unsigned int tmp = do_page_mkwrite(vmf, page_folio(m, page));

		if (tmp & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))
			return tmp;
	}
	vmf->pte->pte |= _PAGE_RW | _PAGE_DIRTY | _PAGE_ACCESSED;
	if (page) {	/* fault_dirty_shared_page() */
		folio_mark_dirty(m, page_folio(m, page));
		m->bdp_pending = true;	/* balance_dirty_pages_ratelimited() */
	}
	return 0;
}

/*
 * vma_wants_writenotify(): a shared writable mapping of a file that
 * tracks dirty pages (->page_mkwrite) maps pages read-only first, so that
 * the first write faults.
 */
bool vma_wants_writenotify(const struct vm_area_struct *vma)
{
	if ((vma->vm_flags & (VM_SHARED | VM_WRITE)) != (VM_SHARED | VM_WRITE))
		return false;
	if (vma->vm_flags & VM_PFNMAP)
		return false;
	return vma_has_page_mkwrite(vma);
}

unsigned int do_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;

	if (!vma->vm_file) {
		/*
		 * A special mapping ([vdso]): DIVERGENCE(linux): its pages
		 * are not modelled; the access succeeds on the VMA's say-so.
		 * The page table its page would go into is made, as
		 * finish_fault() (or vmf_insert_pfn()) would make it.
		 */
		if (!pte_alloc_map(vma->vm_mm, vmf->address))
			return VM_FAULT_OOM;
		return 0;
	}
	vmf->pgoff = linear_page_index(vma, vmf->address);
	explain(vma->vm_mm->machine, "do_fault", "file page index=%" PRIu64 ": %s", vmf->pgoff, !(vmf->flags & FAULT_FLAG_WRITE) ? "a read: do_read_fault" : !(vma->vm_flags & VM_SHARED) ? "a write to a private mapping: do_cow_fault (copy the file page into an anonymous one)" : "a write to a shared mapping: do_shared_fault");
	if (!(vmf->flags & FAULT_FLAG_WRITE))
		return explain_nest(vma->vm_mm->machine, do_read_fault(vmf));
	if (!(vma->vm_flags & VM_SHARED))
		return explain_nest(vma->vm_mm->machine, do_cow_fault(vmf));
	return explain_nest(vma->vm_mm->machine, do_shared_fault(vmf));
}

/* ---- buffered read and write ---- */

/*
 * filemap_get_read_batch(): the folios from index on, as long as they are
 * contiguous and up to max; stops after one that is not uptodate or is
 * marked for read-ahead. Returns how many went into batch.
 */
static int filemap_get_read_batch(struct address_space *mapping,
				  uint64_t index, uint64_t max,
				  struct folio **batch, int size)
{
	struct mmsim_machine *m = mapping_machine(mapping);
	int n = 0;

	while (n < size && index <= max) {
		struct folio *folio = filemap_get_folio(mapping, index);
		struct page *head;

		if (!folio)
			break;
		folio_get(m, folio);	/* the caller puts it */
		batch[n++] = folio;
		head = folio_page(m, folio, 0);
		if (!PageFlag(head, PG_uptodate) ||
		    PageFlag(head, PG_readahead))
			break;
		index = folio->index + folio_nr_pages(folio);
	}
	return n;
}

#define READ_BATCH 31	/* PAGEVEC_SIZE */

/*
 * filemap_get_pages(): the folios a read of [pos, pos + count) needs,
 * each with a reference the caller drops (read-ahead may reclaim).
 */
static int filemap_get_pages(struct file *filp, uint64_t pos, uint64_t count,
			     struct folio **batch)
{
	struct address_space *mapping = &filp->f_inode->i_data;
	struct mmsim_machine *m = mapping_machine(mapping);
	uint64_t index = pos >> PAGE_SHIFT;
	uint64_t last_index = DIV_ROUND_UP_PAGES(pos + count);
	struct folio *folio;
	int n;

	n = filemap_get_read_batch(mapping, index, last_index - 1, batch,
				   READ_BATCH);
	if (!n) {
		struct readahead_control ractl = { filp, mapping, &filp->f_ra,
						   index };

		page_cache_sync_ra(&ractl, last_index - index);
		n = filemap_get_read_batch(mapping, index, last_index - 1,
					   batch, READ_BATCH);
	}
	if (!n) {
		/* filemap_create_folio() */
		folio = filemap_alloc_folio(m, 0);
		if (!folio)
			return -ENOMEM;
		if (filemap_add_folio(mapping, folio, index)) {
			folio_put(m, folio);
			return -ENOMEM;
		}
		filemap_read_folio(folio);
		batch[0] = folio;	/* with the allocation's reference */
		return 1;
	}
	folio = batch[n - 1];
	if (PageFlag(folio_page(m, folio, 0), PG_readahead)) {
		struct readahead_control ractl = { filp, mapping, &filp->f_ra,
						   folio->index };

		page_cache_async_ra(&ractl, folio, last_index - folio->index);
	}
	if (!PageFlag(folio_page(m, folio, 0), PG_uptodate))
		filemap_read_folio(folio);
	return n;
}

/*
 * filemap_read(): copies [pos, pos + count) of a regular file out of the
 * page cache, reading and reading ahead what is missing; the first folio
 * is marked accessed unless the previous read ended in it.
 */
int64_t filemap_read(struct file *filp, uint64_t pos, uint8_t *buf,
		     uint64_t count)
{
	struct inode *inode = filp->f_inode;
	struct mmsim_machine *m = inode->i_machine;
	struct file_ra_state *ra = &filp->f_ra;
	int64_t last_pos = ra->prev_pos, already_read = 0;
	struct folio *batch[READ_BATCH];
	uint64_t maxbytes = inode_maxbytes(inode);

	if (pos >= maxbytes || !count)
		return 0;
	if (count > maxbytes - pos)
		count = maxbytes - pos;
	do {
		uint64_t isize, end_offset;
		int n, i;

		if (pos >= inode->i_size)
			break;
		n = filemap_get_pages(filp, pos, count, batch);
		if (n < 0)
			return already_read ? already_read : n;
		isize = inode->i_size;
		if (pos >= isize) {
			for (i = 0; i < n; i++)
				folio_put(m, batch[i]);
			break;
		}
		end_offset = pos + count < isize ? pos + count : isize;
		/* Only the first access to a folio marks it accessed. */
		if (last_pos <= 0 ||
		    (pos >> (PAGE_SHIFT + batch[0]->order)) !=
			    ((uint64_t)(last_pos - 1) >>
			     (PAGE_SHIFT + batch[0]->order)))
			folio_mark_accessed(m, batch[0]);
		for (i = 0; i < n; i++) {
			struct folio *folio = batch[i];
			uint64_t fpos = folio->index << PAGE_SHIFT;
			uint64_t fsize = folio_nr_pages(folio) << PAGE_SHIFT;
			uint64_t offset = pos - fpos, bytes;

			if (end_offset < fpos)
				break;
			if (i > 0)
				folio_mark_accessed(m, folio);
			bytes = end_offset - pos;
			if (bytes > fsize - offset)
				bytes = fsize - offset;
			if (buf) {
				uint64_t done = 0;

				while (done < bytes) {
					uint64_t o = offset + done;
					uint64_t chunk = PAGE_SIZE -
							 (o & (PAGE_SIZE - 1));
					const uint8_t *src = kmap_local_page(
						m, folio_page(m, folio,
							      o >> PAGE_SHIFT));

					if (chunk > bytes - done)
						chunk = bytes - done;
					memcpy(buf + already_read + done,
					       src + (o & (PAGE_SIZE - 1)),
					       chunk);
					done += chunk;
				}
			}
			already_read += (int64_t)bytes;
			count -= bytes;
			pos += bytes;
			last_pos = (int64_t)pos;
		}
		for (i = 0; i < n; i++)
			folio_put(m, batch[i]);
	} while (count && pos < inode->i_size);
	ra->prev_pos = last_pos;
	return already_read;
}

/*
 * The folio write_begin() gets for a write of len bytes at index
 * (__filemap_get_folio(FGP_WRITEBEGIN | fgf_set_order(len))): the cached
 * one, or a new one as large as the write, aligned, fitting among the
 * cached folios. Not uptodate when new.
 */
static struct folio *write_begin_get_folio(struct address_space *mapping,
					   uint64_t index, uint64_t len)
{
	struct mmsim_machine *m = mapping_machine(mapping);
	struct folio *folio = filemap_get_folio(mapping, index);
	unsigned int order = 0, max = mapping_max_folio_order(mapping->host);

	if (folio)
		return folio;
	while (len >> (PAGE_SHIFT + order + 1))
		order++;
	if (order > max)
		order = max;
	while (order && (index & ((1ULL << order) - 1)))
		order--;
	for (;;) {
		folio = filemap_alloc_folio(m, order);
		/*
		 * __GFP_WRITE: a folio about to be overwritten is no
		 * refault (its shadow just goes)
		 */
		if (folio && !__filemap_add_folio(mapping, folio, index, NULL)) {
			folio_add_lru(m, folio);
			folio_put(m, folio);
			return folio;
		}
		if (folio)
			folio_put(m, folio);
		if (!order)
			return NULL;
		order--;
	}
}

/*
 * generic_perform_write() with ext4's delalloc write_begin/write_end:
 * each folio is brought uptodate (read from disk, or zeroed around the
 * write where it is a hole), written into and dirtied; i_size grows.
 */
int64_t generic_perform_write(struct file *file, uint64_t pos,
			      const uint8_t *buf, uint64_t count)
{
	struct inode *inode = file->f_inode;
	struct address_space *mapping = &inode->i_data;
	struct mmsim_machine *m = inode->i_machine;
	int64_t written = 0;

	while (count) {
		uint64_t index = pos >> PAGE_SHIFT, bytes, fpos, offset, done;
		struct folio *folio;
		struct page *head;

		bytes = (2ULL << 20) - (pos & ((2ULL << 20) - 1));
		if (bytes > count)
			bytes = count;
		folio = write_begin_get_folio(mapping, index, bytes);
		if (!folio)
			return written ? written : -ENOMEM;
		head = folio_page(m, folio, 0);
		fpos = folio->index << PAGE_SHIFT;
		offset = pos - fpos;
		if (bytes > (folio_nr_pages(folio) << PAGE_SHIFT) - offset)
			bytes = (folio_nr_pages(folio) << PAGE_SHIFT) - offset;
		if (!PageFlag(head, PG_uptodate)) {
			/* Blocks with data are read; holes start as zeroes. */
			filemap_read_folio(folio);
		}
		for (done = 0; done < bytes;) {
			uint64_t o = offset + done;
			uint64_t chunk = PAGE_SIZE - (o & (PAGE_SIZE - 1));

			if (chunk > bytes - done)
				chunk = bytes - done;
			if (page_data_write(m, folio_page(m, folio,
							  o >> PAGE_SHIFT),
					    (unsigned int)(o & (PAGE_SIZE - 1)),
					    buf ? buf + written + done : NULL,
					    chunk))
				return written ? written : -ENOMEM;
			done += chunk;
		}
		folio_mark_dirty(m, folio);
		pos += bytes;
		count -= bytes;
		written += (int64_t)bytes;
		if (pos > inode->i_size)
			inode->i_size = pos;
		balance_dirty_pages_ratelimited(m);
	}
	return written;
}

/*
 * generic_fadvise(POSIX_FADV_WILLNEED): read [offset, offset + len) ahead
 * (force_page_cache_ra(), bounded by the disk's limits); shmem has no
 * read-ahead (its pages would come back from swap, which there is none).
 */
void generic_fadvise_willneed(struct file *file, uint64_t offset, uint64_t len)
{
	struct inode *inode = file->f_inode;
	struct readahead_control ractl = { file, &inode->i_data, &file->f_ra,
					   offset >> PAGE_SHIFT };
	uint64_t endbyte = offset + len - 1, nrpages;

	if (!mapping_can_writeback(inode) || !len)
		return;
	if (endbyte < offset)
		endbyte = INT64_MAX;
	nrpages = (endbyte >> PAGE_SHIFT) - (offset >> PAGE_SHIFT) + 1;
	force_page_cache_ra(&ractl, nrpages);
}

/* Loads the machine-level helpers that scripts and the oracle use. */
int mmsim_file_pwrite(struct mmsim_machine *m, const char *path,
		      const void *buf, uint64_t len, uint64_t off)
{
	struct inode *inode = inode_find(m, path);
	struct file *f;
	int64_t ret;

	if (!inode)
		return -ENOENT;
	f = file_open_inode(m, inode, true, true);
	if (!f)
		return -ENOMEM;
	ret = file_write(NULL, f, off, buf, len);
	fput(f);
	return ret < 0 ? (int)ret : 0;
}

int mmsim_file_sync(struct mmsim_machine *m, const char *path)
{
	struct inode *inode = inode_find(m, path);

	if (!inode)
		return -ENOENT;
	return filemap_write_and_wait_range(&inode->i_data, 0, UINT64_MAX);
}
