/* Temporary stubs for public entry points not yet implemented; each is removed as its real file lands. */
#include <errno.h>
#include "mm/internal.h"

struct mmsim_machine * mmsim_machine_create(const struct mmsim_config *cfg)
{
	return NULL;
}

void mmsim_machine_destroy(struct mmsim_machine *m)
{
	return;
}

int mmsim_knob_set(struct mmsim_machine *m, const char *name, const char *value)
{
	return -ENOSYS;
}

int mmsim_knob_get(struct mmsim_machine *m, const char *name, char *buf, size_t size)
{
	return -ENOSYS;
}

struct mmsim_process * mmsim_spawn(struct mmsim_machine *m, const char *comm)
{
	return NULL;
}

struct mmsim_process * mmsim_spawn_import(struct mmsim_machine *m, const struct mmsim_import *imp, char *err, size_t errsize)
{
	return NULL;
}

int mmsim_process_pid(const struct mmsim_process *p)
{
	return -ENOSYS;
}

void mmsim_exit(struct mmsim_process *p)
{
	return;
}

struct mmsim_process * mmsim_process_find(struct mmsim_machine *m, int pid)
{
	return NULL;
}

int mmsim_setrlimit(struct mmsim_process *p, int resource, const struct mmsim_rlimit *lim)
{
	return -ENOSYS;
}

int mmsim_getrlimit(struct mmsim_process *p, int resource, struct mmsim_rlimit *lim)
{
	return -ENOSYS;
}

void mmsim_set_capable(struct mmsim_process *p, int cap, bool on)
{
	return;
}

int mmsim_file_create(struct mmsim_machine *m, const char *path, enum mmsim_file_kind kind, uint32_t dev_major, uint32_t dev_minor, uint64_t ino, uint64_t size)
{
	return -ENOSYS;
}

int mmsim_open(struct mmsim_process *p, const char *path, int flags)
{
	return -ENOSYS;
}

int mmsim_open_at_fd(struct mmsim_process *p, const char *path, int flags, int fd)
{
	return -ENOSYS;
}

int mmsim_close(struct mmsim_process *p, int fd)
{
	return -ENOSYS;
}

int mmsim_ftruncate(struct mmsim_process *p, int fd, uint64_t size)
{
	return -ENOSYS;
}

int mmsim_unlink(struct mmsim_machine *m, const char *path)
{
	return -ENOSYS;
}

long mmsim_mmap(struct mmsim_process *p, uint64_t addr, uint64_t len, uint64_t prot, uint64_t flags, long fd, uint64_t off)
{
	return -ENOSYS;
}

long mmsim_munmap(struct mmsim_process *p, uint64_t addr, uint64_t len)
{
	return -ENOSYS;
}

long mmsim_mprotect(struct mmsim_process *p, uint64_t addr, uint64_t len, uint64_t prot)
{
	return -ENOSYS;
}

long mmsim_pkey_mprotect(struct mmsim_process *p, uint64_t addr, uint64_t len, uint64_t prot, long pkey)
{
	return -ENOSYS;
}

long mmsim_pkey_alloc(struct mmsim_process *p, uint64_t flags, uint64_t init_rights)
{
	return -ENOSYS;
}

long mmsim_pkey_free(struct mmsim_process *p, long pkey)
{
	return -ENOSYS;
}

long mmsim_mremap(struct mmsim_process *p, uint64_t old_addr, uint64_t old_len, uint64_t new_len, uint64_t flags, uint64_t new_addr)
{
	return -ENOSYS;
}

long mmsim_brk(struct mmsim_process *p, uint64_t brk)
{
	return -ENOSYS;
}

long mmsim_madvise(struct mmsim_process *p, uint64_t addr, uint64_t len, long advice)
{
	return -ENOSYS;
}

long mmsim_mlock(struct mmsim_process *p, uint64_t addr, uint64_t len)
{
	return -ENOSYS;
}

long mmsim_mlock2(struct mmsim_process *p, uint64_t addr, uint64_t len, uint64_t flags)
{
	return -ENOSYS;
}

long mmsim_munlock(struct mmsim_process *p, uint64_t addr, uint64_t len)
{
	return -ENOSYS;
}

long mmsim_mlockall(struct mmsim_process *p, uint64_t flags)
{
	return -ENOSYS;
}

long mmsim_munlockall(struct mmsim_process *p)
{
	return -ENOSYS;
}

long mmsim_msync(struct mmsim_process *p, uint64_t addr, uint64_t len, uint64_t flags)
{
	return -ENOSYS;
}

long mmsim_mseal(struct mmsim_process *p, uint64_t addr, uint64_t len, uint64_t flags)
{
	return -ENOSYS;
}

long mmsim_set_anon_vma_name(struct mmsim_process *p, uint64_t addr, uint64_t len, const char *name)
{
	return -ENOSYS;
}

int mmsim_access(struct mmsim_process *p, uint64_t addr, enum mmsim_access_kind kind, struct mmsim_fault_result *res)
{
	return -ENOSYS;
}

int mmsim_proc_maps(struct mmsim_process *p, FILE *out)
{
	return -ENOSYS;
}

int mmsim_proc_smaps(struct mmsim_process *p, FILE *out)
{
	return -ENOSYS;
}

int mmsim_proc_smaps_rollup(struct mmsim_process *p, FILE *out)
{
	return -ENOSYS;
}

int mmsim_proc_status(struct mmsim_process *p, FILE *out)
{
	return -ENOSYS;
}

int mmsim_map_count(struct mmsim_process *p)
{
	return -ENOSYS;
}

bool mmsim_validate(struct mmsim_process *p)
{
	return true;
}
