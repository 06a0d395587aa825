/*
 * none.h - the leaky baseline: no reclamation work at all. Retired nodes are
 * counted and chained for teardown; they are freed only when the domain is
 * destroyed. Not a throughput ceiling: every allocation takes fresh memory.
 */
#ifndef SMR_NONE_H
#define SMR_NONE_H

#include "smr_common.h"

struct none_node {
    struct smr_node_base base;
};
#define NONE_HEADER SMR_HEADER_SIZE(struct none_node)

typedef struct none_thread {
    struct smr_record rec;
    struct none_domain *domain;
    struct smr_node_base *retired;      /* chained for domain destroy */
    struct smr_node_base *retired_tail;
    alignas(SMR_PAD_ALIGN) struct smr_counters counters;
} none_thread_t;

typedef struct none_domain {
    struct smr_record_list threads;
    struct smr_orphans orphans;
    struct smr_counters counters;       /* frees done at destroy */
} none_domain_t;

extern const struct smr_scheme_info none_info;

none_domain_t *none_domain_create(const struct smr_config *cfg);
void none_domain_destroy(none_domain_t *d, struct smr_stats *final);
none_thread_t *none_thread_register(none_domain_t *d);
void none_thread_unregister(none_thread_t *t);
void none_flush(none_thread_t *t);
void none_stats(none_domain_t *d, struct smr_stats *out);

static inline void *none_alloc(none_thread_t *t, size_t size)
{
    (void)t;
    return (char *)smr_block_alloc(NONE_HEADER, size) + NONE_HEADER;
}

static inline void none_dealloc_unpublished(none_thread_t *t, void *p)
{
    (void)t;
    free((char *)p - NONE_HEADER);
}

static inline void none_enter(none_thread_t *t) { (void)t; }
static inline void none_leave(none_thread_t *t) { (void)t; }
static inline void none_quiescent(none_thread_t *t) { (void)t; }

static inline void *none_protect(none_thread_t *t, unsigned slot, smr_atomic_ptr *src)
{
    (void)t;
    (void)slot;
    /* acquire: the node's contents were published with a release store */
    return atomic_load_explicit(src, memory_order_acquire);
}

static inline void none_retire(none_thread_t *t, void *p, smr_reclaim_fn fn, void *ctx)
{
    struct smr_node_base *n = (struct smr_node_base *)((char *)p - NONE_HEADER);
    smr_block_note_retire(n, fn, ctx, &t->counters);
    SMR_TEST_UNSAFE_RETIRE(n, NONE_HEADER, &t->counters);
    n->next = t->retired;
    if (!t->retired)
        t->retired_tail = n;
    t->retired = n;
}

#endif /* SMR_NONE_H */
