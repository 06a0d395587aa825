/* ckhp.c - slow paths of the ck_hp adapter: scan, orphans, teardown. */
#include "ckhp.h"

#include <stdio.h>

#ifndef SMR_CK_VERSION
#define SMR_CK_VERSION "(version unknown)"
#endif

enum { CKHP_TUNE_R };

#define CKHP_DEFAULT_SLOTS 2

static uint64_t ckhp_garbage_bound(const struct smr_config *cfg, unsigned threads);
static void ckhp_effective(const struct smr_config *cfg, unsigned threads, char *buf, size_t len);

const struct smr_scheme_info ckhp_info = {
    .name = "ck-hp",
    .summary = "ConcurrencyKit " SMR_CK_VERSION " ck_hp: ck_hp_set_fence + re-validate, "
               "ck_hp_retire, ck_hp_reclaim at R pending",
    .robust = true,
    .reclaims = true,
    .uses_slots = true,
    .guarantee = "<= T(max(R, H + 1) + H) with T threads and H = slots x T hazards; "
                 "R = max(64, 2H) or the tunable",
    .ntunables = 1,
    .tunables = {
        {"R", 0, 0, 1 << 24, "pending nodes per thread before a scan; 0 = max(64, 2 x slots x threads)"},
    },
    .garbage_bound = ckhp_garbage_bound,
    .effective = ckhp_effective,
};

static unsigned ckhp_slots(const struct smr_config *cfg)
{
    return cfg && cfg->hazard_slots ? cfg->hazard_slots : CKHP_DEFAULT_SLOTS;
}

/* ck's reclaim threshold: the tunable R, or max(64, 2 x slots x threads),
   so a scan (O(H log H) for H hazards) costs O(log H) per retire. */
static uint64_t ckhp_r(long tuned, uint64_t slots, uint64_t threads)
{
    return smr_scaled(tuned, 64, 2 * slots, threads);
}

/* More hazard slots than ck_hp_reclaim's cache sees (see ckhp.h)? */
static bool ckhp_over_cache(unsigned long threads, unsigned slots)
{
    return threads * slots > CK_HP_CACHE;
}

static void ckhp_effective(const struct smr_config *cfg, unsigned threads, char *buf, size_t len)
{
    snprintf(buf, len, "R=%llu reclaim=%s",
             (unsigned long long)ckhp_r(cfg ? cfg->tune[CKHP_TUNE_R] : 0, ckhp_slots(cfg), threads),
             ckhp_over_cache(threads, ckhp_slots(cfg)) ? "adapter" : "ck_hp_reclaim");
}

/*
 * H = slots x threads hazards. A scan keeps only pending nodes some hazard
 * points to, at most H, and the next scan comes when the record holds R
 * again (or at once, H + 1, if R <= H): a record never holds more than
 * max(R, H + 1). Unregister scans (adopting the orphans) and hands at most H
 * protected nodes to the orphans, and each later scan or unregister adopts
 * the whole pile, so the pile holds the gifts of at most `threads` handles
 * that were unregistering concurrently: at most threads x H.
 */
static uint64_t ckhp_garbage_bound(const struct smr_config *cfg, unsigned threads)
{
    uint64_t h = (uint64_t)ckhp_slots(cfg) * threads;
    uint64_t r = ckhp_r(cfg ? cfg->tune[CKHP_TUNE_R] : 0, ckhp_slots(cfg), threads);
    uint64_t per_record = r > h ? r : h + 1;
    return threads * (per_record + h);
}

/* Who scans now. ck's destructor gets only the node; it runs inside a scan
   this thread started, which sets this (saved and restored, in case a
   finaliser scans another domain). */
struct ckhp_reclaimer {
    ckhp_domain_t *domain;
    struct smr_counters *counters; /* the frees are counted here */
};
static _Thread_local struct ckhp_reclaimer *ckhp_reclaimer_now;

static void ckhp_destroy_node(void *data)
{
    struct ckhp_reclaimer *r = ckhp_reclaimer_now;
    /* ck frees a node its hazard snapshot did not contain: every reader
       that protected it had cleared or re-used the slot, after its reads. */
    SMR_TSAN_ACQUIRE(&r->domain->tsan_grace);
    smr_block_reclaim(data, CKHP_HEADER, r->counters);
}

static ckhp_thread_t *ckhp_of_list(struct smr_record *r)
{
    return (ckhp_thread_t *)((char *)r - offsetof(ckhp_thread_t, list));
}

static ckhp_thread_t *ckhp_of_record(ck_hp_record_t *r)
{
    return (ckhp_thread_t *)((char *)r - offsetof(ckhp_thread_t, record));
}

static struct ckhp_node *ckhp_node_of_pending(ck_stack_entry_t *e)
{
    return (struct ckhp_node *)((char *)e - offsetof(ck_hp_hazard_t, pending_entry) -
                                offsetof(struct ckhp_node, hazard));
}

ckhp_domain_t *ckhp_domain_create(const struct smr_config *cfg)
{
    unsigned nslots = smr_config_slots(cfg, CKHP_DEFAULT_SLOTS, ckhp_info.name);
    ckhp_domain_t *d = smr_record_alloc(sizeof(*d));
    d->nslots = nslots;
    d->fixed_threshold = cfg ? cfg->tune[CKHP_TUNE_R] : 0;
    d->uncapped = ckhp_over_cache(cfg ? cfg->max_threads : 0, nslots);
    unsigned r = (unsigned)ckhp_r(d->fixed_threshold, d->nslots, 1);
    ck_hp_init(&d->hp, d->nslots, r, ckhp_destroy_node);
    smr_orphans_init(&d->orphans);
    return d;
}

ckhp_thread_t *ckhp_thread_register(ckhp_domain_t *d)
{
    ck_hp_record_t *r = ck_hp_recycle(&d->hp);
    ckhp_thread_t *t;
    if (r) {
        t = ckhp_of_record(r);
        /* ck's recycle hands the record over from its last unregister. */
        SMR_TSAN_ACQUIRE(t);
        /* relaxed: only destroy's check reads it, after every unregister */
        atomic_store_explicit(&t->list.in_use, 1, memory_order_relaxed);
    } else {
        /* relaxed: a count, nothing is published through it */
        unsigned n = atomic_fetch_add_explicit(&d->records, 1, memory_order_relaxed) + 1;
        if (!d->uncapped && ckhp_over_cache(n, d->nslots)) {
            fprintf(stderr, "ck-hp: %u threads x %u hazard slots exceed ck_hp's scan cache (%d), "
                    "and the domain was created for %s\n", n, d->nslots, CK_HP_CACHE,
                    "fewer (cfg.max_threads): create it for as many threads as it will have");
            abort();
        }
        t = smr_record_alloc(sizeof(*t));
        t->domain = d;
        t->nslots = d->nslots;
        ck_hp_register(&d->hp, &t->record, t->slots);
        smr_records_push(&d->threads, &t->list);
        if (d->fixed_threshold <= 0)
            ck_hp_set_threshold(&d->hp, (unsigned)ckhp_r(0, d->nslots, n));
    }
    t->threshold = ck_pr_load_uint(&d->hp.threshold);
    return t;
}

/*
 * ck_hp_reclaim without its cap: snapshot the hazards of every record
 * (sorted), then free each pending node none of them holds, unlinking it
 * from ck's pending list and counting it as ck does. A record that is free
 * (unregistered) has cleared its slots. Runs after ckhp_scan's full fence.
 */
static void ckhp_reclaim_uncapped(ckhp_thread_t *t)
{
    size_t n = 0;
    struct smr_record_list *records = &t->domain->threads;
    for (struct smr_record *r = smr_records_first(records); r; r = smr_records_next(r)) {
        ckhp_thread_t *h = ckhp_of_list(r);
        t->snapshot = smr_snapshot_reserve(t->snapshot, &t->snapshot_cap, n + h->nslots);
        for (unsigned i = 0; i < h->nslots; i++) {
            void *p = ck_pr_load_ptr(&h->slots[i]); /* ck's load, as its reclaim does */
            if (p)
                t->snapshot[n++] = p;
        }
    }
    qsort(t->snapshot, n, sizeof(void *), smr_ptr_cmp);

    ck_stack_entry_t *prev = NULL, *e = CK_STACK_FIRST(&t->record.pending), *next;
    for (; e; e = next) {
        next = CK_STACK_NEXT(e);
        struct ckhp_node *node = ckhp_node_of_pending(e);
        if (smr_sorted_has(t->snapshot, n, node->hazard.pointer)) {
            prev = e;
            continue;
        }
        if (prev)
            CK_STACK_NEXT(prev) = next;
        else
            CK_STACK_FIRST(&t->record.pending) = next;
        t->record.n_pending--;
        t->record.n_reclamations++;
        ckhp_destroy_node(node->hazard.data);
    }
}

void ckhp_scan(ckhp_thread_t *t)
{
    ckhp_domain_t *d = t->domain;
    smr_counter_add(&t->counters.scans, 1);

    /* Adopt the protected nodes of unregistered handles. */
    struct smr_node_base *o = smr_orphans_take(&d->orphans);
    while (o) {
        struct smr_node_base *next = o->next;
        ck_hp_retire(&t->record, &((struct ckhp_node *)o)->hazard, o, (char *)o + CKHP_HEADER);
        o = next;
    }

    /* Pairs with protect's StoreLoad: the unlinks before this point are
       visible to any protect whose hazard the scan fails to see. */
    ck_pr_fence_memory();
    struct ckhp_reclaimer self = {d, &t->counters}, *saved = ckhp_reclaimer_now;
    ckhp_reclaimer_now = &self;
    if (d->uncapped)
        ckhp_reclaim_uncapped(t);
    else
        ck_hp_reclaim(&t->record);
    ckhp_reclaimer_now = saved;
    t->threshold = ck_pr_load_uint(&d->hp.threshold);
}

/* One scan: ck_hp_purge would spin until no hazard protects anything. */
void ckhp_flush(ckhp_thread_t *t)
{
    ckhp_scan(t);
}

void ckhp_thread_unregister(ckhp_thread_t *t)
{
    ck_pr_fence_release();
    for (unsigned i = 0; i < t->nslots; i++)
        ck_hp_set(&t->record, i, NULL);
    ckhp_scan(t);

    /* ck_hp_unregister drops the pending list: hand what is still
       protected to the orphans first. */
    struct smr_node_base *head = NULL, *tail = NULL;
    for (ck_stack_entry_t *e = CK_STACK_FIRST(&t->record.pending); e; e = CK_STACK_NEXT(e)) {
        struct smr_node_base *n = &ckhp_node_of_pending(e)->base;
        n->next = head;
        head = n;
        if (!tail)
            tail = n;
    }
    smr_orphans_give(&t->domain->orphans, head, tail);

    SMR_TSAN_RELEASE(t); /* to the handle's next owner (see register) */
    smr_records_release(&t->list); /* for destroy's check; ck's recycle claims the record */
    ck_hp_unregister(&t->record);
}

void ckhp_stats(ckhp_domain_t *d, struct smr_stats *out)
{
    memset(out, 0, sizeof(*out));
    for (struct smr_record *r = smr_records_first(&d->threads); r; r = smr_records_next(r)) {
        smr_stats_add_counters(out, &ckhp_of_list(r)->counters);
        out->threads++;
    }
    smr_stats_add_counters(out, &d->counters);
}

void ckhp_domain_destroy(ckhp_domain_t *d, struct smr_stats *final)
{
    smr_records_check_unused(&d->threads, ckhp_info.name);
    /* Every handle has unregistered (the caller's join or lock ordered
       their last reads before this): the orphans are unreachable. */
    smr_reclaim_chain(smr_orphans_take(&d->orphans), CKHP_HEADER, &d->counters);
    if (final)
        ckhp_stats(d, final);
    struct smr_record *r = smr_records_first(&d->threads);
    while (r) {
        struct smr_record *next = smr_records_next(r);
        free(ckhp_of_list(r)->snapshot);
        free(ckhp_of_list(r));
        r = next;
    }
    smr_orphans_destroy(&d->orphans);
    free(d);
}
