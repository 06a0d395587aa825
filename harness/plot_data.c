/* plot_data.c - a results folder as gnuplot data blocks plus meta.gp, the
   variables (panels, their schemes, ranges, footnote) the plot/ scripts read.
 *
 * Every figure is a grid of panels, one per (structure, mix) of the run.
 * A data file holds one block (blocks are separated by two blank lines, so
 * gnuplot's `index` selects them) per (panel, scheme) or per panel; meta.gp
 * says which block is which. The C side does the grouping and statistics
 * and computes the axis ranges (an autoscaled range of one point or of
 * zeros makes gnuplot warn); the scripts only draw.
 */
#include "plot_data.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Schemes, panels and thread counts per panel a figure shows. */
#define PLOT_MAX 64

const char *const plot_figure_names[FIG_COUNT] = {"throughput", "memory", "rss",
                                                  "latency", "balance", "publish"};

struct panel {
    const char *structure, *mix;
    unsigned threads[PLOT_MAX]; /* ascending */
    size_t nthreads;
    unsigned top;               /* the most threads: what one-configuration figures show */
};

/* summary.csv columns. */
enum { C_STRUCTURE, C_SCHEME, C_THREADS, C_MIX, C_REP, C_OPS, C_OVERSUB, C_P50, C_P99, C_P999,
       C_MAX, C_ALLOC, C_PUB50, C_PUB99, C_PUBMAX, C_WAIT50, C_WAIT99, C_WAITMAX, C_APPLY50,
       C_APPLY99, C_APPLYMAX, C_NCOLS };
static const char *const col_names[C_NCOLS] = {
    "structure", "scheme", "threads", "mix", "rep", "ops_per_sec", "oversubscribed", "p50_ns",
    "p99_ns", "p999_ns", "max_ns", "allocator", "publish_p50_ns", "publish_p99_ns",
    "publish_max_ns", "publish_wait_p50_ns", "publish_wait_p99_ns", "publish_wait_max_ns",
    "publish_apply_p50_ns", "publish_apply_p99_ns", "publish_apply_max_ns"};
/* The columns without which nothing can be drawn. */
#define C_REQUIRED (C_OPS + 1)

struct model {
    const struct plot_results *in;
    const struct csv *s;
    int col[C_NCOLS];
    const char *schemes[PLOT_MAX];
    size_t nschemes;
    struct panel panels[PLOT_MAX];
    size_t npanels;
    int *row_panel, *row_scheme; /* per summary row */
    unsigned *row_threads;
    double *scratch;             /* nrows values */
    const char *datadir;
    FILE *meta;
    char *err;
    size_t errlen;
};

__attribute__((format(printf, 2, 3)))
static bool fail(struct model *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->err, m->errlen, fmt, ap);
    va_end(ap);
    return false;
}

/* ---- statistics ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts v; n > 0. */
static double median_of(double *v, size_t n)
{
    qsort(v, n, sizeof(double), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double num(const struct model *m, size_t row, int c)
{
    return csv_num(m->s, row, m->col[c]);
}

/* Values of column c over the repetitions of (panel, scheme, threads), into
   m->scratch, sorted; NaN fields are left out. */
static size_t collect(const struct model *m, size_t p, size_t s, unsigned threads, int c)
{
    size_t n = 0;
    for (size_t r = 0; r < m->s->nrows; r++) {
        if (m->row_panel[r] != (int)p || m->row_scheme[r] != (int)s || m->row_threads[r] != threads)
            continue;
        double v = num(m, r, c);
        if (!isnan(v))
            m->scratch[n++] = v;
    }
    qsort(m->scratch, n, sizeof(double), cmp_double);
    return n;
}

static double collect_median(const struct model *m, size_t p, size_t s, unsigned threads, int c)
{
    size_t n = collect(m, p, s, threads, c);
    return n ? median_of(m->scratch, n) : NAN;
}

static bool panel_has(const struct model *m, size_t p, size_t s)
{
    for (size_t r = 0; r < m->s->nrows; r++)
        if (m->row_panel[r] == (int)p && m->row_scheme[r] == (int)s)
            return true;
    return false;
}

/* The most repetitions of any configuration: the run's -n. */
static size_t most_reps(const struct model *m)
{
    size_t most = 1;
    for (size_t p = 0; p < m->npanels; p++)
        for (size_t s = 0; s < m->nschemes; s++)
            for (size_t t = 0; t < m->panels[p].nthreads; t++) {
                size_t n = collect(m, p, s, m->panels[p].threads[t], C_OPS);
                most = n > most ? n : most;
            }
    return most;
}

/* ---- the model: schemes and panels in the order the run wrote them ---- */

static int find_or_add(const char **list, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(list[i], name) == 0)
            return (int)i;
    if (*n == PLOT_MAX)
        return -1;
    list[*n] = name;
    return (int)(*n)++;
}

static int panel_of(struct model *m, const char *structure, const char *mix, bool add)
{
    for (size_t i = 0; i < m->npanels; i++)
        if (strcmp(m->panels[i].structure, structure) == 0 && strcmp(m->panels[i].mix, mix) == 0)
            return (int)i;
    if (!add || m->npanels == PLOT_MAX)
        return -1;
    m->panels[m->npanels] = (struct panel){.structure = structure, .mix = mix};
    return (int)m->npanels++;
}

static bool add_threads(struct panel *p, unsigned t)
{
    size_t i = 0;
    while (i < p->nthreads && p->threads[i] < t)
        i++;
    if (i < p->nthreads && p->threads[i] == t)
        return true;
    if (p->nthreads == PLOT_MAX)
        return false;
    memmove(&p->threads[i + 1], &p->threads[i], (p->nthreads - i) * sizeof(unsigned));
    p->threads[i] = t;
    p->nthreads++;
    p->top = p->threads[p->nthreads - 1];
    return true;
}

static bool model_build(struct model *m)
{
    const struct csv *s = m->s;
    m->row_panel = calloc(s->nrows, sizeof(int));
    m->row_scheme = calloc(s->nrows, sizeof(int));
    m->row_threads = calloc(s->nrows, sizeof(unsigned));
    m->scratch = calloc(s->nrows, sizeof(double));
    if (!m->row_panel || !m->row_scheme || !m->row_threads || !m->scratch)
        return fail(m, "out of memory");
    for (size_t r = 0; r < s->nrows; r++) {
        double t = num(m, r, C_THREADS);
        int p = panel_of(m, csv_str(s, r, m->col[C_STRUCTURE]), csv_str(s, r, m->col[C_MIX]), true);
        int k = find_or_add(m->schemes, &m->nschemes, csv_str(s, r, m->col[C_SCHEME]));
        if (!(t >= 1 && t <= 1e6))
            return fail(m, "summary.csv row %zu: threads '%s' is not a thread count", r + 2,
                        csv_str(s, r, m->col[C_THREADS]));
        if (p < 0 || k < 0 || !add_threads(&m->panels[p], (unsigned)t))
            return fail(m, "more than %d structures, schemes or thread counts to plot", PLOT_MAX);
        m->row_panel[r] = p;
        m->row_scheme[r] = k;
        m->row_threads[r] = (unsigned)t;
    }
    return true;
}

/* ---- meta.gp: gnuplot assignments ---- */

/* A gnuplot double-quoted string (control characters dropped). */
static void meta_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        if ((unsigned char)*s >= 0x20)
            fputc(*s, f);
    }
    fputc('"', f);
}

/* A figure's panel variables: element assignments gather in memory while
   the data are written (a panel without data is left out), then go to
   meta.gp after `<prefix>_n` and the array declarations they need. */
struct figure_meta {
    FILE *f;
    char *buf;
    size_t len;
    size_t n;                   /* panels so far */
};

static bool fm_open(struct model *m, struct figure_meta *fm)
{
    *fm = (struct figure_meta){0};
    fm->f = open_memstream(&fm->buf, &fm->len);
    return fm->f || fail(m, "out of memory");
}

static bool fm_close(struct model *m, struct figure_meta *fm, const char *prefix,
                     const char *const *arrays)
{
    bool ok = fclose(fm->f) == 0;
    fprintf(m->meta, "%s_n = %zu\n", prefix, fm->n);
    for (; *arrays && fm->n; arrays++)
        fprintf(m->meta, "array %s_%s[%zu]\n", prefix, *arrays, fm->n);
    if (ok)
        fwrite(fm->buf, 1, fm->len, m->meta);
    free(fm->buf);
    return ok || fail(m, "out of memory");
}

/* <prefix>_<name>[panel] = value, for the current panel (fm->n, counted from 0). */
static void meta_str(struct figure_meta *fm, const char *prefix, const char *name, const char *v)
{
    fprintf(fm->f, "%s_%s[%zu] = ", prefix, name, fm->n + 1);
    meta_string(fm->f, v);
    fputc('\n', fm->f);
}

static void meta_num(struct figure_meta *fm, const char *prefix, const char *name, double v)
{
    fprintf(fm->f, "%s_%s[%zu] = %.6g\n", prefix, name, fm->n + 1, v);
}

/* Append a word to a space-separated list (gnuplot's word()/words()). */
static void add_word(char *list, size_t len, const char *w)
{
    size_t n = strlen(list);
    snprintf(list + n, len - n, "%s%s", n ? " " : "", w);
}

/* "stack, 50 % reads", "dbmap, writer thread 0" (the others read). */
static void panel_title(const struct panel *p, unsigned threads, char *buf, size_t len)
{
    unsigned v;
    char mix[64];
    if (sscanf(p->mix, "r%u", &v) == 1)
        snprintf(mix, sizeof mix, "%u %% reads", v);
    else if (sscanf(p->mix, "w%u", &v) == 1 && v == 1)
        snprintf(mix, sizeof mix, "writer thread 0");
    else if (sscanf(p->mix, "w%u", &v) == 1)
        snprintf(mix, sizeof mix, "writers threads 0-%u", v - 1);
    else
        snprintf(mix, sizeof mix, "mix %s", p->mix);
    size_t n = (size_t)snprintf(buf, len, "%s, %s", p->structure, mix);
    if (threads && n < len)
        snprintf(buf + n, len - n, ", %u thread%s", threads, threads == 1 ? "" : "s");
}

/* The decade at or below / above v, for log axes. (A little below the
   decade, or gnuplot may leave out the tic at the axis' end.) */
static double decade_below(double v) { return 0.999 * pow(10, floor(log10(v > 1 ? v : 1))); }
static double decade_above(double v) { return pow(10, ceil(log10(v > 1 ? v * 1.05 : 10))); }

/* ---- data files ---- */

/* Open <name>.dat and the figure's variables. */
static FILE *figure_open(struct model *m, const char *name, struct figure_meta *fm)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s.dat", m->datadir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        fail(m, "cannot write '%s'", path);
    } else if (!fm_open(m, fm)) {
        fclose(f);
        f = NULL;
    }
    return f;
}

/* Close both; a data file the figure did not use (no panel) is removed. */
static bool figure_close(struct model *m, FILE *f, struct figure_meta *fm, const char *name,
                         const char *prefix, const char *const *arrays)
{
    char path[4200];
    bool ok = fm_close(m, fm, prefix, arrays);
    snprintf(path, sizeof path, "%s/%s.dat", m->datadir, name);
    if (ferror(f) | (fclose(f) != 0))
        return fail(m, "cannot write '%s'", path);
    if (fm->n == 0)
        remove(path);
    return ok;
}

/* Throughput versus threads: per (panel, scheme) one row per thread count,
   the median over repetitions and its min..max, in Mops/s. */
static bool fig_throughput(struct model *m, bool draw[FIG_COUNT])
{
    static const char *const arrays[] = {"title", "schemes", "first", "xmin", "xmax", "xtics",
                                         "ymax", "oversub", "nthreads", NULL};
    struct figure_meta fm;
    FILE *d = figure_open(m, "throughput", &fm);
    if (!d)
        return false;
    fprintf(d, "# smrbench plot: throughput (Mops/s) per (structure, mix, scheme)\n"
               "# threads median min max repetitions\n");
    size_t block = 0;
    for (size_t p = 0; p < m->npanels; p++) {
        const struct panel *pn = &m->panels[p];
        char title[256], schemes[1024] = "", xtics[512] = "";
        double ymax = 0;
        unsigned oversub = 0;
        meta_num(&fm, "tp", "first", (double)block);
        for (size_t s = 0; s < m->nschemes; s++) {
            if (!panel_has(m, p, s))
                continue;
            add_word(schemes, sizeof schemes, m->schemes[s]);
            fprintf(d, "# %s %s %s\n", pn->structure, pn->mix, m->schemes[s]);
            for (size_t t = 0; t < pn->nthreads; t++) {
                size_t n = collect(m, p, s, pn->threads[t], C_OPS);
                if (!n)
                    continue;
                double lo = m->scratch[0] / 1e6, hi = m->scratch[n - 1] / 1e6;
                fprintf(d, "%u %.6g %.6g %.6g %zu\n", pn->threads[t],
                        median_of(m->scratch, n) / 1e6, lo, hi, n);
                ymax = hi > ymax ? hi : ymax;
                if (collect_median(m, p, s, pn->threads[t], C_OVERSUB) > 0 &&
                    (!oversub || pn->threads[t] < oversub))
                    oversub = pn->threads[t];
            }
            fprintf(d, "\n\n");
            block++;
        }
        /* Tics at the thread counts run, when there are few. */
        for (size_t t = 0; t < pn->nthreads && pn->nthreads <= 16; t++)
            snprintf(xtics + strlen(xtics), sizeof xtics - strlen(xtics), "%s%u",
                     t ? ", " : "(", pn->threads[t]);
        if (xtics[0])
            strcat(xtics, ")");
        double lo = pn->threads[0], hi = pn->top, pad = hi - lo > 12 ? (hi - lo) * 0.04 : 0.5;
        panel_title(pn, pn->nthreads == 1 ? pn->top : 0, title, sizeof title);
        meta_str(&fm, "tp", "title", title);
        meta_str(&fm, "tp", "schemes", schemes);
        meta_num(&fm, "tp", "xmin", lo - pad);
        meta_num(&fm, "tp", "xmax", hi + pad);
        meta_str(&fm, "tp", "xtics", xtics);
        meta_num(&fm, "tp", "ymax", ymax > 0 ? ymax * 1.08 : 1);
        meta_num(&fm, "tp", "oversub", oversub);
        meta_num(&fm, "tp", "nthreads", (double)pn->nthreads);
        fm.n++;
    }
    draw[FIG_THROUGHPUT] = block > 0;
    return figure_close(m, d, &fm, "throughput", "tp", arrays);
}

/* Whether series row r belongs to (structure, scheme, threads). */
static bool series_row_is(const struct csv *c, const int col[], size_t r, const char *structure,
                          const char *scheme, unsigned threads)
{
    return csv_num(c, r, col[2]) == threads && strcmp(csv_str(c, r, col[0]), structure) == 0 &&
           strcmp(csv_str(c, r, col[1]), scheme) == 0;
}

/* The memory curves (memory and RSS figures): per (panel, scheme) the
   first repetition at the panel's most threads. */
static bool fig_series(struct model *m, bool draw[FIG_COUNT])
{
    static const char *const arrays[] = {"title", "schemes", "first", "tmax", "nodes_log",
                                         "nodes_max", "bytes_log", "bytes_max", "rss_max", NULL};
    static const char *const names[] = {"structure", "scheme", "threads", "rep", "t_ms",
                                        "unreclaimed", "unreclaimed_bytes", "rss_kib"};
    const struct csv *c = &m->in->series;
    int col[8];
    for (int i = 0; i < 8; i++)
        if ((col[i] = csv_col(c, names[i])) < 0)
            return true; /* no curves to draw */
    struct figure_meta fm;
    FILE *d = figure_open(m, "series", &fm);
    if (!d)
        return false;
    fprintf(d, "# smrbench plot: memory curves per (structure, mix, scheme), first repetition at "
               "the most threads\n# t_s unreclaimed_nodes unreclaimed_bytes rss_mib\n");
    size_t block = 0;
    for (size_t p = 0; p < m->npanels; p++) {
        const struct panel *pn = &m->panels[p];
        char title[256], schemes[1024] = "";
        double tmax = 0, nmax = 0, bmax = 0, rmax = 0;
        size_t first = block;
        for (size_t s = 0; s < m->nschemes; s++) {
            double rep0 = INFINITY;
            for (size_t r = 0; r < c->nrows; r++)
                if (series_row_is(c, col, r, pn->structure, m->schemes[s], pn->top) &&
                    csv_num(c, r, col[3]) < rep0)
                    rep0 = csv_num(c, r, col[3]);
            if (isinf(rep0))
                continue;
            add_word(schemes, sizeof schemes, m->schemes[s]);
            fprintf(d, "# %s %s %s, %u threads, repetition %g\n", pn->structure, pn->mix,
                    m->schemes[s], pn->top, rep0);
            for (size_t r = 0; r < c->nrows; r++) {
                if (!series_row_is(c, col, r, pn->structure, m->schemes[s], pn->top) ||
                    csv_num(c, r, col[3]) != rep0)
                    continue;
                double t = csv_num(c, r, col[4]) / 1e3, nodes = csv_num(c, r, col[5]),
                       bytes = csv_num(c, r, col[6]), rss = csv_num(c, r, col[7]) / 1024;
                fprintf(d, "%.3f %.0f %.0f %.2f\n", t, nodes, bytes, rss);
                tmax = t > tmax ? t : tmax;
                nmax = nodes > nmax ? nodes : nmax;
                bmax = bytes > bmax ? bytes : bmax;
                rmax = rss > rmax ? rss : rmax;
            }
            fprintf(d, "\n\n");
            block++;
        }
        if (block == first)
            continue;
        panel_title(pn, pn->top, title, sizeof title);
        meta_str(&fm, "mem", "title", title);
        meta_str(&fm, "mem", "schemes", schemes);
        meta_num(&fm, "mem", "first", (double)first);
        meta_num(&fm, "mem", "tmax", tmax > 0 ? tmax : 1);
        /* A log axis when the curves span decades (a stall), else linear from 0. */
        meta_num(&fm, "mem", "nodes_log", nmax >= 1000);
        /* Headroom above the curves for the stall window's label. */
        meta_num(&fm, "mem", "nodes_max", nmax >= 1000 ? decade_above(4 * nmax) : nmax * 1.2 + 1);
        meta_num(&fm, "mem", "bytes_log", bmax >= 10000);
        meta_num(&fm, "mem", "bytes_max", bmax >= 10000 ? decade_above(4 * bmax) : bmax * 1.2 + 8);
        meta_num(&fm, "mem", "rss_max", rmax > 0 ? rmax * 1.2 : 1);
        fm.n++;
    }
    draw[FIG_MEMORY] = draw[FIG_RSS] = block > 0;
    return figure_close(m, d, &fm, "series", "mem", arrays);
}

/* Per panel, at its most threads, one row per scheme: its position on the
   x axis and the medians over repetitions of the summary columns
   first..first+n-1 (ns, drawn on a log axis); a scheme missing any of them
   is left out. The latency and publish figures. */
static bool fig_per_scheme(struct model *m, bool *drawn, const char *name, const char *prefix,
                           int first, int n, const char *header)
{
    static const char *const arrays[] = {"title", "schemes", "ymin", "ymax", NULL};
    struct figure_meta fm;
    FILE *d = figure_open(m, name, &fm);
    if (!d)
        return false;
    fprintf(d, "# smrbench plot: %s\n", header);
    for (size_t p = 0; p < m->npanels; p++) {
        const struct panel *pn = &m->panels[p];
        char title[256], schemes[1024] = "";
        double lo = INFINITY, hi = 0, q[C_NCOLS];
        size_t k = 0;
        for (size_t s = 0; s < m->nschemes; s++) {
            bool all = true;
            for (int c = 0; c < n; c++)
                all &= !isnan(q[c] = collect_median(m, p, s, pn->top, first + c));
            if (!all)
                continue;
            if (!k)
                fprintf(d, "# %s %s, %u threads\n", pn->structure, pn->mix, pn->top);
            fprintf(d, "%zu", ++k);
            for (int c = 0; c < n; c++) {
                fprintf(d, " %.0f", q[c]);
                lo = q[c] > 0 && q[c] < lo ? q[c] : lo;
                hi = q[c] > hi ? q[c] : hi;
            }
            fputc('\n', d);
            add_word(schemes, sizeof schemes, m->schemes[s]);
        }
        if (!k)
            continue;
        fprintf(d, "\n\n");
        panel_title(pn, pn->top, title, sizeof title);
        meta_str(&fm, prefix, "title", title);
        meta_str(&fm, prefix, "schemes", schemes);
        meta_num(&fm, prefix, "ymin", decade_below(isinf(lo) ? 1 : lo));
        meta_num(&fm, prefix, "ymax", decade_above(hi));
        fm.n++;
    }
    *drawn = fm.n > 0;
    return figure_close(m, d, &fm, name, prefix, arrays);
}

/* Latency percentiles per scheme. */
static bool fig_latency(struct model *m, bool draw[FIG_COUNT])
{
    /* C_P50..C_MAX: p50, p99, p99.9, max */
    for (int c = C_P50; c <= C_MAX; c++)
        if (m->col[c] < 0)
            return true;
    return fig_per_scheme(m, &draw[FIG_LATENCY], "latency", "lat", C_P50, C_MAX - C_P50 + 1,
                          "sampled operation latency (ns), medians over repetitions, per "
                          "(structure, mix) at the most threads\n# position p50 p99 p99.9 max");
}

/* One panel of the balance figure: per[s * T + t] is what thread t reclaimed
   under scheme s, total[s] what anyone did. */
static void balance_panel(struct model *m, FILE *d, struct figure_meta *fm, size_t p,
                          const double *per, const double *total)
{
    const struct panel *pn = &m->panels[p];
    unsigned T = pn->top;
    bool any_other = false;
    for (size_t s = 0; s < m->nschemes; s++) {
        double counted = 0;
        for (unsigned t = 0; t < T; t++)
            counted += per[s * T + t];
        /* The counters are read while threads run: a difference under 1 % is timing. */
        any_other |= total[s] > counted * 1.01;
    }
    unsigned slots = T + any_other;
    double width = 0.8 / slots;
    char title[256], schemes[1024] = "";
    size_t k = 0;
    for (size_t s = 0; s < m->nschemes; s++) {
        double counted = 0;
        for (unsigned t = 0; t < T; t++)
            counted += per[s * T + t];
        double all = total[s] > counted ? total[s] : counted;
        if (!(all > 0))
            continue; /* freed nothing (none) */
        if (!k)
            fprintf(d, "# %s %s, %u threads\n", pn->structure, pn->mix, T);
        k++;
        add_word(schemes, sizeof schemes, m->schemes[s]);
        for (unsigned t = 0; t < slots; t++) {
            double share = t < T ? per[s * T + t] : all - counted;
            fprintf(d, "%.4f %.3f %.4f %d %zu\n", (double)k + (t - (slots - 1) / 2.0) * width,
                    100 * share / all, width, t < T ? (int)t : -1, k);
        }
    }
    if (!k)
        return;
    fprintf(d, "\n\n");
    panel_title(pn, T, title, sizeof title);
    meta_str(fm, "bal", "title", title);
    meta_str(fm, "bal", "schemes", schemes);
    meta_num(fm, "bal", "threads", T);
    meta_num(fm, "bal", "other", any_other);
    fm->n++;
}

/* Reclamation balance from run.json: per scheme, each thread's share of the
   nodes reclaimed (summed over repetitions) at the panel's most threads, and
   the share no worker thread counted (a library's own thread, such as
   liburcu's call_rcu worker). Schemes that freed nothing are left out. */
static bool fig_balance(struct model *m, bool draw[FIG_COUNT])
{
    static const char *const arrays[] = {"title", "schemes", "threads", "other", NULL};
    const struct json *res = json_at(m->in->run, "results");
    if (!res || res->type != JSON_ARRAY)
        return true;
    struct figure_meta fm;
    FILE *d = figure_open(m, "balance", &fm);
    if (!d)
        return false;
    fprintf(d, "# smrbench plot: share of the nodes reclaimed (%%) per thread, summed over "
               "repetitions; thread -1: no worker thread\n# x share_percent width thread "
               "scheme_position\n");
    bool ok = true;
    for (size_t p = 0; p < m->npanels && ok; p++) {
        const struct panel *pn = &m->panels[p];
        unsigned T = pn->top;
        double *per = calloc(m->nschemes * ((size_t)T + 1), sizeof(double));
        if (!(ok = per != NULL))
            break;
        double *total = per + m->nschemes * (size_t)T;
        for (size_t i = 0; i < res->n; i++) {
            const struct json *r = &res->items[i];
            const struct json *tr = json_at(r, "thread_reclaimed");
            int s = -1;
            for (size_t k = 0; k < m->nschemes && s < 0; k++)
                if (strcmp(json_get_str(r, "scheme", ""), m->schemes[k]) == 0)
                    s = (int)k;
            if (s < 0 || !tr || tr->type != JSON_ARRAY || json_get_num(r, "threads", 0) != T ||
                strcmp(json_get_str(r, "structure", ""), pn->structure) != 0 ||
                strcmp(json_get_str(r, "mix", ""), pn->mix) != 0)
                continue;
            for (size_t t = 0; t < tr->n && t < T; t++)
                per[(size_t)s * T + t] += tr->items[t].number;
            total[s] += json_get_num(r, "reclaimed", 0);
        }
        balance_panel(m, d, &fm, p, per, total);
        free(per);
    }
    draw[FIG_BALANCE] = fm.n > 0;
    bool wrote = figure_close(m, d, &fm, "balance", "bal", arrays);
    return ok ? wrote : fail(m, "out of memory");
}

/* dbmap's publish latency per provider: the whole publish, its wait for
   readers and its apply, p50/p99/max each. */
static bool fig_publish(struct model *m, bool draw[FIG_COUNT])
{
    for (int c = C_PUB50; c <= C_APPLYMAX; c++)
        if (m->col[c] < 0)
            return true;
    return fig_per_scheme(m, &draw[FIG_PUBLISH], "publish", "pub", C_PUB50,
                          C_APPLYMAX - C_PUB50 + 1,
                          "publish latency (ns) per provider, medians over repetitions\n"
                          "# position publish_p50 publish_p99 publish_max wait_p50 wait_p99 "
                          "wait_max apply_p50 apply_p99 apply_max");
}

/* ---- what every figure shares: legend order, stall window, footnote ---- */

static void meta_run(struct model *m)
{
    FILE *f = m->meta;
    const struct json *run = m->in->run;
    char schemes[1024] = "";
    for (size_t s = 0; s < m->nschemes; s++)
        add_word(schemes, sizeof schemes, m->schemes[s]);
    fprintf(f, "schemes = ");
    meta_string(f, schemes);
    fprintf(f, "\nreps = %zu\n", most_reps(m));

    const struct json *stall = json_at(run, "flags.stall");
    bool st = stall && stall->type == JSON_OBJECT;
    double from = json_get_num(stall, "start_s", 0), len = json_get_num(stall, "len_s", 0);
    fprintf(f, "stall = %d\nstall_thread = %.0f\nstall_from = %g\nstall_to = %g\n", st,
            json_get_num(stall, "thread", 0), st ? from : 0, st ? from + len : 0);

    const struct json *complete = json_at(run, "complete");
    fprintf(f, "incomplete = %d\n", complete && complete->type == JSON_BOOL && !complete->boolean);

    /* Footnote: the machine; kernel, allocator and pinning; the build. */
    const char *alloc = m->col[C_ALLOC] >= 0 ? csv_str(m->s, 0, m->col[C_ALLOC]) : "?";
    char when[64] = "";
    double started = json_get_num(run, "started_unix", -1);
    if (started >= 0) {
        time_t t = (time_t)started;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(when, sizeof when, "; %Y-%m-%d %H:%M UTC", &tm);
    }
    const char *san = json_get_str(run, "build.sanitizer", "");
    char foot[3][512];
    if (run)
        snprintf(foot[0], sizeof foot[0], "%s; %s", json_get_str(run, "machine.cpu_model", "?"),
                 json_get_str(run, "machine.topology", "?"));
    else
        snprintf(foot[0], sizeof foot[0], "machine not recorded (no run.json)");
    snprintf(foot[1], sizeof foot[1], "%s; allocator %s; pinning %s",
             json_get_str(run, "machine.kernel", "kernel ?"), json_get_str(run, "allocator", alloc),
             json_get_str(run, "flags.pin", "?"));
    snprintf(foot[2], sizeof foot[2], "%s build%s%s, %s; git %s%s",
             json_get_str(run, "build.build_type", "?"), san[0] ? " with sanitizer " : "", san,
             json_get_str(run, "build.compiler", "?"), json_get_str(run, "build.git_revision", "?"),
             when);
    for (int i = 0; i < 3; i++) {
        fprintf(f, "foot%d = ", i + 1);
        meta_string(f, foot[i]);
        fputc('\n', f);
    }
}

/* ---- entry points ---- */

static void find_columns(const struct csv *s, int col[C_NCOLS])
{
    for (int c = 0; c < C_NCOLS; c++)
        col[c] = csv_col(s, col_names[c]);
}

bool plot_results_check(const struct plot_results *in, char *err, size_t errlen)
{
    int col[C_NCOLS];
    find_columns(&in->summary, col);
    for (int c = 0; c < C_REQUIRED; c++)
        if (col[c] < 0) {
            snprintf(err, errlen, "summary.csv has no column '%s'", col_names[c]);
            return false;
        }
    if (in->summary.nrows == 0) {
        snprintf(err, errlen, "summary.csv has no results (a header only)");
        return false;
    }
    return true;
}

bool plot_data_write(const struct plot_results *in, const char *datadir, bool draw[FIG_COUNT],
                     char *err, size_t errlen)
{
    struct model m = {.in = in, .s = &in->summary, .datadir = datadir, .err = err,
                      .errlen = errlen};
    char path[4200];
    memset(draw, 0, FIG_COUNT * sizeof(bool));
    find_columns(m.s, m.col);
    bool ok = plot_results_check(in, err, errlen) && model_build(&m);
    snprintf(path, sizeof path, "%s/meta.gp", datadir);
    if (ok && !(m.meta = fopen(path, "w")))
        ok = fail(&m, "cannot write '%s'", path);
    if (ok) {
        /* Figures without data still say so: <prefix>_n = 0. */
        fprintf(m.meta, "# smrbench plot: what the plot/ scripts draw from the data files here\n"
                        "tp_n = 0\nmem_n = 0\nlat_n = 0\nbal_n = 0\npub_n = 0\n");
        meta_run(&m);
        ok = fig_throughput(&m, draw) && fig_series(&m, draw) && fig_latency(&m, draw) &&
             fig_balance(&m, draw) && fig_publish(&m, draw);
    }
    if (m.meta && (ferror(m.meta) | (fclose(m.meta) != 0)) && ok)
        ok = fail(&m, "cannot write '%s'", path);
    free(m.row_panel);
    free(m.row_scheme);
    free(m.row_threads);
    free(m.scratch);
    return ok;
}
