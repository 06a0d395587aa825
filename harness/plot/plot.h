/* plot.h - `smrbench plot DIR` and `smrbench run --plot`: figures with gnuplot. */
#ifndef PLOT_H
#define PLOT_H

#include <stdbool.h>

/* `smrbench plot DIR` (argv[0] is "plot"). Returns the exit status. */
int cmd_plot(int argc, char **argv);
/* Before a run with --plot: gnuplot and the scripts are there; else one
   line on stderr and false (exit 2), so a long sweep does not end in it. */
bool plot_preflight(void);
/* Draw DIR/plots/ from the results in DIR: 0, EXIT_USAGE for a folder
   without results or no gnuplot (one line on stderr), 1 if drawing failed.
   Nothing is left half-written in DIR/plots. */
int plot_dir(const char *dir, bool quiet);

#endif /* PLOT_H */
