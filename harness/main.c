/* main.c - smrbench: subcommand dispatch. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "cli.h"
#include "plot.h"
#include "compare.h"
#include "micro.h"
#include "buildinfo.h"
#include "results.h"
#include "results_dir.h"
#include "results_store.h"
#include "sweep.h"

int cmd_list(int argc, char **argv);

static void usage(FILE *f)
{
    fprintf(f, "usage: smrbench list\n"
               "       smrbench --version       (version, git revision, build type)\n"
               "       smrbench run [options]   (smrbench run --help for the options)\n"
               "       smrbench plot DIR        (figures of a results folder, with gnuplot)\n"
#ifndef SMRBENCH_NO_MICRO
               "       smrbench micro [Google Benchmark flags]   (smrbench micro --help)\n"
               "       smrbench compare BASE NEW [--threshold PERCENT]   (smrbench compare --help)\n"
#endif
    );
}

/* Where the results are: on stdout after the table, else on stderr, so
   that --format csv|json and --quiet keep stdout for the data alone. */
static void say_results_dir(const struct run_options *o, const struct sweep *sw, const char *dir)
{
    FILE *f = !o->quiet && o->format == FORMAT_TABLE ? stdout : stderr;
    if (sw->write_failed)
        fprintf(f, "results (incomplete, writing failed): %s/\n", dir);
    else if (!sw->complete)
        fprintf(f, "results (incomplete): %s/\n", dir);
    else
        fprintf(f, "results: %s/\n", dir);
}

static int cmd_run(int argc, char **argv, char **full_argv)
{
    struct run_options o;
    if (!cli_parse_run(argc, argv, &o)) {
        cli_free_run(&o);
        return EXIT_USAGE;
    }
    /* Returns only when the process already runs with the allocator asked
       for; otherwise re-executes itself with it preloaded, or fails. */
    if (!alloc_ensure(o.alloc, full_argv)) {
        cli_free_run(&o);
        return EXIT_USAGE;
    }
    char err[256];
    hwloc_topology_t topo;
    if (pin_topology_load(&topo, err, sizeof err) != 0) {
        fprintf(stderr, "smrbench: %s\n", err);
        cli_free_run(&o);
        return 1;
    }
    char dir[4096];
    if (!sweep_check_pinning(&o, topo) || (o.plot && !plot_preflight()) ||
        !results_prepare_dir(&o, dir, sizeof dir)) {
        hwloc_topology_destroy(topo);
        cli_free_run(&o);
        return EXIT_USAGE;
    }
    struct sweep sw;
    sweep_init(&sw, topo);
    if (!results_store_begin(dir, &o, &sw)) {
        hwloc_topology_destroy(topo);
        cli_free_run(&o);
        return EXIT_WRITE;
    }
    sweep_run(&o, topo, dir, &sw);
    hwloc_topology_destroy(topo);
    /* After a failed write run.json keeps the last consistent set. */
    if (!sw.write_failed && !results_store_end(dir, &o, &sw))
        sw.write_failed = true;
    int status = sweep_exit_status(&sw);
    results_print(stdout, &o, &sw);
    say_results_dir(&o, &sw, dir);
    fflush(stdout);
    if (o.plot && !sw.write_failed &&
        plot_dir(dir, o.quiet || o.format != FORMAT_TABLE) != 0 && status == 0)
        status = EXIT_PLOT;
    sweep_free(&sw);
    cli_free_run(&o);
    return status;
}

static int cmd_version(void)
{
    struct buildinfo b;
    buildinfo_get(&b);
    printf("smrbench %s (git %s, %s build, %s%s%s)\n", b.version, b.git_revision, b.build_type,
           b.compiler, b.sanitizer[0] ? ", sanitizer " : "", b.sanitizer);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "list") == 0)
        return cmd_list(argc - 1, argv + 1);
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0)
        return cmd_version();
    if (strcmp(argv[1], "run") == 0)
        return cmd_run(argc - 1, argv + 1, argv);
    if (strcmp(argv[1], "plot") == 0)
        return cmd_plot(argc - 1, argv + 1);
#ifndef SMRBENCH_NO_MICRO
    if (strcmp(argv[1], "micro") == 0)
        return cmd_micro(argc - 1, argv + 1);
    if (strcmp(argv[1], "compare") == 0)
        return cmd_compare(argc - 1, argv + 1);
#endif
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
#ifdef SMRBENCH_NO_MICRO
    fprintf(stderr, "smrbench: unknown command '%s'; allowed in this build: list, run, plot, "
                    "--version\n",
#else
    fprintf(stderr, "smrbench: unknown command '%s'; allowed: list, run, plot, micro, compare, "
                    "--version\n",
#endif
            argv[1]);
    return EXIT_USAGE;
}
