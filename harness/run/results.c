/* results.c - summary.csv, series.csv and run.json: their formats, and stdout. */
#include "results.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buildinfo.h"
#include "plan.h"

/* The cell's measurement columns are filled: its window was measured and
   it did not fail (a failed cell's numbers are no measurement). */
static bool has_window(const struct run_result *r)
{
    return r->measured && r->status != RUN_FAILED;
}

/* The publish and staleness quantiles mean something: dbmap published. */
static bool has_publish_latency(const struct run_result *r)
{
    return has_window(r) && r->has_metrics && r->publishes > 0;
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

void results_csv_header(FILE *f)
{
    fprintf(f, "structure,scheme,threads,mix,rep,duration_s,ops,ops_per_sec,unreclaimed_peak,"
               "unreclaimed_mean,unreclaimed_final,rss_peak_kib,p50_ns,p99_ns,max_ns,"
               "p999_ns,latency_samples,unreclaimed_bytes_peak,retired,reclaimed,oversubscribed,"
               "teardown_ok,complete,allocator,reader_ops_per_sec,writer_ops_per_sec,publishes,"
               "publish_p50_ns,publish_p99_ns,publish_max_ns,publish_wait_p50_ns,"
               "publish_wait_p99_ns,publish_wait_max_ns,publish_apply_p50_ns,publish_apply_p99_ns,"
               "publish_apply_max_ns,staleness_p50_ns,staleness_p99_ns,staleness_max_ns,"
               "status,failure,keys,prefill,insert_success,delete_success,machine\n");
}

void results_csv_row(FILE *f, const struct sweep *sw, const struct run_result *r)
{
    char mix[16];
    run_mix_label(r, mix, sizeof mix);
    bool w = has_window(r);
    fprintf(f, "%s,%s,%u,%s,%u", r->structure, r->scheme, r->threads, mix, r->rep);
    csv_optional(f, w, "%.6f", r->duration_s);
    csv_optional(f, w, "%llu", (unsigned long long)r->ops);
    csv_optional(f, w, "%.1f", r->ops_per_sec);
    csv_optional(f, w, "%llu", (unsigned long long)r->unreclaimed_peak);
    csv_optional(f, w, "%.1f", r->unreclaimed_mean);
    csv_optional(f, w, "%llu", (unsigned long long)r->unreclaimed_final);
    csv_optional(f, w, "%llu", (unsigned long long)r->rss_peak_kib);
    csv_optional(f, w, "%.0f", r->p50_ns);
    csv_optional(f, w, "%.0f", r->p99_ns);
    csv_optional(f, w, "%.0f", r->max_ns);
    csv_optional(f, w, "%.0f", r->p999_ns);
    csv_optional(f, w, "%llu", (unsigned long long)r->latency_samples);
    csv_optional(f, w, "%llu", (unsigned long long)r->unreclaimed_bytes_peak);
    csv_optional(f, w, "%llu", (unsigned long long)r->retired);
    csv_optional(f, w, "%llu", (unsigned long long)r->reclaimed);
    /* Known once the cell reported, whatever its status. */
    csv_optional(f, r->reported, "%d", r->oversubscribed);
    csv_optional(f, r->reported, "%d", r->teardown_ok);
    fprintf(f, ",%d,%s", r->complete, sw->allocator);
    csv_optional(f, w && r->reader_ops_per_sec >= 0, "%.1f", r->reader_ops_per_sec);
    csv_optional(f, w && r->writer_ops_per_sec >= 0, "%.1f", r->writer_ops_per_sec);
    csv_optional(f, w && r->has_metrics, "%llu", (unsigned long long)r->publishes);
    const struct run_quantiles *q[] = {&r->publish, &r->publish_wait, &r->publish_apply,
                                       &r->staleness};
    bool lat = has_publish_latency(r);
    for (size_t k = 0; k < sizeof q / sizeof *q; k++) {
        csv_optional(f, lat, "%.0f", q[k]->p50_ns);
        csv_optional(f, lat, "%.0f", q[k]->p99_ns);
        csv_optional(f, lat, "%.0f", q[k]->max_ns);
    }
    fprintf(f, ",%s,", run_status_name(r->status));
    /* A field of its own whatever the text: no comma, no quote. */
    for (const char *c = r->failure; *c; c++)
        fputc(*c == ',' ? ';' : *c == '"' ? '\'' : *c, f);
    fprintf(f, ",%llu,%llu", (unsigned long long)r->keys, (unsigned long long)r->prefill);
    const struct keyed_counts *c = &r->counts;
    csv_optional(f, r->has_counts && c->inserts, "%.4f", (double)c->inserted / (double)c->inserts);
    csv_optional(f, r->has_counts && c->deletes, "%.4f", (double)c->deleted / (double)c->deletes);
    fprintf(f, ",%s\n", sw->machine);
}

static void csv_summary(FILE *f, const struct sweep *sw)
{
    results_csv_header(f);
    for (size_t i = 0; i < sw->nresults; i++)
        results_csv_row(f, sw, &sw->results[i]);
}

void results_series_header(FILE *f)
{
    fprintf(f, "structure,scheme,threads,rep,t_ms,ops,unreclaimed,unreclaimed_bytes,rss_kib,"
               "machine\n");
}

void results_series_rows(FILE *f, const struct sweep *sw, const struct run_result *r)
{
    for (size_t j = 0; has_window(r) && j < r->nseries; j++) {
        const struct series_point *p = &r->series[j];
        fprintf(f, "%s,%s,%u,%u,%u,%llu,%llu,%llu,%llu,%s\n", r->structure, r->scheme,
                r->threads, r->rep, p->t_ms, (unsigned long long)p->ops,
                (unsigned long long)p->unreclaimed, (unsigned long long)p->unreclaimed_bytes,
                (unsigned long long)p->rss_kib, sw->machine);
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

/*
 * A per-thread array, null when the cell has none. Values that may exceed
 * 2^63 (seeds) as decimal strings: many JSON readers refuse an integer
 * beyond int64 or round it through a double.
 */
static void json_u64_array(FILE *f, const char *name, const uint64_t *v, unsigned n,
                           bool as_strings)
{
    fprintf(f, ", \"%s\": ", name);
    if (!v) {
        fprintf(f, "null");
        return;
    }
    fputc('[', f);
    for (unsigned i = 0; i < n; i++)
        fprintf(f, as_strings ? "%s\"%llu\"" : "%s%llu", i ? ", " : "",
                (unsigned long long)v[i]);
    fputc(']', f);
}

/* "name": value, or "name": null when it does not apply. */
__attribute__((format(printf, 4, 5)))
static void json_optional(FILE *f, const char *name, bool present, const char *fmt, ...)
{
    fprintf(f, ", \"%s\": ", name);
    if (!present) {
        fprintf(f, "null");
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
}

/* Throughput by role and the structure's metrics: null when they do not apply. */
static void json_role_metrics(FILE *f, const struct run_result *r)
{
    bool w = has_window(r);
    json_optional(f, "reader_ops_per_sec", w && r->reader_ops_per_sec >= 0, "%.1f",
                  r->reader_ops_per_sec);
    json_optional(f, "writer_ops_per_sec", w && r->writer_ops_per_sec >= 0, "%.1f",
                  r->writer_ops_per_sec);
    json_optional(f, "publishes", w && r->has_metrics, "%llu", (unsigned long long)r->publishes);
    const char *names[] = {"publish", "publish_wait", "publish_apply", "staleness"};
    const struct run_quantiles *q[] = {&r->publish, &r->publish_wait, &r->publish_apply,
                                       &r->staleness};
    bool lat = has_publish_latency(r);
    for (size_t k = 0; k < sizeof q / sizeof *q; k++) {
        char key[64];
        snprintf(key, sizeof key, "%s_p50_ns", names[k]);
        json_optional(f, key, lat, "%.0f", q[k]->p50_ns);
        snprintf(key, sizeof key, "%s_p99_ns", names[k]);
        json_optional(f, key, lat, "%.0f", q[k]->p99_ns);
        snprintf(key, sizeof key, "%s_max_ns", names[k]);
        json_optional(f, key, lat, "%.0f", q[k]->max_ns);
    }
}

static void json_bool(FILE *f, const char *name, bool present, bool v)
{
    json_optional(f, name, present, "%s", v ? "true" : "false");
}

/* The key range and prefill; a keyed set's insert and delete counts over
   the whole run (prefill excluded) and their success rates, else null. */
static void json_keyed(FILE *f, const struct run_result *r)
{
    const struct keyed_counts *c = &r->counts;
    bool k = r->has_counts;
    fprintf(f, ", \"keys\": %llu, \"prefill\": %llu", (unsigned long long)r->keys,
            (unsigned long long)r->prefill);
    json_optional(f, "prefilled", k, "%llu", (unsigned long long)c->prefilled);
    json_optional(f, "inserts", k, "%llu", (unsigned long long)c->inserts);
    json_optional(f, "inserted", k, "%llu", (unsigned long long)c->inserted);
    json_optional(f, "deletes", k, "%llu", (unsigned long long)c->deletes);
    json_optional(f, "deleted", k, "%llu", (unsigned long long)c->deleted);
    json_optional(f, "insert_success", k && c->inserts, "%.4f",
                  (double)c->inserted / (double)c->inserts);
    json_optional(f, "delete_success", k && c->deletes, "%.4f",
                  (double)c->deleted / (double)c->deletes);
}

/* The measured window's values of a cell, null when it has none. */
static void json_window(FILE *f, const struct run_result *r)
{
    bool w = has_window(r);
    json_optional(f, "duration_s", w, "%.6f", r->duration_s);
    json_optional(f, "ops", w, "%llu", (unsigned long long)r->ops);
    json_optional(f, "ops_per_sec", w, "%.1f", r->ops_per_sec);
    json_optional(f, "unreclaimed_peak", w, "%llu", (unsigned long long)r->unreclaimed_peak);
    json_optional(f, "unreclaimed_mean", w, "%.1f", r->unreclaimed_mean);
    json_optional(f, "unreclaimed_final", w, "%llu", (unsigned long long)r->unreclaimed_final);
    json_optional(f, "unreclaimed_bytes_peak", w, "%llu",
                  (unsigned long long)r->unreclaimed_bytes_peak);
    json_optional(f, "rss_peak_kib", w, "%llu", (unsigned long long)r->rss_peak_kib);
    json_optional(f, "retired", w, "%llu", (unsigned long long)r->retired);
    json_optional(f, "reclaimed", w, "%llu", (unsigned long long)r->reclaimed);
    json_optional(f, "p50_ns", w, "%.0f", r->p50_ns);
    json_optional(f, "p99_ns", w, "%.0f", r->p99_ns);
    json_optional(f, "p999_ns", w, "%.0f", r->p999_ns);
    json_optional(f, "max_ns", w, "%.0f", r->max_ns);
    json_optional(f, "latency_samples", w, "%llu", (unsigned long long)r->latency_samples);
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
        fprintf(f, ", \"threads\": %u, \"mix\": \"%s\", \"rep\": %u, \"status\": \"%s\", "
                   "\"failure\": ", r->threads, mix, r->rep, run_status_name(r->status));
        if (r->status == RUN_OK)
            fprintf(f, "null");
        else
            json_str(f, r->failure);
        json_window(f, r);
        json_bool(f, "oversubscribed", r->reported, r->oversubscribed);
        json_bool(f, "teardown_ok", r->reported, r->teardown_ok);
        json_bool(f, "complete", true, r->complete);
        json_keyed(f, r);
        fprintf(f, ", \"placement\": ");
        if (r->reported)
            json_str(f, r->placement);
        else
            fprintf(f, "null");
        fprintf(f, ", \"effective\": ");
        json_str(f, r->effective);
        /* null: no bound; past 2^63 a string, as other 64-bit values */
        if (r->garbage_bound == UINT64_MAX)
            fprintf(f, ", \"garbage_bound\": null");
        else
            fprintf(f, r->garbage_bound >> 63 ? ", \"garbage_bound\": \"%llu\""
                                              : ", \"garbage_bound\": %llu",
                    (unsigned long long)r->garbage_bound);
        bool w = has_window(r);
        json_u64_array(f, "thread_ops", w ? r->thread_ops : NULL, r->threads, false);
        json_u64_array(f, "thread_retired", w ? r->thread_retired : NULL, r->threads, false);
        json_u64_array(f, "thread_reclaimed", w ? r->thread_reclaimed : NULL, r->threads, false);
        json_u64_array(f, "thread_seed", r->thread_seed, r->threads, true);
        json_role_metrics(f, r);
        fprintf(f, ", \"machine\": ");
        json_str(f, sw->machine);
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

static void json_flags(FILE *f, const struct run_options *o)
{
    fprintf(f, ",\n  \"flags\": {\"duration_s\": %g, \"warmup_s\": %g, \"reps\": %u",
            o->duration_s, o->warmup_s, o->reps);
    /* With --writers, threads have roles and no read percentage applies. */
    json_optional(f, "read_percent", o->writers < 0, "%u", o->read_percent);
    fprintf(f, ", \"keys\": %llu, \"prefill\": %llu, \"sample_ms\": %u, \"seed\": \"%llu\", "
               "\"pin\": ", (unsigned long long)o->keys, (unsigned long long)o->prefill,
            o->sample_ms, (unsigned long long)o->seed);
    json_str(f, o->pin_arg);
    fprintf(f, ", \"dist\": ");
    json_str(f, o->dist_arg);
    fprintf(f, ", \"writers\": %d, \"stall\": ", o->writers);
    if (o->stall_thread >= 0)
        fprintf(f, "{\"thread\": %d, \"start_s\": %g, \"len_s\": %g}", o->stall_thread,
                o->stall_start_s, o->stall_len_s);
    else
        fprintf(f, "null");
    json_optional(f, "cell_timeout_s", o->cell_timeout_s > 0, "%g", o->cell_timeout_s);
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
    fprintf(f, "}}");
}

void results_json(FILE *f, const struct run_options *o, const struct sweep *sw)
{
    struct buildinfo b;
    buildinfo_get(&b);
    fprintf(f, "{\n  \"tool\": \"smrbench\",\n  \"complete\": %s,\n  \"isolation\": \"%s\",\n"
               "  \"started_unix\": %.3f,\n",
            sw->complete ? "true" : "false",
            o->isolation == ISOLATION_PROCESS ? "process" : "single", sw->started_unix);
    fprintf(f, "  \"command_line\": ");
    json_str(f, o->command_line);
    /* The plan (plan.h): shards of one sweep share its id; merge checks it. */
    fprintf(f, ",\n  \"plan\": {\"id\": \"%016llx\", \"cells\": %u, \"blocks\": %u, \"shard\": ",
            (unsigned long long)plan_id(o), plan_cells(o), plan_blocks(o));
    if (o->shard_count)
        fprintf(f, "{\"index\": %u, \"count\": %u}}", o->shard_index, o->shard_count);
    else
        fprintf(f, "null}");
    json_flags(f, o);
    fprintf(f, ",\n  \"build\": {\"version\": ");
    json_str(f, b.version);
    fprintf(f, ", \"git_revision\": ");
    json_str(f, b.git_revision);
    fprintf(f, ", \"compiler\": ");
    json_str(f, b.compiler);
    fprintf(f, ", \"c_flags\": ");
    json_str(f, b.c_flags);
    fprintf(f, ", \"definitions\": ");
    json_str(f, b.definitions);
    fprintf(f, ", \"build_type\": ");
    json_str(f, b.build_type);
    fprintf(f, ", \"sanitizer\": ");
    json_str(f, b.sanitizer);
    fprintf(f, "},\n  \"machine\": {\"label\": ");
    json_str(f, sw->host_label);
    fprintf(f, ", \"cpu_model\": ");
    json_str(f, b.cpu_model);
    fprintf(f, ", \"hostname\": ");
    json_str(f, b.hostname);
    fprintf(f, ", \"kernel\": ");
    json_str(f, b.kernel);
    fprintf(f, ", \"topology\": ");
    json_str(f, sw->topology);
    fprintf(f, ", \"manifest\": %s},\n  \"allocator\": ", sw->manifest ? sw->manifest : "null");
    json_str(f, b.allocator);
    fprintf(f, ",\n  \"results\": ");
    json_results(f, sw, "    ");
    fprintf(f, "\n}\n");
}

void results_print(FILE *out, const struct run_options *o, const struct sweep *sw)
{
    if (o->quiet)
        return;
    switch (o->format) {
    case FORMAT_TABLE:
        results_table(out, sw);
        break;
    case FORMAT_CSV:
        csv_summary(out, sw);
        break;
    case FORMAT_JSON:
        results_json(out, o, sw);
        break;
    }
}
