/* Builds an address space with many kinds of VMAs, prints its pid, waits. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <fcntl.h>
int main(int argc, char **argv)
{
	int mode = argc > 1 ? atoi(argv[1]) : 0;
	char *h = sbrk(0);
	sbrk(4096 * 8);
	mprotect(h + 4096 * 2, 4096, PROT_READ);	/* split the heap */
	char *s = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	s[0] = 1;
	char *l = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mlock(l, 2 * 4096);
	char *lf = mmap(NULL, 2 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mlock2(lf, 2 * 4096, MLOCK_ONFAULT);
	char *t = mmap(NULL, 4 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	madvise(t, 4 << 20, MADV_HUGEPAGE);
	t[0] = 1;
	char *t3 = mmap(NULL, 6 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	madvise(t3 + (1 << 20), 3 << 20, MADV_HUGEPAGE);	/* unaligned 3 MiB piece */
	char *t2 = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	madvise(t2, 1 << 20, MADV_HUGEPAGE);
	char *nh = mmap(NULL, 4 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	madvise(nh, 4 << 20, MADV_NOHUGEPAGE);
	char *d = mmap(NULL, 4096 * 6, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	madvise(d, 4096, MADV_DONTFORK);
	madvise(d + 4096, 4096, MADV_DONTDUMP);
	madvise(d + 2 * 4096, 4096, MADV_WIPEONFORK);
	madvise(d + 3 * 4096, 4096, MADV_RANDOM);
	madvise(d + 4 * 4096, 4096, MADV_SEQUENTIAL);
	int fd = open("/tmp/mmsim-fixture/shared.dat", O_RDWR | O_CREAT, 0644);
	ftruncate(fd, 3 * 8192);
	char *f = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *fro = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 8192);
	int fd2 = open("/tmp/mmsim-fixture/gone.dat", O_RDWR | O_CREAT, 0644);
	ftruncate(fd2, 8192);
	char *g = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd2, 0);
	g[0] = 1;
	unlink("/tmp/mmsim-fixture/gone.dat");
	char *gro = mmap(NULL, 8192, PROT_READ, MAP_SHARED, open("/tmp/mmsim-fixture/shared.dat", O_RDONLY), 0);
	char *sealed = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	syscall(462, sealed, 4096, 0);
	char *drop = mmap(NULL, 4096, PROT_READ | PROT_WRITE, 0x08 | MAP_ANONYMOUS, -1, 0);
	char *gd = mmap(NULL, 4096 * 4, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0);
	char *ex = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int memfd = memfd_create("fixture", 0);
	ftruncate(memfd, 4096);
	char *mf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	char *stk = mmap(NULL, 4096 * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	char *pop = mmap(NULL, 4096 * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | MAP_LOCKED, -1, 0);
	char *rwprot = mmap(NULL, 4096 * 3, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(rwprot + 4096, 4096, PROT_READ | PROT_WRITE);	/* gains ac */
	(void)f; (void)fro; (void)gro; (void)drop; (void)gd; (void)ex; (void)mf; (void)t2; (void)nh; (void)stk; (void)pop;
	if (mode == 1)
		mlockall(MCL_CURRENT);
	printf("%d\n", getpid());
	fflush(stdout);
	pause();
	return 0;
}
