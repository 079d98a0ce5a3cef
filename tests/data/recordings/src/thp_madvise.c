/* 8 MiB with MADV_HUGEPAGE, written; then part of it given back */
#include <string.h>
#include <sys/mman.h>
int main(void)
{
	size_t len = 8 << 20;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a = (char *)(((unsigned long)p + (2 << 20) - 1) & ~((2UL << 20) - 1));
	madvise(a, 4 << 20, MADV_HUGEPAGE);
	memset(a, 1, 4 << 20);
	madvise(a + (1 << 20), 4096, MADV_DONTNEED);
	munmap(a + (3 << 20), 1 << 20);
	return 0;
}
