/* Paths the maps writer must escape or lay out unusually; prints its pid, waits. */
#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>
#include <sys/mman.h>
#include <fcntl.h>
static void *map_file(const char *path, off_t size, off_t off, int unlink_it)
{
	int fd = open(path, O_RDWR | O_CREAT, 0644);
	void *p;

	ftruncate(fd, size);
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, off);
	if (unlink_it)
		unlink(path);
	close(fd);
	return p;
}
int main(void)
{
	map_file("/tmp/mmsim-fixture/new\nline", 4096, 0, 0);
	map_file("/tmp/mmsim-fixture/with space", 4096, 0, 0);
	map_file("/tmp/mmsim-fixture/gone\nnl", 4096, 0, 1);
	map_file("/tmp/mmsim-fixture/sparse", 0x123456790000LL, 0x123456789000LL, 0);
	int mfd = memfd_create("my fd", 0);
	ftruncate(mfd, 4096);
	mmap(NULL, 4096, PROT_READ, MAP_SHARED, mfd, 0);
	int z = open("/dev/zero", O_RDWR);
	mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, z, 0);
	char *zh = mmap(NULL, 4 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE, z, 0);
	madvise(zh, 4 << 20, MADV_HUGEPAGE);
	char *s = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, z, 0);
	mprotect(s, 4096, PROT_READ);
	printf("%d\n", getpid());
	fflush(stdout);
	pause();
	return 0;
}
