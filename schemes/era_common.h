/*
 * era_common.h - what the era-based schemes (he, ibr) share: the node header
 * with birth and retire eras, the global era clock and when it advances, the
 * retire path that stamps the retire era, the owner-only retired list, and
 * the stall bound.
 *
 * The clock starts at ERA_FIRST; a published ERA_NONE means "nothing
 * reserved". A node is alive over [birth, retire]; a reader that validated
 * a pointer under era v can only hold nodes whose interval contains v, so a
 * scan frees a retired node when no published era (he) or reserved
 * interval (ibr) meets its interval.
 *
 * Why retire stamps after a full fence (the one fence per retire): a reader
 * that loaded n from its source before the unlink read the clock (the era it
 * then validated n with) before that load. With the unlink, the fence and
 * then the clock read, that clock read lies later in the single total order
 * of seq_cst operations (S), so retire >= every era n was validated with.
 * birth <= that era needs no fence: the structure publishes n with a release
 * store after the allocation's clock read, so the reader's later clock read
 * is no older.
 */
#ifndef SMR_ERA_COMMON_H
#define SMR_ERA_COMMON_H

#include "smr_common.h"

#define ERA_NONE 0u
#define ERA_FIRST 1u

struct era_node {
    struct smr_node_base base;
    uint64_t birth;             /* clock when allocated */
    uint64_t retire;            /* clock when retired, after the unlink */
};
#define ERA_HEADER SMR_HEADER_SIZE(struct era_node)

static inline struct era_node *era_node_of(void *payload)
{
    return (struct era_node *)((char *)payload - ERA_HEADER);
}

/*
 * The automatic scan threshold R and clock period N, from T, the domain's
 * registered threads (its record count, read in slow paths):
 *   R = max(128, 2 x E x T), E = eras a thread publishes at once. A scan
 *       walks every record and sorts the T x E eras it finds (O(TE log TE));
 *       once per 2TE retires that is O(log TE) per retire, not O(T).
 *   N = max(64, 8 x T). The clock ticks once per N allocations of each
 *       thread (and at most once per N retires, see era_retire): T threads
 *       allocating a nodes per second each tick it T x a / N times per
 *       second, a rate that grew with T, and so did the writes to the clock's line and the
 *       protects that find the clock moved and publish again (a StoreLoad
 *       barrier). With N = 8T it ticks at most once per 8 allocations of
 *       one thread whatever T is: up to 8 threads N stays the 64 the
 *       defaults were measured with, above it the rate stays what 8
 *       threads give. The price: more nodes share an era (T x N of them at
 *       most), which the stall bound counts.
 * A tunable set by the user (tuned > 0) is used as given.
 */
#define ERA_R_FLOOR 128
#define ERA_PERIOD_FLOOR 64
#define ERA_PERIOD_PER_THREAD 8

/* The tunables he and ibr declare: R (its automatic value named by
   `auto_r`), then the clock period. */
#define ERA_TUNABLES(auto_r)                                                                   \
    {"R", 0, 0, 1 << 24,                                                                       \
     "retired nodes per thread between scans, or what the last scan kept if more (a scan "     \
     "when the list has doubled); 0 = " auto_r},                                               \
    {"era_period", 0, 0, 1 << 20,                                                              \
     "allocations of a thread between its advances of the era clock; 0 = max(64, 8 x threads)"}

static inline size_t era_scan_threshold(long tuned, unsigned eras_per_thread, unsigned long threads)
{
    return smr_scaled(tuned, ERA_R_FLOOR, 2 * (unsigned long)eras_per_thread, threads);
}

static inline unsigned era_period(long tuned, unsigned long threads)
{
    return (unsigned)smr_scaled(tuned, ERA_PERIOD_FLOOR, ERA_PERIOD_PER_THREAD, threads);
}

/*
 * he's and ibr's domain: the era clock on a line of its own, the domain
 * base, and what sizes a scan. Both schemes declare ERA_TUNABLES, so the
 * tunables' indices are the same.
 */
struct era_domain {
    alignas(SMR_PAD_ALIGN) _Atomic uint64_t clock;
    struct smr_domain_base base;
    unsigned nslots;
    unsigned eras_per_thread;   /* E: he publishes an era per slot, ibr one interval */
    long tuned_period;          /* tunable N; 0 = automatic (era_period) */
    long tuned_r;               /* tunable R; 0 = automatic (era_scan_threshold) */
};
enum { ERA_TUNE_R, ERA_TUNE_PERIOD };

/* A thread's owner-only era state: clock ticks and its retired list. */
struct era_local {
    unsigned allocs;            /* allocations since this thread last advanced the clock */
    unsigned retires;           /* retires since a retire of this thread advanced it */
    unsigned period;            /* N: the clock advances every N allocations of a thread */
    long tuned_period;          /* the domain's tunable N (0 = automatic) */
    struct smr_record_list *threads; /* the domain's records: N follows their count */
    struct smr_node_base *retired;
    size_t nretired;
    size_t threshold;           /* scan when nretired reaches it: kept + max(R, kept) */
};

/* N for the threads registered now; at each tick, once per N allocations. */
static inline void era_refresh_period(struct era_local *l)
{
    l->period = era_period(l->tuned_period, smr_records_count(l->threads));
}

/* Fresh or reused thread record: counters restart; the first retire of a
   node born in the current era may advance the clock (see era_retire). */
static inline void era_local_start(struct era_local *l, struct smr_record_list *threads,
                                   long tuned_period, size_t threshold)
{
    l->threads = threads;
    l->tuned_period = tuned_period;
    era_refresh_period(l);
    l->allocs = 0;
    l->retires = l->period;
    l->threshold = threshold + l->nretired;
}

static inline void era_tick(_Atomic uint64_t *clock)
{
    /* seq_cst: every increment is in S, which the retire argument above and
       the stall bound's counting of births per era rely on */
    (void)atomic_fetch_add_explicit(clock, 1, memory_order_seq_cst);
}

static inline void *era_alloc(_Atomic uint64_t *clock, struct era_local *l, size_t size)
{
    if (SMR_UNLIKELY(++l->allocs >= l->period)) {
        l->allocs = 0;
        era_tick(clock);
        era_refresh_period(l);
    }
    struct era_node *n = smr_block_alloc(ERA_HEADER, size);
    /* seq_cst (a plain load on x86): the clock value current in S, so that
       a thread gives at most N nodes one birth era (the stall bound) */
    n->birth = atomic_load_explicit(clock, memory_order_seq_cst);
    n->retire = ERA_NONE;
    return (char *)n + ERA_HEADER;
}

/*
 * Stamp the retire era and queue the node; returns true when the list has
 * reached its threshold and the caller must scan. The node is unlinked and
 * owned by us: reading its birth is safe.
 */
static inline bool era_retire(_Atomic uint64_t *clock, struct era_local *l, struct era_node *n)
{
    smr_fence_seq_cst(); /* the unlink before the clock read, in S: see the top of this file */
    /* seq_cst (a plain load on x86): after the fence, the value current in
       S, so a node stamped r was retired after the clock reached r (the
       stall bound counts on it) */
    uint64_t r = atomic_load_explicit(clock, memory_order_seq_cst);
    n->retire = r;
    /* A node born in the current era: readers that validated this era pin
       every node born in it, so move the clock on, so that nodes allocated
       from now on are not pinned by them. At most once per N retires of this
       thread: an occasional shared increment, not one per operation. */
    if (SMR_UNLIKELY(++l->retires >= l->period) && n->birth == r) {
        l->retires = 0;
        era_tick(clock);
        era_refresh_period(l);
    }
    n->base.next = l->retired;
    l->retired = &n->base;
    return SMR_UNLIKELY(++l->nretired >= l->threshold);
}

/* The birth era a scan compares: the node's own, or in checked builds with
   the planted bug switched on, the first era (see smr_common.h). */
static inline uint64_t era_scan_birth(const struct era_node *n)
{
#ifdef SMR_CHECKED
    if (SMR_UNLIKELY(atomic_load_explicit(&smr_test_era_ignore_birth, memory_order_relaxed)))
        return ERA_FIRST;
#endif
    return n->birth;
}

/*
 * A scan's sweep: free every retired node of the list that no published era
 * pins (`pinned` asks the scan's snapshot about [birth, retire]), keep the
 * rest, and scan again once the list has doubled: after max(R, kept) more
 * retires. Each scan walks the whole list, what it keeps included; had the
 * next one come after R retires, a stalled era pinning K nodes would make
 * every retire cost K / R node visits. With at least `kept` new retires
 * between scans, a scan walks at most twice what was retired since the
 * last: O(1) per retire. Always inlined, so `pinned`, a constant at each
 * call, is a direct call.
 */
typedef bool (*era_pinned_fn)(const void *snapshot, uint64_t birth, uint64_t retire);

static inline __attribute__((always_inline)) void
era_sweep(struct era_local *l, era_pinned_fn pinned, const void *snapshot,
          size_t scan_threshold, struct smr_counters *c)
{
    struct smr_node_base *keep = NULL, *cur = l->retired;
    size_t kept = 0;
    while (cur) {
        struct smr_node_base *next = cur->next;
        struct era_node *e = (struct era_node *)cur;
        if (pinned(snapshot, era_scan_birth(e), e->retire)) {
            cur->next = keep;
            keep = cur;
            kept++;
        } else {
            smr_block_reclaim(cur, ERA_HEADER, c);
        }
        cur = next;
    }
    l->retired = keep;
    l->nretired = kept;
    l->threshold = kept + (kept > scan_threshold ? kept : scan_threshold);
}

/* Take over nodes left by unregistered threads (slow path). */
static inline void era_adopt_orphans(struct smr_orphans *o, struct era_local *l)
{
    struct smr_node_base *n = smr_orphans_take(o);
    while (n) {
        struct smr_node_base *next = n->next;
        n->next = l->retired;
        l->retired = n;
        l->nretired++;
        n = next;
    }
}

/* Unregister: hand what is left (already stamped) to the domain. */
static inline void era_give_orphans(struct smr_orphans *o, struct era_local *l)
{
    struct smr_node_base *tail = l->retired;
    while (tail && tail->next)
        tail = tail->next;
    smr_orphans_give(o, l->retired, tail);
    l->retired = NULL;
    l->nretired = 0;
}

/* R for the threads registered now. */
static inline size_t era_domain_r(struct era_domain *d)
{
    return era_scan_threshold(d->tuned_r, d->eras_per_thread, smr_records_count(&d->base.threads));
}

/* Domain creation: `eras_per_thread` 0 means one per hazard slot. */
static inline struct era_domain *era_domain_create(const struct smr_config *cfg,
                                                   const struct smr_scheme_info *info,
                                                   unsigned default_slots,
                                                   unsigned eras_per_thread, size_t header,
                                                   size_t thread_size, size_t counters_offset)
{
    unsigned nslots = smr_config_slots(cfg, default_slots, info->name);
    struct era_domain *d = smr_record_alloc(sizeof(*d));
    atomic_store_explicit(&d->clock, ERA_FIRST, memory_order_relaxed);
    smr_domain_base_init(&d->base, info->name, header, thread_size, counters_offset);
    d->nslots = nslots;
    d->eras_per_thread = eras_per_thread ? eras_per_thread : nslots;
    d->tuned_period = cfg ? cfg->tune[ERA_TUNE_PERIOD] : 0;
    d->tuned_r = cfg ? cfg->tune[ERA_TUNE_R] : 0;
    return d;
}

/* A registering thread's era state, fresh or reused. */
static inline void era_thread_start(struct era_domain *d, struct era_local *l)
{
    era_local_start(l, &d->base.threads, d->tuned_period, era_domain_r(d));
}

static inline void era_domain_stats(struct era_domain *d, struct smr_stats *out)
{
    smr_domain_base_stats(&d->base, out);
    out->epoch = atomic_load_explicit(&d->clock, memory_order_relaxed);
}

static inline void era_domain_destroy(struct era_domain *d, struct smr_stats *final,
                                      void (*free_scratch)(struct smr_record *r))
{
    smr_domain_base_teardown(&d->base);
    if (final)
        era_domain_stats(d, final);
    smr_domain_base_free(&d->base, free_scratch);
    free(d);
}

/*
 * The stall bound, shared by he and ibr: the most retired-but-unreclaimed
 * nodes with T registered threads, any of them (one stalled, the others
 * preempted at any point) holding any eras.
 *   T  threads            R  scan threshold     N  clock period (allocations)
 *                         (R and N as they are with T threads: a thread's
 *                         own values, from a record count <= T, are no more)
 *   L  cfg->max_live      E  eras one thread publishes at once
 *                            (he: its hazard slots; ibr: 1, see ibr.c)
 * 1. A published era v pins a node iff birth <= v <= retire. Such a node
 *    was either allocated before the clock reached v and retired after it
 *    did (allocated and not retired at that moment: at most L), or
 *    allocated while the clock read v: every thread advances the clock on
 *    each Nth allocation of its own (retires only advance it more), so at
 *    most N per thread. One era pins at most A = L + T*N nodes, however
 *    long it stays published: a stalled thread cannot pin more.
 * 2. A scan sees at most T*E published eras, so it keeps K <= T*E*A nodes.
 * 3. A thread's list holds what its last scan kept plus what it retired
 *    since; it scans when that reaches kept + max(R, kept) (the list has
 *    doubled, see era_sweep): at most K + max(R, K).
 * 4. A thread that unregisters scans and leaves at most K orphans, one more
 *    such list until a scan adopts them (as hp's bound counts them).
 * So unreclaimed <= (T + 1) * (K + max(R, K)), K = T*E*(L + T*N).
 * UINT64_MAX when L is unknown (cfg->max_live == 0); saturates instead of
 * overflowing.
 */
static inline uint64_t era_stall_bound(uint64_t threads, uint64_t scan_threshold,
                                       uint64_t period, uint64_t eras_per_thread,
                                       uint64_t max_live)
{
    if (max_live == 0)
        return UINT64_MAX;
    uint64_t pinned_per_era = smr_sat_add(max_live, smr_sat_mul(threads, period));
    uint64_t kept = smr_sat_mul(smr_sat_mul(threads, eras_per_thread), pinned_per_era);
    uint64_t list = smr_sat_add(kept, kept > scan_threshold ? kept : scan_threshold);
    return smr_sat_mul(threads + 1, list);
}

#endif /* SMR_ERA_COMMON_H */
