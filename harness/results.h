/* results.h - the results folder (summary.csv, series.csv, run.json) and stdout formats. */
#ifndef RESULTS_H
#define RESULTS_H

#include <stdio.h>

#include "cli.h"
#include "run.h"

/* Resolve and create the results folder before anything runs, so a bad -o
   fails at once. Returns false after printing one line (exit 2). */
bool results_prepare_dir(const struct run_options *o, char *dir, size_t len);
/* Write the three files, each atomically (temporary file, then rename). */
bool results_write(const char *dir, const struct run_options *o, const struct sweep *sw);
/* stdout in the chosen format. */
void results_print(FILE *out, const struct run_options *o, const struct sweep *sw);

#endif /* RESULTS_H */
