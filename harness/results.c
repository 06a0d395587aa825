/* results.c - results files and stdout tables. */
#include "results.h"

#include <errno.h>
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

static void csv_summary(FILE *f, const struct sweep *sw)
{
    fprintf(f, "structure,scheme,threads,mix,rep,duration_s,ops,ops_per_sec,unreclaimed_peak,"
               "unreclaimed_mean,unreclaimed_final,rss_peak_kib,p50_ns,p99_ns,max_ns,"
               "p999_ns,latency_samples,unreclaimed_bytes_peak,retired,reclaimed,oversubscribed,"
               "teardown_ok,complete,allocator\n");
    for (size_t i = 0; i < sw->nresults; i++) {
        const struct run_result *r = &sw->results[i];
        char mix[16];
        run_mix_label(r, mix, sizeof mix);
        fprintf(f, "%s,%s,%u,%s,%u,%.6f,%llu,%.1f,%llu,%.1f,%llu,%llu,%.0f,%.0f,%.0f,%.0f,%llu,"
                   "%llu,%llu,%llu,%d,%d,%d,%s\n",
                r->structure, r->scheme, r->threads, mix, r->rep, r->duration_s,
                (unsigned long long)r->ops, r->ops_per_sec, (unsigned long long)r->unreclaimed_peak,
                r->unreclaimed_mean, (unsigned long long)r->unreclaimed_final,
                (unsigned long long)r->rss_peak_kib, r->p50_ns, r->p99_ns, r->max_ns, r->p999_ns,
                (unsigned long long)r->latency_samples,
                (unsigned long long)r->unreclaimed_bytes_peak, (unsigned long long)r->retired,
                (unsigned long long)r->reclaimed, r->oversubscribed, r->teardown_ok, r->complete,
                sw->allocator);
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
        json_u64_array(f, "thread_ops", r->thread_ops, r->threads);
        json_u64_array(f, "thread_retired", r->thread_retired, r->threads);
        json_u64_array(f, "thread_reclaimed", r->thread_reclaimed, r->threads);
        json_u64_array(f, "thread_seed", r->thread_seed, r->threads);
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
    fprintf(out, "%-10s %-10s %7s %5s %4s %10s %17s %12s %12s %8s %8s %9s\n", "structure",
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
        fprintf(out, "%-10s %-10s %7u %5s %4zu %10.3f %17s %12.0f %12.0f %8.0f %8.0f %9.1f%s\n",
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

void results_print(FILE *out, const struct run_options *o, const struct sweep *sw)
{
    if (o->quiet)
        return;
    switch (o->format) {
    case FORMAT_TABLE:
        print_table(out, sw);
        break;
    case FORMAT_CSV:
        csv_summary(out, sw);
        break;
    case FORMAT_JSON:
        json_run(out, o, sw);
        break;
    }
}
