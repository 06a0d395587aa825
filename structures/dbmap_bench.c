/*
 * dbmap_bench.c - dbmap's benchmark operations.
 *
 * read  = get(key) as one read of the live copy.
 * write = insert(key, value), or remove the key this thread inserted
 *         DBMAP_BENCH_RING inserts earlier, alternating; so the map stays
 *         near its prefill size and every key stays visible for many
 *         publishes. Every `publish_every` writes (all writer threads
 *         together) the writing thread publishes.
 *
 * The map has one writer handle by design: writer threads share it behind
 * a mutex (not taken when the run has a single dedicated writer thread).
 * A thread waiting for it stays idle the useful way (dbmap_reader_idle):
 * it announces quiescent states (QSBR) and flushes its own scheme handle,
 * where the token it retired when it last published may be what the
 * holder now waits for.
 * Default roles: one writer thread, the others read (default_writers).
 *
 * The pair's translation unit: the map itself is compiled in here, so its
 * operations inline into read and write, as for every structure
 * (bench_glue.h, whose thread context dbmap does not share: a dbmap thread
 * holds a reader handle, not a scheme handle).
 */
#include "dbmap.c"

#include <pthread.h>
#include <sched.h>

#include "../workloads/rng.h"

#define DBMAP_BENCH_RING 1024u
#define DBMAP_NO_KEY UINT64_MAX

enum { DBMAP_OPT_PUBLISH_EVERY, DBMAP_OPT_WAIT };
#define DBMAP_DEFAULT_PUBLISH_EVERY 64

struct dbmap_bench {
    struct dbmap *map;
    uint64_t keys;
    uint64_t publish_every;
    bool single_writer;         /* one dedicated writer thread: no lock needed after prefill */
    alignas(SMR_PAD_ALIGN) pthread_mutex_t writer_lock;
    uint64_t since_publish;     /* under writer_lock */
};

struct dbmap_bench_thread {
    struct dbmap_bench *bench;
    struct dbmap_reader *reader;
    uint64_t seed;
    uint64_t sink;              /* keeps read values alive for the optimiser */
    unsigned ring_pos;
    bool remove_next;
    uint64_t ring[DBMAP_BENCH_RING]; /* keys this thread inserted, oldest at ring_pos */
};

static void dbmap_bench_domain_config(const struct bench_params *p, struct smr_config *out)
{
    *out = p->smr;
    out->hazard_slots = DBMAP_SMR_SLOTS;
    out->max_live = DBMAP_MAX_LIVE_TOKENS;
}

static void *dbmap_bench_create(const struct bench_params *p)
{
    struct dbmap_bench *b = smr_record_alloc(sizeof(*b));
    struct dbmap_config c = {
        .smr = p->smr, /* dbmap_create sets the slots and live tokens, as above */
        .immediate_wait = p->opt[DBMAP_OPT_WAIT] == 1,
        .capacity = p->prefill,
    };
    b->map = dbmap_create(&c);
    b->keys = p->keys ? p->keys : 1;
    b->publish_every = p->opt[DBMAP_OPT_PUBLISH_EVERY] > 0 ? (uint64_t)p->opt[DBMAP_OPT_PUBLISH_EVERY]
                                                           : DBMAP_DEFAULT_PUBLISH_EVERY;
    b->single_writer = p->writers == 1;
    pthread_mutex_init(&b->writer_lock, NULL);
    return b;
}

static void dbmap_bench_destroy(void *s, struct smr_stats *final)
{
    struct dbmap_bench *b = s;
    dbmap_destroy(b->map, final);
    pthread_mutex_destroy(&b->writer_lock);
    free(b);
}

static void *dbmap_bench_attach(void *s, unsigned tid, uint64_t seed)
{
    (void)tid;
    struct dbmap_bench *b = s;
    struct dbmap_bench_thread *bt = smr_record_alloc(sizeof(*bt));
    bt->bench = b;
    bt->reader = dbmap_reader_open(b->map);
    bt->seed = seed;
    for (unsigned i = 0; i < DBMAP_BENCH_RING; i++)
        bt->ring[i] = DBMAP_NO_KEY;
    return bt;
}

static void dbmap_bench_detach(void *ctx)
{
    struct dbmap_bench_thread *bt = ctx;
    dbmap_reader_close(bt->reader);
    free(bt);
}

/* Prefill always locks (every thread loads its share); writes lock only
   when more than one thread writes. */
static void dbmap_bench_lock(struct dbmap_bench_thread *bt)
{
    for (unsigned n = 0; pthread_mutex_trylock(&bt->bench->writer_lock) != 0; n++) {
        dbmap_reader_idle(bt->reader);
        if (n >= 8)
            sched_yield();
    }
}

static void dbmap_bench_unlock(struct dbmap_bench_thread *bt)
{
    pthread_mutex_unlock(&bt->bench->writer_lock);
}

/* Before any read: load both copies directly (no publish, no grace period). */
static void dbmap_bench_prefill(void *ctx, uint64_t count)
{
    struct dbmap_bench_thread *bt = ctx;
    struct rng r;
    rng_seed(&r, bt->seed ^ 0xdb0a9u);
    dbmap_bench_lock(bt);
    struct dbmap_writer *w = dbmap_writer(bt->bench->map);
    for (uint64_t i = 0; i < count; i++) {
        uint64_t key = rng_below32(rng_next(&r), bt->bench->keys);
        dbmap_load(w, key, key);
    }
    dbmap_bench_unlock(bt);
}

static void dbmap_bench_read(void *ctx, uint64_t key)
{
    struct dbmap_bench_thread *bt = ctx;
    uint64_t v;
    if (dbmap_get(bt->reader, key, &v))
        bt->sink += v;
}

static void dbmap_bench_write(void *ctx, uint64_t key)
{
    struct dbmap_bench_thread *bt = ctx;
    struct dbmap_bench *b = bt->bench;
    if (!b->single_writer)
        dbmap_bench_lock(bt);
    struct dbmap_writer *w = dbmap_writer(b->map);
    uint64_t *slot = &bt->ring[bt->ring_pos];
    if (bt->remove_next) {
        dbmap_remove(w, *slot != DBMAP_NO_KEY ? *slot : key);
        *slot = DBMAP_NO_KEY;
    } else {
        dbmap_insert(w, key, key);
        *slot = key;
        bt->ring_pos = (bt->ring_pos + 1) % DBMAP_BENCH_RING;
    }
    bt->remove_next = !bt->remove_next;
    if (++b->since_publish >= b->publish_every) {
        dbmap_publish(w, bt->reader);
        b->since_publish = 0;
    }
    if (!b->single_writer)
        dbmap_bench_unlock(bt);
}

static void dbmap_bench_stall(void *ctx, double seconds, _Atomic int *cancel)
{
    struct dbmap_bench_thread *bt = ctx;
    const struct dbmap_table *t = dbmap_read_begin(bt->reader);
    bench_stall_sleep(seconds, cancel);
    bt->sink += dbmap_table_count(t); /* the snapshot is still readable after the stall */
    dbmap_read_end(bt->reader);
}

static void dbmap_bench_thread_stats(void *ctx, struct smr_stats *out)
{
    dbmap_reader_stats(((struct dbmap_bench_thread *)ctx)->reader, out);
}

static void dbmap_bench_stats(void *s, struct smr_stats *out)
{
    dbmap_stats(((struct dbmap_bench *)s)->map, out);
}

static void dbmap_bench_metrics(void *s, struct bench_metrics *out)
{
    dbmap_metrics(((struct dbmap_bench *)s)->map, out);
}

const struct bench_ops DBMAP_MANGLE(dbmap_ops) = {
    .structure = "dbmap",
    .scheme = &DBMAP_PROVIDER_INFO,
    .noptions = 2,
    .options = {
        {"publish_every", DBMAP_DEFAULT_PUBLISH_EVERY, 1, 1 << 24,
         "writes (all writer threads together) between publishes"},
        {"wait", 0, 0, 1,
         "0 = delayed swap (a reader blocks only the second swap after it started), "
         "1 = immediate (wait for readers right after each swap)"},
    },
    .domain_config = dbmap_bench_domain_config,
    .create = dbmap_bench_create,
    .destroy = dbmap_bench_destroy,
    .attach = dbmap_bench_attach,
    .detach = dbmap_bench_detach,
    .prefill = dbmap_bench_prefill,
    .read = dbmap_bench_read,
    .write = dbmap_bench_write,
    .stall = dbmap_bench_stall,
    .thread_stats = dbmap_bench_thread_stats,
    .stats = dbmap_bench_stats,
    .summary = "double-buffer (left-right) hash map: readers get from the live copy; one "
               "writer handle (writer threads share it behind a mutex) inserts/removes and "
               "publishes every publish_every writes; default roles: 1 writer, the rest read",
    .default_writers = 1,
    .needs_reclaim = true,
    .metrics = dbmap_bench_metrics,
};
