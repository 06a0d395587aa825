/* urcu.c - slow paths of the liburcu adapter: registration, flush, teardown. */
#include "urcu.h"

#include <stdio.h>

#ifndef SMR_URCU_VERSION
#define SMR_URCU_VERSION "(version unknown)"
#endif

const struct smr_scheme_info urcu_info = {
    .name = "urcu",
    .summary = "liburcu " SMR_URCU_VERSION " memb flavour: inline read-side lock, "
               "call_rcu frees on liburcu's worker thread",
    .robust = false,
    .reclaims = true,
    .ntunables = 0,
};

_Thread_local char urcu_thread_token;
/* Handles this OS thread holds, over every urcu domain: liburcu registers
   the thread while it is non-zero. */
static _Thread_local unsigned urcu_handles_here;

#ifdef SMR_CHECKED
void urcu_wrong_thread(urcu_thread_t *t)
{
    smr_check_failed("urcu: handle used by an OS thread that did not register it", t);
}
#endif

urcu_domain_t *urcu_domain_create(const struct smr_config *cfg)
{
    (void)smr_config_slots(cfg, 1, urcu_info.name); /* protect ignores slots; still checked */
    return smr_record_alloc(sizeof(urcu_domain_t));
}

urcu_thread_t *urcu_thread_register(urcu_domain_t *d)
{
    urcu_thread_t *t = (urcu_thread_t *)smr_records_claim(&d->threads);
    if (!t) {
        t = smr_record_alloc(sizeof(*t));
        t->domain = d;
        smr_records_push(&d->threads, &t->rec);
    }
    t->owner = &urcu_thread_token;
    if (urcu_handles_here++ == 0)
        urcu_memb_register_thread();
    return t;
}

void urcu_thread_unregister(urcu_thread_t *t)
{
    urcu_check_owner(t);
    /* Nothing to hand over: what this handle retired is already queued in
       liburcu, and its callbacks run whoever registered it. */
    if (--urcu_handles_here == 0)
        urcu_memb_unregister_thread();
    smr_records_release(&t->rec);
}

/* Would rcu_barrier() have to wait for a reader of this domain? */
static bool urcu_reader_inside(urcu_domain_t *d)
{
    for (struct smr_record *r = smr_records_first(&d->threads); r; r = smr_records_next(r))
        /* relaxed: a hint; a reader missed here only makes the barrier wait
           for its (short) operation */
        if (atomic_load_explicit(&((urcu_thread_t *)r)->inside, memory_order_relaxed))
            return true;
    return false;
}

/*
 * rcu_barrier() waits for a grace period and then for every queued callback.
 * It would wait forever for a reader that waits for us (a test's holder, a
 * stalled thread), and liburcu refuses it inside this OS thread's own
 * read-side section; flush then reclaims nothing, as the contract allows
 * ("try"). Once no reader of this domain is inside, it reclaims everything
 * retired so far.
 */
void urcu_flush(urcu_thread_t *t)
{
    urcu_check_owner(t);
    smr_counter_add(&t->counters.scans, 1);
    if (urcu_memb_read_ongoing() || urcu_reader_inside(t->domain))
        return;
    urcu_memb_barrier();
    SMR_TSAN_ACQUIRE(&t->domain->tsan_barrier);
}

void urcu_reclaim_callback(struct rcu_head *head)
{
    struct urcu_node *n = caa_container_of(head, struct urcu_node, rcu);
    SMR_TSAN_ACQUIRE(n); /* before reading the header the retiring thread wrote */
    urcu_domain_t *d = n->domain;
    SMR_TSAN_ACQUIRE(&d->tsan_grace);
    smr_block_reclaim(&n->base, URCU_HEADER, &d->worker);
    SMR_TSAN_RELEASE(&d->tsan_barrier);
}

void urcu_stats(urcu_domain_t *d, struct smr_stats *out)
{
    smr_stats_collect(out, &d->threads, offsetof(urcu_thread_t, counters), &d->worker);
}

void urcu_domain_destroy(urcu_domain_t *d, struct smr_stats *final)
{
    smr_records_check_unused(&d->threads, urcu_info.name);
    /* Every handle has unregistered. liburcu skips rcu_barrier() inside a
       read-side section (a handle of another domain on this OS thread), and
       freeing the domain before its callbacks ran would be a use after free. */
    if (urcu_memb_read_ongoing()) {
        fprintf(stderr, "urcu: domain destroyed inside a read-side critical section\n");
        abort();
    }
    /* Every retire of this domain happened before: its callback has run.
       (memb's rcu_barrier does not need a registered caller.) */
    urcu_memb_barrier();
    SMR_TSAN_ACQUIRE(&d->tsan_barrier);
    if (final)
        urcu_stats(d, final);
    smr_records_free_all(&d->threads, NULL);
    free(d);
}
