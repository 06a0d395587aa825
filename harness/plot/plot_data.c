/* plot_data.c - a results folder as gnuplot data blocks plus meta.gp, the
   variables (panels, their schemes, ranges, notes, footnote) the plot/
   scripts read.
 *
 * Every figure is a grid of panels, one per (structure, mix) of the run,
 * and per machine when the set holds several (plot_model.h).
 * A data file holds one block (blocks are separated by two blank lines, so
 * gnuplot's `index` selects them) per (panel, scheme) or per panel; meta.gp
 * says which block is which. The C side does the grouping and statistics,
 * over the ok results only, and computes the axis ranges (an autoscaled
 * range of one point or of zeros makes gnuplot warn); the scripts only
 * draw. The memory curves are in plot_series.c.
 */
#include "plot_data.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plot_model.h"
#include "util.h"

const char *const plot_figure_names[FIG_COUNT] = {"throughput", "memory", "rss",
                                                  "latency", "balance", "publish"};

/* Throughput versus threads: per (panel, scheme) one row per thread count,
   the median over repetitions and its min..max, in Mops/s. The x axis
   spans the thread counts of the panel's group (every machine's). */
static bool fig_throughput(struct model *m, bool draw[FIG_COUNT])
{
    static const char *const arrays[] = {"title", "schemes", "first", "xmin", "xmax", "xtics",
                                         "ymax", "oversub", "nthreads", NULL};
    struct figure_meta fm;
    FILE *d = figure_open(m, "throughput", "tp", &fm);
    if (!d)
        return false;
    fprintf(d, "# smrbench plot: throughput (Mops/s) per (structure, mix, scheme)\n"
               "# threads median min max repetitions\n");
    size_t block = 0;
    for (size_t p = 0; p < m->npanels; p++) {
        const struct panel *pn = &m->panels[p], *gr = &m->groups[pn->group];
        char title[256], schemes[1024] = "", xtics[512] = "";
        double ymax = 0;
        unsigned oversub = 0;
        meta_num(&fm, "first", (double)block);
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
                        util_median(m->scratch, n) / 1e6, lo, hi, n);
                ymax = hi > ymax ? hi : ymax;
                if (collect_median(m, p, s, pn->threads[t], C_OVERSUB) > 0 &&
                    (!oversub || pn->threads[t] < oversub))
                    oversub = pn->threads[t];
            }
            fprintf(d, "\n\n");
            block++;
        }
        /* Tics at the thread counts run, when there are few. */
        for (size_t t = 0; t < gr->nthreads && gr->nthreads <= 16; t++)
            snprintf(xtics + strlen(xtics), sizeof xtics - strlen(xtics), "%s%u",
                     t ? ", " : "(", gr->threads[t]);
        if (xtics[0])
            strcat(xtics, ")");
        double lo = gr->threads[0], hi = gr->top, pad = hi - lo > 12 ? (hi - lo) * 0.04 : 0.5;
        panel_title(m, pn, gr->nthreads == 1 ? gr->top : 0, title, sizeof title);
        meta_str(&fm, "title", title);
        meta_str(&fm, "schemes", schemes);
        meta_num(&fm, "xmin", lo - pad);
        meta_num(&fm, "xmax", hi + pad);
        meta_str(&fm, "xtics", xtics);
        meta_shared(&fm, "ymax", ymax > 0 ? ymax * 1.08 : 1, true);
        meta_num(&fm, "oversub", oversub);
        meta_num(&fm, "nthreads", (double)gr->nthreads);
        figure_panel_done(&fm, p);
    }
    draw[FIG_THROUGHPUT] = block > 0;
    return figure_close(m, d, &fm, "throughput", arrays);
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
    FILE *d = figure_open(m, name, prefix, &fm);
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
        panel_title(m, pn, pn->top, title, sizeof title);
        meta_str(&fm, "title", title);
        meta_str(&fm, "schemes", schemes);
        meta_shared(&fm, "ymin", decade_below(isinf(lo) ? 1 : lo), false);
        meta_shared(&fm, "ymax", decade_above(hi), true);
        figure_panel_done(&fm, p);
    }
    *drawn = fm.n > 0;
    return figure_close(m, d, &fm, name, arrays);
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
   under scheme s, total[s] what the domain counted. Schemes of the panel
   that freed nothing go to nofree (they have no shares to show). */
static void balance_panel(struct model *m, FILE *d, struct figure_meta *fm, size_t p,
                          const double *per, const double *total, char *nofree, size_t len)
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
        if (!(all > 0)) {
            if (panel_has(m, p, s) && !has_word(nofree, m->schemes[s]))
                add_word(nofree, len, m->schemes[s]);
            continue;
        }
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
    panel_title(m, pn, T, title, sizeof title);
    meta_str(fm, "title", title);
    meta_str(fm, "schemes", schemes);
    meta_num(fm, "threads", T);
    meta_num(fm, "other", any_other);
    figure_panel_done(fm, p);
}

/* What run.json's ok results of (panel, its most threads) reclaimed, per
   scheme and thread, summed over repetitions (on the panel's machine). */
static void balance_sum(const struct model *m, size_t p, double *per, double *total)
{
    const struct panel *pn = &m->panels[p];
    unsigned T = pn->top;
    for (size_t i = 0; i < m->in->nresults; i++) {
        const struct runset_result *r = &m->in->results[i];
        json_t *tr = json_object_get(r->entry, "thread_reclaimed");
        size_t s = 0;
        while (s < m->nschemes && strcmp(r->scheme, m->schemes[s]) != 0)
            s++;
        if (s == m->nschemes || r->status != RUNSET_OK || !json_is_array(tr) ||
            r->threads != T || strcmp(r->structure, pn->structure) != 0 ||
            strcmp(r->mix, pn->mix) != 0 || strcmp(r->machine, pn->machine) != 0)
            continue;
        for (size_t t = 0; t < json_array_size(tr) && t < T; t++)
            per[s * T + t] += json_number_value(json_array_get(tr, t));
        total[s] += runset_json_num(r->entry, "reclaimed", 0);
    }
}

/* Reclamation balance from run.json: per scheme, each thread's share of the
   nodes reclaimed (summed over repetitions) at the panel's most threads, and
   the share freed outside the benchmark threads (a library's own thread,
   such as liburcu's call_rcu worker, or a count kept only per domain).
   Schemes that freed nothing are named in bal_nofree instead. */
static bool fig_balance(struct model *m, bool draw[FIG_COUNT])
{
    static const char *const arrays[] = {"title", "schemes", "threads", "other", NULL};
    char nofree[1024] = "";
    if (m->in->nresults == 0)
        return true;
    struct figure_meta fm;
    FILE *d = figure_open(m, "balance", "bal", &fm);
    if (!d)
        return false;
    fprintf(d, "# smrbench plot: share of the nodes reclaimed (%%) per thread, summed over "
               "repetitions; thread -1: outside the benchmark threads\n# x share_percent width "
               "thread scheme_position\n");
    bool ok = true;
    for (size_t p = 0; p < m->npanels && ok; p++) {
        unsigned T = m->panels[p].top;
        double *per = calloc(m->nschemes * ((size_t)T + 1), sizeof(double));
        if (!(ok = per != NULL))
            break;
        double *total = per + m->nschemes * (size_t)T;
        balance_sum(m, p, per, total);
        balance_panel(m, d, &fm, p, per, total, nofree, sizeof nofree);
        free(per);
    }
    draw[FIG_BALANCE] = fm.n > 0;
    fprintf(m->meta, "bal_nofree = ");
    meta_string(m->meta, nofree);
    fputc('\n', m->meta);
    bool wrote = figure_close(m, d, &fm, "balance", arrays);
    return ok ? wrote : model_fail(m, "out of memory");
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

/* ---- what every figure shares: legend, stall window, notes, footnote ---- */

/* The title's note: an unfinished set, and the results left out and why. */
static void meta_note(struct model *m)
{
    char note[512] = "";
    int lines = 0;
    size_t failed = m->left_out[RUNSET_FAILED], cut = m->left_out[RUNSET_INTERRUPTED];
    if (!m->in->complete) {
        snprintf(note, sizeof note, "unfinished set: run.json says the sweep did not complete "
                 "(interrupted, killed or still running)");
        lines++;
    }
    if (failed + cut) {
        size_t n = strlen(note);
        snprintf(note + n, sizeof note - n, "%s%zu of %zu runs left out: ", lines ? "\n" : "",
                 failed + cut, m->s->nrows);
        n = strlen(note);
        if (failed)
            snprintf(note + n, sizeof note - n, "%zu failed%s", failed, cut ? ", " : "");
        n = strlen(note);
        if (cut)
            snprintf(note + n, sizeof note - n, "%zu interrupted (no whole measured window)", cut);
        lines++;
    }
    fprintf(m->meta, "note = ");
    meta_string(m->meta, note);
    fprintf(m->meta, "\nnote_lines = %d\n", lines);
}

/* run.json's isolation: a string, or an object's "mode"; "" when not said. */
static const char *isolation(json_t *run)
{
    json_t *v = json_object_get(run, "isolation");
    return json_is_object(v) ? runset_json_str(v, "mode", "") : runset_json_str(v, "", "");
}

/* A footnote line of a set of several machines: machine k's name, CPU,
   topology and kernel from run.json, else its machine column. */
static void machine_line(const struct model *m, size_t k, char *buf, size_t len)
{
    json_t *info = machine_info(m, m->machines[k]);
    char name[128];
    machine_name(m, k, name, sizeof name);
    if (info)
        snprintf(buf, len, "%s: %s; %s; %s", name, runset_json_str(info, "cpu_model", "?"),
                 runset_json_str(info, "topology", "?"), runset_json_str(info, "kernel", "kernel ?"));
    else
        snprintf(buf, len, "%s", *m->machines[k] ? m->machines[k] : name);
}

static void meta_run(struct model *m)
{
    FILE *f = m->meta;
    json_t *run = m->in->run;
    char schemes[1024] = "";
    for (size_t s = 0; s < m->nschemes; s++)
        add_word(schemes, sizeof schemes, m->schemes[s]);
    fprintf(f, "schemes = ");
    meta_string(f, schemes);
    fprintf(f, "\nreps = %zu\n", most_reps(m));

    json_t *stall = runset_json_at(run, "flags.stall");
    bool st = json_is_object(stall);
    double from = runset_json_num(stall, "start_s", 0), len = runset_json_num(stall, "len_s", 0);
    fprintf(f, "stall = %d\nstall_thread = %.0f\nstall_from = %g\nstall_to = %g\n", st,
            runset_json_num(stall, "thread", 0), st ? from : 0, st ? from + len : 0);
    meta_note(m);
    fprintf(f, "isolation = ");
    meta_string(f, isolation(run));
    fputc('\n', f);

    /* Footnote: the machine; kernel, allocator, pinning and isolation; the build. */
    const char *alloc = m->col[C_ALLOC] >= 0 ? csv_str(m->s, 0, m->col[C_ALLOC]) : "?";
    char when[64] = "", iso[128] = "";
    double started = runset_json_num(run, "started_unix", -1);
    if (started >= 0) {
        time_t t = (time_t)started;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(when, sizeof when, "; %Y-%m-%d %H:%M UTC", &tm);
    }
    if (*isolation(run))
        snprintf(iso, sizeof iso, "; isolation %s", isolation(run));
    const char *san = runset_json_str(run, "build.sanitizer", "");
    char foot[3][512];
    bool several = m->nmachines > 1;
    if (several)
        machine_line(m, 0, foot[0], sizeof foot[0]);
    else if (run)
        snprintf(foot[0], sizeof foot[0], "%s; %s", runset_json_str(run, "machine.cpu_model", "?"),
                 runset_json_str(run, "machine.topology", "?"));
    else
        snprintf(foot[0], sizeof foot[0], "machine not recorded (no run.json)");
    /* (Several machines: each line names its kernel.) */
    snprintf(foot[1], sizeof foot[1], "%s%sallocator %s; pinning %s%s",
             several ? "" : runset_json_str(run, "machine.kernel", "kernel ?"), several ? "" : "; ",
             runset_json_str(run, "allocator", alloc), runset_json_str(run, "flags.pin", "?"), iso);
    snprintf(foot[2], sizeof foot[2], "%s build%s%s, %s; git %s%s",
             runset_json_str(run, "build.build_type", "?"), san[0] ? " with sanitizer " : "", san,
             runset_json_str(run, "build.compiler", "?"),
             runset_json_str(run, "build.git_revision", "?"), when);
    for (int i = 0; i < 3; i++) {
        fprintf(f, "foot%d = ", i + 1);
        meta_string(f, foot[i]);
        fputc('\n', f);
    }
    /* The other machines' lines, between foot1 and foot2. */
    fprintf(f, "machines = %zu\nfoot_more_n = %zu\n", m->nmachines, m->nmachines - 1);
    if (several)
        fprintf(f, "array foot_more[%zu]\n", m->nmachines - 1);
    for (size_t k = 1; k < m->nmachines; k++) {
        machine_line(m, k, foot[0], sizeof foot[0]);
        fprintf(f, "foot_more[%zu] = ", k);
        meta_string(f, foot[0]);
        fputc('\n', f);
    }
}

/* ---- entry point ---- */

bool plot_data_write(const struct runset *in, const char *datadir, bool draw[FIG_COUNT],
                     char *err, size_t errlen)
{
    struct model m = {.in = in, .s = &in->summary, .datadir = datadir, .err = err,
                      .errlen = errlen};
    char path[4200];
    memset(draw, 0, FIG_COUNT * sizeof(bool));
    bool ok = model_build(&m);
    snprintf(path, sizeof path, "%s/meta.gp", datadir);
    if (ok && !(m.meta = fopen(path, "w")))
        ok = model_fail(&m, "cannot write '%s'", path);
    if (ok) {
        /* Figures without data still say so: <prefix>_n = 0. */
        fprintf(m.meta, "# smrbench plot: what the plot/ scripts draw from the data files here\n"
                        "tp_n = 0\nmem_n = 0\nlat_n = 0\nbal_n = 0\npub_n = 0\n");
        meta_run(&m);
        ok = fig_throughput(&m, draw) && fig_series(&m, draw) && fig_latency(&m, draw) &&
             fig_balance(&m, draw) && fig_publish(&m, draw);
    }
    if (m.meta && (ferror(m.meta) | (fclose(m.meta) != 0)) && ok)
        ok = model_fail(&m, "cannot write '%s'", path);
    model_free(&m);
    return ok;
}
