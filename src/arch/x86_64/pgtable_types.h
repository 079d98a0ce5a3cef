/*
 * x86-64 page-table entries: the hardware bit layout of PGD/P4D/PUD/PMD/PTE
 * entries and the kernel's software bits and swap/marker encoding
 * (arch/x86/include/asm/pgtable_types.h, pgtable_64.h). Each table is one
 * simulated 4 KiB page of 512 little-endian 8-byte entries.
 *
 *   47    39 38    30 29    21 20    12 11         0
 *  +--------+--------+--------+--------+------------+
 *  |  PGD   |  PUD   |  PMD   |  PTE   |   offset   |   (4-level; with
 *  +--------+--------+--------+--------+------------+    5 levels a P4D
 *                                                        index is 56..48)
 */
#ifndef MMSIM_ARCH_X86_64_PGTABLE_TYPES_H
#define MMSIM_ARCH_X86_64_PGTABLE_TYPES_H

#include <stdbool.h>
#include <stdint.h>

typedef uint64_t pteval_t;
typedef struct { pteval_t pte; } pte_t;
typedef struct { pteval_t pmd; } pmd_t;
typedef struct { pteval_t pud; } pud_t;
typedef struct { pteval_t p4d; } p4d_t;
typedef struct { pteval_t pgd; } pgd_t;

#define _PAGE_BIT_PRESENT	0
#define _PAGE_BIT_RW		1
#define _PAGE_BIT_USER		2
#define _PAGE_BIT_PWT		3
#define _PAGE_BIT_PCD		4
#define _PAGE_BIT_ACCESSED	5
#define _PAGE_BIT_DIRTY		6
#define _PAGE_BIT_PSE		7	/* a huge leaf at PMD/PUD level */
#define _PAGE_BIT_GLOBAL	8
#define _PAGE_BIT_SOFTW1	9	/* _PAGE_SPECIAL */
#define _PAGE_BIT_SOFTW2	10	/* _PAGE_UFFD_WP */
#define _PAGE_BIT_SOFTW3	11	/* _PAGE_SOFT_DIRTY */
#define _PAGE_BIT_SOFTW5	58	/* _PAGE_SAVED_DIRTY */
#define _PAGE_BIT_NX		63

#define _PAGE_PRESENT	(1ULL << _PAGE_BIT_PRESENT)
#define _PAGE_RW	(1ULL << _PAGE_BIT_RW)
#define _PAGE_USER	(1ULL << _PAGE_BIT_USER)
#define _PAGE_PWT	(1ULL << _PAGE_BIT_PWT)
#define _PAGE_PCD	(1ULL << _PAGE_BIT_PCD)
#define _PAGE_ACCESSED	(1ULL << _PAGE_BIT_ACCESSED)
#define _PAGE_DIRTY	(1ULL << _PAGE_BIT_DIRTY)
#define _PAGE_PSE	(1ULL << _PAGE_BIT_PSE)
#define _PAGE_GLOBAL	(1ULL << _PAGE_BIT_GLOBAL)
#define _PAGE_SPECIAL	(1ULL << _PAGE_BIT_SOFTW1)
#define _PAGE_UFFD_WP	(1ULL << _PAGE_BIT_SOFTW2)
#define _PAGE_SOFT_DIRTY (1ULL << _PAGE_BIT_SOFTW3)
#define _PAGE_SAVED_DIRTY (1ULL << _PAGE_BIT_SOFTW5)
#define _PAGE_NX	(1ULL << _PAGE_BIT_NX)
/* PROT_NONE entries: not present to the MMU, present to the kernel. */
#define _PAGE_PROTNONE	_PAGE_GLOBAL

#define PTE_PFN_MASK	0x000ffffffffff000ULL	/* bits 51..12 */

/* The entry a populated upper level points at a table with. */
#define _PAGE_TABLE	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
			 _PAGE_ACCESSED | _PAGE_DIRTY)

/* protection_map[] entries (vm_get_page_prot()). */
#define PAGE_NONE	(_PAGE_PROTNONE | _PAGE_ACCESSED)
#define PAGE_SHARED	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
			 _PAGE_ACCESSED | _PAGE_NX)
#define PAGE_SHARED_EXEC (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
			  _PAGE_ACCESSED)
#define PAGE_COPY_NOEXEC (_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | \
			  _PAGE_NX)
#define PAGE_COPY_EXEC	(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)
#define PAGE_READONLY	(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | \
			 _PAGE_NX)
#define PAGE_READONLY_EXEC (_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)

#define PTRS_PER_PTE	512
#define PGDIR_SHIFT_4	39
#define PGDIR_SHIFT_5	48
#define P4D_SHIFT	39

/*
 * A non-present, non-none PTE holds a swap entry (or a special entry such
 * as a PTE marker): type in bits 63..58, offset in bits 57..12, P and
 * PROTNONE clear, bits 1 and 2 for the exclusive and soft-dirty flags.
 * DIVERGENCE(linux): x86-64 stores the offset inverted (L1TF mitigation)
 * at other bit positions; only the kernel ever reads these bits.
 */
#define SWP_TYPE_SHIFT	58
#define SWP_OFFSET_SHIFT 12
#define SWP_OFFSET_MASK	((1ULL << 46) - 1)
#define _PAGE_SWP_EXCLUSIVE _PAGE_RW	/* bit 1 of a swap PTE */
#define _PAGE_SWP_SOFT_DIRTY _PAGE_USER	/* bit 2 of a swap PTE */

/* Swap types beyond MAX_SWAPFILES: the kernel's special entries. */
#define MAX_SWAPFILES	27
#define SWP_PTE_MARKER	31
#define PTE_MARKER_GUARD 0x4ULL		/* pte_marker bit for guard regions */

static inline bool pte_none(pte_t p)
{
	return p.pte == 0;
}

/* Present to the kernel: the MMU's P bit, or a PROT_NONE entry. */
static inline bool pte_present(pte_t p)
{
	return p.pte & (_PAGE_PRESENT | _PAGE_PROTNONE);
}

static inline uint64_t pte_pfn(pte_t p)
{
	return (p.pte & PTE_PFN_MASK) >> 12;
}

static inline bool pte_write(pte_t p)
{
	return p.pte & _PAGE_RW;
}

static inline bool pte_dirty(pte_t p)
{
	return p.pte & (_PAGE_DIRTY | _PAGE_SAVED_DIRTY);
}

static inline bool pte_young(pte_t p)
{
	return p.pte & _PAGE_ACCESSED;
}

static inline bool pte_special(pte_t p)
{
	return p.pte & _PAGE_SPECIAL;
}

static inline bool pte_soft_dirty(pte_t p)
{
	return p.pte & _PAGE_SOFT_DIRTY;
}

static inline pte_t pfn_pte(uint64_t pfn, pteval_t prot)
{
	return (pte_t){ (pfn << 12) | prot };
}

/* A swap (or special) entry in a non-present PTE. */
static inline pte_t swp_entry_to_pte(unsigned int type, uint64_t offset)
{
	return (pte_t){ ((uint64_t)type << SWP_TYPE_SHIFT) |
			((offset & SWP_OFFSET_MASK) << SWP_OFFSET_SHIFT) };
}

static inline unsigned int pte_swp_type(pte_t p)
{
	return (unsigned int)(p.pte >> SWP_TYPE_SHIFT);
}

static inline uint64_t pte_swp_offset(pte_t p)
{
	return (p.pte >> SWP_OFFSET_SHIFT) & SWP_OFFSET_MASK;
}

/* A swap PTE naming a slot of a swap area (not a marker). */
static inline bool is_swap_pte(pte_t p)
{
	return p.pte && !pte_present(p) && pte_swp_type(p) < MAX_SWAPFILES;
}

static inline bool is_guard_pte(pte_t p)
{
	return !pte_none(p) && !pte_present(p) &&
	       pte_swp_type(p) == SWP_PTE_MARKER &&
	       (pte_swp_offset(p) & PTE_MARKER_GUARD);
}

#endif /* MMSIM_ARCH_X86_64_PGTABLE_TYPES_H */
