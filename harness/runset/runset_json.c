/* runset_json.c - run.json with libjansson, checked against its known
   shape: the top level, flags, build, machine and every result. Members
   no rule knows are left alone, so writers can add members. */
#include "runset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a member may hold; every one but a required key may also be absent. */
enum kind {
    J_NAME, J_MIX, J_THREADS, J_REP, /* a result's key */
    J_AMOUNT,                        /* a number >= 0, or null (not measured) */
    J_BOOL, J_FLAG, J_TEXT,          /* true/false; the same or null; a string or null */
    J_STATUS,                        /* "ok", "interrupted", "failed" */
    J_COUNTS,                        /* a list of numbers >= 0 (per thread), or null */
    J_SEED, J_SEEDS,                 /* a 64-bit value as a number or a decimal string; a list of them */
    J_OBJECT, J_LIST, J_STALL,       /* an object; a list; null or {thread, start_s, len_s} */
    J_ISOLATION,                     /* a string, an object or null */
};

static const char *const kind_allowed[] = {
    [J_NAME] = "a name (letters, digits, _ . + -)",
    [J_MIX] = "a mix (\"r0\" to \"r100\", or \"w1\" and up)",
    [J_THREADS] = "a thread count (1 or more)",
    [J_REP] = "a whole number, 0 or more",
    [J_AMOUNT] = "a number, 0 or more, or null",
    [J_BOOL] = "true or false",
    [J_FLAG] = "true, false or null",
    [J_TEXT] = "a string or null",
    [J_STATUS] = "\"ok\", \"interrupted\" or \"failed\"",
    [J_COUNTS] = "a list of numbers, 0 or more, or null",
    [J_SEED] = "a whole number, 0 or more, or one in a decimal string",
    [J_SEEDS] = "a list of whole numbers or decimal strings, or null",
    [J_OBJECT] = "an object",
    [J_LIST] = "a list",
    [J_STALL] = "null or an object with thread, start_s and len_s",
    [J_ISOLATION] = "a string, an object or null",
};

struct member {
    const char *name;
    enum kind kind;
    bool required;
};

static const struct member top_members[] = {
    {"results", J_LIST, true}, {"complete", J_BOOL, false}, {"started_unix", J_AMOUNT, false},
    {"command_line", J_TEXT, false}, {"allocator", J_TEXT, false}, {"tool", J_TEXT, false},
    {"isolation", J_ISOLATION, false}, {"flags", J_OBJECT, false}, {"build", J_OBJECT, false},
    {"machine", J_OBJECT, false}, {"plan", J_OBJECT, false},
    /* smrbench merge's sets (docs/merge.md) */
    {"merged", J_OBJECT, false}, {"machines", J_LIST, false}, {"builds", J_LIST, false},
};
static const struct member flag_members[] = {
    {"stall", J_STALL, false}, {"seed", J_SEED, false}, {"pin", J_TEXT, false},
    {"dist", J_TEXT, false}, {"duration_s", J_AMOUNT, false}, {"warmup_s", J_AMOUNT, false},
};
static const struct member stall_members[] = {
    {"thread", J_REP, true}, {"start_s", J_AMOUNT, true}, {"len_s", J_AMOUNT, true},
};
static const struct member build_members[] = {
    {"version", J_TEXT, false}, {"git_revision", J_TEXT, false}, {"compiler", J_TEXT, false},
    {"c_flags", J_TEXT, false}, {"definitions", J_TEXT, false}, {"build_type", J_TEXT, false},
    {"sanitizer", J_TEXT, false},
};
static const struct member machine_members[] = {
    {"label", J_TEXT, false}, {"cpu_model", J_TEXT, false}, {"hostname", J_TEXT, false},
    {"kernel", J_TEXT, false}, {"topology", J_TEXT, false}, {"manifest", J_OBJECT, false},
};
static const struct member result_members[] = {
    {"structure", J_NAME, true}, {"scheme", J_NAME, true}, {"threads", J_THREADS, true},
    {"mix", J_MIX, true}, {"rep", J_REP, true}, {"status", J_STATUS, false},
    {"failure", J_TEXT, false}, {"complete", J_FLAG, false}, {"teardown_ok", J_FLAG, false},
    {"oversubscribed", J_FLAG, false}, {"placement", J_TEXT, false},
    {"thread_ops", J_COUNTS, false}, {"thread_retired", J_COUNTS, false},
    {"thread_reclaimed", J_COUNTS, false}, {"thread_seed", J_SEEDS, false},
    {"duration_s", J_AMOUNT, false}, {"ops", J_AMOUNT, false}, {"ops_per_sec", J_AMOUNT, false},
    {"unreclaimed_peak", J_AMOUNT, false}, {"unreclaimed_mean", J_AMOUNT, false},
    {"unreclaimed_final", J_AMOUNT, false}, {"unreclaimed_bytes_peak", J_AMOUNT, false},
    {"rss_peak_kib", J_AMOUNT, false}, {"retired", J_AMOUNT, false},
    {"reclaimed", J_AMOUNT, false}, {"p50_ns", J_AMOUNT, false}, {"p99_ns", J_AMOUNT, false},
    {"p999_ns", J_AMOUNT, false}, {"max_ns", J_AMOUNT, false},
    {"latency_samples", J_AMOUNT, false}, {"reader_ops_per_sec", J_AMOUNT, false},
    {"writer_ops_per_sec", J_AMOUNT, false}, {"publishes", J_AMOUNT, false},
    {"publish_p50_ns", J_AMOUNT, false}, {"publish_p99_ns", J_AMOUNT, false},
    {"publish_max_ns", J_AMOUNT, false}, {"publish_wait_p50_ns", J_AMOUNT, false},
    {"publish_wait_p99_ns", J_AMOUNT, false}, {"publish_wait_max_ns", J_AMOUNT, false},
    {"publish_apply_p50_ns", J_AMOUNT, false}, {"publish_apply_p99_ns", J_AMOUNT, false},
    {"publish_apply_max_ns", J_AMOUNT, false}, {"staleness_p50_ns", J_AMOUNT, false},
    {"staleness_p99_ns", J_AMOUNT, false}, {"staleness_max_ns", J_AMOUNT, false},
    {"machine", J_TEXT, false},
};

#define NMEMBERS(m) (sizeof(m) / sizeof((m)[0]))

/* Numbers are read as reals (see runset_read_run): whole means integral. */
static bool whole(json_t *v, double max)
{
    double d = json_number_value(v);
    return json_is_number(v) && d >= 0 && d <= max && d == floor(d);
}

static bool amount(json_t *v)
{
    return json_is_number(v) && json_number_value(v) >= 0 && isfinite(json_number_value(v));
}

/* A 64-bit value: smrbench writes seeds as decimal strings, since readers
   that parse numbers as doubles would round them. */
static bool seed(json_t *v)
{
    const char *s = json_string_value(v);
    if (s)
        return strlen(s) <= 20 && strspn(s, "0123456789") == strlen(s) && *s &&
               strtod(s, NULL) < 18446744073709551616.0;
    return whole(v, 18446744073709551615.0);
}

static bool each(json_t *list, bool (*ok)(json_t *))
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
        if (!ok(v))
            return false;
    return true;
}

static bool value_ok(enum kind k, json_t *v)
{
    const char *s = json_string_value(v);
    switch (k) {
    case J_NAME:
        return s && runset_is_name(s);
    case J_MIX:
        return s && runset_is_mix(s);
    case J_THREADS:
        return whole(v, 1 << 20) && json_number_value(v) >= 1;
    case J_REP:
        return whole(v, 1e9);
    case J_AMOUNT:
        return json_is_null(v) || amount(v);
    case J_BOOL:
        return json_is_boolean(v);
    case J_FLAG:
        return json_is_null(v) || json_is_boolean(v);
    case J_TEXT:
        return json_is_null(v) || s;
    case J_STATUS:
        return s && runset_status_of(s) >= 0;
    case J_COUNTS:
        return json_is_null(v) || (json_is_array(v) && each(v, amount));
    case J_SEED:
        return seed(v);
    case J_SEEDS:
        return json_is_null(v) || (json_is_array(v) && each(v, seed));
    case J_OBJECT:
        return json_is_object(v);
    case J_LIST:
        return json_is_array(v);
    case J_STALL:
        return json_is_null(v) || json_is_object(v);
    case J_ISOLATION:
        return json_is_null(v) || json_is_object(v) || s;
    }
    return false;
}

/* What v is, for a message. */
static void describe(json_t *v, char *buf, size_t len)
{
    if (json_is_string(v))
        snprintf(buf, len, "\"%.40s\"", json_string_value(v));
    else if (json_is_number(v))
        snprintf(buf, len, "%.17g", json_number_value(v));
    else
        snprintf(buf, len, "%s", json_is_null(v) ? "null" : json_is_true(v) ? "true"
                                 : json_is_false(v) ? "false" : json_is_array(v) ? "a list"
                                                                                  : "an object");
}

/* obj's known members: where names obj in the message ("", "flags.",
   "results[3]."). */
static bool check_members(json_t *obj, const struct member *m, size_t n, const char *path,
                          const char *where, char *err, size_t errlen)
{
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_object_get(obj, m[i].name);
        if (!v && !m[i].required)
            continue;
        if (!v) {
            snprintf(err, errlen, "%s: %s%s is missing (must be %s)", path, where, m[i].name,
                     kind_allowed[m[i].kind]);
            return false;
        }
        if (!value_ok(m[i].kind, v)) {
            char what[64];
            describe(v, what, sizeof what);
            snprintf(err, errlen, "%s: %s%s is %s, not %s", path, where, m[i].name, what,
                     kind_allowed[m[i].kind]);
            return false;
        }
    }
    return true;
}

/* Result i: its members, key and verdict. */
static bool read_result(json_t *e, size_t i, struct runset_result *r, const char *path,
                        char *err, size_t errlen)
{
    char where[48];
    snprintf(where, sizeof where, "results[%zu]", i);
    if (!json_is_object(e)) {
        char what[64];
        describe(e, what, sizeof what);
        snprintf(err, errlen, "%s: %s is %s, not an object", path, where, what);
        return false;
    }
    strcat(where, ".");
    if (!check_members(e, result_members, NMEMBERS(result_members), path, where, err, errlen))
        return false;
    r->entry = e;
    r->structure = json_string_value(json_object_get(e, "structure"));
    r->scheme = json_string_value(json_object_get(e, "scheme"));
    r->mix = json_string_value(json_object_get(e, "mix"));
    r->threads = (unsigned)json_number_value(json_object_get(e, "threads"));
    r->rep = (unsigned)json_number_value(json_object_get(e, "rep"));
    const char *machine = json_string_value(json_object_get(e, "machine"));
    r->machine = machine ? machine : "";
    json_t *ops = json_object_get(e, "ops_per_sec");
    r->ops_per_sec = json_is_number(ops) ? json_number_value(ops) : NAN;
    const char *status = json_string_value(json_object_get(e, "status"));
    json_t *complete = json_object_get(e, "complete"), *teardown = json_object_get(e, "teardown_ok");
    if (status) {
        r->status = (enum runset_status)runset_status_of(status);
        const char *failure = json_string_value(json_object_get(e, "failure"));
        r->failure = r->status == RUNSET_OK || !failure ? "" : failure;
    } else if (json_is_boolean(complete) && json_is_boolean(teardown)) {
        runset_legacy_status(r, json_is_true(complete), json_is_true(teardown));
    } else {
        snprintf(err, errlen, "%s: %sstatus is missing, and complete and teardown_ok are not "
                 "both true or false", path, where);
        return false;
    }
    if (r->status == RUNSET_OK && isnan(r->ops_per_sec)) {
        snprintf(err, errlen, "%s: %sops_per_sec is %s, not a number (the result says ok)", path,
                 where, ops ? "null" : "missing");
        return false;
    }
    return true;
}

bool runset_read_run(struct runset *rs, const char *path, char *err, size_t errlen)
{
    json_error_t je;
    /* Integers as reals: run.json files written before seeds became strings
       hold 64-bit seeds above INT64_MAX as bare numbers, which jansson
       refuses as integers. Keys are unique, or a value would be ignored. */
    rs->run = json_load_file(path, JSON_DECODE_INT_AS_REAL | JSON_REJECT_DUPLICATES, &je);
    if (!rs->run) {
        snprintf(err, errlen, "%s line %d, column %d: %s (not JSON, or cut short)", path, je.line,
                 je.column, je.text);
        return false;
    }
    json_t *root = rs->run;
    if (!json_is_object(root)) {
        char what[64];
        describe(root, what, sizeof what);
        snprintf(err, errlen, "%s: the top level is %s, not an object", path, what);
        return false;
    }
    const char *tool = json_string_value(json_object_get(root, "tool"));
    if (tool && strcmp(tool, "smrbench") != 0) {
        snprintf(err, errlen, "%s: tool is \"%.40s\", not \"smrbench\"", path, tool);
        return false;
    }
    json_t *flags = json_object_get(root, "flags"), *stall = json_object_get(flags, "stall");
    if (!check_members(root, top_members, NMEMBERS(top_members), path, "", err, errlen) ||
        !check_members(flags, flag_members, NMEMBERS(flag_members), path, "flags.", err, errlen) ||
        !check_members(stall, stall_members, json_is_object(stall) ? NMEMBERS(stall_members) : 0,
                       path, "flags.stall.", err, errlen) ||
        !check_members(json_object_get(root, "build"), build_members, NMEMBERS(build_members),
                       path, "build.", err, errlen) ||
        !check_members(json_object_get(root, "machine"), machine_members,
                       NMEMBERS(machine_members), path, "machine.", err, errlen))
        return false;
    json_t *complete = json_object_get(root, "complete");
    rs->complete = !complete || json_is_true(complete);

    json_t *results = json_object_get(root, "results");
    rs->nresults = json_array_size(results);
    rs->results = calloc(rs->nresults ? rs->nresults : 1, sizeof(*rs->results));
    if (!rs->results)
        abort();
    for (size_t i = 0; i < rs->nresults; i++)
        if (!read_result(json_array_get(results, i), i, &rs->results[i], path, err, errlen))
            return false;
    size_t first, again;
    if (runset_find_repeat(rs->results, rs->nresults, &first, &again)) {
        snprintf(err, errlen, "%s: results[%zu] repeats results[%zu]: the same structure, scheme, "
                 "threads, mix and rep", path, again, first);
        return false;
    }
    return true;
}
