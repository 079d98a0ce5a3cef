/* a growing buffer: glibc's realloc moves it with mremap */
#include <stdlib.h>
#include <string.h>
int main(void)
{
	char *p = NULL;
	for (size_t n = 1 << 18; n <= 16 << 20; n *= 2) {
		p = realloc(p, n);
		memset(p, 3, n);
	}
	free(p);
	return 0;
}
