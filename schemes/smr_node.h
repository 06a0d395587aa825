/*
 * smr_node.h - the node header every scheme's begins with, the per-thread
 * counters and statistics, and the allocation, retire bookkeeping and
 * reclaim of one node (poisoned in checked builds).
 */
#ifndef SMR_NODE_H
#define SMR_NODE_H

#include "smr_base.h"
#include "smr_checked.h"

/*
 * Every scheme's node header begins with this. The payload handed to the
 * structure follows the scheme's whole header, 16-byte aligned.
 */
struct smr_node_base {
    struct smr_node_base *next; /* retired-list link, owned by the scheme */
    smr_reclaim_fn fn;          /* finaliser run before the block is freed, or NULL */
    void *ctx;
    size_t size;                /* payload bytes: unreclaimed-bytes accounting */
};

/*
 * Counters written only by their owner thread and read by anyone (sampler,
 * smr_stats) with relaxed loads. The owner increments with a relaxed
 * load+store, never an atomic RMW: no locked instruction on the hot path.
 */
struct smr_counters {
    _Atomic uint64_t retired;
    _Atomic uint64_t reclaimed; /* freed by this thread, whoever retired them */
    _Atomic uint64_t retired_bytes;
    _Atomic uint64_t reclaimed_bytes;
    _Atomic uint64_t scans;     /* slow-path reclamation attempts */
};

static inline void smr_counter_add(_Atomic uint64_t *c, uint64_t n)
{
    atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n,
                          memory_order_relaxed);
}

static inline uint64_t smr_counter_get(_Atomic uint64_t *c)
{
    return atomic_load_explicit(c, memory_order_relaxed);
}

struct smr_stats {
    uint64_t retired;
    uint64_t reclaimed;
    uint64_t retired_bytes;
    uint64_t reclaimed_bytes;
    uint64_t scans;
    uint64_t threads;     /* thread records ever created */
    uint64_t epoch;       /* global epoch/era where the scheme has one, else 0 */
};

static inline void smr_stats_add_counters(struct smr_stats *s, struct smr_counters *c)
{
    s->retired += smr_counter_get(&c->retired);
    s->reclaimed += smr_counter_get(&c->reclaimed);
    s->retired_bytes += smr_counter_get(&c->retired_bytes);
    s->reclaimed_bytes += smr_counter_get(&c->reclaimed_bytes);
    s->scans += smr_counter_get(&c->scans);
}

/* Header-size rounding so the payload stays 16-byte aligned. */
#define SMR_HEADER_SIZE(type) ((sizeof(type) + 15u) & ~(size_t)15u)

static inline void *smr_block_alloc(size_t header, size_t size)
{
    char *b = malloc(header + size);
    if (SMR_UNLIKELY(!b))
        abort();
    struct smr_node_base *n = (struct smr_node_base *)b;
    n->next = NULL;
    n->fn = NULL;
    n->ctx = NULL;
    n->size = size;
    return b;
}

/* Run the finaliser, poison (checked builds), count and free one node. */
static inline void smr_block_reclaim(struct smr_node_base *n, size_t header,
                                     struct smr_counters *c)
{
    void *payload = (char *)n + header;
    size_t size = n->size;
    if (n->fn)
        n->fn(payload, n->ctx);
#ifdef SMR_CHECKED
    memset(payload, SMR_POISON_BYTE, size);
#endif
    smr_counter_add(&c->reclaimed, 1);
    smr_counter_add(&c->reclaimed_bytes, size);
    free(n);
}

/* Reclaim a whole chain of retired nodes (linked through next) on `c`. */
static inline void smr_reclaim_chain(struct smr_node_base *n, size_t header,
                                     struct smr_counters *c)
{
    while (n) {
        struct smr_node_base *next = n->next;
        smr_block_reclaim(n, header, c);
        n = next;
    }
}

static inline void smr_block_note_retire(struct smr_node_base *n, smr_reclaim_fn fn,
                                         void *ctx, struct smr_counters *c)
{
    n->fn = fn;
    n->ctx = ctx;
    smr_counter_add(&c->retired, 1);
    smr_counter_add(&c->retired_bytes, n->size);
}

/*
 * The negative control, compiled into checked builds only: reclaim at once,
 * ignoring every reader. Each scheme's retire starts with this.
 */
#ifdef SMR_CHECKED
#define SMR_TEST_UNSAFE_RETIRE(n, header, counters)                                   \
    do {                                                                                \
        if (SMR_UNLIKELY(atomic_load_explicit(&smr_test_free_on_retire,                 \
                                              memory_order_relaxed))) {                 \
            smr_block_reclaim((n), (header), (counters));                               \
            return;                                                                     \
        }                                                                               \
    } while (0)
#else
#define SMR_TEST_UNSAFE_RETIRE(n, header, counters) ((void)0)
#endif

#endif /* SMR_NODE_H */
