/* hyaline.c - slow paths of Hyaline-S: era ticks, closing a batch, releasing
   a reservation list, register/unregister, teardown, the garbage bound. */
#include "hyaline.h"

#include <stdio.h>

enum { HYALINE_TUNE_BATCH, HYALINE_TUNE_ERA_FREQ };

#define HYALINE_BATCH_MIN_AUTO 32u
/* base.size of a padding node: not a retired node, neither counted nor finalised. */
#define HYALINE_PAD_SIZE SIZE_MAX

#ifdef SMR_CHECKED
/* Test-only planted bugs (tests/schemes/hyaline_scheme.c proves its checks catch
   them): 1 = push batches to every thread inside an operation, ignoring
   eras (not robust); 2 = push to nobody (free at close, while readers
   hold); 3 = leave keeps its list (released only at unregister);
   4 = padding nodes counted as reclaimed. */
#define HYALINE_BUG(n) (atomic_load_explicit(&hyaline_test_bug, memory_order_relaxed) == (n))
_Atomic int hyaline_test_bug;
#endif

static uint64_t hyaline_garbage_bound(const struct smr_config *cfg, unsigned threads);
static void hyaline_effective(const struct smr_config *cfg, unsigned threads, char *buf,
                              size_t len);

/* The era ticks once per F allocations of each thread. F = max(64, 8T)
   keeps the global tick rate (T x a / F for T threads allocating a nodes a
   second each) at most a / 8, whatever T: as for he and ibr's clock (see
   era_common.h), up to 8 threads F stays 64. */
#define HYALINE_ERA_FREQ_FLOOR 64
#define HYALINE_ERA_FREQ_PER_THREAD 8

const struct smr_scheme_info hyaline_info = {
    .name = "hyaline",
    .summary = "Hyaline-S: per-thread batches, refcounts on retired batches only, the last "
               "reader out frees; eras skip stalled threads",
    .robust = true,
    .reclaims = true,
    .guarantee = "<= T(B - 1) + B(2T(T + L + T x F) + T x T): T threads, B = batch, F = era_freq, "
                 "L the structure's max_live; unbounded when L is unknown",
    .ntunables = 2,
    .tunables = {
        {"batch", 0, 0, 1 << 16, "retired nodes per batch; 0 = max(32, threads + 1)"},
        {"era_freq", 0, 0, 1 << 20,
         "allocations per thread between global era ticks; 0 = max(64, 8 x threads)"},
    },
    .garbage_bound = hyaline_garbage_bound,
    .effective = hyaline_effective,
};

static unsigned hyaline_batch_size(const struct smr_config *cfg)
{
    long b = cfg ? cfg->tune[HYALINE_TUNE_BATCH] : 0;
    if (b > 0)
        return (unsigned)b;
    /* Larger than the thread count, so a close needs no padding; 32 spreads
       a close (one fence, a scan of the records, a push per reader, one
       add) over 32 retires. */
    unsigned t = cfg ? cfg->max_threads : 0;
    return t + 1 > HYALINE_BATCH_MIN_AUTO ? t + 1 : HYALINE_BATCH_MIN_AUTO;
}

static unsigned hyaline_era_freq(long tuned, unsigned long threads)
{
    return (unsigned)smr_scaled(tuned, HYALINE_ERA_FREQ_FLOOR, HYALINE_ERA_FREQ_PER_THREAD,
                                threads);
}

static long hyaline_tuned_era_freq(const struct smr_config *cfg)
{
    return cfg ? cfg->tune[HYALINE_TUNE_ERA_FREQ] : 0;
}

static void hyaline_effective(const struct smr_config *cfg, unsigned threads, char *buf,
                              size_t len)
{
    snprintf(buf, len, "batch=%u era_freq=%u", hyaline_batch_size(cfg),
             hyaline_era_freq(hyaline_tuned_era_freq(cfg), threads));
}

/*
 * The bound. T threads, B = batch size (a closed batch holds at most B
 * retired nodes: padding is not counted; an open batch at most B - 1),
 * F = era frequency with T threads (a thread's own, from a record count
 * <= T, is no more). Unreclaimed nodes are:
 *
 *  (1) open batches: at most T (B - 1).
 *  (2) closed batches not yet freed: each has a slot on the list of some
 *      thread j, pushed because j announced an era E >= the batch's minimum
 *      birth era, i.e. the batch holds a node born at or before E. Call the
 *      time j announces E a window. Batches pushed to j in a window with
 *      era E each contain a distinct node born <= E that was, when the
 *      window began,
 *        (a) in a batch still open then: at most T batches;
 *        (b) live (allocated, not yet retired) and born before E: at
 *            most L = cfg->max_live, the structure's most nodes allocated
 *            and not yet retired at once. It is the structure's term, not
 *            a constant: a structure holding many long-lived nodes that
 *            are retired one per batch (tests/schemes/hyaline_scheme.c) has a
 *            pinned batch per long-lived node;
 *        (c) born exactly in era E: a thread ticks the era every F of its
 *            allocations and reads the birth era after its own tick, so it
 *            allocates at most F nodes in any one era: at most T F.
 *      So a window pins at most T + L + T F batches. An operation announces
 *      an era at its first protect and again only when a later protect (or
 *      the same one's retry) finds that the global era moved; we allow
 *      W = 2 windows per operation (the stalled operation of the benchmark
 *      protects once: a third window needs the era to tick twice between
 *      that protect's loads). Any thread may be descheduled inside an
 *      operation, so all T threads count, not only the stalled one; each
 *      also keeps, until its next leave, at most T batches pushed by
 *      closers that read its state just before it left.
 *
 *  bound = T (B - 1) + B (T W (T + L + T F) + T T),  L = cfg->max_live, W = 2.
 *
 * UINT64_MAX (no bound) when L is unknown (cfg->max_live == 0), as for the
 * era schemes; saturates instead of overflowing. Era-based schemes cannot
 * do better than a term in L: a stalled thread legitimately pins every
 * node born before its era. The bound is loose for the benchmark's stack:
 * with 3 threads (B 32, F 64, L = 1024 + 12) it is 236,733, the peak
 * measured with one thread stalled a few hundred; with 1,300 long-lived
 * nodes retired one per batch the peak is 41,600 (1,300 batches of 32),
 * under a bound of 290,877 (tests/schemes/hyaline_scheme.c checks both).
 */
static uint64_t hyaline_garbage_bound(const struct smr_config *cfg, unsigned threads)
{
    uint64_t l = cfg ? cfg->max_live : 0;
    if (l == 0)
        return UINT64_MAX;
    uint64_t t = threads ? threads : 1;
    uint64_t b = hyaline_batch_size(cfg), w = 2;
    uint64_t f = hyaline_era_freq(hyaline_tuned_era_freq(cfg), threads);
    uint64_t per_window = smr_sat_add(smr_sat_add(t, l), smr_sat_mul(t, f));
    uint64_t closed = smr_sat_add(smr_sat_mul(smr_sat_mul(t, w), per_window), t * t);
    return smr_sat_add(t * (b - 1), smr_sat_mul(b, closed));
}

hyaline_domain_t *hyaline_domain_create(const struct smr_config *cfg)
{
    (void)smr_config_slots(cfg, 1, hyaline_info.name); /* checked; protect ignores slots */
    hyaline_domain_t *d = smr_record_alloc(sizeof(*d));
    atomic_store_explicit(&d->era, 1, memory_order_relaxed);
    d->batch_size = hyaline_batch_size(cfg);
    d->tuned_era_freq = hyaline_tuned_era_freq(cfg);
    smr_domain_base_init(&d->base, hyaline_info.name, HYALINE_HEADER, sizeof(hyaline_thread_t),
                         offsetof(hyaline_thread_t, counters));
    return d;
}

static void hyaline_thread_init(struct smr_record *r, void *domain)
{
    hyaline_thread_t *t = (hyaline_thread_t *)r; /* zeroed: state 0, head NULL */
    t->domain = domain;
    t->global_era = &t->domain->era;
}

hyaline_thread_t *hyaline_thread_register(hyaline_domain_t *d)
{
    hyaline_thread_t *t =
        (hyaline_thread_t *)smr_domain_base_register(&d->base, hyaline_thread_init, d);
    /* relaxed: on a reused record, only closers that read a stale state
       from the previous owner can push now, and the new owner releases
       what they push; a new record's head is NULL already */
    atomic_store_explicit(&t->head, NULL, memory_order_relaxed);
    t->era_freq = hyaline_era_freq(d->tuned_era_freq, smr_records_count(&d->base.threads));
    t->alloc_countdown = t->era_freq;
    t->batch = NULL;
    t->batch_count = 0;
    t->batch_size = d->batch_size;
    t->batch_min_era = UINT64_MAX;
    return t;
}

void hyaline_tick(hyaline_thread_t *t)
{
    /* Threads may have registered since: F follows their count. */
    t->era_freq = hyaline_era_freq(t->domain->tuned_era_freq,
                                   smr_records_count(&t->domain->base.threads));
    t->alloc_countdown = t->era_freq;
    /* relaxed: eras order nothing by themselves; readers only need a value
       at least the birth era of what they loaded (coherence) */
    atomic_fetch_add_explicit(t->global_era, 1, memory_order_relaxed);
}

/* Finalise, poison (checked builds), count (on `c`, the freeing thread's) and free a batch. */
static void hyaline_free_batch(struct hyaline_node *ref, struct smr_counters *c)
{
    struct smr_node_base *n = &ref->base;
    while (n) {
        struct smr_node_base *next = n->next;
        if (n->size == HYALINE_PAD_SIZE) {
#ifdef SMR_CHECKED
            if (HYALINE_BUG(4))
                smr_counter_add(&c->reclaimed, 1);
#endif
            free(n);
        }
        else
            smr_block_reclaim(n, HYALINE_HEADER, c);
        n = next;
    }
}

/* Drop one reference per slot of a taken reservation list. */
static void hyaline_release_chain(struct hyaline_node *s, struct smr_counters *c)
{
    while (s) {
        /* Read the slot before the decrement: after it, another holder may free its batch. */
        struct hyaline_node *next = s->slot_next, *ref = s->u.batch;
        /* acq_rel: release orders our reads of the batch's nodes before its
           free; acquire lets the last holder see every other holder's */
        if (atomic_fetch_sub_explicit(&ref->u.refs, 1, memory_order_acq_rel) == 1)
            hyaline_free_batch(ref, c);
        s = next;
    }
}

void hyaline_release_list(hyaline_thread_t *t)
{
#ifdef SMR_CHECKED
    if (HYALINE_BUG(3))
        return;
#endif
    /* acquire: pairs with the closers' release CAS, so slot_next and the
       batch pointer of every slot are visible */
    struct hyaline_node *s = atomic_exchange_explicit(&t->head, NULL, memory_order_acquire);
    hyaline_release_chain(s, &t->counters);
}

static bool hyaline_is_target(uint64_t state, uint64_t min_era)
{
#ifdef SMR_CHECKED
    if (SMR_UNLIKELY(HYALINE_BUG(1)))
        return state != 0;
    if (SMR_UNLIKELY(HYALINE_BUG(2)))
        return false;
#endif
    return state != 0 && state >= min_era;
}

/* Threads that may hold a node of the batch: announced an era >= min_era. */
static size_t hyaline_collect_targets(hyaline_thread_t *t, uint64_t min_era)
{
    size_t n = 0;
    for (struct smr_record *r = smr_records_first(&t->domain->base.threads); r; r = smr_records_next(r)) {
        hyaline_thread_t *h = (hyaline_thread_t *)r;
        /* acquire: a thread seen at 0 finished its reads before its leave,
           and so before we free; a thread whose announcement we miss
           reloads after our unlinks (pairs with protect's StoreLoad) */
        uint64_t s = atomic_load_explicit(&h->state, memory_order_acquire);
        if (!hyaline_is_target(s, min_era))
            continue;
        if (n == t->targets_cap) {
            t->targets_cap = t->targets_cap ? t->targets_cap * 2 : 16;
            t->targets = realloc(t->targets, t->targets_cap * sizeof(*t->targets));
            if (!t->targets)
                abort();
        }
        t->targets[n++] = h;
    }
    return n;
}

/* Push `slot` onto h's reservation list; false if h unregistered meanwhile. */
static bool hyaline_push_slot(hyaline_thread_t *h, struct hyaline_node *slot)
{
    /* acquire (here and on CAS failure): a head found INACTIVE was set by
       unregister after its owner's last reads, which then happen before
       our free */
    struct hyaline_node *head = atomic_load_explicit(&h->head, memory_order_acquire);
    for (;;) {
        if (head == HYALINE_INACTIVE)
            return false; /* its operations are over: it holds nothing of ours */
        slot->slot_next = head;
        smr_test_window(); /* the head may change or turn INACTIVE before the CAS */
        /* release: the owner that takes the list sees slot_next and the batch pointer */
        if (atomic_compare_exchange_weak_explicit(&h->head, &head, slot, memory_order_acq_rel,
                                                  memory_order_acquire))
            return true;
    }
}

void hyaline_close_batch(hyaline_thread_t *t)
{
    struct hyaline_node *ref = t->batch;
    uint64_t min_era = t->batch_min_era;
    unsigned nodes = t->batch_count;
    t->batch = NULL;
    t->batch_count = 0;
    t->batch_min_era = UINT64_MAX;
    smr_counter_add(&t->counters.scans, 1);

    /* Every node of the batch was unlinked before its retire: order those
       unlinks before reading the announcements (pairs with protect's
       StoreLoad barrier). */
    smr_fence_seq_cst();
    size_t ntargets = hyaline_collect_targets(t, min_era);

    /* The first node holds the count; each target needs one other node as
       its slot. Too few (a flush, or more threads than the batch size):
       pad with empty nodes. */
    for (size_t slots = nodes - 1; slots < ntargets; slots++) {
        struct hyaline_node *pad = smr_block_alloc(HYALINE_HEADER, 0);
        pad->base.size = HYALINE_PAD_SIZE;
        pad->base.next = ref->base.next;
        ref->base.next = &pad->base;
    }
    /* relaxed: published to the holders by the release CAS of each push */
    atomic_store_explicit(&ref->u.refs, 0, memory_order_relaxed);
    for (struct smr_node_base *s = ref->base.next; s; s = s->next)
        ((struct hyaline_node *)s)->u.batch = ref;

    /*
     * Push, then add the number of successful pushes. Until that add the
     * count is 0 minus the holders that already released (they decrement
     * from 0 and free only on seeing 1), so it cannot reach zero while we
     * still push or walk the slots: the missing +pushed is the retirer's
     * own reference, dropped by the add.
     */
    struct hyaline_node *slot = (struct hyaline_node *)ref->base.next;
    int64_t pushed = 0;
    for (size_t i = 0; i < ntargets; i++) {
        if (hyaline_push_slot(t->targets[i], slot)) {
            pushed++;
            slot = (struct hyaline_node *)slot->base.next;
        }
    }
    /* acq_rel: acquire the releases of holders that already dropped theirs
       (if we free); release our initialisation to the one that frees */
    if (pushed == 0 ||
        atomic_fetch_add_explicit(&ref->u.refs, pushed, memory_order_acq_rel) + pushed == 0)
        hyaline_free_batch(ref, &t->counters);
}

void hyaline_flush(hyaline_thread_t *t)
{
    if (t->batch)
        hyaline_close_batch(t);
    hyaline_quiescent(t); /* outside an operation: take back our list */
}

void hyaline_thread_unregister(hyaline_thread_t *t)
{
    atomic_store_explicit(&t->state, 0, memory_order_release);
    /* Hand over the partial batch: closed (padded if need be), it goes to
       the threads that may hold it, or is freed now. */
    if (t->batch)
        hyaline_close_batch(t);
    /* acq_rel: take what was pushed (acquire), and let a closer that finds
       INACTIVE see our reads as done (release); later pushes fail */
    struct hyaline_node *s = atomic_exchange_explicit(&t->head, HYALINE_INACTIVE,
                                                      memory_order_acq_rel);
    hyaline_release_chain(s, &t->counters);
    smr_records_release(&t->rec);
}

void hyaline_stats(hyaline_domain_t *d, struct smr_stats *out)
{
    smr_domain_base_stats(&d->base, out);
    out->epoch = atomic_load_explicit(&d->era, memory_order_relaxed);
}

static void hyaline_free_scratch(struct smr_record *r)
{
    free(((hyaline_thread_t *)r)->targets);
}

void hyaline_domain_destroy(hyaline_domain_t *d, struct smr_stats *final)
{
    /* A registered reader may hold nodes of batches on its list: releasing
       them here would free under it. */
    smr_domain_base_teardown(&d->base);
    /* Every thread unregistered: its batch was closed and its list
       released, and pushes onto an INACTIVE head fail, so the lists are
       empty. Release anything left all the same. */
    for (struct smr_record *r = smr_records_first(&d->base.threads); r; r = smr_records_next(r)) {
        hyaline_thread_t *t = (hyaline_thread_t *)r;
        struct hyaline_node *s = atomic_exchange_explicit(&t->head, HYALINE_INACTIVE,
                                                          memory_order_acquire);
        if (s != HYALINE_INACTIVE)
            hyaline_release_chain(s, &d->base.counters);
    }
    if (final)
        hyaline_stats(d, final);
    smr_domain_base_free(&d->base, hyaline_free_scratch);
    free(d);
}
