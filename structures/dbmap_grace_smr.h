/*
 * dbmap_grace_smr.h - dbmap's grace periods from a reclamation scheme of
 * smr.h (private to dbmap.c; compiled once per scheme).
 *
 * Readers reach the live copy through a token, a small node of the scheme
 * that names it: a read is smr_enter, smr_protect(live token), smr_leave,
 * so the token is protected (a hazard, an announced epoch, ...) for as long
 * as the reader uses its copy. A swap publishes a new token and retires the
 * old one with a reclaimer that hands its copy back: the scheme runs it
 * only once no reader can reach the old token, which is exactly when no
 * reader can be inside that copy. The writer polls (smr_quiescent +
 * smr_flush) until the copy is back; whichever thread reclaims the token
 * (the writer, or a reader for schemes that reclaim on leave) sets the flag.
 *
 * The writer has no scheme handle of its own: a publish allocates, retires
 * and flushes through the publishing thread's reader handle, so every
 * handle is used only by the thread that registered it (liburcu's adapter
 * requires it). A token then waits in the list of the thread that
 * published it; if another thread publishes next, it is handed back when
 * that thread flushes (dbmap_reader_idle while it waits for the writer),
 * or by whoever adopts it once that thread unregisters.
 */
#ifndef DBMAP_GRACE_SMR_H
#define DBMAP_GRACE_SMR_H

#include "../schemes/smr.h"
#include "dbmap_copy.h"


struct dbmap_token {
    struct dbmap_copy *copy;    /* immutable once published */
};

struct dbmap_grace {
    alignas(SMR_PAD_ALIGN) smr_atomic_ptr live; /* struct dbmap_token *, read by every reader */
    alignas(SMR_PAD_ALIGN) smr_domain_t *domain;
};

struct dbmap_grace_reader {
    smr_thread_t *smr;
};

/* The reclaimer of a retired token: its copy has no readers left. */
static void dbmap_token_reclaimed(void *token, void *copy)
{
    (void)token;
    /* release: everything the scheme ordered before this reclaim (every
       reader's reads of the copy) happens before the writer's acquire load
       of the flag, and so before it rewrites the copy. */
    atomic_store_explicit(&((struct dbmap_copy *)copy)->handed_back, 1, memory_order_release);
}

static void dbmap_grace_init(struct dbmap_grace *g, const struct smr_config *cfg,
                             struct dbmap_copy *live, struct dbmap_copy *stale)
{
    struct smr_config c = cfg ? *cfg : (struct smr_config){0};
    c.hazard_slots = DBMAP_SMR_SLOTS;
    c.max_live = DBMAP_MAX_LIVE_TOKENS;
    g->domain = smr_domain_create(&c);
    /* A handle of the creating thread, for the first token only. */
    smr_thread_t *self = smr_thread_register(g->domain);
    struct dbmap_token *t = smr_alloc(self, sizeof(*t));
    smr_thread_unregister(self);
    t->copy = live;
    /* relaxed: no reader exists yet; the map reaches them through thread creation */
    atomic_store_explicit(&g->live, t, memory_order_relaxed);
    atomic_store_explicit(&stale->handed_back, 1, memory_order_relaxed);
}

static void dbmap_grace_destroy(struct dbmap_grace *g, struct smr_stats *final)
{
    /* No reader is left: the live token was never retired, free it directly. */
    smr_thread_t *self = smr_thread_register(g->domain);
    smr_dealloc_unpublished(self, atomic_load_explicit(&g->live, memory_order_relaxed));
    smr_thread_unregister(self);
    /* Runs the reclaimers of tokens still retired; their copies still exist. */
    smr_domain_destroy(g->domain, final);
}

static void dbmap_grace_reader_init(struct dbmap_grace *g, struct dbmap_grace_reader *r)
{
    r->smr = smr_thread_register(g->domain);
}

static void dbmap_grace_reader_fini(struct dbmap_grace_reader *r)
{
    smr_thread_unregister(r->smr);
}

static inline struct dbmap_copy *dbmap_grace_read_begin(struct dbmap_grace *g,
                                                        struct dbmap_grace_reader *r)
{
    smr_enter(r->smr);
    /* protect also acquires the token, published with a release store, and
       through it the copy's contents written before the swap */
    struct dbmap_token *t = smr_protect(r->smr, 0, &g->live);
    return t->copy;
}

static inline void dbmap_grace_read_end(struct dbmap_grace_reader *r)
{
    smr_leave(r->smr);
}

static inline void dbmap_grace_reader_quiescent(struct dbmap_grace_reader *r)
{
    smr_quiescent(r->smr);
}

/* Make `next` live; the grace period of `old` begins. `self`: the
   publishing thread's handle. */
static void dbmap_grace_swap(struct dbmap_grace *g, struct dbmap_copy *next, struct dbmap_copy *old,
                             struct dbmap_grace_reader *self)
{
    struct dbmap_token *t = smr_alloc(self->smr, sizeof(*t));
    t->copy = next;
    /* relaxed: only the writer stores the live token */
    void *old_token = atomic_load_explicit(&g->live, memory_order_relaxed);
    /* relaxed: the reclaimer cannot run before the retire below, which
       orders this store before it */
    atomic_store_explicit(&old->handed_back, 0, memory_order_relaxed);
    /* release: the token and the copy's new contents are visible to a
       reader that loads the token */
    atomic_store_explicit(&g->live, t, memory_order_release);
    smr_test_window(); /* readers may still take the old token until it is retired */
    smr_retire(self->smr, old_token, dbmap_token_reclaimed, old);
}

/* Has the grace period of `old` ended? */
static inline bool dbmap_grace_over(struct dbmap_grace *g, struct dbmap_copy *old)
{
    (void)g;
    /* acquire: pairs with the reclaimer's release store */
    return atomic_load_explicit(&old->handed_back, memory_order_acquire);
}

/* Drive the scheme while waiting, on the waiting thread's handle: announce
   a quiescent state (QSBR) and try to reclaim what it retired. */
static void dbmap_grace_help(struct dbmap_grace *g, struct dbmap_grace_reader *self)
{
    (void)g;
    smr_quiescent(self->smr);
    smr_flush(self->smr);
}

/* The skipped-wait negative control left a grace period pending: nothing
   to forget, the token's reclaimer will still run. */
static inline void dbmap_grace_forget(struct dbmap_grace *g)
{
    (void)g;
}

static void dbmap_grace_stats(struct dbmap_grace *g, struct smr_stats *out)
{
    smr_stats(g->domain, out);
}

static void dbmap_grace_reader_stats(struct dbmap_grace_reader *r, struct smr_stats *out)
{
    smr_thread_stats(r->smr, out);
}

#endif /* DBMAP_GRACE_SMR_H */
