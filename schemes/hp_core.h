/*
 * hp_core.h - the hazard-pointer slow paths hp and hp-asym share: the scan
 * (adopt orphans, barrier, snapshot every hazard, free what none protects)
 * and unregister. Included by hp.c and hp_asym.c only.
 *
 * Each .c instantiates them with a compile-time constant `asym_capable`:
 * hp passes false, so its copy is exactly the fenced scan with no
 * membarrier branch; hp-asym passes true and picks, per scan, the barrier
 * its domain was created with (t->asym).
 */
#ifndef SMR_HP_CORE_H
#define SMR_HP_CORE_H

#include "hp.h"
#include "smr_membarrier.h"

/* Retired nodes before a scan: the tunable R, or max(floor, 2 x slots x threads). */
static inline size_t hp_threshold(hp_domain_t *d)
{
    return smr_scaled(d->fixed_threshold, d->auto_r_floor, 2 * (unsigned long)d->nslots,
                      smr_records_count(&d->base.threads));
}

/*
 * The barrier between our unlinks (everything before this point, the
 * orphans' included) and our reads of the hazard slots. It pairs with
 * the StoreLoad ordering of protect: a protect whose hazard we fail to
 * see re-validates after our unlink and drops the pointer.
 *   hp (and hp-asym's fallback): protect has a full barrier, we issue one.
 *   hp-asym: protect has only a compiler barrier; membarrier makes every
 *   CPU running one of our threads execute the full barrier protect left
 *   out, and acts as one for us (see hp_asym.h for why that suffices).
 */
static inline void hp_scan_barrier(hp_thread_t *t, bool asym_capable)
{
    if (asym_capable && t->asym)
        smr_membarrier();
    else
        smr_fence_seq_cst();
}

static inline void hp_core_scan(hp_thread_t *t, bool asym_capable)
{
    hp_domain_t *d = t->domain;
    smr_counter_add(&t->counters.scans, 1);

    /* Adopt nodes left by unregistered threads. */
    struct smr_node_base *o = smr_orphans_take(&d->base.orphans);
    while (o) {
        struct smr_node_base *next = o->next;
        o->next = t->retired;
        t->retired = o;
        t->nretired++;
        o = next;
    }

    hp_scan_barrier(t, asym_capable);
    size_t n = 0;
    for (struct smr_record *r = smr_records_first(&d->base.threads); r; r = smr_records_next(r)) {
        hp_thread_t *h = (hp_thread_t *)r;
        t->snapshot = smr_snapshot_reserve(t->snapshot, &t->snapshot_cap, n + h->nslots);
        for (unsigned i = 0; i < h->nslots; i++) {
            /* acquire: pairs with protect's release store (and leave's): a
               slot that no longer holds p means its owner's reads of p are
               done. This edge is also all TSan sees: it cannot see fences
               or membarrier. */
            void *p = atomic_load_explicit(&h->hazard[i], memory_order_acquire);
            if (p)
                t->snapshot[n++] = p;
        }
    }
    qsort(t->snapshot, n, sizeof(void *), smr_ptr_cmp);

    struct smr_node_base *keep = NULL, *cur = t->retired;
    size_t kept = 0;
    while (cur) {
        struct smr_node_base *next = cur->next;
        if (smr_sorted_has(t->snapshot, n, (char *)cur + HP_HEADER)) {
            cur->next = keep;
            keep = cur;
            kept++;
        } else {
            smr_block_reclaim(cur, HP_HEADER, &t->counters);
        }
        cur = next;
    }
    t->retired = keep;
    t->nretired = kept;
    /* Threads may have registered since: keep R proportional to H. */
    t->threshold = hp_threshold(d) + kept;
}

static inline void hp_core_unregister(hp_thread_t *t, bool asym_capable)
{
    for (unsigned i = 0; i < t->nslots; i++)
        atomic_store_explicit(&t->hazard[i], NULL, memory_order_release);
    if (t->retired)
        hp_core_scan(t, asym_capable);
    struct smr_node_base *tail = t->retired;
    while (tail && tail->next)
        tail = tail->next;
    smr_orphans_give(&t->domain->base.orphans, t->retired, tail);
    t->retired = NULL;
    t->nretired = 0;
    smr_records_release(&t->rec);
}

#endif /* SMR_HP_CORE_H */
