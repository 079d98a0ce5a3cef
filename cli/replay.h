/* mmsim replay: replays a recording, and asks what-if (see docs/replay.md). */
#ifndef MMSIM_CLI_REPLAY_H
#define MMSIM_CLI_REPLAY_H

/* Entry point of `mmsim replay`; argv[0] is "replay". Returns the exit
 * status: 0 no difference, 1 a difference, 2 bad input or usage. */
int cmd_replay(int argc, char **argv);

#endif /* MMSIM_CLI_REPLAY_H */
