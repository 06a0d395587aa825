/*
 * dbmap.c - the double-buffer map: two copies, the writer's log and
 * publish, readers. Compiled once per grace-period provider (see dbmap.h);
 * its benchmark operations are in dbmap_bench.c.
 */
#include "dbmap.h"

#include <sched.h>
#include <time.h>

#include "bench_ops.h"
#include "dbmap_log.h"

#ifdef SMR_NATIVE_PROVIDER
#include "dbmap_grace_epochs.h"
#else
#include "dbmap_grace_smr.h"
#endif

#ifdef SMR_NATIVE_PROVIDER
/* dbmap's own reader epochs, listed among the schemes for -r but serving
   only dbmap (only_structure): it is not an implementation of smr.h. */
const struct smr_scheme_info dbmap_epochs_info = {
    .name = "dbmap-epochs",
    .summary = "dbmap's native reader epochs: a counter per reader, odd while reading; "
               "a swap waits for the odd ones to move",
    .robust = false,
    .reclaims = true,
    .guarantee = "retires no nodes: a swap waits for readers instead, and a reader stalled in "
                 "a read blocks the second swap after it started (the writer waits)",
    .ntunables = 0,
    .only_structure = "dbmap",
};
#endif

/* Histograms the writer records into while a sampler may read them. */
struct dbmap_metrics_hists {
    _Atomic uint64_t publishes;
    struct latency_hist_shared publish, wait, apply, staleness;
};

struct dbmap_writer {
    struct dbmap *map;
    struct dbmap_log log;
    struct dbmap_copy *live, *stale;    /* the writer's view: which copy is which */
    uint64_t first_unpublished_ns;      /* when the oldest unpublished operation was logged */
    bool immediate_wait;
};

struct dbmap {
    struct dbmap_grace grace;           /* the live pointer, read by every reader */
    struct dbmap_copy copies[2];
    alignas(SMR_PAD_ALIGN) struct dbmap_writer writer;
    struct dbmap_metrics_hists *metrics;
};

struct dbmap_reader {
    struct dbmap *map;
    struct dbmap_copy *inside;          /* the copy of the current read */
    bool has_published;                 /* its scheme handle retired a token */
    struct dbmap_grace_reader grace;
};

#ifdef SMR_CHECKED
static inline void dbmap_check_readable(const struct dbmap_copy *c, const char *what)
{
    if (SMR_UNLIKELY(atomic_load_explicit(&c->guard, memory_order_relaxed) !=
                     DBMAP_GUARD_READABLE))
        smr_check_failed(what, c);
}

/* relaxed: the guard is a detector; the grace period orders the rewrite */
static inline void dbmap_set_guard(struct dbmap_copy *c, uint64_t g)
{
    atomic_store_explicit(&c->guard, g, memory_order_relaxed);
}
#else
static inline void dbmap_check_readable(const struct dbmap_copy *c, const char *what)
{
    (void)c;
    (void)what;
}
static inline void dbmap_set_guard(struct dbmap_copy *c, uint64_t g)
{
    (void)c;
    (void)g;
}
#endif

static uint64_t dbmap_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

struct dbmap *dbmap_create(const struct dbmap_config *cfg)
{
    struct dbmap_config c = cfg ? *cfg : (struct dbmap_config){0};
    struct dbmap *m = smr_record_alloc(sizeof(*m));
    m->metrics = smr_record_alloc(sizeof(*m->metrics));
    for (int i = 0; i < 2; i++) {
        dbmap_table_init(&m->copies[i].table, c.capacity);
        dbmap_set_guard(&m->copies[i], DBMAP_GUARD_READABLE);
    }
    struct dbmap_writer *w = &m->writer;
    w->map = m;
    dbmap_log_init(&w->log);
    w->live = &m->copies[0];
    w->stale = &m->copies[1];
    w->immediate_wait = c.immediate_wait;
    dbmap_grace_init(&m->grace, &c.smr, w->live, w->stale);
    return m;
}

void dbmap_destroy(struct dbmap *m, struct smr_stats *final)
{
    dbmap_grace_destroy(&m->grace, final);
    for (int i = 0; i < 2; i++)
        dbmap_table_destroy(&m->copies[i].table);
    dbmap_log_destroy(&m->writer.log);
    free(m->metrics);
    free(m);
}

/* ---- writer ---- */

struct dbmap_writer *dbmap_writer(struct dbmap *m)
{
    return &m->writer;
}

static void dbmap_log_op(struct dbmap_writer *w, struct dbmap_op op)
{
    /* One clock read per publish: the age of its oldest operation. */
    if (dbmap_log_unpublished(&w->log) == 0)
        w->first_unpublished_ns = dbmap_now_ns();
    dbmap_log_push(&w->log, op);
}

void dbmap_insert(struct dbmap_writer *w, uint64_t key, uint64_t value)
{
    dbmap_log_op(w, (struct dbmap_op){.kind = DBMAP_OP_INSERT, .key = key, .value = value});
}

void dbmap_remove(struct dbmap_writer *w, uint64_t key)
{
    dbmap_log_op(w, (struct dbmap_op){.kind = DBMAP_OP_REMOVE, .key = key});
}

void dbmap_retain(struct dbmap_writer *w, dbmap_keep_fn keep, uint64_t arg)
{
    dbmap_log_op(w, (struct dbmap_op){.kind = DBMAP_OP_RETAIN, .value = arg, .keep = keep});
}

uint64_t dbmap_unpublished(struct dbmap_writer *w)
{
    return dbmap_log_unpublished(&w->log);
}

void dbmap_load(struct dbmap_writer *w, uint64_t key, uint64_t value)
{
    dbmap_table_insert(&w->live->table, key, value);
    dbmap_table_insert(&w->stale->table, key, value);
}

static inline void dbmap_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#else
    atomic_signal_fence(memory_order_seq_cst);
#endif
}

/* The writer's wait: spin briefly (a reader's read is short), then yield,
   since a reader we wait for may be preempted on our CPU. */
static void dbmap_backoff(unsigned n)
{
    if (n < 10) {
        for (unsigned i = 0; i < (1u << n); i++)
            dbmap_cpu_relax();
    } else {
        sched_yield();
    }
}

/* Wait until no reader can be inside the stale copy. */
static void dbmap_wait_stale(struct dbmap_writer *w, struct dbmap_reader *self)
{
    struct dbmap *m = w->map;
#ifdef SMR_CHECKED
    if (SMR_UNLIKELY(atomic_load_explicit(&dbmap_test_skip_wait, memory_order_relaxed))) {
        dbmap_grace_forget(&m->grace);
        return;
    }
#endif
    for (unsigned n = 0; !dbmap_grace_over(&m->grace, w->stale); n++) {
        dbmap_grace_help(&m->grace, &self->grace);
        dbmap_backoff(n);
    }
}

void dbmap_publish(struct dbmap_writer *w, struct dbmap_reader *self)
{
    if (dbmap_log_unpublished(&w->log) == 0)
        return;
    struct dbmap *m = w->map;
    uint64_t t0 = dbmap_now_ns();
    dbmap_wait_stale(w, self); /* delayed swap: the grace period of the last swap */
    uint64_t t1 = dbmap_now_ns();

    struct dbmap_copy *next = w->stale;
    dbmap_set_guard(next, DBMAP_GUARD_REWRITING);
    dbmap_log_apply(&w->log, &next->table);
    dbmap_set_guard(next, DBMAP_GUARD_READABLE);
    dbmap_grace_swap(&m->grace, next, w->live, &self->grace);
    self->has_published = true;
    w->stale = w->live;
    w->live = next;
    uint64_t t2 = dbmap_now_ns(), t3 = t2;
    if (w->immediate_wait) {
        dbmap_wait_stale(w, self);
        t3 = dbmap_now_ns();
    }

    struct dbmap_metrics_hists *h = m->metrics;
    latency_shared_record(&h->publish, t3 - t0);
    latency_shared_record(&h->wait, (t1 - t0) + (t3 - t2));
    latency_shared_record(&h->apply, t2 - t1);
    latency_shared_record(&h->staleness, t2 - w->first_unpublished_ns);
    smr_counter_add(&h->publishes, 1);
}

/* ---- readers ---- */

struct dbmap_reader *dbmap_reader_open(struct dbmap *m)
{
    struct dbmap_reader *r = smr_record_alloc(sizeof(*r));
    r->map = m;
    dbmap_grace_reader_init(&m->grace, &r->grace);
    return r;
}

void dbmap_reader_close(struct dbmap_reader *r)
{
    dbmap_grace_reader_fini(&r->grace);
    free(r);
}

const struct dbmap_table *dbmap_read_begin(struct dbmap_reader *r)
{
    struct dbmap_copy *c = dbmap_grace_read_begin(&r->map->grace, &r->grace);
    smr_test_window(); /* found the copy, not read it yet: swaps may go on meanwhile */
    dbmap_check_readable(c, "dbmap: a reader entered a copy the writer is rewriting");
    r->inside = c;
    return &c->table;
}

void dbmap_read_end(struct dbmap_reader *r)
{
    dbmap_check_readable(r->inside, "dbmap: the writer rewrote a copy under a reader");
    dbmap_grace_read_end(&r->grace);
}

bool dbmap_get(struct dbmap_reader *r, uint64_t key, uint64_t *value)
{
    const struct dbmap_table *t = dbmap_read_begin(r);
    bool found = dbmap_table_get(t, key, value);
    dbmap_read_end(r);
    return found;
}

void dbmap_reader_quiescent(struct dbmap_reader *r)
{
    dbmap_grace_reader_quiescent(&r->grace);
}

void dbmap_reader_idle(struct dbmap_reader *r)
{
    if (r->has_published)
        dbmap_grace_help(&r->map->grace, &r->grace);
    else
        dbmap_grace_reader_quiescent(&r->grace);
}

/* ---- statistics ---- */

void dbmap_stats(struct dbmap *m, struct smr_stats *out)
{
    dbmap_grace_stats(&m->grace, out);
}

void dbmap_reader_stats(struct dbmap_reader *r, struct smr_stats *out)
{
    dbmap_grace_reader_stats(&r->grace, out);
}

void dbmap_metrics(struct dbmap *m, struct bench_metrics *out)
{
    struct dbmap_metrics_hists *h = m->metrics;
    out->publishes = smr_counter_get(&h->publishes);
    latency_shared_read(&h->publish, &out->publish_ns);
    latency_shared_read(&h->wait, &out->wait_ns);
    latency_shared_read(&h->apply, &out->apply_ns);
    latency_shared_read(&h->staleness, &out->staleness_ns);
}
