/*
 * bst.h - Natarajan and Mittal's lock-free external binary search tree
 * (PPoPP 2014), a set of 64-bit keys below BST_INF0, written once against
 * smr.h and safe under every scheme of it (node layout and edge bits:
 * bst_node.h; algorithm: bst.c).
 *
 * Insert replaces a leaf's edge (CAS) by a new internal node holding the
 * old leaf and the new one. Delete flags the leaf's edge (injection: the
 * key is deleted from then on), then cleans up: tags the sibling edge
 * (frozen), and swings the edge that points to the leaf's parent, from its
 * ancestor, to the sibling (carrying the sibling edge's flag). That CAS
 * removes the parent and the flagged leaf in one step; only the thread
 * whose CAS succeeds retires them, each exactly once. Anyone who meets a
 * pending cleanup (an insert at a flagged leaf, any seek at a tagged edge)
 * completes it, so the tree is lock-free.
 *
 * The seek. NM's published seek walks on through flagged and tagged edges,
 * keeping the last untagged edge as the ancestor. With pointer- and era-
 * based schemes (hp, hp-asym, ck-hp, he, ibr, hyaline) that reads freed
 * memory: a removed node's edges are frozen, so the hazard-pointer check
 * "the parent's edge still points to the child" succeeds on a child that
 * was unlinked and freed long ago. This seek follows clean edges only.
 * Every removed internal node had both edges flagged or tagged before its
 * removal, and bits are never cleared, so a clean edge read from a
 * protected node shows that node still in the tree at that instant and its
 * child reachable: the protection is valid, as a hazard pointer's
 * re-validation or an era read after the load needs. At a flagged edge the
 * seek stops without reading the leaf (a flagged leaf is deleted: a lookup
 * or a delete answers "absent", an insert helps the cleanup and looks
 * again); at a tagged edge it helps that cleanup and restarts from the
 * root. So the ancestor of a seek is always the parent's parent, and each
 * cleanup removes one internal node and one leaf. The same seek runs under
 * every scheme, epochs included, which would tolerate NM's: the comparison
 * is between schemes, not between seeks. The checked build can plant NM's
 * seek in lookups (bst_test_unsafe_seek) for the negative control.
 *
 * Three hazard slots: the seek holds the ancestor, the parent and the
 * node it protects next, rotating as it descends (slot = depth mod 3).
 * The ancestor must stay protected for a cleanup's CAS on its edge (a
 * freed and reused ancestor would take the CAS) and the parent for reading
 * its sibling edge; the leaf, for reading its key and as the expected
 * value of the insert's or the injection's CAS (a freed and reused leaf
 * would let it succeed). The sibling a cleanup moves up is only copied,
 * never read, so it needs no slot. R and S, the sentinels at the top, are
 * never removed and need none.
 *
 * Include after defining SMR_SCHEME: the names are mangled per scheme.
 */
#ifndef BST_H
#define BST_H

#include "../schemes/smr.h"
#include "bst_checks.h"
#include "bst_node.h"

#define bst_create SMR_MANGLE(bst_create)
#define bst_destroy SMR_MANGLE(bst_destroy)
#define bst_domain SMR_MANGLE(bst_domain)
#define bst_insert SMR_MANGLE(bst_insert)
#define bst_delete SMR_MANGLE(bst_delete)
#define bst_lookup SMR_MANGLE(bst_lookup)
#define bst_census SMR_MANGLE(bst_census)

#define BST_SLOTS 3

struct bst;

/* cfg may be NULL (defaults); hazard_slots is set by the tree. */
struct bst *bst_create(const struct smr_config *cfg);
/* Frees the nodes still in the tree and the domain; threads must have unregistered. */
void bst_destroy(struct bst *tr, struct smr_stats *final);
smr_domain_t *bst_domain(struct bst *tr);

/* Set operations on keys below BST_INF0: insert false if present, delete
   false if absent. */
bool bst_insert(struct bst *tr, smr_thread_t *t, uint64_t key);
bool bst_delete(struct bst *tr, smr_thread_t *t, uint64_t key);
bool bst_lookup(struct bst *tr, smr_thread_t *t, uint64_t key);
/* Walk the tree once no thread is inside: user keys' count and sum, invariants. */
void bst_census(struct bst *tr, struct bst_tally *out);

#endif /* BST_H */
