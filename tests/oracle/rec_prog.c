/*
 * A test program for mmsim record (tests/oracle/record_check.c and the
 * corpus in tests/data/recordings/): rec_prog MODE N DUMP
 *   threads N   N threads mapping, touching, protecting and unmapping
 *   thp N       N MiB*2 of MADV_HUGEPAGE memory written, a read-only
 *               region read (the zero page)
 *   misc N      mlock, mremap, System V shm, a shared memfd with msync and
 *               ftruncate, a private file mapping, MADV_DONTNEED/FREE,
 *               fork, vfork+exec, setrlimit, personality
 * and at the end writes its own /proc/self/maps to DUMP with raw calls
 * only (nothing is mapped or unmapped after the read), then exit_group(0).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char buf[1 << 20];

static void *worker(void *arg)
{
	long id = (long)arg;

	for (int i = 0; i < 40; i++) {
		char *p = mmap(NULL, 16 << 12, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char *q;

		if (p == MAP_FAILED)
			abort();
		memset(p, (int)id, 8 << 12);
		mprotect(p, 4096, PROT_READ);
		munmap(p + (8 << 12), 8 << 12);
		q = malloc(1000 + 100 * i);
		q[0] = 1;
		free(q);
		if (i % 8)
			munmap(p, 8 << 12);
	}
	return NULL;
}

static void thp(int n)
{
	size_t sz = (size_t)n << 21;
	char *p = mmap(NULL, sz + (2 << 20), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *z;

	p = (char *)(((unsigned long)p + (2 << 20) - 1) & ~((2UL << 20) - 1));
	madvise(p, sz, MADV_HUGEPAGE);
	for (size_t o = 0; o < sz; o += 4096)
		p[o] = 1;
	z = mmap(NULL, 1 << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (size_t o = 0; o < (1 << 20); o += 8192)
		buf[0] += z[o];
}

static void misc(int n)
{
	struct rlimit rl;
	char *p, *q, *s, *m, *f;
	int id, fd, st;
	pid_t pid;

	p = mmap(NULL, 16 << 12, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mlock(p, 4 << 12);
	munlock(p, 2 << 12);
	q = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(q, 1, 1 << 20);
	mmap(q + (1 << 20), 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
	     MAP_FIXED, -1, 0);
	q = mremap(q, 1 << 20, (size_t)n << 20, MREMAP_MAYMOVE);
	memset(q, 2, (size_t)n << 20);
	madvise(q, 1 << 19, MADV_DONTNEED);
	madvise(q + (1 << 19), 1 << 18, MADV_FREE);
	mprotect(q, 4096, PROT_NONE);

	id = shmget(IPC_PRIVATE, 1 << 20, IPC_CREAT | 0600);
	s = shmat(id, NULL, 0);
	if (s != (void *)-1) {
		memset(s, 3, 1 << 18);
		shmdt(s);
	}
	shmctl(id, IPC_RMID, NULL);

	fd = syscall(SYS_memfd_create, "rec", 0);
	ftruncate(fd, 2 << 20);
	m = mmap(NULL, 2 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	memset(m, 4, 1 << 20);
	msync(m, 1 << 20, MS_SYNC);
	ftruncate(fd, 1 << 20);
	munmap(m + (1 << 20), 1 << 20);

	fd = open("/etc/passwd", O_RDONLY);
	f = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
	buf[1] = f[0];
	close(fd);

	getrlimit(RLIMIT_AS, &rl);
	setrlimit(RLIMIT_AS, &rl);
	personality(0xffffffff);

	pid = fork();
	if (pid == 0) {
		p[8 << 12] = 5;		/* a COW copy */
		q[(size_t)n << 19] = 6;
		_exit(0);
	}
	waitpid(pid, &st, 0);
	pid = vfork();
	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &st, 0);
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 1, fd, len = 0, got;
	pthread_t t[16];

	if (argc < 4 || n < 1 || n > 16)
		return 2;
	if (!strcmp(argv[1], "threads")) {
		/* one malloc arena: a thread's own arena is mapped with
		 * retries that depend on the other threads' timing, which
		 * would make two runs' calls differ */
		mallopt(M_ARENA_MAX, 1);
		for (long i = 0; i < n; i++)
			pthread_create(&t[i], NULL, worker, (void *)i);
		for (long i = 0; i < n; i++)
			pthread_join(t[i], NULL);
	} else if (!strcmp(argv[1], "thp")) {
		thp(n);
	} else {
		misc(n);
	}
	fd = open("/proc/self/maps", O_RDONLY);
	while ((got = read(fd, buf + len, sizeof(buf) - len)) > 0)
		len += got;
	close(fd);
	fd = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	write(fd, buf, len);
	close(fd);
	syscall(SYS_exit_group, 0);
}
