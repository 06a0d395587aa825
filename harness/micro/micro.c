/*
 * micro.c - `smrbench micro`: registers every scheme's primitives and every
 * (structure, scheme) pair's single operations with Google Benchmark
 * (through gbench_shim.h) and runs them with its flags.
 *
 * Names are FAMILY/SCHEME (Google Benchmark appends /iterations:N and
 * /threads:N), so `smrbench compare` finds a scheme's reference (`none`)
 * by swapping the second component.
 */
#include "micro.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buildinfo.h"
#include "gbench_shim.h"
#include "micro_cli.h"
#include "registry.h"

/* Primitives or operations per call into the shim: its cost (a few ns)
   over a batch stays far below the noise of a 2 ns primitive. */
#define MICRO_BATCH 256
/* Families that retire run a fixed count (per thread), not Google
   Benchmark's time-based estimate: `none` frees nothing until the run's
   teardown, so its memory grows with every iteration. */
#define MICRO_RETIRE_ITERS (1u << 18)
#define MICRO_WRITE_ITERS (1u << 17)

struct micro_family {
    const char *name;
    const char *what;
    enum micro_prim prim;
    bool contended;             /* protect_contended: a changer thread, 1 thread only */
    uint64_t iterations;        /* 0: Google Benchmark's estimate */
};

static const struct micro_family micro_families[] = {
    {"enter_leave", "smr_enter, one dependent load, smr_leave", MICRO_ENTER_LEAVE, false, 0},
    {"protect", "smr_protect of the next node of a two-node ring, one operation per batch",
     MICRO_PROTECT, false, 0},
    {"protect_contended", "smr_protect of a root another thread keeps swapping (1 measured "
     "thread + the changer)", MICRO_PROTECT_ROOT, true, 0},
    {"retire", "smr_alloc, then enter + smr_retire + leave: a node's life with its share of "
     "scans and frees", MICRO_RETIRE, false, MICRO_RETIRE_ITERS},
    {"alloc", "smr_alloc + smr_dealloc_unpublished", MICRO_ALLOC, false, 0},
};
#define MICRO_NFAMILIES (sizeof micro_families / sizeof micro_families[0])

/* One registered benchmark and the run in progress. */
struct micro_bench {
    const struct micro_prims *prims;    /* a primitive, or */
    const struct bench_ops *ops;        /* a structure operation */
    enum micro_prim prim;
    bool contended, write;
    pthread_mutex_t lock;
    pthread_cond_t ready_cv;
    void *shared;               /* this run's domain or structure */
    bool ready;                 /* thread 0 has created it (NULL if that failed) */
    unsigned active;            /* threads not yet done */
};

static _Atomic int micro_failed;        /* a run failed: exit status 1 */

static void *subject_create(struct micro_bench *b, unsigned threads)
{
    return b->prims ? b->prims->create(threads, b->contended)
                    : micro_ops_create(b->ops, threads, b->write);
}

static void subject_destroy(struct micro_bench *b, struct smr_stats *final)
{
    if (b->prims)
        b->prims->destroy(b->shared, final);
    else
        micro_ops_destroy(b->shared, final);
}

/* Thread 0 builds the run's shared object; every thread waits for it. */
static void *run_join(struct micro_bench *b, unsigned tid, unsigned threads)
{
    pthread_mutex_lock(&b->lock);
    if (tid == 0) {
        b->shared = subject_create(b, threads);
        b->active = threads;
        b->ready = true;
        pthread_cond_broadcast(&b->ready_cv);
    }
    while (!b->ready)
        pthread_cond_wait(&b->ready_cv, &b->lock);
    void *s = b->shared;
    pthread_mutex_unlock(&b->lock);
    return s;
}

/* The last thread out tears the run down and checks that nothing retired was lost. */
static void run_leave(struct micro_bench *b, gbs_state *st)
{
    pthread_mutex_lock(&b->lock);
    if (--b->active == 0) {
        if (b->shared) {
            struct smr_stats final = {0};
            subject_destroy(b, &final);
            if (final.retired != final.reclaimed) {
                char msg[128];
                snprintf(msg, sizeof msg, "teardown: %llu of %llu retired nodes not reclaimed",
                         (unsigned long long)(final.retired - final.reclaimed),
                         (unsigned long long)final.retired);
                gbs_skip_with_error(st, msg);
                micro_failed = 1;
            }
        }
        b->shared = NULL;
        b->ready = false;
    }
    pthread_mutex_unlock(&b->lock);
}

/* Reclamation work per primitive, from the domain's counters (thread 0 only:
   Google Benchmark sums counters over threads). */
static void report_counters(struct micro_bench *b, gbs_state *st, void *shared)
{
    struct smr_stats s = {0};
    if (b->prims)
        b->prims->stats(shared, &s);
    else
        micro_ops_stats(shared, &s);
    if (s.retired == 0)
        return;
    gbs_set_counter(st, "retired_per_op", (double)s.retired, GBS_COUNTER_PER_ITERATION);
    gbs_set_counter(st, "scans_per_op", (double)s.scans, GBS_COUNTER_PER_ITERATION);
    gbs_set_counter(st, "unreclaimed", (double)(s.retired - s.reclaimed), GBS_COUNTER_PLAIN);
}

static void micro_body(gbs_state *st, void *arg)
{
    struct micro_bench *b = arg;
    unsigned tid = (unsigned)gbs_thread_index(st);
    void *shared = run_join(b, tid, (unsigned)gbs_thread_count(st));
    void *ctx = NULL;
    micro_batch_fn batch = b->prims ? b->prims->batch[b->prim] : micro_ops_batch;
    if (!shared) {
        gbs_skip_with_error(st, "could not set up the run (thread or memory)");
        micro_failed = 1;
    } else {
        ctx = b->prims ? b->prims->attach(shared) : micro_ops_attach(shared, tid);
    }
    /*
     * Every thread enters the loop: its first and last calls are barriers.
     * A thread leaves the domain after its last batch, before it waits at
     * the closing barrier for the others, as a thread that stops does in
     * smrbench run: a QSBR thread still registered there would announce
     * no quiescent state again, and the other thread's dbmap publish,
     * which waits for a grace period, would wait for it forever.
     */
    while (gbs_keep_running_batch(st, MICRO_BATCH)) {
        batch(ctx, MICRO_BATCH);
        if (ctx && gbs_iterations_left(st) == 0) {
            if (b->prims)
                b->prims->detach(ctx);
            else
                micro_ops_detach(ctx);
            ctx = NULL;
        }
    }
    if (shared && tid == 0)
        report_counters(b, st, shared);
    run_leave(b, st);
}

static struct micro_bench *benches;
static size_t nbenches, capbenches;

/* Every name Google Benchmark will give a run (what --benchmark_filter matches). */
static char (*instance_names)[MICRO_NAME_MAX];
static size_t ninstances;

static void add_instance_name(const char *name, uint64_t iterations, int threads)
{
    char *n = instance_names[ninstances++];
    if (iterations)
        snprintf(n, sizeof instance_names[0], "%s/iterations:%llu/threads:%d", name,
                 (unsigned long long)iterations, threads);
    else
        snprintf(n, sizeof instance_names[0], "%s/threads:%d", name, threads);
}

const char (*micro_instance_names(size_t *n))[MICRO_NAME_MAX]
{
    *n = ninstances;
    return (const char (*)[MICRO_NAME_MAX])instance_names;
}

static bool add_bench(const char *family, const char *scheme, struct micro_bench init,
                      bool two_threads, uint64_t iterations)
{
    if (nbenches == capbenches) {
        /* Registered benchmarks keep pointers into the array: size it once. */
        fprintf(stderr, "smrbench micro: too many benchmarks\n");
        return false;
    }
    char name[128];
    snprintf(name, sizeof name, "%s/%s", family, scheme);
    struct micro_bench *b = &benches[nbenches++];
    *b = init;
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->ready_cv, NULL);
    gbs_bench *g = gbs_register(name, micro_body, b);
    if (!g)
        return false;
    gbs_add_threads(g, 1);
    add_instance_name(name, iterations, 1);
    if (two_threads) {
        gbs_add_threads(g, 2);
        add_instance_name(name, iterations, 2);
    }
    if (iterations)
        gbs_set_iterations(g, iterations);
    return true;
}

static size_t count_schemes(void)
{
    size_t n = 0;
    for (const struct smr_scheme_info *const *s = registry_schemes; *s; s++)
        n++;
    return n;
}

static bool register_all(void)
{
    size_t nstructures = 0;
    for (const char *const *st = registry_structures; *st; st++)
        nstructures++;
    capbenches = (MICRO_NFAMILIES + 2 * nstructures) * count_schemes();
    benches = calloc(capbenches, sizeof(*benches));
    instance_names = calloc(2 * capbenches, sizeof(*instance_names));
    if (!benches || !instance_names)
        return false;
    for (size_t f = 0; f < MICRO_NFAMILIES; f++) {
        const struct micro_family *fam = &micro_families[f];
        for (const struct micro_prims *const *p = micro_prims_registry; *p; p++) {
            struct micro_bench init = {.prims = *p, .prim = fam->prim, .contended = fam->contended};
            if (!add_bench(fam->name, (*p)->scheme->name, init, !fam->contended, fam->iterations))
                return false;
        }
    }
    for (const char *const *st = registry_structures; *st; st++) {
        for (int write = 0; write < 2; write++) {
            char family[64];
            snprintf(family, sizeof family, "%s_%s", *st, write ? "write" : "read");
            for (const struct smr_scheme_info *const *s = registry_schemes; *s; s++) {
                if (registry_pair_unusable(*st, *s))
                    continue;
                struct micro_bench init = {.ops = registry_find_pair(*st, (*s)->name),
                                           .write = write};
                if (!add_bench(family, (*s)->name, init, true, write ? MICRO_WRITE_ITERS : 0))
                    return false;
            }
        }
    }
    return true;
}

static void free_all(void)
{
    for (size_t i = 0; i < nbenches; i++) {
        pthread_mutex_destroy(&benches[i].lock);
        pthread_cond_destroy(&benches[i].ready_cv);
    }
    free(benches);
    benches = NULL;
    nbenches = capbenches = 0;
    free(instance_names);
    instance_names = NULL;
    ninstances = 0;
}

static void add_context(void)
{
    struct buildinfo b;
    buildinfo_get(&b);
    gbs_add_context("smrbench_git_revision", b.git_revision);
    gbs_add_context("smrbench_compiler", b.compiler);
    gbs_add_context("smrbench_build_type", b.build_type);
    gbs_add_context("smrbench_sanitizer", b.sanitizer);
    gbs_add_context("cpu_model", b.cpu_model);
    gbs_add_context("allocator", b.allocator);
}

void micro_print_families(FILE *f)
{
    for (size_t i = 0; i < MICRO_NFAMILIES; i++)
        fprintf(f, "  %-20s %s%s\n", micro_families[i].name, micro_families[i].what,
                micro_families[i].contended ? "" : "; 1 and 2 threads");
    for (const char *const *st = registry_structures; *st; st++) {
        char read[64], write[64];
        snprintf(read, sizeof read, "%s_read", *st);
        snprintf(write, sizeof write, "%s_write", *st);
        fprintf(f, "  %-20s the pair's read, as in smrbench run; 1 and 2 threads\n", read);
        fprintf(f, "  %-20s the pair's write%s, as in smrbench run; 1 and 2 threads\n", write,
                micro_ops_write_note(*st));
    }
    fprintf(f, "  retire runs %u and *_write %u iterations per thread (none never frees)\n",
            MICRO_RETIRE_ITERS, MICRO_WRITE_ITERS);
}

int cmd_micro(int argc, char **argv)
{
    if (!micro_check_args(argc, argv))
        return 2;
    if (!register_all()) {
        free_all();
        return 1;
    }
    if (!micro_check_filter(argc, argv)) {
        free_all();
        return 2;
    }
    add_context();
    int status = micro_run(argc, argv);
    if (status == 0 && micro_failed)
        status = 1;
    free_all();
    return status;
}
