/* four threads, each mallocs and frees in its own arena */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
static void *work(void *arg)
{
	for (int i = 0; i < 50; i++) {
		char *p = malloc(100000 + i * 1000);
		memset(p, i, 100000);
		free(p);
	}
	return arg;
}
int main(void)
{
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, work, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	return 0;
}
