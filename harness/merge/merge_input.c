/* merge_input.c - the folders to merge: each a results set of smrbench run, read whole and
   checked (runset.h), no folder twice, and the machine its rows belong to. */
#include "merge_set.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

#define fail(...) util_fail(MERGE_WHO, NULL, __VA_ARGS__)

/* The machine column of its rows: the one they carry, or for files
   written before the column the one smrbench run would write now. */
static void find_machine(struct merge_input *in)
{
    for (size_t i = 0; i < in->rs.nresults; i++)
        if (in->rs.results[i].machine[0]) {
            snprintf(in->machine, sizeof in->machine, "%s", in->rs.results[i].machine);
            return;
        }
    json_t *run = in->rs.run;
    const char *label = runset_json_str(run, "machine.label",
                                        runset_json_str(run, "machine.hostname", "unknown"));
    util_machine_column(in->machine, sizeof in->machine, label,
                        runset_json_str(run, "machine.cpu_model", "unknown"));
}

static bool open_input(struct merge_input *in, const char *dir)
{
    char err[4400];
    in->dir = dir;
    if (!runset_open(&in->rs, dir, RUNSET_SUMMARY | RUNSET_SERIES | RUNSET_RUN_JSON, err,
                     sizeof err))
        return fail("%s; allowed: results folders written by smrbench run", err);
    if (json_object_get(in->rs.run, "merged"))
        return fail("'%s' is a merged set; allowed: the folders smrbench run wrote (merge those "
                    "together in one command)", dir);
    find_machine(in);
    in->plan_id = runset_json_at(in->rs.run, "plan.id");
    json_t *shard = runset_json_at(in->rs.run, "plan.shard");
    in->shard_index = -1;
    if (json_is_object(shard)) {
        double index = runset_json_num(shard, "index", -1), count = runset_json_num(shard, "count", 0);
        if (!(index >= 0 && index < count && count <= 65536))
            return fail("%s/run.json: plan.shard is not {\"index\": I, \"count\": N} with 0 <= I "
                        "< N <= 65536; allowed: results folders written by smrbench run", dir);
        in->shard_index = (int)index;
        in->shard_count = (int)count;
    }
    for (size_t i = 0; i < in->rs.nresults; i++)
        if (!in->rs.results[i].machine[0])
            in->rs.results[i].machine = in->machine;
    return true;
}

bool merge_open_inputs(struct merge *m, char **dirs, size_t n)
{
    m->in = calloc(n ? n : 1, sizeof(*m->in));
    if (!m->in)
        abort();
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(dirs[i], &st) == 0)
            for (size_t j = 0; j < i; j++) {
                struct stat other;
                if (stat(dirs[j], &other) == 0 && other.st_dev == st.st_dev &&
                    other.st_ino == st.st_ino)
                    return fail("'%s' and '%s' are the same folder; allowed: each results "
                                "folder once", dirs[j], dirs[i]);
            }
        m->nin = i + 1;
        if (!open_input(&m->in[i], dirs[i]))
            return false;
    }
    return true;
}

void merge_close_inputs(struct merge *m)
{
    for (size_t i = 0; i < m->nin; i++)
        runset_close(&m->in[i].rs);
    free(m->in);
    m->in = NULL;
    m->nin = 0;
}
