/*
 * sweep.c - every cell of a run in order, the signals that end a sweep
 * early, and each finished cell written out before the next one starts.
 */
#include "sweep.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "buildinfo.h"
#include "cell.h"
#include "manifest.h"
#include "plan.h"
#include "results_store.h"
#include "util.h"

/*
 * SIGINT, SIGTERM (batch schedulers, timeout(1)) and SIGHUP (a closed
 * terminal): the first ends the current window early, keeps what it
 * measured, marked interrupted, and stops the sweep; it is passed on to
 * the cell's child, which may not have received it. SA_RESETHAND: a second
 * one kills as usual.
 */
static void on_interrupt(int sig)
{
    int none = 0;
    atomic_compare_exchange_strong(&run_interrupted, &none, sig);
    pid_t child = atomic_load(&cell_child);
    if (child > 0)
        kill(child, sig);
}

static void install_handlers(void)
{
    struct sigaction sa = {.sa_handler = on_interrupt, .sa_flags = SA_RESETHAND};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

static struct run_result *sweep_push(struct sweep *sw)
{
    if (sw->nresults == sw->cap) {
        sw->cap = sw->cap ? sw->cap * 2 : 16;
        sw->results = realloc(sw->results, sw->cap * sizeof(*sw->results));
        if (!sw->results)
            abort();
    }
    return &sw->results[sw->nresults++];
}

bool sweep_check_pinning(const struct run_options *o, hwloc_topology_t topo)
{
    char err[256];
    for (unsigned t = 0; t < o->nthreads; t++) {
        struct pin_plan plan;
        int rc = pin_plan_make(topo, &o->pin, (int)o->threads[t], &plan, err, sizeof err);
        pin_plan_free(&plan);
        if (rc != 0) {
            fprintf(stderr, "smrbench: %s\n", err);
            return false;
        }
    }
    return true;
}

void sweep_init(struct sweep *sw, hwloc_topology_t topo, const char *host_label)
{
    memset(sw, 0, sizeof(*sw));
    pin_topology_summary(topo, sw->topology, sizeof sw->topology);
    sw->manifest = manifest_json(topo);
    alloc_describe(sw->allocator, sizeof sw->allocator);
    struct buildinfo b;
    buildinfo_get(&b);
    snprintf(sw->host_label, sizeof sw->host_label, "%s", host_label ? host_label : b.hostname);
    util_machine_column(sw->machine, sizeof sw->machine, sw->host_label, b.cpu_model);
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    sw->started_unix = (double)wall.tv_sec + wall.tv_nsec * 1e-9;
}

/* Run one cell where --isolation says. */
static const struct run_result *sweep_cell(const struct run_options *o, const struct bench_ops *b,
                                           unsigned nthreads, unsigned rep, hwloc_topology_t topo,
                                           struct sweep *sw)
{
    struct run_result *r = sweep_push(sw);
    if (o->isolation == ISOLATION_PROCESS) {
        cell_run_isolated(o, b, nthreads, rep, topo, r);
    } else {
        cell_test_fault(b->scheme->name, nthreads);
        run_cell(o, b, nthreads, rep, topo, r);
    }
    sw->failed += r->status == RUN_FAILED;
    return r;
}

void sweep_run(const struct run_options *o, hwloc_topology_t topo, const char *dir,
               struct sweep *sw)
{
    install_handlers();
    /* Pairs a scheme cannot serve (a native provider with another
       structure) are skipped; the CLI made sure each scheme serves one.
       With --shard, only this shard's blocks (plan.h). */
    unsigned total = 0, block = 0;
    for (unsigned rep = 0; rep < o->reps; rep++)
        for (unsigned s = 0; s < o->nstructures; s++)
            for (unsigned t = 0; t < o->nthreads; t++, block++)
                for (unsigned k = 0; plan_block_here(o, block) && k < o->nschemes; k++)
                    total += !registry_pair_unusable(o->structures[s], o->schemes[k]);
    unsigned done = 0;
    double per_run = o->duration_s + o->warmup_s;
    bool progress = isatty(STDERR_FILENO) && total * per_run > 3;
    /* Schemes innermost: drift on a shared machine hits all of them alike. */
    block = 0;
    for (unsigned rep = 0; rep < o->reps; rep++)
        for (unsigned s = 0; s < o->nstructures; s++)
            for (unsigned t = 0; t < o->nthreads; t++, block++)
                for (unsigned k = 0; plan_block_here(o, block) && k < o->nschemes; k++) {
                    if (registry_pair_unusable(o->structures[s], o->schemes[k]))
                        continue;
                    if (run_interrupted || sw->write_failed)
                        goto stopped;
                    const struct bench_ops *b =
                        registry_find_pair(o->structures[s], o->schemes[k]->name);
                    if (progress)
                        fprintf(stderr, "\r[%u/%u] %s/%s %u threads rep %u  ETA %.0fs   ",
                                done + 1, total, o->structures[s], o->schemes[k]->name,
                                o->threads[t], rep, (total - done) * per_run);
                    const struct run_result *r = sweep_cell(o, b, o->threads[t], rep, topo, sw);
                    if (progress)
                        fprintf(stderr, "\r%*s\r", 70, "");
                    if (r->status == RUN_FAILED)
                        fprintf(stderr, "smrbench: %s/%s %u threads rep %u failed: %s; the "
                                "sweep goes on\n", r->structure, r->scheme, r->threads, rep,
                                r->failure);
                    if (!results_store_cell(dir, o, sw))
                        sw->write_failed = true;
                    /* The curve is on disk and nothing else reads it. Not
                       kept: a forked child's RSS counts every page of the
                       parent's heap, so what the parent holds must not grow
                       from cell to cell. */
                    free(sw->results[sw->nresults - 1].series);
                    sw->results[sw->nresults - 1].series = NULL;
                    sw->results[sw->nresults - 1].nseries = 0;
                    done++;
                }
stopped:
    if (progress)
        fprintf(stderr, "\r%*s\r", 70, "");
    sw->signal = atomic_load(&run_interrupted);
    sw->complete = done == total && !sw->signal && !sw->write_failed;
    size_t ok = 0;
    for (size_t i = 0; i < sw->nresults; i++)
        ok += sw->results[i].status == RUN_OK;
    if (sw->signal)
        fprintf(stderr, "smrbench: interrupted by SIG%s: %u of %u cell(s) ran, %zu measured in "
                "full; finished cells kept, results marked incomplete\n",
                sigabbrev_np(sw->signal) ? sigabbrev_np(sw->signal) : "?", done, total, ok);
}

int sweep_exit_status(const struct sweep *sw)
{
    if (sw->write_failed)
        return EXIT_WRITE;
    if (sw->signal)
        return EXIT_SIGNAL_BASE + sw->signal;
    return sw->failed ? EXIT_CELL_FAILED : 0;
}

void sweep_free(struct sweep *sw)
{
    for (size_t i = 0; i < sw->nresults; i++)
        run_result_free(&sw->results[i]);
    free(sw->results);
    free(sw->manifest);
}
