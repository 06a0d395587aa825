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
    struct smr_domain_base base;
} none_domain_t;

extern const struct smr_scheme_info none_info;
/* The node header in front of every payload (smr.h's default alloc). */
#define none_NODE_HEADER NONE_HEADER

none_domain_t *none_domain_create(const struct smr_config *cfg);
void none_domain_destroy(none_domain_t *d, struct smr_stats *final);
none_thread_t *none_thread_register(none_domain_t *d);
void none_thread_unregister(none_thread_t *t);
void none_stats(none_domain_t *d, struct smr_stats *out);

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
