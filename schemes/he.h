/*
 * he.h - hazard eras (Ramalhete and Correia, SPAA 2017).
 *
 * Like hazard pointers, but a slot holds an era of the global clock instead
 * of a pointer. protect loads the pointer, then the clock: if the clock
 * still reads the era the slot already holds, the pointer is safe (it was
 * reachable while that era was published); otherwise it publishes the new
 * era (StoreLoad) and loads again. While the clock stands still, protect
 * costs two loads and no barrier. Nodes carry birth and retire eras
 * (era_common.h); a scan frees a retired node when no published era lies in
 * [birth, retire]. Robust: a stalled thread pins only nodes alive at the
 * eras it holds (see era_stall_bound).
 */
#ifndef SMR_HE_H
#define SMR_HE_H

#include "era_common.h"

typedef struct he_thread {
    struct smr_record rec;
    struct era_domain *domain;
    unsigned nslots;
    /* Read by every scanner: the era each slot protects, ERA_NONE if none. */
    alignas(SMR_PAD_ALIGN) _Atomic uint64_t era[SMR_MAX_SLOTS];
    /* Owner-only from here (and counters, read by the sampler). */
    alignas(SMR_PAD_ALIGN) struct era_local local;
    uint64_t *snapshot;     /* scratch for scans */
    size_t snapshot_cap;
    struct smr_counters counters;
} he_thread_t;

typedef struct era_domain he_domain_t;

extern const struct smr_scheme_info he_info;
/* The node header in front of every payload (smr.h's default alloc). */
#define he_NODE_HEADER ERA_HEADER

he_domain_t *he_domain_create(const struct smr_config *cfg);
void he_domain_destroy(he_domain_t *d, struct smr_stats *final);
he_thread_t *he_thread_register(he_domain_t *d);
void he_thread_unregister(he_thread_t *t);
#define he_HAS_FLUSH 1
void he_flush(he_thread_t *t);
void he_stats(he_domain_t *d, struct smr_stats *out);
void he_scan(he_thread_t *t);

#define he_HAS_ALLOC 1
static inline void *he_alloc(he_thread_t *t, size_t size)
{
    return era_alloc(&t->domain->clock, &t->local, size);
}

#define he_HAS_LEAVE 1
static inline void he_leave(he_thread_t *t)
{
    for (unsigned i = 0; i < t->nslots; i++)
        if (atomic_load_explicit(&t->era[i], memory_order_relaxed) != ERA_NONE)
            /* release: our reads of the nodes happen before a scanner that sees the slot cleared */
            atomic_store_explicit(&t->era[i], ERA_NONE, memory_order_release);
}

#define he_HAS_PROTECT 1
static inline void *he_protect(he_thread_t *t, unsigned slot, smr_atomic_ptr *src)
{
    smr_check_slot(slot, t->nslots);
    /* relaxed: our own slot, only we write it */
    uint64_t held = atomic_load_explicit(&t->era[slot], memory_order_relaxed);
    for (;;) {
        /* seq_cst (plain loads on x86): the pointer load and the clock load
           that validates it stay in this order in S, which retire's clock
           read relies on; the pointer load also acquires the node's contents */
        void *p = atomic_load_explicit(src, memory_order_seq_cst);
        smr_test_window(); /* p may be unlinked, retired and scanned here */
        uint64_t e = atomic_load_explicit(&t->domain->clock, memory_order_seq_cst);
        if (SMR_LIKELY(e == held))
            return p; /* the slot held e before p was loaded: birth <= e <= retire */
        smr_test_window();
        /* The era must be visible before the re-validating load: a scanner
           that misses it then unlinked p before our reload. Replacing the
           slot's era (release) also gives up its previous pointer. */
        smr_publish_u64(&t->era[slot], e);
        held = e;
    }
}

static inline void he_retire(he_thread_t *t, void *p, smr_reclaim_fn fn, void *ctx)
{
    struct era_node *n = era_node_of(p);
    smr_block_note_retire(&n->base, fn, ctx, &t->counters);
    SMR_TEST_UNSAFE_RETIRE(&n->base, ERA_HEADER, &t->counters);
    if (era_retire(&t->domain->clock, &t->local, n))
        he_scan(t);
}

#endif /* SMR_HE_H */
