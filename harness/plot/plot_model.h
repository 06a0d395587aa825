/* plot_model.h - what the figures are drawn from: a checked results folder
   (runset.h) grouped into panels, one per (machine, structure, mix), and
   schemes, the ok results only; and the writing of data files and meta.gp,
   the gnuplot variables the plot/ scripts read. Used by plot_data.c and
   plot_series.c.
 *
 * A set of one machine (or of files without a machine column) has a panel
 * per (structure, mix), its group. A set of several machines (merged) has
 * a panel per machine in each group: the scripts draw a group as a row
 * with a column per machine, and every panel of a group gets the same axis
 * ranges (figure_close), so that the machines read across. */
#ifndef PLOT_MODEL_H
#define PLOT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "plot_data.h"
#include "runset/runset.h"

/* Schemes, panels and thread counts per panel a figure shows. */
#define PLOT_MAX 64

struct panel {
    const char *structure, *mix;
    const char *machine;        /* the rows' machine column; NULL in a group */
    size_t group;               /* index into model.groups */
    size_t machine_index;       /* index into model.machines */
    unsigned threads[PLOT_MAX]; /* ascending */
    size_t nthreads;
    unsigned top;               /* the most threads: what one-configuration figures show */
};

/* summary.csv columns the figures use. */
enum { C_OPS, C_OVERSUB, C_P50, C_P99, C_P999, C_MAX, C_ALLOC, C_PUB50, C_PUB99, C_PUBMAX,
       C_WAIT50, C_WAIT99, C_WAITMAX, C_APPLY50, C_APPLY99, C_APPLYMAX, C_NCOLS };

struct model {
    const struct runset *in;
    const struct csv *s;        /* in->summary */
    int col[C_NCOLS];           /* -1 when the column is absent */
    const char *schemes[PLOT_MAX];
    size_t nschemes;
    const char *machines[PLOT_MAX]; /* in the order the rows name them */
    size_t nmachines;
    struct panel groups[PLOT_MAX];  /* per (structure, mix): every machine's thread counts */
    size_t ngroups;
    struct panel panels[PLOT_MAX];  /* by group, then machine */
    size_t npanels;
    int *row_panel, *row_scheme; /* per summary row; -1 for a result that is not ok */
    double *scratch;            /* nrows values */
    size_t left_out[3];         /* results per runset_status left out (ok: 0) */
    const char *datadir;
    FILE *meta;
    char *err;
    size_t errlen;
};

/* Group the ok results; false with the reason in m->err. */
bool model_build(struct model *m);
void model_free(struct model *m);
/* Sets m->err; returns false. */
__attribute__((format(printf, 2, 3))) bool model_fail(struct model *m, const char *fmt, ...);

/* ---- statistics over the ok results of (panel, scheme, threads) ---- */
/* Column c's values over the repetitions, into m->scratch, sorted; empty fields left out. */
size_t collect(const struct model *m, size_t p, size_t s, unsigned threads, int c);
double collect_median(const struct model *m, size_t p, size_t s, unsigned threads, int c);
bool panel_has(const struct model *m, size_t p, size_t s);
/* The smallest rep of an ok result of (panel, scheme, threads), or -1. */
long first_ok_rep(const struct model *m, size_t p, size_t s, unsigned threads);
/* The most repetitions of any configuration: the run's -n. */
size_t most_reps(const struct model *m);

/* ---- meta.gp ---- */
/* A gnuplot double-quoted string (newlines as \n, other control characters dropped). */
void meta_string(FILE *f, const char *s);
/* Append a word to a space-separated list (gnuplot's word()/words()). */
void add_word(char *list, size_t len, const char *w);
bool has_word(const char *list, const char *w);
/* "stack, 50 % reads", "dbmap, writer thread 0", then ", 2 threads" when
   threads > 0; "HOST: " in front when the set has several machines. */
void panel_title(const struct model *m, const struct panel *p, unsigned threads, char *buf,
                 size_t len);
/* What names machine k in a title: run.json's label for it, else the
   machine column's host part (before " (CPU MODEL)"). */
void machine_name(const struct model *m, size_t k, char *buf, size_t len);
/* run.json's description of a machine column's value: the entry of
   "machines" (a merged set) or the "machine" object whose label and CPU
   model make it; NULL when run.json has none. */
json_t *machine_info(const struct model *m, const char *machine);
/* The decade at or below / above v, for log axes. */
double decade_below(double v);
double decade_above(double v);

/* A figure's panel variables: element assignments gather in memory while
   the data are written (a panel without data is left out), then go to
   meta.gp after `<prefix>_n` and the array declarations they need. Every
   figure also gets, per panel, its place in a grid of a row per group and
   a column per machine (`<prefix>_grow`, `<prefix>_mcol`, from 1, and
   `<prefix>_cell`, the position left to right, top to bottom; with one
   machine the panel's number) and `<prefix>_rows`, the groups drawn. */
#define FIGURE_SHARED 4
struct figure_meta {
    FILE *f;
    char *buf;
    size_t len;
    size_t n;                   /* panels so far */
    const char *prefix;
    size_t panel[PLOT_MAX];     /* the model's panel of each */
    struct {                    /* ranges every panel of a group shares */
        const char *name;
        bool most;              /* the largest value of the group, else the smallest */
        double v[PLOT_MAX];
    } shared[FIGURE_SHARED];
    size_t nshared;
};
/* <prefix>_<name>[panel] = value, for the current panel (fm->n, counted from 0). */
void meta_str(struct figure_meta *fm, const char *name, const char *v);
void meta_num(struct figure_meta *fm, const char *name, double v);
/* The same for an axis limit: written at figure_close as the largest (most)
   or smallest value of the panels of the current panel's group. */
void meta_shared(struct figure_meta *fm, const char *name, double v, bool most);
/* The current panel, the model's panel p, is done: the next one begins. */
void figure_panel_done(struct figure_meta *fm, size_t p);
/* Open datadir/<name>.dat and the figure's variables; NULL on failure. */
FILE *figure_open(struct model *m, const char *name, const char *prefix, struct figure_meta *fm);
/* Close both; arrays: the per-panel variable names, NULL-terminated (those
   of meta_shared among them; the grid's are added). A data file without a
   panel is removed. */
bool figure_close(struct model *m, FILE *f, struct figure_meta *fm, const char *name,
                  const char *const *arrays);

/* The memory curves (memory and RSS figures): plot_series.c. */
bool fig_series(struct model *m, bool draw[FIG_COUNT]);

#endif /* PLOT_MODEL_H */
