/* a memfd mapped shared twice, written through one, mlocked */
#define _GNU_SOURCE
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
int main(void)
{
	int fd = memfd_create("buf", MFD_CLOEXEC);
	ftruncate(fd, 1 << 20);
	char *a = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *b = mmap(NULL, 1 << 20, PROT_READ, MAP_SHARED, fd, 0);
	memset(a, 7, 1 << 19);
	mlock(b, 65536);
	mprotect(a, 4096, PROT_READ);
	munmap(a, 1 << 20);
	return b[100] == 7 ? 0 : 1;
}
