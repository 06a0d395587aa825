/*
 * qsbr.h - quiescent-state-based reclamation (McKenney and Slingwine's
 * RCU with explicit quiescent states, as in liburcu's QSBR flavour).
 *
 * A global grace-period counter `gp`, and per thread a padded slot `seen`:
 * 0 while the thread is offline (unregistered), otherwise the value of gp
 * the thread read at its last quiescent state. A quiescent state is a point
 * where the thread holds no reference to any shared node: between two
 * operations. QSBR takes them from the caller instead of bracketing every
 * operation, so enter and protect cost nothing, and leave only counts:
 *
 *   announced between operations every K operations: every Kth leave, and
 *   at once by smr_quiescent, flush and unregister (all outside an
 *   operation by the contract). Never inside one, so whatever a thread
 *   protected between enter and leave survives until leave.
 *
 * Retired nodes gather in the thread's open batch; after `threshold`
 * retires the batch is closed: one fetch_add on gp gives it the tag
 * T = gp + 1, a value written after every unlink in the batch. A batch
 * tagged T is freed once every online thread has seen >= T: such a thread
 * has passed a quiescent state after the unlinks (its earlier reads are
 * over, and its later reads see the unlinks). Offline threads are skipped.
 *
 * Not robust: a thread that stalls inside an operation, or is blocked
 * between operations before its next Kth leave, holds back every batch
 * closed after its last announcement (see qsbr.c on idle threads).
 */
#ifndef SMR_QSBR_H
#define SMR_QSBR_H

#include "smr_common.h"

struct qsbr_node {
    struct smr_node_base base;
};
#define QSBR_HEADER SMR_HEADER_SIZE(struct qsbr_node)

/* A closed batch: nodes unlinked before gp reached `tag`. */
struct qsbr_batch {
    struct smr_node_base *head, *tail;
    uint64_t tag;
};

typedef struct qsbr_thread {
    struct smr_record rec;
    struct qsbr_domain *domain;
    /* gp at this thread's last quiescent state; 0 = offline. Read by reclaimers. */
    alignas(SMR_PAD_ALIGN) _Atomic uint64_t seen;
    /* Owner-only from here (and counters, read by the sampler). */
    alignas(SMR_PAD_ALIGN) unsigned countdown;      /* leaves until the next announcement */
    unsigned k;
    unsigned threshold;                             /* refreshed at each close */
    unsigned open_count;                            /* retires in the open batch */
    struct smr_node_base *open_head, *open_tail;    /* the open batch (no tag yet) */
    struct qsbr_batch *batches;                     /* closed batches, oldest first */
    size_t nbatches, batches_cap;
    struct smr_counters counters;
} qsbr_thread_t;

typedef struct qsbr_domain {
    /* Starts at 1: 0 in a thread's slot means offline. */
    alignas(SMR_PAD_ALIGN) _Atomic uint64_t gp;
    struct smr_domain_base base;
    unsigned k;
    long tuned_threshold;                           /* the tunable; 0 = max(64, threads) */
} qsbr_domain_t;

extern const struct smr_scheme_info qsbr_info;
/* The node header in front of every payload (smr.h's default alloc). */
#define qsbr_NODE_HEADER QSBR_HEADER

qsbr_domain_t *qsbr_domain_create(const struct smr_config *cfg);
void qsbr_domain_destroy(qsbr_domain_t *d, struct smr_stats *final);
qsbr_thread_t *qsbr_thread_register(qsbr_domain_t *d);
void qsbr_thread_unregister(qsbr_thread_t *t);
#define qsbr_HAS_FLUSH 1
void qsbr_flush(qsbr_thread_t *t);
void qsbr_stats(qsbr_domain_t *d, struct smr_stats *out);
/* Slow path of retire: tag the open batch, free the batches every online thread is past. */
void qsbr_close_batch(qsbr_thread_t *t);

/*
 * Announce a quiescent state: the caller holds no node. No StoreLoad
 * barrier is needed (unlike EBR's enter or going online in register): the
 * thread was online already, so a reclaimer that reads the old value
 * simply waits.
 */
static inline void qsbr_announce(qsbr_thread_t *t)
{
    /* acquire: pairs with the release of the fetch_add that made gp >= T,
       so our reads after this point see every unlink of a batch tagged
       <= the value we read: we cannot reach its nodes any more. */
    uint64_t g = atomic_load_explicit(&t->domain->gp, memory_order_acquire);
    /* release: our reads of nodes before this point happen before a
       reclaimer that reads this value (acquire) and frees. */
    atomic_store_explicit(&t->seen, g, memory_order_release);
    t->countdown = t->k;
}

/* No enter, and protect is smr.h's acquire load: nothing to publish, a
   node stays safe until our next quiescent state, which is after leave. */
#define qsbr_HAS_LEAVE 1
static inline void qsbr_leave(qsbr_thread_t *t)
{
    /* Owner-only count; the announcement is after the operation, outside it. */
    if (SMR_UNLIKELY(--t->countdown == 0))
        qsbr_announce(t);
}

#define qsbr_HAS_QUIESCENT 1
static inline void qsbr_quiescent(qsbr_thread_t *t)
{
    qsbr_announce(t);
}

static inline void qsbr_retire(qsbr_thread_t *t, void *p, smr_reclaim_fn fn, void *ctx)
{
    struct smr_node_base *n = (struct smr_node_base *)((char *)p - QSBR_HEADER);
    smr_block_note_retire(n, fn, ctx, &t->counters);
    SMR_TEST_UNSAFE_RETIRE(n, QSBR_HEADER, &t->counters);
    n->next = t->open_head;
    if (!t->open_head)
        t->open_tail = n;
    t->open_head = n;
    if (SMR_UNLIKELY(++t->open_count >= t->threshold))
        qsbr_close_batch(t);
}

#endif /* SMR_QSBR_H */
