/*
 * dbmap_grace_epochs.h - dbmap's native grace periods: per-reader epoch
 * counters (private to dbmap.c; the dbmap-epochs provider).
 *
 * Each reader owns a counter, odd while it reads:
 *   begin: counter += 1 (odd), StoreLoad barrier, load the live copy
 *   end:   counter += 1 (even), release
 * A swap stores the new live copy, issues a full fence, and snapshots the
 * counters that are odd; the grace period is over once each of those has
 * moved. A reader whose counter the snapshot saw even, or that registered
 * after it, loads the live copy after the swap's store (the two fences
 * order its odd store against our snapshot), so it cannot be in the old one.
 *
 * No lock, no shared write, no syscall on the reader's path: the writer
 * spins and yields while it waits. Counters are never reset, so a reused
 * reader record keeps moving forward and "moved" stays exact.
 */
#ifndef DBMAP_GRACE_EPOCHS_H
#define DBMAP_GRACE_EPOCHS_H

#include "dbmap_copy.h"

struct dbmap_epoch_record {
    struct smr_record rec;      /* reader list membership and reuse */
    alignas(SMR_PAD_ALIGN) _Atomic uint64_t epoch;  /* odd = reading; written by its reader only */
};

struct dbmap_grace {
    alignas(SMR_PAD_ALIGN) _Atomic(struct dbmap_copy *) live; /* read by every reader */
    alignas(SMR_PAD_ALIGN) struct smr_record_list readers;
    /* Writer-only: the readers seen reading at the last swap, with the value seen. */
    struct dbmap_epoch_record **waiting;
    uint64_t *waiting_epoch;
    size_t nwaiting, cap;
    bool pending;               /* a swap's grace period not yet seen over */
    /* retired = swaps begun, reclaimed = grace periods over (the memory curve's analogue) */
    struct smr_counters counters;
};

struct dbmap_grace_reader {
    struct dbmap_epoch_record *rec;
};

static void dbmap_grace_init(struct dbmap_grace *g, const struct smr_config *cfg,
                             struct dbmap_copy *live, struct dbmap_copy *stale)
{
    (void)cfg;
    (void)stale;
    /* relaxed: no reader exists yet; the map reaches them through thread creation */
    atomic_store_explicit(&g->live, live, memory_order_relaxed);
}

static void dbmap_grace_destroy(struct dbmap_grace *g, struct smr_stats *final)
{
    /* Every reader has closed its handle: a pending grace period is over. */
    if (g->pending)
        smr_counter_add(&g->counters.reclaimed, 1);
    if (final) {
        memset(final, 0, sizeof(*final));
        smr_stats_add_counters(final, &g->counters);
    }
    struct smr_record *r = smr_records_first(&g->readers);
    while (r) {
        struct smr_record *next = smr_records_next(r);
        free(r);
        r = next;
    }
    free(g->waiting);
    free(g->waiting_epoch);
}

static void dbmap_grace_reader_init(struct dbmap_grace *g, struct dbmap_grace_reader *r)
{
    /* A reused record keeps its (even) counter. */
    r->rec = (struct dbmap_epoch_record *)smr_records_claim(&g->readers);
    if (!r->rec) {
        r->rec = smr_record_alloc(sizeof(*r->rec));
        smr_records_push(&g->readers, &r->rec->rec);
    }
}

static void dbmap_grace_reader_fini(struct dbmap_grace_reader *r)
{
    smr_records_release(&r->rec->rec);
}

static inline struct dbmap_copy *dbmap_grace_read_begin(struct dbmap_grace *g,
                                                        struct dbmap_grace_reader *r)
{
    /* relaxed: only this reader writes its counter */
    uint64_t e = atomic_load_explicit(&r->rec->epoch, memory_order_relaxed);
    /* odd, and visible before we load the live copy (StoreLoad): a swap
       that does not see it stored the new copy before our load below */
    smr_publish_u64(&r->rec->epoch, e + 1);
    smr_test_window(); /* reading, but not yet sure which copy */
    /* seq_cst: orders this load after the publish in the C11 model too (a
       plain load on x86); it also acquires the copy's contents, stored
       before the swap published it */
    return atomic_load_explicit(&g->live, memory_order_seq_cst);
}

static inline void dbmap_grace_read_end(struct dbmap_grace_reader *r)
{
    uint64_t e = atomic_load_explicit(&r->rec->epoch, memory_order_relaxed);
    /* release: our reads of the copy happen before a writer that sees the
       counter move (acquire) and rewrites it */
    atomic_store_explicit(&r->rec->epoch, e + 1, memory_order_release);
}

static inline void dbmap_grace_reader_quiescent(struct dbmap_grace_reader *r)
{
    (void)r;
}

static void dbmap_grace_wait_push(struct dbmap_grace *g, struct dbmap_epoch_record *rec, uint64_t e)
{
    if (g->nwaiting == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 16;
        g->waiting = realloc(g->waiting, g->cap * sizeof(*g->waiting));
        g->waiting_epoch = realloc(g->waiting_epoch, g->cap * sizeof(*g->waiting_epoch));
        if (!g->waiting || !g->waiting_epoch)
            abort();
    }
    g->waiting[g->nwaiting] = rec;
    g->waiting_epoch[g->nwaiting++] = e;
}

/* Make `next` live; the grace period of `old` begins. */
static void dbmap_grace_swap(struct dbmap_grace *g, struct dbmap_copy *next, struct dbmap_copy *old,
                             struct dbmap_grace_reader *self)
{
    (void)old;
    (void)self;
    /* release: the copy's new contents are visible to a reader that loads it */
    atomic_store_explicit(&g->live, next, memory_order_release);
    smr_test_window(); /* swapped, readers not yet snapshot */
    /* Pairs with the readers' StoreLoad barrier: a reader whose odd counter
       we do not see below loads `next`, not `old`. */
    smr_fence_seq_cst();
    g->nwaiting = 0;
    for (struct smr_record *r = smr_records_first(&g->readers); r; r = smr_records_next(r)) {
        struct dbmap_epoch_record *rec = (struct dbmap_epoch_record *)r;
        /* acquire: an even value was stored by its reader's end (release),
           so that reader's earlier reads happen before our rewrite */
        uint64_t e = atomic_load_explicit(&rec->epoch, memory_order_acquire);
        if (e & 1)
            dbmap_grace_wait_push(g, rec, e);
    }
    g->pending = true;
    smr_counter_add(&g->counters.retired, 1);
}

/* Has the grace period begun by the last swap ended? Drops the readers that moved. */
static inline bool dbmap_grace_over(struct dbmap_grace *g, struct dbmap_copy *old)
{
    (void)old;
    size_t i = 0;
    while (i < g->nwaiting) {
        /* acquire: the reader's end (release), or its next begin, which
           continues the release sequence of that end, happens before us */
        if (atomic_load_explicit(&g->waiting[i]->epoch, memory_order_acquire) !=
            g->waiting_epoch[i]) {
            g->waiting[i] = g->waiting[g->nwaiting - 1];
            g->waiting_epoch[i] = g->waiting_epoch[--g->nwaiting];
        } else {
            i++;
        }
    }
    if (g->nwaiting)
        return false;
    if (g->pending) {
        g->pending = false;
        smr_counter_add(&g->counters.reclaimed, 1);
    }
    return true;
}

static void dbmap_grace_help(struct dbmap_grace *g, struct dbmap_grace_reader *self)
{
    (void)g; /* readers leave by themselves */
    (void)self;
}

/* The skipped-wait negative control: drop the readers still waited for. */
static inline void dbmap_grace_forget(struct dbmap_grace *g)
{
    g->nwaiting = 0;
    (void)dbmap_grace_over(g, NULL);
}

static void dbmap_grace_stats(struct dbmap_grace *g, struct smr_stats *out)
{
    memset(out, 0, sizeof(*out));
    smr_stats_add_counters(out, &g->counters);
    for (struct smr_record *r = smr_records_first(&g->readers); r; r = smr_records_next(r))
        out->threads++;
}

static void dbmap_grace_reader_stats(struct dbmap_grace_reader *r, struct smr_stats *out)
{
    (void)r;
    memset(out, 0, sizeof(*out));
}

#endif /* DBMAP_GRACE_EPOCHS_H */
