/* ibr.c - slow paths of 2GE interval-based reclamation: scan, orphans, teardown, the stall bound. */
#include "ibr.h"

#include <stdio.h>

#define IBR_DEFAULT_SLOTS 2

struct ibr_interval {
    uint64_t lower, upper;
};

static uint64_t ibr_garbage_bound(const struct smr_config *cfg, unsigned threads);
static void ibr_effective(const struct smr_config *cfg, unsigned threads, char *buf, size_t len);

const struct smr_scheme_info ibr_info = {
    .name = "ibr",
    .summary = "2GE interval-based reclamation: one reserved era interval per thread; a node is "
               "freed when its [birth, retire] meets none",
    .robust = true,
    .reclaims = true,
    .uses_slots = true,
    .guarantee = "one hazard slot: <= (T + 1)(K + max(R, K)), K = T x (L + T x N), as he with one "
                 "era per thread; more than one slot: unbounded (an interval stretches over every "
                 "era its operation lives through, pinning every node alive meanwhile)",
    .ntunables = 2,
    .tunables = {ERA_TUNABLES("max(128, 2 x threads)")},
    .garbage_bound = ibr_garbage_bound,
    .effective = ibr_effective,
};

/* One reserved interval per thread: a scan sorts T of them. */
static size_t ibr_r(const struct smr_config *cfg, unsigned long threads)
{
    return era_scan_threshold(cfg ? cfg->tune[ERA_TUNE_R] : 0, 1, threads);
}

static unsigned ibr_period(const struct smr_config *cfg, unsigned long threads)
{
    return era_period(cfg ? cfg->tune[ERA_TUNE_PERIOD] : 0, threads);
}

static void ibr_effective(const struct smr_config *cfg, unsigned threads, char *buf, size_t len)
{
    snprintf(buf, len, "R=%zu era_period=%u", ibr_r(cfg, threads), ibr_period(cfg, threads));
}

static unsigned ibr_slots(const struct smr_config *cfg)
{
    return cfg && cfg->hazard_slots ? cfg->hazard_slots : IBR_DEFAULT_SLOTS;
}

/* With one slot, every reservation is a single era (ibr.h), so the bound is
   era_stall_bound with E = 1. With more slots an interval spans from the
   oldest slot still held to the newest: how many eras that is depends on
   how long the operation ran, not on any parameter, and every node alive
   in between is pinned. No bound follows from the configuration then. */
static uint64_t ibr_garbage_bound(const struct smr_config *cfg, unsigned threads)
{
    if (ibr_slots(cfg) != 1)
        return UINT64_MAX;
    return era_stall_bound(threads, ibr_r(cfg, threads), ibr_period(cfg, threads), 1,
                           cfg ? cfg->max_live : 0);
}

ibr_domain_t *ibr_domain_create(const struct smr_config *cfg)
{
    return era_domain_create(cfg, &ibr_info, IBR_DEFAULT_SLOTS, 1, ERA_HEADER, sizeof(ibr_thread_t),
                             offsetof(ibr_thread_t, counters));
}

static void ibr_thread_init(struct smr_record *r, void *domain)
{
    ibr_thread_t *t = (ibr_thread_t *)r;
    t->domain = domain;
    t->nslots = t->domain->nslots;
}

ibr_thread_t *ibr_thread_register(ibr_domain_t *d)
{
    ibr_thread_t *t = (ibr_thread_t *)smr_domain_base_register(&d->base, ibr_thread_init, d);
    era_thread_start(d, &t->local);
    return t;
}

static int ibr_interval_cmp(const void *a, const void *b)
{
    uint64_t x = ((const struct ibr_interval *)a)->lower;
    uint64_t y = ((const struct ibr_interval *)b)->lower;
    return (x > y) - (x < y);
}

struct ibr_snapshot {
    const struct ibr_interval *intervals;   /* sorted by lower end */
    const uint64_t *upper_max;  /* upper_max[i]: the largest upper end among the first i + 1 */
    size_t n;
};

/* Does [birth, retire] meet a snapshot interval? */
static bool ibr_snapshot_meets(const void *snapshot, uint64_t birth, uint64_t retire)
{
    const struct ibr_snapshot *s = snapshot;
    const struct ibr_interval *snap = s->intervals;
    const uint64_t *upper_max = s->upper_max;
    size_t n = s->n, lo = 0, hi = n;
    while (lo < hi) { /* count the intervals that start at or before retire */
        size_t mid = lo + (hi - lo) / 2;
        if (snap[mid].lower <= retire)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && upper_max[lo - 1] >= birth;
}

static void ibr_snapshot_reserve(ibr_thread_t *t, size_t need)
{
    if (need <= t->snapshot_cap)
        return;
    t->snapshot_cap = need * 2;
    t->snapshot = realloc(t->snapshot, t->snapshot_cap * sizeof(*t->snapshot));
    t->snapshot_upper_max = realloc(t->snapshot_upper_max, t->snapshot_cap * sizeof(uint64_t));
    if (!t->snapshot || !t->snapshot_upper_max)
        abort();
}

void ibr_scan(ibr_thread_t *t)
{
    ibr_domain_t *d = t->domain;
    smr_counter_add(&t->counters.scans, 1);
    era_adopt_orphans(&d->base.orphans, &t->local);

    /* Pairs with protect's StoreLoad: a reader whose reservation we do not
       see reloads its source after this point, so after the unlink of every
       node on our list (each retired before this fence). */
    smr_fence_seq_cst();
    size_t n = 0;
    for (struct smr_record *r = smr_records_first(&d->base.threads); r; r = smr_records_next(r)) {
        ibr_thread_t *h = (ibr_thread_t *)r;
        ibr_snapshot_reserve(t, n + 1); /* never skip one: threads may register during a scan */
        /* acquire, upper first: if it is the upper a protect published, the
           lower stored before it is visible to the load below. A cleared or
           raised value means its owner's reads under the old one are done. */
        uint64_t up = atomic_load_explicit(&h->upper, memory_order_acquire);
        if (up == ERA_NONE)
            continue;
        uint64_t lo = atomic_load_explicit(&h->lower, memory_order_acquire);
        /* lower cleared, or raised past this upper: nothing is held under
           `up` any more (leave, or its slot reused), and the newer
           reservation has not reloaded a pointer yet (we would have seen
           its upper otherwise) */
        if (lo == ERA_NONE || lo > up)
            continue;
        t->snapshot[n].lower = lo;
        t->snapshot[n].upper = up;
        n++;
    }
    qsort(t->snapshot, n, sizeof(*t->snapshot), ibr_interval_cmp);
    for (size_t i = 0; i < n; i++) {
        uint64_t prev = i ? t->snapshot_upper_max[i - 1] : 0;
        t->snapshot_upper_max[i] = t->snapshot[i].upper > prev ? t->snapshot[i].upper : prev;
    }

    struct ibr_snapshot snap = {t->snapshot, t->snapshot_upper_max, n};
    /* Threads may have registered since: R follows their count (N does at each tick). */
    size_t r = era_domain_r(d);
    era_sweep(&t->local, ibr_snapshot_meets, &snap, r, &t->counters);
}

void ibr_flush(ibr_thread_t *t)
{
    ibr_scan(t);
}

void ibr_thread_unregister(ibr_thread_t *t)
{
    ibr_leave(t);
    if (t->local.retired)
        ibr_scan(t);
    era_give_orphans(&t->domain->base.orphans, &t->local);
    smr_records_release(&t->rec);
}

void ibr_stats(ibr_domain_t *d, struct smr_stats *out)
{
    era_domain_stats(d, out);
}

static void ibr_free_scratch(struct smr_record *r)
{
    free(((ibr_thread_t *)r)->snapshot);
    free(((ibr_thread_t *)r)->snapshot_upper_max);
}

void ibr_domain_destroy(ibr_domain_t *d, struct smr_stats *final)
{
    era_domain_destroy(d, final, ibr_free_scratch);
}
