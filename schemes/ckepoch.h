/*
 * ckepoch.h - ConcurrencyKit's epoch reclamation (ck_epoch) through the
 * scheme contract. (Prefix `ckepoch`, CLI name `ck-epoch`: the library owns
 * the ck_epoch_* names.)
 *
 * Each handle owns one ck_epoch_record, so several handles in one OS thread
 * are independent readers (ck keeps no thread-local state). enter/leave are
 * ck_epoch_begin/end without a section object: sections only matter when
 * sections on one record overlap, and enter is not nestable. retire is
 * ck_epoch_call (the node's ck_epoch_entry_t is in our header); every
 * `threshold` retires the handle runs ck_epoch_poll, which may advance the
 * global epoch and runs the callbacks of the epochs it proved safe: finaliser,
 * poison (checked builds), free, counted on the polling handle. Not robust: a
 * record active in an old epoch stops every advance.
 *
 * ck frees a node tagged with epoch e once the global epoch reaches e+2, so
 * the tag must be read after the unlink is visible. ck_epoch_call reads it
 * without a fence, which is right after ck's own CAS unlinks (a full barrier
 * on x86) but not after a plain-store unlink, which our contract allows:
 * retire issues a StoreLoad fence first; retire_after_rmw (the caller
 * unlinked with a locked RMW) does not on x86.
 *
 * Unregister loses nothing: ck_epoch_unregister would drop the record's
 * pending callbacks, so they are first moved to the domain's orphan record
 * (a record that never enters) with ck_epoch_call_strict, which tags them
 * with the current epoch - no earlier than their own, so still safe. Polls
 * and flushes also poll the orphan record; domain destroy runs what is left.
 */
#ifndef SMR_CKEPOCH_H
#define SMR_CKEPOCH_H

#include <pthread.h>

#include "smr_common.h"
#include "smr_tsan.h"

#include <ck_epoch.h>

struct ckepoch_node {
    struct smr_node_base base;
    ck_epoch_entry_t entry;     /* ck's deferred-callback link */
};
#define CKEPOCH_HEADER SMR_HEADER_SIZE(struct ckepoch_node)

typedef struct ckepoch_thread {
    /* ck's record: active and epoch are read by every poll. */
    alignas(SMR_PAD_ALIGN) ck_epoch_record_t record;
    /* Owner-only (and counters, read by the sampler). */
    alignas(SMR_PAD_ALIGN) struct smr_record list; /* the domain's handles (stats, destroy) */
    struct ckepoch_domain *domain;
    unsigned since_poll;
    unsigned threshold;                         /* refreshed at each poll */
    struct smr_counters counters;
} ckepoch_thread_t;

typedef struct ckepoch_domain {
    alignas(SMR_PAD_ALIGN) ck_epoch_t epoch;    /* ck's global epoch and record list */
    alignas(SMR_PAD_ALIGN) ck_epoch_record_t orphans; /* callbacks of unregistered handles */
    alignas(SMR_PAD_ALIGN) pthread_mutex_t orphans_lock; /* serialises the orphan record */
    struct smr_record_list threads;
    long tuned_threshold;                       /* the tunable; 0 = max(64, threads) */
    struct smr_counters counters;               /* frees done at destroy */
    char tsan_grace; /* TSan build: stands for ck's grace period (every leave before a later poll) */
} ckepoch_domain_t;

extern const struct smr_scheme_info ckepoch_info;
/* The node header in front of every payload (smr.h's default alloc). */
#define ckepoch_NODE_HEADER CKEPOCH_HEADER

ckepoch_domain_t *ckepoch_domain_create(const struct smr_config *cfg);
void ckepoch_domain_destroy(ckepoch_domain_t *d, struct smr_stats *final);
ckepoch_thread_t *ckepoch_thread_register(ckepoch_domain_t *d);
void ckepoch_thread_unregister(ckepoch_thread_t *t);
#define ckepoch_HAS_FLUSH 1
void ckepoch_flush(ckepoch_thread_t *t);
void ckepoch_stats(ckepoch_domain_t *d, struct smr_stats *out);
/* Slow path of retire: poll this handle's record and the orphans. */
void ckepoch_collect(ckepoch_thread_t *t);
/* ck_epoch_call's callback: runs inside a poll of the record holding it. */
void ckepoch_reclaim_callback(ck_epoch_entry_t *entry);

#define ckepoch_HAS_ENTER 1
static inline void ckepoch_enter(ckepoch_thread_t *t)
{
    /* ck orders the active flag before our reads (xchg on x86, else a full
       fence) and then snapshots the global epoch. */
    ck_epoch_begin(&t->record, NULL);
    /*
     * Acquire fence (LoadLoad + LoadStore): ck_epoch_begin's read of the
     * global epoch, a plain load after its fence, must complete before the
     * operation's pointer loads. protect's acquire loads order only what
     * follows them, so on a weakly ordered CPU (aarch64, POWER) a protect
     * could return node n before that epoch read executes: R announces
     * active and fences; R's protect loads n; X unlinks n and ck_epoch_call
     * tags it e-1; a poll moves the epoch from e-1 to e (R's record still
     * shows its last epoch, e-1); R's delayed read returns e and R records
     * e; the next poll sees every active record at e, moves to e+1 and
     * frees what was tagged e-1, n among it, while R reads n. With the
     * fence, R's epoch read precedes its load of n. If it returned e: X's
     * unlink, then (its retire's fence) X's tag read of e-1, then (the
     * epoch's coherence order) the advance to e, then R's read of e, then
     * (this fence) R's load: each step is ordered, so the load sees the
     * unlink and cannot return n. If it returned e-1, R's record holds e-1
     * and no poll passes e while R is active. On x86 (TSO: loads are not
     * reordered with loads) ck makes this a compiler barrier: free.
     */
    ck_pr_fence_load();
}

#define ckepoch_HAS_LEAVE 1
static inline void ckepoch_leave(ckepoch_thread_t *t)
{
    SMR_TSAN_RELEASE(&t->domain->tsan_grace);
    /* ck issues a release fence before clearing the active flag. */
    ck_epoch_end(&t->record, NULL);
}

/* Tag and queue the node with ck; `unlink_visible`: the unlink is already
   ordered before ck_epoch_call's read of the epoch. */
static inline void ckepoch_retire_node(ckepoch_thread_t *t, void *p, smr_reclaim_fn fn, void *ctx,
                                       bool unlink_visible)
{
    struct ckepoch_node *n = (struct ckepoch_node *)((char *)p - CKEPOCH_HEADER);
    smr_block_note_retire(&n->base, fn, ctx, &t->counters);
    SMR_TEST_UNSAFE_RETIRE(&n->base, CKEPOCH_HEADER, &t->counters);
    /* StoreLoad: the unlink is visible before ck_epoch_call reads the epoch
       it tags the node with (see the header comment). */
    if (!unlink_visible)
        ck_pr_fence_store_load();
    ck_epoch_call(&t->record, &n->entry, ckepoch_reclaim_callback);
    if (SMR_UNLIKELY(++t->since_poll >= t->threshold))
        ckepoch_collect(t);
}

static inline void ckepoch_retire(ckepoch_thread_t *t, void *p, smr_reclaim_fn fn, void *ctx)
{
    ckepoch_retire_node(t, p, fn, ctx, false);
}

/* The caller's unlink was a locked RMW: on x86 a full barrier, which drains
   the store buffer (the unlink is visible) before any later load, so the
   fence would be a second one. That is how ck's own users call
   ck_epoch_call. Elsewhere an RMW need not order later plain loads: fence. */
#define ckepoch_HAS_RETIRE_AFTER_RMW 1
static inline void ckepoch_retire_after_rmw(ckepoch_thread_t *t, void *p, smr_reclaim_fn fn,
                                            void *ctx)
{
#if defined(__x86_64__) || defined(__i386__)
    atomic_signal_fence(memory_order_seq_cst); /* keep the compiler from moving ck's load up */
    ckepoch_retire_node(t, p, fn, ctx, true);
#else
    ckepoch_retire_node(t, p, fn, ctx, false);
#endif
}

#endif /* SMR_CKEPOCH_H */
