/*
 * merge_json.c - run.json of a merged set: what run.json of one run holds
 * (flags and build of the first input, every result in input order, each
 * with its machine) and what the merge adds: "merged" (the inputs, what is
 * missing, what differs) and "machines" (one entry per machine).
 */
#include "merge_set.h"

#include <math.h>
#include <string.h>

/* runset reads numbers as reals (run.json's old seeds exceed int64): whole
   ones are written back as integers, as smrbench run writes them. */
static json_t *as_written(json_t *v)
{
    const char *key;
    json_t *member;
    size_t i;
    if (json_is_real(v)) {
        double d = json_real_value(v);
        if (d == floor(d) && fabs(d) < 9007199254740992.0)
            return json_integer((json_int_t)d);
    }
    if (json_is_object(v))
        json_object_foreach(v, key, member)
            json_object_set_new(v, key, as_written(member));
    if (json_is_array(v))
        json_array_foreach(v, i, member)
            json_array_set_new(v, i, as_written(member));
    return json_incref(v);
}

/* A copy of `path` of input i's run.json, written back as it was read; null when absent. */
static json_t *copy_of(const struct merge *m, size_t i, const char *path)
{
    json_t *v = runset_json_at(m->in[i].rs.run, path);
    if (!v)
        return json_null();
    json_t *copy = json_deep_copy(v), *out = as_written(copy);
    json_decref(copy);
    return out;
}

static bool differs(const struct merge *m, const char *prefix)
{
    size_t i;
    json_t *d;
    json_array_foreach(m->differences, i, d) {
        const char *member = json_string_value(json_object_get(d, "member"));
        if (strncmp(member, prefix, strlen(prefix)) == 0)
            return true;
    }
    return false;
}

static json_t *inputs(const struct merge *m)
{
    json_t *list = json_array();
    for (size_t i = 0; i < m->nin; i++) {
        const struct merge_input *in = &m->in[i];
        json_t *shard = in->shard_index < 0 ? json_null()
                        : json_pack("{s:i, s:i}", "index", in->shard_index, "count",
                                    in->shard_count);
        json_array_append_new(list, json_pack("{s:s, s:o, s:o, s:s, s:b, s:I, s:o}", "dir",
                                              in->dir, "plan_id", copy_of(m, i, "plan.id"),
                                              "shard", shard, "machine", in->machine,
                                              "complete", in->rs.complete, "cells",
                                              (json_int_t)in->rs.nresults, "command_line",
                                              copy_of(m, i, "command_line")));
    }
    return list;
}

/* One entry per machine column, from the first input that ran there. */
static json_t *machines(const struct merge *m)
{
    json_t *list = json_array();
    for (size_t i = 0; i < m->nin; i++) {
        bool first = true;
        for (size_t j = 0; j < i && first; j++)
            first = strcmp(m->in[j].machine, m->in[i].machine) != 0;
        if (!first)
            continue;
        json_t *e = copy_of(m, i, "machine");
        if (!json_is_object(e)) {
            json_decref(e);
            e = json_object();
        }
        json_object_set_new(e, "machine", json_string(m->in[i].machine));
        json_object_set_new(e, "allocator", copy_of(m, i, "allocator"));
        json_array_append_new(list, e);
    }
    return list;
}

static json_t *merged(const struct merge *m)
{
    json_t *d = json_deep_copy(m->differences);
    json_t *o = json_pack("{s:o, s:b, s:I, s:I, s:o, s:O, s:o}", "inputs", inputs(m),
                          "allow_mixed", m->allow_mixed, "machines", (json_int_t)m->nmachines,
                          "cells", (json_int_t)m->cells, "expected_cells",
                          m->cells_counted ? json_integer((json_int_t)m->expected) : json_null(),
                          "missing", m->missing, "differences", as_written(d));
    json_decref(d);
    return o;
}

static json_t *plan(const struct merge *m)
{
    bool one = !differs(m, "plan.");
    return json_pack("{s:o, s:o, s:o, s:n}", "id", one ? copy_of(m, 0, "plan.id") : json_null(),
                     "cells", one ? copy_of(m, 0, "plan.cells") : json_null(), "blocks",
                     one ? copy_of(m, 0, "plan.blocks") : json_null(), "shard");
}

static json_t *builds(const struct merge *m)
{
    json_t *list = json_array();
    for (size_t i = 0; i < m->nin; i++) {
        json_t *b = copy_of(m, i, "build");
        if (json_is_object(b))
            json_object_set_new(b, "dir", json_string(m->in[i].dir));
        json_array_append_new(list, b);
    }
    return list;
}

static double started(const struct merge *m)
{
    double t = INFINITY;
    for (size_t i = 0; i < m->nin; i++)
        t = fmin(t, runset_json_num(m->in[i].rs.run, "started_unix", INFINITY));
    return t;
}

static void write_member(FILE *f, const char *key, json_t *v, bool first)
{
    char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
    fprintf(f, "%s  \"%s\": %s", first ? "" : ",\n", key, text ? text : "null");
    free(text);
    json_decref(v);
}

void merge_json_write(FILE *f, const struct merge *m)
{
    fprintf(f, "{\n");
    write_member(f, "tool", json_string("smrbench"), true);
    write_member(f, "complete", json_boolean(json_array_size(m->missing) == 0), false);
    write_member(f, "isolation", copy_of(m, 0, "isolation"), false);
    if (isfinite(started(m)))
        write_member(f, "started_unix", json_real(started(m)), false);
    write_member(f, "command_line", json_string(m->command_line), false);
    write_member(f, "plan", plan(m), false);
    write_member(f, "merged", merged(m), false);
    write_member(f, "flags", copy_of(m, 0, "flags"), false);
    write_member(f, "build", copy_of(m, 0, "build"), false);
    if (differs(m, "build."))
        write_member(f, "builds", builds(m), false);
    write_member(f, "machines", machines(m), false);
    /* One machine: its facts where a single run keeps them, for readers of those. */
    if (m->nmachines == 1)
        write_member(f, "machine", copy_of(m, 0, "machine"), false);
    if (!differs(m, "allocator"))
        write_member(f, "allocator", copy_of(m, 0, "allocator"), false);
    fprintf(f, ",\n  \"results\": [");
    for (size_t i = 0, n = 0; i < m->nin; i++)
        for (size_t r = 0; r < m->in[i].rs.nresults; r++, n++) {
            const struct runset_result *res = &m->in[i].rs.results[r];
            json_t *copy = json_deep_copy(res->entry), *e = as_written(copy);
            json_decref(copy);
            json_object_set_new(e, "machine", json_string(res->machine));
            char *text = json_dumps(e, JSON_REAL_PRECISION(15));
            fprintf(f, "%s\n    %s", n ? "," : "", text ? text : "{}");
            free(text);
            json_decref(e);
        }
    fprintf(f, "\n  ]\n}\n");
}
