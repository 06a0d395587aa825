/* command.h - `smrbench run`. */
#ifndef RUN_COMMAND_H
#define RUN_COMMAND_H

/* argv[0] is "run"; full_argv is main's, for re-executing under another
   allocator (--alloc). The exit status (cli.h's EXIT_*). */
int cmd_run(int argc, char **argv, char **full_argv);

#endif /* RUN_COMMAND_H */
