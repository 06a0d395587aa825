/* ckepoch.c - slow paths of the ck_epoch adapter: polls, orphans, teardown. */
#include "ckepoch.h"

#include <stdio.h>

#ifndef SMR_CK_VERSION
#define SMR_CK_VERSION "(version unknown)"
#endif

enum { CKEPOCH_TUNE_THRESHOLD };

/* ck_epoch_poll scans every record: once per max(64, T) retires it costs
   O(1) per retire at any thread count. */
#define CKEPOCH_THRESHOLD_FLOOR 64

static void ckepoch_effective(const struct smr_config *cfg, unsigned threads, char *buf,
                              size_t len);

const struct smr_scheme_info ckepoch_info = {
    .name = "ck-epoch",
    .summary = "ConcurrencyKit " SMR_CK_VERSION " ck_epoch: begin/end per handle record, "
               "ck_epoch_call, ck_epoch_poll every `threshold` retires",
    .robust = false,
    .reclaims = true,
    .guarantee = "unbounded: a record stalled inside an operation stops ck's epoch, so nothing "
                 "retired after it is freed while it stalls",
    .ntunables = 1,
    .tunables = {
        {"threshold", 0, 0, 1 << 20,
         "retires between ck_epoch_poll calls (1 = poll on every retire); 0 = max(64, threads)"},
    },
    .effective = ckepoch_effective,
};

static unsigned ckepoch_threshold(long tuned, unsigned threads)
{
    return (unsigned)smr_scaled(tuned, CKEPOCH_THRESHOLD_FLOOR, 1, threads);
}

static void ckepoch_effective(const struct smr_config *cfg, unsigned threads, char *buf,
                              size_t len)
{
    snprintf(buf, len, "threshold=%u",
             ckepoch_threshold(cfg ? cfg->tune[CKEPOCH_TUNE_THRESHOLD] : 0, threads));
}

/* Who runs callbacks now. Callbacks get only their entry; they run inside
   a poll that this thread started, which sets this (saved and restored, in
   case a finaliser polls another domain). */
struct ckepoch_reclaimer {
    ckepoch_domain_t *domain;
    struct smr_counters *counters; /* the frees are counted here */
};
static _Thread_local struct ckepoch_reclaimer *ckepoch_reclaimer_now;

static ckepoch_thread_t *ckepoch_of_list(struct smr_record *r)
{
    return (ckepoch_thread_t *)((char *)r - offsetof(ckepoch_thread_t, list));
}

static ckepoch_thread_t *ckepoch_of_record(ck_epoch_record_t *r)
{
    return (ckepoch_thread_t *)((char *)r - offsetof(ckepoch_thread_t, record));
}

void ckepoch_reclaim_callback(ck_epoch_entry_t *entry)
{
    struct ckepoch_node *n =
        (struct ckepoch_node *)((char *)entry - offsetof(struct ckepoch_node, entry));
    struct ckepoch_reclaimer *r = ckepoch_reclaimer_now;
    /* ck runs the callback once its scan saw every reader that could hold
       the node outside: their reads happen before the free. */
    SMR_TSAN_ACQUIRE(&r->domain->tsan_grace);
    smr_block_reclaim(&n->base, CKEPOCH_HEADER, r->counters);
}

ckepoch_domain_t *ckepoch_domain_create(const struct smr_config *cfg)
{
    (void)smr_config_slots(cfg, 1, ckepoch_info.name); /* checked; protect ignores slots */
    ckepoch_domain_t *d = smr_record_alloc(sizeof(*d));
    ck_epoch_init(&d->epoch);
    /* Never enters: ck's scans see it inactive, so it holds nobody back. */
    ck_epoch_register(&d->epoch, &d->orphans, NULL);
    pthread_mutex_init(&d->orphans_lock, NULL);
    d->tuned_threshold = cfg ? cfg->tune[CKEPOCH_TUNE_THRESHOLD] : 0;
    return d;
}

ckepoch_thread_t *ckepoch_thread_register(ckepoch_domain_t *d)
{
    ck_epoch_record_t *r = ck_epoch_recycle(&d->epoch, NULL);
    ckepoch_thread_t *t;
    if (r) {
        /* Only our handles are ever unregistered (the orphan record never is). */
        t = ckepoch_of_record(r);
        /* ck's recycle hands the record over from its last unregister. */
        SMR_TSAN_ACQUIRE(t);
        /* relaxed: only destroy's check reads it, after every unregister */
        atomic_store_explicit(&t->list.in_use, 1, memory_order_relaxed);
    } else {
        t = smr_record_alloc(sizeof(*t));
        t->domain = d;
        ck_epoch_register(&d->epoch, &t->record, NULL);
        smr_records_push(&d->threads, &t->list);
    }
    t->threshold = ckepoch_threshold(d->tuned_threshold, smr_records_count(&d->threads));
    t->since_poll = 0;
    return t;
}

/* Poll the orphan record if it holds anything; `wait` takes the lock even
   when another thread holds it. Called with ckepoch_reclaimer_now set. */
static void ckepoch_poll_orphans(ckepoch_domain_t *d, bool wait, int polls)
{
    /* ck keeps n_pending with atomic adds (call_strict) and subtracts (dispatch). */
    if (ck_pr_load_uint(&d->orphans.n_pending) == 0)
        return;
    if (wait)
        pthread_mutex_lock(&d->orphans_lock);
    else if (pthread_mutex_trylock(&d->orphans_lock) != 0)
        return;
    for (int i = 0; i < polls && d->orphans.n_pending; i++)
        ck_epoch_poll(&d->orphans);
    pthread_mutex_unlock(&d->orphans_lock);
}

void ckepoch_collect(ckepoch_thread_t *t)
{
    t->since_poll = 0;
    /* Threads may have registered since: keep the polls O(1) per retire. */
    t->threshold = ckepoch_threshold(t->domain->tuned_threshold,
                                     smr_records_count(&t->domain->threads));
    smr_counter_add(&t->counters.scans, 1);
    struct ckepoch_reclaimer self = {t->domain, &t->counters}, *saved = ckepoch_reclaimer_now;
    ckepoch_reclaimer_now = &self;
    ck_epoch_poll(&t->record);
    ckepoch_poll_orphans(t->domain, false, 1);
    ckepoch_reclaimer_now = saved;
}

/* Each poll advances the epoch at most once, and three advances free
   everything; with no reader inside, one poll does. */
void ckepoch_flush(ckepoch_thread_t *t)
{
    smr_counter_add(&t->counters.scans, 1);
    struct ckepoch_reclaimer self = {t->domain, &t->counters}, *saved = ckepoch_reclaimer_now;
    ckepoch_reclaimer_now = &self;
    for (int i = 0; i < CK_EPOCH_LENGTH && t->record.n_pending; i++)
        ck_epoch_poll(&t->record);
    ckepoch_poll_orphans(t->domain, true, CK_EPOCH_LENGTH);
    ckepoch_reclaimer_now = saved;
    t->since_poll = 0;
}

void ckepoch_thread_unregister(ckepoch_thread_t *t)
{
    ckepoch_domain_t *d = t->domain;
    struct ckepoch_reclaimer self = {t->domain, &t->counters}, *saved = ckepoch_reclaimer_now;
    ckepoch_reclaimer_now = &self;
    ck_epoch_poll(&t->record); /* free what is already safe */
    ckepoch_reclaimer_now = saved;

    /* ck_epoch_unregister drops pending callbacks: move them to the orphan
       record first. Re-tagging with the current epoch only delays them. */
    pthread_mutex_lock(&d->orphans_lock);
    for (unsigned i = 0; i < CK_EPOCH_LENGTH; i++) {
        ck_stack_entry_t *e = CK_STACK_FIRST(&t->record.pending[i]);
        while (e) {
            ck_stack_entry_t *next = CK_STACK_NEXT(e);
            ck_epoch_entry_t *entry =
                (ck_epoch_entry_t *)((char *)e - offsetof(ck_epoch_entry_t, stack_entry));
            ck_epoch_call_strict(&d->orphans, entry, entry->function);
            e = next;
        }
    }
    pthread_mutex_unlock(&d->orphans_lock);

    SMR_TSAN_RELEASE(t); /* to the handle's next owner (see register) */
    smr_records_release(&t->list); /* for destroy's check; ck's recycle claims the record */
    ck_epoch_unregister(&t->record);
}

void ckepoch_stats(ckepoch_domain_t *d, struct smr_stats *out)
{
    memset(out, 0, sizeof(*out));
    for (struct smr_record *r = smr_records_first(&d->threads); r; r = smr_records_next(r)) {
        smr_stats_add_counters(out, &ckepoch_of_list(r)->counters);
        out->threads++;
    }
    smr_stats_add_counters(out, &d->counters);
    out->epoch = ck_pr_load_uint(&d->epoch.epoch);
}

void ckepoch_domain_destroy(ckepoch_domain_t *d, struct smr_stats *final)
{
    smr_records_check_unused(&d->threads, ckepoch_info.name);
    /* Every handle has unregistered, so every pending callback is on the
       orphan record and no reader is left: run them all. */
    pthread_mutex_lock(&d->orphans_lock);
    struct ckepoch_reclaimer self = {d, &d->counters}, *saved = ckepoch_reclaimer_now;
    ckepoch_reclaimer_now = &self;
    ck_epoch_reclaim(&d->orphans);
    ckepoch_reclaimer_now = saved;
    pthread_mutex_unlock(&d->orphans_lock);
    if (final)
        ckepoch_stats(d, final);
    struct smr_record *r = smr_records_first(&d->threads);
    while (r) {
        struct smr_record *next = smr_records_next(r);
        free(ckepoch_of_list(r));
        r = next;
    }
    pthread_mutex_destroy(&d->orphans_lock);
    free(d);
}
