/* plot_data.h - turn a checked results folder into gnuplot data blocks and
   the variables the plot/ scripts read (meta.gp). */
#ifndef PLOT_DATA_H
#define PLOT_DATA_H

#include <stdbool.h>
#include <stddef.h>

#include "runset/runset.h"

/* The figures, each drawn by plot/<name>.gp into <name>.png, .svg and .pdf. */
enum plot_figure { FIG_THROUGHPUT, FIG_MEMORY, FIG_RSS, FIG_LATENCY, FIG_BALANCE, FIG_PUBLISH,
                   FIG_COUNT };
extern const char *const plot_figure_names[FIG_COUNT];

/* Write datadir/<figure>.dat and datadir/meta.gp from the ok results of in
   (runset_open with RUNSET_SUMMARY); draw[f] says which figures the folder
   has data for. False with the reason in err (such as no ok result). */
bool plot_data_write(const struct runset *in, const char *datadir, bool draw[FIG_COUNT],
                     char *err, size_t errlen);

#endif /* PLOT_DATA_H */
