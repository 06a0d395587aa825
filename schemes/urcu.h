/*
 * urcu.h - liburcu (userspace RCU, memb flavour) through the scheme contract.
 *
 * enter/leave are liburcu's inline read-side lock and unlock (_LGPL_SOURCE);
 * retire hands the node to call_rcu, whose worker thread runs our callback
 * after a grace period: finaliser, poison (checked builds), free, count.
 * protect is a plain acquire load (rcu_dereference). Not robust: a reader
 * stalled inside an operation holds back every grace period.
 *
 * Threading model. liburcu registers OS threads, not handles, and its
 * read-side section nests per OS thread. Our handles are explicit and one
 * OS thread may hold several (tests do), so:
 *   - the OS thread is registered with liburcu when it registers its first
 *     handle (of any domain) and unregistered when it drops its last one;
 *   - each handle's enter/leave is one read_lock/read_unlock. liburcu counts
 *     the nesting, so the thread's section lasts from the first enter to the
 *     last leave of any of its handles: a superset of every handle's own
 *     operation, in any interleaving. Handle B leaving can never end the
 *     protection handle A still needs.
 *   - a handle is used only by the OS thread that registered it (the
 *     registration and the nesting count are that thread's). Checked builds
 *     verify this in enter and leave.
 *
 * Domains. liburcu has one RCU domain per flavour, shared by the whole
 * process. Our per-structure domain is bookkeeping on top of it: its
 * handles (for statistics and flush) and the counters of frees done on
 * liburcu's call_rcu worker thread. A reader of any domain delays every
 * domain's frees. Destroy = rcu_barrier(): every callback queued so far has
 * run. Flush never waits for a reader (see urcu.c).
 *
 * Garbage: unbounded, also without a stall. One worker thread runs every
 * callback of the process after a grace period; once retires outpace what
 * one core frees, the queue grows for as long as they do.
 */
#ifndef SMR_URCU_H
#define SMR_URCU_H

#include "smr_common.h"
#include "smr_tsan.h"

#ifndef _LGPL_SOURCE
#define _LGPL_SOURCE /* liburcu's read side inlined into the caller */
#endif
#include <urcu/urcu-memb.h>

struct urcu_node {
    struct smr_node_base base;
    struct rcu_head rcu;        /* call_rcu's queue link and callback */
    struct urcu_domain *domain; /* whose worker counters the callback uses */
};
#define URCU_HEADER SMR_HEADER_SIZE(struct urcu_node)

typedef struct urcu_thread {
    struct smr_record rec;
    struct urcu_domain *domain;
    /* Owner-written; `inside` is also read by flush on other threads. */
    alignas(SMR_PAD_ALIGN) _Atomic int inside;
    const char *owner;           /* urcu_thread_token of the registering OS thread */
    struct smr_counters counters;
} urcu_thread_t;

typedef struct urcu_domain {
    struct smr_domain_base base;
    /* Frees done by the callbacks on liburcu's call_rcu worker thread. One
       worker runs them (liburcu's default; we create no per-CPU workers), so
       this block has a single writer. */
    alignas(SMR_PAD_ALIGN) struct smr_counters worker;
    /* Callbacks run, stored with release after each: flush acquires it. */
    _Atomic uint64_t callbacks_run;
    struct urcu_domain *next_domain; /* the process's domains (urcu.c), under its lock */
    /* TSan build only: addresses standing for liburcu's grace period (every
       leave happens before a later callback) and for rcu_barrier (every
       callback happens before the barrier returns). */
    alignas(SMR_PAD_ALIGN) char tsan_grace;
    char tsan_barrier;
} urcu_domain_t;

extern const struct smr_scheme_info urcu_info;
/* The node header in front of every payload (smr.h's default alloc). */
#define urcu_NODE_HEADER URCU_HEADER
/* One per OS thread: its address identifies the thread (checked builds). */
extern _Thread_local char urcu_thread_token;

urcu_domain_t *urcu_domain_create(const struct smr_config *cfg);
void urcu_domain_destroy(urcu_domain_t *d, struct smr_stats *final);
urcu_thread_t *urcu_thread_register(urcu_domain_t *d);
void urcu_thread_unregister(urcu_thread_t *t);
#define urcu_HAS_FLUSH 1
void urcu_flush(urcu_thread_t *t);
void urcu_stats(urcu_domain_t *d, struct smr_stats *out);
/* call_rcu's callback: runs on liburcu's worker thread after a grace period. */
void urcu_reclaim_callback(struct rcu_head *head);
#ifdef SMR_CHECKED
/* A handle used by another OS thread: liburcu would not see its reads. */
void urcu_wrong_thread(urcu_thread_t *t);
#endif

static inline void urcu_check_owner(urcu_thread_t *t)
{
#ifdef SMR_CHECKED
    if (SMR_UNLIKELY(t->owner != &urcu_thread_token))
        urcu_wrong_thread(t);
#else
    (void)t;
#endif
}

#define urcu_HAS_ENTER 1
static inline void urcu_enter(urcu_thread_t *t)
{
    urcu_check_owner(t);
    /* liburcu orders the section's start before our reads of shared
       pointers (membarrier on the grace-period side, or a full fence here
       where the kernel lacks it). */
    urcu_memb_read_lock();
    /* relaxed: only flush's "do not wait on a reader" test reads it; safety
       never depends on it */
    atomic_store_explicit(&t->inside, 1, memory_order_relaxed);
}

#define urcu_HAS_LEAVE 1
static inline void urcu_leave(urcu_thread_t *t)
{
    urcu_check_owner(t);
    atomic_store_explicit(&t->inside, 0, memory_order_relaxed);
    SMR_TSAN_RELEASE(&t->domain->tsan_grace);
    /* liburcu orders our reads of nodes before the section's end. */
    urcu_memb_read_unlock();
}

static inline void urcu_retire(urcu_thread_t *t, void *p, smr_reclaim_fn fn, void *ctx)
{
    struct urcu_node *n = (struct urcu_node *)((char *)p - URCU_HEADER);
    smr_block_note_retire(&n->base, fn, ctx, &t->counters);
    SMR_TEST_UNSAFE_RETIRE(&n->base, URCU_HEADER, &t->counters);
    n->domain = t->domain;
    /* call_rcu's queue orders our header writes before the callback. */
    SMR_TSAN_RELEASE(n);
    urcu_memb_call_rcu(&n->rcu, urcu_reclaim_callback);
}

#endif /* SMR_URCU_H */
