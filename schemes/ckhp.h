/*
 * ckhp.h - ConcurrencyKit's hazard pointers (ck_hp) through the scheme
 * contract. (Prefix `ckhp`, CLI name `ck-hp`: the library owns the ck_hp_*
 * names, ck_hp_retire among them.)
 *
 * Each handle owns one ck_hp_record whose hazard array is the handle's
 * slots; ck keeps no thread-local state, so several handles in one OS
 * thread are independent. protect = ck_hp_set_fence (store + StoreLoad)
 * and re-validate; leave clears the slots after a release fence (ck_hp_clear
 * has none). retire = ck_hp_retire (the node's ck_hp_hazard_t is in our
 * header); once the record holds `R` pending nodes the handle scans:
 * adopt orphans, full fence, ck_hp_reclaim, whose destructor runs the
 * finaliser, poisons (checked builds), frees and counts on the scanning
 * handle. This is ck_hp_free's policy (reclaim at `threshold` pending) with
 * two additions: the fence (ck_hp_reclaim has none, which is right only
 * after ck's own CAS unlinks) and the orphans. Robust: a stalled thread
 * pins at most its slots.
 *
 * ck_hp_reclaim caches at most CK_HP_CACHE (512) non-NULL hazards and, in
 * 0.7.1, ignores the rest (and writes one past its cache): it frees what a
 * hazard past the 512th protects. So the domain picks, at creation, from
 * cfg->max_threads x slots: up to 512 hazard slots, ck_hp_reclaim, and a
 * thread whose slots would bring the total past 512 is refused (abort);
 * beyond, the adapter's own reclaim (ckhp.c): the same pass over ck's
 * pending list against a sorted snapshot of every record's hazards, with
 * no cap. ck's records, retire list, threshold and destructor serve both.
 */
#ifndef SMR_CKHP_H
#define SMR_CKHP_H

#include "smr_common.h"
#include "smr_tsan.h"

#include <ck_hp.h>

struct ckhp_node {
    struct smr_node_base base;
    ck_hp_hazard_t hazard;      /* ck's retire entry: pointer, data, pending link */
};
#define CKHP_HEADER SMR_HEADER_SIZE(struct ckhp_node)

typedef struct ckhp_thread {
    /* ck's record: state and the hazard array pointer are read by scans;
       the cache and the pending list are owner-only. */
    alignas(SMR_PAD_ALIGN) ck_hp_record_t record;
    /* The hazard slots (record.pointers): read by every scan. */
    alignas(SMR_PAD_ALIGN) void *slots[SMR_MAX_SLOTS];
    /* Owner-only (and counters, read by the sampler). */
    alignas(SMR_PAD_ALIGN) struct smr_record list; /* the domain's handles (stats, destroy) */
    struct ckhp_domain *domain;
    unsigned nslots;
    unsigned threshold;         /* ck's threshold, refreshed at each scan */
    void **snapshot;            /* the uncapped reclaim's scratch */
    size_t snapshot_cap;
    struct smr_counters counters;
} ckhp_thread_t;

typedef struct ckhp_domain {
    alignas(SMR_PAD_ALIGN) ck_hp_t hp;          /* ck's subscribers, degree, threshold */
    alignas(SMR_PAD_ALIGN) struct smr_record_list threads;
    struct smr_orphans orphans;                 /* protected nodes of unregistered handles */
    _Atomic unsigned records;                   /* records created (ck's scan cache limit) */
    unsigned nslots;
    long fixed_threshold;                       /* tunable R; 0 = automatic */
    bool uncapped;                              /* over ck_hp_reclaim's cache: ours */
    struct smr_counters counters;               /* frees done at destroy */
    char tsan_grace; /* TSan build: stands for the hazard protocol (every leave
                        or re-protect happens before a later scan) */
} ckhp_domain_t;

extern const struct smr_scheme_info ckhp_info;
/* The node header in front of every payload (smr.h's default alloc). */
#define ckhp_NODE_HEADER CKHP_HEADER

ckhp_domain_t *ckhp_domain_create(const struct smr_config *cfg);
void ckhp_domain_destroy(ckhp_domain_t *d, struct smr_stats *final);
ckhp_thread_t *ckhp_thread_register(ckhp_domain_t *d);
void ckhp_thread_unregister(ckhp_thread_t *t);
#define ckhp_HAS_FLUSH 1
void ckhp_flush(ckhp_thread_t *t);
void ckhp_stats(ckhp_domain_t *d, struct smr_stats *out);
void ckhp_scan(ckhp_thread_t *t);

#define ckhp_HAS_LEAVE 1
static inline void ckhp_leave(ckhp_thread_t *t)
{
    SMR_TSAN_RELEASE(&t->domain->tsan_grace);
    /* release fence (a compiler barrier on x86): our reads of the nodes
       happen before a scan sees the slots cleared */
    ck_pr_fence_release();
    for (unsigned i = 0; i < t->nslots; i++)
        ck_hp_set(&t->record, i, NULL);
}

#define ckhp_HAS_PROTECT 1
static inline void *ckhp_protect(ckhp_thread_t *t, unsigned slot, smr_atomic_ptr *src)
{
    smr_check_slot(slot, t->nslots);
    void *p = atomic_load_explicit(src, memory_order_relaxed);
    /* The slot's previous protection ends here. */
    SMR_TSAN_RELEASE(&t->domain->tsan_grace);
    for (;;) {
        smr_test_window();
        /* Publish with StoreLoad (xchg on x86, else store + full fence): a
           scan that misses this hazard read the slots before our reload, so
           p was unlinked before it and the reload sees that. */
        ck_hp_set_fence(&t->record, slot, p);
        /* acquire: the node's contents were published with a release store */
        void *q = atomic_load_explicit(src, memory_order_acquire);
        if (SMR_LIKELY(q == p))
            return p;
        p = q;
    }
}

static inline void ckhp_retire(ckhp_thread_t *t, void *p, smr_reclaim_fn fn, void *ctx)
{
    struct ckhp_node *n = (struct ckhp_node *)((char *)p - CKHP_HEADER);
    smr_block_note_retire(&n->base, fn, ctx, &t->counters);
    SMR_TEST_UNSAFE_RETIRE(&n->base, CKHP_HEADER, &t->counters);
    /* Queue only; hazards hold the payload address, which protect publishes. */
    ck_hp_retire(&t->record, &n->hazard, n, p);
    if (SMR_UNLIKELY(t->record.n_pending >= t->threshold))
        ckhp_scan(t);
}

#endif /* SMR_CKHP_H */
