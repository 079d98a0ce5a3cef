/*
 * Models ipc/shm.c (and the shm half of ipc/util.c): System V shared
 * memory segments in the machine's one IPC namespace. A segment is an
 * unlinked shmem file ("/SYSV<key>" on the internal tmpfs mount, 00:01) or,
 * with SHM_HUGETLB, a hugetlbfs file with its pages reserved at shmget;
 * its inode number is the shmid. shmat maps a fresh file of the segment
 * (MAP_SHARED); every VMA of an attach counts in shm_nattch, splits and
 * fork included.
 * DIVERGENCE(linux): times are the simulated clock's seconds from a
 * fixed boot time, not the wall clock; no other IPC namespaces; SHM_LOCK marks the segment and
 * charges the user's locked memory, but its pages stay on the evictable
 * LRU lists.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/mman.h"

#define IPC_PRIVATE	0
#define IPC_CREAT	00001000
#define IPC_EXCL	00002000
#define IPC_RMID	0
#define IPC_SET		1
#define IPC_STAT	2
#define IPC_INFO	3
#define SHM_LOCK	11
#define SHM_UNLOCK	12
#define SHM_STAT	13
#define SHM_INFO	14
#define SHM_STAT_ANY	15

#define SHM_RDONLY	010000
#define SHM_RND		020000
#define SHM_REMAP	040000
#define SHM_EXEC	0100000
#define SHM_HUGETLB	04000
#define SHM_NORESERVE	010000
#define SHM_HUGE_SHIFT	26
#define SHM_HUGE_MASK	0x3f

#define SHM_DEST	01000	/* destroyed on the last detach */
#define SHM_LOCKED	02000	/* SHM_LOCK'ed */
#define S_IRWXUGO	0777

#define SHMMIN		1
#define SHMMNI		4096
#define SHMMAX		(UINT64_MAX - (1ULL << 24))
#define SHMALL		(UINT64_MAX - (1ULL << 24))
#define SHMLBA		PAGE_SIZE

#define IPCMNI_SHIFT	15
#define IPCMNI		(1 << IPCMNI_SHIFT)
#define IPC_MIN_CYCLE	64	/* RADIX_TREE_MAP_SIZE */
#define IPCID_SEQ_MAX	(0x7fffffff >> IPCMNI_SHIFT)

struct shmid_kernel {
	int32_t key;
	int id;
	unsigned int seq;
	uint32_t uid, gid, cuid, cgid;
	unsigned int mode;
	uint64_t segsz;
	uint64_t atim, dtim, ctim;
	int cpid, lpid;
	uint64_t nattch;
	struct file *shm_file;
	/* the user whose locked memory the segment holds (-1: none) */
	int64_t mlock_uid;
	uint64_t mlock_bytes;
	struct mmsim_process *creator;	/* NULL once it exited */
};

/* The x86-64 layouts shmctl() copies (struct shmid64_ds and friends). */
struct shmid64_ds_x86 {
	int32_t key;
	uint32_t uid, gid, cuid, cgid;
	uint16_t mode, pad1;
	uint16_t seq, pad2;
	uint64_t unused1, unused2;
	uint64_t shm_segsz;
	int64_t shm_atime, shm_dtime, shm_ctime;
	int32_t shm_cpid, shm_lpid;
	uint64_t shm_nattch;
	uint64_t unused4, unused5;
};
_Static_assert(sizeof(struct shmid64_ds_x86) == 112, "shmid64_ds");

struct shminfo64_x86 {
	uint64_t shmmax, shmmin, shmmni, shmseg, shmall;
	uint64_t unused[4];
};

struct shm_info_x86 {
	int32_t used_ids, pad;
	uint64_t shm_tot, shm_rss, shm_swp, swap_attempts, swap_successes;
};

/*
 * ktime_get_real_seconds(): DIVERGENCE(linux): the machine boots at a
 * fixed time (2026-01-01 00:00:00 UTC) and its clock is the simulated one.
 */
#define SHM_BOOT_EPOCH 1767225600ULL

static uint64_t shm_now(struct mmsim_machine *m)
{
	return SHM_BOOT_EPOCH + m->clock_ms / 1000;
}

static int current_pid(struct mm_struct *mm)
{
	return mm && mm->owner ? mm->owner->pid : 0;
}

void shm_init_ns(struct mmsim_machine *m)
{
	struct shm_ipc_ns *ns = &m->shm;

	memset(ns, 0, sizeof(*ns));
	ns->shm_ctlmax = SHMMAX;
	ns->shm_ctlall = SHMALL;
	ns->shm_ctlmni = SHMMNI;
	ns->max_idx = -1;
	ns->last_idx = -1;
}

/* ---- ids (ipc/util.c) ---- */

static struct shmid_kernel *shm_obtain_object(struct shm_ipc_ns *ns, int id)
{
	int idx = id & (IPCMNI - 1);

	if (idx >= ns->segs_cap)
		return NULL;
	return ns->segs[idx];
}

/* ipc_obtain_object_check(): the index and its sequence number must match. */
static struct shmid_kernel *shm_obtain_object_check(struct shm_ipc_ns *ns,
						    int id)
{
	struct shmid_kernel *shp = shm_obtain_object(ns, id);

	if (!shp || (unsigned int)(id >> IPCMNI_SHIFT) != shp->seq)
		return NULL;
	return shp;
}

/*
 * ipc_idr_alloc(): the next free index at or after next_idx below
 * max(in_use * 3 / 2, 64), wrapping to 0 (idr_alloc_cyclic); going back
 * to an index not above the last one bumps the sequence number.
 */
static int ipc_addid(struct shm_ipc_ns *ns, struct shmid_kernel *shp,
		     int limit)
{
	int max_idx, idx;

	if (limit > IPCMNI)
		limit = IPCMNI;
	if (ns->in_use >= limit)
		return -ENOSPC;
	max_idx = ns->in_use * 3 / 2;
	if (max_idx < IPC_MIN_CYCLE)
		max_idx = IPC_MIN_CYCLE;
	if (max_idx > IPCMNI)
		max_idx = IPCMNI;
	if (ns->segs_cap < max_idx) {
		struct shmid_kernel **n = realloc(ns->segs, sizeof(*n) *
							     (size_t)max_idx);

		if (!n)
			return -ENOMEM;
		memset(n + ns->segs_cap, 0,
		       sizeof(*n) * (size_t)(max_idx - ns->segs_cap));
		ns->segs = n;
		ns->segs_cap = max_idx;
	}
	for (idx = ns->next_idx < max_idx ? ns->next_idx : 0; idx < max_idx;
	     idx++)
		if (!ns->segs[idx])
			break;
	if (idx == max_idx) {
		for (idx = 0; idx < max_idx; idx++)
			if (!ns->segs[idx])
				break;
		if (idx == max_idx)
			return -ENOSPC;
	}
	ns->next_idx = idx + 1;
	if (idx <= ns->last_idx) {
		if (++ns->seq >= IPCID_SEQ_MAX)
			ns->seq = 0;
	}
	ns->last_idx = idx;
	shp->seq = ns->seq;
	shp->id = (int)(shp->seq << IPCMNI_SHIFT) + idx;
	ns->segs[idx] = shp;
	ns->in_use++;
	if (idx > ns->max_idx)
		ns->max_idx = idx;
	return idx;
}

static void ipc_rmid(struct shm_ipc_ns *ns, struct shmid_kernel *shp)
{
	int idx = shp->id & (IPCMNI - 1);

	ns->segs[idx] = NULL;
	ns->in_use--;
	if (idx == ns->max_idx) {
		do {
			ns->max_idx--;
		} while (ns->max_idx >= 0 && !ns->segs[ns->max_idx]);
	}
}

/* ipc_get_maxidx() */
static int ipc_get_maxidx(const struct shm_ipc_ns *ns)
{
	if (!ns->in_use)
		return -1;
	if (ns->in_use == IPCMNI)
		return IPCMNI - 1;
	return ns->max_idx;
}

static bool in_group_p(const struct mmsim_process *p, uint32_t gid)
{
	return p->gid == gid;
}

/* ipcperms(): the owner's, group's or others' bits; CAP_IPC_OWNER passes. */
static int ipcperms(const struct mmsim_process *p,
		    const struct shmid_kernel *shp, unsigned int flag)
{
	unsigned int requested = (flag >> 6) | (flag >> 3) | flag;
	unsigned int granted = shp->mode;

	if (p->uid == shp->cuid || p->uid == shp->uid)
		granted >>= 6;
	else if (in_group_p(p, shp->cgid) || in_group_p(p, shp->gid))
		granted >>= 3;
	if ((requested & ~granted & 0007) && !capable(p, CAP_IPC_OWNER))
		return -1;
	return 0;
}

/* ---- locked shm memory of a user (mm/mlock.c user_shm_lock) ---- */

static uint64_t *memlock_of(struct shm_ipc_ns *ns, uint32_t uid)
{
	struct shm_memlock *n;
	int i;

	for (i = 0; i < ns->nr_memlock; i++)
		if (ns->memlock[i].uid == uid)
			return &ns->memlock[i].pages;
	n = realloc(ns->memlock, sizeof(*n) * (size_t)(ns->nr_memlock + 1));
	if (!n)
		return NULL;
	ns->memlock = n;
	n[ns->nr_memlock].uid = uid;
	n[ns->nr_memlock].pages = 0;
	return &n[ns->nr_memlock++].pages;
}

static bool user_shm_lock(struct mmsim_process *p, uint64_t size)
{
	uint64_t locked = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	uint64_t lock_limit = rlimit(p, MMSIM_RLIMIT_MEMLOCK);
	uint64_t *memlock = memlock_of(&p->machine->shm, p->uid);

	if (!memlock)
		return false;
	if (lock_limit != RLIM_INFINITY)
		lock_limit >>= PAGE_SHIFT;
	if (*memlock + locked > lock_limit && !capable(p, CAP_IPC_LOCK))
		return false;
	*memlock += locked;
	return true;
}

static void user_shm_unlock(struct shm_ipc_ns *ns, uint64_t size,
			    uint32_t uid)
{
	uint64_t *memlock = memlock_of(ns, uid);

	if (memlock)
		*memlock -= (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

/* ---- segments ---- */

static void shm_destroy(struct mmsim_machine *m, struct shmid_kernel *shp)
{
	struct shm_ipc_ns *ns = &m->shm;

	ns->shm_tot -= (shp->segsz + PAGE_SIZE - 1) >> PAGE_SHIFT;
	ipc_rmid(ns, shp);
	if (shp->mlock_uid >= 0)
		user_shm_unlock(ns, shp->mlock_bytes, (uint32_t)shp->mlock_uid);
	fput(shp->shm_file);
	free(shp);
}

static bool shm_may_destroy(struct shm_ipc_ns *ns, struct shmid_kernel *shp)
{
	return !shp->nattch && (ns->shm_rmid_forced || (shp->mode & SHM_DEST));
}

void shm_vm_open(struct vm_area_struct *vma)
{
	struct mmsim_machine *m;
	struct shmid_kernel *shp;

	if (!vma_is_shm(vma))
		return;
	m = vma->vm_file->f_inode->i_machine;
	shp = shm_obtain_object(&m->shm, vma->vm_file->shm_id);
	VM_WARN_ON_ONCE(!shp);
	if (!shp)
		return;
	shp->atim = shm_now(m);
	shp->lpid = current_pid(vma->vm_mm);
	shp->nattch++;
}

void shm_vm_close(struct vm_area_struct *vma)
{
	struct mmsim_machine *m;
	struct shmid_kernel *shp;

	if (!vma_is_shm(vma))
		return;
	m = vma->vm_file->f_inode->i_machine;
	shp = shm_obtain_object(&m->shm, vma->vm_file->shm_id);
	VM_WARN_ON_ONCE(!shp);
	if (!shp)
		return;
	shp->lpid = current_pid(vma->vm_mm);
	shp->dtim = shm_now(m);
	shp->nattch--;
	if (shm_may_destroy(&m->shm, shp))
		shm_destroy(m, shp);
}

void exit_shm(struct mmsim_process *p)
{
	struct shm_ipc_ns *ns = &p->machine->shm;
	int i;

	for (i = 0; i < ns->segs_cap; i++) {
		struct shmid_kernel *shp = ns->segs[i];

		if (!shp || shp->creator != p)
			continue;
		shp->creator = NULL;
		if (ns->shm_rmid_forced && shm_may_destroy(ns, shp))
			shm_destroy(p->machine, shp);
	}
}

void shm_exit_ns(struct mmsim_machine *m)
{
	struct shm_ipc_ns *ns = &m->shm;
	int i;

	for (i = 0; i < ns->segs_cap; i++)
		if (ns->segs[i])
			shm_destroy(m, ns->segs[i]);
	free(ns->segs);
	free(ns->memlock);
	ns->segs = NULL;
	ns->memlock = NULL;
	ns->segs_cap = ns->nr_memlock = 0;
}

/* can_do_hugetlb_shm() */
static bool can_do_hugetlb_shm(struct mmsim_process *p)
{
	return capable(p, CAP_IPC_LOCK) ||
	       in_group_p(p, p->machine->shm.hugetlb_shm_group);
}

/*
 * The hugetlbfs file of a SHM_HUGETLB segment (hugetlb_file_setup() with
 * HUGETLB_SHMFS_INODE): the user must be in vm.hugetlb_shm_group or have
 * CAP_IPC_LOCK; since 6.3 an RLIMIT_MEMLOCK large enough no longer does
 * (the kernel only warns that it is obsolete), EPERM.
 */
static struct file *hugetlb_shm_setup(struct mmsim_process *p,
				      struct shmid_kernel *shp,
				      const char *name, uint64_t size,
				      struct hstate *h, bool noreserve,
				      int *err)
{
	struct mmsim_machine *m = p->machine;
	struct inode *inode;
	struct file *f;

	shp->mlock_uid = -1;
	if (!can_do_hugetlb_shm(p)) {
		*err = -EPERM;
		return NULL;
	}
	/* DIVERGENCE(linux): the reference machine's hugetlbfs devices */
	inode = inode_new(m, name, MMSIM_FILE_TMPFS, 0,
			  huge_page_size(h) == PUD_SIZE ? 0x12 : 0x11, 0, size);
	if (!inode)
		goto nomem;
	inode->hugepage_size = huge_page_size(h);
	inode->unlinked = true;
	inode->i_noreserve = false;
	if (hugetlb_reserve_pages(m, inode, 0, size,
				  VM_MAYSHARE | (noreserve ? VM_NORESERVE : 0))) {
		inode->i_count--;
		goto nomem;
	}
	f = file_open_inode(m, inode, true, true);
	inode->i_count--;	/* the file holds the only reference */
	if (f)
		return f;
nomem:
	*err = -ENOMEM;
	return NULL;
}

/* shmem_kernel_file_setup(): an unlinked file on the internal tmpfs. */
static struct file *shmem_shm_setup(struct mmsim_process *p, const char *name,
				    uint64_t size, bool noreserve, int *err)
{
	struct mmsim_machine *m = p->machine;
	uint64_t pages = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	struct inode *inode;
	struct file *f;

	if (size > 0x7fffffffffffffffULL) {	/* MAX_LFS_FILESIZE */
		*err = -EINVAL;
		return NULL;
	}
	/* shmem_acct_size() */
	if (!noreserve && security_vm_enough_memory_mm(p, (int64_t)pages)) {
		*err = -ENOMEM;
		return NULL;
	}
	*err = -ENOMEM;
	inode = inode_new(m, name, MMSIM_FILE_TMPFS, 0, 1, 0, size);
	if (!inode)
		goto unacct;
	inode->unlinked = true;
	inode->i_noreserve = noreserve;
	/* on shm_mnt: huge pages as shmem_enabled allows */
	inode->i_shm_mnt = true;
	inode->i_large_folios = shmem_sb_huge(inode);
	if (!noreserve)
		inode->i_acct_pages = pages;
	f = file_open_inode(m, inode, true, true);
	inode->i_count--;
	if (f)
		return f;
	/* the inode stays on the machine's list, empty and unused */
	inode->i_acct_pages = 0;
unacct:
	if (!noreserve)
		vm_unacct_memory(m, pages);
	return NULL;
}

/* newseg() */
static long newseg(struct mmsim_process *p, int32_t key, uint64_t size,
		   int shmflg)
{
	struct mmsim_machine *m = p->machine;
	struct shm_ipc_ns *ns = &m->shm;
	uint64_t numpages = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	struct shmid_kernel *shp;
	char name[16];
	int err = 0;
	int idx;

	if (size < SHMMIN || size > ns->shm_ctlmax)
		return -EINVAL;
	if (numpages << PAGE_SHIFT < size)
		return -ENOSPC;
	if (ns->shm_tot + numpages < ns->shm_tot ||
	    ns->shm_tot + numpages > ns->shm_ctlall)
		return -ENOSPC;
	shp = calloc(1, sizeof(*shp));
	if (!shp)
		return -ENOMEM;
	shp->key = key;
	shp->mode = (unsigned int)shmflg & S_IRWXUGO;
	shp->mlock_uid = -1;
	snprintf(name, sizeof(name), "/SYSV%08x", (uint32_t)key);
	if (shmflg & SHM_HUGETLB) {
		unsigned int log = ((unsigned int)shmflg >> SHM_HUGE_SHIFT) &
				   SHM_HUGE_MASK;
		struct hstate *h = log == 0 ? &m->hstates[0] :
				   log < 64 ? size_to_hstate(m, 1ULL << log) :
					      NULL;

		if (!h) {
			free(shp);
			return -EINVAL;
		}
		shp->shm_file = hugetlb_shm_setup(p, shp, name,
						  ALIGN_UP(size,
							   huge_page_size(h)),
						  h, shmflg & SHM_NORESERVE,
						  &err);
	} else {
		/* OVERCOMMIT_NEVER accounts even when told not to */
		shp->shm_file = shmem_shm_setup(p, name, size,
						(shmflg & SHM_NORESERVE) &&
							m->knobs.overcommit_memory != 2,
						&err);
	}
	if (!shp->shm_file) {
		free(shp);
		return err;
	}
	shp->cpid = p->pid;
	shp->ctim = shm_now(m);
	shp->segsz = size;
	shp->creator = p;
	shp->uid = shp->cuid = p->uid;
	shp->gid = shp->cgid = p->gid;
	idx = ipc_addid(ns, shp, ns->shm_ctlmni);
	if (idx < 0) {
		if (shp->mlock_uid >= 0)
			user_shm_unlock(ns, shp->mlock_bytes,
					(uint32_t)shp->mlock_uid);
		fput(shp->shm_file);
		free(shp);
		return idx;
	}
	/* the shmid is the inode number maps shows */
	shp->shm_file->f_inode->i_ino = (uint64_t)shp->id;
	ns->shm_tot += numpages;
	return shp->id;
}

static long sys_shmget(struct mmsim_process *p, int32_t key, uint64_t size,
		       int shmflg)
{
	struct shm_ipc_ns *ns = &p->machine->shm;
	struct shmid_kernel *shp = NULL;
	int i;

	if (key == IPC_PRIVATE)
		return newseg(p, key, size, shmflg);
	/* ipcget_public(): a key that is not private is looked up first */
	for (i = 0; i < ns->segs_cap && !shp; i++)
		if (ns->segs[i] && ns->segs[i]->key == key &&
		    !(ns->segs[i]->mode & SHM_DEST))
			shp = ns->segs[i];
	if (!shp) {
		if (!(shmflg & IPC_CREAT))
			return -ENOENT;
		return newseg(p, key, size, shmflg);
	}
	if ((shmflg & IPC_CREAT) && (shmflg & IPC_EXCL))
		return -EEXIST;
	if (shp->segsz < size)
		return -EINVAL;
	if (ipcperms(p, shp, (unsigned int)shmflg))
		return -EACCES;
	return shp->id;
}

/* do_shmat(): the address the segment was attached at, or -errno. */
static long do_shmat(struct mmsim_process *p, int shmid, uint64_t addr,
		     int shmflg)
{
	struct mmsim_machine *m = p->machine;
	struct shm_ipc_ns *ns = &m->shm;
	uint64_t flags = MAP_SHARED, prot, size, populate = 0;
	struct shmid_kernel *shp;
	unsigned int acc_mode;
	struct file *file;
	bool rdonly = shmflg & SHM_RDONLY;
	int64_t ret;

	if (shmid < 0)
		return -EINVAL;
	if (addr) {
		if (addr & (SHMLBA - 1)) {
			if (!(shmflg & SHM_RND))
				return -EINVAL;
			addr &= ~(SHMLBA - 1);
			if (!addr && (shmflg & SHM_REMAP))
				return -EINVAL;
		}
		flags |= MAP_FIXED;
	} else if (shmflg & SHM_REMAP) {
		return -EINVAL;
	}
	if (rdonly) {
		prot = PROT_READ;
		acc_mode = 0444;
	} else {
		prot = PROT_READ | PROT_WRITE;
		acc_mode = 0666;
	}
	if (shmflg & SHM_EXEC) {
		prot |= PROT_EXEC;
		acc_mode |= 0111;
	}
	shp = shm_obtain_object_check(ns, shmid);
	if (!shp)
		return -EINVAL;
	if (ipcperms(p, shp, acc_mode))
		return -EACCES;

	/* the segment stays while the attach is made */
	shp->nattch++;
	size = shp->shm_file->f_inode->i_size;
	file = file_open_inode(m, shp->shm_file->f_inode, true, !rdonly);
	if (!file) {
		ret = -ENOMEM;
		goto out_nattch;
	}
	file->shm_base = get_file(shp->shm_file);
	file->shm_id = shp->id;
	if (addr && !(shmflg & SHM_REMAP)) {
		if (addr + size < addr ||
		    find_vma_intersection(p->mm, addr, addr + size)) {
			ret = -EINVAL;
			goto out_fput;
		}
	}
	ret = do_mmap(p, file, addr, size, prot, flags, 0, 0, &populate);
	if (ret >= 0 && populate)
		mm_populate(p, (uint64_t)ret, populate);
out_fput:
	fput(file);
out_nattch:
	shp->nattch--;
	if (shm_may_destroy(ns, shp))
		shm_destroy(m, shp);
	return ret;
}

/*
 * shmdt(): the first attach VMA at or above addr whose offset in the
 * segment is its distance from addr (a whole attach at addr, or a piece
 * of one split by mprotect or munmap) goes, then every piece of the same
 * attach file within the segment's size from addr.
 */
static long sys_shmdt(struct mmsim_process *p, uint64_t addr)
{
	struct mm_struct *mm = p->mm;
	struct vm_area_struct *vma;
	struct file *file = NULL;
	uint64_t size = 0;
	long retval = -EINVAL;

	if (addr & ~PAGE_MASK)
		return -EINVAL;
	for (vma = find_vma(mm, addr); vma; vma = find_vma(mm, vma->vm_end)) {
		if (vma_is_shm(vma) &&
		    (vma->vm_start - addr) / PAGE_SIZE == vma->vm_pgoff) {
			uint64_t end = vma->vm_end;

			file = vma->vm_file;
			size = file->f_inode->i_size;
			do_vmi_munmap(mm, vma->vm_start, end - vma->vm_start,
				      false);
			retval = 0;
			vma = find_vma(mm, end);
			break;
		}
	}
	size = PAGE_ALIGN(size);
	while (vma && vma->vm_end - addr <= size) {
		uint64_t end = vma->vm_end;

		if (vma_is_shm(vma) &&
		    (vma->vm_start - addr) / PAGE_SIZE == vma->vm_pgoff &&
		    vma->vm_file == file)
			do_vmi_munmap(mm, vma->vm_start, end - vma->vm_start,
				      false);
		vma = find_vma(mm, end);
	}
	return retval;
}

/* ---- shmctl ---- */

static void shm_add_rss_swap(struct shmid_kernel *shp, uint64_t *rss,
			     uint64_t *swp)
{
	struct inode *inode = shp->shm_file->f_inode;

	if (inode->hugepage_size) {
		/*
		 * pages_per_huge_page() times nrpages, which already counts
		 * base pages: 6.18 shows 512 times the memory (the live
		 * /proc/sysvipc/shm says 1 GiB for one 2 MiB page).
		 */
		*rss += (inode->hugepage_size >> PAGE_SHIFT) *
			inode->i_data.nrpages;
	} else {
		*rss += inode->i_data.nrpages;
		*swp += inode->swapped;
	}
}

static void shm_fill_stat(const struct shmid_kernel *shp,
			  struct shmid64_ds_x86 *t)
{
	memset(t, 0, sizeof(*t));
	t->key = shp->key;
	t->uid = shp->uid;
	t->gid = shp->gid;
	t->cuid = shp->cuid;
	t->cgid = shp->cgid;
	t->mode = (uint16_t)shp->mode;
	t->seq = (uint16_t)shp->seq;
	t->shm_segsz = shp->segsz;
	t->shm_atime = (int64_t)shp->atim;
	t->shm_dtime = (int64_t)shp->dtim;
	t->shm_ctime = (int64_t)shp->ctim;
	t->shm_cpid = shp->cpid;
	t->shm_lpid = shp->lpid;
	t->shm_nattch = shp->nattch;
}

/* shmem_lock(): SHM_LOCK charges the whole size once, SHM_UNLOCK gives it. */
static int shmem_lock(struct mmsim_process *p, struct shmid_kernel *shp,
		      bool lock)
{
	uint64_t size = shp->shm_file->f_inode->i_size;

	if (lock && shp->mlock_uid < 0) {
		if (!user_shm_lock(p, size))
			return -ENOMEM;
		shp->mlock_uid = p->uid;
		shp->mlock_bytes = size;
	} else if (!lock && shp->mlock_uid >= 0) {
		user_shm_unlock(&p->machine->shm, shp->mlock_bytes,
				(uint32_t)shp->mlock_uid);
		shp->mlock_uid = -1;
	}
	return 0;
}

static long sys_shmctl(struct mmsim_process *p, int shmid, int cmd,
		       void *buf)
{
	struct mmsim_machine *m = p->machine;
	struct shm_ipc_ns *ns = &m->shm;
	struct shmid_kernel *shp;
	int err;

	if (cmd < 0 || shmid < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO: {
		struct shminfo64_x86 info;

		memset(&info, 0, sizeof(info));
		info.shmmni = info.shmseg = (uint64_t)ns->shm_ctlmni;
		info.shmmax = ns->shm_ctlmax;
		info.shmall = ns->shm_ctlall;
		info.shmmin = SHMMIN;
		err = ipc_get_maxidx(ns);
		if (err < 0)
			err = 0;
		if (!buf)
			return -EFAULT;
		memcpy(buf, &info, sizeof(info));
		return err;
	}
	case SHM_INFO: {
		struct shm_info_x86 info;
		int i;

		memset(&info, 0, sizeof(info));
		info.used_ids = ns->in_use;
		for (i = 0; i < ns->segs_cap; i++)
			if (ns->segs[i])
				shm_add_rss_swap(ns->segs[i], &info.shm_rss,
						 &info.shm_swp);
		info.shm_tot = ns->shm_tot;
		err = ipc_get_maxidx(ns);
		if (err < 0)
			err = 0;
		if (!buf)
			return -EFAULT;
		memcpy(buf, &info, sizeof(info));
		return err;
	}
	case SHM_STAT:
	case SHM_STAT_ANY:
	case IPC_STAT: {
		struct shmid64_ds_x86 t;

		shp = cmd == IPC_STAT ? shm_obtain_object_check(ns, shmid) :
					shm_obtain_object(ns, shmid);
		if (!shp)
			return -EINVAL;
		if (cmd != SHM_STAT_ANY && ipcperms(p, shp, 0444))
			return -EACCES;
		shm_fill_stat(shp, &t);
		if (!buf)
			return -EFAULT;
		memcpy(buf, &t, sizeof(t));
		return cmd == IPC_STAT ? 0 : shp->id;
	}
	case IPC_SET:
	case IPC_RMID: {
		struct shmid64_ds_x86 in;

		if (cmd == IPC_SET) {
			if (!buf)
				return -EFAULT;
			memcpy(&in, buf, sizeof(in));
		}
		shp = shm_obtain_object_check(ns, shmid);
		if (!shp)
			return -EINVAL;
		/* ipcctl_obtain_check(): the owner, the creator or an admin */
		if (p->uid != shp->cuid && p->uid != shp->uid &&
		    !capable(p, CAP_SYS_ADMIN))
			return -EPERM;
		if (cmd == IPC_RMID) {
			if (shp->nattch) {
				shp->mode |= SHM_DEST;
				shp->key = IPC_PRIVATE;
			} else {
				shm_destroy(m, shp);
			}
			return 0;
		}
		/* ipc_update_perm(): (uid_t)-1 and (gid_t)-1 are invalid */
		if (in.uid == UINT32_MAX || in.gid == UINT32_MAX)
			return -EINVAL;
		shp->uid = in.uid;
		shp->gid = in.gid;
		shp->mode = (shp->mode & ~S_IRWXUGO) | (in.mode & S_IRWXUGO);
		shp->ctim = shm_now(m);
		return 0;
	}
	case SHM_LOCK:
	case SHM_UNLOCK:
		shp = shm_obtain_object_check(ns, shmid);
		if (!shp)
			return -EINVAL;
		if (!capable(p, CAP_IPC_LOCK)) {
			if (p->uid != shp->uid && p->uid != shp->cuid)
				return -EPERM;
			if (cmd == SHM_LOCK &&
			    !rlimit(p, MMSIM_RLIMIT_MEMLOCK))
				return -EPERM;
		}
		/* hugetlb segments are never swapped: nothing to do */
		if (shp->shm_file->f_inode->hugepage_size)
			return 0;
		if (cmd == SHM_LOCK) {
			err = shmem_lock(p, shp, true);
			if (!err)
				shp->mode |= SHM_LOCKED;
			return err;
		}
		if (!(shp->mode & SHM_LOCKED))
			return 0;
		shmem_lock(p, shp, false);
		shp->mode &= ~SHM_LOCKED;
		return 0;
	default:
		return -EINVAL;
	}
}

/* ---- /proc/sysvipc/shm ---- */

int mmsim_proc_sysvipc_shm(struct mmsim_machine *m, FILE *out)
{
	struct shm_ipc_ns *ns;
	int i;

	if (!m || !out)
		return -EINVAL;
	ns = &m->shm;
	fprintf(out, "       key      shmid perms                  size  cpid"
		     "  lpid nattch   uid   gid  cuid  cgid      atime      dtime"
		     "      ctime                   rss                  swap\n");
	for (i = 0; i < ns->segs_cap; i++) {
		struct shmid_kernel *shp = ns->segs[i];
		uint64_t rss = 0, swp = 0;

		if (!shp)
			continue;
		shm_add_rss_swap(shp, &rss, &swp);
		fprintf(out,
			"%10d %10d  %4o %21" PRIu64 " %5u %5u  %5" PRIu64
			" %5u %5u %5u %5u %10" PRIu64 " %10" PRIu64
			" %10" PRIu64 " %21" PRIu64 " %21" PRIu64 "\n",
			shp->key, shp->id, shp->mode, shp->segsz,
			(unsigned int)shp->cpid, (unsigned int)shp->lpid,
			shp->nattch, shp->uid, shp->gid, shp->cuid, shp->cgid,
			shp->atim, shp->dtim, shp->ctim, rss * PAGE_SIZE,
			swp * PAGE_SIZE);
	}
	return ferror(out) ? -EIO : 0;
}

/* ---- knobs ---- */

int shm_knob_set(struct mmsim_machine *m, const char *name, const char *value)
{
	struct shm_ipc_ns *ns = &m->shm;
	char *end;
	uint64_t v;
	long long sv;

	if (strcmp(name, "kernel.shmmax") && strcmp(name, "kernel.shmall") &&
	    strcmp(name, "kernel.shmmni") &&
	    strcmp(name, "kernel.shm_rmid_forced") &&
	    strcmp(name, "vm.hugetlb_shm_group"))
		return -ENOENT;
	if (!value || !*value)
		return -EINVAL;
	errno = 0;
	if (!strcmp(name, "kernel.shmmax") || !strcmp(name, "kernel.shmall")) {
		if (*value == '-')
			return -EINVAL;
		v = strtoull(value, &end, 10);
		if (errno || *end)
			return -EINVAL;
		if (name[10] == 'x')
			ns->shm_ctlmax = v;
		else
			ns->shm_ctlall = v;
		return 0;
	}
	sv = strtoll(value, &end, 10);
	if (errno || *end || sv < INT32_MIN || sv > INT32_MAX)
		return -EINVAL;
	if (!strcmp(name, "kernel.shmmni")) {
		if (sv < 0 || sv > IPCMNI)
			return -EINVAL;
		ns->shm_ctlmni = (int)sv;
	} else if (!strcmp(name, "kernel.shm_rmid_forced")) {
		if (sv < 0 || sv > 1)
			return -EINVAL;
		ns->shm_rmid_forced = (int)sv;
		/* shm_destroy_orphaned(): what nobody holds goes now */
		if (sv) {
			int i;

			for (i = 0; i < ns->segs_cap; i++)
				if (ns->segs[i] && !ns->segs[i]->creator &&
				    shm_may_destroy(ns, ns->segs[i]))
					shm_destroy(m, ns->segs[i]);
		}
	} else {
		ns->hugetlb_shm_group = (uint32_t)sv;
	}
	return 0;
}

int shm_knob_get(struct mmsim_machine *m, const char *name, char *buf,
		 size_t size)
{
	struct shm_ipc_ns *ns = &m->shm;

	if (!strcmp(name, "kernel.shmmax"))
		snprintf(buf, size, "%" PRIu64, ns->shm_ctlmax);
	else if (!strcmp(name, "kernel.shmall"))
		snprintf(buf, size, "%" PRIu64, ns->shm_ctlall);
	else if (!strcmp(name, "kernel.shmmni"))
		snprintf(buf, size, "%d", ns->shm_ctlmni);
	else if (!strcmp(name, "kernel.shm_rmid_forced"))
		snprintf(buf, size, "%d", ns->shm_rmid_forced);
	else if (!strcmp(name, "vm.hugetlb_shm_group"))
		snprintf(buf, size, "%u", ns->hugetlb_shm_group);
	else
		return -ENOENT;
	return 0;
}

/* ---- syscall entries ---- */

long mmsim_shmget(struct mmsim_process *p, int32_t key, uint64_t size,
		  int shmflg)
{
	long ret;

	task_enter(p);
	ret = sys_shmget(p, key, size, shmflg);
	syscall_exit(p);
	return ret;
}

long mmsim_shmat(struct mmsim_process *p, int shmid, uint64_t shmaddr,
		 int shmflg)
{
	long ret;

	task_enter(p);
	ret = do_shmat(p, shmid, shmaddr, shmflg);
	syscall_exit(p);
	return ret;
}

long mmsim_shmdt(struct mmsim_process *p, uint64_t shmaddr)
{
	long ret;

	task_enter(p);
	ret = sys_shmdt(p, shmaddr);
	syscall_exit(p);
	return ret;
}

long mmsim_shmctl(struct mmsim_process *p, int shmid, int cmd, void *buf)
{
	long ret;

	task_enter(p);
	ret = sys_shmctl(p, shmid, cmd, buf);
	syscall_exit(p);
	return ret;
}

void mmsim_set_cred(struct mmsim_process *p, uint32_t uid, uint32_t gid)
{
	p->uid = uid;
	p->gid = gid;
}
