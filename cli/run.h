/* mmsim run: runs a script (see docs/scripts.md). */
#ifndef MMSIM_CLI_RUN_H
#define MMSIM_CLI_RUN_H

/* Entry point of `mmsim run`; argv[0] is "run". Returns the exit status. */
int cmd_run(int argc, char **argv);

#endif /* MMSIM_CLI_RUN_H */
