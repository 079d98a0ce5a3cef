/*
 * execve() of a real ELF file of the host (fs/exec.c, fs/binfmt_elf.c):
 * the new address space laid out as Linux 6.18 x86-64 lays it out with
 * address-space randomisation off (personality ADDR_NO_RANDOMIZE, or
 * kernel.randomize_va_space 0).
 *
 * The order is the kernel's, because every address chosen by a search
 * depends on what was mapped before it:
 *   1. bprm_mm_init + copy_strings: a one-page stack VMA just below
 *      STACK_TOP, the file name, the environment and the arguments copied
 *      to its top (the VMA grows down as they need);
 *   2. setup_arg_pages: the stack's final flags (PT_GNU_STACK), then 128 KiB
 *      more below what the strings use (or the stack rlimit);
 *   3. every PT_LOAD with elf_load(): ET_EXEC at its addresses, a PIE at
 *      ELF_ET_DYN_BASE aligned to the largest p_align, a static PIE (no
 *      interpreter) where get_unmapped_area() puts it; the first mapping
 *      spans the whole image and the rest is unmapped (total_mapping_size),
 *      the tail of the last file page is zeroed (padzero: a write fault),
 *      the bss beyond it is an anonymous vm_brk_flags() mapping;
 *   4. brk at the page after the highest p_memsz;
 *   5. PT_INTERP: the interpreter the same way, at get_unmapped_area()'s
 *      choice (top-down below mmap_base);
 *   6. [vvar], [vvar_vclock] and [vdso] below that (map_vdso);
 *   7. create_elf_tables: platform string, AT_RANDOM bytes, auxv, envp,
 *      argv, argc under the strings, 16-byte aligned.
 * Files are the host's: their identity (device, inode, size) comes from
 * stat() and their maps name from realpath(), so the model's maps lines
 * are the live kernel's.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>	/* the AT_ numbers */
#include <sys/mman.h>	/* the host's PROT_ and MAP_ values are the ABI's */
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "mm/internal.h"

#define ELF_MIN_ALIGN		PAGE_SIZE
#define ELF_PAGESTART(v)	((v) & ~(uint64_t)(ELF_MIN_ALIGN - 1))
#define ELF_PAGEOFFSET(v)	((v) & (ELF_MIN_ALIGN - 1))
#define ELF_PAGEALIGN(v)	(((v) + ELF_MIN_ALIGN - 1) & \
				 ~(uint64_t)(ELF_MIN_ALIGN - 1))

/*
 * STACK_TOP (TASK_SIZE_LOW: the 47-bit window, with 4- or 5-level paging).
 * Linux builds the argument pages at STACK_TOP_MAX and shifts them down to
 * STACK_TOP in setup_arg_pages(); they are built there directly.
 */
#define STACK_TOP		DEFAULT_MAP_WINDOW
/* ELF_ET_DYN_BASE of x86-64: two thirds of the 47-bit user space. */
#define ELF_ET_DYN_BASE		(DEFAULT_MAP_WINDOW / 3 * 2)
#define BAD_ADDR(x)		((uint64_t)(x) >= TASK_SIZE_47)

#define MAX_ARG_STRLEN		(32 * PAGE_SIZE)
#define MAX_ARG_STRINGS		0x7FFFFFFF
#define ARG_MAX			(32 * PAGE_SIZE)
#define STK_LIM			(8UL << 20)	/* _STK_LIM */

/* What the vDSO image of this kernel occupies (map_vdso). */
#define VVAR_SIZE		(4 * PAGE_SIZE)
#define VVAR_VCLOCK_SIZE	(2 * PAGE_SIZE)
#define VDSO_TEXT_SIZE		(2 * PAGE_SIZE)

#ifndef READ_IMPLIES_EXEC
#define READ_IMPLIES_EXEC	0x0400000	/* personality(2) */
#endif

/* PT_GNU_STACK: executable_stack of load_elf_binary(). */
enum { EXSTACK_DEFAULT, EXSTACK_DISABLE_X, EXSTACK_ENABLE_X };

/* auxv tags the glibc headers may lack. */
#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ		51
#endif
#define MMSIM_AT_RSEQ_FEATURE_SIZE 27
#define MMSIM_AT_RSEQ_ALIGN	28
#define AUXV_ENTRIES		23	/* incl. AT_NULL, as 6.18 writes them */

/* One ELF file of the host, opened for the model. */
struct elf_image {
	int fd;
	struct stat st;
	char real[PATH_MAX];
	Elf64_Ehdr ex;
	Elf64_Phdr *ph;
	struct file *file;	/* the model's struct file for it */
};

static void elf_image_close(struct elf_image *img)
{
	if (img->fd >= 0)
		close(img->fd);
	img->fd = -1;
	free(img->ph);
	img->ph = NULL;
	if (img->file)
		fput(img->file);
	img->file = NULL;
}

static int read_full(int fd, void *buf, size_t len, off_t off)
{
	ssize_t n;
	size_t done = 0;

	while (done < len) {
		n = pread(fd, (char *)buf + done, len - done,
			  off + (off_t)done);
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		done += (size_t)n;
	}
	return 0;
}

/*
 * kernel_read() of the file's bytes the kernel reads (header, program
 * headers, interpreter name, property note): the data come from the host
 * file, but the read goes through the model's page cache as the kernel's
 * does, with its read-ahead, so the pages exec later faults are cached.
 */
static void kernel_read_cache(struct elf_image *img, uint64_t pos,
			      uint64_t count)
{
	if (pos < (uint64_t)img->st.st_size)
		(void)file_read(img->file, pos, NULL, count);
}

/*
 * open_exec() + the checks of load_elf_binary() on the header (bad_errno
 * for a file that is no ELF of ours: -ENOEXEC for the program, -ELIBBAD
 * for an interpreter, whose header must also read whole: -EIO), then
 * load_elf_phdrs(). The model's file is found
 * by its real path or created with the host file's identity.
 */
static int elf_image_open(struct mmsim_machine *m, const char *path,
			  struct elf_image *img, int bad_errno)
{
	struct inode *inode;
	size_t size;
	int rc;

	memset(img, 0, sizeof(*img));
	img->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (img->fd < 0)
		return -errno;
	if (fstat(img->fd, &img->st) < 0)
		return -errno;
	if (!S_ISREG(img->st.st_mode))
		return -EACCES;
	if (access(path, X_OK) < 0)
		return -errno;
	if (!realpath(path, img->real))
		return -errno;
	rc = read_full(img->fd, &img->ex, sizeof(img->ex), 0);
	if (rc < 0 && bad_errno == -ELIBBAD)
		return rc;	/* elf_read() of the interpreter: -EIO */
	if (rc < 0 || memcmp(img->ex.e_ident, ELFMAG, SELFMAG) != 0) {
		/*
		 * DIVERGENCE(linux): "#!" scripts (binfmt_script) and
		 * binfmt_misc are not modelled: they fail with ENOEXEC.
		 */
		return bad_errno;
	}
	if (img->ex.e_ident[EI_CLASS] != ELFCLASS64 ||
	    img->ex.e_machine != EM_X86_64)
		return bad_errno;
	if (img->ex.e_type != ET_EXEC && img->ex.e_type != ET_DYN)
		return bad_errno;
	if (img->ex.e_phentsize != sizeof(Elf64_Phdr))
		return bad_errno;
	size = (size_t)img->ex.e_phnum * sizeof(Elf64_Phdr);
	if (size == 0 || size > 65536)
		return bad_errno;
	img->ph = malloc(size);
	if (!img->ph)
		return -ENOMEM;
	if (read_full(img->fd, img->ph, size, (off_t)img->ex.e_phoff) < 0)
		return bad_errno;	/* load_elf_phdrs() failed */

	inode = inode_find(m, img->real);
	if (!inode) {
		inode = inode_new(m, img->real, MMSIM_FILE_REGULAR,
				  major(img->st.st_dev), minor(img->st.st_dev),
				  img->st.st_ino, (uint64_t)img->st.st_size);
		if (!inode)
			return -ENOMEM;
		inode->i_others_write = (img->st.st_mode & S_IWOTH) != 0;
	}
	img->file = file_open_inode(m, inode, true, false);
	if (!img->file)
		return -ENOMEM;
	/* prepare_binprm() reads BINPRM_BUF_SIZE bytes, then the phdrs */
	kernel_read_cache(img, 0, bad_errno == -ELIBBAD ? sizeof(img->ex) :
							   256);
	kernel_read_cache(img, img->ex.e_phoff, size);
	return 0;
}

static int make_prot(uint32_t p_flags)
{
	int prot = 0;

	if (p_flags & PF_R)
		prot |= PROT_READ;
	if (p_flags & PF_W)
		prot |= PROT_WRITE;
	if (p_flags & PF_X)
		prot |= PROT_EXEC;
	return prot;
}

/* vm_mmap(): do_mmap() of a page-aligned offset. */
static int64_t vm_mmap(struct mmsim_process *p, struct file *file,
		       uint64_t addr, uint64_t len, int prot, int flags,
		       uint64_t off)
{
	uint64_t populate = 0;

	if (off + PAGE_ALIGN(len) < off || ELF_PAGEOFFSET(off))
		return -EINVAL;
	return do_mmap(p, file, addr, len, (uint64_t)prot, (uint64_t)flags, 0,
		       off >> PAGE_SHIFT, &populate);
}

static void vm_munmap(struct mmsim_process *p, uint64_t start, uint64_t len)
{
	if (len)
		(void)do_vmi_munmap(p->mm, start, len, false);
}

/*
 * elf_map(): the file part of a segment; with total_size (the first
 * segment of an image) the whole image is reserved at once and what lies
 * past this segment's file pages unmapped again.
 */
static int64_t elf_map(struct mmsim_process *p, struct file *file,
		       uint64_t addr, const Elf64_Phdr *ph, int prot,
		       int type, uint64_t total_size)
{
	uint64_t size = ph->p_filesz + ELF_PAGEOFFSET(ph->p_vaddr);
	uint64_t off = ph->p_offset - ELF_PAGEOFFSET(ph->p_vaddr);
	int64_t map_addr;

	addr = ELF_PAGESTART(addr);
	size = ELF_PAGEALIGN(size);
	if (!size)
		return (int64_t)addr;
	if (total_size) {
		total_size = ELF_PAGEALIGN(total_size);
		map_addr = vm_mmap(p, file, addr, total_size, prot, type, off);
		if (!BAD_ADDR(map_addr) && total_size > size)
			vm_munmap(p, (uint64_t)map_addr + size,
				  total_size - size);
	} else {
		map_addr = vm_mmap(p, file, addr, size, prot, type, off);
	}
	return map_addr;
}

/* padzero(): clear_user() of the rest of the page at address. */
static int padzero(struct mmsim_process *p, uint64_t address)
{
	static const uint8_t zeroes[PAGE_SIZE];
	uint64_t nbyte = ELF_PAGEOFFSET(address);

	if (!nbyte)
		return 0;
	nbyte = ELF_MIN_ALIGN - nbyte;
	if (mmsim_process_vm_writev(p, p, address, zeroes, nbyte) !=
	    (long)nbyte)
		return -EFAULT;
	return 0;
}

/*
 * elf_load(): a segment's file pages, the zeroed tail of its last file
 * page and its bss pages beyond (an anonymous brk-like mapping).
 */
static int64_t elf_load(struct mmsim_process *p, struct file *file,
			uint64_t addr, const Elf64_Phdr *ph, int prot, int type,
			uint64_t total_size)
{
	uint64_t zero_start = 0, zero_end = 0;
	int64_t map_addr;
	int err;

	if (ph->p_filesz) {
		map_addr = elf_map(p, file, addr, ph, prot, type, total_size);
		if (BAD_ADDR(map_addr))
			return map_addr;
		if (ph->p_memsz > ph->p_filesz) {
			zero_start = (uint64_t)map_addr +
				     ELF_PAGEOFFSET(ph->p_vaddr) + ph->p_filesz;
			zero_end = (uint64_t)map_addr +
				   ELF_PAGEOFFSET(ph->p_vaddr) + ph->p_memsz;
			if (padzero(p, zero_start) && (prot & PROT_WRITE))
				return -EFAULT;
		}
	} else {
		map_addr = (int64_t)ELF_PAGESTART(addr);
		zero_start = (uint64_t)map_addr;
		zero_end = zero_start + ELF_PAGEOFFSET(ph->p_vaddr) +
			   ph->p_memsz;
	}
	if (ph->p_memsz > ph->p_filesz) {
		zero_start = ELF_PAGEALIGN(zero_start);
		zero_end = ELF_PAGEALIGN(zero_end);
		err = vm_brk_flags(p, zero_start, zero_end - zero_start,
				   (prot & PROT_EXEC) ? VM_EXEC : 0);
		if (err)
			map_addr = err;
	}
	return map_addr;
}

/* total_mapping_size(): from the first PT_LOAD's page to the last's end. */
static uint64_t total_mapping_size(const Elf64_Phdr *ph, int nr)
{
	uint64_t min_addr = UINT64_MAX, max_addr = 0;
	bool any = false;
	int i;

	for (i = 0; i < nr; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ELF_PAGESTART(ph[i].p_vaddr) < min_addr)
			min_addr = ELF_PAGESTART(ph[i].p_vaddr);
		if (ph[i].p_vaddr + ph[i].p_memsz > max_addr)
			max_addr = ph[i].p_vaddr + ph[i].p_memsz;
		any = true;
	}
	return any ? max_addr - min_addr : 0;
}

/* maximum_alignment(): the largest power-of-two p_align, at least a page. */
static uint64_t maximum_alignment(const Elf64_Phdr *ph, int nr)
{
	uint64_t alignment = 0;
	int i;

	for (i = 0; i < nr; i++) {
		uint64_t a = ph[i].p_align;

		if (ph[i].p_type != PT_LOAD)
			continue;
		if (!a || (a & (a - 1)))
			continue;
		if (a > alignment)
			alignment = a;
	}
	/*
	 * 6.18 has no PMD alignment of large read-only segments (a later
	 * CONFIG_ELF_RO_LOAD_THP_ALIGNMENT): p_align alone decides.
	 */
	return ELF_PAGEALIGN(alignment);
}

/*
 * load_elf_interp(): the interpreter's segments, the first where
 * get_unmapped_area() puts the whole image (ET_DYN), the others fixed
 * after it. Returns its load address or a negative errno.
 */
static int64_t load_elf_interp(struct mmsim_process *p, struct elf_image *in,
			       uint64_t no_base)
{
	uint64_t load_addr = 0, total_size;
	bool load_addr_set = false;
	int i;

	total_size = total_mapping_size(in->ph, in->ex.e_phnum);
	if (!total_size)
		return -EINVAL;
	for (i = 0; i < in->ex.e_phnum; i++) {
		const Elf64_Phdr *ph = &in->ph[i];
		int type = MAP_PRIVATE;
		uint64_t vaddr = ph->p_vaddr, k;
		int64_t map_addr;

		if (ph->p_type != PT_LOAD)
			continue;
		if (in->ex.e_type == ET_EXEC || load_addr_set)
			type |= MAP_FIXED;
		else if (no_base && in->ex.e_type == ET_DYN)
			load_addr = -vaddr;
		map_addr = elf_load(p, in->file, load_addr + vaddr, ph,
				    make_prot(ph->p_flags), type, total_size);
		total_size = 0;
		if (BAD_ADDR(map_addr))
			return map_addr < 0 ? map_addr : -EINVAL;
		if (!load_addr_set && in->ex.e_type == ET_DYN) {
			load_addr = (uint64_t)map_addr - ELF_PAGESTART(vaddr);
			load_addr_set = true;
		}
		k = load_addr + ph->p_vaddr;
		if (BAD_ADDR(k) || ph->p_filesz > ph->p_memsz ||
		    ph->p_memsz > TASK_SIZE_47 || TASK_SIZE_47 - ph->p_memsz < k)
			return -ENOMEM;
	}
	return (int64_t)load_addr;
}

/* ---- fs/exec.c: the argument pages ---- */

struct bprm {
	const char *filename;
	const char *const *argv;
	const char *const *envp;
	int argc, envc;
	uint64_t p;		/* the lowest byte copied so far */
	uint64_t exec;		/* where the file name went (AT_EXECFN) */
	uint64_t argmin;	/* bprm_stack_limits() */
	struct vm_area_struct *vma;
};

/* bprm_mm_init(): the one-page stack VMA the strings go into. */
static int bprm_mm_init(struct mmsim_process *p, struct bprm *b)
{
	struct mm_struct *mm = p->mm;
	struct vm_area_struct *vma = vm_area_alloc(mm);

	if (!vma)
		return -ENOMEM;
	vma_set_range(vma, STACK_TOP - PAGE_SIZE, STACK_TOP,
		      (STACK_TOP - PAGE_SIZE) >> PAGE_SHIFT);
	vma->vm_flags = VM_STACK_DEFAULT_FLAGS | VM_STACK | VM_ACCOUNT;
	if (security_vm_enough_memory_mm(p, 1)) {
		vm_area_free(vma);
		return -ENOMEM;
	}
	vma_link(mm, vma);
	vm_stat_account(mm, vma->vm_flags, 1);
	if (anon_vma_prepare(vma))
		return -ENOMEM;
	b->vma = vma;
	b->p = STACK_TOP - sizeof(void *);
	return 0;
}

/* bprm_stack_limits(): how low the strings and pointers may reach. */
static int bprm_stack_limits(struct mmsim_process *p, struct bprm *b)
{
	uint64_t limit, ptr_size;

	limit = STK_LIM / 4 * 3;
	if (rlimit(p, MMSIM_RLIMIT_STACK) / 4 < limit)
		limit = rlimit(p, MMSIM_RLIMIT_STACK) / 4;
	if (limit < ARG_MAX)
		limit = ARG_MAX;
	ptr_size = (uint64_t)((b->argc ? b->argc : 1) + b->envc) *
		   sizeof(void *);
	if (limit <= ptr_size)
		return -E2BIG;
	limit -= ptr_size;
	b->argmin = b->p - limit;
	return 0;
}

/* copy_string_kernel()/copy_strings(): one string below bprm->p. */
static int copy_string(struct mmsim_process *p, struct bprm *b,
		       const char *s)
{
	size_t len = strlen(s) + 1;
	uint64_t pos;

	if (len > MAX_ARG_STRLEN)
		return -E2BIG;
	if (b->p < b->argmin + len)
		return -E2BIG;
	pos = b->p - len;
	if (pos < b->vma->vm_start) {
		/* get_arg_page(): the stack grows to take the string */
		if (expand_downwards(b->vma, pos & PAGE_MASK))
			return -E2BIG;
	}
	if (mmsim_process_vm_writev(p, p, pos, s, len) != (long)len)
		return -EFAULT;
	b->p = pos;
	return 0;
}

static int copy_strings(struct mmsim_process *p, struct bprm *b, int n,
			const char *const *v)
{
	int rc;

	while (n-- > 0) {
		rc = copy_string(p, b, v[n]);
		if (rc)
			return rc;
	}
	return 0;
}

/*
 * setup_arg_pages(): the stack VMA gets its final flags (an executable
 * stack when PT_GNU_STACK asks) and grows to 128 KiB below what the
 * strings use, or to the stack rlimit.
 */
static int setup_arg_pages(struct mmsim_process *p, struct bprm *b,
			   int executable_stack)
{
	struct mm_struct *mm = p->mm;
	struct vm_area_struct *vma = b->vma;
	vm_flags_t vm_flags = VM_STACK_DEFAULT_FLAGS | VM_STACK | VM_ACCOUNT;
	uint64_t stack_expand = 131072, stack_size, rlim_stack;

	mm->arg_start = b->p;
	if (executable_stack == EXSTACK_ENABLE_X)
		vm_flags |= VM_EXEC;
	else if (executable_stack == EXSTACK_DISABLE_X)
		vm_flags &= ~VM_EXEC;
	vm_flags |= mm->def_flags;
	if (vm_flags != vma->vm_flags) {
		vm_stat_account(mm, vma->vm_flags, -(long)vma_pages(vma));
		vma->vm_flags = vm_flags;
		vm_stat_account(mm, vma->vm_flags, (long)vma_pages(vma));
	}
	stack_size = vma->vm_end - vma->vm_start;
	rlim_stack = rlimit(p, MMSIM_RLIMIT_STACK) & PAGE_MASK;
	if (stack_size + stack_expand < rlim_stack)
		stack_expand += stack_size;
	else
		stack_expand = rlim_stack;
	mm->start_stack = b->p;
	if (expand_stack_locked(vma, vma->vm_end - stack_expand))
		return -EFAULT;
	return 0;
}

/* ---- arch/x86/entry/vdso/vma.c ---- */

static struct vm_area_struct *install_special(struct mmsim_process *p,
					      uint64_t start, uint64_t len,
					      vm_flags_t flags, int special)
{
	struct vm_area_struct *vma = vm_area_alloc(p->mm);

	if (!vma)
		return NULL;
	vma_set_range(vma, start, start + len, 0);
	vma->vm_flags = flags | VM_DONTEXPAND;
	vma->special = special;
	vma_link(p->mm, vma);
	vm_stat_account(p->mm, vma->vm_flags, (long)(len >> PAGE_SHIFT));
	return vma;
}

/* map_vdso(): [vvar], [vvar_vclock] and [vdso] where a search puts them. */
static int64_t map_vdso(struct mmsim_process *p)
{
	const vm_flags_t vvar = VM_READ | VM_MAYREAD | VM_IO | VM_DONTDUMP |
				VM_PFNMAP;
	uint64_t len = VVAR_SIZE + VVAR_VCLOCK_SIZE + VDSO_TEXT_SIZE;
	uint64_t addr = get_unmapped_area(p->mm, NULL, 0, len, 0, 0, 0);
	struct vm_area_struct *v;

	if (BAD_ADDR(addr))
		return (int64_t)addr;
	if (!install_special(p, addr, VVAR_SIZE, vvar, VMA_SPECIAL_VVAR) ||
	    !install_special(p, addr + VVAR_SIZE, VVAR_VCLOCK_SIZE, vvar,
			     VMA_SPECIAL_VVAR_VCLOCK))
		return -ENOMEM;
	v = install_special(p, addr + VVAR_SIZE + VVAR_VCLOCK_SIZE,
			    VDSO_TEXT_SIZE,
			    VM_READ | VM_EXEC | VM_MAYREAD | VM_MAYWRITE |
				    VM_MAYEXEC,
			    VMA_SPECIAL_VDSO);
	if (!v)
		return -ENOMEM;
	v->has_close = true;
	return (int64_t)v->vm_start;
}

/* The [vsyscall] gate page (shown in maps, never in the tree). */
static int map_vsyscall(struct mmsim_process *p)
{
	struct vm_area_struct *vma = vm_area_alloc(p->mm);

	if (!vma)
		return -ENOMEM;
	vma_set_range(vma, VSYSCALL_ADDR, VSYSCALL_ADDR + PAGE_SIZE, 0);
	vma->vm_flags = VM_EXEC;
	vma->special = VMA_SPECIAL_VSYSCALL;
	vma_link(p->mm, vma);
	return 0;
}

/* ---- create_elf_tables() ---- */

struct elf_tables_in {
	uint64_t phdr_addr, e_entry, interp_load_addr, vdso;
	uint16_t e_phnum;
};

/*
 * A value of the host kernel's auxv for mmsim itself, from
 * /proc/self/auxv (glibc's getauxval(AT_HWCAP) on x86-64 is glibc's own
 * word, not the kernel's).
 */
static uint64_t host_auxval(unsigned long type, uint64_t fallback)
{
	uint64_t pair[2];
	int fd = open("/proc/self/auxv", O_RDONLY | O_CLOEXEC);
	uint64_t v = fallback;

	if (fd < 0)
		return fallback;
	while (read(fd, pair, sizeof(pair)) == (ssize_t)sizeof(pair) &&
	       pair[0] != AT_NULL)
		if (pair[0] == type) {
			v = pair[1];
			break;
		}
	close(fd);
	return v;
}

static int create_elf_tables(struct mmsim_process *p, struct bprm *b,
			     const struct elf_tables_in *t)
{
	static const char platform[] = "x86_64";
	struct mm_struct *mm = p->mm;
	uint64_t aux[AUXV_ENTRIES * 2], *words, pos, sp, u_platform, u_rand;
	uint8_t rand_bytes[16];
	size_t nwords, w = 0, i;
	int items, ei = 0, k;
	long rc;

	pos = b->p & ~(uint64_t)0xf;	/* arch_align_stack(), no random */
	pos -= sizeof(platform);
	u_platform = pos;
	if (mmsim_process_vm_writev(p, p, pos, platform, sizeof(platform)) !=
	    (long)sizeof(platform))
		return -EFAULT;
	/*
	 * DIVERGENCE(linux): the 16 AT_RANDOM bytes are a fixed pattern of
	 * the PID, not get_random_bytes().
	 */
	for (i = 0; i < sizeof(rand_bytes); i++)
		rand_bytes[i] = (uint8_t)(p->pid * 31 + (int)i * 7);
	pos -= sizeof(rand_bytes);
	u_rand = pos;
	if (mmsim_process_vm_writev(p, p, pos, rand_bytes,
				    sizeof(rand_bytes)) !=
	    (long)sizeof(rand_bytes))
		return -EFAULT;

#define AUX(id, val) do { aux[ei++] = (id); aux[ei++] = (val); } while (0)
	/* ARCH_DLINFO of x86-64 first */
	AUX(AT_SYSINFO_EHDR, t->vdso);
	AUX(AT_MINSIGSTKSZ, host_auxval(AT_MINSIGSTKSZ, 0xd30));
	/*
	 * DIVERGENCE(linux): the CPU's capabilities and the rseq sizes are
	 * the host's (mmsim's own /proc/self/auxv), the ids are mmsim's.
	 */
	AUX(AT_HWCAP, host_auxval(AT_HWCAP, 0));
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_CLKTCK, 100);
	AUX(AT_PHDR, t->phdr_addr);
	AUX(AT_PHENT, sizeof(Elf64_Phdr));
	AUX(AT_PHNUM, t->e_phnum);
	AUX(AT_BASE, t->interp_load_addr);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, t->e_entry);
	AUX(AT_UID, getuid());
	AUX(AT_EUID, geteuid());
	AUX(AT_GID, getgid());
	AUX(AT_EGID, getegid());
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, u_rand);
	AUX(AT_HWCAP2, host_auxval(AT_HWCAP2, 0));
	AUX(AT_EXECFN, b->exec);
	AUX(AT_PLATFORM, u_platform);
	AUX(MMSIM_AT_RSEQ_FEATURE_SIZE,
	    host_auxval(MMSIM_AT_RSEQ_FEATURE_SIZE, 0x1c));
	AUX(MMSIM_AT_RSEQ_ALIGN, host_auxval(MMSIM_AT_RSEQ_ALIGN, 0x20));
	AUX(AT_NULL, 0);
#undef AUX

	sp = pos - (uint64_t)ei * sizeof(uint64_t);
	items = (b->argc + 1) + (b->envc + 1) + 1;
	sp = (sp - (uint64_t)items * sizeof(uint64_t)) & ~(uint64_t)0xf;
	b->p = sp;
	if (sp < b->vma->vm_start && expand_downwards(b->vma, sp))
		return -EFAULT;

	nwords = (size_t)items + (size_t)ei;
	words = calloc(nwords, sizeof(*words));
	if (!words)
		return -ENOMEM;
	words[w++] = (uint64_t)b->argc;
	pos = mm->arg_start;
	for (k = 0; k < b->argc; k++) {
		words[w++] = pos;
		pos += strlen(b->argv[k]) + 1;
	}
	words[w++] = 0;
	mm->arg_end = mm->env_start = pos;
	for (k = 0; k < b->envc; k++) {
		words[w++] = pos;
		pos += strlen(b->envp[k]) + 1;
	}
	words[w++] = 0;
	mm->env_end = pos;
	memcpy(&words[w], aux, (size_t)ei * sizeof(uint64_t));
	rc = mmsim_process_vm_writev(p, p, sp, words,
				     nwords * sizeof(*words));
	free(words);
	return rc == (long)(nwords * sizeof(uint64_t)) ? 0 : -EFAULT;
}

/* ---- load_elf_binary() ---- */

static int read_interp_name(struct elf_image *img, const Elf64_Phdr *ph,
			    char **out)
{
	char *name;
	int rc;

	if (ph->p_filesz > PATH_MAX || ph->p_filesz < 2)
		return -ENOEXEC;
	name = malloc(ph->p_filesz);
	if (!name)
		return -ENOMEM;
	kernel_read_cache(img, ph->p_offset, ph->p_filesz);
	rc = read_full(img->fd, name, ph->p_filesz, (off_t)ph->p_offset);
	if (rc < 0) {
		free(name);
		return rc;
	}
	if (name[ph->p_filesz - 1] != '\0') {
		free(name);
		return -ENOEXEC;
	}
	*out = name;
	return 0;
}

static int load_elf_binary(struct mmsim_process *p, struct bprm *b,
			   struct elf_image *img)
{
	struct mm_struct *mm = p->mm;
	struct elf_image interp = { .fd = -1 };
	bool have_interp = false, first_pt_load = true;
	int executable_stack = EXSTACK_DEFAULT, i, rc;
	uint64_t load_bias = 0, phdr_addr = 0, elf_brk = 0, e_entry;
	uint64_t start_code = UINT64_MAX, end_code = 0, start_data = 0;
	uint64_t end_data = 0, interp_load_addr = 0;
	struct elf_tables_in t;
	int64_t vdso;

	for (i = 0; i < img->ex.e_phnum; i++) {
		char *name = NULL;

		if (img->ph[i].p_type != PT_INTERP)
			continue;
		rc = read_interp_name(img, &img->ph[i], &name);
		if (rc)
			goto out;
		rc = elf_image_open(mm->machine, name, &interp, -ELIBBAD);
		free(name);
		if (rc)
			goto out;
		have_interp = true;
		break;
	}
	for (i = 0; i < img->ex.e_phnum; i++)
		if (img->ph[i].p_type == PT_GNU_STACK)
			executable_stack = (img->ph[i].p_flags & PF_X) ?
						   EXSTACK_ENABLE_X :
						   EXSTACK_DISABLE_X;
	/*
	 * parse_elf_properties(): the interpreter's PT_GNU_PROPERTY if there
	 * is an interpreter, else the program's; a note over 1 KiB is
	 * refused. DIVERGENCE(linux): its contents are not checked (x86
	 * reads no property that changes the layout: shadow stacks are
	 * enabled later by arch_prctl()).
	 */
	{
		struct elf_image *pi = have_interp ? &interp : img;

		for (i = 0; i < pi->ex.e_phnum; i++) {
			if (pi->ph[i].p_type != PT_GNU_PROPERTY)
				continue;
			if (pi->ph[i].p_filesz > 1024) {
				rc = -ENOEXEC;
				goto out;
			}
			kernel_read_cache(pi, pi->ph[i].p_offset,
					  pi->ph[i].p_filesz);
		}
	}

	/*
	 * SET_PERSONALITY of x86-64 (set_personality_64bit()) drops
	 * READ_IMPLIES_EXEC; elf_read_implies_exec() is false for 64-bit
	 * programs, so a 64-bit exec never has it (seen live: personality
	 * 0x440000 before the exec, 0x40000 after, and a rw-p stack).
	 */
	p->personality &= ~(unsigned long)READ_IMPLIES_EXEC;
	/* setup_new_exec(): the mmap layout from today's rlimits */
	arch_pick_mmap_layout(p);
	rc = setup_arg_pages(p, b, executable_stack);
	if (rc)
		goto out;

	for (i = 0; i < img->ex.e_phnum; i++) {
		const Elf64_Phdr *ph = &img->ph[i];
		int prot = make_prot(ph->p_flags), flags = MAP_PRIVATE;
		uint64_t vaddr = ph->p_vaddr, total_size = 0, k, alignment;
		int64_t addr;

		if (ph->p_type != PT_LOAD)
			continue;
		if (!first_pt_load) {
			flags |= MAP_FIXED;
		} else if (img->ex.e_type == ET_EXEC) {
			flags |= MAP_FIXED_NOREPLACE;
		} else {
			total_size = total_mapping_size(img->ph,
							img->ex.e_phnum);
			if (!total_size) {
				rc = -EINVAL;
				goto out;
			}
			alignment = maximum_alignment(img->ph, img->ex.e_phnum);
			if (have_interp) {
				load_bias = ELF_ET_DYN_BASE;
				if (alignment)
					load_bias &= ~(alignment - 1);
				flags |= MAP_FIXED_NOREPLACE;
			} else if (alignment > ELF_MIN_ALIGN) {
				/* find where it would go, then align that */
				addr = elf_load(p, img->file, 0, ph, prot,
						flags, total_size);
				if (BAD_ADDR(addr)) {
					rc = addr < 0 ? (int)addr : -EINVAL;
					goto out;
				}
				vm_munmap(p, (uint64_t)addr, total_size);
				load_bias = (uint64_t)addr & ~(alignment - 1);
				flags |= MAP_FIXED_NOREPLACE;
			} else {
				load_bias = 0;
			}
			load_bias = ELF_PAGESTART(load_bias - vaddr);
		}
		addr = elf_load(p, img->file, load_bias + vaddr, ph, prot,
				flags, total_size);
		if (BAD_ADDR(addr)) {
			rc = addr < 0 ? (int)addr : -EINVAL;
			goto out;
		}
		if (first_pt_load) {
			first_pt_load = false;
			if (img->ex.e_type == ET_DYN)
				load_bias += (uint64_t)addr -
					     ELF_PAGESTART(load_bias + vaddr);
		}
		if (ph->p_offset <= img->ex.e_phoff &&
		    img->ex.e_phoff < ph->p_offset + ph->p_filesz)
			phdr_addr = img->ex.e_phoff - ph->p_offset + vaddr;
		k = vaddr;
		if ((ph->p_flags & PF_X) && k < start_code)
			start_code = k;
		if (start_data < k)
			start_data = k;
		if (BAD_ADDR(k) || ph->p_filesz > ph->p_memsz ||
		    ph->p_memsz > TASK_SIZE_47 ||
		    TASK_SIZE_47 - ph->p_memsz < k) {
			rc = -EINVAL;
			goto out;
		}
		k = vaddr + ph->p_filesz;
		if ((ph->p_flags & PF_X) && end_code < k)
			end_code = k;
		if (end_data < k)
			end_data = k;
		k = vaddr + ph->p_memsz;
		if (k > elf_brk)
			elf_brk = k;
	}

	e_entry = img->ex.e_entry + load_bias;
	phdr_addr += load_bias;
	elf_brk += load_bias;
	start_code += load_bias;
	end_code += load_bias;
	start_data += load_bias;
	end_data += load_bias;

	if (have_interp) {
		int64_t r = load_elf_interp(p, &interp, load_bias);

		if (BAD_ADDR(r)) {
			rc = r < 0 ? (int)r : -EINVAL;
			goto out;
		}
		interp_load_addr = (uint64_t)r;
	}

	vdso = map_vdso(p);
	if (BAD_ADDR(vdso)) {
		rc = vdso < 0 ? (int)vdso : -ENOMEM;
		goto out;
	}
	rc = map_vsyscall(p);
	if (rc)
		goto out;

	t.phdr_addr = phdr_addr;
	t.e_entry = e_entry;
	t.interp_load_addr = interp_load_addr;
	t.vdso = (uint64_t)vdso;
	t.e_phnum = img->ex.e_phnum;
	rc = create_elf_tables(p, b, &t);
	if (rc)
		goto out;
	mm->end_code = end_code;
	mm->start_code = start_code;
	mm->start_data = start_data;
	mm->end_data = end_data;
	mm->start_stack = b->p;
	/*
	 * A loader run directly (a static PIE: ET_DYN without PT_INTERP)
	 * has its brk moved out of the mmap region to ELF_ET_DYN_BASE, with
	 * ASLR off too (6.15's fix for brk colliding with the vDSO). With
	 * PF_RANDOMIZE, brk would also be randomised (and moved a page up
	 * otherwise): never here, ASLR is off.
	 */
	if (img->ex.e_type == ET_DYN && !have_interp)
		elf_brk = ELF_ET_DYN_BASE;
	mm->start_brk = mm->brk = ELF_PAGEALIGN(elf_brk);
out:
	elf_image_close(&interp);
	return rc;
}

/* do_execveat_common(): count, check and copy the strings, then load. */
static int do_execve(struct mmsim_process *p, const char *path,
		     const char *const *argv, const char *const *envp)
{
	static const char *const empty[] = { "", NULL };
	struct elf_image img;
	struct bprm b;
	const char *base;
	int rc;

	memset(&b, 0, sizeof(b));
	b.filename = path;
	b.argv = argv;
	b.envp = envp;
	while (argv && argv[b.argc])
		if (++b.argc >= MAX_ARG_STRINGS)
			return -E2BIG;
	while (envp && envp[b.envc])
		if (++b.envc >= MAX_ARG_STRINGS)
			return -E2BIG;

	rc = elf_image_open(p->machine, path, &img, -ENOEXEC);
	if (rc)
		goto out;
	rc = bprm_mm_init(p, &b);
	if (rc)
		goto out;
	rc = bprm_stack_limits(p, &b);
	if (rc)
		goto out;
	rc = copy_string(p, &b, path);
	if (rc)
		goto out;
	b.exec = b.p;
	rc = copy_strings(p, &b, b.envc, envp);
	if (rc)
		goto out;
	rc = copy_strings(p, &b, b.argc, argv);
	if (rc)
		goto out;
	if (b.argc == 0) {
		/* an empty argv gets "" as argv[0] */
		rc = copy_string(p, &b, "");
		if (rc)
			goto out;
		b.argc = 1;
		b.argv = empty;
	}
	base = strrchr(path, '/');
	snprintf(p->comm, sizeof(p->comm), "%s", base ? base + 1 : path);
	rc = load_elf_binary(p, &b, &img);
out:
	elf_image_close(&img);
	return rc;
}

struct mmsim_process *mmsim_spawn_elf(struct mmsim_machine *m,
				      const char *path,
				      const char *const argv[],
				      const char *const envp[], int *err)
{
	struct mmsim_process *p;
	int rc;

	if (!m || !path) {
		if (err)
			*err = -EINVAL;
		return NULL;
	}
	p = process_alloc(m, "mmsim");
	if (!p) {
		if (err)
			*err = -ENOMEM;
		return NULL;
	}
	rc = do_execve(p, path, argv, envp);
	if (err)
		*err = rc;
	if (rc) {
		process_free(p);
		return NULL;
	}
	syscall_exit(p);
	return p;
}

/*
 * execve() in an existing process: a new mm is built (what mm_init()
 * inherits: VM_NOHUGEPAGE in def_flags, the THP-disable and MDWE flags)
 * and replaces the old one when the exec succeeds; rlimits, file
 * descriptors, the personality (less READ_IMPLIES_EXEC) and the fault
 * counts stay with the process.
 */
int mmsim_execve(struct mmsim_process *p, const char *path,
		 const char *const argv[], const char *const envp[])
{
	struct mm_struct *old, *mm;
	unsigned long personality;
	uint32_t pkru;
	char comm[sizeof(p->comm)];
	int rc;

	if (!p || !path)
		return -EFAULT;
	old = p->mm;
	mm = mm_alloc(p);
	if (!mm)
		return -ENOMEM;
	mm->def_flags = old->def_flags & VM_NOHUGEPAGE;
	mm->flags = old->flags & (MMF_DISABLE_THP |
				  MMF_DISABLE_THP_EXCEPT_ADVISED |
				  MMF_HAS_MDWE);
	memcpy(comm, p->comm, sizeof(comm));
	personality = p->personality;
	pkru = p->pkru;
	p->mm = mm;
	/* begin_new_exec(): the new FPU state carries the initial PKRU */
	p->pkru = init_pkru_value(p->machine);
	p->exec_old_mm = old;
	rc = do_execve(p, path, argv, envp);
	p->exec_old_mm = NULL;
	if (rc) {
		/*
		 * DIVERGENCE(linux): past begin_new_exec() (a failure to
		 * map the program or its interpreter) Linux has dropped the
		 * old mm and kills the process; the model gives the error
		 * back with the old mm, as an early failure does.
		 */
		p->mm = old;
		p->personality = personality;
		p->pkru = pkru;
		memcpy(p->comm, comm, sizeof(comm));
		mm_free(mm);
		syscall_exit(p);
		return rc;
	}
	mm_free(old);
	syscall_exit(p);
	return 0;
}
