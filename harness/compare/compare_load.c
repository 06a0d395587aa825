/*
 * compare_load.c - reading result sets: a run folder or its run.json
 * (smrbench run) through the checked loader runset.h, which says which
 * results count; a Google Benchmark JSON file (smrbench micro,
 * --benchmark_format=json or --benchmark_out) with libjansson.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compare.h"
#include "runset/runset.h"
#include "util.h"

#define fail(role, ...) util_fail("smrbench compare", role, __VA_ARGS__)

static struct cmp_entry *add_entry(struct cmp_set *s, const char *key, const char *machine)
{
    struct cmp_entry *e = cmp_find(s, key, machine);
    if (e)
        return e;
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->e = util_xrealloc(s->e, s->cap * sizeof(*s->e));
    }
    e = &s->e[s->n++];
    memset(e, 0, sizeof(*e));
    e->key = strdup(key);
    e->machine = strdup(machine);
    if (!e->key || !e->machine)
        abort();
    return e;
}

static void add_value(struct cmp_set *s, const char *key, const char *machine, unsigned rep,
                      double v)
{
    struct cmp_entry *e = add_entry(s, key, machine);
    if (e->n == e->cap) {
        e->cap = e->cap ? 2 * e->cap : 8;
        e->v = util_xrealloc(e->v, e->cap * sizeof(*e->v));
        e->rep = util_xrealloc(e->rep, e->cap * sizeof(*e->rep));
    }
    e->v[e->n] = v;
    e->rep[e->n++] = rep;
}

static double ns_per_unit(const char *unit)
{
    if (!unit || strcmp(unit, "ns") == 0)
        return 1;
    if (strcmp(unit, "us") == 0)
        return 1e3;
    if (strcmp(unit, "ms") == 0)
        return 1e6;
    if (strcmp(unit, "s") == 0)
        return 1e9;
    return 0;
}

static const char *str_of(json_t *o, const char *name)
{
    return json_string_value(json_object_get(o, name));
}

/* Notes root[where].cpu_model as the set's machine; returns the list root[rows], or NULL. */
static json_t *machine_and_rows(struct cmp_set *s, json_t *root, const char *where,
                                const char *rows)
{
    const char *cpu = str_of(json_object_get(root, where), "cpu_model");
    snprintf(s->machine, sizeof s->machine, "%s", cpu ? cpu : "");
    json_t *list = json_object_get(root, rows);
    return json_is_array(list) ? list : NULL;
}

/* Google Benchmark: every "iteration" row (aggregates and failed runs left out). */
static bool load_micro(const char *role, const char *path, json_t *root,
                       enum cmp_metric metric, struct cmp_set *s)
{
    s->kind = CMP_MICRO;
    json_t *rows = machine_and_rows(s, root, "context", "benchmarks");
    if (!rows)
        return fail(role, "'%s': \"benchmarks\" is not a list; allowed: Google Benchmark JSON",
                    path);
    size_t i;
    json_t *b;
    json_array_foreach(rows, i, b) {
        const char *type = str_of(b, "run_type");
        if (type && strcmp(type, "iteration") != 0)
            continue;
        if (json_is_true(json_object_get(b, "error_occurred"))) {
            s->failed++;
            continue;
        }
        const char *name = str_of(b, "run_name") ? str_of(b, "run_name") : str_of(b, "name");
        json_t *t = json_object_get(b, metric == CMP_CPU_TIME ? "cpu_time" : "real_time");
        double unit = ns_per_unit(str_of(b, "time_unit"));
        if (!name || !json_is_number(t) || unit == 0)
            return fail(role, "'%s': benchmark %zu lacks a name, %s or a known time_unit", path,
                        i, metric == CMP_CPU_TIME ? "cpu_time" : "real_time");
        double rep = json_number_value(json_object_get(b, "repetition_index"));
        add_value(s, name, "", (unsigned)rep, json_number_value(t) * unit);
    }
    return true;
}

/*
 * smrbench run: one value (ops/s) per result with status ok and
 * repetition, read through the checked loader (runset.h) that decides
 * which results count; the others are counted, not compared. `path` is a
 * run folder or a run.json.
 */
static bool load_run(const char *role, const char *path, bool folder, struct cmp_set *s)
{
    struct runset rs;
    char err[1024];
    if (!(folder ? runset_open(&rs, path, RUNSET_RUN_JSON, err, sizeof err)
                 : runset_open_run_json(&rs, path, err, sizeof err)))
        return fail(role, "%s", err);
    s->kind = CMP_RUN;
    s->unfinished = !rs.complete;
    snprintf(s->machine, sizeof s->machine, "%s", runset_json_str(rs.run, "machine.cpu_model", ""));
    for (size_t i = 0; i < rs.nresults; i++) {
        const struct runset_result *r = &rs.results[i];
        s->interrupted += r->status == RUNSET_INTERRUPTED;
        s->cut += r->status == RUNSET_FAILED;
        if (r->status != RUNSET_OK)
            continue;
        char key[256];
        snprintf(key, sizeof key, "%s/%s/threads:%u/%s", r->structure, r->scheme, r->threads,
                 r->mix);
        add_value(s, key, r->machine, r->rep, r->ops_per_sec);
    }
    runset_close(&rs);
    return true;
}

/*
 * The file's text with the non-JSON numbers Google Benchmark may write
 * (NaN, inf: the cv of a counter that stayed 0) replaced by null outside
 * strings, so jansson reads it. NULL if the file cannot be read.
 */
static char *read_json_text(const char *file, size_t *len, char *err, size_t errlen)
{
    size_t n;
    char *text = util_read_file(file, &n, err, errlen);
    if (!text)
        return NULL;
    static const char *const words[] = {"-NaN", "NaN", "-nan", "nan", "-Infinity", "Infinity",
                                        "-inf", "inf"};
    char *out = util_xmalloc(2 * n + 1); /* "null" is at most one byte longer than a word */
    size_t o = 0;
    bool in_string = false;
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        if (in_string) {
            if (text[i] == '\\' && i + 1 < n)
                out[o++] = text[i++];
            else if (text[i] == '"')
                in_string = false;
        } else if (text[i] == '"') {
            in_string = true;
        } else {
            for (size_t w = 0; !k && w < sizeof words / sizeof words[0]; w++)
                if (strlen(words[w]) <= n - i && memcmp(text + i, words[w], strlen(words[w])) == 0)
                    k = strlen(words[w]);
        }
        if (k) {
            memcpy(out + o, "null", 4);
            o += 4;
            i += k - 1;
        } else {
            out[o++] = text[i];
        }
    }
    free(text);
    *len = o;
    return out;
}

/* The JSON of one file: run.json or Google Benchmark JSON. */
static bool load_json(const char *role, const char *file, enum cmp_metric metric,
                      struct cmp_set *out)
{
    size_t len;
    char why[256];
    char *text = read_json_text(file, &len, why, sizeof why);
    if (!text)
        return fail(role, "cannot read '%s' (%s)", file, why);
    json_error_t err;
    /* Integers as reals: files written before seeds were strings hold
       integers beyond int64, which jansson refuses as integers. */
    json_t *root = json_loadb(text, len, JSON_DECODE_INT_AS_REAL, &err);
    free(text);
    if (!root)
        return fail(role, "'%s' is not readable JSON (line %d: %s); allowed: a run folder, its "
                    "run.json, or Google Benchmark JSON files", file, err.line, err.text);
    bool ok;
    if (json_object_get(root, "benchmarks"))
        ok = load_micro(role, file, root, metric, out);
    else if (json_object_get(root, "results"))
        ok = load_run(role, file, false, out);
    else
        ok = fail(role, "'%s' has neither \"benchmarks\" nor \"results\"; allowed: Google "
                  "Benchmark JSON or smrbench run's run.json", file);
    json_decref(root);
    return ok;
}

/* One set: a run folder (run_folder), or a file of either kind. */
static bool load_file(const char *role, const char *path, bool run_folder,
                      enum cmp_metric metric, struct cmp_set *out)
{
    bool ok = run_folder ? load_run(role, path, true, out) : load_json(role, path, metric, out);
    if (ok && out->n == 0)
        ok = fail(role, "'%s' holds no measurements%s", path,
                  out->interrupted + out->cut ? " with status ok (every row was interrupted "
                                                "or failed)" : "");
    return ok;
}

/* --reference names a scheme the set measured (or peers, or none at all: --raw). */
static bool reference_measured(const char *role, const char *path, const struct cmp_set *s,
                               const char *reference)
{
    char schemes[512];
    if (!reference || strcmp(reference, CMP_REFERENCE_PEERS) == 0 ||
        cmp_has_scheme(s, reference, schemes, sizeof schemes))
        return true;
    return fail(role, "--reference: '%s' is not a scheme measured in '%s'; allowed: %s, "
                "%s", reference, path, CMP_REFERENCE_PEERS, schemes);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_json(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

/* A folder of Google Benchmark files, each one run: per file and entry, the
   median of its repetitions (as a ratio unless `reference` is NULL) is one
   value, numbered by the file. */
static bool load_runs(const char *role, const char *dir, const struct cmp_load_opts *o,
                      struct cmp_set *out)
{
    struct dirent **names;
    int n = scandir(dir, &names, is_json, by_name);
    if (n <= 0)
        return fail(role, "'%s' has no run.json and no .json files; allowed: a run folder or a "
                    "folder of Google Benchmark JSON files", dir);
    bool ok = true;
    out->kind = CMP_MICRO;
    for (int i = 0; i < n; i++) {
        char file[4096];
        struct cmp_set one = {.arg = out->arg};
        snprintf(file, sizeof file, "%s/%s", dir, names[i]->d_name);
        ok = ok && load_file(role, file, false, o->metric, &one);
        if (ok && one.kind != CMP_MICRO)
            ok = fail(role, "'%s' is a run.json; allowed in a folder: Google Benchmark JSON files",
                      file);
        ok = ok && reference_measured(role, file, &one, o->reference);
        if (ok && o->reference)
            cmp_normalise(&one, o->reference);
        for (size_t k = 0; ok && k < one.n; k++) {
            if (one.e[k].no_reference || one.e[k].n == 0)
                add_entry(out, one.e[k].key, "")->no_reference = true;
            else
                add_value(out, one.e[k].key, "", (unsigned)i, cmp_median(one.e[k].v, one.e[k].n));
        }
        if (ok && !out->machine[0])
            snprintf(out->machine, sizeof out->machine, "%s", one.machine);
        out->failed += one.failed;
        cmp_free(&one);
        free(names[i]);
    }
    free(names);
    return ok;
}

bool cmp_load(const char *role, const char *path, const struct cmp_load_opts *o,
              struct cmp_set *out)
{
    memset(out, 0, sizeof(*out));
    out->arg = path;
    char file[4096];
    struct stat st;
    if (stat(path, &st) != 0)
        return fail(role, "cannot read '%s' (%s); allowed: a run folder, its run.json, or "
                    "Google Benchmark JSON (a file, or a folder of them)", path, strerror(errno));
    bool ok;
    snprintf(file, sizeof file, "%s/run.json", path);
    if (S_ISDIR(st.st_mode) && access(file, F_OK) != 0) {
        ok = load_runs(role, path, o, out);
    } else {
        ok = load_file(role, path, S_ISDIR(st.st_mode), o->metric, out) &&
             reference_measured(role, path, out, o->reference);
        if (ok && o->reference)
            cmp_normalise(out, o->reference);
    }
    if (!ok)
        cmp_free(out);
    return ok;
}

void cmp_free(struct cmp_set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->e[i].key);
        free(s->e[i].machine);
        free(s->e[i].v);
        free(s->e[i].rep);
    }
    free(s->e);
    s->e = NULL;
    s->n = s->cap = 0;
}
