/* mmsim repl: the script language interactively (see cli/repl.c). */
#ifndef MMSIM_CLI_REPL_H
#define MMSIM_CLI_REPL_H

/* Entry point of `mmsim repl`; argv[0] is "repl". Returns the exit status. */
int cmd_repl(int argc, char **argv);

#endif /* MMSIM_CLI_REPL_H */
