/*
 * merge_csv.c - summary.csv and series.csv of a merged set: every input's
 * rows, in input order, under one header. Columns are only ever added at
 * the end (docs/results.md), so the newest header is the one with the
 * most columns; the others' columns are found in it by name (a column it
 * lacks is bad input), and what an older file lacks is left empty, but
 * the machine column, which is filled with the input's machine.
 */
#include "merge_set.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static const struct csv *table(const struct merge_input *in, bool series)
{
    return series ? &in->rs.series : &in->rs.summary;
}

static const char *file_name(bool series)
{
    return series ? "series.csv" : "summary.csv";
}

/* The input whose header has the most columns. */
static size_t newest(const struct merge *m, bool series)
{
    size_t best = 0;
    for (size_t i = 1; i < m->nin; i++)
        if (table(&m->in[i], series)->ncols > table(&m->in[best], series)->ncols)
            best = i;
    return best;
}

bool merge_csv_check(const struct merge *m)
{
    for (int series = 0; series < 2; series++) {
        const struct csv *top = table(&m->in[newest(m, series)], series);
        for (size_t i = 0; i < m->nin; i++) {
            const struct csv *c = table(&m->in[i], series);
            for (size_t k = 0; k < c->ncols; k++)
                if (csv_col(top, c->header[k]) < 0)
                    return util_fail(MERGE_WHO, NULL, "%s/%s has a column '%s' that the newest "
                                     "header (%s/%s) lacks; allowed: files whose columns are "
                                     "those of one smrbench version or an older one",
                                     m->in[i].dir, file_name(series), c->header[k],
                                     m->in[newest(m, series)].dir, file_name(series));
        }
    }
    return true;
}

void merge_csv_write(FILE *f, const struct merge *m, bool series)
{
    const struct csv *top = table(&m->in[newest(m, series)], series);
    bool add_machine = csv_col(top, "machine") < 0;
    for (size_t k = 0; k < top->ncols; k++)
        fprintf(f, "%s%s", k ? "," : "", top->header[k]);
    fprintf(f, "%s\n", add_machine ? ",machine" : "");
    int *from = util_xmalloc((top->ncols + 1) * sizeof(*from));
    for (size_t i = 0; i < m->nin; i++) {
        const struct csv *c = table(&m->in[i], series);
        for (size_t k = 0; k < top->ncols; k++)
            from[k] = csv_col(c, top->header[k]);
        for (size_t r = 0; r < c->nrows; r++) {
            for (size_t k = 0; k <= top->ncols; k++) {
                bool machine = k == top->ncols ? add_machine
                                               : strcmp(top->header[k], "machine") == 0;
                if (k == top->ncols && !machine)
                    break;
                const char *v = k < top->ncols ? csv_str(c, r, from[k]) : "";
                fprintf(f, "%s%s", k ? "," : "", machine && !*v ? m->in[i].machine : v);
            }
            fputc('\n', f);
        }
    }
    free(from);
}
