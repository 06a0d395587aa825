/*
 * test_node.h - the node the scheme tests retire: a magic word a finaliser
 * or a reader checks (a reclaimed node is poisoned in the checked core, so
 * a premature free shows), and the counter its finaliser increments.
 */
#ifndef TEST_NODE_H
#define TEST_NODE_H

#include <stdint.h>

#include "smr.h"

#define TNODE_MAGIC 0x600dc0ffee15600dull

struct tnode {
    uint64_t magic;
    _Atomic int *reclaimed; /* finaliser counts here */
};

/* The finaliser to retire a tnode with: checks its magic, counts it. */
static inline void tnode_reclaim(void *p, void *ctx)
{
    struct tnode *n = p;
    (void)ctx;
    if (n->magic != TNODE_MAGIC)
        smr_check_failed("finaliser saw a corrupted node", p);
    atomic_fetch_add(n->reclaimed, 1);
}

static inline struct tnode *tnode_new(smr_thread_t *t, _Atomic int *counter)
{
    struct tnode *n = smr_alloc(t, sizeof(*n));
    n->magic = TNODE_MAGIC;
    n->reclaimed = counter;
    return n;
}

#endif /* TEST_NODE_H */
