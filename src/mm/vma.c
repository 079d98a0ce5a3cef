/*
 * Models mm/vma.c: VMA allocation, lookup, split, merge (new range and
 * existing range), unmapping and the gap search behind get_unmapped_area.
 *
 * Simplifications: no locks, no RCU, no page-table work (the fault layer
 * hooks in through zap_vma_range() once pages exist); the maple tree is a
 * B-tree of our own (core/vma_tree.c) with the same gap-search contract.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"

/* ---- allocation and reference helpers ---- */

/*
 * A small per-machine cache of free VMAs (the kernel's vm_area_cachep
 * slab), used only when checking is off: debug and sanitizer builds keep
 * plain malloc/free so that use-after-free stays visible.
 */
#define VMA_CACHE_MAX 64

/*
 * A zero merge struct to copy from: the copy compiles to vector moves
 * (or to nothing, where the struct stays in registers), a memset() of
 * its size to rep stosq under gcc's generic tuning, which costs four
 * times as much on the reference machine. New VMAs are cleared with
 * zero_object().
 */
static const struct vma_merge_struct vmg_zero;

/* A VMA on a cache-line boundary: the tree node's hot fields share a line. */
static struct vm_area_struct *vma_alloc_aligned(bool zero)
{
	size_t size = (sizeof(struct vm_area_struct) + 63) & ~(size_t)63;
	struct vm_area_struct *vma = aligned_alloc(64, size);

	if (vma && zero)
		zero_object(vma);
	return vma;
}

static struct vm_area_struct *vma_cache_get(struct mmsim_machine *m)
{
	struct vm_area_struct *vma = NULL;

	if (!MMSIM_DEBUG && m && m->vma_free) {
		vma = m->vma_free;
		m->vma_free = *(struct vm_area_struct **)vma;
		m->nr_vma_free--;
	}
	return vma;
}

static bool vma_cache_put(struct mmsim_machine *m, struct vm_area_struct *vma)
{
	if (MMSIM_DEBUG || !m || m->nr_vma_free >= VMA_CACHE_MAX)
		return false;
	*(struct vm_area_struct **)vma = m->vma_free;
	m->vma_free = vma;
	m->nr_vma_free++;
	return true;
}

void vma_cache_drain(struct mmsim_machine *m)
{
	while (m->vma_free) {
		struct vm_area_struct *vma = m->vma_free;

		m->vma_free = *(struct vm_area_struct **)vma;
		free(vma);
	}
	m->nr_vma_free = 0;
}

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma = vma_cache_get(mm ? mm->machine : NULL);

	if (vma)
		zero_object(vma);
	else
		vma = vma_alloc_aligned(true);
	if (!vma)
		return NULL;
	vma->vm_mm = mm;
	return vma;
}

struct file *get_file(struct file *f)
{
	if (f)
		f->f_count++;
	return f;
}

struct anon_vma_name *anon_vma_name_get(struct anon_vma_name *n)
{
	if (n)
		n->refcount++;
	return n;
}

void anon_vma_name_put(struct anon_vma_name *n)
{
	if (n && --n->refcount == 0)
		free(n);
}

bool anon_vma_name_eq(const struct anon_vma_name *a,
		      const struct anon_vma_name *b)
{
	if (a == b)
		return true;
	return a && b && !strcmp(a->name, b->name);
}

struct anon_vma *anon_vma_alloc(struct mmsim_machine *m)
{
	struct anon_vma *av = calloc(1, sizeof(*av));

	if (!av)
		return NULL;
	av->refcount = 1;
	av->root = av;
	av->id = ++m->next_anon_vma_id;
	return av;
}

void anon_vma_get(struct anon_vma *av)
{
	if (av)
		av->refcount++;
}

/* The last reference frees it, and drops the one it held on its parent. */
void anon_vma_put(struct anon_vma *av)
{
	while (av && --av->refcount == 0) {
		struct anon_vma *parent = av->parent;

		VM_BUG_ON(av->vmas);
		free(av);
		av = parent;
	}
}

/*
 * anon_vma_compatible(): a (below) and b (above) are adjacent and could be
 * merged but for their anon_vmas.
 */
static bool anon_vma_compatible(const struct vm_area_struct *a,
				const struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && a->mempolicy == b->mempolicy &&
	       a->vm_file == b->vm_file &&
	       !((a->vm_flags ^ b->vm_flags) &
		 ~(VM_ACCESS_FLAGS | VM_STICKY)) &&
	       b->vm_pgoff == a->vm_pgoff + vma_pages(a);
}

/* reusable_anon_vma(): old's anon_vma, if a and b fit and old was never forked. */
static struct anon_vma *reusable_anon_vma(const struct vm_area_struct *old,
					  const struct vm_area_struct *a,
					  const struct vm_area_struct *b)
{
	if (old && old->anon_vma && old->anon_vma_chain_len == 1 &&
	    anon_vma_compatible(a, b))
		return old->anon_vma;
	return NULL;
}

/* Gives vma an anon_vma, as the first write fault does (anon_vma_prepare). */
int anon_vma_prepare(struct vm_area_struct *vma)
{
	struct vm_area_struct *next = vma_next(vma), *prev = vma_prev(vma);
	struct anon_vma *av;

	if (vma->anon_vma)
		return 0;
	/* find_mergeable_anon_vma(): try next first, then prev. */
	av = next ? reusable_anon_vma(next, vma, next) : NULL;
	if (!av && prev)
		av = reusable_anon_vma(prev, prev, vma);
	if (av) {
		vma->anon_vma = av;
		anon_vma_get(av);
		vma->anon_vma_chain_len = 1;
		goto out;
	}
	vma->anon_vma = anon_vma_alloc(vma->vm_mm->machine);
	if (!vma->anon_vma)
		return -ENOMEM;
	vma->anon_vma_chain_len = 1;
out:
	if (vma_is_linked(vma))
		vma_rmap_update(vma);
	return 0;
}

/*
 * new becomes a copy of orig outside every tree and list, holding its own
 * reference on the anon_vma.
 */
static inline __attribute__((always_inline)) void
vma_copy_unlinked(struct vm_area_struct *new,
		  const struct vm_area_struct *orig)
{
	/*
	 * Field by field as the layout runs (the asserts keep every field
	 * covered): the tree and rmap links start empty rather than being
	 * copied and cleared.
	 */
	_Static_assert(offsetof(struct vm_area_struct, vm_pgoff) ==
			       sizeof(struct vma_tree_node) &&
		       offsetof(struct vm_area_struct, anon_link) ==
			       offsetof(struct vm_area_struct, shared) +
				       sizeof(new->shared) &&
		       offsetof(struct vm_area_struct, anon_vma_chain_len) ==
			       offsetof(struct vm_area_struct, anon_link) +
				       sizeof(new->anon_link),
		       "vma_copy_unlinked() copies vm_area_struct by ranges");
	new->vm_node = (struct vma_tree_node){ .start = orig->vm_start,
					       .end = orig->vm_end };
	memcpy(&new->vm_pgoff, &orig->vm_pgoff,
	       offsetof(struct vm_area_struct, shared) -
		       offsetof(struct vm_area_struct, vm_pgoff));
	memset(&new->shared, 0, sizeof(new->shared) + sizeof(new->anon_link));
	memcpy(&new->anon_vma_chain_len, &orig->anon_vma_chain_len,
	       sizeof(*new) -
		       offsetof(struct vm_area_struct, anon_vma_chain_len));
	new->linked = false;
	anon_vma_get(new->anon_vma);
}

/* vm_area_dup() of a VMA with a file, a name or a reservation, or no cache. */
static __attribute__((noinline)) struct vm_area_struct *
vm_area_dup_slow(struct vm_area_struct *orig)
{
	struct vm_area_struct *new =
		vma_cache_get(orig->vm_mm ? orig->vm_mm->machine : NULL);

	if (!new)
		new = vma_alloc_aligned(false);

	if (!new)
		return NULL;
	vma_copy_unlinked(new, orig);
	/* Most VMAs have no file, name or hugetlb reservation to take. */
	if (!new->vm_file && !new->anon_name && !new->special_name &&
	    !new->resv_map)
		return new;
	get_file(new->vm_file);
	anon_vma_name_get(new->anon_name);
	if (orig->special_name) {
		new->special_name = strdup(orig->special_name);
		if (!new->special_name) {
			fput(new->vm_file);
			anon_vma_put(new->anon_vma);
			anon_vma_name_put(new->anon_name);
			free(new);
			return NULL;
		}
	}
	if (new->vm_file)
		new->vm_file->f_inode->i_mmap_count++;
	hugetlb_vm_op_open(new);
	shm_vm_open(new);
	return new;
}

struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig)
{
	struct mmsim_machine *m = orig->vm_mm ? orig->vm_mm->machine : NULL;
	struct vm_area_struct *new;

	/* Most VMAs: no file, name or reservation to take; a cached VMA. */
	if (MMSIM_DEBUG || !m || !m->vma_free || orig->vm_file ||
	    orig->anon_name || orig->special_name || orig->resv_map)
		return vm_area_dup_slow(orig);
	new = vma_cache_get(m);
	vma_copy_unlinked(new, orig);
	return new;
}

/* vm_area_free() of a VMA with a file, a name, a reservation or no cache. */
static __attribute__((noinline)) void vm_area_free_slow(struct vm_area_struct *vma)
{
	if (vma->vm_file || vma->resv_map) {
		shm_vm_close(vma);
		hugetlb_vm_op_close(vma);
	}
	if (vma->vm_file) {
		vma->vm_file->f_inode->i_mmap_count--;
		fput(vma->vm_file);
	}
	anon_vma_put(vma->anon_vma);
	if (vma->anon_name)
		anon_vma_name_put(vma->anon_name);
	if (vma->special_name)
		free(vma->special_name);
	if (!vma_cache_put(vma->vm_mm ? vma->vm_mm->machine : NULL, vma))
		free(vma);
}

/*
 * A VMA with no file, name or reservation: freeing it is an anon_vma
 * reference at most, and the VMA goes to the cache.
 */
static inline __attribute__((always_inline)) bool
vma_is_plain(const struct vm_area_struct *vma)
{
	return !vma->vm_file && !vma->resv_map && !vma->anon_name &&
	       !vma->special_name;
}

/* vm_area_free() of a VMA, inline where a VMA goes on the hot paths. */
static inline __attribute__((always_inline)) void
__vm_area_free(struct vm_area_struct *vma)
{
	struct mmsim_machine *m;
	struct anon_vma *av;

	/*
	 * Most VMAs are plain, with an anon_vma that outlives them: a few
	 * tests and the cache, no calls.
	 */
	m = vma->vm_mm ? vma->vm_mm->machine : NULL;
	av = vma->anon_vma;
	if (MMSIM_DEBUG || !m || m->nr_vma_free >= VMA_CACHE_MAX ||
	    !vma_is_plain(vma) || (av && av->refcount == 1)) {
		vm_area_free_slow(vma);
		return;
	}
	if (av)
		av->refcount--;	/* anon_vma_put(), not the last reference */
	vma_cache_put(m, vma);
}

void vm_area_free(struct vm_area_struct *vma)
{
	if (vma)
		__vm_area_free(vma);
}

/* ---- lookup ---- */

/*
 * find_vma(): the first VMA that ends above addr. The cached VMA answers
 * when addr falls inside it, in the VMA before it (a split leaves the
 * cache on the upper part) or in the gaps around them.
 */
struct vm_area_struct *find_vma(struct mm_struct *mm, uint64_t addr)
{
	struct vm_area_struct *c = mm->vma_cache, *found;

	if (c) {
		struct vma_tree_node *prev = c->vm_node.prev;
		struct vma_tree_node *next = c->vm_node.next;

		if (addr < c->vm_end) {
			if (!prev || prev->end <= addr)
				return c;
			if (!prev->prev || prev->prev->end <= addr)
				return vma_from_node(prev);
		} else if (!next) {
			return NULL;
		} else if (addr < next->end) {
			return vma_from_node(next);
		}
	}
	found = vma_from_node(vma_tree_find(&mm->mm_mt, addr));
	if (found)
		mm->vma_cache = found;
	return found;
}

struct vm_area_struct *vma_lookup(struct mm_struct *mm, uint64_t addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	return vma && vma->vm_start <= addr ? vma : NULL;
}

struct vm_area_struct *find_vma_intersection(struct mm_struct *mm,
					     uint64_t start, uint64_t end)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	if (vma && vma->vm_start < end)
		return vma;
	return NULL;
}

struct vm_area_struct *vma_prev(struct vm_area_struct *vma)
{
	return vma_from_node(vma->vm_node.prev);
}

struct vm_area_struct *vma_next(struct vm_area_struct *vma)
{
	return vma_from_node(vma->vm_node.next);
}

struct vm_area_struct *mm_first_vma(struct mm_struct *mm)
{
	return vma_from_node(mm->mm_mt.first);
}

struct vm_area_struct *find_vma_prev_of(struct mm_struct *mm, uint64_t addr)
{
	struct vm_area_struct *next = find_vma(mm, addr);

	/* The last VMA starting below addr: next itself, or the one before. */
	if (next && next->vm_start < addr)
		return next;
	return next ? vma_prev(next) : vma_from_node(mm->mm_mt.last);
}

/* ---- linking ---- */

void vma_link_before(struct mm_struct *mm, struct vm_area_struct *vma,
		     struct vm_area_struct *next)
{
	if (vma->special == VMA_SPECIAL_VSYSCALL) {
		vma_link(mm, vma);
		return;
	}
	vma->vm_mm = mm;
	vma_tree_insert_before_exact(&mm->mm_mt, &vma->vm_node,
				     next ? &next->vm_node : NULL);
	mm->map_count++;
	mm->vma_cache = vma;
	vma->linked = true;
	vma_rmap_update(vma);
}

void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	vma->vm_mm = mm;
	if (vma->special == VMA_SPECIAL_VSYSCALL) {
		/* The gate VMA lives outside the tree and map_count. */
		vm_area_free(mm->gate_vma);
		mm->gate_vma = vma;
		return;
	}
	vma_tree_insert(&mm->mm_mt, &vma->vm_node);
	mm->map_count++;
	mm->vma_cache = vma;
	vma->linked = true;
	vma_rmap_update(vma);
}

/*
 * How vma leaves the tree: ERASE (vma_tree_erase()), ERASE_EXACT (no range
 * moved since the last tree change) or ERASE_MERGED (a neighbour has grown
 * over vma: vma_tree_erase_merged()).
 */
enum vma_erase { ERASE, ERASE_EXACT, ERASE_MERGED };

/* vma_rmap_remove(), not called for a VMA on no rmap list (most). */
static __attribute__((always_inline)) inline void
vma_rmap_remove_listed(struct vm_area_struct *vma)
{
	if (vma->shared.head || vma->anon_link.head)
		vma_rmap_remove(vma);
}

static __attribute__((always_inline)) inline void
vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma,
	   enum vma_erase how)
{
	/* Keep the lookup cache near: a neighbour of the VMA going away. */
	if (mm->vma_cache == vma)
		mm->vma_cache = vma_prev(vma) ? vma_prev(vma) : vma_next(vma);
	vma_rmap_remove_listed(vma);
	vma->linked = false;
	if (how == ERASE_MERGED)
		vma_tree_erase_merged(&mm->mm_mt, &vma->vm_node);
	else if (how == ERASE_EXACT)
		vma_tree_erase_exact(&mm->mm_mt, &vma->vm_node);
	else
		vma_tree_erase(&mm->mm_mt, &vma->vm_node);
	mm->map_count--;
}

void vma_unlink_free(struct mm_struct *mm, struct vm_area_struct *vma)
{
	vma_unlink(mm, vma, ERASE);
	vm_area_free(vma);
}

void vma_unlink_free_exact(struct mm_struct *mm, struct vm_area_struct *vma)
{
	vma_unlink(mm, vma, ERASE_EXACT);
	__vm_area_free(vma);
}

/* vma_unlink_free() of a VMA that a neighbour has just grown over. */
static void vma_unlink_free_merged(struct mm_struct *mm,
				   struct vm_area_struct *vma)
{
	vma_unlink(mm, vma, ERASE_MERGED);
	vm_area_free(vma);
}

/*
 * vm_area_free() of a, then of b, both of mm, when neither has a file, a
 * name or a reservation and their anon_vma (shared, or none) keeps a
 * reference after both: tested once, both go to the cache. False, and
 * nothing freed, otherwise.
 */
static inline __attribute__((always_inline)) bool
vm_area_free_two_plain(struct mm_struct *mm, struct vm_area_struct *a,
		       struct vm_area_struct *b)
{
	struct mmsim_machine *m = mm->machine;
	struct anon_vma *av = a->anon_vma;

	if (MMSIM_DEBUG || m->nr_vma_free + 2 > VMA_CACHE_MAX ||
	    b->anon_vma != av || (av && av->refcount <= 2) ||
	    !vma_is_plain(a) || !vma_is_plain(b))
		return false;
	if (av)
		av->refcount -= 2;	/* two anon_vma_put()s, not the last */
	vma_cache_put(m, a);
	vma_cache_put(m, b);
	return true;
}

/*
 * vma_unlink_free_merged() of middle, then of next, once prev has grown
 * over both (vma_tree_erase_merged_pair()).
 */
static void vma_unlink_free_merged_pair(struct mm_struct *mm,
					struct vm_area_struct *middle,
					struct vm_area_struct *next)
{
	if (mm->vma_cache == middle || mm->vma_cache == next)
		mm->vma_cache = vma_prev(middle);
	vma_rmap_remove_listed(middle);
	middle->linked = false;
	vma_rmap_remove_listed(next);
	next->linked = false;
	vma_tree_erase_merged_pair(&mm->mm_mt, &middle->vm_node);
	mm->map_count -= 2;
	if (vm_area_free_two_plain(mm, middle, next))
		return;
	vm_area_free(middle);
	vm_area_free(next);
}

void vma_set_range(struct vm_area_struct *vma, uint64_t start, uint64_t end,
		   uint64_t pgoff)
{
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_pgoff = pgoff;
}

/* Changes the range of a VMA that is in the tree. */
static void vma_adjust_range(struct vm_area_struct *vma, uint64_t start,
			     uint64_t end, uint64_t pgoff)
{
	vma_set_range(vma, start, end, pgoff);
	vma_tree_update(&vma->vm_mm->mm_mt, &vma->vm_node);
}

/* ---- stack guard gaps ---- */

static uint64_t stack_guard_start_gap(const struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_GROWSDOWN)
		return vma->vm_mm->machine->knobs.stack_guard_gap;
	/* See reasoning around the VM_SHADOW_STACK definition. */
	if (vma->vm_flags & VM_SHADOW_STACK)
		return PAGE_SIZE;
	return 0;
}

uint64_t vm_start_gap(const struct vm_area_struct *vma)
{
	uint64_t gap = stack_guard_start_gap(vma);
	uint64_t start = vma->vm_start;

	start -= gap;
	if (start > vma->vm_start)
		start = 0;
	return start;
}

uint64_t vm_end_gap(const struct vm_area_struct *vma)
{
	/* x86-64 has no VM_GROWSUP. */
	return vma->vm_end;
}

/* ---- split ---- */

/*
 * Splits vma at addr. With new_below the new VMA is [vm_start, addr) and
 * vma keeps [addr, vm_end); otherwise the new VMA is [addr, vm_end).
 */
int __split_vma(struct vm_area_struct *vma, uint64_t addr, int new_below)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *new;

	VM_BUG_ON(vma->vm_start >= addr || vma->vm_end <= addr);

	/* hugetlb_vm_op_split(): only at huge page boundaries. */
	if ((vma->vm_flags & VM_HUGETLB) && vma->vm_file &&
	    vma->vm_file->f_inode->hugepage_size &&
	    !IS_ALIGNED(addr, vma->vm_file->f_inode->hugepage_size))
		return -EINVAL;

	new = vm_area_dup(vma);
	if (!new)
		return -ENOMEM;
	vma_adjust_trans_huge(vma, addr);
	if (is_vm_hugetlb_page(vma))
		hugetlb_split(vma, addr);

	/*
	 * Shrink vma in place and link new into the part it gave up: no gap
	 * opens, so the tree only opens a slot next to vma's
	 * (vma_tree_insert_split()).
	 */
	if (new_below) {
		new->vm_end = addr;
		vma_set_range(vma, addr, vma->vm_end,
			      vma->vm_pgoff +
				      ((addr - vma->vm_start) >> PAGE_SHIFT));
	} else {
		new->vm_start = addr;
		new->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
		vma_set_range(vma, vma->vm_start, addr, vma->vm_pgoff);
	}
	/* new sits right before vma, or right after it. */
	new->vm_mm = mm;
	vma_tree_insert_split(&mm->mm_mt, &vma->vm_node, &new->vm_node);
	mm->map_count++;
	mm->vma_cache = new;
	new->linked = true;
	vma_rmap_update(new);
	explain(mm->machine, "__split_vma", "split at %#" PRIx64 ": %#" PRIx64 "-%#" PRIx64 " and %#" PRIx64 "-%#" PRIx64 " (map_count %d)", addr, new_below ? new->vm_start : vma->vm_start, addr, addr, new_below ? vma->vm_end : new->vm_end, mm->map_count);
	return 0;
}

/*
 * split_vma(vma, start, 1) then split_vma(vma, end, 0), as vma_modify()
 * makes them when a range inside vma changes, in one step where nothing
 * could tell the two apart: no hugetlb VMA, no PMD leaf in the mm (the
 * THP splits at start and end do nothing), map_count two below the
 * limit. Returns false when it did not apply, for the two calls to run.
 * The VMAs come out as the two calls leave them: below takes
 * [vm_start, start), above [end, vm_end), vma [start, end); the rmap
 * lists, the lookup cache and the narration in the same order.
 */
static bool split_vma_both(struct vm_area_struct *vma, uint64_t start,
			   uint64_t end)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *below, *above;
	uint64_t old_start = vma->vm_start, old_end = vma->vm_end;
	/* The copies start on no rmap list: only a file or anon_vma adds them. */
	bool on_rmap = vma->vm_file || vma->anon_vma;

	if ((vma->vm_flags & VM_HUGETLB) || mm_has_pmd_leaves(mm) ||
	    (uint64_t)mm->map_count + 1 >= mm->machine->knobs.max_map_count)
		return false;
	below = vm_area_dup(vma);
	if (!below)
		return false;
	above = vm_area_dup(vma);
	if (!above) {
		vm_area_free(below);
		return false;
	}
	below->vm_end = start;
	vma_set_range(vma, start, end,
		      vma->vm_pgoff + ((start - old_start) >> PAGE_SHIFT));
	above->vm_start = end;
	above->vm_pgoff = vma->vm_pgoff + ((end - start) >> PAGE_SHIFT);
	below->vm_mm = mm;
	above->vm_mm = mm;
	vma_tree_insert_split_both(&mm->mm_mt, &vma->vm_node, &below->vm_node,
				   &above->vm_node);
	mm->map_count += 2;
	mm->vma_cache = above;
	below->linked = true;
	if (on_rmap)
		vma_rmap_update(below);
	explain(mm->machine, "__split_vma", "split at %#" PRIx64 ": %#" PRIx64 "-%#" PRIx64 " and %#" PRIx64 "-%#" PRIx64 " (map_count %d)", start, old_start, start, start, old_end, mm->map_count - 1);
	above->linked = true;
	if (on_rmap)
		vma_rmap_update(above);
	explain(mm->machine, "__split_vma", "split at %#" PRIx64 ": %#" PRIx64 "-%#" PRIx64 " and %#" PRIx64 "-%#" PRIx64 " (map_count %d)", end, start, end, end, old_end, mm->map_count);
	return true;
}

int split_vma(struct vm_area_struct *vma, uint64_t addr, int new_below)
{
	if ((uint64_t)vma->vm_mm->map_count >=
	    vma->vm_mm->machine->knobs.max_map_count)
		return -ENOMEM;
	return __split_vma(vma, addr, new_below);
}

/* ---- merge rules ---- */

static bool vma_had_uncowed_parents(const struct vm_area_struct *vma)
{
	return vma && vma->anon_vma && vma->anon_vma_chain_len != 1;
}

static bool can_merge_remove_vma(const struct vm_area_struct *vma)
{
	return !vma->has_close;
}

/* Do vmg's proposed attributes match tgt (the VMA it would merge with)? */
static inline __attribute__((always_inline)) bool
is_mergeable_vma(const struct vma_merge_struct *vmg,
			     const struct vm_area_struct *tgt)
{
	if (vmg->mempolicy != tgt->mempolicy)
		return false;
	if ((tgt->vm_flags ^ vmg->vm_flags) & ~VM_IGNORE_MERGE)
		return false;
	if (vmg->file != tgt->vm_file)
		return false;
	if (vmg->uffd_ctx != tgt->vm_userfaultfd_ctx)
		return false;
	if (!anon_vma_name_eq(tgt->anon_name, vmg->anon_name))
		return false;
	if (vmg->special != tgt->special)
		return false;
	return true;
}

static inline __attribute__((always_inline)) bool
is_mergeable_anon_vma_vmg(const struct vma_merge_struct *vmg,
				      const struct vm_area_struct *tgt)
{
	const struct vm_area_struct *src = vmg->middle;
	struct anon_vma *tgt_anon = tgt->anon_vma;
	struct anon_vma *src_anon = vmg->anon_vma;

	/* Case 1: src's anon_vma would be duplicated into tgt. */
	if (!tgt_anon && src_anon)
		return !vma_had_uncowed_parents(src) &&
		       !vma_had_uncowed_parents(vmg->copied_from);
	/* Case 2: tgt's anon_vma would simply be used. */
	if (tgt_anon && !src_anon)
		return !vma_had_uncowed_parents(tgt);
	/* Case 3: already shared (or both absent). */
	return src_anon == tgt_anon;
}

bool is_mergeable_anon_vma(struct anon_vma *a1, struct anon_vma *a2,
			   struct vm_area_struct *vma)
{
	if ((!a1 || !a2) && !vma_had_uncowed_parents(vma))
		return true;
	return a1 == a2;
}

/* Can the range [vmg->start, vmg->end) be appended to vmg->next's front? */
static inline __attribute__((always_inline)) bool
can_vma_merge_before(const struct vma_merge_struct *vmg)
{
	uint64_t pglen = (vmg->end - vmg->start) >> PAGE_SHIFT;

	return is_mergeable_vma(vmg, vmg->next) &&
	       is_mergeable_anon_vma_vmg(vmg, vmg->next) &&
	       vmg->next->vm_pgoff == vmg->pgoff + pglen;
}

/* Can the range be appended to vmg->prev's end? */
static inline __attribute__((always_inline)) bool
can_vma_merge_after(const struct vma_merge_struct *vmg)
{
	return is_mergeable_vma(vmg, vmg->prev) &&
	       is_mergeable_anon_vma_vmg(vmg, vmg->prev) &&
	       vmg->prev->vm_pgoff + vma_pages(vmg->prev) == vmg->pgoff;
}

/*
 * Explain mode: why the range cannot join tgt (prev when after, else
 * next), in the order is_mergeable_vma() and its callers check.
 */
static const char *merge_refusal(const struct vma_merge_struct *vmg,
				 const struct vm_area_struct *tgt, bool after,
				 char *buf, size_t size)
{
	uint64_t pglen = (vmg->end - vmg->start) >> PAGE_SHIFT;
	char f[160];

	if (!tgt)
		return after ? "no VMA before" : "no VMA after";
	if (after ? tgt->vm_end != vmg->start : tgt->vm_start != vmg->end)
		return after ? "prev does not end where the range starts" :
			       "next does not start where the range ends";
	if ((tgt->vm_flags ^ vmg->vm_flags) & ~VM_IGNORE_MERGE) {
		vm_flags_mnemonics((tgt->vm_flags ^ vmg->vm_flags) &
					   ~VM_IGNORE_MERGE, f, sizeof(f));
		snprintf(buf, size, "flags differ (%s)", f);
		return buf;
	}
	if (vmg->file != tgt->vm_file)
		return "not the same file";
	if (vmg->mempolicy != tgt->mempolicy ||
	    vmg->uffd_ctx != tgt->vm_userfaultfd_ctx)
		return "mempolicy or userfaultfd differ";
	if (!anon_vma_name_eq(tgt->anon_name, vmg->anon_name))
		return "anon_vma names differ";
	if (vmg->special != tgt->special)
		return "a special mapping";
	if (!is_mergeable_anon_vma_vmg(vmg, tgt))
		return "anon_vma incompatible (different anon_vma, or one "
		       "shared with a fork's children)";
	if (after ? tgt->vm_pgoff + vma_pages(tgt) != vmg->pgoff :
		    tgt->vm_pgoff != vmg->pgoff + pglen)
		return "pgoff not contiguous";
	return "mergeable";
}

static inline __attribute__((always_inline)) bool
can_vma_merge_left(const struct vma_merge_struct *vmg)
{
	return vmg->prev && vmg->prev->vm_end == vmg->start &&
	       can_vma_merge_after(vmg);
}

static inline __attribute__((always_inline)) bool
can_vma_merge_right(const struct vma_merge_struct *vmg,
				bool can_merge_left)
{
	const struct vm_area_struct *next = vmg->next;
	const struct vm_area_struct *prev = vmg->prev;

	if (!next || vmg->end != next->vm_start || !can_vma_merge_before(vmg))
		return false;
	if (!can_merge_left)
		return true;
	/*
	 * Merging both sides: prev and next must also be compatible with
	 * each other, not only with the range between them.
	 */
	return !prev->anon_vma || !next->anon_vma ||
	       prev->anon_vma == next->anon_vma;
}

/* dup_anon_vma(): give dst src's anon_vma if dst has none. */
static void dup_anon_vma(struct vm_area_struct *dst,
			 const struct vm_area_struct *src)
{
	if (src->anon_vma && !dst->anon_vma) {
		dst->anon_vma = src->anon_vma;
		anon_vma_get(dst->anon_vma);
		dst->anon_vma_chain_len = src->anon_vma_chain_len;
		if (vma_is_linked(dst))
			vma_rmap_update(dst);
	}
}

/*
 * vma_expand(): grow vmg->middle to [vmg->start, vmg->end), removing
 * vmg->next when the new range covers it.
 */
static int vma_expand(struct vma_merge_struct *vmg)
{
	struct vm_area_struct *target = vmg->middle;
	struct vm_area_struct *next = vmg->next;
	bool remove_next = next && target != next && vmg->end == next->vm_end &&
			   vmg->end > target->vm_end;

	if (remove_next) {
		/*
		 * target takes next's end first, so removing next leaves the
		 * gap after it unchanged; the gap target grew over goes with
		 * next.
		 */
		dup_anon_vma(target, next);
		vma_set_range(target, vmg->start, next->vm_end, vmg->pgoff);
		vma_unlink_free(vmg->mm, next);
		if (target->vm_node.start != target->vm_node.end)
			vma_tree_update(&vmg->mm->mm_mt, &target->vm_node);
		return 0;
	}
	vma_adjust_range(target, vmg->start, vmg->end, vmg->pgoff);
	return 0;
}

static void explain_merge_new(const struct vma_merge_struct *vmg, bool left,
			      bool right)
{
	char a[200], b[200];

	if (left || right)
		return;
	explain(vmg->mm->machine, "vma_merge_new_range", "no merge with prev: %s; with next: %s", merge_refusal(vmg, vmg->prev, true, a, sizeof(a)), vmg->just_expand ? "not tried (brk only expands)" : merge_refusal(vmg, vmg->next, false, b, sizeof(b)));
}

struct vm_area_struct *vma_merge_new_range(struct vma_merge_struct *vmg)
{
	struct vm_area_struct *prev = vmg->prev;
	struct vm_area_struct *next = vmg->next;
	uint64_t end = vmg->end;
	bool can_merge_left, can_merge_right;
	struct anon_vma *copied_av = NULL;
	int copied_chain = 0;
	vm_flags_t sticky;

	vmg->merge_case = NULL;
	if ((vmg->vm_flags & VM_SPECIAL) || (!prev && !next)) {
		explain(vmg->mm->machine, "vma_merge_new_range", "no merge: %s", (vmg->vm_flags & VM_SPECIAL) ? "VM_SPECIAL mapping (pfnmap, io, ...) never merges" : "no neighbours");
		return NULL;
	}

	can_merge_left = can_vma_merge_left(vmg);
	can_merge_right = !vmg->just_expand &&
			  can_vma_merge_right(vmg, can_merge_left);
	if (explain_on(vmg->mm->machine))
		explain_merge_new(vmg, can_merge_left, can_merge_right);

	if (can_merge_right) {
		vmg->end = next->vm_end;
		vmg->middle = next;
	}
	if (can_merge_left) {
		vmg->start = prev->vm_start;
		vmg->middle = prev;
		vmg->pgoff = prev->vm_pgoff;
		/* Next cannot be removed: merge with prev only. */
		if (can_merge_right && !can_merge_remove_vma(next))
			vmg->end = end;
	}
	if (!vmg->middle)
		return NULL;

	/*
	 * The VMA being moved may be the neighbour this merge removes: hold
	 * its anon_vma so the merged VMA can still take it afterwards.
	 */
	if (vmg->copied_from && vmg->copied_from->anon_vma) {
		copied_av = vmg->copied_from->anon_vma;
		copied_chain = vmg->copied_from->anon_vma_chain_len;
		anon_vma_get(copied_av);
	}

	if (can_merge_left && can_merge_right && vmg->end == next->vm_end)
		vmg->merge_case = "new range merges prev and next";
	else if (can_merge_left)
		vmg->merge_case = "new range extends prev";
	else
		vmg->merge_case = "new range extends next downwards";

	explain(vmg->mm->machine, "vma_merge_new_range", "%s: %#" PRIx64 "-%#" PRIx64 " (%s)", vmg->merge_case, vmg->start, vmg->end, vmg->middle == next ? "next grows down" : can_merge_right && vmg->end == next->vm_end ? "vma_expand: prev grows over the range and next, next is removed" : "vma_expand: prev grows");
	sticky = vmg->vm_flags & VM_STICKY;
	if (can_merge_left)
		sticky |= prev->vm_flags & VM_STICKY;
	if (can_merge_right && vmg->end == next->vm_end)
		sticky |= next->vm_flags & VM_STICKY;

	if (vmg->middle == next) {
		/* Only next: it grows down to cover the new range. */
		vma_adjust_range(next, vmg->start, next->vm_end, vmg->pgoff);
	} else {
		vma_expand(vmg);
	}
	vmg->middle->vm_flags |= sticky;
	/* A moved VMA brings its anon_vma to the VMA it merged into. */
	if (copied_av) {
		if (!vmg->middle->anon_vma) {
			vmg->middle->anon_vma = copied_av;
			vmg->middle->anon_vma_chain_len = copied_chain;
			if (vma_is_linked(vmg->middle))
				vma_rmap_update(vmg->middle);
		} else {
			anon_vma_put(copied_av);
		}
	}
	return vmg->middle;
}

/*
 * vma_merge_existing_range(): [vmg->start, vmg->end) lies within
 * vmg->middle and is about to take vmg's attributes; merge it with prev
 * and/or next when they match. Returns the VMA now covering the range, or
 * NULL when no merge is possible.
 *
 *   merge both:     PPPP MMMM NNNN -> PPPPPPPPPPPPPP
 *   merge left:     PPPP MM**      -> PPPPPP **        (middle shrinks)
 *   merge right:         **MM NNNN ->    ** NNNNNN     (next grows down)
 */
static struct vm_area_struct *
vma_merge_existing_range(struct vma_merge_struct *vmg)
{
	struct vm_area_struct *middle = vmg->middle;
	struct vm_area_struct *prev = vmg->prev;
	struct vm_area_struct *next = NULL;
	struct mm_struct *mm = vmg->mm;
	uint64_t start = vmg->start, end = vmg->end;
	bool left_side = start == middle->vm_start;
	bool right_side = end == middle->vm_end;
	bool merge_left = false, merge_right = false, merge_both;
	bool remove_middle, remove_next;
	vm_flags_t sticky;

	vmg->merge_case = NULL;
	if ((vmg->vm_flags & VM_SPECIAL) || (!left_side && !right_side)) {
		explain(mm->machine, "vma_merge_existing_range", "no merge: %s", (vmg->vm_flags & VM_SPECIAL) ? "VM_SPECIAL mapping" : "the range touches neither end of the VMA");
		return NULL;
	}

	if (left_side)
		merge_left = can_vma_merge_left(vmg);
	if (right_side) {
		next = vmg->next = vma_next(middle);
		merge_right = can_vma_merge_right(vmg, merge_left);
	}
	if (!merge_left && !merge_right) {
		if (explain_on(mm->machine)) {
			char a[200], b[200];

			explain(mm->machine, "vma_merge_existing_range", "no merge with prev: %s; with next: %s", left_side ? merge_refusal(vmg, prev, true, a, sizeof(a)) : "the range does not start the VMA", right_side ? merge_refusal(vmg, next, false, b, sizeof(b)) : "the range does not end the VMA");
		}
		return NULL;
	}

	merge_both = merge_left && merge_right;
	remove_middle = left_side && right_side;
	if (remove_middle && !can_merge_remove_vma(middle))
		return NULL;
	remove_next = merge_both;
	if (remove_next && !can_merge_remove_vma(next)) {
		remove_next = false;
		merge_right = false;
		merge_both = false;
	}

	/* The merged VMA keeps every sticky flag of the VMAs it absorbs. */
	sticky = (vmg->vm_flags | middle->vm_flags) & VM_STICKY;
	if (merge_right)
		sticky |= next->vm_flags & VM_STICKY;
	if (merge_left)
		sticky |= prev->vm_flags & VM_STICKY;

	if (merge_both) {
		/* PPPP **** NNNN: prev grows over middle and next. */
		vmg->merge_case = "existing range merges prev, middle and next";
		if (!prev->anon_vma)
			dup_anon_vma(prev, next->anon_vma ? next : middle);
		/*
		 * prev absorbs each neighbour before it is removed, so no
		 * gap ever opens: the tree only rebalances.
		 */
		prev->vm_end = next->vm_end;
		vma_unlink_free_merged_pair(mm, middle, next);
		prev->vm_flags |= sticky;
		return prev;
	}
	if (merge_left) {
		/* PPPP ****(MMMM): prev grows, middle shrinks or goes. */
		dup_anon_vma(prev, middle);
		if (remove_middle) {
			vmg->merge_case = "existing range merges into prev";
			prev->vm_end = end;
			vma_unlink_free_merged(mm, middle);
		} else {
			/*
			 * The shared boundary moves: no gap changes, and one
			 * update re-reads both sides of it.
			 */
			vmg->merge_case =
				"existing range merges into prev, middle shrinks";
			vma_adjust_trans_huge(middle, end);
			vma_set_range(middle, end, middle->vm_end,
				      middle->vm_pgoff +
					      ((end - middle->vm_start) >>
					       PAGE_SHIFT));
			prev->vm_end = end;
			vma_tree_update(&mm->mm_mt, &middle->vm_node);
		}
		prev->vm_flags |= sticky;
		return prev;
	}
	/* (MMMM)**** NNNN: next grows down, middle shrinks or goes. */
	dup_anon_vma(next, middle);
	{
		uint64_t next_pgoff = next->vm_pgoff -
				      ((next->vm_start - start) >> PAGE_SHIFT);

		if (remove_middle) {
			/*
			 * next takes middle's start; removing middle then
			 * gives next middle's gap (vma_tree_erase_merged()).
			 */
			vmg->merge_case = "existing range merges into next";
			vma_set_range(next, start, next->vm_end, next_pgoff);
			vma_unlink_free_merged(mm, middle);
		} else {
			/*
			 * The shared boundary moves: no gap changes, and one
			 * update re-reads both sides of it.
			 */
			vmg->merge_case =
				"existing range merges into next, middle shrinks";
			vma_adjust_trans_huge(middle, start);
			middle->vm_end = start;
			vma_set_range(next, start, next->vm_end, next_pgoff);
			vma_tree_update(&mm->mm_mt, &middle->vm_node);
		}
	}
	next->vm_flags |= sticky;
	return next;
}

/*
 * vma_modify(): make [start, end) of vma a VMA of its own carrying the
 * attributes in vmg: merge when possible, else split off the parts outside
 * the range. Returns the VMA covering [start, end) or NULL with *err set.
 * A split that succeeded before a later failure stays, as in Linux.
 */
/* vma_modify() without a merge: vma split so that [start, end) is one. */
static struct vm_area_struct *vma_modify_split(struct vm_area_struct *vma,
					       uint64_t start, uint64_t end,
					       int *err)
{
	if (vma->vm_start < start && vma->vm_end > end &&
	    split_vma_both(vma, start, end))
		return vma;
	if (vma->vm_start < start) {
		*err = split_vma(vma, start, 1);
		if (*err)
			return NULL;
	}
	if (vma->vm_end > end) {
		*err = split_vma(vma, end, 0);
		if (*err)
			return NULL;
	}
	return vma;
}

static struct vm_area_struct *vma_modify(struct vma_merge_struct *vmg,
					 int *err)
{
	struct vm_area_struct *merged;

	merged = vma_merge_existing_range(vmg);
	if (merged) {
		explain(vmg->mm->machine, "vma_merge_existing_range", "%s: now %#" PRIx64 "-%#" PRIx64, vmg->merge_case, merged->vm_start, merged->vm_end);
		return merged;
	}
	return vma_modify_split(vmg->middle, vmg->start, vmg->end, err);
}

static void vmg_init_from(struct vma_merge_struct *vmg,
			  struct vm_area_struct *prev,
			  struct vm_area_struct *vma, uint64_t start,
			  uint64_t end)
{
	*vmg = vmg_zero;
	vmg->mm = vma->vm_mm;
	vmg->prev = prev;
	vmg->middle = vma;
	vmg->start = start;
	vmg->end = end;
	vmg->pgoff = vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT);
	vmg->vm_flags = vma->vm_flags;
	vmg->file = vma->vm_file;
	vmg->anon_vma = vma->anon_vma;
	vmg->anon_name = vma->anon_name;
	vmg->mempolicy = vma->mempolicy;
	vmg->uffd_ctx = vma->vm_userfaultfd_ctx;
	vmg->special = vma->special;
}

/*
 * Does vma, the whole of it taking new_flags, join prev and next in the
 * way vma_merge_existing_range() would take its merge-both case? Only the
 * plain case answers yes: the three share one anon_vma (or none), file,
 * name, policy, userfaultfd context and special kind, so every anon_vma
 * test there passes and dup_anon_vma() has nothing to do. Anything else
 * answers no and the general merge decides.
 */
static inline __attribute__((always_inline)) bool
vma_joins_both_plainly(const struct vm_area_struct *prev,
		       const struct vm_area_struct *vma,
		       const struct vm_area_struct *next, vm_flags_t new_flags)
{
	return prev && next && prev->vm_end == vma->vm_start &&
	       next->vm_start == vma->vm_end &&
	       !(new_flags & VM_SPECIAL) &&
	       !((prev->vm_flags ^ new_flags) & ~VM_IGNORE_MERGE) &&
	       !((next->vm_flags ^ new_flags) & ~VM_IGNORE_MERGE) &&
	       prev->anon_vma == vma->anon_vma &&
	       next->anon_vma == vma->anon_vma &&
	       prev->vm_file == vma->vm_file && next->vm_file == vma->vm_file &&
	       prev->anon_name == vma->anon_name &&
	       next->anon_name == vma->anon_name &&
	       prev->mempolicy == vma->mempolicy &&
	       next->mempolicy == vma->mempolicy &&
	       prev->vm_userfaultfd_ctx == vma->vm_userfaultfd_ctx &&
	       next->vm_userfaultfd_ctx == vma->vm_userfaultfd_ctx &&
	       prev->special == vma->special && next->special == vma->special &&
	       prev->vm_pgoff + vma_pages(prev) == vma->vm_pgoff &&
	       next->vm_pgoff == vma->vm_pgoff + vma_pages(vma) &&
	       can_merge_remove_vma(vma) && can_merge_remove_vma(next);
}

/* vma_modify_flags() through the merge struct: every case, and narration. */
static __attribute__((noinline)) struct vm_area_struct *
vma_modify_flags_general(struct vm_area_struct *prev,
			 struct vm_area_struct *vma, uint64_t start,
			 uint64_t end, vm_flags_t new_flags, int *err)
{
	struct vma_merge_struct vmg;

	vmg_init_from(&vmg, prev, vma, start, end);
	vmg.vm_flags = new_flags;
	return vma_modify(&vmg, err);
}

/*
 * vma_modify_flags() of the whole VMA. When it takes its neighbours'
 * attributes (PPPP MMMM NNNN -> PPPPPPPPPPPP) this is
 * vma_merge_existing_range()'s merge-both case, done without building
 * the merge struct; anything else goes the general way.
 */
static __attribute__((noinline)) struct vm_area_struct *
vma_modify_flags_whole(struct vm_area_struct *prev, struct vm_area_struct *vma,
		       vm_flags_t new_flags, int *err)
{
	struct vm_area_struct *next = vma_next(vma);
	vm_flags_t sticky;

	if (!vma_joins_both_plainly(prev, vma, next, new_flags))
		return vma_modify_flags_general(prev, vma, vma->vm_start,
						vma->vm_end, new_flags, err);
	sticky = (new_flags | prev->vm_flags | vma->vm_flags | next->vm_flags) &
		 VM_STICKY;
	prev->vm_end = next->vm_end;
	vma_unlink_free_merged_pair(vma->vm_mm, vma, next);
	prev->vm_flags |= sticky;
	return prev;
}

/*
 * Two cases skip the merge struct, unless explain mode wants the general
 * path's narration: a range inside the VMA touches neither neighbour, so
 * no merge (vma_merge_existing_range()'s first test), only the splits;
 * and the whole VMA may join both neighbours.
 */
struct vm_area_struct *vma_modify_flags(struct vm_area_struct *prev,
					struct vm_area_struct *vma,
					uint64_t start, uint64_t end,
					vm_flags_t new_flags, int *err)
{
	if (!explain_on(vma->vm_mm->machine)) {
		if (start > vma->vm_start && end < vma->vm_end)
			return vma_modify_split(vma, start, end, err);
		if (start == vma->vm_start && end == vma->vm_end)
			return vma_modify_flags_whole(prev, vma, new_flags,
						      err);
	}
	return vma_modify_flags_general(prev, vma, start, end, new_flags, err);
}

struct vm_area_struct *vma_modify_flags_name(struct vm_area_struct *prev,
					     struct vm_area_struct *vma,
					     uint64_t start, uint64_t end,
					     vm_flags_t new_flags,
					     struct anon_vma_name *new_name,
					     int *err)
{
	struct vma_merge_struct vmg;

	vmg_init_from(&vmg, prev, vma, start, end);
	vmg.vm_flags = new_flags;
	vmg.anon_name = new_name;
	return vma_modify(&vmg, err);
}

/* ---- unmapping ---- */

/* Accounting removed with a VMA range (vms_gather_munmap_vmas). */
static void unaccount_vma_pages(struct mm_struct *mm, vm_flags_t flags,
				uint64_t nrpages)
{
	if (flags & VM_LOCKED)
		mm->locked_vm -= nrpages;
	if (flags & VM_ACCOUNT)
		vm_unacct_memory(mm->machine, nrpages);
	vm_stat_account(mm, flags, -(long)nrpages);
}

/*
 * do_vmi_align_munmap(): unmap [start, end) where vma is the first VMA
 * that overlaps it. Splits the first and last VMAs as needed; sealed VMAs
 * make it fail with -EPERM (after any split already done, as in Linux).
 */
static inline __attribute__((always_inline)) int
__do_vmi_align_munmap(struct mm_struct *mm, struct vm_area_struct *vma,
		      uint64_t start, uint64_t end)
{
	struct vm_area_struct *next, *first;
	bool no_tables;
	int error;

	if (start > vma->vm_start) {
		/*
		 * Let map_count go just above its limit for the end split
		 * (that one uses __split_vma), but not for this one when
		 * both ends split.
		 */
		if (end < vma->vm_end &&
		    (uint64_t)mm->map_count >= mm->machine->knobs.max_map_count)
			return -ENOMEM;
		if (vma->vm_flags & VM_SEALED)
			return -EPERM;
		error = __split_vma(vma, start, 1);
		if (error)
			return error;
	}

	/* Check every VMA in range and split the end before removing any. */
	first = vma;
	for (next = vma; next && next->vm_start < end; next = vma_next(next)) {
		if (next->vm_flags & VM_SEALED)
			return -EPERM;
		if (next->vm_end > end) {
			error = __split_vma(next, end, 0);
			if (error)
				return error;
		}
	}

	/*
	 * vms_clear_ptes() zaps every VMA of the range in one mmu_gather
	 * and frees the pages at its end; remove_vma() closes the VMAs
	 * after (hugetlb reservations: the zap sees the pool before any
	 * close gives surplus pages back).
	 */
	/* A range no page table reaches (most of them) skips both walks. */
	no_tables = pgd_range_none(mm, start, end);
	if (!no_tables) {
		hugetlb_tlb_gather_mmu(mm->machine);
		for (next = first; next && next->vm_start < end;
		     next = vma_next(next))
			zap_vma_range(next, next->vm_start, next->vm_end);
		hugetlb_tlb_finish_mmu(mm->machine);
	}
	for (next = first; next && next->vm_start < end;) {
		struct vm_area_struct *after = vma_next(next);

		explain(mm->machine, "remove_vma", "%#" PRIx64 "-%#" PRIx64 " removed after unmap_vmas zapped its pages%s", next->vm_start, next->vm_end, (next->vm_flags & VM_ACCOUNT) ? "; its committed pages are given back (vm_unacct_memory)" : "");
		unaccount_vma_pages(mm, next->vm_flags, vma_pages(next));
		vma_unlink_free_exact(mm, next);
		next = after;
	}
	if (!no_tables)
		free_pgtables_range(mm, start, end);
	return 0;
}

int do_vmi_align_munmap(struct mm_struct *mm, struct vm_area_struct *vma,
			uint64_t start, uint64_t end)
{
	return __do_vmi_align_munmap(mm, vma, start, end);
}

int do_vmi_munmap(struct mm_struct *mm, uint64_t start, uint64_t len,
		  bool unlock)
{
	uint64_t end;
	struct vm_area_struct *vma;

	(void)unlock;
	if ((start & ~PAGE_MASK) || start > mm->task_size ||
	    len > mm->task_size - start)
		return -EINVAL;
	end = start + PAGE_ALIGN(len);
	if (end == start)
		return -EINVAL;

	vma = find_vma(mm, start);
	if (!vma || vma->vm_start >= end) {
		explain(mm->machine, "do_vmi_munmap", "nothing mapped in %#" PRIx64 "-%#" PRIx64 ": nothing to do", start, end);
		return 0;
	}
	explain(mm->machine, "do_vmi_munmap", "%#" PRIx64 "-%#" PRIx64 ": do_vmi_align_munmap (split the VMAs at the edges, zap, remove, free_pgtables)", start, end);
	/* (inline: munmap() is the common caller) */
	return explain_nest(mm->machine,
			    __do_vmi_align_munmap(mm, vma, start, end));
}


/* ---- gap search (unmapped_area / unmapped_area_topdown) ---- */

/*
 * The length to search for (padded for the worst-case alignment and the
 * start gap) and the lower limit (never below mmap_min_addr). Returns false
 * when the padding overflows.
 */
static bool unmapped_area_setup(const struct mm_struct *mm,
				const struct vm_unmapped_area_info *info,
				uint64_t *length, uint64_t *low_limit)
{
	uint64_t min = mmap_min_addr(&mm->machine->knobs);

	*length = info->length + info->align_mask + info->start_gap;
	if (*length < info->length)
		return false;
	*low_limit = info->low_limit < min ? min : info->low_limit;
	return true;
}

/* The VMA just before a gap, given the node after it (NULL: the tail gap). */
static struct vm_area_struct *vma_before_gap(struct mm_struct *mm,
					     struct vma_tree_node *next)
{
	return next ? vma_prev(vma_from_node(next)) :
		      vma_from_node(mm->mm_mt.last);
}

static uint64_t unmapped_area(struct mm_struct *mm,
			      struct vm_unmapped_area_info *info)
{
	uint64_t length, gap, low_limit, high_limit, index, last;
	struct vma_tree_node *next;
	struct vm_area_struct *tmp;

	if (!unmapped_area_setup(mm, info, &length, &low_limit))
		return -ENOMEM;
	high_limit = info->high_limit;
retry:
	if (high_limit == 0 || low_limit > high_limit - 1 ||
	    !vma_tree_empty_area_next(&mm->mm_mt, low_limit, high_limit - 1,
				      length, &index, &last, &next))
		return -ENOMEM;

	gap = index + info->start_gap;
	gap += (info->align_offset - gap) & info->align_mask;
	tmp = vma_from_node(next);	/* the VMA after the gap */
	if (tmp && (tmp->vm_flags & VM_STARTGAP_FLAGS)) {
		if (vm_start_gap(tmp) < gap + length - 1) {
			low_limit = tmp->vm_end;
			goto retry;
		}
	} else {
		tmp = vma_before_gap(mm, next);
		if (tmp && vm_end_gap(tmp) > gap) {
			low_limit = vm_end_gap(tmp);
			goto retry;
		}
	}
	return gap;
}

static uint64_t unmapped_area_topdown(struct mm_struct *mm,
				      struct vm_unmapped_area_info *info)
{
	uint64_t length, gap, gap_end, low_limit, high_limit, index, last;
	struct vma_tree_node *next;
	struct vm_area_struct *tmp;

	if (!unmapped_area_setup(mm, info, &length, &low_limit))
		return -ENOMEM;
	high_limit = info->high_limit;
retry:
	if (high_limit == 0 || low_limit > high_limit - 1 ||
	    !vma_tree_empty_area_rev_next(&mm->mm_mt, low_limit,
					  high_limit - 1, length, &index,
					  &last, &next))
		return -ENOMEM;

	gap_end = last + 1;
	gap = gap_end - info->length;
	gap -= (gap - info->align_offset) & info->align_mask;
	tmp = vma_from_node(next);	/* the VMA after the gap */
	if (tmp && (tmp->vm_flags & VM_STARTGAP_FLAGS)) {
		if (vm_start_gap(tmp) < gap_end) {
			high_limit = vm_start_gap(tmp);
			goto retry;
		}
	} else {
		tmp = vma_before_gap(mm, next);
		if (tmp && vm_end_gap(tmp) > gap) {
			high_limit = tmp->vm_start;
			goto retry;
		}
	}
	return gap;
}

uint64_t vm_unmapped_area(struct mm_struct *mm,
			  struct vm_unmapped_area_info *info)
{
	if (info->flags & VM_UNMAPPED_AREA_TOPDOWN)
		return unmapped_area_topdown(mm, info);
	return unmapped_area(mm, info);
}
