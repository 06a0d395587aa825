/* urcu.c - slow paths of the liburcu adapter: registration, flush, teardown. */
#include "urcu.h"

#include <pthread.h>
#include <sched.h>
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
    .guarantee = "unbounded: a reader stalled inside an operation holds every grace period; "
                 "without one, liburcu's single call_rcu thread frees for every thread, so "
                 "once retires outpace one core the queue grows for as long as they do",
    .ntunables = 0,
};

_Thread_local char urcu_thread_token;
/* Every live urcu domain of the process, for flush's look at every reader
   (liburcu's grace periods span all of them). Slow paths only. */
static pthread_mutex_t urcu_domains_lock = PTHREAD_MUTEX_INITIALIZER;
static urcu_domain_t *urcu_domains;
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
    (void)smr_config_slots(cfg, 1, urcu_info.name); /* checked; protect ignores slots */
    urcu_domain_t *d = smr_record_alloc(sizeof(urcu_domain_t));
    smr_domain_base_init(&d->base, urcu_info.name, URCU_HEADER, sizeof(urcu_thread_t),
                         offsetof(urcu_thread_t, counters));
    pthread_mutex_lock(&urcu_domains_lock);
    d->next_domain = urcu_domains;
    urcu_domains = d;
    pthread_mutex_unlock(&urcu_domains_lock);
    return d;
}

static void urcu_thread_init(struct smr_record *r, void *domain)
{
    ((urcu_thread_t *)r)->domain = domain;
}

urcu_thread_t *urcu_thread_register(urcu_domain_t *d)
{
    urcu_thread_t *t = (urcu_thread_t *)smr_domain_base_register(&d->base, urcu_thread_init, d);
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

/* Is a reader of any urcu domain of the process inside an operation? */
static bool urcu_reader_inside_anywhere(void)
{
    bool inside = false;
    pthread_mutex_lock(&urcu_domains_lock);
    for (urcu_domain_t *d = urcu_domains; d && !inside; d = d->next_domain)
        for (struct smr_record *r = smr_records_first(&d->base.threads); r && !inside;
             r = smr_records_next(r))
            /* relaxed: a hint, re-read on every round of flush's wait */
            inside = atomic_load_explicit(&((urcu_thread_t *)r)->inside, memory_order_relaxed);
    pthread_mutex_unlock(&urcu_domains_lock);
    return inside;
}

/* Nodes the domain's handles gave call_rcu so far: what they retired less
   what they freed themselves (only the checked build's free-on-retire
   control does). Relaxed sums of other threads' counters: a retire seen
   here is queued by now or soon (its thread is between the two steps). */
static uint64_t urcu_queued(urcu_domain_t *d)
{
    uint64_t queued = 0;
    for (struct smr_record *r = smr_records_first(&d->base.threads); r; r = smr_records_next(r)) {
        struct smr_counters *c = &((urcu_thread_t *)r)->counters;
        uint64_t retired = smr_counter_get(&c->retired), freed = smr_counter_get(&c->reclaimed);
        queued += retired > freed ? retired - freed : 0;
    }
    return queued;
}

/*
 * "Try to reclaim now", without ever waiting for a reader. A grace period
 * of liburcu waits for the readers of every domain of the process, and any
 * of them may be waiting for us (a test's holder, a stalled thread, a
 * writer that holds a lock we will release): rcu_barrier() from here could
 * wait for ever, and checking this domain's readers before calling it
 * neither sees the other domains' nor stops a reader entering just after.
 * So flush never calls it. It waits for liburcu's worker thread (which
 * waits for the grace periods itself) to run the callbacks of what this
 * domain retired so far, re-checking on every round that no reader of any
 * domain is inside, and gives up as soon as one is: then it reclaims
 * nothing, as the contract allows. It also gives up inside this OS
 * thread's own read-side section. With no reader inside, the worker's
 * grace period ends and flush returns with everything retired so far freed.
 */
void urcu_flush(urcu_thread_t *t)
{
    urcu_check_owner(t);
    smr_counter_add(&t->counters.scans, 1);
    urcu_domain_t *d = t->domain;
    uint64_t queued = urcu_queued(d);
    /* acquire: pairs with the callbacks' release, so their frees (and
       finalisers) happen before our return */
    while (atomic_load_explicit(&d->callbacks_run, memory_order_acquire) < queued) {
        if (urcu_memb_read_ongoing() || urcu_reader_inside_anywhere())
            return;
        sched_yield();
    }
}

void urcu_reclaim_callback(struct rcu_head *head)
{
    struct urcu_node *n = caa_container_of(head, struct urcu_node, rcu);
    SMR_TSAN_ACQUIRE(n); /* before reading the header the retiring thread wrote */
    urcu_domain_t *d = n->domain;
    SMR_TSAN_ACQUIRE(&d->tsan_grace);
    smr_block_reclaim(&n->base, URCU_HEADER, &d->worker);
    /* release: this free happens before a flush that reads the new count
       (one worker: the only writer) */
    atomic_store_explicit(&d->callbacks_run,
                          atomic_load_explicit(&d->callbacks_run, memory_order_relaxed) + 1,
                          memory_order_release);
    /* Last: everything this callback did to the domain happens before
       destroy's rcu_barrier returns (TSan cannot see liburcu's hand-off). */
    SMR_TSAN_RELEASE(&d->tsan_barrier);
}

void urcu_stats(urcu_domain_t *d, struct smr_stats *out)
{
    smr_domain_base_stats(&d->base, out);
    smr_stats_add_counters(out, &d->worker);
}

void urcu_domain_destroy(urcu_domain_t *d, struct smr_stats *final)
{
    smr_domain_base_teardown(&d->base); /* no orphans: liburcu holds what was retired */
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
    pthread_mutex_lock(&urcu_domains_lock);
    urcu_domain_t **p = &urcu_domains;
    while (*p != d)
        p = &(*p)->next_domain;
    *p = d->next_domain;
    pthread_mutex_unlock(&urcu_domains_lock);
    if (final)
        urcu_stats(d, final);
    smr_domain_base_free(&d->base, NULL);
    free(d);
}
