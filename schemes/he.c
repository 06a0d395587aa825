/* he.c - slow paths of hazard eras: scan, orphans, teardown, the stall bound. */
#include "he.h"

#include <stdio.h>

#define HE_DEFAULT_SLOTS 2

static uint64_t he_garbage_bound(const struct smr_config *cfg, unsigned threads);
static void he_effective(const struct smr_config *cfg, unsigned threads, char *buf, size_t len);

const struct smr_scheme_info he_info = {
    .name = "he",
    .summary = "hazard eras: slots publish clock eras, not pointers; a node is freed when no era "
               "lies in its [birth, retire]",
    .robust = true,
    .reclaims = true,
    .uses_slots = true,
    .guarantee = "<= (T + 1)(K + max(R, K)), K = T x slots x (L + T x N): T threads, L the "
                 "structure's max_live, N = era_period; unbounded when L is unknown",
    .ntunables = 2,
    .tunables = {ERA_TUNABLES("max(128, 2 x slots x threads)")},
    .garbage_bound = he_garbage_bound,
    .effective = he_effective,
};

static unsigned he_slots(const struct smr_config *cfg)
{
    return cfg && cfg->hazard_slots ? cfg->hazard_slots : HE_DEFAULT_SLOTS;
}

static size_t he_r(const struct smr_config *cfg, unsigned long threads)
{
    return era_scan_threshold(cfg ? cfg->tune[ERA_TUNE_R] : 0, he_slots(cfg), threads);
}

static unsigned he_period(const struct smr_config *cfg, unsigned long threads)
{
    return era_period(cfg ? cfg->tune[ERA_TUNE_PERIOD] : 0, threads);
}

/* era_stall_bound with E = the hazard slots: each slot holds one era. */
static uint64_t he_garbage_bound(const struct smr_config *cfg, unsigned threads)
{
    return era_stall_bound(threads, he_r(cfg, threads), he_period(cfg, threads), he_slots(cfg),
                           cfg ? cfg->max_live : 0);
}

static void he_effective(const struct smr_config *cfg, unsigned threads, char *buf, size_t len)
{
    snprintf(buf, len, "R=%zu era_period=%u", he_r(cfg, threads), he_period(cfg, threads));
}

he_domain_t *he_domain_create(const struct smr_config *cfg)
{
    return era_domain_create(cfg, &he_info, HE_DEFAULT_SLOTS, 0, ERA_HEADER, sizeof(he_thread_t),
                             offsetof(he_thread_t, counters));
}

static void he_thread_init(struct smr_record *r, void *domain)
{
    he_thread_t *t = (he_thread_t *)r;
    t->domain = domain;
    t->nslots = t->domain->nslots;
}

he_thread_t *he_thread_register(he_domain_t *d)
{
    he_thread_t *t = (he_thread_t *)smr_domain_base_register(&d->base, he_thread_init, d);
    era_thread_start(d, &t->local);
    return t;
}

static int he_era_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

struct he_snapshot {
    const uint64_t *eras;   /* sorted */
    size_t n;
};

/* Does some era of the sorted snapshot lie in [birth, retire]? */
static bool he_snapshot_meets(const void *snapshot, uint64_t birth, uint64_t retire)
{
    const struct he_snapshot *s = snapshot;
    const uint64_t *snap = s->eras;
    size_t n = s->n, lo = 0, hi = n;
    while (lo < hi) { /* first era >= birth */
        size_t mid = lo + (hi - lo) / 2;
        if (snap[mid] < birth)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && snap[lo] <= retire;
}

void he_scan(he_thread_t *t)
{
    he_domain_t *d = t->domain;
    smr_counter_add(&t->counters.scans, 1);
    era_adopt_orphans(&d->base.orphans, &t->local);

    /* Pairs with protect's StoreLoad: a reader whose era we do not see
       reloads its source after this point, so after the unlink of every
       node on our list (each retired before this fence). */
    smr_fence_seq_cst();
    size_t n = 0;
    for (struct smr_record *r = smr_records_first(&d->base.threads); r; r = smr_records_next(r)) {
        he_thread_t *h = (he_thread_t *)r;
        if (n + h->nslots > t->snapshot_cap) {
            /* Never skip an era: grow (threads may register during a scan). */
            t->snapshot_cap = (n + h->nslots) * 2;
            t->snapshot = realloc(t->snapshot, t->snapshot_cap * sizeof(uint64_t));
            if (!t->snapshot)
                abort();
        }
        for (unsigned i = 0; i < h->nslots; i++) {
            /* acquire: a cleared or replaced era means its owner's reads under it are done */
            uint64_t e = atomic_load_explicit(&h->era[i], memory_order_acquire);
            if (e != ERA_NONE)
                t->snapshot[n++] = e;
        }
    }
    qsort(t->snapshot, n, sizeof(uint64_t), he_era_cmp);

    struct he_snapshot snap = {t->snapshot, n};
    /* Threads may have registered since: R follows their count (N does at each tick). */
    size_t r = era_domain_r(d);
    era_sweep(&t->local, he_snapshot_meets, &snap, r, &t->counters);
}

void he_flush(he_thread_t *t)
{
    he_scan(t);
}

void he_thread_unregister(he_thread_t *t)
{
    he_leave(t);
    if (t->local.retired)
        he_scan(t);
    era_give_orphans(&t->domain->base.orphans, &t->local);
    smr_records_release(&t->rec);
}

void he_stats(he_domain_t *d, struct smr_stats *out)
{
    era_domain_stats(d, out);
}

static void he_free_scratch(struct smr_record *r)
{
    free(((he_thread_t *)r)->snapshot);
}

void he_domain_destroy(he_domain_t *d, struct smr_stats *final)
{
    era_domain_destroy(d, final, he_free_scratch);
}
