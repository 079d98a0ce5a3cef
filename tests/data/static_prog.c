/* Built with gcc -static -O1: the live_static fixture. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
	void *p = malloc(100000);

	(void)p;
	printf("%d\n", getpid());
	fflush(stdout);
	pause();
	return 0;
}
