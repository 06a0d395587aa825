/* smr_common.c - slow paths shared by the schemes: thread records, orphans. */
#include "smr_common.h"

#include <stdio.h>
#include <unistd.h>

#ifdef SMR_CHECKED
#include <sched.h>

_Atomic int smr_test_free_on_retire;
_Atomic unsigned smr_test_yield_every;
void (*_Atomic smr_test_window_hook)(void);
_Atomic int smr_test_era_ignore_birth;

void smr_test_window_slow(void)
{
    /* acquire: what the test prepared for its hook before installing it (release) */
    void (*hook)(void) = atomic_load_explicit(&smr_test_window_hook, memory_order_acquire);
    if (hook) {
        hook();
        return;
    }
    static _Thread_local unsigned passes;
    unsigned every = atomic_load_explicit(&smr_test_yield_every, memory_order_relaxed);
    if (every && ++passes % every == 0)
        sched_yield();
}

void smr_check_failed(const char *what, const void *p)
{
    fprintf(stderr, "smr check failed: %s (node %p)\n", what, p);
    fflush(stderr);
    _exit(86);
}

void smr_check_slot_failed(unsigned slot, unsigned nslots)
{
    fprintf(stderr, "smr check failed: protect used hazard slot %u of a domain with %u slot(s) "
            "(slots 0..%u)\n", slot, nslots, nslots - 1);
    fflush(stderr);
    _exit(86);
}
#endif

unsigned smr_config_slots(const struct smr_config *cfg, unsigned def, const char *scheme)
{
    unsigned s = cfg && cfg->hazard_slots ? cfg->hazard_slots : def;
    if (s > SMR_MAX_SLOTS) {
        fprintf(stderr, "smr: %s: hazard_slots = %u is more than a thread has; allowed: 1..%d "
                "(SMR_MAX_SLOTS)\n", scheme, s, SMR_MAX_SLOTS);
        abort();
    }
    return s;
}

void smr_records_check_unused(struct smr_record_list *l, const char *scheme)
{
    unsigned registered = 0;
    for (struct smr_record *r = smr_records_first(l); r; r = smr_records_next(r))
        /* relaxed: the caller's join (or lock) ordered every unregister before us;
           a record still in use is a bug however it is read */
        registered += atomic_load_explicit(&r->in_use, memory_order_relaxed) != 0;
    if (registered) {
        fprintf(stderr, "smr: %s: domain destroyed with %u thread(s) still registered; "
                "unregister every thread first\n", scheme, registered);
        abort();
    }
}

void smr_stats_collect(struct smr_stats *out, struct smr_record_list *threads,
                       size_t counters_offset, struct smr_counters *domain)
{
    memset(out, 0, sizeof(*out));
    for (struct smr_record *r = smr_records_first(threads); r; r = smr_records_next(r)) {
        smr_stats_add_counters(out, (struct smr_counters *)((char *)r + counters_offset));
        out->threads++;
    }
    smr_stats_add_counters(out, domain);
}

void smr_records_free_all(struct smr_record_list *l, void (*free_scratch)(struct smr_record *r))
{
    struct smr_record *r = smr_records_first(l);
    while (r) {
        struct smr_record *next = smr_records_next(r);
        if (free_scratch)
            free_scratch(r);
        free(r);
        r = next;
    }
}

void *smr_record_alloc(size_t size)
{
    size_t rounded = (size + SMR_PAD_ALIGN - 1) / SMR_PAD_ALIGN * SMR_PAD_ALIGN;
    void *r = aligned_alloc(SMR_PAD_ALIGN, rounded);
    if (!r)
        abort();
    memset(r, 0, rounded);
    return r;
}

struct smr_record *smr_records_claim(struct smr_record_list *l)
{
    for (struct smr_record *r = smr_records_first(l); r; r = smr_records_next(r)) {
        int free_flag = 0;
        /* acquire: see everything the previous owner did before releasing it */
        if (atomic_load_explicit(&r->in_use, memory_order_relaxed) == 0 &&
            atomic_compare_exchange_strong_explicit(&r->in_use, &free_flag, 1,
                                                    memory_order_acquire,
                                                    memory_order_relaxed))
            return r;
    }
    return NULL;
}

void smr_records_push(struct smr_record_list *l, struct smr_record *r)
{
    atomic_store_explicit(&r->in_use, 1, memory_order_relaxed);
    struct smr_record *head = atomic_load_explicit(&l->head, memory_order_relaxed);
    do {
        atomic_store_explicit(&r->next, head, memory_order_relaxed);
        /* release: scanners that find r see it initialised */
    } while (!atomic_compare_exchange_weak_explicit(&l->head, &head, r, memory_order_release,
                                                    memory_order_relaxed));
    atomic_fetch_add_explicit(&l->count, 1, memory_order_relaxed);
}

void smr_records_release(struct smr_record *r)
{
    atomic_store_explicit(&r->in_use, 0, memory_order_release);
}

void smr_orphans_init(struct smr_orphans *o)
{
    pthread_mutex_init(&o->lock, NULL);
    o->head = NULL;
    atomic_store_explicit(&o->nonempty, 0, memory_order_relaxed);
}

void smr_orphans_destroy(struct smr_orphans *o)
{
    pthread_mutex_destroy(&o->lock);
}

void smr_orphans_give(struct smr_orphans *o, struct smr_node_base *head,
                      struct smr_node_base *tail)
{
    if (!head)
        return;
    pthread_mutex_lock(&o->lock);
    tail->next = o->head;
    o->head = head;
    atomic_store_explicit(&o->nonempty, 1, memory_order_relaxed);
    pthread_mutex_unlock(&o->lock);
}

struct smr_node_base *smr_orphans_take(struct smr_orphans *o)
{
    if (!atomic_load_explicit(&o->nonempty, memory_order_relaxed))
        return NULL;
    pthread_mutex_lock(&o->lock);
    struct smr_node_base *h = o->head;
    o->head = NULL;
    atomic_store_explicit(&o->nonempty, 0, memory_order_relaxed);
    pthread_mutex_unlock(&o->lock);
    return h;
}
