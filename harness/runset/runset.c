/* runset.c - open a results folder: which files it has, and what every
   reader of them shares (the verdict of a result, repeated keys, run.json
   members by path). The checks of each file are in runset_csv.c and
   runset_json.c. */
#include "runset.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const runset_status_names[3] = {"ok", "interrupted", "failed"};

/* Absent, as opposed to there but unreadable (which reading reports). */
static bool file_absent(const char *path)
{
    struct stat st;
    return stat(path, &st) != 0 && errno == ENOENT;
}

bool runset_open(struct runset *rs, const char *dir, unsigned need, char *err, size_t errlen)
{
    /* In the order of the RUNSET_* bits: file f is bit 1 << f. */
    static const char *const files[] = {"summary.csv", "series.csv", "run.json"};
    bool (*const read[])(struct runset *, const char *, char *, size_t) = {
        runset_read_summary, runset_read_series, runset_read_run};
    struct stat st;
    memset(rs, 0, sizeof(*rs));
    rs->complete = true;
    if (stat(dir, &st) != 0) {
        snprintf(err, errlen, "cannot open '%s' (%s)", dir, strerror(errno));
        return false;
    }
    if (!S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "'%s' is not a folder", dir);
        return false;
    }
    for (int f = 0; f < 3; f++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dir, files[f]);
        if (file_absent(path)) {
            if (!(need & (1u << f)))
                continue;
            snprintf(err, errlen, "'%s' holds no %s (a run killed before writing it, or a full "
                     "disk?)", dir, files[f]);
            runset_close(rs);
            return false;
        }
        if (!read[f](rs, path, err, errlen)) {
            runset_close(rs);
            return false;
        }
        rs->present |= 1u << f;
    }
    return true;
}

bool runset_open_run_json(struct runset *rs, const char *path, char *err, size_t errlen)
{
    memset(rs, 0, sizeof(*rs));
    rs->complete = true;
    if (!runset_read_run(rs, path, err, errlen)) {
        runset_close(rs);
        return false;
    }
    rs->present = RUNSET_RUN_JSON;
    return true;
}

void runset_close(struct runset *rs)
{
    csv_free(&rs->summary);
    csv_free(&rs->series);
    free(rs->rows);
    free(rs->results);
    if (rs->run)
        json_decref(rs->run);
    memset(rs, 0, sizeof(*rs));
}

/* ---- shared by the checks ---- */

int runset_status_of(const char *word)
{
    for (int s = 0; s < 3; s++)
        if (strcmp(word, runset_status_names[s]) == 0)
            return s;
    return -1;
}

void runset_legacy_status(struct runset_result *r, bool complete, bool teardown_ok)
{
    r->status = !complete ? RUNSET_INTERRUPTED : teardown_ok ? RUNSET_OK : RUNSET_FAILED;
    r->failure = !complete ? "cut short before the end of its window"
                 : teardown_ok ? "" : "teardown left retired nodes unreclaimed";
}

static int key_cmp(const struct runset_result *a, const struct runset_result *b)
{
    int c = strcmp(a->machine, b->machine);
    if (!c)
        c = strcmp(a->structure, b->structure);
    if (!c)
        c = strcmp(a->scheme, b->scheme);
    if (!c)
        c = strcmp(a->mix, b->mix);
    if (!c)
        c = (a->threads > b->threads) - (a->threads < b->threads);
    if (!c)
        c = (a->rep > b->rep) - (a->rep < b->rep);
    return c;
}

bool runset_is_name(const char *s)
{
    size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+-");
    return n > 0 && n <= 64 && !s[n];
}

/* Digits only, as an unsigned value up to max. */
static bool decimal(const char *s, unsigned long max, unsigned long *v)
{
    size_t n = strspn(s, "0123456789");
    if (n == 0 || n > 9 || s[n])
        return false;
    *v = strtoul(s, NULL, 10);
    return *v <= max;
}

bool runset_is_mix(const char *s)
{
    unsigned long v;
    return (s[0] == 'r' && decimal(s + 1, 100, &v)) || (s[0] == 'w' && decimal(s + 1, 1u << 20, &v) && v > 0);
}

/* qsort has no context argument: the array being sorted is passed here. */
static const struct runset_result *sorting;

static int index_cmp(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int c = key_cmp(&sorting[i], &sorting[j]);
    return c ? c : (i > j) - (i < j);
}

bool runset_find_repeat(const struct runset_result *r, size_t n, size_t *first, size_t *again)
{
    size_t *order = malloc((n ? n : 1) * sizeof(size_t));
    if (!order)
        abort();
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    sorting = r;
    qsort(order, n, sizeof(size_t), index_cmp);
    bool found = false;
    /* Sorted by key, then position: the earliest repeat is the smallest `again`. */
    for (size_t k = 1; k < n; k++)
        if (key_cmp(&r[order[k - 1]], &r[order[k]]) == 0 && (!found || order[k] < *again)) {
            *first = order[k - 1];
            *again = order[k];
            found = true;
        }
    free(order);
    return found;
}

/* ---- run.json members ---- */

json_t *runset_json_at(json_t *v, const char *path)
{
    char key[128];
    while (v && *path) {
        size_t n = strcspn(path, ".");
        if (!json_is_object(v) || n >= sizeof key)
            return NULL;
        memcpy(key, path, n);
        key[n] = 0;
        v = json_object_get(v, key);
        path += n + (path[n] == '.');
    }
    return v;
}

const char *runset_json_str(json_t *v, const char *path, const char *dflt)
{
    const char *s = json_string_value(runset_json_at(v, path));
    return s ? s : dflt;
}

double runset_json_num(json_t *v, const char *path, double dflt)
{
    json_t *n = runset_json_at(v, path);
    return json_is_number(n) ? json_number_value(n) : dflt;
}
