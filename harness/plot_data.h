/* plot_data.h - turn a results folder into gnuplot data blocks and the
   variables the plot/ scripts read (meta.gp). */
#ifndef PLOT_DATA_H
#define PLOT_DATA_H

#include <stdbool.h>
#include <stddef.h>

#include "csv_read.h"
#include "json_read.h"

/* What a results folder holds: summary.csv is required, the others optional. */
struct plot_results {
    struct csv summary;
    struct csv series;          /* nrows 0 when series.csv is absent */
    struct json *run;           /* NULL when run.json is absent */
};

/* The figures, each drawn by plot/<name>.gp into <name>.png and <name>.svg. */
enum plot_figure { FIG_THROUGHPUT, FIG_MEMORY, FIG_RSS, FIG_LATENCY, FIG_BALANCE, FIG_PUBLISH,
                   FIG_COUNT };
extern const char *const plot_figure_names[FIG_COUNT];

/* The results are usable: summary.csv has the columns plots need and at least
   one row. Else false with the reason in err. */
bool plot_results_check(const struct plot_results *in, char *err, size_t errlen);

/* Write datadir/<figure>.dat and datadir/meta.gp; draw[f] says which figures
   the folder has data for. False with the reason in err. */
bool plot_data_write(const struct plot_results *in, const char *datadir, bool draw[FIG_COUNT],
                     char *err, size_t errlen);

#endif /* PLOT_DATA_H */
