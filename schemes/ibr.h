/*
 * ibr.h - 2GE interval-based reclamation (Wen, Izraelevitz, Cai, Beadle,
 * Scott, PPoPP 2018).
 *
 * Each thread reserves one interval [lower, upper] of eras instead of one
 * era per slot. protect loads the pointer, then the clock: if the clock
 * still reads upper, the pointer is safe; otherwise it extends upper to the
 * clock (StoreLoad) and loads again. Nodes carry birth and retire eras
 * (era_common.h); a scan frees a retired node when its [birth, retire] meets
 * no reserved interval.
 *
 * Two refinements of the paper's enter/protect, neither adding a barrier:
 *  - the reservation starts at the operation's first protect rather than
 *    at enter (nothing shared is read before it; an operation that protects
 *    nothing, such as a push, publishes nothing);
 *  - when protect reuses a slot, the pointer it held is given up (smr.h), so
 *    lower rises to the oldest era among the slots still held. With one
 *    slot the interval is then a single era, and the stall bound is he's
 *    with one era per thread (ibr.c); without this, a retrying operation
 *    (a pop that loses its CAS after a preemption) would stretch its
 *    interval over every era it lived through.
 * Robust: a stalled thread's interval stops growing, so nodes born after it
 * are not pinned.
 */
#ifndef SMR_IBR_H
#define SMR_IBR_H

#include "era_common.h"

typedef struct ibr_thread {
    struct smr_record rec;
    struct era_domain *domain;
    unsigned nslots;
    /* Read by every scanner: the reserved interval, ERA_NONE when none.
       Written lower first, then upper; scanners read upper first. */
    alignas(SMR_PAD_ALIGN) _Atomic uint64_t lower;
    _Atomic uint64_t upper;
    /* Owner-only from here (and counters, read by the sampler). */
    alignas(SMR_PAD_ALIGN) uint64_t held[SMR_MAX_SLOTS]; /* era each slot's pointer was validated in */
    struct era_local local;
    struct ibr_interval *snapshot;  /* scratch for scans */
    uint64_t *snapshot_upper_max;   /* prefix maxima of the sorted snapshot's upper ends */
    size_t snapshot_cap;
    struct smr_counters counters;
} ibr_thread_t;

typedef struct era_domain ibr_domain_t;

extern const struct smr_scheme_info ibr_info;
/* The node header in front of every payload (smr.h's default alloc). */
#define ibr_NODE_HEADER ERA_HEADER

ibr_domain_t *ibr_domain_create(const struct smr_config *cfg);
void ibr_domain_destroy(ibr_domain_t *d, struct smr_stats *final);
ibr_thread_t *ibr_thread_register(ibr_domain_t *d);
void ibr_thread_unregister(ibr_thread_t *t);
#define ibr_HAS_FLUSH 1
void ibr_flush(ibr_thread_t *t);
void ibr_stats(ibr_domain_t *d, struct smr_stats *out);
void ibr_scan(ibr_thread_t *t);

#define ibr_HAS_ALLOC 1
static inline void *ibr_alloc(ibr_thread_t *t, size_t size)
{
    return era_alloc(&t->domain->clock, &t->local, size);
}

#define ibr_HAS_LEAVE 1
static inline void ibr_leave(ibr_thread_t *t)
{
    /* relaxed: our own reservation, only we write it */
    if (atomic_load_explicit(&t->upper, memory_order_relaxed) == ERA_NONE)
        return;
    /* release: our reads of the nodes happen before a scanner that sees the reservation gone */
    atomic_store_explicit(&t->upper, ERA_NONE, memory_order_release);
    atomic_store_explicit(&t->lower, ERA_NONE, memory_order_release);
    for (unsigned i = 0; i < t->nslots; i++)
        t->held[i] = ERA_NONE;
}

/* Reserve [lowest era still held by another slot (or e), e] for `slot`. */
static inline void ibr_reserve(ibr_thread_t *t, unsigned slot, uint64_t e)
{
    t->held[slot] = ERA_NONE; /* the slot's previous pointer is given up */
    uint64_t lo = e;
    for (unsigned i = 0; i < t->nslots; i++)
        if (t->held[i] != ERA_NONE && t->held[i] < lo)
            lo = t->held[i];
    if (lo != atomic_load_explicit(&t->lower, memory_order_relaxed))
        /* release: reads of nodes we no longer hold happen before a scanner
           that sees the raised lower end (it reads upper first, so it sees
           this store whenever it sees the upper published next) */
        atomic_store_explicit(&t->lower, lo, memory_order_release);
    /* The reservation must be visible before the re-validating load: a
       scanner that misses it then unlinked the node before our reload. */
    smr_publish_u64(&t->upper, e);
}

#define ibr_HAS_PROTECT 1
static inline void *ibr_protect(ibr_thread_t *t, unsigned slot, smr_atomic_ptr *src)
{
    smr_check_slot(slot, t->nslots);
    for (;;) {
        /* seq_cst (plain loads on x86): the pointer load and the clock load
           that validates it stay in this order in S, which retire's clock
           read relies on; the pointer load also acquires the node's contents */
        void *p = atomic_load_explicit(src, memory_order_seq_cst);
        smr_test_window(); /* p may be unlinked, retired and scanned here */
        uint64_t e = atomic_load_explicit(&t->domain->clock, memory_order_seq_cst);
        /* relaxed: our own reservation */
        if (SMR_LIKELY(e == atomic_load_explicit(&t->upper, memory_order_relaxed))) {
            t->held[slot] = e; /* reserved before p was loaded: birth <= e <= retire */
            return p;
        }
        smr_test_window();
        ibr_reserve(t, slot, e);
    }
}

static inline void ibr_retire(ibr_thread_t *t, void *p, smr_reclaim_fn fn, void *ctx)
{
    struct era_node *n = era_node_of(p);
    smr_block_note_retire(&n->base, fn, ctx, &t->counters);
    SMR_TEST_UNSAFE_RETIRE(&n->base, ERA_HEADER, &t->counters);
    if (era_retire(&t->domain->clock, &t->local, n))
        ibr_scan(t);
}

#endif /* SMR_IBR_H */
