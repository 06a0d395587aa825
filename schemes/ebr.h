/*
 * ebr.h - epoch-based reclamation (Fraser; Hart et al.).
 *
 * A global epoch; each thread announces the epoch it saw when it entered an
 * operation. The epoch advances from g to g+1 only when every thread inside
 * an operation has announced g. A node retired by a thread that announced
 * e can only be held by threads that announced e or e+1 (enter re-checks
 * that its announcement is current, so the epoch cannot pass e+1 while the
 * retirer is inside), so it is freed once the global epoch reaches e+3:
 * four limbo bags per thread, indexed by epoch mod 4. A node unlinked by a
 * locked RMW (smr_retire_after_rmw, x86) is tagged from the global epoch
 * instead and freed two epochs after its unlink.
 * Not robust: one thread stalled inside an operation stops every free.
 */
#ifndef SMR_EBR_H
#define SMR_EBR_H

#include "smr_common.h"

#define EBR_BAGS 4
#define EBR_ACTIVE 1u

struct ebr_node {
    struct smr_node_base base;
};
#define EBR_HEADER SMR_HEADER_SIZE(struct ebr_node)

typedef struct ebr_thread {
    struct smr_record rec;
    struct ebr_domain *domain;
    /* (epoch << 1) | EBR_ACTIVE while inside an operation, 0 outside. Read by advancers. */
    alignas(SMR_PAD_ALIGN) _Atomic uint64_t announce;
    /* Owner-only from here (and counters, read by the sampler). */
    alignas(SMR_PAD_ALIGN) uint64_t epoch;          /* epoch announced by the current operation */
    unsigned pending;                               /* retires since the last advance attempt */
    unsigned threshold;                             /* refreshed at each attempt */
    struct smr_node_base *bag[EBR_BAGS];
    struct smr_node_base *bag_tail[EBR_BAGS];
    uint64_t bag_epoch[EBR_BAGS];
    struct smr_counters counters;
} ebr_thread_t;

typedef struct ebr_domain {
    alignas(SMR_PAD_ALIGN) _Atomic uint64_t epoch;
    struct smr_domain_base base;
    long tuned_threshold;                           /* the tunable; 0 = max(64, threads) */
} ebr_domain_t;

extern const struct smr_scheme_info ebr_info;
/* The node header in front of every payload (smr.h's default alloc). */
#define ebr_NODE_HEADER EBR_HEADER

ebr_domain_t *ebr_domain_create(const struct smr_config *cfg);
void ebr_domain_destroy(ebr_domain_t *d, struct smr_stats *final);
ebr_thread_t *ebr_thread_register(ebr_domain_t *d);
void ebr_thread_unregister(ebr_thread_t *t);
#define ebr_HAS_FLUSH 1
void ebr_flush(ebr_thread_t *t);
void ebr_stats(ebr_domain_t *d, struct smr_stats *out);
/* Slow path of retire: try to advance the epoch, free what is old enough. */
void ebr_collect(ebr_thread_t *t);
/* Slow path: free a bag whose slot is needed for a newer epoch. */
void ebr_free_bag(ebr_thread_t *t, unsigned i);
/* Epoch to tag a node retired outside an operation. */
uint64_t ebr_epoch_outside(ebr_thread_t *t);

#define ebr_HAS_ENTER 1
static inline void ebr_enter(ebr_thread_t *t)
{
    /* Guess the epoch of our last operation: usually still current, and our
       own line, where the global epoch's line may have just been written by
       an advancer. A wrong guess costs one more round of the loop. */
    uint64_t e = t->epoch;
    for (;;) {
        smr_test_window();
        /* The announcement must be visible before we read any shared pointer,
           or an advancer could miss us and free what we are about to read. */
        smr_publish_u64(&t->announce, (e << 1) | EBR_ACTIVE);
        /* Between our load and the publish we looked inactive, so the epoch may
           have moved on: announce the current one, or nodes we retire inside
           this operation would carry a stale tag and be freed too early.
           seq_cst: with the StoreLoad barrier above, an advancer that did not
           see our announcement made its CAS before this load, so we see it. */
        uint64_t g = atomic_load_explicit(&t->domain->epoch, memory_order_seq_cst);
        if (SMR_LIKELY(g == e))
            break;
        e = g;
    }
    /* From here the epoch can pass e+1 only after we leave. */
    t->epoch = e;
}

#define ebr_HAS_LEAVE 1
static inline void ebr_leave(ebr_thread_t *t)
{
    /* release: our reads of nodes happen before an advancer that sees us
       outside (and so before the free that follows it) */
    atomic_store_explicit(&t->announce, 0, memory_order_release);
}

/* Queue node n (noted as retired) in the bag of epoch tag e: freed once the
   global epoch reaches e + 3. */
static inline void ebr_bag_node(ebr_thread_t *t, struct smr_node_base *n, uint64_t e)
{
    unsigned i = (unsigned)(e % EBR_BAGS);
    if (SMR_UNLIKELY(t->bag_epoch[i] != e)) {
        if (t->bag[i])
            ebr_free_bag(t, i); /* tagged e-4 or older: already safe */
        t->bag_epoch[i] = e;
    }
    n->next = t->bag[i];
    if (!t->bag[i])
        t->bag_tail[i] = n;
    t->bag[i] = n;
    if (SMR_UNLIKELY(++t->pending >= t->threshold))
        ebr_collect(t);
}

static inline void ebr_retire(ebr_thread_t *t, void *p, smr_reclaim_fn fn, void *ctx)
{
    struct smr_node_base *n = (struct smr_node_base *)((char *)p - EBR_HEADER);
    smr_block_note_retire(n, fn, ctx, &t->counters);
    SMR_TEST_UNSAFE_RETIRE(n, EBR_HEADER, &t->counters);
    ebr_bag_node(t, n,
                 atomic_load_explicit(&t->announce, memory_order_relaxed) ? t->epoch
                                                                          : ebr_epoch_outside(t));
}

/*
 * The caller unlinked p with a locked RMW, on x86 a full barrier: every
 * thread that can still hold p announced, before the unlink, an epoch no
 * later than the global epoch g we read after it. Tagged g - 1 (freed at
 * g + 2, the classic two epochs), p leaves one epoch sooner than with the
 * announced-epoch tag, which needs a third because the epoch may already
 * have passed ours.
 */
#define ebr_HAS_RETIRE_AFTER_RMW 1
static inline void ebr_retire_after_rmw(ebr_thread_t *t, void *p, smr_reclaim_fn fn, void *ctx)
{
#if defined(__x86_64__) || defined(__i386__)
    struct smr_node_base *n = (struct smr_node_base *)((char *)p - EBR_HEADER);
    smr_block_note_retire(n, fn, ctx, &t->counters);
    SMR_TEST_UNSAFE_RETIRE(n, EBR_HEADER, &t->counters);
    atomic_signal_fence(memory_order_seq_cst); /* the load stays after the caller's RMW */
    /* acquire: with the RMW before it, the epoch current after the unlink */
    ebr_bag_node(t, n, atomic_load_explicit(&t->domain->epoch, memory_order_acquire) - 1);
#else
    ebr_retire(t, p, fn, ctx);
#endif
}

#endif /* SMR_EBR_H */
