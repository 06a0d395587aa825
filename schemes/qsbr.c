/*
 * qsbr.c - slow paths of quiescent-state-based reclamation: going online
 * and offline, closing batches, grace-period checks, orphans, teardown.
 *
 * Idle threads. A registered thread is online whether or not it is inside
 * an operation: QSBR cannot tell "between operations" from "inside one"
 * without the StoreLoad barrier in enter that it exists to avoid. So a
 * thread blocked between operations (at the harness's start barrier after
 * prefill, in a sleep, waiting for a lock) holds back every batch closed
 * after its last announcement until it completes its next K operations,
 * calls smr_quiescent, smr_flush or unregisters. Nothing is freed early;
 * memory just waits. In the harness this costs little: prefill only
 * pushes (nothing is retired), every thread waits at the same barrier, and
 * each announces within its first K operations after it. A thread that
 * will block for long should unregister (go offline) first, or call
 * smr_quiescent at the points where it blocks.
 */
#include "qsbr.h"

#include <stdio.h>

enum { QSBR_TUNE_K, QSBR_TUNE_THRESHOLD };

/* Closing a batch checks every thread's slot: once per max(64, T) retires
   it costs O(1) per retire at any thread count. */
#define QSBR_THRESHOLD_FLOOR 64

static void qsbr_effective(const struct smr_config *cfg, unsigned threads, char *buf, size_t len);

const struct smr_scheme_info qsbr_info = {
    .name = "qsbr",
    .summary = "quiescent-state-based reclamation: a quiescent state announced between operations "
               "every K operations; batches freed after a grace period",
    .robust = false,
    .reclaims = true,
    .guarantee = "unbounded: a thread stalled inside an operation, or blocked between operations "
                 "before its next quiescent state, holds back every batch closed after its last "
                 "announcement",
    .ntunables = 2,
    .tunables = {
        {"K", 64, 1, 1 << 20,
         "operations (leaves) between announcements of a quiescent state"},
        {"threshold", 0, 0, 1 << 20,
         "retires per batch; closing one bumps the grace-period counter and frees older "
         "batches; 0 = max(64, threads)"},
    },
    .garbage_bound = NULL,
    .effective = qsbr_effective,
};

static unsigned qsbr_threshold(long tuned, unsigned threads)
{
    return (unsigned)smr_scaled(tuned, QSBR_THRESHOLD_FLOOR, 1, threads);
}

static void qsbr_effective(const struct smr_config *cfg, unsigned threads, char *buf, size_t len)
{
    snprintf(buf, len, "K=%ld threshold=%u", smr_config_tunable(cfg, &qsbr_info, QSBR_TUNE_K),
             qsbr_threshold(cfg ? cfg->tune[QSBR_TUNE_THRESHOLD] : 0, threads));
}

qsbr_domain_t *qsbr_domain_create(const struct smr_config *cfg)
{
    (void)smr_config_slots(cfg, 1, qsbr_info.name); /* checked; protect ignores slots */
    qsbr_domain_t *d = smr_record_alloc(sizeof(*d));
    atomic_store_explicit(&d->gp, 1, memory_order_relaxed);
    d->k = (unsigned)smr_config_tunable(cfg, &qsbr_info, QSBR_TUNE_K);
    d->tuned_threshold = cfg ? cfg->tune[QSBR_TUNE_THRESHOLD] : 0;
    smr_domain_base_init(&d->base, qsbr_info.name, QSBR_HEADER, sizeof(qsbr_thread_t),
                         offsetof(qsbr_thread_t, counters));
    return d;
}

static void qsbr_thread_init(struct smr_record *r, void *domain)
{
    ((qsbr_thread_t *)r)->domain = domain;
}

qsbr_thread_t *qsbr_thread_register(qsbr_domain_t *d)
{
    qsbr_thread_t *t = (qsbr_thread_t *)smr_domain_base_register(&d->base, qsbr_thread_init, d);
    t->k = d->k;
    t->threshold = qsbr_threshold(d->tuned_threshold, smr_records_count(&d->base.threads));
    t->countdown = d->k;
    t->open_count = 0;
    t->open_head = t->open_tail = NULL;
    t->nbatches = 0;
    /*
     * Going online. Unlike a quiescent state this needs StoreLoad: a
     * reclaimer may have read our slot as 0 (offline) and be about to free
     * nodes we have not yet read past. With our publish ordered before our
     * later loads, and the reclaimer's fence before its read of the slots,
     * either it sees us online (and waits for our next quiescent state) or
     * our later loads see its unlinks (we cannot reach those nodes).
     * acquire on gp: see qsbr_announce.
     */
    uint64_t g = atomic_load_explicit(&d->gp, memory_order_acquire);
    smr_publish_u64(&t->seen, g);
    return t;
}

/* The oldest gp value an online thread has announced; UINT64_MAX if none is online. */
static uint64_t qsbr_min_seen(qsbr_domain_t *d)
{
    /* Pairs with the StoreLoad barrier of register: a thread we see
       offline cannot reach what was unlinked before this point. */
    smr_fence_seq_cst();
    uint64_t min = UINT64_MAX;
    for (struct smr_record *r = smr_records_first(&d->base.threads); r; r = smr_records_next(r)) {
        /* acquire: pairs with the release store of the announcement (or of
           going offline): that thread's reads before it happen before our frees */
        uint64_t s = atomic_load_explicit(&((qsbr_thread_t *)r)->seen, memory_order_acquire);
        if (s && s < min)
            min = s;
    }
    return min;
}

static void qsbr_free_chain(struct smr_node_base *n, struct smr_counters *c)
{
    smr_reclaim_chain(n, QSBR_HEADER, c);
}

/* Free every closed batch whose tag every online thread has reached. */
static void qsbr_free_ready(qsbr_thread_t *t)
{
    if (!t->nbatches)
        return;
    smr_counter_add(&t->counters.scans, 1);
    uint64_t min = qsbr_min_seen(t->domain);
    size_t i = 0;
    /* Tags grow along the array (fetch_add results, in our program order). */
    while (i < t->nbatches && t->batches[i].tag <= min)
        qsbr_free_chain(t->batches[i++].head, &t->counters);
    t->nbatches -= i;
    memmove(t->batches, t->batches + i, t->nbatches * sizeof(*t->batches));
}

/* Nodes of unregistered threads join our open batch: its tag, taken
   later, is newer than theirs, so freeing them with it is conservative. */
static void qsbr_adopt_orphans(qsbr_thread_t *t)
{
    struct smr_node_base *n = smr_orphans_take(&t->domain->base.orphans);
    while (n) {
        struct smr_node_base *next = n->next;
        n->next = t->open_head;
        if (!t->open_head)
            t->open_tail = n;
        t->open_head = n;
        t->open_count++;
        n = next;
    }
}

/* Tag the open batch with a fresh gp value and queue it. */
static void qsbr_seal_open(qsbr_thread_t *t)
{
    if (!t->open_head)
        return;
    if (t->nbatches == t->batches_cap) {
        t->batches_cap = t->batches_cap ? t->batches_cap * 2 : 8;
        t->batches = realloc(t->batches, t->batches_cap * sizeof(*t->batches));
        if (!t->batches)
            abort();
    }
    /* release: the unlinks of this batch's nodes (before their retire)
       happen before any acquire load of gp that reads the new value or a
       later one (later bumps continue the release sequence). acquire:
       later bumps are ordered, keeping our tags increasing. */
    uint64_t tag = atomic_fetch_add_explicit(&t->domain->gp, 1, memory_order_acq_rel) + 1;
    t->batches[t->nbatches++] = (struct qsbr_batch){t->open_head, t->open_tail, tag};
    t->open_head = t->open_tail = NULL;
    t->open_count = 0;
}

void qsbr_close_batch(qsbr_thread_t *t)
{
    /* Threads may have registered since: keep the checks O(1) per retire. */
    t->threshold = qsbr_threshold(t->domain->tuned_threshold,
                                  smr_records_count(&t->domain->base.threads));
    /* Possibly inside an operation: our own slot keeps its last
       announcement, so this never frees what we may still hold. */
    qsbr_adopt_orphans(t);
    qsbr_seal_open(t);
    qsbr_free_ready(t);
}

void qsbr_flush(qsbr_thread_t *t)
{
    qsbr_adopt_orphans(t);
    qsbr_seal_open(t);
    /* Outside an operation (the contract): announce after sealing, so our
       own slot does not hold back what we just tagged. */
    qsbr_announce(t);
    qsbr_free_ready(t);
}

void qsbr_thread_unregister(qsbr_thread_t *t)
{
    qsbr_seal_open(t);
    /* Going offline. release: our reads happen before a reclaimer that
       reads the 0 and frees; from now on no grace period waits for us. */
    atomic_store_explicit(&t->seen, 0, memory_order_release);
    qsbr_free_ready(t);
    /* Hand what others still block to the domain, oldest batch first. */
    for (size_t i = 0; i < t->nbatches; i++)
        smr_orphans_give(&t->domain->base.orphans, t->batches[i].head, t->batches[i].tail);
    t->nbatches = 0;
    smr_records_release(&t->rec);
}

void qsbr_stats(qsbr_domain_t *d, struct smr_stats *out)
{
    smr_domain_base_stats(&d->base, out);
    out->epoch = atomic_load_explicit(&d->gp, memory_order_relaxed);
}

static void qsbr_free_scratch(struct smr_record *r)
{
    free(((qsbr_thread_t *)r)->batches);
}

void qsbr_domain_destroy(qsbr_domain_t *d, struct smr_stats *final)
{
    smr_domain_base_teardown(&d->base);
    if (final)
        qsbr_stats(d, final);
    smr_domain_base_free(&d->base, qsbr_free_scratch);
    free(d);
}
