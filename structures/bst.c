/*
 * bst.c - Natarajan and Mittal's lock-free external BST with a seek safe
 * under every scheme (bst.h says why and how); its benchmark operations
 * are in bst_bench.c.
 */
#include "bst.h"

struct bst {
    /* Read-only after create. */
    alignas(SMR_PAD_ALIGN) struct bst_node *root; /* R (INF2): left S, right leaf INF2 */
    struct bst_node *top;  /* S (INF1): left the user keys and leaf INF0, right leaf INF1 */
    smr_domain_t *domain;
    uint64_t keys;         /* the benchmark's key range (set by bst_bench.c) */
};

#ifdef SMR_CHECKED
static inline void bst_test_point(enum bst_point point, uint64_t key)
{
    bst_hook_fn hook = atomic_load_explicit(&bst_test_hook, memory_order_relaxed);
    if (SMR_UNLIKELY(hook != NULL))
        hook(point, key);
}
#else
#define bst_test_point(point, key) ((void)0)
#endif

static struct bst_node *bst_node_new(smr_thread_t *t, uint64_t key, struct bst_node *left,
                                     struct bst_node *right)
{
    struct bst_node *n = smr_alloc(t, sizeof(*n));
    n->key = key;
    atomic_init(&n->child[0], left);
    atomic_init(&n->child[1], right);
#ifdef SMR_CHECKED
    n->canary = BST_CANARY;
#endif
    return n;
}

struct bst *bst_create(const struct smr_config *cfg)
{
    struct bst *tr = smr_record_alloc(sizeof(*tr));
    struct smr_config c = cfg ? *cfg : (struct smr_config){0};
    c.hazard_slots = BST_SLOTS;
    tr->domain = smr_domain_create(&c);
    /* The sentinels are never retired; threads that start later see them
       through the thread creation that follows. */
    smr_thread_t *t = smr_thread_register(tr->domain);
    tr->top = bst_node_new(t, BST_INF1, bst_node_new(t, BST_INF0, NULL, NULL),
                           bst_node_new(t, BST_INF1, NULL, NULL));
    tr->root = bst_node_new(t, BST_INF2, tr->top, bst_node_new(t, BST_INF2, NULL, NULL));
    smr_thread_unregister(t);
    return tr;
}

smr_domain_t *bst_domain(struct bst *tr)
{
    return tr->domain;
}

static void bst_free_node(struct bst_node *n, void *t)
{
    smr_dealloc_unpublished(t, n);
}

void bst_destroy(struct bst *tr, struct smr_stats *final)
{
    /* No thread is left: what is reachable was never retired. */
    smr_thread_t *t = smr_thread_register(tr->domain);
    bst_walk(tr->root, NULL, bst_free_node, t);
    smr_thread_unregister(t);
    smr_domain_destroy(tr->domain, final);
    free(tr);
}

void bst_census(struct bst *tr, struct bst_tally *out)
{
    memset(out, 0, sizeof(*out));
    bst_walk(tr->root, out, NULL, NULL);
}

/*
 * A cleanup: `par` hangs from `anc_edge` (clean when the seek read it, so
 * anc was in the tree) and one of its edges is flagged. Tag the other
 * edge, then swing anc_edge from par to the node that edge holds. True if
 * our CAS removed par: then we retire par and its flagged leaf, which no
 * other thread can remove any more. Both anc and par are protected.
 */
static bool bst_cleanup(smr_thread_t *t, smr_atomic_ptr *anc_edge, struct bst_node *par,
                        uint64_t key)
{
    unsigned d = bst_dir(par, key);
    smr_atomic_ptr *leaf_edge = &par->child[d], *sib_edge = &par->child[!d];
    /* relaxed: only the flag is looked at, and flags are never cleared */
    if (!(bst_bits(atomic_load_explicit(leaf_edge, memory_order_relaxed)) & BST_FLAG)) {
        /* The key led to a tagged edge (a seek helping the cleanup it met):
           a tag goes only on the sibling of a flagged edge, so the flagged
           leaf is on the other side. */
        smr_atomic_ptr *x = leaf_edge;
        leaf_edge = sib_edge;
        sib_edge = x;
#ifdef SMR_CHECKED
        if (!(bst_bits(atomic_load_explicit(leaf_edge, memory_order_relaxed)) & BST_FLAG))
            smr_check_failed("bst: a tagged edge whose sibling edge is not flagged", par);
#endif
    }
    bst_test_point(BST_CLEANUP_BEFORE_TAG, key);
    smr_test_window(); /* another cleanup, or an insert at the sibling, may run here */
    /* Tag the sibling edge: frozen from then on, so what it holds is what
       goes up. Until then an insert may replace a sibling leaf, hence the
       loop. acquire (the load and the CAS): the sibling's contents, which
       the swing below publishes again from anc. */
    void *sib = atomic_load_explicit(sib_edge, memory_order_acquire);
    while (!(bst_bits(sib) & BST_TAG) &&
           !atomic_compare_exchange_weak_explicit(sib_edge, &sib, (void *)((uintptr_t)sib | BST_TAG),
                                                  memory_order_acquire, memory_order_acquire))
        ;
    bst_test_point(BST_CLEANUP_BEFORE_SWING, key);
    smr_test_window(); /* anc may be removed, or another cleanup swing, here */
    /* The sibling goes up with its flag (a leaf being deleted stays so) and
       without the tag. release: a reader that loads it from anc_edge sees
       its contents, which we acquired from sib_edge. */
    void *expected = par;
    if (!atomic_compare_exchange_strong_explicit(anc_edge, &expected,
                                                 (void *)((uintptr_t)sib & ~BST_TAG),
                                                 memory_order_release, memory_order_relaxed))
        return false;
    /* acquire: the leaf's header, which its retire writes, was published
       with the link that its flag (an RMW) continues. */
    struct bst_node *leaf = bst_addr(atomic_load_explicit(leaf_edge, memory_order_acquire));
    smr_retire_after_rmw(t, leaf, NULL, NULL); /* both unlinked by our CAS */
    smr_retire_after_rmw(t, par, NULL, NULL);
    return true;
}

/* Where a seek for a key ended. */
struct bst_seek {
    struct bst_node *anc, *par, *leaf;
    smr_atomic_ptr *anc_edge; /* anc's edge to par, clean when read */
    smr_atomic_ptr *par_edge; /* par's edge to leaf */
    bool flagged;             /* par_edge was flagged: leaf is deleted, unprotected, not to be read */
};

/*
 * The leaf a key leads to, along clean edges only (bst.h says why): at a
 * flagged edge it stops, at a tagged one it helps that cleanup and starts
 * again from the root. anc, par and (unless flagged) leaf are protected,
 * in slots depth mod 3, until the next seek or leave. Call between
 * smr_enter and smr_leave.
 */
static inline void bst_seek(smr_thread_t *t, struct bst *tr, uint64_t key, struct bst_seek *s)
{
again:;
    struct bst_node *anc = tr->root, *par = tr->top; /* never removed: no slot */
    smr_atomic_ptr *anc_edge = &anc->child[0], *par_edge = &par->child[0];
    unsigned slot = 0;
    for (;;) {
        /* The protect validates against *par_edge: when the loaded edge is
           clean, par was in the tree after the slot was published, and cur
           with it. */
        void *edge = smr_protect(t, slot, par_edge);
        struct bst_node *cur = bst_addr(edge);
        if (SMR_UNLIKELY(bst_bits(edge))) {
            if (bst_bits(edge) & BST_FLAG) { /* flagged, perhaps tagged too */
                *s = (struct bst_seek){anc, par, cur, anc_edge, par_edge, true};
                return;
            }
            /* Tagged: par is being removed and cur may be unlinked already. */
            bst_cleanup(t, anc_edge, par, key);
            goto again;
        }
        bst_check(cur);
        smr_test_window(); /* cur may be flagged, tagged or removed here: it stays protected */
        if (bst_is_leaf(cur)) {
            *s = (struct bst_seek){anc, par, cur, anc_edge, par_edge, false};
            return;
        }
        anc = par;
        anc_edge = par_edge;
        par = cur;
        par_edge = &cur->child[bst_dir(cur, key)]; /* the key is immutable, cur protected */
        slot = slot == 2 ? 0 : slot + 1;
    }
}

#ifdef SMR_CHECKED
/*
 * The planted bug (checked builds, lookups only): NM's published seek,
 * which goes on through flagged and tagged edges and reads what they hold.
 * A removed node's edges are frozen, so what it reaches may have been
 * unlinked and freed before the slot was published: with pointer- or era-
 * based schemes the reads below can be reads of freed memory (the canary
 * catches them). With epochs it is safe.
 */
static inline bool bst_lookup_planted(smr_thread_t *t, struct bst *tr, uint64_t key)
{
    smr_atomic_ptr *edge = &tr->top->child[0];
    unsigned slot = 0;
    for (;;) {
        void *link = smr_protect(t, slot, edge);
        struct bst_node *cur = bst_addr(link);
        bst_check(cur);
        smr_test_window(); /* as in bst_seek: the same preemption point, the same cost */
        if (bst_is_leaf(cur))
            return cur->key == key && !(bst_bits(link) & BST_FLAG);
        edge = &cur->child[bst_dir(cur, key)];
        slot = slot == 2 ? 0 : slot + 1;
    }
}
#endif

bool bst_lookup(struct bst *tr, smr_thread_t *t, uint64_t key)
{
    if (SMR_UNLIKELY(key >= BST_INF0))
        return false; /* the sentinels' keys */
    struct bst_seek s;
    smr_enter(t);
#ifdef SMR_CHECKED
    if (SMR_UNLIKELY(atomic_load_explicit(&bst_test_unsafe_seek, memory_order_relaxed))) {
        bool found = bst_lookup_planted(t, tr, key);
        smr_leave(t);
        return found;
    }
#endif
    bst_seek(t, tr, key, &s);
    /* A flagged leaf is deleted, whichever key it holds. */
    bool found = !s.flagged && s.leaf->key == key;
    smr_leave(t);
    return found;
}

/* Insert `key`; false if present. The two new nodes are allocated once the
   key is known absent, and reused across retries. */
bool bst_insert(struct bst *tr, smr_thread_t *t, uint64_t key)
{
    if (SMR_UNLIKELY(key >= BST_INF0))
        return false;
    struct bst_node *inner = NULL, *leaf = NULL;
    struct bst_seek s;
    smr_enter(t);
    for (;;) {
        bst_seek(t, tr, key, &s);
        if (s.flagged) {
            /* The leaf here is being deleted: finish that, then look again. */
            bst_cleanup(t, s.anc_edge, s.par, key);
            continue;
        }
        uint64_t old = s.leaf->key;
        if (old == key) {
            smr_leave(t);
            if (inner) {
                smr_dealloc_unpublished(t, inner);
                smr_dealloc_unpublished(t, leaf);
            }
            return false;
        }
        if (!inner) {
            leaf = bst_node_new(t, key, NULL, NULL);
            inner = bst_node_new(t, 0, NULL, NULL);
        }
        /* The larger key routes: the smaller leaf goes left. relaxed: inner
           is private until the CAS below publishes it. */
        unsigned right = key > old;
        inner->key = right ? key : old;
        atomic_store_explicit(&inner->child[right], leaf, memory_order_relaxed);
        atomic_store_explicit(&inner->child[!right], s.leaf, memory_order_relaxed);
        void *expected = s.leaf;
        smr_test_window(); /* the edge may be flagged, tagged or changed before the CAS */
        bst_test_point(BST_INSERT_BEFORE_LINK, key);
        /* release: the new nodes' contents, for whoever loads inner from the edge */
        if (atomic_compare_exchange_strong_explicit(s.par_edge, &expected, inner,
                                                    memory_order_release, memory_order_relaxed)) {
            smr_leave(t);
            return true;
        }
        /* The edge changed (an insert below it, a flag, a tag): look again;
           the seek helps what it meets. */
    }
}

/* Delete `key`; false if absent. The thread whose flag succeeds deleted
   the key; it returns once the leaf is out of the tree, whoever removed it. */
bool bst_delete(struct bst *tr, smr_thread_t *t, uint64_t key)
{
    if (SMR_UNLIKELY(key >= BST_INF0))
        return false;
    struct bst_seek s;
    struct bst_node *victim;
    smr_enter(t);
    for (;;) {
        bst_seek(t, tr, key, &s);
        /* A flagged leaf is deleted already, whichever key it holds. */
        if (s.flagged || s.leaf->key != key) {
            smr_leave(t);
            return false;
        }
        victim = s.leaf;
        void *expected = victim;
        smr_test_window(); /* the edge may be flagged, tagged or changed before the CAS */
        bst_test_point(BST_DELETE_BEFORE_FLAG, key);
        /* Injection. relaxed: the flag publishes nothing; an RMW continues
           the release sequence of the link, so whoever acquires the flagged
           value still synchronises with the store that linked the leaf. */
        if (atomic_compare_exchange_strong_explicit(s.par_edge, &expected,
                                                    (void *)((uintptr_t)victim | BST_FLAG),
                                                    memory_order_relaxed, memory_order_relaxed))
            break;
    }
    /* Deleted. Remove the leaf, or see it removed: a failed cleanup means
       the ancestor's edge changed (someone removed par, or anc is going),
       so look where the leaf hangs now. Only its address is compared: a
       leaf at that address behind a clean edge is a new one, ours is gone. */
    while (!bst_cleanup(t, s.anc_edge, s.par, key)) {
        bst_seek(t, tr, key, &s);
        if (!s.flagged || s.leaf != victim)
            break;
    }
    smr_leave(t);
    return true;
}
