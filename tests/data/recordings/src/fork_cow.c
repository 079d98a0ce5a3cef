/* fork: the child writes half of a 1 MiB buffer (copy on write) */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void)
{
	char *p = malloc(1 << 20);
	memset(p, 1, 1 << 20);
	pid_t c = fork();
	if (c == 0) {
		memset(p, 2, 1 << 19);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	return 0;
}
