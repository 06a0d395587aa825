/* command.c - `smrbench run`: the options, the allocator, the machine's
   topology (hwloc), the results folder, the sweep and, with --plot, the
   figures. */
#include "command.h"

#include <stdio.h>

#include "alloc.h"
#include "cli.h"
#include "pin.h"
#include "plan.h"
#include "plot/plot.h"
#include "results.h"
#include "results_dir.h"
#include "results_store.h"
#include "sweep.h"

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

int cmd_run(int argc, char **argv, char **full_argv)
{
    struct run_options o;
    if (!cli_parse_run(argc, argv, &o)) {
        cli_free_run(&o);
        return EXIT_USAGE;
    }
    if (o.plan) {
        plan_print(stdout, &o);
        cli_free_run(&o);
        return 0;
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
    sweep_init(&sw, topo, o.host_label);
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
