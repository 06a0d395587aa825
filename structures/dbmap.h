/*
 * dbmap.h - the double-buffer (left-right) hash map: u64 keys to u64 values.
 *
 * Two copies of a hash table. Readers read the live one; the one writer
 * logs insert, remove and retain, and publishes: it waits until no reader
 * can still be inside the stale copy (a grace period), replays the log onto
 * it, and makes it live. Reads see published state only.
 *
 * The grace period comes from a provider chosen at compile time, like a
 * template parameter (SMR_SCHEME):
 *   - any scheme of smr.h: a read is smr_enter, smr_protect of the live
 *     pointer (a small token naming the copy), smr_leave; a swap retires the
 *     old token with a reclaimer that hands its copy back to the writer,
 *     which polls smr_flush until it is back;
 *   - the native reader epochs (SMR_NATIVE_PROVIDER, CLI name dbmap-epochs):
 *     each reader's counter is odd while it reads; a swap snapshots the
 *     odd ones and waits until each has moved.
 *
 * Delayed swap (the default): a swap only starts the grace period, and the
 * wait comes at the next publish, just before the writer needs that copy;
 * a reader blocks only the second swap after it started. Immediate: each
 * publish waits right after its swap.
 *
 * Threads: any number of readers, each with its own handle (dbmap_reader),
 * used only by the thread that opened it; one writer handle, which is not
 * thread-safe: several writer threads must serialise on it (smrbench uses a
 * mutex). A publishing thread passes its own reader handle: the scheme
 * work of a publish (allocating and retiring the token, flushing while it
 * waits) runs on that thread's scheme handle, never on another thread's.
 */
#ifndef DBMAP_H
#define DBMAP_H

#include "../schemes/smr_common.h"
#include "dbmap_table.h"

struct bench_metrics;

/* One instantiation per provider: dbmap_create is dbmap_create__ebr when
   SMR_SCHEME=ebr (the same as smr.h's SMR_MANGLE, which the native provider
   does not include). */
#define DBMAP_CAT_(a, b) a##__##b
#define DBMAP_CAT(a, b) DBMAP_CAT_(a, b)
#define DBMAP_MANGLE(x) DBMAP_CAT(x, SMR_SCHEME)

#define dbmap_create DBMAP_MANGLE(dbmap_create)
#define dbmap_destroy DBMAP_MANGLE(dbmap_destroy)
#define dbmap_writer DBMAP_MANGLE(dbmap_writer)
#define dbmap_insert DBMAP_MANGLE(dbmap_insert)
#define dbmap_remove DBMAP_MANGLE(dbmap_remove)
#define dbmap_retain DBMAP_MANGLE(dbmap_retain)
#define dbmap_publish DBMAP_MANGLE(dbmap_publish)
#define dbmap_load DBMAP_MANGLE(dbmap_load)
#define dbmap_unpublished DBMAP_MANGLE(dbmap_unpublished)
#define dbmap_reader_open DBMAP_MANGLE(dbmap_reader_open)
#define dbmap_reader_close DBMAP_MANGLE(dbmap_reader_close)
#define dbmap_read_begin DBMAP_MANGLE(dbmap_read_begin)
#define dbmap_read_end DBMAP_MANGLE(dbmap_read_end)
#define dbmap_get DBMAP_MANGLE(dbmap_get)
#define dbmap_reader_quiescent DBMAP_MANGLE(dbmap_reader_quiescent)
#define dbmap_reader_idle DBMAP_MANGLE(dbmap_reader_idle)
#define dbmap_stats DBMAP_MANGLE(dbmap_stats)
#define dbmap_reader_stats DBMAP_MANGLE(dbmap_reader_stats)
#define dbmap_metrics DBMAP_MANGLE(dbmap_metrics)

struct dbmap;
struct dbmap_writer;
struct dbmap_reader;

/* What dbmap's domain needs: one hazard slot (the live token), and at most
   two tokens allocated and not yet retired at once (the live one, and the
   next one while a publish swaps them; publishes are serialised). */
#define DBMAP_SMR_SLOTS 1
#define DBMAP_MAX_LIVE_TOKENS 2

struct dbmap_config {
    struct smr_config smr;      /* the scheme's domain (ignored by the native provider) */
    bool immediate_wait;        /* wait right after each swap instead of at the next publish */
    uint64_t capacity;          /* expected entries (a sizing hint) */
};

/* The provider's description: the scheme's <prefix>_info, or dbmap_epochs_info. */
#ifdef SMR_SCHEME
#define DBMAP_INFO_(prefix) prefix##_info
#define DBMAP_INFO(prefix) DBMAP_INFO_(prefix)
#define DBMAP_PROVIDER_INFO DBMAP_INFO(SMR_SCHEME)
extern const struct smr_scheme_info DBMAP_PROVIDER_INFO;
#endif

/* cfg may be NULL (defaults). */
struct dbmap *dbmap_create(const struct dbmap_config *cfg);
/* Every reader must be closed. `final` (may be NULL) gets the provider's last statistics. */
void dbmap_destroy(struct dbmap *m, struct smr_stats *final);

/* ---- the writer ---- */

/* The map's one writer handle. */
struct dbmap_writer *dbmap_writer(struct dbmap *m);
void dbmap_insert(struct dbmap_writer *w, uint64_t key, uint64_t value);
void dbmap_remove(struct dbmap_writer *w, uint64_t key);
/* Keep the entries for which keep(key, value, arg) is true. keep must be
   deterministic: it runs once on each copy. */
void dbmap_retain(struct dbmap_writer *w, dbmap_keep_fn keep, uint64_t arg);
/*
 * Make every operation logged so far visible to readers (no-op if none).
 * May wait for a grace period. `self` is the calling thread's own reader
 * handle (not inside a read): the swap retires the old copy's token through
 * it, and while waiting it announces quiescent states (QSBR needs them from
 * every registered thread) and flushes.
 */
void dbmap_publish(struct dbmap_writer *w, struct dbmap_reader *self);
/* Operations logged but not yet published. */
uint64_t dbmap_unpublished(struct dbmap_writer *w);
/* Insert into both copies at once, bypassing the log: only while no reader
   has begun a read yet (building the map). */
void dbmap_load(struct dbmap_writer *w, uint64_t key, uint64_t value);

/* ---- readers ---- */

struct dbmap_reader *dbmap_reader_open(struct dbmap *m);
void dbmap_reader_close(struct dbmap_reader *r);
/* A read: the snapshot stays valid and unchanged until dbmap_read_end. Not nestable. */
const struct dbmap_table *dbmap_read_begin(struct dbmap_reader *r);
void dbmap_read_end(struct dbmap_reader *r);
/* One get as a whole read. */
bool dbmap_get(struct dbmap_reader *r, uint64_t key, uint64_t *value);
/* Between reads: QSBR's quiescent state, a no-op for the other providers. */
void dbmap_reader_quiescent(struct dbmap_reader *r);
/*
 * Between reads, while the thread waits (for the writer, say): a quiescent
 * state, and if this handle ever published, a flush, since the token it
 * retired then may be what the thread now publishing waits for.
 */
void dbmap_reader_idle(struct dbmap_reader *r);

/* ---- statistics ---- */

/* The provider's counters: for a scheme its domain's (a retired token per
   swap); for the native epochs, swaps begun (retired) and grace periods
   over (reclaimed). Safe while threads run. */
void dbmap_stats(struct dbmap *m, struct smr_stats *out);
void dbmap_reader_stats(struct dbmap_reader *r, struct smr_stats *out);
/* Publish latency (whole, wait, apply) and staleness histograms in ns,
   cumulative since create; safe while threads run. */
void dbmap_metrics(struct dbmap *m, struct bench_metrics *out);

/* Checked builds: the negative control. The writer skips every wait for
   readers; the tests must catch it. */
#ifdef SMR_CHECKED
extern _Atomic int dbmap_test_skip_wait;
#endif

#endif /* DBMAP_H */
