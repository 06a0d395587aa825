/*
 * bst_node.h - the Natarajan-Mittal tree's node, its edge bits and its
 * walk over a quiescent tree: what does not depend on the scheme (the
 * algorithm, written against smr.h, is in bst.c).
 *
 * Leaf-oriented: keys live in leaves, internal nodes only route (a key
 * below an internal node's key goes left, else right), and every internal
 * node has two children. The low two bits of a child edge are NM's:
 *   flag  the leaf at its end is being deleted (set by the delete's
 *         injection CAS; the edge never changes again except for a tag)
 *   tag   the node holding the edge is being removed and the edge is
 *         frozen: it will never change again (set on the sibling of a
 *         flagged edge by a cleanup, just before the CAS that removes it)
 * Three sentinel keys above every user key (INF0 < INF1 < INF2) give the
 * tree a fixed top, root R(INF2) -> S(INF1) -> leaf INF0, so no operation
 * meets an empty tree or an edge without an ancestor.
 */
#ifndef BST_NODE_H
#define BST_NODE_H

#include "../schemes/smr_common.h"

struct bst_node {
    uint64_t key;
    smr_atomic_ptr child[2]; /* left, right (| BST_FLAG, BST_TAG); both NULL in a leaf */
#ifdef SMR_CHECKED
    uint64_t canary;
#endif
};

#define BST_FLAG ((uintptr_t)1)
#define BST_TAG ((uintptr_t)2)
#define BST_BITS (BST_FLAG | BST_TAG)
#define BST_CANARY 0xb57c0de5eed1eaf5ull

/* The sentinels' keys; user keys are below BST_INF0. */
#define BST_INF0 (UINT64_MAX - 2)
#define BST_INF1 (UINT64_MAX - 1)
#define BST_INF2 UINT64_MAX

#ifdef SMR_CHECKED
static inline void bst_check(const struct bst_node *n)
{
    if (SMR_UNLIKELY(n->canary != BST_CANARY))
        smr_check_failed("bst: node read after reclamation (canary)", n);
}
#else
static inline void bst_check(const struct bst_node *n) { (void)n; }
#endif

static inline struct bst_node *bst_addr(void *edge)
{
    return (struct bst_node *)((uintptr_t)edge & ~BST_BITS);
}

static inline uintptr_t bst_bits(void *edge)
{
    return (uintptr_t)edge & BST_BITS;
}

/* Which child a key goes to: 0 (left) below the node's key, else 1. */
static inline unsigned bst_dir(const struct bst_node *n, uint64_t key)
{
    return key >= n->key;
}

/* Leaves have no children, internal nodes always two. relaxed: a node's
   child links are published with the node (or are NULL forever). */
static inline bool bst_is_leaf(const struct bst_node *n)
{
    return atomic_load_explicit(&((struct bst_node *)n)->child[0], memory_order_relaxed) == NULL;
}

/* What a walk of a quiescent tree found (no thread inside). */
struct bst_tally {
    uint64_t count, key_sum;  /* user keys (leaves below BST_INF0) */
    uint64_t dirty;           /* reachable flagged or tagged edges: must be 0 */
    uint64_t unordered;       /* nodes outside the key range their path allows: must be 0 */
    uint64_t malformed;       /* internal nodes without two children, wrong sentinels: must be 0 */
};

/*
 * Walk every node below `root` (included) once no thread is inside,
 * depth first with an explicit stack (a tree of sequential keys is as deep
 * as it is large), calling visit(node, ctx) once the node's children have
 * been read, so visit may free it. A census passes `census`, else NULL.
 */
void bst_walk(struct bst_node *root, struct bst_tally *census,
              void (*visit)(struct bst_node *n, void *ctx), void *ctx);

#endif /* BST_NODE_H */
