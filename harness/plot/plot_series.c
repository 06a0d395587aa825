/* plot_series.c - the memory curves of series.csv as data blocks for the
   memory and RSS figures: per panel (machine, structure, mix) at its most
   threads, per scheme the first ok repetition; and per panel the axes the
   scripts need (log or linear, ranges, the unit of bytes, whether nodes add
   anything to bytes), the same for every machine of a group. */
#include "plot_model.h"

#include <math.h>
#include <string.h>

/* series.csv columns, all required by runset_csv.c but machine (absent in
   files written before it). */
enum { S_STRUCTURE, S_SCHEME, S_THREADS, S_REP, S_T, S_NODES, S_BYTES, S_RSS, S_MACHINE, S_NCOLS };
static const char *const series_names[S_NCOLS] = {"structure", "scheme", "threads", "rep", "t_ms",
                                                  "unreclaimed", "unreclaimed_bytes", "rss_kib",
                                                  "machine"};

/* A panel's curves, summed up for its axes. */
struct extent {
    double tmax, nmax, bmax, rmax;
    double nmin, bmin;          /* the smallest values above 0 */
    size_t points;              /* the most points of one curve */
    double ratio;               /* bytes per node of the first scheme with nodes */
    bool uniform;               /* every scheme's bytes per node within 5 % of ratio */
    char nobytes[512];          /* schemes with nodes but no bytes counted */
};

static bool series_row_is(const struct csv *c, const int col[], size_t r, const struct panel *pn,
                          const char *scheme, long rep)
{
    return csv_num(c, r, col[S_THREADS]) == pn->top && csv_num(c, r, col[S_REP]) == rep &&
           strcmp(csv_str(c, r, col[S_STRUCTURE]), pn->structure) == 0 &&
           strcmp(csv_str(c, r, col[S_SCHEME]), scheme) == 0 &&
           (col[S_MACHINE] < 0 || strcmp(csv_str(c, r, col[S_MACHINE]), pn->machine) == 0);
}

/* One scheme's curve into d; false when series.csv has none for it. */
static bool write_curve(FILE *d, const struct csv *c, const int col[], const struct panel *pn,
                        const char *scheme, long rep, struct extent *e)
{
    size_t points = 0;
    double nodes_sum = 0, bytes_sum = 0;
    for (size_t r = 0; r < c->nrows; r++) {
        if (!series_row_is(c, col, r, pn, scheme, rep))
            continue;
        if (!points)
            fprintf(d, "# %s %s %s, %u threads, repetition %ld\n", pn->structure, pn->mix, scheme,
                    pn->top, rep);
        double t = csv_num(c, r, col[S_T]) / 1e3, nodes = csv_num(c, r, col[S_NODES]),
               bytes = csv_num(c, r, col[S_BYTES]), rss = csv_num(c, r, col[S_RSS]) / 1024;
        fprintf(d, "%.3f %.0f %.0f %.2f\n", t, nodes, bytes, rss);
        points++;
        nodes_sum += nodes;
        bytes_sum += bytes;
        e->tmax = fmax(e->tmax, t);
        e->nmax = fmax(e->nmax, nodes);
        e->bmax = fmax(e->bmax, bytes);
        e->rmax = fmax(e->rmax, rss);
        e->nmin = nodes > 0 ? fmin(e->nmin, nodes) : e->nmin;
        e->bmin = bytes > 0 ? fmin(e->bmin, bytes) : e->bmin;
    }
    if (!points)
        return false;
    fprintf(d, "\n\n");
    e->points = points > e->points ? points : e->points;
    /* Sampled counters are read at slightly different times, so one
       sample's ratio wanders; the whole curve's does not. */
    if (nodes_sum > 0 && bytes_sum == 0)
        add_word(e->nobytes, sizeof e->nobytes, scheme);
    if (nodes_sum > 0) {
        double ratio = bytes_sum / nodes_sum;
        if (e->ratio == 0)
            e->ratio = ratio;
        e->uniform &= ratio > 0 && fabs(ratio - e->ratio) <= 0.05 * e->ratio;
    }
    return true;
}

/* The unit bytes read best in on a linear axis up to max: B, KiB, MiB or GiB. */
static double bytes_unit(double max, const char **name)
{
    static const char *const names[] = {"B", "KiB", "MiB", "GiB"};
    int k = 0;
    while (k < 3 && max >= 4 * pow(1024, k + 1))
        k++;
    *name = names[k];
    return pow(1024, k);
}

/* The axis variables of one panel. Log axes when the curves span decades
   (a stall): they start at the power of two below the smallest value above
   0, where zeros are drawn. */
static void panel_axes(struct figure_meta *fm, const struct extent *e)
{
    bool bytes_row = e->bmax > 0, bytes_log = e->bmax >= 10000, nodes_log = e->nmax >= 1000;
    /* Nodes add something only when bytes cannot be read as nodes times a
       node size (nodes of several sizes, or bytes not counted). */
    bool nodes_row = !bytes_row || !e->uniform;
    const char *unit;
    double div = bytes_unit(e->bmax, &unit);
    meta_num(fm, "tmax", e->tmax > 0 ? e->tmax : 1);
    meta_num(fm, "points", (double)e->points);
    meta_num(fm, "bytes_row", bytes_row);
    meta_num(fm, "node_bytes", bytes_row && e->uniform ? round(e->ratio) : 0);
    meta_str(fm, "nobytes", e->nobytes);
    meta_num(fm, "bytes_log", bytes_log);
    meta_num(fm, "bytes_min", bytes_log ? pow(2, floor(log2(e->bmin))) : 0);
    /* Headroom above the curves for the stall window's label. */
    meta_num(fm, "bytes_max", bytes_log ? 8 * e->bmax : (e->bmax * 1.2 + 8) / div);
    meta_num(fm, "bytes_div", div);
    meta_str(fm, "bytes_unit", unit);
    meta_num(fm, "nodes_row", nodes_row);
    meta_num(fm, "nodes_log", nodes_log);
    meta_num(fm, "nodes_min", nodes_log ? decade_below(e->nmin) : 0);
    meta_num(fm, "nodes_max", nodes_log ? decade_above(4 * e->nmax) : e->nmax * 1.2 + 1);
    meta_num(fm, "rss_max", e->rmax > 0 ? e->rmax * 1.2 : 1);
}

/* The group's extent: what the panel's axes must hold for every machine's
   panel of its group to have the same. Its schemes without bytes stay its own. */
static struct extent group_extent(const struct model *m, size_t p, const struct extent *e,
                                  const bool *has)
{
    struct extent g = e[p];
    for (size_t q = 0; q < m->npanels; q++) {
        const struct extent *o = &e[q];
        if (q == p || !has[q] || m->panels[q].group != m->panels[p].group)
            continue;
        g.tmax = fmax(g.tmax, o->tmax);
        g.nmax = fmax(g.nmax, o->nmax);
        g.bmax = fmax(g.bmax, o->bmax);
        g.rmax = fmax(g.rmax, o->rmax);
        g.nmin = fmin(g.nmin, o->nmin);
        g.bmin = fmin(g.bmin, o->bmin);
        g.points = o->points > g.points ? o->points : g.points;
        /* One node size for the group, or nodes drawn on every machine. */
        if (g.ratio == 0)
            g.ratio = o->ratio;
        g.uniform &= o->uniform && (o->ratio == 0 || fabs(o->ratio - g.ratio) <= 0.05 * g.ratio);
    }
    return g;
}

bool fig_series(struct model *m, bool draw[FIG_COUNT])
{
    static const char *const arrays[] = {
        "title", "schemes", "first", "tmax", "points", "bytes_row", "node_bytes", "nobytes", "bytes_log",
        "bytes_min", "bytes_max", "bytes_div", "bytes_unit", "nodes_row", "nodes_log",
        "nodes_min", "nodes_max", "rss_max", NULL};
    const struct csv *c = &m->in->series;
    int col[S_NCOLS];
    if (c->nrows == 0)
        return true; /* no series.csv: no curves to draw */
    for (int i = 0; i < S_NCOLS; i++)
        col[i] = csv_col(c, series_names[i]);
    struct figure_meta fm;
    FILE *d = figure_open(m, "series", "mem", &fm);
    if (!d)
        return false;
    fprintf(d, "# smrbench plot: memory curves per (structure, mix, scheme), first ok repetition "
               "at the most threads\n# t_s unreclaimed_nodes unreclaimed_bytes rss_mib\n");
    /* The curves first, then the axes: a panel's depend on its group's. */
    struct extent e[PLOT_MAX];
    char schemes[PLOT_MAX][1024];
    size_t first[PLOT_MAX], block = 0;
    bool has[PLOT_MAX];
    for (size_t p = 0; p < m->npanels; p++) {
        const struct panel *pn = &m->panels[p];
        e[p] = (struct extent){.nmin = INFINITY, .bmin = INFINITY, .uniform = true};
        schemes[p][0] = 0;
        first[p] = block;
        for (size_t s = 0; s < m->nschemes; s++) {
            long rep = first_ok_rep(m, p, s, pn->top);
            if (rep >= 0 && write_curve(d, c, col, pn, m->schemes[s], rep, &e[p])) {
                add_word(schemes[p], sizeof schemes[p], m->schemes[s]);
                block++;
            }
        }
        has[p] = block > first[p];
    }
    for (size_t p = 0; p < m->npanels; p++) {
        if (!has[p])
            continue;
        char title[256];
        struct extent g = group_extent(m, p, e, has);
        panel_title(m, &m->panels[p], m->panels[p].top, title, sizeof title);
        meta_str(&fm, "title", title);
        meta_str(&fm, "schemes", schemes[p]);
        meta_num(&fm, "first", (double)first[p]);
        panel_axes(&fm, &g);
        figure_panel_done(&fm, p);
    }
    draw[FIG_MEMORY] = draw[FIG_RSS] = block > 0;
    return figure_close(m, d, &fm, "series", arrays);
}
