/* mmsim record: records a real run under ptrace (see docs/recording.md). */
#ifndef MMSIM_CLI_RECORD_H
#define MMSIM_CLI_RECORD_H

/* Entry point of `mmsim record`; argv[0] is "record". Returns the exit
 * status: the program's, or 2 on bad usage or a recorder failure. */
int cmd_record(int argc, char **argv);

#endif /* MMSIM_CLI_RECORD_H */
