/*
 * bst_checks.h - the Natarajan-Mittal tree's test-only switches, in checked
 * builds (SMR_CHECKED) only. Scheme-independent: defined once in
 * bst_checks.c, used by bst.c in every instantiation.
 */
#ifndef BST_CHECKS_H
#define BST_CHECKS_H

#include <stdatomic.h>
#include <stdint.h>

#ifdef SMR_CHECKED
/* The planted bug: lookups walk the tree as NM's published seek does,
   through flagged and tagged edges (bst_lookup_planted in bst.c). */
extern _Atomic int bst_test_unsafe_seek;

/* Deterministic interleavings (tests/structures/bst_scenarios.c): when set, called at
   these points of an operation on `key`, so a test can run another thread
   handle's operations right there, on the same OS thread. */
enum bst_point {
    BST_INSERT_BEFORE_LINK,    /* found the leaf, about to CAS its edge to the new subtree */
    BST_DELETE_BEFORE_FLAG,    /* found the leaf, about to flag its edge (injection) */
    BST_CLEANUP_BEFORE_TAG,    /* a cleanup (the delete's own or a helper's), about to tag */
    BST_CLEANUP_BEFORE_SWING,  /* tagged the sibling, about to CAS the ancestor's edge */
};
typedef void (*bst_hook_fn)(enum bst_point point, uint64_t key);
extern _Atomic(bst_hook_fn) bst_test_hook;
#endif

#endif /* BST_CHECKS_H */
