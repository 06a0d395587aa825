/* ebr.c - slow paths of epoch-based reclamation. */
#include "ebr.h"

#include <stdio.h>

enum { EBR_TUNE_THRESHOLD };

/* An advance attempt reads every thread's announcement: once per
   max(64, T) retires it costs O(1) per retire at any thread count. */
#define EBR_THRESHOLD_FLOOR 64

static void ebr_effective(const struct smr_config *cfg, unsigned threads, char *buf, size_t len);

const struct smr_scheme_info ebr_info = {
    .name = "ebr",
    .summary = "epoch-based reclamation: global epoch, per-thread announcements, 4 limbo bags",
    .robust = false,
    .reclaims = true,
    .guarantee = "unbounded: a thread stalled inside an operation stops every epoch advance, so "
                 "nothing retired after it is freed while it stalls",
    .ntunables = 1,
    .tunables = {
        {"threshold", 0, 0, 1 << 20,
         "retires between attempts to advance the epoch and free; 0 = max(64, threads)"},
    },
    .effective = ebr_effective,
};

static unsigned ebr_threshold(long tuned, unsigned threads)
{
    return (unsigned)smr_scaled(tuned, EBR_THRESHOLD_FLOOR, 1, threads);
}

static void ebr_effective(const struct smr_config *cfg, unsigned threads, char *buf, size_t len)
{
    long tuned = cfg ? cfg->tune[EBR_TUNE_THRESHOLD] : 0;
    snprintf(buf, len, "threshold=%u", ebr_threshold(tuned, threads));
}

ebr_domain_t *ebr_domain_create(const struct smr_config *cfg)
{
    (void)smr_config_slots(cfg, 1, ebr_info.name); /* checked; protect ignores slots */
    ebr_domain_t *d = smr_record_alloc(sizeof(*d));
    atomic_store_explicit(&d->epoch, EBR_BAGS, memory_order_relaxed);
    d->tuned_threshold = cfg ? cfg->tune[EBR_TUNE_THRESHOLD] : 0;
    smr_domain_base_init(&d->base, ebr_info.name, EBR_HEADER, sizeof(ebr_thread_t),
                         offsetof(ebr_thread_t, counters));
    return d;
}

static void ebr_thread_init(struct smr_record *r, void *domain)
{
    ((ebr_thread_t *)r)->domain = domain;
}

ebr_thread_t *ebr_thread_register(ebr_domain_t *d)
{
    ebr_thread_t *t = (ebr_thread_t *)smr_domain_base_register(&d->base, ebr_thread_init, d);
    t->threshold = ebr_threshold(d->tuned_threshold, smr_records_count(&d->base.threads));
    t->pending = 0;
    return t;
}

uint64_t ebr_epoch_outside(ebr_thread_t *t)
{
    /* The unlink that precedes this retire must be ordered before the epoch
       read, so every reader that could still hold the node announced an
       epoch no later than the one we read. */
    smr_fence_seq_cst();
    return atomic_load_explicit(&t->domain->epoch, memory_order_acquire);
}

void ebr_free_bag(ebr_thread_t *t, unsigned i)
{
    struct smr_node_base *n = t->bag[i];
    t->bag[i] = t->bag_tail[i] = NULL;
    smr_reclaim_chain(n, EBR_HEADER, &t->counters);
}

/* Advance the global epoch if every thread inside an operation has seen it. */
static bool ebr_try_advance(ebr_domain_t *d)
{
    uint64_t g = atomic_load_explicit(&d->epoch, memory_order_acquire);
    /* Pairs with the StoreLoad barrier of enter: a thread whose announcement
       we do not see has not read any pointer we unlinked before this point. */
    smr_fence_seq_cst();
    for (struct smr_record *r = smr_records_first(&d->base.threads); r; r = smr_records_next(r)) {
        /* acquire: a thread seen outside, or in epoch g, finished its earlier reads */
        uint64_t a = atomic_load_explicit(&((ebr_thread_t *)r)->announce, memory_order_acquire);
        if ((a & EBR_ACTIVE) && (a >> 1) != g)
            return false;
    }
    /* acq_rel: whoever frees after reading g+1 inherits what we observed */
    return atomic_compare_exchange_strong_explicit(&d->epoch, &g, g + 1, memory_order_acq_rel,
                                                   memory_order_acquire);
}

static void ebr_free_old_bags(ebr_thread_t *t)
{
    uint64_t g = atomic_load_explicit(&t->domain->epoch, memory_order_acquire);
    for (unsigned i = 0; i < EBR_BAGS; i++)
        if (t->bag[i] && t->bag_epoch[i] + 3 <= g)
            ebr_free_bag(t, i);
}

/* Nodes of unregistered threads join our bag for the current epoch: later
   than their own tag, so freeing them with it is conservative. */
static void ebr_adopt_orphans(ebr_thread_t *t)
{
    struct smr_node_base *n = smr_orphans_take(&t->domain->base.orphans);
    if (!n)
        return;
    uint64_t e = ebr_epoch_outside(t);
    unsigned i = (unsigned)(e % EBR_BAGS);
    if (t->bag_epoch[i] != e) {
        if (t->bag[i])
            ebr_free_bag(t, i);
        t->bag_epoch[i] = e;
    }
    while (n) {
        struct smr_node_base *next = n->next;
        n->next = t->bag[i];
        if (!t->bag[i])
            t->bag_tail[i] = n;
        t->bag[i] = n;
        n = next;
    }
}

void ebr_collect(ebr_thread_t *t)
{
    t->pending = 0;
    /* Threads may have registered since: keep the attempts O(1) per retire. */
    ebr_domain_t *d = t->domain;
    t->threshold = ebr_threshold(d->tuned_threshold, smr_records_count(&d->base.threads));
    smr_counter_add(&t->counters.scans, 1);
    ebr_adopt_orphans(t);
    ebr_try_advance(d);
    ebr_free_old_bags(t);
}

void ebr_flush(ebr_thread_t *t)
{
    ebr_adopt_orphans(t);
    /* Three advances free everything retired so far, if no thread lags. */
    for (int i = 0; i < 4; i++) {
        ebr_try_advance(t->domain);
        ebr_free_old_bags(t);
    }
    smr_counter_add(&t->counters.scans, 1);
}

void ebr_thread_unregister(ebr_thread_t *t)
{
    atomic_store_explicit(&t->announce, 0, memory_order_release);
    ebr_free_old_bags(t);
    for (unsigned i = 0; i < EBR_BAGS; i++) {
        smr_orphans_give(&t->domain->base.orphans, t->bag[i], t->bag_tail[i]);
        t->bag[i] = t->bag_tail[i] = NULL;
        t->bag_epoch[i] = 0;
    }
    smr_records_release(&t->rec);
}

void ebr_stats(ebr_domain_t *d, struct smr_stats *out)
{
    smr_domain_base_stats(&d->base, out);
    out->epoch = atomic_load_explicit(&d->epoch, memory_order_relaxed);
}

void ebr_domain_destroy(ebr_domain_t *d, struct smr_stats *final)
{
    smr_domain_base_teardown(&d->base);
    if (final)
        ebr_stats(d, final);
    smr_domain_base_free(&d->base, NULL);
    free(d);
}
