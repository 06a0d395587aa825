/* runset_csv.c - summary.csv and series.csv, checked field by field against
   the columns they are known to have (results/README.md). Columns are
   found by name; a column no rule knows is left alone, so writers can add
   columns without breaking readers. */
#include "runset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a field may hold. Empty means "does not apply" (or, in a failed
   row, "not measured") and is allowed except in the key columns, the
   verdict and, in an ok row, ops_per_sec. */
enum kind { K_NAME, K_MIX, K_THREADS, K_REP, K_COUNT, K_AMOUNT, K_FLAG, K_STATUS, K_TEXT };

static const char *const kind_allowed[] = {
    [K_NAME] = "a name (letters, digits, _ . + -)",
    [K_MIX] = "a mix (r0 to r100, or w1 and up)",
    [K_THREADS] = "a thread count (1 or more)",
    [K_REP] = "a repetition number (0 or more)",
    [K_COUNT] = "a whole number, 0 or more",
    [K_AMOUNT] = "a number, 0 or more",
    [K_FLAG] = "0 or 1",
    [K_STATUS] = "ok, interrupted or failed",
    [K_TEXT] = "text",
};

/* Whether the column must be there, and its fields filled. */
enum need { OPTIONAL, COLUMN, FILLED };

struct rule {
    const char *name;
    enum kind kind;
    enum need need;
};

static const struct rule summary_rules[] = {
    {"structure", K_NAME, FILLED}, {"scheme", K_NAME, FILLED}, {"threads", K_THREADS, FILLED},
    {"mix", K_MIX, FILLED}, {"rep", K_REP, FILLED}, {"ops_per_sec", K_AMOUNT, COLUMN},
    {"duration_s", K_AMOUNT, OPTIONAL}, {"ops", K_COUNT, OPTIONAL},
    {"unreclaimed_peak", K_COUNT, OPTIONAL}, {"unreclaimed_mean", K_AMOUNT, OPTIONAL},
    {"unreclaimed_final", K_COUNT, OPTIONAL}, {"rss_peak_kib", K_COUNT, OPTIONAL},
    {"p50_ns", K_AMOUNT, OPTIONAL}, {"p99_ns", K_AMOUNT, OPTIONAL}, {"max_ns", K_AMOUNT, OPTIONAL},
    {"p999_ns", K_AMOUNT, OPTIONAL}, {"latency_samples", K_COUNT, OPTIONAL},
    {"unreclaimed_bytes_peak", K_COUNT, OPTIONAL}, {"retired", K_COUNT, OPTIONAL},
    {"reclaimed", K_COUNT, OPTIONAL}, {"oversubscribed", K_FLAG, OPTIONAL},
    {"teardown_ok", K_FLAG, OPTIONAL}, {"complete", K_FLAG, OPTIONAL}, {"allocator", K_TEXT, OPTIONAL},
    {"reader_ops_per_sec", K_AMOUNT, OPTIONAL}, {"writer_ops_per_sec", K_AMOUNT, OPTIONAL},
    {"publishes", K_COUNT, OPTIONAL}, {"publish_p50_ns", K_AMOUNT, OPTIONAL},
    {"publish_p99_ns", K_AMOUNT, OPTIONAL}, {"publish_max_ns", K_AMOUNT, OPTIONAL},
    {"publish_wait_p50_ns", K_AMOUNT, OPTIONAL}, {"publish_wait_p99_ns", K_AMOUNT, OPTIONAL},
    {"publish_wait_max_ns", K_AMOUNT, OPTIONAL}, {"publish_apply_p50_ns", K_AMOUNT, OPTIONAL},
    {"publish_apply_p99_ns", K_AMOUNT, OPTIONAL}, {"publish_apply_max_ns", K_AMOUNT, OPTIONAL},
    {"staleness_p50_ns", K_AMOUNT, OPTIONAL}, {"staleness_p99_ns", K_AMOUNT, OPTIONAL},
    {"staleness_max_ns", K_AMOUNT, OPTIONAL}, {"status", K_STATUS, OPTIONAL},
    {"failure", K_TEXT, OPTIONAL}, {"machine", K_TEXT, OPTIONAL},
};
/* The first six are summary_rules' key columns and ops_per_sec, in this order. */
enum { S_STRUCTURE, S_SCHEME, S_THREADS, S_MIX, S_REP, S_OPS };

static const struct rule series_rules[] = {
    {"structure", K_NAME, FILLED}, {"scheme", K_NAME, FILLED}, {"threads", K_THREADS, FILLED},
    {"rep", K_REP, FILLED}, {"t_ms", K_AMOUNT, FILLED}, {"ops", K_COUNT, FILLED},
    {"unreclaimed", K_COUNT, FILLED}, {"unreclaimed_bytes", K_COUNT, FILLED},
    {"rss_kib", K_COUNT, FILLED}, {"machine", K_TEXT, OPTIONAL},
};

#define NRULES(r) (sizeof(r) / sizeof((r)[0]))

/* Digits, a point and more digits, an exponent: what %f, %g and %llu
   write. No sign, no inf or nan, no hex. */
static bool plain_number(const char *s)
{
    size_t n = strspn(s, "0123456789"), frac = 0;
    if (s[n] == '.')
        frac = strspn(s + n + 1, "0123456789") + 1;
    if (n + frac == 0 || (n == 0 && frac == 1))
        return false;
    s += n + frac;
    if (*s == 'e' || *s == 'E') {
        s += 1 + (s[1] == '+' || s[1] == '-');
        n = strspn(s, "0123456789");
        if (n == 0)
            return false;
        s += n;
    }
    return *s == 0;
}

static bool field_ok(enum kind k, const char *s)
{
    size_t digits = strspn(s, "0123456789");
    double v = plain_number(s) ? strtod(s, NULL) : NAN;
    switch (k) {
    case K_NAME:
        return runset_is_name(s);
    case K_MIX:
        return runset_is_mix(s);
    case K_THREADS:
        return !s[digits] && v >= 1 && v <= 1 << 20;
    case K_REP:
        return !s[digits] && v <= 1e9;
    case K_COUNT:
        return !s[digits] && v < 18446744073709551616.0;
    case K_AMOUNT:
        return isfinite(v);
    case K_FLAG:
        return strcmp(s, "0") == 0 || strcmp(s, "1") == 0;
    case K_STATUS:
        return runset_status_of(s) >= 0;
    case K_TEXT:
        return true;
    }
    return false;
}

/* The rules' columns in c (col[i], -1 when absent): false when a required
   one is missing or a column name appears twice. */
static bool find_columns(const struct csv *c, const char *file, const struct rule *rules,
                         size_t nrules, int *col, char *err, size_t errlen)
{
    for (size_t i = 0; i < c->ncols; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(c->header[i], c->header[j]) == 0) {
                snprintf(err, errlen, "%s: column '%s' appears twice in the header", file,
                         c->header[i]);
                return false;
            }
    for (size_t r = 0; r < nrules; r++)
        if ((col[r] = csv_col(c, rules[r].name)) < 0 && rules[r].need != OPTIONAL) {
            snprintf(err, errlen, "%s has no column '%s'", file, rules[r].name);
            return false;
        }
    return true;
}

/* Every row: as many fields as the header, each one what its column holds. */
static bool check_rows(const struct csv *c, const char *file, const struct rule *rules,
                       size_t nrules, const int *col, char *err, size_t errlen)
{
    if (c->cut_short) {
        snprintf(err, errlen, "%s line %zu: the line has no end (the file was cut short)", file,
                 c->nrows ? c->line[c->nrows - 1] : 1);
        return false;
    }
    for (size_t row = 0; row < c->nrows; row++) {
        if (c->nfields[row] == 0) {
            snprintf(err, errlen, "%s line %zu: a quote is not closed", file, c->line[row]);
            return false;
        }
        if (c->nfields[row] != c->ncols) {
            snprintf(err, errlen, "%s line %zu has %zu fields, the header %zu (a cut or edited "
                     "row)", file, c->line[row], c->nfields[row], c->ncols);
            return false;
        }
        for (size_t r = 0; r < nrules; r++) {
            const char *s = csv_str(c, row, col[r]);
            if (col[r] < 0 || (!*s && rules[r].need != FILLED) || field_ok(rules[r].kind, s))
                continue;
            snprintf(err, errlen, "%s line %zu, column %s: '%.40s' is not %s", file,
                     c->line[row], rules[r].name, s, *s ? kind_allowed[rules[r].kind] : "given");
            return false;
        }
    }
    return true;
}

/* Load a CSV, find the rules' columns and check every row. */
static bool load_checked(struct csv *c, const char *path, const struct rule *rules,
                         size_t nrules, int *col, char *err, size_t errlen)
{
    char why[256];
    if (!csv_load(path, c, why, sizeof why)) {
        snprintf(err, errlen, "%s: %s", path, why);
        return false;
    }
    return find_columns(c, path, rules, nrules, col, err, errlen) &&
           check_rows(c, path, rules, nrules, col, err, errlen);
}

bool runset_read_series(struct runset *rs, const char *path, char *err, size_t errlen)
{
    int col[NRULES(series_rules)];
    return load_checked(&rs->series, path, series_rules, NRULES(series_rules), col, err, errlen);
}

/* The verdict of each row: its status column, or for files written before
   it, complete and teardown_ok. */
static bool summary_verdicts(struct runset *rs, const char *path, const int *col, char *err,
                             size_t errlen)
{
    const struct csv *c = &rs->summary;
    int status = csv_col(c, "status"), failure = csv_col(c, "failure");
    int complete = csv_col(c, "complete"), teardown = csv_col(c, "teardown_ok");
    int machine = csv_col(c, "machine");
    if (status < 0 && (complete < 0 || teardown < 0)) {
        snprintf(err, errlen, "%s has neither a status column nor complete and teardown_ok", path);
        return false;
    }
    for (size_t row = 0; row < c->nrows; row++) {
        struct runset_result *r = &rs->rows[row];
        r->structure = csv_str(c, row, col[S_STRUCTURE]);
        r->scheme = csv_str(c, row, col[S_SCHEME]);
        r->mix = csv_str(c, row, col[S_MIX]);
        r->threads = (unsigned)csv_num(c, row, col[S_THREADS]);
        r->rep = (unsigned)csv_num(c, row, col[S_REP]);
        r->ops_per_sec = csv_num(c, row, col[S_OPS]);
        r->machine = csv_str(c, row, machine);
        /* The verdict's own columns must be filled (the rules allow them empty,
           since a file has either status or complete and teardown_ok). */
        const char *st = csv_str(c, row, status), *cs = csv_str(c, row, complete),
                   *ts = csv_str(c, row, teardown);
        const char *missing = status >= 0 ? (*st ? NULL : "status")
                              : !*cs ? "complete" : !*ts ? "teardown_ok" : NULL;
        if (missing) {
            snprintf(err, errlen, "%s line %zu, column %s: '' is not given", path, c->line[row],
                     missing);
            return false;
        }
        if (status >= 0) {
            r->status = (enum runset_status)runset_status_of(st);
            r->failure = r->status == RUNSET_OK ? "" : csv_str(c, row, failure);
        } else {
            runset_legacy_status(r, cs[0] == '1', ts[0] == '1');
        }
        if (r->status == RUNSET_OK && isnan(r->ops_per_sec)) {
            snprintf(err, errlen, "%s line %zu, column ops_per_sec: '' is not given (the row "
                     "says ok)", path, c->line[row]);
            return false;
        }
    }
    return true;
}

bool runset_read_summary(struct runset *rs, const char *path, char *err, size_t errlen)
{
    int col[NRULES(summary_rules)];
    const struct csv *c = &rs->summary;
    if (!load_checked(&rs->summary, path, summary_rules, NRULES(summary_rules), col, err, errlen))
        return false;
    /* (A series.csv with a header only is sound: a run cut short before
       its first sample.) */
    if (c->nrows == 0) {
        snprintf(err, errlen, "%s holds no results (a header only)", path);
        return false;
    }
    rs->rows = calloc(c->nrows, sizeof(*rs->rows));
    if (!rs->rows)
        abort();
    if (!summary_verdicts(rs, path, col, err, errlen))
        return false;
    size_t first, again;
    if (runset_find_repeat(rs->rows, c->nrows, &first, &again)) {
        snprintf(err, errlen, "%s line %zu repeats line %zu: the same machine, structure, scheme, "
                 "threads, mix and rep", path, c->line[again], c->line[first]);
        return false;
    }
    return true;
}
