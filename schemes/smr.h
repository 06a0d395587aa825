/*
 * smr.h - the scheme contract.
 *
 * A structure is written once against the generic names below and compiled
 * once per scheme with -DSMR_SCHEME=<c-prefix> -DSMR_SCHEME_HEADER="<x>.h".
 * The generic names are static inline wrappers around the scheme's own
 * (prefixed) functions, so after inlining there is no call, let alone an
 * indirect one, between a structure and its scheme: the C counterpart of a
 * C++ template parameter.
 *
 *   smr_domain_create(cfg)        one domain per structure instance; a
 *                                 cfg->hazard_slots above SMR_MAX_SLOTS stops
 *                                 the program with a message (every build)
 *   smr_domain_destroy(d, final)  reclaims everything still retired; every
 *                                 thread must have unregistered (a thread
 *                                 still registered stops the program with a
 *                                 message, every build). `final` (may be
 *                                 NULL) receives the last statistics.
 *   smr_thread_register(d)        per-thread handle (not thread-local: a test
 *   smr_thread_unregister(t)      may hold several). Unregister hands what the
 *                                 thread retired to the domain: nothing lost.
 *   smr_alloc(t, size)            node with the scheme's header in front
 *   smr_dealloc_unpublished(t, p) free a node no other thread ever saw
 *   smr_enter(t) / smr_leave(t)   bracket one operation; not nestable
 *   smr_protect(t, slot, src)     load *src; the result stays safe to use
 *                                 until leave or until `slot` is reused;
 *                                 slot < hazard_slots (checked builds check)
 *   smr_retire(t, p, fn, ctx)     p is unlinked: once no thread can reach it,
 *                                 run fn(p, ctx) (may be NULL), then free it.
 *                                 Called inside or outside enter/leave.
 *   smr_retire_after_rmw(t, p, fn, ctx)
 *                                 the same, when this thread unlinked p with
 *                                 an atomic read-modify-write (CAS, exchange)
 *                                 just before: a scheme that needs the unlink
 *                                 visible before it reads shared state may
 *                                 skip its own StoreLoad barrier where such
 *                                 an RMW is one (x86). Every other scheme
 *                                 treats it as smr_retire.
 *   smr_quiescent(t)              between operations: QSBR's announcement,
 *                                 Hyaline's release of its list; nothing for
 *                                 the others
 *   smr_flush(t)                  try to reclaim now (outside enter/leave)
 *   smr_stats(d, out)             sums of the per-thread counters
 *   smr_thread_stats(t, out)      one thread's counters (every scheme's thread
 *                                 struct has `struct smr_counters counters`)
 *   smr_scheme                    the scheme's description (smr_scheme_info)
 *
 * Pointers shared between threads are `smr_atomic_ptr` (an _Atomic(void *)).
 */
#ifndef SMR_H
#define SMR_H

#include "smr_common.h"

#if !defined(SMR_SCHEME) || !defined(SMR_SCHEME_HEADER)
#error "compile with -DSMR_SCHEME=<prefix> -DSMR_SCHEME_HEADER=\"<prefix>.h\""
#endif

#include SMR_SCHEME_HEADER

#define SMR_CAT_(a, b) a##_##b
#define SMR_CAT(a, b) SMR_CAT_(a, b)
/* The scheme's own name for `x`: SMR_FN(enter) is ebr_enter when SMR_SCHEME=ebr. */
#define SMR_FN(x) SMR_CAT(SMR_SCHEME, x)
/* A structure's symbol for this instantiation: SMR_MANGLE(stack_push) is stack_push__ebr. */
#define SMR_MANGLE(x) SMR_CAT(x##_, SMR_SCHEME)
#define SMR_STR_(x) #x
#define SMR_STR(x) SMR_STR_(x)

typedef SMR_FN(domain_t) smr_domain_t;
typedef SMR_FN(thread_t) smr_thread_t;

#define smr_scheme SMR_FN(info)

static inline smr_domain_t *smr_domain_create(const struct smr_config *cfg)
{
    return SMR_FN(domain_create)(cfg);
}
static inline void smr_domain_destroy(smr_domain_t *d, struct smr_stats *final)
{
    SMR_FN(domain_destroy)(d, final);
}
static inline smr_thread_t *smr_thread_register(smr_domain_t *d)
{
    return SMR_FN(thread_register)(d);
}
static inline void smr_thread_unregister(smr_thread_t *t)
{
    SMR_FN(thread_unregister)(t);
}
/*
 * The optional operations. A scheme writes only those it needs and says so
 * with `#define <prefix>_HAS_<OP> 1` beside its function (an undefined
 * name counts as 0 in #if); the others get the defaults below, which cost
 * nothing after inlining:
 *   ALLOC      smr_block_alloc with <prefix>_NODE_HEADER bytes in front
 *              (every scheme defines its header size as that name)
 *   ENTER, LEAVE, QUIESCENT, FLUSH
 *              nothing
 *   PROTECT    an acquire load: for schemes whose protection lasts the
 *              whole operation (epochs, quiescent states, RCU), the load
 *              only has to see the node's contents, published by the
 *              structure with a release store
 *   RETIRE_AFTER_RMW
 *              the scheme's retire
 * dealloc_unpublished always frees the block <prefix>_NODE_HEADER bytes
 * before the payload: nobody else saw the node, so no scheme has anything
 * to do but that.
 */
#define SMR_HAS(op) SMR_CAT(SMR_SCHEME, HAS_##op)
#define SMR_NODE_HEADER SMR_FN(NODE_HEADER)

static inline void *smr_alloc(smr_thread_t *t, size_t size)
{
#if SMR_HAS(ALLOC)
    return SMR_FN(alloc)(t, size);
#else
    (void)t;
    return (char *)smr_block_alloc(SMR_NODE_HEADER, size) + SMR_NODE_HEADER;
#endif
}
static inline void smr_dealloc_unpublished(smr_thread_t *t, void *p)
{
    (void)t;
    free((char *)p - SMR_NODE_HEADER);
}
static inline void smr_enter(smr_thread_t *t)
{
#if SMR_HAS(ENTER)
    SMR_FN(enter)(t);
#else
    (void)t;
#endif
}
static inline void smr_leave(smr_thread_t *t)
{
#if SMR_HAS(LEAVE)
    SMR_FN(leave)(t);
#else
    (void)t;
#endif
}
static inline void *smr_protect(smr_thread_t *t, unsigned slot, smr_atomic_ptr *src)
{
#if SMR_HAS(PROTECT)
    return SMR_FN(protect)(t, slot, src);
#else
    (void)t;
    (void)slot;
    /* acquire: the node's contents were published with a release store */
    return atomic_load_explicit(src, memory_order_acquire);
#endif
}
static inline void smr_retire(smr_thread_t *t, void *p, smr_reclaim_fn fn, void *ctx)
{
    SMR_FN(retire)(t, p, fn, ctx);
}
static inline void smr_retire_after_rmw(smr_thread_t *t, void *p, smr_reclaim_fn fn, void *ctx)
{
#if SMR_HAS(RETIRE_AFTER_RMW)
    SMR_FN(retire_after_rmw)(t, p, fn, ctx);
#else
    SMR_FN(retire)(t, p, fn, ctx);
#endif
}
static inline void smr_quiescent(smr_thread_t *t)
{
#if SMR_HAS(QUIESCENT)
    SMR_FN(quiescent)(t);
#else
    (void)t;
#endif
}
static inline void smr_flush(smr_thread_t *t)
{
#if SMR_HAS(FLUSH)
    SMR_FN(flush)(t);
#else
    (void)t;
#endif
}
static inline void smr_stats(smr_domain_t *d, struct smr_stats *out)
{
    SMR_FN(stats)(d, out);
}

static inline void smr_thread_stats(smr_thread_t *t, struct smr_stats *out)
{
    memset(out, 0, sizeof(*out));
    smr_stats_add_counters(out, &t->counters);
}

#endif /* SMR_H */
