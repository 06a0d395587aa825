/*
 * hp_asym.h - hazard pointers with an asymmetric fence (CLI name "hp-asym").
 *
 * Michael's hazard pointers (hp.h) with the StoreLoad barrier moved out of
 * protect, which runs on every read, into the scan, which runs once per R
 * retires: protect publishes the hazard with a release store and only a
 * compiler barrier before re-validating; the scanning thread calls
 * membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) after its unlinks and
 * before it reads the hazard slots.
 *
 * Why that is enough. protect needs: if the scanner does not see our
 * hazard, our re-validating load sees its unlink. membarrier returns only
 * after every CPU running a thread of this process has executed a full
 * barrier (sent by IPI), and it is a full barrier for the caller itself.
 * Take a reader R and the point where its CPU executes that barrier:
 *   - R's hazard store is before it: the barrier makes the store visible
 *     before membarrier returns, so the scan's later loads see the hazard;
 *   - R's hazard store is after it: then so is R's re-validating load
 *     (the compiler barrier keeps program order, the hardware cannot move
 *     a load before a full barrier), and the barrier is after the
 *     scanner's unlink (membarrier starts with a full barrier on the
 *     scanner), so the load sees the unlink: R retries and drops the node.
 * A thread that is not running has no store in flight: the kernel passes
 * a full barrier when it switches it out and another when it switches it
 * back in, which plays the part of the IPI. In the C11 model membarrier
 * turns each running thread's atomic_signal_fence into a seq_cst fence, as
 * a signal handler running one would.
 *
 * Where membarrier is missing or refused (old kernel, container seccomp)
 * or SMR_HP_ASYM_FALLBACK=1 is set, the domain falls back to hp's
 * behaviour: protect publishes with a full barrier (smr_publish_ptr), the
 * scan issues a fence. The choice is made at domain creation, copied into
 * each thread record (t->asym) and read by protect on a line it already
 * reads: one well-predicted compare and branch, no indirect call. A note
 * on stderr (once per process) and `smrbench list` say which mode runs.
 *
 * TSan sees neither fences nor membarrier: its happens-before edges come
 * from the release store of the hazard (and of leave's clear) and the
 * scan's acquire load, as in hp. Robust: a stalled thread pins at most its
 * slots. The automatic R has a floor of 1024 instead of hp's 64, so the
 * scan's system call is amortised (hp_asym.c); the garbage bound is hp's
 * formula with that R.
 */
#ifndef SMR_HP_ASYM_H
#define SMR_HP_ASYM_H

#include "hp.h"

/* The same records and nodes as hp: only protect and the scan barrier differ. */
typedef hp_domain_t hp_asym_domain_t;
typedef hp_thread_t hp_asym_thread_t;

extern const struct smr_scheme_info hp_asym_info;
/* The node header in front of every payload (smr.h's default alloc). */
#define hp_asym_NODE_HEADER HP_HEADER

hp_asym_domain_t *hp_asym_domain_create(const struct smr_config *cfg);
hp_asym_thread_t *hp_asym_thread_register(hp_asym_domain_t *d);
void hp_asym_thread_unregister(hp_asym_thread_t *t);
#define hp_asym_HAS_FLUSH 1
void hp_asym_flush(hp_asym_thread_t *t);
void hp_asym_scan(hp_asym_thread_t *t);

static inline void hp_asym_domain_destroy(hp_asym_domain_t *d, struct smr_stats *final)
{
    hp_domain_destroy(d, final);
}

static inline void hp_asym_stats(hp_asym_domain_t *d, struct smr_stats *out)
{
    hp_stats(d, out);
}

#define hp_asym_HAS_LEAVE 1
static inline void hp_asym_leave(hp_asym_thread_t *t)
{
    hp_leave(t);
}

#define hp_asym_HAS_PROTECT 1
static inline void *hp_asym_protect(hp_asym_thread_t *t, unsigned slot, smr_atomic_ptr *src)
{
    /* Decided at domain creation, the same on every call: well predicted.
       Read once, so compilers unswitch the loop: the cost is one compare
       and branch (cmpb + je, one fused uop on x86) per protect. */
    smr_check_slot(slot, t->nslots);
    const bool asym = t->asym;
    void *p = atomic_load_explicit(src, memory_order_relaxed);
    for (;;) {
        smr_test_window();
        if (SMR_LIKELY(asym)) {
            /* release: our reads of whatever this slot protected before
               happen before a scanner that sees the new value (and give
               TSan that edge). */
            atomic_store_explicit(&t->hazard[slot], p, memory_order_release);
            /* Compiler barrier only: the reload stays after the store in
               program order; the CPU may still let it pass the store, and
               the scanner's membarrier covers exactly that (see above). */
            atomic_signal_fence(memory_order_seq_cst);
        } else {
            /* Fallback: hp's publish with a full StoreLoad barrier. */
            smr_publish_ptr(&t->hazard[slot], p);
        }
        /* seq_cst (a plain load on x86, ldar on arm64): hp's re-validation;
           it also acquires the node's contents. */
        void *q = atomic_load_explicit(src, memory_order_seq_cst);
        if (SMR_LIKELY(q == p))
            return p;
        p = q;
    }
}

static inline void hp_asym_retire(hp_asym_thread_t *t, void *p, smr_reclaim_fn fn, void *ctx)
{
    hp_retire_then(t, p, fn, ctx, hp_asym_scan);
}

#endif /* SMR_HP_ASYM_H */
