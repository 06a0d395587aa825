/*
 * hmlist.h - the Harris-Michael ordered list (Harris, DISC 2001; Michael,
 * SPAA 2002) over one head link, written once against smr.h: the set
 * algorithm of `list` and of each bucket of `hashmap`.
 *
 * A sorted singly linked list of unique keys. Deletion has two steps: mark
 * the victim's next link (its low bit: the node is logically deleted and
 * its link frozen), then unlink it with a CAS on its predecessor's link.
 * Only the thread whose unlinking CAS succeeds retires the node, so it is
 * retired exactly once.
 *
 * The traversal is Michael's, safe under every scheme of smr.h, pointer-
 * based (hp, hp-asym, ck-hp), era-based (he, ibr, hyaline) and epoch-based
 * alike: the next node is protected from its predecessor's link, and that
 * protection counts only when the loaded link is unmarked. Marks precede
 * unlinks and are never removed, so an unmarked link read from a node that
 * is itself protected shows the node still linked at that instant, and its
 * successor reachable: exactly what a hazard pointer's re-validation, or an
 * era read after the load, needs. A marked link proves nothing (a frozen
 * link of an unlinked node may point to a node freed long ago), so the
 * traversal never follows one: it unlinks the marked node (one node per
 * CAS) or restarts from the head. Harris's original skips a chain of
 * marked nodes and unlinks it with one CAS; with pointer- or era-based
 * schemes that reads freed memory. The checked build can plant that bug
 * (hml_test_unsafe_traversal) for the negative control.
 *
 * Two hazard slots: the node whose link is `prev` and the current node,
 * alternating as the traversal advances. The successor is not protected
 * until it becomes the current node: nothing reads it before.
 *
 * Include after smr.h, in a file compiled once per scheme.
 */
#ifndef HMLIST_H
#define HMLIST_H

#include "../schemes/smr.h"
#include "hmlist_checks.h"

#define HMLIST_SLOTS 2

struct hml_node {
    uint64_t key;
    smr_atomic_ptr next; /* successor | HML_MARK once logically deleted */
#ifdef SMR_CHECKED
    uint64_t canary;
#endif
};

#define HML_MARK ((uintptr_t)1)
#define HML_CANARY 0x1157c0de5eed1e55ull

#ifdef SMR_CHECKED
static inline void hml_test_point(enum hml_point point, uint64_t key)
{
    hml_hook_fn hook = atomic_load_explicit(&hml_test_hook, memory_order_relaxed);
    if (SMR_UNLIKELY(hook != NULL))
        hook(point, key);
}

static inline void hml_check(const struct hml_node *n)
{
    if (SMR_UNLIKELY(n->canary != HML_CANARY))
        smr_check_failed("list: node read after reclamation (canary)", n);
}
#else
static inline void hml_check(const struct hml_node *n) { (void)n; }
#define hml_test_point(point, key) ((void)0)
#endif

static inline bool hml_is_marked(const void *link)
{
    return ((uintptr_t)link & HML_MARK) != 0;
}

static inline struct hml_node *hml_unmarked(void *link)
{
    return (struct hml_node *)((uintptr_t)link & ~HML_MARK);
}

/* Where a key belongs: `prev` is the link (the head, or the next link of
   a protected node) that pointed to `cur`, the first node whose key is
   >= the key (NULL at the end), protected in slot `cur_slot`. */
struct hml_pos {
    smr_atomic_ptr *prev;
    struct hml_node *cur;
    unsigned cur_slot;
};

/*
 * Find the position of `key`, unlinking (and retiring) every marked node
 * met on the way. Returns whether cur holds the key. Call between
 * smr_enter and smr_leave; what it returns stays protected until the next
 * protect of the same slots.
 */
static inline bool hml_find(smr_thread_t *t, smr_atomic_ptr *head, uint64_t key,
                            struct hml_pos *pos)
{
again:;
    smr_atomic_ptr *prev = head;
    unsigned slot = 0; /* cur's slot; prev's node holds the other */
    for (;;) {
        /* The protect validates against *prev: cur was reachable after the
           slot was published, if the loaded link is unmarked. */
        void *link = smr_protect(t, slot, prev);
        if (hml_is_marked(link))
            goto again; /* prev's node is being deleted: its link proves nothing */
        struct hml_node *cur = link;
        if (!cur) {
            *pos = (struct hml_pos){prev, NULL, slot};
            return false;
        }
        hml_check(cur);
        smr_test_window(); /* cur may be marked and unlinked here */
        /* acquire: the successor's contents, if we go on to it */
        void *next = atomic_load_explicit(&cur->next, memory_order_acquire);
        if (hml_is_marked(next)) {
            /* cur is deleted: unlink it (the node holding prev stays
               protected, so prev is still a link we may CAS). release: a
               reader that loads the successor from prev sees its contents,
               which we acquired from cur->next. */
            void *expected = cur;
            if (!atomic_compare_exchange_strong_explicit(prev, &expected, hml_unmarked(next),
                                                         memory_order_release,
                                                         memory_order_relaxed))
                goto again;
            smr_retire_after_rmw(t, cur, NULL, NULL); /* unlinked by our CAS */
            continue; /* protect the new *prev in cur's slot */
        }
        uint64_t ckey = cur->key; /* immutable; cur is protected */
        if (ckey >= key) {
            *pos = (struct hml_pos){prev, cur, slot};
            return ckey == key;
        }
        prev = &cur->next;
        slot ^= 1;
    }
}

#ifdef SMR_CHECKED
/*
 * The planted bug (checked builds, lookups only): Harris's reading of the
 * list, which walks through marked nodes and trusts their frozen links.
 * The protect of a successor validates against a link that can no longer
 * change, so it succeeds even when the successor was unlinked and freed
 * before the slot was published: with pointer- or era-based schemes the
 * key read below can be a read of freed memory (the canary catches it).
 */
static inline bool hml_find_planted(smr_thread_t *t, smr_atomic_ptr *head, uint64_t key)
{
    smr_atomic_ptr *prev = head;
    unsigned slot = 0;
    for (;;) {
        struct hml_node *cur = hml_unmarked(smr_protect(t, slot, prev));
        if (!cur)
            return false;
        hml_check(cur);
        if (cur->key >= key)
            return cur->key == key &&
                   !hml_is_marked(atomic_load_explicit(&cur->next, memory_order_acquire));
        prev = &cur->next;
        slot ^= 1;
    }
}
#endif

static inline bool hml_lookup(smr_thread_t *t, smr_atomic_ptr *head, uint64_t key)
{
    struct hml_pos pos;
    smr_enter(t);
#ifdef SMR_CHECKED
    if (SMR_UNLIKELY(atomic_load_explicit(&hml_test_unsafe_traversal, memory_order_relaxed))) {
        bool found = hml_find_planted(t, head, key);
        smr_leave(t);
        return found;
    }
#endif
    bool found = hml_find(t, head, key, &pos);
    smr_leave(t);
    return found;
}

static inline struct hml_node *hml_node_new(smr_thread_t *t, uint64_t key)
{
    struct hml_node *n = smr_alloc(t, sizeof(*n));
    n->key = key;
#ifdef SMR_CHECKED
    n->canary = HML_CANARY;
#endif
    return n;
}

/* Insert `key`; false if present. The node is allocated only once the key
   is known absent, and reused across retries. */
static inline bool hml_insert(smr_thread_t *t, smr_atomic_ptr *head, uint64_t key)
{
    struct hml_node *n = NULL;
    struct hml_pos pos;
    smr_enter(t);
    for (;;) {
        if (hml_find(t, head, key, &pos)) {
            smr_leave(t);
            if (n)
                smr_dealloc_unpublished(t, n);
            return false;
        }
        if (!n)
            n = hml_node_new(t, key);
        /* relaxed: n is private until the CAS below publishes it */
        atomic_store_explicit(&n->next, pos.cur, memory_order_relaxed);
        void *expected = pos.cur;
        smr_test_window(); /* prev may be marked or changed before the CAS */
        hml_test_point(HML_INSERT_BEFORE_LINK, key);
        /* release: n's contents are visible to whoever loads it from prev */
        if (atomic_compare_exchange_strong_explicit(pos.prev, &expected, n, memory_order_release,
                                                    memory_order_relaxed)) {
            smr_leave(t);
            return true;
        }
    }
}

/* Delete `key`; false if absent. The thread whose mark succeeds deleted
   the key; whoever unlinks the node retires it. */
static inline bool hml_delete(smr_thread_t *t, smr_atomic_ptr *head, uint64_t key)
{
    struct hml_pos pos;
    smr_enter(t);
    for (;;) {
        if (!hml_find(t, head, key, &pos)) {
            smr_leave(t);
            return false;
        }
        struct hml_node *cur = pos.cur;
        void *next = atomic_load_explicit(&cur->next, memory_order_acquire);
        if (hml_is_marked(next))
            continue; /* another delete won: find unlinks it, then says absent */
        smr_test_window(); /* cur may be marked or get a new successor here */
        hml_test_point(HML_DELETE_BEFORE_MARK, key);
        /* relaxed: the mark publishes nothing. An RMW continues the release
           sequence of the link, so whoever acquires the marked value still
           synchronises with the store that linked the successor. */
        if (!atomic_compare_exchange_strong_explicit(&cur->next, &next,
                                                     (void *)((uintptr_t)next | HML_MARK),
                                                     memory_order_relaxed, memory_order_relaxed))
            continue;
        /* Logically deleted by us. Unlink it, or let a find do it. */
        void *expected = cur;
        smr_test_window(); /* prev may be marked or changed before the CAS */
        hml_test_point(HML_DELETE_BEFORE_UNLINK, key);
        /* release: as for the unlink in hml_find */
        if (atomic_compare_exchange_strong_explicit(pos.prev, &expected, next,
                                                    memory_order_release, memory_order_relaxed))
            smr_retire_after_rmw(t, cur, NULL, NULL);
        else
            (void)hml_find(t, head, key, &pos);
        smr_leave(t);
        return true;
    }
}

/* What a walk of a quiescent list found (no thread inside). */
struct hml_census {
    uint64_t count, key_sum;
    uint64_t marked;    /* reachable marked links: must be 0 */
    uint64_t unordered; /* keys not strictly above their predecessor: must be 0 */
};

static inline void hml_census_add(smr_atomic_ptr *head, struct hml_census *c)
{
    bool first = true;
    uint64_t last = 0;
    void *link = atomic_load_explicit(head, memory_order_acquire);
    while (hml_unmarked(link)) {
        struct hml_node *n = hml_unmarked(link);
        hml_check(n);
        c->marked += hml_is_marked(link);
        c->unordered += !first && n->key <= last;
        c->count++;
        c->key_sum += n->key;
        last = n->key;
        first = false;
        link = atomic_load_explicit(&n->next, memory_order_acquire);
    }
    c->marked += hml_is_marked(link);
}

/* Free every node (no thread left: none was retired). */
static inline void hml_free_all(smr_thread_t *t, smr_atomic_ptr *head)
{
    struct hml_node *n = hml_unmarked(atomic_load_explicit(head, memory_order_acquire));
    while (n) {
        struct hml_node *next = hml_unmarked(atomic_load_explicit(&n->next, memory_order_relaxed));
        smr_dealloc_unpublished(t, n);
        n = next;
    }
    atomic_store_explicit(head, NULL, memory_order_relaxed);
}

#endif /* HMLIST_H */
