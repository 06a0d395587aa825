/* csv_read.h - read a results CSV (summary.csv, series.csv) by column name. */
#ifndef CSV_READ_H
#define CSV_READ_H

#include <stdbool.h>
#include <stddef.h>

/* The whole file in memory, split in place: fields as smrbench writes them
   (no quoting; empty means "does not apply"). Nothing is checked here but
   the split; runset_csv.c checks the fields. */
struct csv {
    char *text;
    char **header;
    size_t ncols;
    char ***rows;               /* rows[r][c]; a short row's missing fields read as "" */
    size_t *nfields;            /* per row: the fields it really has */
    size_t *line;               /* per row: its line in the file (the header is line 1) */
    size_t nrows;
    bool cut_short;             /* the last line has no newline: the file was cut */
};

/* Returns false with a reason in err when the file cannot be read. */
bool csv_load(const char *path, struct csv *c, char *err, size_t errlen);
void csv_free(struct csv *c);
/* Column index of name, or -1. */
int csv_col(const struct csv *c, const char *name);
/* The field, "" when the column is missing (col < 0). */
const char *csv_str(const struct csv *c, size_t row, int col);
/* The field as a number; NaN when empty, missing or not a number. */
double csv_num(const struct csv *c, size_t row, int col);

#endif /* CSV_READ_H */
