/* results.h - the formats of the result files (summary.csv, series.csv, run.json) and of stdout. */
#ifndef RESULTS_H
#define RESULTS_H

#include <stdio.h>

#include "cli.h"
#include "sweep.h"

/* summary.csv: the header line, and one cell's row. A row whose cell was
   not measured (failed, or interrupted before its window) keeps its
   identifying columns and leaves the measurement columns empty. */
void results_csv_header(FILE *f);
void results_csv_row(FILE *f, const struct sweep *sw, const struct run_result *r);
/* series.csv: the header line, and one cell's memory curve. */
void results_series_header(FILE *f);
void results_series_rows(FILE *f, const struct sweep *sw, const struct run_result *r);
/* run.json: the whole run with every cell so far. */
void results_json(FILE *f, const struct run_options *o, const struct sweep *sw);
/* stdout in the chosen format. */
void results_print(FILE *out, const struct run_options *o, const struct sweep *sw);
/* The table (results_table.c): medians over the cells measured in full. */
void results_table(FILE *out, const struct sweep *sw);

#endif /* RESULTS_H */
