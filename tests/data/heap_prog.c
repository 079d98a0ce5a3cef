#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <fcntl.h>
int main(int argc,char**argv){
  char *sb = sbrk(0);
  int mode = atoi(argv[1]);
  
  if (mode==1) { mmap(sb, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0); }
  if (mode==2) { static char save[4096]; char *pg=sb-4096; memcpy(save,pg,4096); char *m=mmap(pg, 4096, PROT_READ|PROT_WRITE|PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0); memcpy(m,save,4096); sbrk(4096);}
  if (mode==3) { static char save[4096]; char *pg=sb-4096; memcpy(save,pg,4096); char *m=mmap(pg, 4096*2, PROT_READ|PROT_WRITE|PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0); memcpy(m,save,4096);}
  if (mode==4) { sbrk(4096); mmap(sb+4096, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0); }
  if (mode==5) { sbrk(8192); sbrk(-8192); mmap(sb, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0);}
  
  {char t[64];int k=snprintf(t,64,"%d\n",getpid());write(1,t,k);}
  pause();
  return 0;
}
