/* results.c - results files and stdout tables. */
#include "results.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buildinfo.h"

static bool mkdir_p(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = 0;
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return false;
            *p = '/';
        }
    }
    return mkdir(buf, 0777) == 0 || errno == EEXIST;
}

bool results_prepare_dir(const struct run_options *o, char *dir, size_t len)
{
    if (o->out_dir) {
        snprintf(dir, len, "%s", o->out_dir);
    } else {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        char stamp[32];
        strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
        snprintf(dir, len, "results/%s", stamp);
    }
    struct stat st;
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "smrbench: -o: '%s' exists and is not a folder; allowed: a writable folder\n",
                dir);
        return false;
    }
    if (!mkdir_p(dir) || access(dir, W_OK) != 0) {
        fprintf(stderr, "smrbench: -o: cannot write to '%s' (%s); allowed: a writable folder\n", dir,
                strerror(errno));
        return false;
    }
    return true;
}

/* ---- atomic files ---- */

struct atomic_file {
    FILE *f;
    char tmp[4200];
    char path[4200];
};

static bool af_open(struct atomic_file *a, const char *dir, const char *name)
{
    snprintf(a->path, sizeof a->path, "%s/%s", dir, name);
    snprintf(a->tmp, sizeof a->tmp, "%s/.%s.tmp.%ld", dir, name, (long)getpid());
    a->f = fopen(a->tmp, "w");
    if (!a->f)
        fprintf(stderr, "smrbench: cannot write '%s': %s\n", a->tmp, strerror(errno));
    return a->f != NULL;
}

static bool af_commit(struct atomic_file *a)
{
    bool ok = fflush(a->f) == 0 && fsync(fileno(a->f)) == 0;
    ok = (fclose(a->f) == 0) && ok;
    if (ok && rename(a->tmp, a->path) == 0)
        return true;
    fprintf(stderr, "smrbench: cannot write '%s': %s\n", a->path, strerror(errno));
    unlink(a->tmp);
    return false;
}

/* ---- CSV ---- */

/* ",value", or "," alone (an empty field) when the value does not apply. */
__attribute__((format(printf, 3, 4)))
static void csv_optional(FILE *f, bool present, const char *fmt, ...)
{
    fputc(',', f);
    if (!present)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
}

static void csv_summary(FILE *f, const struct sweep *sw)
{
    fprintf(f, "structure,scheme,threads,mix,rep,duration_s,ops,ops_per_sec,unreclaimed_peak,"
               "unreclaimed_mean,unreclaimed_final,rss_peak_kib,p50_ns,p99_ns,max_ns,"
               "p999_ns,latency_samples,unreclaimed_bytes_peak,retired,reclaimed,oversubscribed,"
               "teardown_ok,complete,allocator,reader_ops_per_sec,writer_ops_per_sec,publishes,"
               "publish_p50_ns,publish_p99_ns,publish_max_ns,publish_wait_p50_ns,"
               "publish_wait_p99_ns,publish_wait_max_ns,publish_apply_p50_ns,publish_apply_p99_ns,"
               "publish_apply_max_ns,staleness_p50_ns,staleness_p99_ns,staleness_max_ns\n");
    for (size_t i = 0; i < sw->nresults; i++) {
        const struct run_result *r = &sw->results[i];
        char mix[16];
        run_mix_label(r, mix, sizeof mix);
        fprintf(f, "%s,%s,%u,%s,%u,%.6f,%llu,%.1f,%llu,%.1f,%llu,%llu,%.0f,%.0f,%.0f,%.0f,%llu,"
                   "%llu,%llu,%llu,%d,%d,%d,%s",
                r->structure, r->scheme, r->threads, mix, r->rep, r->duration_s,
                (unsigned long long)r->ops, r->ops_per_sec, (unsigned long long)r->unreclaimed_peak,
                r->unreclaimed_mean, (unsigned long long)r->unreclaimed_final,
                (unsigned long long)r->rss_peak_kib, r->p50_ns, r->p99_ns, r->max_ns, r->p999_ns,
                (unsigned long long)r->latency_samples,
                (unsigned long long)r->unreclaimed_bytes_peak, (unsigned long long)r->retired,
                (unsigned long long)r->reclaimed, r->oversubscribed, r->teardown_ok, r->complete,
                sw->allocator);
        csv_optional(f, r->reader_ops_per_sec >= 0, "%.1f", r->reader_ops_per_sec);
        csv_optional(f, r->writer_ops_per_sec >= 0, "%.1f", r->writer_ops_per_sec);
        csv_optional(f, r->has_metrics, "%llu", (unsigned long long)r->publishes);
        const struct run_quantiles *q[] = {&r->publish, &r->publish_wait, &r->publish_apply,
                                           &r->staleness};
        for (size_t k = 0; k < sizeof q / sizeof *q; k++) {
            csv_optional(f, r->has_metrics, "%.0f", q[k]->p50_ns);
            csv_optional(f, r->has_metrics, "%.0f", q[k]->p99_ns);
            csv_optional(f, r->has_metrics, "%.0f", q[k]->max_ns);
        }
        fputc('\n', f);
    }
}

static void csv_series(FILE *f, const struct sweep *sw)
{
    fprintf(f, "structure,scheme,threads,rep,t_ms,ops,unreclaimed,unreclaimed_bytes,rss_kib\n");
    for (size_t i = 0; i < sw->nresults; i++) {
        const struct run_result *r = &sw->results[i];
        for (size_t j = 0; j < r->nseries; j++) {
            const struct series_point *p = &r->series[j];
            fprintf(f, "%s,%s,%u,%u,%u,%llu,%llu,%llu,%llu\n", r->structure, r->scheme, r->threads,
                    r->rep, p->t_ms, (unsigned long long)p->ops,
                    (unsigned long long)p->unreclaimed, (unsigned long long)p->unreclaimed_bytes,
                    (unsigned long long)p->rss_kib);
        }
    }
}

/* ---- JSON ---- */

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void json_u64_array(FILE *f, const char *name, const uint64_t *v, unsigned n)
{
    fprintf(f, ", \"%s\": [", name);
    for (unsigned i = 0; i < n; i++)
        fprintf(f, "%s%llu", i ? ", " : "", v ? (unsigned long long)v[i] : 0ull);
    fprintf(f, "]");
}

/* Throughput by role and the structure's metrics: null when they do not apply. */
static void json_role_metrics(FILE *f, const struct run_result *r)
{
    if (r->reader_ops_per_sec >= 0)
        fprintf(f, ", \"reader_ops_per_sec\": %.1f, \"writer_ops_per_sec\": %.1f",
                r->reader_ops_per_sec, r->writer_ops_per_sec);
    else
        fprintf(f, ", \"reader_ops_per_sec\": null, \"writer_ops_per_sec\": null");
    const char *names[] = {"publish", "publish_wait", "publish_apply", "staleness"};
    const struct run_quantiles *q[] = {&r->publish, &r->publish_wait, &r->publish_apply,
                                       &r->staleness};
    if (r->has_metrics)
        fprintf(f, ", \"publishes\": %llu", (unsigned long long)r->publishes);
    else
        fprintf(f, ", \"publishes\": null");
    for (size_t k = 0; k < sizeof q / sizeof *q; k++) {
        if (r->has_metrics)
            fprintf(f, ", \"%s_p50_ns\": %.0f, \"%s_p99_ns\": %.0f, \"%s_max_ns\": %.0f",
                    names[k], q[k]->p50_ns, names[k], q[k]->p99_ns, names[k], q[k]->max_ns);
        else
            fprintf(f, ", \"%s_p50_ns\": null, \"%s_p99_ns\": null, \"%s_max_ns\": null",
                    names[k], names[k], names[k]);
    }
}

static void json_results(FILE *f, const struct sweep *sw, const char *indent)
{
    fprintf(f, "[");
    for (size_t i = 0; i < sw->nresults; i++) {
        const struct run_result *r = &sw->results[i];
        char mix[16];
        run_mix_label(r, mix, sizeof mix);
        fprintf(f, "%s\n%s{\"structure\": ", i ? "," : "", indent);
        json_str(f, r->structure);
        fprintf(f, ", \"scheme\": ");
        json_str(f, r->scheme);
        fprintf(f, ", \"threads\": %u, \"mix\": \"%s\", \"rep\": %u, \"duration_s\": %.6f, "
                   "\"ops\": %llu, \"ops_per_sec\": %.1f, \"unreclaimed_peak\": %llu, "
                   "\"unreclaimed_mean\": %.1f, \"unreclaimed_final\": %llu, "
                   "\"unreclaimed_bytes_peak\": %llu, \"rss_peak_kib\": %llu, \"retired\": %llu, "
                   "\"reclaimed\": %llu, \"p50_ns\": %.0f, \"p99_ns\": %.0f, \"p999_ns\": %.0f, "
                   "\"max_ns\": %.0f, \"latency_samples\": %llu, \"oversubscribed\": %s, "
                   "\"teardown_ok\": %s, \"complete\": %s, \"placement\": ",
                r->threads, mix, r->rep, r->duration_s, (unsigned long long)r->ops,
                r->ops_per_sec, (unsigned long long)r->unreclaimed_peak, r->unreclaimed_mean,
                (unsigned long long)r->unreclaimed_final,
                (unsigned long long)r->unreclaimed_bytes_peak,
                (unsigned long long)r->rss_peak_kib, (unsigned long long)r->retired,
                (unsigned long long)r->reclaimed, r->p50_ns, r->p99_ns, r->p999_ns, r->max_ns,
                (unsigned long long)r->latency_samples, r->oversubscribed ? "true" : "false",
                r->teardown_ok ? "true" : "false", r->complete ? "true" : "false");
        json_str(f, r->placement);
        fprintf(f, ", \"effective\": ");
        json_str(f, r->effective);
        /* null: no bound; past 2^63 a string, as other 64-bit values */
        if (r->garbage_bound == UINT64_MAX)
            fprintf(f, ", \"garbage_bound\": null");
        else
            fprintf(f, r->garbage_bound >> 63 ? ", \"garbage_bound\": \"%llu\""
                                              : ", \"garbage_bound\": %llu",
                    (unsigned long long)r->garbage_bound);
        json_u64_array(f, "thread_ops", r->thread_ops, r->threads);
        json_u64_array(f, "thread_retired", r->thread_retired, r->threads);
        json_u64_array(f, "thread_reclaimed", r->thread_reclaimed, r->threads);
        json_u64_array(f, "thread_seed", r->thread_seed, r->threads);
        json_role_metrics(f, r);
        fprintf(f, "}");
    }
    fprintf(f, "\n%s]", indent[0] ? indent + 2 : "");
}

/* "hp.R": 128 */
static void json_setting(FILE *f, const struct cli_setting *s)
{
    char key[128];
    snprintf(key, sizeof key, "%.*s", (int)strcspn(s->arg, "="), s->arg);
    json_str(f, key);
    fprintf(f, ": %ld", s->value);
}

static void json_run(FILE *f, const struct run_options *o, const struct sweep *sw)
{
    struct buildinfo b;
    buildinfo_get(&b);
    fprintf(f, "{\n  \"tool\": \"smrbench\",\n  \"complete\": %s,\n  \"started_unix\": %.3f,\n",
            sw->complete ? "true" : "false", sw->started_unix);
    fprintf(f, "  \"command_line\": ");
    json_str(f, o->command_line);
    fprintf(f, ",\n  \"flags\": {\"duration_s\": %g, \"warmup_s\": %g, \"reps\": %u, "
               "\"read_percent\": %u, \"keys\": %llu, \"prefill\": %llu, \"sample_ms\": %u, "
               "\"seed\": %llu, \"pin\": ",
            o->duration_s, o->warmup_s, o->reps, o->read_percent, (unsigned long long)o->keys,
            (unsigned long long)o->prefill, o->sample_ms, (unsigned long long)o->seed);
    json_str(f, o->pin_arg);
    fprintf(f, ", \"dist\": ");
    json_str(f, o->dist_arg);
    fprintf(f, ", \"writers\": %d, \"stall\": ", o->writers);
    if (o->stall_thread >= 0)
        fprintf(f, "{\"thread\": %d, \"start_s\": %g, \"len_s\": %g}", o->stall_thread,
                o->stall_start_s, o->stall_len_s);
    else
        fprintf(f, "null");
    fprintf(f, ", \"tune\": {");
    for (unsigned i = 0; i < o->ntunes; i++) {
        fprintf(f, "%s", i ? ", " : "");
        json_setting(f, &o->tunes[i]);
    }
    fprintf(f, "}, \"opt\": {");
    for (unsigned i = 0; i < o->nopts; i++) {
        fprintf(f, "%s", i ? ", " : "");
        json_setting(f, &o->opts[i]);
    }
    fprintf(f, "}");
    fprintf(f, "},\n  \"build\": {\"git_revision\": ");
    json_str(f, b.git_revision);
    fprintf(f, ", \"compiler\": ");
    json_str(f, b.compiler);
    fprintf(f, ", \"c_flags\": ");
    json_str(f, b.c_flags);
    fprintf(f, ", \"build_type\": ");
    json_str(f, b.build_type);
    fprintf(f, ", \"sanitizer\": ");
    json_str(f, b.sanitizer);
    fprintf(f, "},\n  \"machine\": {\"cpu_model\": ");
    json_str(f, b.cpu_model);
    fprintf(f, ", \"hostname\": ");
    json_str(f, b.hostname);
    fprintf(f, ", \"kernel\": ");
    json_str(f, b.kernel);
    fprintf(f, ", \"topology\": ");
    json_str(f, sw->topology);
    fprintf(f, "},\n  \"allocator\": ");
    json_str(f, b.allocator);
    fprintf(f, ",\n  \"results\": ");
    json_results(f, sw, "    ");
    fprintf(f, "\n}\n");
}

bool results_write(const char *dir, const struct run_options *o, const struct sweep *sw)
{
    struct atomic_file a;
    bool ok = true;
    if (af_open(&a, dir, "summary.csv")) {
        csv_summary(a.f, sw);
        ok = af_commit(&a) && ok;
    } else {
        ok = false;
    }
    if (af_open(&a, dir, "series.csv")) {
        csv_series(a.f, sw);
        ok = af_commit(&a) && ok;
    } else {
        ok = false;
    }
    if (af_open(&a, dir, "run.json")) {
        json_run(a.f, o, sw);
        ok = af_commit(&a) && ok;
    } else {
        ok = false;
    }
    return ok;
}

/* ---- table: one line per configuration, median and spread over repetitions ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof(double), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void print_table(FILE *out, const struct sweep *sw)
{
    fprintf(out, "%-10s %-12s %7s %5s %4s %10s %17s %12s %12s %8s %8s %9s\n", "structure",
            "scheme", "threads", "mix", "reps", "Mops/s", "min..max", "unrecl.peak", "unrecl.mean",
            "p50 ns", "p99 ns", "RSS MiB");
    bool *done = calloc(sw->nresults, 1);
    double *tput = calloc(sw->nresults, sizeof(double));
    double *peak = calloc(sw->nresults, sizeof(double));
    double *mean = calloc(sw->nresults, sizeof(double));
    double *rss = calloc(sw->nresults, sizeof(double));
    double *p50 = calloc(sw->nresults, sizeof(double));
    double *p99 = calloc(sw->nresults, sizeof(double));
    for (size_t i = 0; i < sw->nresults; i++) {
        if (done[i])
            continue;
        const struct run_result *r = &sw->results[i];
        size_t n = 0;
        for (size_t j = i; j < sw->nresults; j++) {
            const struct run_result *q = &sw->results[j];
            if (!done[j] && q->threads == r->threads && strcmp(q->scheme, r->scheme) == 0 &&
                strcmp(q->structure, r->structure) == 0) {
                done[j] = true;
                tput[n] = q->ops_per_sec / 1e6;
                peak[n] = (double)q->unreclaimed_peak;
                mean[n] = q->unreclaimed_mean;
                rss[n] = (double)q->rss_peak_kib / 1024.0;
                p50[n] = q->p50_ns;
                p99[n] = q->p99_ns;
                n++;
            }
        }
        double med = median(tput, n), lo = tput[0], hi = tput[n - 1];
        char spread[32], mix[16];
        snprintf(spread, sizeof spread, "%.3f..%.3f", lo, hi);
        run_mix_label(r, mix, sizeof mix);
        fprintf(out, "%-10s %-12s %7u %5s %4zu %10.3f %17s %12.0f %12.0f %8.0f %8.0f %9.1f%s\n",
                r->structure, r->scheme, r->threads, mix, n, med, n > 1 ? spread : "-",
                median(peak, n), median(mean, n), median(p50, n), median(p99, n), median(rss, n),
                r->oversubscribed ? "  (oversubscribed)" : "");
    }
    free(done);
    free(tput);
    free(peak);
    free(mean);
    free(rss);
    free(p50);
    free(p99);
}

/* ---- second table: throughput by role and publish metrics (dbmap), medians over reps ---- */

static bool same_config(const struct run_result *a, const struct run_result *b)
{
    return a->threads == b->threads && strcmp(a->scheme, b->scheme) == 0 &&
           strcmp(a->structure, b->structure) == 0;
}

typedef double (*result_field)(const struct run_result *r);
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

static double group_median(const struct sweep *sw, size_t first, result_field get, double *scratch)
{
    size_t n = 0;
    for (size_t j = first; j < sw->nresults; j++)
        if (same_config(&sw->results[j], &sw->results[first]))
            scratch[n++] = get(&sw->results[j]);
    return median(scratch, n);
}

static void print_roles_table(FILE *out, const struct sweep *sw)
{
    bool any = false;
    for (size_t i = 0; i < sw->nresults; i++)
        any |= sw->results[i].writers >= 0 || sw->results[i].has_metrics;
    if (!any)
        return;
    fprintf(out, "\n%-10s %-12s %7s %5s %9s %9s %10s %28s %9s %9s %17s\n", "structure", "scheme",
            "threads", "mix", "rd Mops/s", "wr Mops/s", "publish/s", "publish us p50/p99/max",
            "wait p99", "apply p99", "stale us p50/p99");
    double *scratch = calloc(sw->nresults, sizeof(double));
    for (size_t i = 0; i < sw->nresults; i++) {
        const struct run_result *r = &sw->results[i];
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = same_config(&sw->results[j], r);
        if (seen || (r->writers < 0 && !r->has_metrics))
            continue;
        char mix[16], rd[16] = "-", wr[16] = "-", pub[16] = "-", lat[40] = "-", wait[16] = "-",
             apply[16] = "-", stale[32] = "-";
        run_mix_label(r, mix, sizeof mix);
        if (r->writers >= 0) {
            snprintf(rd, sizeof rd, "%.3f", group_median(sw, i, f_reader, scratch));
            snprintf(wr, sizeof wr, "%.3f", group_median(sw, i, f_writer, scratch));
        }
        if (r->has_metrics) {
            snprintf(pub, sizeof pub, "%.0f", group_median(sw, i, f_publishes, scratch));
            snprintf(lat, sizeof lat, "%.1f/%.1f/%.1f", group_median(sw, i, f_pub50, scratch),
                     group_median(sw, i, f_pub99, scratch), group_median(sw, i, f_pubmax, scratch));
            snprintf(wait, sizeof wait, "%.1f", group_median(sw, i, f_wait99, scratch));
            snprintf(apply, sizeof apply, "%.1f", group_median(sw, i, f_apply99, scratch));
            snprintf(stale, sizeof stale, "%.1f/%.1f", group_median(sw, i, f_stale50, scratch),
                     group_median(sw, i, f_stale99, scratch));
        }
        fprintf(out, "%-10s %-12s %7u %5s %9s %9s %10s %28s %9s %9s %17s\n", r->structure,
                r->scheme, r->threads, mix, rd, wr, pub, lat, wait, apply, stale);
    }
    free(scratch);
}

void results_print(FILE *out, const struct run_options *o, const struct sweep *sw)
{
    if (o->quiet)
        return;
    switch (o->format) {
    case FORMAT_TABLE:
        print_table(out, sw);
        print_roles_table(out, sw);
        break;
    case FORMAT_CSV:
        csv_summary(out, sw);
        break;
    case FORMAT_JSON:
        json_run(out, o, sw);
        break;
    }
}
