/*
 * run.c - the run protocol and the worker loop.
 *
 * A run: build the structure, start the threads pinned by the plan, each
 * inserts its share of the prefill, all meet at a barrier, warm up, then the
 * main thread measures the window on the monotonic clock while sampling the
 * memory curve, and sets the stop flag. Workers never read the system
 * clock: they count operations in their own padded counter and read only
 * the TSC, around the first operation of each batch, for the latency
 * histogram. Teardown checks that every
 * retired node was reclaimed.
 */
#include "run.h"

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "cell.h"
#include "latency.h"
#include "mix.h"
#include "rng.h"
#include "zipf.h"

/* Zipf keys are drawn before the run into a per-thread buffer the loop cycles through. */
#define RUN_KEY_BUFFER (1u << 16)

/* Operations between publications of a worker's count and checks of the
   phase; the first operation of each batch is timed into the histogram. */
#define RUN_BATCH 64

enum run_phase { PHASE_WARMUP, PHASE_MEASURE, PHASE_STOP };

_Atomic int run_interrupted;
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "run_interrupted must be lock-free");

const char *run_status_name(enum run_status s)
{
    return s == RUN_OK ? "ok" : s == RUN_INTERRUPTED ? "interrupted" : "failed";
}

struct run_shared {
    alignas(SMR_PAD_ALIGN) _Atomic int phase;
    alignas(SMR_PAD_ALIGN) pthread_barrier_t ready;
};

struct worker {
    alignas(SMR_PAD_ALIGN) _Atomic uint64_t ops; /* owner writes, main reads */
    _Atomic int stall_request;                    /* main sets it once (--stall) */
    alignas(SMR_PAD_ALIGN) const struct bench_ops *bench;
    struct run_shared *shared;
    void *structure;
    void *ctx;                  /* the pair's thread context, set before the barrier */
    struct latency_hist *latency;
    uint32_t *key_buffer;       /* NULL: uniform keys drawn in the loop */
    double stall_len_s;
    hwloc_topology_t topo;
    int pu;
    unsigned tid;
    uint64_t seed;
    uint64_t prefill;
    uint64_t keys;
    uint64_t read_threshold;
    int bind_errno;
    struct keyed_counts counts; /* keyed sets: the thread's counts, taken before detach */
    pthread_t thread;
};

double run_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void sleep_s(double s)
{
    if (s <= 0)
        return;
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    /* A signal ends the sleep early only if it interrupts the sweep. */
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR && !atomic_load(&run_interrupted))
        ;
}

static uint64_t rss_kib(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long long size = 0, resident = 0;
    if (f) {
        if (fscanf(f, "%llu %llu", &size, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return resident * (uint64_t)sysconf(_SC_PAGESIZE) / 1024;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    if (pin_bind_self(w->topo, w->pu) != 0)
        w->bind_errno = errno ? errno : EINVAL;

    const struct bench_ops *b = w->bench;
    void *ctx = b->attach(w->structure, w->tid, w->seed);
    w->ctx = ctx;
    b->prefill(ctx, w->prefill);
    struct rng rng;
    rng_seed(&rng, w->seed);
    /* Locals, so the loop keeps them in registers. */
    void (*read)(void *, uint64_t) = b->read;
    void (*write)(void *, uint64_t) = b->write;
    const uint64_t threshold = w->read_threshold, keys = w->keys;

    struct latency_hist *hist = w->latency;
    const uint64_t timing_cost = latency_overhead();
    const uint32_t *kbuf = w->key_buffer;
    uint32_t kpos = 0;
#define NEXT_KEY(x) (kbuf ? kbuf[kpos++ & (RUN_KEY_BUFFER - 1)] : rng_below32((x), keys))

    pthread_barrier_wait(&w->shared->ready);
    uint64_t done = 0;
    int phase;
    while ((phase = atomic_load_explicit(&w->shared->phase, memory_order_relaxed)) != PHASE_STOP) {
        /* The first operation of the batch, timed. */
        uint64_t x = rng_next(&rng);
        uint64_t start = latency_start();
        if (mix_is_read(x, threshold))
            read(ctx, NEXT_KEY(x));
        else
            write(ctx, NEXT_KEY(x));
        uint64_t end = latency_end();
        if (phase == PHASE_MEASURE)
            latency_record(hist, end - start > timing_cost ? end - start - timing_cost : 0);
        for (int i = 1; i < RUN_BATCH; i++) {
            x = rng_next(&rng);
            uint64_t key = NEXT_KEY(x);
            if (mix_is_read(x, threshold))
                read(ctx, key);
            else
                write(ctx, key);
        }
        done += RUN_BATCH;
        if (SMR_UNLIKELY(atomic_load_explicit(&w->stall_request, memory_order_relaxed))) {
            atomic_store_explicit(&w->stall_request, 0, memory_order_relaxed);
            b->stall(ctx, w->stall_len_s, &run_interrupted);
        }
        /* relaxed: a counter for the sampler, nothing is published through it */
        atomic_store_explicit(&w->ops, done, memory_order_relaxed);
    }
#undef NEXT_KEY
    /* acquire: pairs with the main thread's release store of PHASE_STOP, so
       its last reads of this thread's context happen before detach frees it. */
    (void)atomic_load_explicit(&w->shared->phase, memory_order_acquire);
    if (b->counts)
        b->counts(ctx, &w->counts);
    b->detach(ctx);
    return NULL;
}

static uint64_t sum_ops(struct worker *w, unsigned n, uint64_t *per_thread)
{
    uint64_t s = 0;
    for (unsigned i = 0; i < n; i++) {
        uint64_t v = atomic_load_explicit(&w[i].ops, memory_order_relaxed);
        if (per_thread)
            per_thread[i] = v;
        s += v;
    }
    return s;
}

static void sample(struct run_result *r, const struct bench_ops *b, void *structure,
                   struct worker *w, unsigned n, double t0, uint64_t ops0, size_t cap)
{
    struct smr_stats st;
    b->stats(structure, &st);
    /* The counters are summed with relaxed loads while threads run, so a
       free can be seen before the retire that preceded it: clamp at zero. */
    uint64_t unrec = st.retired > st.reclaimed ? st.retired - st.reclaimed : 0;
    uint64_t unrec_bytes = st.retired_bytes > st.reclaimed_bytes
                               ? st.retired_bytes - st.reclaimed_bytes : 0;
    uint64_t rss = rss_kib();
    if (r->nseries < cap) {
        struct series_point *p = &r->series[r->nseries++];
        p->t_ms = (uint32_t)((run_now_s() - t0) * 1000 + 0.5);
        p->ops = sum_ops(w, n, NULL) - ops0;
        p->unreclaimed = unrec;
        p->unreclaimed_bytes = unrec_bytes;
        p->rss_kib = rss;
    }
    if (unrec > r->unreclaimed_peak)
        r->unreclaimed_peak = unrec;
    if (unrec_bytes > r->unreclaimed_bytes_peak)
        r->unreclaimed_bytes_peak = unrec_bytes;
    if (rss > r->rss_peak_kib)
        r->rss_peak_kib = rss;
    r->unreclaimed_final = unrec;
}

/* Dedicated writer threads: --writers, else the structure's default roles
   unless -m asked every thread to mix; -1: every thread mixes. */
static int run_writers(const struct run_options *o, const struct bench_ops *b, unsigned nthreads)
{
    if (o->writers >= 0)
        return o->writers;
    if (!o->mix_given && b->default_writers > 0)
        return (int)(b->default_writers < nthreads ? b->default_writers : nthreads);
    return -1;
}

static void run_quantiles_of(struct run_quantiles *q, const struct latency_hist *h)
{
    q->p50_ns = (double)latency_quantile(h, 0.50);
    q->p99_ns = (double)latency_quantile(h, 0.99);
    q->max_ns = (double)h->max;
}

/* The structure's metrics over the window: the difference of two snapshots. */
static void run_metrics(struct run_result *r, const struct bench_metrics *m0,
                        const struct bench_metrics *m1)
{
    struct latency_hist *d = malloc(sizeof(*d));
    if (!d)
        abort();
    r->has_metrics = true;
    r->publishes = m1->publishes - m0->publishes;
    latency_diff(d, &m1->publish_ns, &m0->publish_ns);
    run_quantiles_of(&r->publish, d);
    latency_diff(d, &m1->wait_ns, &m0->wait_ns);
    run_quantiles_of(&r->publish_wait, d);
    latency_diff(d, &m1->apply_ns, &m0->apply_ns);
    run_quantiles_of(&r->publish_apply, d);
    latency_diff(d, &m1->staleness_ns, &m0->staleness_ns);
    run_quantiles_of(&r->staleness, d);
    free(d);
}

/* Reader and writer throughput when threads have roles (the first `writers` write). */
static void run_role_throughput(struct run_result *r)
{
    r->reader_ops_per_sec = r->writer_ops_per_sec = -1;
    if (r->writers < 0)
        return;
    uint64_t rd = 0, wr = 0;
    for (unsigned i = 0; i < r->threads; i++) {
        if (i < (unsigned)r->writers)
            wr += r->thread_ops[i];
        else
            rd += r->thread_ops[i];
    }
    r->reader_ops_per_sec = (double)rd / r->duration_s;
    r->writer_ops_per_sec = (double)wr / r->duration_s;
}

uint64_t run_keys(const struct run_options *o, const struct bench_ops *b)
{
    return o->keys_given || !b->default_keys ? o->keys : b->default_keys;
}

uint64_t run_prefill(const struct run_options *o, const struct bench_ops *b)
{
    /* Equal inserts and deletes hold a set at half its key range: start there. */
    return o->prefill_given || !b->counts ? o->prefill : run_keys(o, b) / 2;
}

void run_result_init(struct run_result *r, const struct run_options *o, const struct bench_ops *b,
                     unsigned nthreads, unsigned rep)
{
    memset(r, 0, sizeof(*r));
    r->structure = b->structure;
    r->scheme = b->scheme->name;
    r->threads = nthreads;
    r->read_percent = o->read_percent;
    r->writers = run_writers(o, b, nthreads);
    r->rep = rep;
    r->keys = run_keys(o, b);
    r->prefill = run_prefill(o, b);
    r->reader_ops_per_sec = r->writer_ops_per_sec = -1;
}

void run_result_free(struct run_result *r)
{
    free(r->thread_ops);
    free(r->thread_retired);
    free(r->thread_reclaimed);
    free(r->thread_seed);
    free(r->series);
}

static void run_add_counts(struct keyed_counts *sum, const struct keyed_counts *c)
{
    sum->prefilled += c->prefilled;
    sum->prefilled_sum += c->prefilled_sum;
    sum->inserts += c->inserts;
    sum->inserted += c->inserted;
    sum->inserted_sum += c->inserted_sum;
    sum->deletes += c->deletes;
    sum->deleted += c->deleted;
    sum->deleted_sum += c->deleted_sum;
}

/* A cell that did not run in full: its status and why. */
static void run_mark(struct run_result *r, enum run_status status, const char *fmt, ...)
{
    va_list ap;
    r->status = status;
    va_start(ap, fmt);
    vsnprintf(r->failure, sizeof r->failure, fmt, ap);
    va_end(ap);
}

void run_cell(const struct run_options *o, const struct bench_ops *b, unsigned nthreads,
              unsigned rep, hwloc_topology_t topo, struct run_result *r)
{
    char err[256];
    struct pin_plan plan;
    run_result_init(r, o, b, nthreads, rep);
    if (pin_plan_make(topo, &o->pin, (int)nthreads, &plan, err, sizeof err) != 0) {
        fprintf(stderr, "smrbench: %s\n", err);
        pin_plan_free(&plan);
        run_mark(r, RUN_FAILED, "no placement for %u threads", nthreads);
        return;
    }
    r->oversubscribed = plan.oversubscribed;
    pin_plan_format(&plan, r->placement, sizeof r->placement);
    r->thread_ops = calloc(nthreads, sizeof(uint64_t));
    r->thread_retired = calloc(nthreads, sizeof(uint64_t));
    r->thread_reclaimed = calloc(nthreads, sizeof(uint64_t));
    r->thread_seed = calloc(nthreads, sizeof(uint64_t));
    size_t cap = (size_t)(o->duration_s * 1000 / o->sample_ms) + 4;
    r->series = calloc(cap, sizeof(struct series_point));

    struct bench_params params = {
        .threads = nthreads, .writers = r->writers, .prefill = r->prefill, .keys = r->keys,
        .smr = {.max_threads = nthreads},
    };
    cli_apply_settings(o, b->structure, b->scheme->name, params.smr.tune, params.opt);
    struct smr_config domain_cfg;
    b->domain_config(&params, &domain_cfg);
    r->garbage_bound = b->scheme->garbage_bound ? b->scheme->garbage_bound(&domain_cfg, nthreads)
                                                : UINT64_MAX;
    if (b->scheme->effective)
        b->scheme->effective(&domain_cfg, nthreads, r->effective, sizeof r->effective);
    void *structure = b->create(&params);
    struct run_shared *shared = smr_record_alloc(sizeof(*shared));
    pthread_barrier_init(&shared->ready, NULL, nthreads + 1);
    struct worker *w = smr_record_alloc(sizeof(struct worker) * nthreads);
    for (unsigned i = 0; i < nthreads; i++) {
        w[i].bench = b;
        w[i].shared = shared;
        w[i].structure = structure;
        w[i].topo = topo;
        w[i].pu = plan.pu[i];
        w[i].tid = i;
        w[i].seed = rng_thread_seed(o->seed, rep, i);
        r->thread_seed[i] = w[i].seed;
        w[i].prefill = r->prefill / nthreads + (i < r->prefill % nthreads);
        w[i].keys = r->keys;
        w[i].read_threshold = mix_read_threshold(o->read_percent);
        if (r->writers >= 0) /* dedicated roles: the first `writers` threads only write */
            w[i].read_threshold = mix_read_threshold(i < (unsigned)r->writers ? 0 : 100);
        if (o->zipf_theta > 0) {
            struct zipf z;
            struct rng kr;
            zipf_init(&z, r->keys, o->zipf_theta);
            rng_seed(&kr, w[i].seed ^ 0x5a17u);
            w[i].key_buffer = malloc(RUN_KEY_BUFFER * sizeof(uint32_t));
            for (unsigned k = 0; k < RUN_KEY_BUFFER; k++)
                w[i].key_buffer[k] = (uint32_t)zipf_next(&z, &kr);
        }
        w[i].latency = calloc(1, sizeof(struct latency_hist));
        w[i].stall_len_s = o->stall_len_s;
        if (pthread_create(&w[i].thread, NULL, worker_main, &w[i]) != 0) {
            perror("smrbench: pthread_create");
            exit(1);
        }
    }
    pthread_barrier_wait(&shared->ready); /* every thread pinned and prefilled */
    bool prefilled = !run_interrupted;
    if (prefilled)
        sleep_s(o->warmup_s);
    /* Interrupted before the window: nothing to measure. */
    bool window = !run_interrupted;

    struct smr_stats st0, st1, tst;
    struct bench_metrics *m0 = NULL, *m1 = NULL;
    if (b->metrics) {
        m0 = malloc(sizeof(*m0));
        m1 = malloc(sizeof(*m1));
        if (!m0 || !m1)
            abort();
        b->metrics(structure, m0);
    }
    b->stats(structure, &st0);
    for (unsigned i = 0; i < nthreads; i++) {
        b->thread_stats(w[i].ctx, &tst);
        r->thread_retired[i] = tst.retired;
        r->thread_reclaimed[i] = tst.reclaimed;
    }
    uint64_t ops0 = sum_ops(w, nthreads, r->thread_ops);
    uint64_t *thread_ops0 = calloc(nthreads, sizeof(uint64_t));
    memcpy(thread_ops0, r->thread_ops, nthreads * sizeof(uint64_t));
    /* relaxed: workers only need to see the phase change eventually */
    atomic_store_explicit(&shared->phase, PHASE_MEASURE, memory_order_relaxed);
    uint64_t tick0 = latency_end();
    double t0 = run_now_s(), end = t0 + o->duration_s;
    double sum_unrec = 0;
    bool stall_sent = o->stall_thread < 0;
    for (double t = run_now_s(); window && t < end && !run_interrupted; t = run_now_s()) {
        if (!stall_sent && t - t0 >= o->stall_start_s) {
            atomic_store_explicit(&w[o->stall_thread].stall_request, 1, memory_order_relaxed);
            stall_sent = true;
        }
        double next = t + o->sample_ms / 1000.0;
        if (!stall_sent && t0 + o->stall_start_s < next)
            next = t0 + o->stall_start_s;
        sleep_s((next < end ? next : end) - t);
        sample(r, b, structure, w, nthreads, t0, ops0, cap);
        sum_unrec += (double)r->unreclaimed_final;
    }
    double t1 = run_now_s();
    uint64_t tick1 = latency_end();
    uint64_t ops1 = sum_ops(w, nthreads, r->thread_ops);
    b->stats(structure, &st1);
    if (b->metrics)
        b->metrics(structure, m1);
    for (unsigned i = 0; i < nthreads; i++) {
        b->thread_stats(w[i].ctx, &tst);
        r->thread_retired[i] = tst.retired - r->thread_retired[i];
        r->thread_reclaimed[i] = tst.reclaimed - r->thread_reclaimed[i];
    }
    /* release: the reads of the thread contexts above must happen before the
       workers detach and free them (see the acquire load in worker_main). */
    atomic_store_explicit(&shared->phase, PHASE_STOP, memory_order_release);
    for (unsigned i = 0; i < nthreads; i++) {
        pthread_join(w[i].thread, NULL);
        run_add_counts(&r->counts, &w[i].counts);
    }
    r->has_counts = b->counts != NULL;

    /* Latency: merge the per-thread histograms, convert ticks to ns with the
       ratio measured over this window. */
    struct latency_hist *all = calloc(1, sizeof(*all));
    for (unsigned i = 0; i < nthreads; i++) {
        latency_merge(all, w[i].latency);
        free(w[i].latency);
        free(w[i].key_buffer);
    }
    double ns_per_tick = tick1 > tick0 ? (t1 - t0) * 1e9 / (double)(tick1 - tick0) : 1.0;
    r->p50_ns = (double)latency_quantile(all, 0.50) * ns_per_tick;
    r->p99_ns = (double)latency_quantile(all, 0.99) * ns_per_tick;
    r->p999_ns = (double)latency_quantile(all, 0.999) * ns_per_tick;
    r->max_ns = (double)all->max * ns_per_tick;
    r->latency_samples = all->total;
    free(all);

    r->measured = window;
    r->complete = window && !run_interrupted;
    r->duration_s = t1 - t0;
    r->ops = ops1 - ops0;
    r->ops_per_sec = (double)r->ops / r->duration_s;
    r->unreclaimed_mean = r->nseries ? sum_unrec / (double)r->nseries : 0;
    r->retired = st1.retired - st0.retired;
    r->reclaimed = st1.reclaimed - st0.reclaimed;
    for (unsigned i = 0; i < nthreads; i++)
        r->thread_ops[i] -= thread_ops0[i];
    free(thread_ops0);
    run_role_throughput(r);
    if (b->metrics)
        run_metrics(r, m0, m1);
    free(m0);
    free(m1);

    int bind_errno = 0;
    for (unsigned i = 0; i < nthreads; i++)
        if (w[i].bind_errno)
            bind_errno = w[i].bind_errno;
    if (bind_errno)
        fprintf(stderr, "smrbench: warning: binding a thread failed (%s); run kept, marked unpinned\n",
                strerror(bind_errno));

    /* Every thread left: the structure must hold what the threads say. */
    char invalid[160] = "";
#ifdef SMR_TEST_FAULTS
    r->counts.inserted += cell_test_miscount; /* the planted miscount (smrbench-faults) */
#endif
    if (b->validate && !b->validate(structure, &r->counts, invalid, sizeof invalid))
        fprintf(stderr, "smrbench: %s/%s %u threads: validation failed: %s\n", r->structure,
                r->scheme, nthreads, invalid);

    struct smr_stats fin;
    b->destroy(structure, &fin);
    r->teardown_ok = fin.retired == fin.reclaimed && fin.retired_bytes == fin.reclaimed_bytes;
    r->teardown_retired = fin.retired;
    r->teardown_left = fin.retired > fin.reclaimed ? fin.retired - fin.reclaimed : 0;
    if (invalid[0])
        run_mark(r, RUN_FAILED, "validation: %s", invalid);
    else if (!r->teardown_ok)
        run_mark(r, RUN_FAILED, "teardown left %llu of %llu nodes",
                 (unsigned long long)r->teardown_left, (unsigned long long)fin.retired);
    else if (!prefilled)
        run_mark(r, RUN_INTERRUPTED, "interrupted during prefill");
    else if (!window)
        run_mark(r, RUN_INTERRUPTED, "interrupted during warmup");
    else if (!r->complete)
        run_mark(r, RUN_INTERRUPTED, "interrupted after %.3f s of %g s", r->duration_s,
                 o->duration_s);
    r->reported = true;
    pthread_barrier_destroy(&shared->ready);
    free(shared);
    free(w);
    pin_plan_free(&plan);
    /* Hand freed memory back to the system so that, with --isolation
       single, the next cell's RSS curve starts from a lower baseline (a
       child process per cell starts from a fresh heap). */
    malloc_trim(0);
}

void run_mix_label(const struct run_result *r, char *buf, size_t len)
{
    if (r->writers >= 0)
        snprintf(buf, len, "w%d", r->writers);
    else
        snprintf(buf, len, "r%u", r->read_percent);
}
