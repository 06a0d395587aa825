/*
 * bench_glue.h - what every structure's benchmark glue shares, written
 * once: the thread context's common part (the structure, the scheme
 * handle, the result sink) and the bench_ops members that reach the scheme
 * only through it: domain_config, detach, stall, thread_stats and stats
 * (BG_BENCH_OPS_COMMON). A structure's <name>_bench.c writes what is its
 * own: create, destroy, attach (bg_thread_new, then its own fields),
 * prefill, read, write, and optional members.
 *
 * The glue file defines, before including this one,
 *   BG_SET              the structure its threads operate on (struct stack, ...)
 *   BG_OWN              its own per-thread state, a struct type (bt->own)
 *   BG_DOMAIN(s)        the reclamation domain of `s`, the void * create returned
 *   BG_SLOTS            the hazard slots it uses
 *   BG_MAX_LIVE(p)      the most nodes allocated and not yet retired at once
 *                       for the bench_params `p` (the schemes' L)
 *   BG_STALL_LINK(set)  the link a stalled thread protects (slot 0)
 *   BG_STALL_READ(node) optional: what the stalled thread reads of that node
 *                       once it wakes, proving it was not reclaimed under it
 *                       (default: nothing, its address goes to the sink)
 *
 * Everything here is static and compiled into the pair's translation unit
 * with the structure (<name>_bench.c includes <name>.c): read and write
 * stay the run loop's one indirect call, everything below them inlined.
 */
#ifndef BENCH_GLUE_H
#define BENCH_GLUE_H

#include "bench_ops.h"

struct bench_thread {
    BG_SET *set;
    smr_thread_t *smr;
    uint64_t sink;      /* keeps read values alive for the optimiser */
    BG_OWN own;
};

#ifndef BG_STALL_READ
#define BG_STALL_READ(node) ((uintptr_t)(node))
#endif

static void bg_domain_config(const struct bench_params *p, struct smr_config *out)
{
    *out = p->smr;
    out->hazard_slots = BG_SLOTS;
    out->max_live = BG_MAX_LIVE(p);
}

/* A zeroed thread context on `set`, registered with the domain of `s`. */
static inline struct bench_thread *bg_thread_new(void *s, BG_SET *set)
{
    struct bench_thread *bt = smr_record_alloc(sizeof(*bt));
    bt->set = set;
    bt->smr = smr_thread_register(BG_DOMAIN(s));
    return bt;
}

static inline void bg_detach(void *ctx)
{
    struct bench_thread *bt = ctx;
    smr_thread_unregister(bt->smr);
    free(bt);
}

/* Inside an operation (enter, protect) for the stall, then leave. */
static void bg_stall(void *ctx, double seconds, _Atomic int *cancel)
{
    struct bench_thread *bt = ctx;
    smr_enter(bt->smr);
    void *node = smr_protect(bt->smr, 0, BG_STALL_LINK(bt->set));
    bench_stall_sleep(seconds, cancel);
    bt->sink += BG_STALL_READ(node);
    smr_leave(bt->smr);
}

static void bg_thread_stats(void *ctx, struct smr_stats *out)
{
    smr_thread_stats(((struct bench_thread *)ctx)->smr, out);
}

static void bg_stats(void *s, struct smr_stats *out)
{
    smr_stats(BG_DOMAIN(s), out);
}

/* The bench_ops members every structure over smr.h fills alike. */
#define BG_BENCH_OPS_COMMON                                                                   \
    .domain_config = bg_domain_config, .stall = bg_stall, .thread_stats = bg_thread_stats,    \
    .stats = bg_stats

#endif /* BENCH_GLUE_H */
