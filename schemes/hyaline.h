/*
 * hyaline.h - Hyaline-S (Nikolaev and Ravindran, PODC 2019, PLDI 2021):
 * reference-counted batches of retired nodes, with eras for robustness.
 *
 * Each node carries its birth era (the global era when it was allocated;
 * every thread advances the global era once per `era_freq` allocations).
 * A thread announces, in `state`, the era it read at the first protect of
 * its current operation, raised by a later protect if the global era moved;
 * 0 outside an operation and before its first protect (it holds nothing
 * then). Retired nodes gather in a
 * per-thread batch; when the batch is full it is closed: for every thread
 * whose announced era is at least the batch's minimum birth era (any other
 * thread cannot hold one of its nodes: that is the robustness), one node of
 * the batch (a "slot") is pushed onto that thread's reservation list and
 * the batch's reference count grows by the number of pushes. A thread
 * releases its list when it leaves: the one that drops a batch's count to
 * zero frees the whole batch, so frees fall on the last reader out, not on
 * the retirer.
 *
 * The reservation list head is HYALINE_INACTIVE while no thread owns the
 * record (before register reuses it, after unregister): a push onto it
 * fails, so nothing is left on a list nobody will release. A thread that
 * merely left its operation keeps a live (NULL) head: leave is a plain
 * store of state = 0 and a load of the head, and a push that raced with it
 * (the closer read the old state) stays on the list until the thread's
 * next leave, quiescent state, flush or unregister: later than needed,
 * never early. smr_quiescent takes it back between operations, so a thread
 * that waits without operating still lets those batches go.
 */
#ifndef SMR_HYALINE_H
#define SMR_HYALINE_H

#include "smr_common.h"

struct hyaline_node {
    struct smr_node_base base;  /* base.next chains the nodes of one batch, first = ref node */
    union {
        uint64_t birth_era;             /* from alloc until the batch is closed */
        struct hyaline_node *batch;     /* a slot of a closed batch: the batch's ref node */
        _Atomic int64_t refs;           /* the ref node: pushes not yet released */
    } u;
    struct hyaline_node *slot_next;     /* link in a reservation list */
};
#define HYALINE_HEADER SMR_HEADER_SIZE(struct hyaline_node)

/* The reservation list head of a record no thread owns: pushes fail. */
#define HYALINE_INACTIVE ((struct hyaline_node *)(uintptr_t)1)

typedef struct hyaline_thread {
    struct smr_record rec;
    struct hyaline_domain *domain;
    /* Read (state) and pushed onto (head) by the threads closing batches. */
    alignas(SMR_PAD_ALIGN) _Atomic uint64_t state;  /* announced era, 0 = holds nothing */
    struct hyaline_node *_Atomic head;              /* slots of batches to release */
    /* Owner-only from here (and counters, read by the sampler). */
    alignas(SMR_PAD_ALIGN) _Atomic uint64_t *global_era; /* &domain->era */
    unsigned alloc_countdown;                       /* allocations until the next era tick */
    unsigned era_freq;                              /* refreshed at each tick */
    struct hyaline_node *batch;                     /* open batch, newest first */
    unsigned batch_count;                           /* real nodes in it */
    unsigned batch_size;                            /* close when batch_count reaches it */
    uint64_t batch_min_era;                         /* min birth era in the open batch */
    struct hyaline_thread **targets;                /* scratch for closing a batch */
    size_t targets_cap;
    struct smr_counters counters;
} hyaline_thread_t;

typedef struct hyaline_domain {
    alignas(SMR_PAD_ALIGN) _Atomic uint64_t era;    /* starts at 1: 0 means "no era" */
    struct smr_domain_base base;
    unsigned batch_size;
    long tuned_era_freq;                            /* the tunable; 0 = max(64, 8 x threads) */
} hyaline_domain_t;

extern const struct smr_scheme_info hyaline_info;
/* The node header in front of every payload (smr.h's default alloc). */
#define hyaline_NODE_HEADER HYALINE_HEADER
#ifdef SMR_CHECKED
/* Test-only planted bugs, see hyaline.c (tests/schemes/hyaline_scheme.c must catch them). */
extern _Atomic int hyaline_test_bug;
#endif

hyaline_domain_t *hyaline_domain_create(const struct smr_config *cfg);
void hyaline_domain_destroy(hyaline_domain_t *d, struct smr_stats *final);
hyaline_thread_t *hyaline_thread_register(hyaline_domain_t *d);
void hyaline_thread_unregister(hyaline_thread_t *t);
#define hyaline_HAS_FLUSH 1
void hyaline_flush(hyaline_thread_t *t);
void hyaline_stats(hyaline_domain_t *d, struct smr_stats *out);
/* Slow paths: advance the global era; close the open batch; release the
   reservation list (cold: laid out away from leave's fast path). */
void hyaline_tick(hyaline_thread_t *t);
void hyaline_close_batch(hyaline_thread_t *t);
__attribute__((cold)) void hyaline_release_list(hyaline_thread_t *t);

#define hyaline_HAS_ALLOC 1
static inline void *hyaline_alloc(hyaline_thread_t *t, size_t size)
{
    struct hyaline_node *n = smr_block_alloc(HYALINE_HEADER, size);
    if (SMR_UNLIKELY(--t->alloc_countdown == 0))
        hyaline_tick(t); /* before the read below: the ticking node is born in the new era */
    /* relaxed: the structure publishes the node with a release store after
       this read, so a thread that reaches it through an acquire load and
       then reads the era sees this value or a later one (read-read
       coherence): the era it announces covers the node. */
    n->u.birth_era = atomic_load_explicit(t->global_era, memory_order_relaxed);
    return (char *)n + HYALINE_HEADER;
}

/* No enter (smr.h's default does nothing): until its first protect the
   operation holds nothing (state is 0 since the last leave), so closers may
   skip it. */

#define hyaline_HAS_LEAVE 1
static inline void hyaline_leave(hyaline_thread_t *t)
{
    /* release: our reads of protected nodes happen before a closer that
       reads 0 here and frees without pushing to us */
    atomic_store_explicit(&t->state, 0, memory_order_release);
    smr_test_window();
    /* relaxed: a push we miss here stays on the list until our next leave,
       quiescent state, flush or unregister (late, never early); the
       release takes the list with acquire */
    if (SMR_UNLIKELY(atomic_load_explicit(&t->head, memory_order_relaxed) != NULL))
        hyaline_release_list(t);
}

/*
 * Between operations: take back what closers pushed after our last leave
 * had looked at the list (a closer that read our era just before that
 * leave). Nothing else would release it before our next leave, and a
 * thread that only waits between operations (dbmap's writer waiting for
 * the lock, calling smr_quiescent) would hold those batches, and whoever
 * waits for them, for ever. A state of 0 means no operation of ours holds
 * anything (outside one, or before its first protect), so every slot on
 * the list belongs to a finished operation (as in flush).
 */
#define hyaline_HAS_QUIESCENT 1
static inline void hyaline_quiescent(hyaline_thread_t *t)
{
    /* relaxed, both: our own state, written only by us; a push we miss is
       taken at our next leave, flush or quiescent state, and the release
       itself takes the list with acquire */
    if (atomic_load_explicit(&t->state, memory_order_relaxed) == 0 &&
        SMR_UNLIKELY(atomic_load_explicit(&t->head, memory_order_relaxed) != NULL))
        hyaline_release_list(t);
}

#define hyaline_HAS_PROTECT 1
static inline void *hyaline_protect(hyaline_thread_t *t, unsigned slot, smr_atomic_ptr *src)
{
    (void)slot;
    uint64_t e = atomic_load_explicit(t->global_era, memory_order_relaxed);
    /* relaxed: our own announcement, written only by us. 0 on the first
       protect of an operation; older than e if the era moved since. */
    bool announce = e != atomic_load_explicit(&t->state, memory_order_relaxed);
    for (;;) {
        /* StoreLoad: a closer that misses the announcement unlinked its
           nodes before our load below, which cannot return them. */
        if (SMR_UNLIKELY(announce))
            smr_publish_u64(&t->state, e);
        /* acquire: the node's contents and birth era were published with a release store */
        void *p = atomic_load_explicit(src, memory_order_acquire);
        smr_test_window(); /* a closer may unlink p and scan us here */
        /* relaxed: at least p's birth era (see hyaline_alloc) */
        uint64_t now = atomic_load_explicit(t->global_era, memory_order_relaxed);
        if (SMR_LIKELY(now == e))
            return p; /* announced e before loading p, and p's birth era <= e */
        /* The era moved: p may be younger than our announcement. */
        e = now;
        announce = true;
    }
}

static inline void hyaline_retire(hyaline_thread_t *t, void *p, smr_reclaim_fn fn, void *ctx)
{
    struct hyaline_node *n = (struct hyaline_node *)((char *)p - HYALINE_HEADER);
    smr_block_note_retire(&n->base, fn, ctx, &t->counters);
    SMR_TEST_UNSAFE_RETIRE(&n->base, HYALINE_HEADER, &t->counters);
    if (n->u.birth_era < t->batch_min_era)
        t->batch_min_era = n->u.birth_era;
    n->base.next = (struct smr_node_base *)t->batch; /* base is the first member */
    t->batch = n;
    if (SMR_UNLIKELY(++t->batch_count >= t->batch_size))
        hyaline_close_batch(t);
}

#endif /* SMR_HYALINE_H */
