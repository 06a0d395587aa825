/*
 * results_table.c - the table on stdout: one line per configuration
 * (structure, scheme, threads), medians over its repetitions measured in
 * full (status ok); the others are counted, named on their line and in a
 * closing note, never averaged in.
 */
#include <stdlib.h>
#include <string.h>

#include "results.h"
#include "util.h"

static bool same_config(const struct run_result *a, const struct run_result *b)
{
    return a->threads == b->threads && strcmp(a->scheme, b->scheme) == 0 &&
           strcmp(a->structure, b->structure) == 0;
}

/* The first row of its configuration. */
static bool first_of_config(const struct sweep *sw, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (same_config(&sw->results[j], &sw->results[i]))
            return false;
    return true;
}

typedef double (*result_field)(const struct run_result *r);
static double f_mops(const struct run_result *r) { return r->ops_per_sec / 1e6; }
static double f_peak(const struct run_result *r) { return (double)r->unreclaimed_peak; }
static double f_mean(const struct run_result *r) { return r->unreclaimed_mean; }
static double f_p50(const struct run_result *r) { return r->p50_ns; }
static double f_p99(const struct run_result *r) { return r->p99_ns; }
static double f_rss(const struct run_result *r) { return (double)r->rss_peak_kib / 1024.0; }
static double f_reader(const struct run_result *r) { return r->reader_ops_per_sec / 1e6; }
static double f_writer(const struct run_result *r) { return r->writer_ops_per_sec / 1e6; }
static double f_publishes(const struct run_result *r) { return (double)r->publishes / r->duration_s; }
static double f_pub50(const struct run_result *r) { return r->publish.p50_ns / 1e3; }
static double f_pub99(const struct run_result *r) { return r->publish.p99_ns / 1e3; }
static double f_pubmax(const struct run_result *r) { return r->publish.max_ns / 1e3; }
static double f_wait99(const struct run_result *r) { return r->publish_wait.p99_ns / 1e3; }
static double f_apply99(const struct run_result *r) { return r->publish_apply.p99_ns / 1e3; }
static double f_stale50(const struct run_result *r) { return r->staleness.p50_ns / 1e3; }
static double f_stale99(const struct run_result *r) { return r->staleness.p99_ns / 1e3; }

/* The values of `get` over the ok rows of first's configuration, sorted; their count. */
static size_t group_values(const struct sweep *sw, size_t first, result_field get, double *v)
{
    size_t n = 0;
    for (size_t j = first; j < sw->nresults; j++) {
        const struct run_result *r = &sw->results[j];
        if (r->status == RUN_OK && same_config(r, &sw->results[first]))
            v[n++] = get(r);
    }
    util_sort(v, n);
    return n;
}

static double group_median(const struct sweep *sw, size_t first, result_field get, double *v)
{
    size_t n = group_values(sw, first, get, v);
    return n ? util_median(v, n) : 0;
}

/* "", or "  (1 interrupted, 1 failed: left out)" for first's configuration. */
static void left_out_note(const struct sweep *sw, size_t first, char *buf, size_t len)
{
    size_t interrupted = 0, failed = 0;
    for (size_t j = first; j < sw->nresults; j++) {
        const struct run_result *r = &sw->results[j];
        if (same_config(r, &sw->results[first])) {
            interrupted += r->status == RUN_INTERRUPTED;
            failed += r->status == RUN_FAILED;
        }
    }
    buf[0] = 0;
    if (interrupted && failed)
        snprintf(buf, len, "  (%zu interrupted, %zu failed: left out)", interrupted, failed);
    else if (interrupted || failed)
        snprintf(buf, len, "  (%zu %s: left out)", interrupted + failed,
                 interrupted ? "interrupted" : "failed");
}

static void print_main(FILE *out, const struct sweep *sw, double *v)
{
    fprintf(out, "%-10s %-12s %7s %5s %4s %10s %17s %12s %12s %8s %8s %9s\n", "structure",
            "scheme", "threads", "mix", "reps", "Mops/s", "min..max", "unrecl.peak", "unrecl.mean",
            "p50 ns", "p99 ns", "RSS MiB");
    for (size_t i = 0; i < sw->nresults; i++) {
        if (!first_of_config(sw, i))
            continue;
        const struct run_result *r = &sw->results[i];
        char mix[16], note[96], line[160], spread[40] = "-";
        run_mix_label(r, mix, sizeof mix);
        left_out_note(sw, i, note, sizeof note);
        bool oversubscribed = false;
        for (size_t j = i; j < sw->nresults; j++)
            oversubscribed |= sw->results[j].status == RUN_OK && same_config(&sw->results[j], r) &&
                              sw->results[j].oversubscribed;
        /* v is scratch for every median: take the throughput's first. */
        size_t n = group_values(sw, i, f_mops, v);
        double mops = n ? util_median(v, n) : 0;
        if (n > 1)
            snprintf(spread, sizeof spread, "%.3f..%.3f", v[0], v[n - 1]);
        if (n == 0)
            snprintf(line, sizeof line, "%10s %17s %12s %12s %8s %8s %9s", "-", "-", "-", "-",
                     "-", "-", "-");
        else
            snprintf(line, sizeof line, "%10.3f %17s %12.0f %12.0f %8.0f %8.0f %9.1f",
                     mops, spread, group_median(sw, i, f_peak, v),
                     group_median(sw, i, f_mean, v), group_median(sw, i, f_p50, v),
                     group_median(sw, i, f_p99, v), group_median(sw, i, f_rss, v));
        fprintf(out, "%-10s %-12s %7u %5s %4zu %s%s%s\n", r->structure, r->scheme, r->threads,
                mix, n, line, oversubscribed ? "  (oversubscribed)" : "", note);
    }
}

/* Throughput by role and publish metrics (dbmap), medians over the ok repetitions. */
static void print_roles(FILE *out, const struct sweep *sw, double *v)
{
    bool any = false;
    for (size_t i = 0; i < sw->nresults; i++)
        any |= sw->results[i].status == RUN_OK &&
               (sw->results[i].writers >= 0 || sw->results[i].has_metrics);
    if (!any)
        return;
    fprintf(out, "\n%-10s %-12s %7s %5s %9s %9s %10s %28s %9s %9s %17s\n", "structure", "scheme",
            "threads", "mix", "rd Mops/s", "wr Mops/s", "publish/s", "publish us p50/p99/max",
            "wait p99", "apply p99", "stale us p50/p99");
    for (size_t i = 0; i < sw->nresults; i++) {
        const struct run_result *r = &sw->results[i];
        if (!first_of_config(sw, i) || (r->writers < 0 && !r->has_metrics) ||
            group_values(sw, i, f_mops, v) == 0)
            continue;
        char mix[16], rd[16] = "-", wr[16] = "-", pub[16] = "-", lat[40] = "-", wait[16] = "-",
             apply[16] = "-", stale[32] = "-";
        run_mix_label(r, mix, sizeof mix);
        if (r->writers >= 0) {
            snprintf(rd, sizeof rd, "%.3f", group_median(sw, i, f_reader, v));
            snprintf(wr, sizeof wr, "%.3f", group_median(sw, i, f_writer, v));
        }
        if (r->has_metrics)
            snprintf(pub, sizeof pub, "%.0f", group_median(sw, i, f_publishes, v));
        /* No publish, no latency: "-", not 0. */
        if (r->has_metrics && group_median(sw, i, f_publishes, v) > 0) {
            snprintf(lat, sizeof lat, "%.1f/%.1f/%.1f", group_median(sw, i, f_pub50, v),
                     group_median(sw, i, f_pub99, v), group_median(sw, i, f_pubmax, v));
            snprintf(wait, sizeof wait, "%.1f", group_median(sw, i, f_wait99, v));
            snprintf(apply, sizeof apply, "%.1f", group_median(sw, i, f_apply99, v));
            snprintf(stale, sizeof stale, "%.1f/%.1f", group_median(sw, i, f_stale50, v),
                     group_median(sw, i, f_stale99, v));
        }
        fprintf(out, "%-10s %-12s %7u %5s %9s %9s %10s %28s %9s %9s %17s\n", r->structure,
                r->scheme, r->threads, mix, rd, wr, pub, lat, wait, apply, stale);
    }
}

void results_table(FILE *out, const struct sweep *sw)
{
    double *v = calloc(sw->nresults ? sw->nresults : 1, sizeof(double));
    if (!v)
        abort();
    print_main(out, sw, v);
    print_roles(out, sw, v);
    free(v);
    size_t interrupted = 0, failed = 0;
    for (size_t i = 0; i < sw->nresults; i++) {
        interrupted += sw->results[i].status == RUN_INTERRUPTED;
        failed += sw->results[i].status == RUN_FAILED;
    }
    if (interrupted || failed)
        fprintf(out, "note: %zu run(s) left out of the medians: %zu interrupted (window cut "
                "short), %zu failed (crash, timeout or check); summary.csv has each one's status "
                "and failure\n", interrupted + failed, interrupted, failed);
}
