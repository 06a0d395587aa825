/*
 * hp.h - Michael's hazard pointers (IEEE TPDS 2004).
 *
 * protect publishes the pointer in one of the thread's hazard slots, makes
 * the store visible before reloading (StoreLoad), and re-validates. Retired
 * nodes wait on a per-thread list; past R of them, the thread snapshots every
 * published hazard (sorted) and frees the nodes not in it. R defaults to
 * 2 x (hazard slots x threads), at least 64, so each scan frees at least
 * half of what it looks at. Robust: a stalled thread pins at most its slots.
 */
#ifndef SMR_HP_H
#define SMR_HP_H

#include "smr_common.h"

struct hp_node {
    struct smr_node_base base;
};
#define HP_HEADER SMR_HEADER_SIZE(struct hp_node)

typedef struct hp_thread {
    struct smr_record rec;
    struct hp_domain *domain;
    unsigned nslots;
    /* hp-asym only (hp leaves it false), copied from the domain at register:
       protect publishes with a compiler barrier only, scans use membarrier.
       Read-only after register, on the line protect and leave already read. */
    bool asym;
    /* Read by every scanner. */
    alignas(SMR_PAD_ALIGN) smr_atomic_ptr hazard[SMR_MAX_SLOTS];
    /* Owner-only from here (and counters, read by the sampler). */
    alignas(SMR_PAD_ALIGN) struct smr_node_base *retired;
    size_t nretired;
    size_t threshold;       /* scan when nretired reaches it; recomputed at each scan */
    void **snapshot;        /* scratch for scans */
    size_t snapshot_cap;
    struct smr_counters counters;
} hp_thread_t;

typedef struct hp_domain {
    struct smr_domain_base base;
    unsigned nslots;
    long fixed_threshold;   /* tunable R; 0 = automatic */
    size_t auto_r_floor;    /* automatic R is max(this, 2 x slots x threads) */
    bool asym;              /* hp-asym with membarrier available (see hp_asym.h) */
    const struct smr_scheme_info *info; /* hp's or hp-asym's: names it in messages */
} hp_domain_t;

extern const struct smr_scheme_info hp_info;
/* The node header in front of every payload (smr.h's default alloc). */
#define hp_NODE_HEADER HP_HEADER

hp_domain_t *hp_domain_create(const struct smr_config *cfg);
/* What hp and hp-asym create: checks cfg (refusals name `info`'s scheme). */
hp_domain_t *hp_domain_new(const struct smr_config *cfg, const struct smr_scheme_info *info);
void hp_domain_destroy(hp_domain_t *d, struct smr_stats *final);
hp_thread_t *hp_thread_register(hp_domain_t *d);
void hp_thread_unregister(hp_thread_t *t);
#define hp_HAS_FLUSH 1
void hp_flush(hp_thread_t *t);
void hp_stats(hp_domain_t *d, struct smr_stats *out);
void hp_scan(hp_thread_t *t);
/* hp's floor for the automatic R. */
#define HP_AUTO_R_FLOOR 64
/* Hazard slots per thread when the structure does not say. */
#define HP_DEFAULT_SLOTS 2
/* Most retired-but-unreclaimed nodes with one thread stalled, for an
   automatic R with the given floor (hp_info.garbage_bound uses hp's). */
uint64_t hp_garbage_bound_floor(const struct smr_config *cfg, unsigned threads, uint64_t floor);
/* smr_scheme_info.effective for an automatic R with the given floor. */
void hp_effective_floor(const struct smr_config *cfg, unsigned threads, uint64_t floor, char *buf,
                        size_t len);

#define hp_HAS_LEAVE 1
static inline void hp_leave(hp_thread_t *t)
{
    /* release: our reads of the nodes happen before a scanner that sees the slot cleared */
    for (unsigned i = 0; i < t->nslots; i++)
        atomic_store_explicit(&t->hazard[i], NULL, memory_order_release);
}

#define hp_HAS_PROTECT 1
static inline void *hp_protect(hp_thread_t *t, unsigned slot, smr_atomic_ptr *src)
{
    smr_check_slot(slot, t->nslots);
    void *p = atomic_load_explicit(src, memory_order_relaxed);
    for (;;) {
        smr_test_window();
        /* The hazard must be visible before the re-validating load: a
           scanner that misses it then unlinked p before our reload. */
        smr_publish_ptr(&t->hazard[slot], p);
        /* seq_cst (a plain load on x86): orders the reload after the publish
           in the C11 model too; it also acquires the node's contents. */
        void *q = atomic_load_explicit(src, memory_order_seq_cst);
        if (SMR_LIKELY(q == p))
            return p;
        p = q;
    }
}

/*
 * hp's and hp-asym's retire: queue p on the thread's list and, once the
 * list reaches the threshold, run `scan` (each scheme's own). Always
 * inlined, so `scan`, a constant at each call, is a direct call.
 */
static inline __attribute__((always_inline)) void
hp_retire_then(hp_thread_t *t, void *p, smr_reclaim_fn fn, void *ctx, void (*scan)(hp_thread_t *t))
{
    struct smr_node_base *n = (struct smr_node_base *)((char *)p - HP_HEADER);
    smr_block_note_retire(n, fn, ctx, &t->counters);
    SMR_TEST_UNSAFE_RETIRE(n, HP_HEADER, &t->counters);
    n->next = t->retired;
    t->retired = n;
    if (SMR_UNLIKELY(++t->nretired >= t->threshold))
        scan(t);
}

static inline void hp_retire(hp_thread_t *t, void *p, smr_reclaim_fn fn, void *ctx)
{
    hp_retire_then(t, p, fn, ctx, hp_scan);
}

#endif /* SMR_HP_H */
