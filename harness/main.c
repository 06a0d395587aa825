/* main.c - smrbench: subcommand dispatch. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "cli.h"
#include "plot.h"
#include "compare.h"
#include "micro.h"
#include "results.h"
#include "run.h"

int cmd_list(void);

static void usage(FILE *f)
{
    fprintf(f, "usage: smrbench list\n"
               "       smrbench run [options]   (smrbench run --help for the options)\n"
               "       smrbench plot DIR        (figures of a results folder, with gnuplot)\n"
               "       smrbench micro [Google Benchmark flags]   (smrbench micro --help)\n"
               "       smrbench compare BASE NEW [--threshold PERCENT]   (smrbench compare --help)\n");
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
    int status = sweep_run(&o, topo, &sw);
    hwloc_topology_destroy(topo);
    if (!results_write(dir, &o, &sw))
        status = 1;
    results_print(stdout, &o, &sw);
    if (!sw.complete)
        status = 130; /* interrupted: what was measured is written, marked incomplete */
    if (!o.quiet && o.format == FORMAT_TABLE)
        printf("results: %s/\n", dir);
    fflush(stdout);
    if (o.plot && plot_dir(dir, o.quiet || o.format != FORMAT_TABLE) != 0 && status == 0)
        status = 1;
    sweep_free(&sw);
    cli_free_run(&o);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "list") == 0)
        return cmd_list();
    if (strcmp(argv[1], "run") == 0)
        return cmd_run(argc - 1, argv + 1, argv);
    if (strcmp(argv[1], "plot") == 0)
        return cmd_plot(argc - 1, argv + 1);
    if (strcmp(argv[1], "micro") == 0)
        return cmd_micro(argc - 1, argv + 1);
    if (strcmp(argv[1], "compare") == 0)
        return cmd_compare(argc - 1, argv + 1);
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "smrbench: unknown command '%s'; allowed: list, run, plot, micro, compare\n",
            argv[1]);
    return EXIT_USAGE;
}
