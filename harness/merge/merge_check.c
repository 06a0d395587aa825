/*
 * merge_check.c - whether the inputs belong together (one plan, one
 * build), that no cell is there twice, what is missing, and which facts of
 * the machines differ. Different machines running one plan is the normal
 * multi-machine case, not a mix.
 */
#include "merge_set.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define fail(...) util_fail(MERGE_WHO, NULL, __VA_ARGS__)

/* What defines the cells and the code that measured them. */
static const char *const same_members[] = {
    "plan.id", "build.version", "build.git_revision", "build.compiler", "build.c_flags",
    "build.definitions", "build.build_type", "build.sanitizer",
};

/* A value for a message: its JSON, cut short; "absent" for none. */
static void describe(json_t *v, char *buf, size_t len)
{
    char *text = v ? json_dumps(v, JSON_ENCODE_ANY) : NULL;
    snprintf(buf, len, "%s", text ? text : "absent");
    if (strlen(buf) + 1 >= len && len > 4)
        strcpy(buf + len - 4, "...");
    free(text);
}

static bool same_value(json_t *a, json_t *b)
{
    return (!a && !b) || (a && b && json_equal(a, b));
}

/* Adds {"member", "values"} to m->differences when `path` of run.json
   differs between inputs; true when it does. Inputs that lack `path` are
   left out when skip_absent (a file written before that member says
   nothing either way). */
static bool note_difference(struct merge *m, const char *path, bool skip_absent)
{
    json_t *first = NULL, *values = json_array();
    bool seen = false, differs = false;
    for (size_t i = 0; i < m->nin; i++) {
        json_t *v = runset_json_at(m->in[i].rs.run, path);
        if (!v && skip_absent)
            continue;
        if (seen && !same_value(first, v))
            differs = true;
        if (!seen)
            first = v;
        seen = true;
        json_array_append_new(values, json_pack("{s:s, s:s, s:O}", "dir", m->in[i].dir, "machine",
                                                m->in[i].machine, "value", v ? v : json_null()));
    }
    if (differs)
        json_array_append_new(m->differences, json_pack("{s:s, s:o}", "member", path, "values",
                                                        values));
    else
        json_decref(values);
    return differs;
}

bool merge_check_build(struct merge *m)
{
    for (size_t k = 0; k < sizeof same_members / sizeof *same_members; k++) {
        json_t *first = runset_json_at(m->in[0].rs.run, same_members[k]);
        for (size_t i = 1; i < m->nin && !m->allow_mixed; i++) {
            json_t *v = runset_json_at(m->in[i].rs.run, same_members[k]);
            if (same_value(first, v))
                continue;
            char a[120], b[120];
            describe(first, a, sizeof a);
            describe(v, b, sizeof b);
            return fail("%s differs: '%s' has %s, '%s' has %s; allowed: shards and machines of "
                        "one plan and one build, or --allow-mixed to merge them anyway",
                        same_members[k], m->in[0].dir, a, m->in[i].dir, b);
        }
        note_difference(m, same_members[k], false);
    }
    return true;
}

/* ---- cells ---- */

static bool no_cell_twice(const struct merge *m)
{
    size_t n = 0;
    for (size_t i = 0; i < m->nin; i++)
        n += m->in[i].rs.nresults;
    struct runset_result *all = util_xmalloc(n * sizeof(*all));
    size_t *owner = util_xmalloc(n * sizeof(*owner)), k = 0;
    for (size_t i = 0; i < m->nin; i++)
        for (size_t r = 0; r < m->in[i].rs.nresults; r++, k++) {
            all[k] = m->in[i].rs.results[r];
            owner[k] = i;
        }
    size_t a, b;
    bool twice = runset_find_repeat(all, n, &a, &b);
    if (twice)
        fail("%s %s, %u thread(s), %s, rep %u on '%s' is in both '%s' and '%s'; allowed: each "
             "cell once (a shard or a folder given twice?)", all[a].structure, all[a].scheme,
             all[a].threads, all[a].mix, all[a].rep, all[a].machine, m->in[owner[a]].dir,
             m->in[owner[b]].dir);
    free(all);
    free(owner);
    return !twice;
}

__attribute__((format(printf, 2, 3)))
static void missing(struct merge *m, const char *fmt, ...)
{
    char line[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    json_array_append_new(m->missing, json_string(line));
}

/* The unsharded inputs: one whole copy of the plan per machine. */
static size_t whole_copies(struct merge *m, size_t plan_cells)
{
    size_t copies = 0;
    for (size_t i = 0; i < m->nin; i++) {
        const struct merge_input *in = &m->in[i];
        bool first = in->shard_index < 0;
        size_t cells = 0;
        for (size_t j = 0; j < m->nin && first; j++) {
            const struct merge_input *o = &m->in[j];
            if (o->shard_index < 0 && strcmp(o->machine, in->machine) == 0) {
                first = j >= i;
                cells += o->rs.nresults;
            }
        }
        if (!first)
            continue;
        copies++;
        if (cells < plan_cells)
            missing(m, "%s: %zu of the plan's %zu cells missing", in->machine, plan_cells - cells,
                    plan_cells);
    }
    return copies;
}

/* The sharded inputs, by shard count N: a copy of the plan is one of each
   shard 0..N-1 (on whatever machines); as many copies as the most
   frequent shard, and every shard short of that is missing. */
static size_t shard_copies(struct merge *m)
{
    size_t copies = 0;
    for (size_t i = 0; i < m->nin; i++) {
        int count = m->in[i].shard_count;
        bool first = m->in[i].shard_index >= 0;
        for (size_t j = 0; j < i && first; j++)
            first = !(m->in[j].shard_index >= 0 && m->in[j].shard_count == count);
        if (!first)
            continue;
        size_t *held = calloc((size_t)count, sizeof(size_t)), most = 0;
        if (!held)
            abort();
        for (size_t j = i; j < m->nin; j++)
            if (m->in[j].shard_index >= 0 && m->in[j].shard_count == count)
                held[m->in[j].shard_index]++;
        for (int s = 0; s < count; s++)
            most = held[s] > most ? held[s] : most;
        for (int s = 0; s < count; s++)
            if (held[s] < most && most > 1)
                missing(m, "shard %d/%d missing (%zu of %zu copies)", s, count, most - held[s],
                        most);
            else if (held[s] < most)
                missing(m, "shard %d/%d missing", s, count);
        copies += most;
        free(held);
    }
    return copies;
}

bool merge_check_cells(struct merge *m)
{
    if (!no_cell_twice(m))
        return false;
    m->cells = 0;
    for (size_t i = 0; i < m->nin; i++)
        m->cells += m->in[i].rs.nresults;
    bool one_plan = m->in[0].plan_id != NULL;
    for (size_t i = 1; i < m->nin && one_plan; i++)
        one_plan = same_value(m->in[0].plan_id, m->in[i].plan_id);
    double cells = runset_json_num(m->in[0].rs.run, "plan.cells", -1);
    m->cells_counted = one_plan && cells >= 0;
    if (m->cells_counted) {
        size_t copies = whole_copies(m, (size_t)cells) + shard_copies(m);
        m->expected = copies * (size_t)cells;
        if (m->cells < m->expected)
            missing(m, "%zu of %zu cells missing", m->expected - m->cells, m->expected);
    }
    for (size_t i = 0; i < m->nin; i++)
        if (!m->in[i].rs.complete)
            missing(m, "'%s' is incomplete (its run.json says \"complete\": false)", m->in[i].dir);
    return true;
}

/* ---- machines ---- */

/* The paths of every leaf under v (objects opened, anything else a leaf)
   into `paths`, a set (an object's keys). */
static void leaves(json_t *v, const char *path, json_t *paths)
{
    if (!json_is_object(v)) {
        json_object_set_new(paths, path, json_true());
        return;
    }
    const char *key;
    json_t *member;
    json_object_foreach(v, key, member) {
        char sub[256];
        snprintf(sub, sizeof sub, "%s.%s", path, key);
        leaves(member, sub, paths);
    }
}

void merge_check_machines(struct merge *m)
{
    static const char *const facts[] = {"machine.cpu_model", "machine.kernel", "machine.topology",
                                        "allocator"};
    for (size_t k = 0; k < sizeof facts / sizeof *facts; k++)
        note_difference(m, facts[k], true);
    json_t *paths = json_object();
    for (size_t i = 0; i < m->nin; i++) {
        json_t *manifest = runset_json_at(m->in[i].rs.run, "machine.manifest");
        if (manifest)
            leaves(manifest, "machine.manifest", paths);
    }
    const char *path;
    json_t *unused;
    json_object_foreach(paths, path, unused)
        note_difference(m, path, true);
    json_decref(paths);
    /* Distinct machine columns, for the report. */
    m->nmachines = 0;
    for (size_t i = 0; i < m->nin; i++) {
        bool first = true;
        for (size_t j = 0; j < i && first; j++)
            first = strcmp(m->in[j].machine, m->in[i].machine) != 0;
        m->nmachines += first;
    }
}
