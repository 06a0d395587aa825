/*
 * merge.c - `smrbench merge -o OUT DIR...`: the folders of the shards of
 * one sweep, and of the same sweep on several machines, as one results
 * set whose rows keep their machine. Checked first (merge_input.c,
 * merge_check.c), written all or nothing (merge_write.c); a short report
 * on stdout, and one line on stderr when cells are missing (exit 1).
 */
#include "merge.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge_set.h"
#include "run/cli.h"
#include "util.h"

#define fail(...) util_fail(MERGE_WHO, NULL, __VA_ARGS__)

static void usage(FILE *f)
{
    fprintf(f, "usage: smrbench merge -o OUT DIR...\n"
               "  Merges results folders of smrbench run (the shards of one sweep, the same\n"
               "  sweep on several machines) into one set in OUT: summary.csv, series.csv and\n"
               "  run.json, every row with its machine. They must come from one plan (run.json\n"
               "  plan.id) and one build; a cell in two folders is refused. Missing shards and\n"
               "  cells are reported; the set is still written, marked incomplete (exit 1).\n"
               "  -o, --output OUT   the merged set: a new or empty folder, written whole or\n"
               "                     not at all\n"
               "      --force        replace the results OUT already holds\n"
               "      --allow-mixed  merge folders of other plans or builds all the same, the\n"
               "                     differences recorded in run.json (merged.differences)\n"
               "  Exit status: 0 merged, complete; 1 merged, cells or shards missing; 2 bad\n"
               "  input (nothing written); 3 the set could not be written (nothing written).\n");
}

/* The command line as one string, for run.json. */
static char *joined(int argc, char **argv)
{
    size_t len = strlen("smrbench") + 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *s = util_xmalloc(len);
    strcpy(s, "smrbench");
    for (int i = 0; i < argc; i++)
        strcat(strcat(s, " "), argv[i]);
    return s;
}

/* 0 to go on, else the exit status (help: 0 after printing it). */
static int parse_args(int argc, char **argv, struct merge *m, char ***dirs, size_t *ndirs)
{
    enum { O_FORCE = 256, O_ALLOW_MIXED };
    static const struct option longs[] = {
        {"output", required_argument, 0, 'o'}, {"force", no_argument, 0, O_FORCE},
        {"allow-mixed", no_argument, 0, O_ALLOW_MIXED}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    *dirs = util_xmalloc((size_t)argc * sizeof(**dirs));
    *ndirs = 0;
    int c;
    optind = 1;
    opterr = 0;
    /* "-": folders come back as option 1, in order */
    while ((c = getopt_long(argc, argv, "-:ho:", longs, NULL)) != -1) {
        switch (c) {
        case 1:
            (*dirs)[(*ndirs)++] = optarg;
            break;
        case 'o':
            if (m->out)
                return fail("-o: given twice ('%s', '%s'); allowed: one output folder", m->out,
                            optarg), EXIT_USAGE;
            /* "OUT/" is OUT: its temporary folder goes beside it, not inside. */
            for (size_t n = strlen(optarg); n > 1 && optarg[n - 1] == '/'; n--)
                optarg[n - 1] = 0;
            m->out = optarg;
            break;
        case O_FORCE:
            m->force = true;
            break;
        case O_ALLOW_MIXED:
            m->allow_mixed = true;
            break;
        case 'h':
            usage(stdout);
            return -1;
        case ':':
            return fail("%s needs a value; allowed: -o OUT", argv[optind - 1]), EXIT_USAGE;
        default:
            return fail("unknown option '%s'; allowed: -o OUT, --force, --allow-mixed, --help "
                        "(smrbench merge --help)", argv[optind - 1]), EXIT_USAGE;
        }
    }
    if (!m->out)
        return fail("no output folder; allowed: smrbench merge -o OUT DIR..."), EXIT_USAGE;
    if (!m->out[0] || strlen(m->out) > 4000)
        return fail("-o: '%.40s' is %s; allowed: a folder name up to 4000 bytes", m->out,
                    m->out[0] ? "too long" : "empty"), EXIT_USAGE;
    if (*ndirs == 0)
        return fail("no results folder to merge; allowed: smrbench merge -o OUT DIR..."),
               EXIT_USAGE;
    return 0;
}

/* OUT is none of the inputs (--force would remove what is being merged). */
static bool out_not_an_input(const struct merge *m, char **dirs, size_t n)
{
    char *out = realpath(m->out, NULL);
    bool ok = true;
    for (size_t i = 0; out && ok && i < n; i++) {
        char *dir = realpath(dirs[i], NULL);
        if (dir && strcmp(dir, out) == 0)
            ok = fail("-o: '%s' is also a folder to merge ('%s'); allowed: a new folder",
                      m->out, dirs[i]);
        free(dir);
    }
    free(out);
    return ok;
}

static void report(const struct merge *m)
{
    printf("merged %zu folder(s) from %zu machine(s): %zu cell(s)", m->nin, m->nmachines,
           m->cells);
    if (m->cells_counted)
        printf(" of %zu expected\n", m->expected);
    else
        printf(" (not counted: %s)\n", m->in[0].plan_id ? "the plans differ"
                                                          : "run.json has no plan");
    for (size_t i = 0; i < m->nin; i++) {
        const struct merge_input *in = &m->in[i];
        printf("  %s: %s, ", in->dir, in->machine);
        if (in->shard_index >= 0)
            printf("shard %d/%d, ", in->shard_index, in->shard_count);
        printf("%zu cell(s)%s\n", in->rs.nresults, in->rs.complete ? "" : ", incomplete");
    }
    size_t i;
    json_t *d, *v;
    json_array_foreach(m->differences, i, d) {
        printf("  differs: %s:", json_string_value(json_object_get(d, "member")));
        size_t k;
        json_array_foreach(json_object_get(d, "values"), k, v) {
            char *text = json_dumps(json_object_get(v, "value"), JSON_ENCODE_ANY);
            printf("%s %s (%s)", k ? ";" : "", text ? text : "?",
                   json_string_value(json_object_get(v, "dir")));
            free(text);
        }
        printf("\n");
    }
    json_array_foreach(m->missing, i, v)
        printf("  missing: %s\n", json_string_value(v));
    printf("%s: %s/\n", json_array_size(m->missing) ? "results (incomplete)" : "results",
           m->out);
}

int cmd_merge(int argc, char **argv)
{
    struct merge m = {0};
    char **dirs;
    size_t ndirs;
    int status = parse_args(argc, argv, &m, &dirs, &ndirs);
    if (status) {
        free(dirs);
        return status < 0 ? 0 : status;
    }
    m.differences = json_array();
    m.missing = json_array();
    char *command_line = joined(argc, argv);
    m.command_line = command_line;
    status = EXIT_USAGE;
    if (merge_out_check(&m) && out_not_an_input(&m, dirs, ndirs) &&
        merge_open_inputs(&m, dirs, ndirs) && merge_check_build(&m) && merge_check_cells(&m) &&
        merge_csv_check(&m)) {
        merge_check_machines(&m);
        status = merge_write(&m);
        if (status == 0) {
            report(&m);
            if (json_array_size(m.missing)) {
                fprintf(stderr, "%s: incomplete:", MERGE_WHO);
                size_t i;
                json_t *v;
                json_array_foreach(m.missing, i, v)
                    fprintf(stderr, "%s %s", i ? ";" : "", json_string_value(v));
                fprintf(stderr, "; written all the same, marked \"complete\": false\n");
                status = 1;
            }
        }
    }
    merge_close_inputs(&m);
    json_decref(m.differences);
    json_decref(m.missing);
    free(command_line);
    free(dirs);
    return status;
}
