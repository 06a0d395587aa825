/* hp.c - slow paths of hazard pointers: scan, orphans, teardown. */
#include "hp.h"

enum { HP_TUNE_R };

static uint64_t hp_garbage_bound(const struct smr_config *cfg, unsigned threads);

const struct smr_scheme_info hp_info = {
    .name = "hp",
    .summary = "Michael's hazard pointers: publish + fence + re-validate; sorted-snapshot scans",
    .robust = true,
    .reclaims = true,
    .ntunables = 1,
    .tunables = {
        {"R", 0, 0, 1 << 24, "retired nodes per thread before a scan; 0 = max(64, 2 x slots x threads)"},
    },
    .garbage_bound = hp_garbage_bound,
};

/* A scan keeps at most H = slots x threads nodes (those hazards point to)
   and the next one starts at R + kept, so a thread never holds more than
   R + H; the orphans of an unregistered thread are one such list, adopted
   by the next scan. */
static uint64_t hp_garbage_bound(const struct smr_config *cfg, unsigned threads)
{
    uint64_t slots = cfg && cfg->hazard_slots ? cfg->hazard_slots : 2;
    uint64_t h = slots * threads;
    uint64_t r = cfg && cfg->tune[HP_TUNE_R] > 0 ? (uint64_t)cfg->tune[HP_TUNE_R]
                                                 : (h * 2 > 64 ? h * 2 : 64);
    return (threads + 1) * (r + h);
}

hp_domain_t *hp_domain_create(const struct smr_config *cfg)
{
    hp_domain_t *d = smr_record_alloc(sizeof(*d));
    d->nslots = cfg && cfg->hazard_slots ? cfg->hazard_slots : 2;
    if (d->nslots > SMR_MAX_SLOTS)
        d->nslots = SMR_MAX_SLOTS;
    d->fixed_threshold = cfg ? cfg->tune[HP_TUNE_R] : 0;
    smr_orphans_init(&d->orphans);
    return d;
}

static size_t hp_threshold(hp_domain_t *d)
{
    if (d->fixed_threshold > 0)
        return (size_t)d->fixed_threshold;
    size_t h = (size_t)d->nslots *
               atomic_load_explicit(&d->threads.count, memory_order_relaxed);
    return h * 2 > 64 ? h * 2 : 64;
}

hp_thread_t *hp_thread_register(hp_domain_t *d)
{
    hp_thread_t *t = (hp_thread_t *)smr_records_claim(&d->threads);
    if (!t) {
        t = smr_record_alloc(sizeof(*t));
        t->domain = d;
        t->nslots = d->nslots;
        smr_records_push(&d->threads, &t->rec);
    }
    t->threshold = hp_threshold(d);
    return t;
}

static int hp_ptr_cmp(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (void *const *)a, y = (uintptr_t) * (void *const *)b;
    return (x > y) - (x < y);
}

static bool hp_snapshot_has(void **snap, size_t n, void *p)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((uintptr_t)snap[mid] < (uintptr_t)p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && snap[lo] == p;
}

void hp_scan(hp_thread_t *t)
{
    hp_domain_t *d = t->domain;
    smr_counter_add(&t->counters.scans, 1);

    /* Adopt nodes left by unregistered threads. */
    struct smr_node_base *o = smr_orphans_take(&d->orphans);
    while (o) {
        struct smr_node_base *next = o->next;
        o->next = t->retired;
        t->retired = o;
        t->nretired++;
        o = next;
    }

    /* Pairs with protect's StoreLoad barrier: the unlinks before this point
       are visible to any protect whose hazard we fail to see. */
    smr_fence_seq_cst();
    size_t n = 0;
    for (struct smr_record *r = smr_records_first(&d->threads); r; r = smr_records_next(r)) {
        hp_thread_t *h = (hp_thread_t *)r;
        if (n + h->nslots > t->snapshot_cap) {
            /* Never skip a hazard: grow (threads may register during a scan). */
            t->snapshot_cap = (n + h->nslots) * 2;
            t->snapshot = realloc(t->snapshot, t->snapshot_cap * sizeof(void *));
            if (!t->snapshot)
                abort();
        }
        for (unsigned i = 0; i < h->nslots; i++) {
            /* acquire: a cleared slot means its owner's reads are done */
            void *p = atomic_load_explicit(&h->hazard[i], memory_order_acquire);
            if (p)
                t->snapshot[n++] = p;
        }
    }
    qsort(t->snapshot, n, sizeof(void *), hp_ptr_cmp);

    struct smr_node_base *keep = NULL, *cur = t->retired;
    size_t kept = 0;
    while (cur) {
        struct smr_node_base *next = cur->next;
        if (hp_snapshot_has(t->snapshot, n, (char *)cur + HP_HEADER)) {
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

void hp_flush(hp_thread_t *t)
{
    hp_scan(t);
}

void hp_thread_unregister(hp_thread_t *t)
{
    for (unsigned i = 0; i < t->nslots; i++)
        atomic_store_explicit(&t->hazard[i], NULL, memory_order_release);
    if (t->retired)
        hp_scan(t);
    struct smr_node_base *tail = t->retired;
    while (tail && tail->next)
        tail = tail->next;
    smr_orphans_give(&t->domain->orphans, t->retired, tail);
    t->retired = NULL;
    t->nretired = 0;
    smr_records_release(&t->rec);
}

void hp_stats(hp_domain_t *d, struct smr_stats *out)
{
    memset(out, 0, sizeof(*out));
    for (struct smr_record *r = smr_records_first(&d->threads); r; r = smr_records_next(r)) {
        smr_stats_add_counters(out, &((hp_thread_t *)r)->counters);
        out->threads++;
    }
    smr_stats_add_counters(out, &d->counters);
}

void hp_domain_destroy(hp_domain_t *d, struct smr_stats *final)
{
    struct smr_node_base *n = smr_orphans_take(&d->orphans);
    while (n) {
        struct smr_node_base *next = n->next;
        smr_block_reclaim(n, HP_HEADER, &d->counters);
        n = next;
    }
    if (final)
        hp_stats(d, final);
    struct smr_record *r = smr_records_first(&d->threads);
    while (r) {
        struct smr_record *next = smr_records_next(r);
        free(((hp_thread_t *)r)->snapshot);
        free(r);
        r = next;
    }
    smr_orphans_destroy(&d->orphans);
    free(d);
}
