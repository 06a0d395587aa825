/*
 * many_threads.c - every (structure, scheme) pair the build registered, at
 * many threads (oversubscribed on a small machine), through the same
 * bench_ops the harness drives, linked with the checked core (poisoned
 * frees, canaries).
 *
 *   many_threads [THREADS[,THREADS...]] [OPS]     (default 64,256,1024 and 256)
 *
 * For each pair and thread count: create the structure with the harness's
 * parameters (prefill 1024, 50 % reads, or the structure's default roles),
 * start the threads, each attaches, inserts its share of the prefill and,
 * after a barrier, runs OPS operations, sampling the domain's retired -
 * reclaimed every 32 of them; then detach and destroy. Checks:
 *   - teardown: everything retired was reclaimed (nodes and bytes);
 *   - robust schemes: the peak sampled never exceeds the scheme's declared
 *     garbage_bound for the structure's domain config at that thread count
 *     (pairs whose configuration gives no bound, such as ibr with secvec's
 *     two slots, are reported, not checked);
 *   - no canary or poison check fires (the checked core exits 86 if one does).
 * One line per run: peak against bound, the table of the item 13.
 */
#include <pthread.h>
#include <string.h>

#include "mix.h"
#include "registry.h"
#include "rng.h"
#include "test_util.h"

#define MAX_COUNTS 8
#define SAMPLE_EVERY 32
#define PREFILL 1024

struct run {
    const struct bench_ops *b;
    void *structure;
    unsigned threads, ops;
    uint32_t keys;
    int writers;                        /* dedicated writers, -1: every thread mixes */
    pthread_barrier_t start;
    alignas(SMR_PAD_ALIGN) _Atomic uint64_t peak;
};

struct worker {
    struct run *run;
    unsigned tid;
    pthread_t thread;
};

static void note_peak(struct run *r)
{
    struct smr_stats st;
    r->b->stats(r->structure, &st);
    /* relaxed sums while threads run: a free may be seen before its retire */
    uint64_t u = st.retired > st.reclaimed ? st.retired - st.reclaimed : 0;
    uint64_t p = atomic_load_explicit(&r->peak, memory_order_relaxed);
    while (u > p && !atomic_compare_exchange_weak(&r->peak, &p, u))
        ;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct run *r = w->run;
    uint64_t seed = rng_thread_seed(1, 0, w->tid);
    void *ctx = r->b->attach(r->structure, w->tid, seed);
    r->b->prefill(ctx, PREFILL / r->threads + (w->tid < PREFILL % r->threads));
    pthread_barrier_wait(&r->start);
    struct rng rng;
    rng_seed(&rng, seed);
    unsigned read_percent = r->writers < 0 ? 50 : (w->tid < (unsigned)r->writers ? 0 : 100);
    uint64_t threshold = mix_read_threshold(read_percent);
    for (unsigned i = 0; i < r->ops; i++) {
        uint64_t x = rng_next(&rng);
        uint64_t key = rng_below32(x >> 32, r->keys);
        if (mix_is_read(x, threshold))
            r->b->read(ctx, key);
        else
            r->b->write(ctx, key);
        if (i % SAMPLE_EVERY == SAMPLE_EVERY - 1)
            note_peak(r);
    }
    r->b->detach(ctx);
    return NULL;
}

static void run_pair(const struct bench_ops *b, unsigned threads, unsigned ops)
{
    static struct run r;
    memset(&r, 0, sizeof r);
    r.b = b;
    r.threads = threads;
    r.ops = ops;
    /* The harness's key range: the structure's own, else the default -k. */
    r.keys = b->default_keys ? (uint32_t)b->default_keys : 1u << 20;
    /* The harness's roles without -m: the structure's default writers. */
    r.writers = b->default_writers ? (int)(b->default_writers < threads ? b->default_writers
                                                                        : threads)
                                   : -1;
    struct bench_params p = {.threads = threads, .writers = r.writers, .prefill = PREFILL,
                             .keys = r.keys, .smr = {.max_threads = threads}};
    for (unsigned i = 0; i < b->noptions; i++)
        p.opt[i] = b->options[i].def;
    struct smr_config cfg;
    b->domain_config(&p, &cfg);
    uint64_t bound = b->scheme->garbage_bound ? b->scheme->garbage_bound(&cfg, threads)
                                              : UINT64_MAX;

    r.structure = b->create(&p);
    pthread_barrier_init(&r.start, NULL, threads);
    struct worker *w = calloc(threads, sizeof(*w));
    for (unsigned i = 0; i < threads; i++) {
        w[i] = (struct worker){.run = &r, .tid = i};
        if (pthread_create(&w[i].thread, NULL, worker_main, &w[i]) != 0) {
            perror("many_threads: pthread_create");
            exit(2);
        }
    }
    for (unsigned i = 0; i < threads; i++)
        pthread_join(w[i].thread, NULL);
    free(w);
    pthread_barrier_destroy(&r.start);
    struct smr_stats fin;
    b->destroy(r.structure, &fin);

    uint64_t peak = atomic_load(&r.peak);
    bool checked = b->scheme->robust && b->scheme->reclaims && bound != UINT64_MAX;
    char bound_text[32];
    if (bound == UINT64_MAX)
        snprintf(bound_text, sizeof bound_text, "%s", b->scheme->garbage_bound ? "unbounded" : "-");
    else
        snprintf(bound_text, sizeof bound_text, "%llu", (unsigned long long)bound);
    printf("%-7s %-12s %5u threads: %9llu retired, peak unreclaimed %8llu, bound %14s%s\n",
           b->structure, b->scheme->name, threads, (unsigned long long)fin.retired,
           (unsigned long long)peak, bound_text,
           checked ? (peak <= bound ? "  ok" : "  EXCEEDED") : "");
    CHECK(fin.retired == fin.reclaimed && fin.retired_bytes == fin.reclaimed_bytes,
          "%s/%s at %u threads: teardown left %llu of %llu retired nodes unreclaimed",
          b->structure, b->scheme->name, threads,
          (unsigned long long)(fin.retired - fin.reclaimed), (unsigned long long)fin.retired);
    if (checked)
        CHECK(peak <= bound, "%s/%s at %u threads: %llu unreclaimed, above its garbage_bound %llu",
              b->structure, b->scheme->name, threads, (unsigned long long)peak,
              (unsigned long long)bound);
}

static unsigned parse_counts(const char *arg, unsigned *counts)
{
    unsigned n = 0;
    char *end;
    for (const char *s = arg; n < MAX_COUNTS; s = end + 1) {
        unsigned long v = strtoul(s, &end, 10);
        if (end == s || v < 1 || v > 4096 || (*end != ',' && *end != '\0'))
            return 0;
        counts[n++] = (unsigned)v;
        if (*end == '\0')
            break;
    }
    return n;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    unsigned counts[MAX_COUNTS] = {64, 256, 1024}, ncounts = 3, ops = 256;
    if (argc > 1)
        ncounts = parse_counts(argv[1], counts);
    if (argc > 2)
        ops = (unsigned)strtoul(argv[2], NULL, 10);
    if (argc > 3 || ncounts == 0 || ops == 0) {
        fprintf(stderr, "usage: %s [THREADS[,THREADS...] (1..4096)] [OPS (>= 1)]\n", argv[0]);
        return 2;
    }
    for (const char *const *st = registry_structures; *st; st++)
        for (const struct smr_scheme_info *const *s = registry_schemes; *s; s++) {
            if (registry_pair_unusable(*st, *s))
                continue;
            for (unsigned i = 0; i < ncounts; i++)
                run_pair(registry_find_pair(*st, (*s)->name), counts[i], ops);
        }
    return test_finish("many-threads");
}
