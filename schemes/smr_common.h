/*
 * smr_common.h - pieces every reclamation scheme shares: the node header
 * base, per-thread counters, statistics, scheme descriptions, and the
 * checked-build hooks (poison-on-reclaim, the unsafe negative control).
 *
 * Nothing here knows which scheme is compiled; schemes/smr.h maps the
 * generic smr_* names onto one scheme.
 */
#ifndef SMR_COMMON_H
#define SMR_COMMON_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * Per-thread data that other threads read is aligned to two cache lines:
 * adjacent-line prefetchers on x86 pull pairs of 64-byte lines, so 64-byte
 * padding still lets neighbours interfere.
 */
#define SMR_CACHE_LINE 64
#define SMR_PAD_ALIGN 128

#define SMR_LIKELY(x) __builtin_expect(!!(x), 1)
#define SMR_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* Hazard slots a thread may use (hp, he, ...); structures say how many they need. */
#define SMR_MAX_SLOTS 8
/* Tunables a scheme may declare. */
#define SMR_MAX_TUNABLES 4

typedef void (*smr_reclaim_fn)(void *p, void *ctx);

/* A pointer shared between threads that a scheme can protect. */
typedef _Atomic(void *) smr_atomic_ptr;

/*
 * Every scheme's node header begins with this. The payload handed to the
 * structure follows the scheme's whole header, 16-byte aligned.
 */
struct smr_node_base {
    struct smr_node_base *next; /* retired-list link, owned by the scheme */
    smr_reclaim_fn fn;          /* finaliser run before the block is freed, or NULL */
    void *ctx;
    size_t size;                /* payload bytes: unreclaimed-bytes accounting */
};

/*
 * Counters written only by their owner thread and read by anyone (sampler,
 * smr_stats) with relaxed loads. The owner increments with a relaxed
 * load+store, never an atomic RMW: no locked instruction on the hot path.
 */
struct smr_counters {
    _Atomic uint64_t retired;
    _Atomic uint64_t reclaimed; /* freed by this thread, whoever retired them */
    _Atomic uint64_t retired_bytes;
    _Atomic uint64_t reclaimed_bytes;
    _Atomic uint64_t scans;     /* slow-path reclamation attempts */
};

static inline void smr_counter_add(_Atomic uint64_t *c, uint64_t n)
{
    atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n,
                          memory_order_relaxed);
}

static inline uint64_t smr_counter_get(_Atomic uint64_t *c)
{
    return atomic_load_explicit(c, memory_order_relaxed);
}

struct smr_stats {
    uint64_t retired;
    uint64_t reclaimed;
    uint64_t retired_bytes;
    uint64_t reclaimed_bytes;
    uint64_t scans;
    uint64_t threads;     /* thread records ever created */
    uint64_t epoch;       /* global epoch/era where the scheme has one, else 0 */
};

static inline void smr_stats_add_counters(struct smr_stats *s, struct smr_counters *c)
{
    s->retired += smr_counter_get(&c->retired);
    s->reclaimed += smr_counter_get(&c->reclaimed);
    s->retired_bytes += smr_counter_get(&c->retired_bytes);
    s->reclaimed_bytes += smr_counter_get(&c->reclaimed_bytes);
    s->scans += smr_counter_get(&c->scans);
}

/*
 * A full fence (StoreLoad included), used by the slow paths that read other
 * threads' announcements. The TSan build (SMR_SANITIZE=thread defines
 * SMR_TSAN) keeps the very same seq_cst fence, on every target.
 * ThreadSanitizer does not model fences (it derives no happens-before from
 * them) and gcc 12 says so (-Wtsan, an error under -Werror): that warning
 * is silenced here, not the fence. The fence is still compiled, and TSan's
 * runtime executes it as a full barrier (__tsan_atomic_thread_fence runs
 * __sync_synchronize), so the instrumented code is ordered as the real one.
 * This build once used a seq_cst read-modify-write of a thread-private
 * variable instead: a full barrier on x86 only. It is no StoreLoad barrier
 * in C11 (a seq_cst RMW of one location orders no other location's release
 * store before its acquire load) nor on aarch64 without LSE atomics, where
 * the ldaxr/stlxr loop lets a later load pass an earlier store. The schemes
 * never rely on a fence for happens-before: that comes from the
 * acquire/release pairs on announcements and hazard slots, which TSan sees.
 */
static inline void smr_fence_seq_cst(void)
{
#if defined(SMR_TSAN) && defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wtsan"
    atomic_thread_fence(memory_order_seq_cst);
#pragma GCC diagnostic pop
#else
    atomic_thread_fence(memory_order_seq_cst); /* clang's TSan accepts it as is */
#endif
}

/*
 * Store `v` and order that store before every later load of this thread
 * (StoreLoad): the announcement half of EBR's enter and of a hazard-pointer
 * publish. On x86 a locked exchange is a full barrier and cheaper than
 * mfence; its acquire half keeps the compiler from hoisting later loads
 * above it. Elsewhere: a release store and a seq_cst fence.
 */
static inline void smr_publish_u64(_Atomic uint64_t *slot, uint64_t v)
{
#if defined(__x86_64__) || defined(__i386__)
    (void)atomic_exchange_explicit(slot, v, memory_order_seq_cst);
#else
    atomic_store_explicit(slot, v, memory_order_release);
    smr_fence_seq_cst();
#endif
}

static inline void smr_publish_ptr(smr_atomic_ptr *slot, void *v)
{
#if defined(__x86_64__) || defined(__i386__)
    (void)atomic_exchange_explicit(slot, v, memory_order_seq_cst);
#else
    atomic_store_explicit(slot, v, memory_order_release);
    smr_fence_seq_cst();
#endif
}

/* Garbage bounds' arithmetic: saturates at UINT64_MAX ("no bound") instead
   of wrapping. */
static inline uint64_t smr_sat_mul(uint64_t a, uint64_t b)
{
    return (b && a > UINT64_MAX / b) ? UINT64_MAX : a * b;
}

static inline uint64_t smr_sat_add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Hazard-pointer scans: a snapshot of hazards sorted with smr_ptr_cmp
   (qsort), then asked about each retired node. */
static inline int smr_ptr_cmp(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (void *const *)a, y = (uintptr_t) * (void *const *)b;
    return (x > y) - (x < y);
}

/* A scan's snapshot array grown to hold `need` entries (a scan never skips
   one: threads may register while it runs). */
static inline void **smr_snapshot_reserve(void **snap, size_t *cap, size_t need)
{
    if (need <= *cap)
        return snap;
    *cap = need * 2;
    snap = realloc(snap, *cap * sizeof(void *));
    if (!snap)
        abort();
    return snap;
}

static inline bool smr_sorted_has(void *const *snap, size_t n, const void *p)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((uintptr_t)snap[mid] < (uintptr_t)p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && snap[lo] == p;
}

/* What `smrbench list` prints and what the harness uses to validate tunables. */
struct smr_tunable {
    const char *name;
    long def, min, max;
    const char *help;
};

struct smr_config;

struct smr_scheme_info {
    const char *name;           /* CLI name, e.g. "hp" */
    const char *summary;        /* one line */
    bool robust;                /* garbage stays bounded while a thread stalls in an operation */
    bool reclaims;              /* false only for the leaky baseline */
    /* protect's `slot` selects one of the thread's hazard_slots slots (hp,
       hp-asym, he, ibr, ck-hp); the other schemes ignore it. */
    bool uses_slots;
    unsigned ntunables;
    struct smr_tunable tunables[SMR_MAX_TUNABLES];
    /* Robust schemes: the most retired-but-unreclaimed nodes a domain may
       hold, whatever the run length, with `threads` registered threads, one
       of them stalled inside an operation, under `cfg`. The stall test
       asserts it. UINT64_MAX where the configuration gives no bound (era
       schemes without cfg->max_live, ibr with several slots). NULL for
       schemes with no such bound (ebr, qsbr, ...). */
    uint64_t (*garbage_bound)(const struct smr_config *cfg, unsigned threads);
    /* What the scheme guarantees about its garbage, in one line: the bound
       as a formula of threads, slots and thresholds, or "unbounded" and
       when (printed by `smrbench list`, kept in step with docs/schemes.md). */
    const char *guarantee;
    /* The values its thresholds and periods take with `threads` registered
       threads under `cfg` ("R=256 era_period=512"), written to buf; NULL
       for schemes with none. `smrbench list` and run.json show them. */
    void (*effective)(const struct smr_config *cfg, unsigned threads, char *buf, size_t len);
    /* A line about how the scheme runs on this machine (e.g. hp-asym's
       membarrier or its fallback), printed by `smrbench list`; NULL if none. */
    const char *(*runtime_note)(void);
    /* NULL for a scheme of smr.h, which serves every structure. Otherwise
       the one structure this grace-period provider is native to (dbmap's
       reader epochs, "dbmap"): listed with the schemes, valid only there. */
    const char *only_structure;
};

struct smr_config {
    unsigned max_threads;       /* expected threads (sizing hint, not a limit) */
    unsigned hazard_slots;      /* slots per thread the structure uses (<= SMR_MAX_SLOTS) */
    long tune[SMR_MAX_TUNABLES];/* by index in smr_scheme_info.tunables; 0 = default */
    /* The most nodes allocated and not yet retired at any one moment (the
       structure's contents plus nodes in flight), 0 = unknown. Only
       garbage_bound reads it: a thread stalled at era e pins every node
       alive at e, so era-based schemes' bounds grow with it. */
    uint64_t max_live;
};

static inline long smr_config_tunable(const struct smr_config *cfg,
                                      const struct smr_scheme_info *info, unsigned i)
{
    long v = cfg ? cfg->tune[i] : 0;
    return v ? v : info->tunables[i].def;
}

/*
 * Domain creation's check of the configuration, in every build: more
 * hazard slots than a thread record has (SMR_MAX_SLOTS) is a structure's
 * bug that protect would turn into writes past the record, so it stops the
 * program with one line naming the scheme and both numbers, never clamps.
 * Returns the slot count: cfg->hazard_slots, or `def` when it is 0.
 */
unsigned smr_config_slots(const struct smr_config *cfg, unsigned def, const char *scheme);

/*
 * Slow-path periods that grow with the registered threads. A slow path
 * that walks every thread record (an epoch advance, a grace-period check,
 * a hazard scan) run once per `floor` retires costs O(T) per `floor`
 * retires: O(T) per retire, O(T^2) for the whole machine. Run once per
 * max(floor, per_thread x T) retires instead, it costs O(1) per retire.
 * `tuned` (the tunable, 0 = automatic) fixes the value when the user set
 * one. `threads` is what the domain's record count says at the time.
 */
static inline unsigned long smr_scaled(long tuned, unsigned long floor, unsigned long per_thread,
                                       unsigned long threads)
{
    if (tuned > 0)
        return (unsigned long)tuned;
    return per_thread * threads > floor ? per_thread * threads : floor;
}

/* Thread records the domain has created (the most registered at once): what
   smr_scaled reads in slow paths. relaxed: a sizing hint, it orders nothing. */
#define smr_records_count(l) atomic_load_explicit(&(l)->count, memory_order_relaxed)

/*
 * Checked builds (tests) poison a node's payload before freeing it so that a
 * premature free is seen by the structure's canary checks even without a
 * sanitizer, and offer a deliberately unsafe switch (free on retire) that
 * the stress tests must catch.
 */
#define SMR_POISON_BYTE 0xA5
#ifdef SMR_CHECKED
extern _Atomic int smr_test_free_on_retire;
extern _Atomic unsigned smr_test_yield_every;
/* When set (with smr_test_yield_every non-zero, so windows take the slow
   path), every race window calls it instead of yielding: a test runs
   another handle's step at an exact point of a window (hyaline_late_push.c). */
extern void (*_Atomic smr_test_window_hook)(void);
/* Era schemes' planted bug (the stall-bound test's negative control): scans
   take every node's birth era as the first era, so a stalled thread's era
   pins every node retired after it, as under EBR. */
extern _Atomic int smr_test_era_ignore_birth;
void smr_check_failed(const char *what, const void *p);
void smr_check_slot_failed(unsigned slot, unsigned nslots);
void smr_test_window_slow(void);
#endif

/* Checked builds: protect's slot is one the domain gave the thread (a slot
   past them would alias another thread's or nothing, and free early). */
static inline void smr_check_slot(unsigned slot, unsigned nslots)
{
#ifdef SMR_CHECKED
    if (SMR_UNLIKELY(slot >= nslots))
        smr_check_slot_failed(slot, nslots);
#else
    (void)slot;
    (void)nslots;
#endif
}

/*
 * A preemption point inside a race window (between loading a shared value
 * and publishing or acting on it). In checked builds, with
 * smr_test_yield_every = N, every Nth pass yields the CPU, so stress tests
 * reach interleavings a 2-core machine rarely produces. Nothing otherwise.
 */
static inline void smr_test_window(void)
{
#ifdef SMR_CHECKED
    if (SMR_UNLIKELY(atomic_load_explicit(&smr_test_yield_every, memory_order_relaxed)))
        smr_test_window_slow();
#endif
}

/* Header-size rounding so the payload stays 16-byte aligned. */
#define SMR_HEADER_SIZE(type) ((sizeof(type) + 15u) & ~(size_t)15u)

static inline void *smr_block_alloc(size_t header, size_t size)
{
    char *b = malloc(header + size);
    if (SMR_UNLIKELY(!b))
        abort();
    struct smr_node_base *n = (struct smr_node_base *)b;
    n->next = NULL;
    n->fn = NULL;
    n->ctx = NULL;
    n->size = size;
    return b;
}

/* Run the finaliser, poison (checked builds), count and free one node. */
static inline void smr_block_reclaim(struct smr_node_base *n, size_t header,
                                     struct smr_counters *c)
{
    void *payload = (char *)n + header;
    size_t size = n->size;
    if (n->fn)
        n->fn(payload, n->ctx);
#ifdef SMR_CHECKED
    memset(payload, SMR_POISON_BYTE, size);
#endif
    smr_counter_add(&c->reclaimed, 1);
    smr_counter_add(&c->reclaimed_bytes, size);
    free(n);
}

/* Reclaim a whole chain of retired nodes (linked through next) on `c`. */
static inline void smr_reclaim_chain(struct smr_node_base *n, size_t header,
                                     struct smr_counters *c)
{
    while (n) {
        struct smr_node_base *next = n->next;
        smr_block_reclaim(n, header, c);
        n = next;
    }
}

static inline void smr_block_note_retire(struct smr_node_base *n, smr_reclaim_fn fn,
                                         void *ctx, struct smr_counters *c)
{
    n->fn = fn;
    n->ctx = ctx;
    smr_counter_add(&c->retired, 1);
    smr_counter_add(&c->retired_bytes, n->size);
}

/*
 * The negative control, compiled into checked builds only: reclaim at once,
 * ignoring every reader. Each scheme's retire starts with this.
 */
#ifdef SMR_CHECKED
#define SMR_TEST_UNSAFE_RETIRE(n, header, counters)                                   \
    do {                                                                                \
        if (SMR_UNLIKELY(atomic_load_explicit(&smr_test_free_on_retire,                 \
                                              memory_order_relaxed))) {                 \
            smr_block_reclaim((n), (header), (counters));                               \
            return;                                                                     \
        }                                                                               \
    } while (0)
#else
#define SMR_TEST_UNSAFE_RETIRE(n, header, counters) ((void)0)
#endif

/*
 * Thread records: each scheme's per-thread struct begins with this. Records
 * are pushed once onto a domain-wide list, never unlinked before the domain
 * is destroyed, and reused after their thread unregisters, so scanners walk
 * the list without locks.
 */
struct smr_record {
    struct smr_record *_Atomic next;
    _Atomic int in_use;
};

struct smr_record_list {
    struct smr_record *_Atomic head;
    _Atomic unsigned count;     /* records ever pushed */
};

/* Claim a record whose thread unregistered, or NULL. */
struct smr_record *smr_records_claim(struct smr_record_list *l);
/* Publish a new record (marked in use). */
void smr_records_push(struct smr_record_list *l, struct smr_record *r);
/* Mark a record free for reuse; everything its thread wrote happens before the next claim. */
void smr_records_release(struct smr_record *r);

static inline struct smr_record *smr_records_first(struct smr_record_list *l)
{
    /* acquire: the record's initialisation happens before we read it */
    return atomic_load_explicit(&l->head, memory_order_acquire);
}

static inline struct smr_record *smr_records_next(struct smr_record *r)
{
    return atomic_load_explicit(&r->next, memory_order_acquire);
}

/* A scheme's stats: the counters of every record of `threads` (each
   `counters_offset` bytes into its thread struct, which begins with the
   record) plus the domain's own `domain` counters. */
void smr_stats_collect(struct smr_stats *out, struct smr_record_list *threads,
                       size_t counters_offset, struct smr_counters *domain);
/* Domain destroy: free every record of the list; `free_scratch` (may be
   NULL) first frees what a thread struct owns besides itself. */
void smr_records_free_all(struct smr_record_list *l, void (*free_scratch)(struct smr_record *r));
/* Domain destroy, first thing, in every build: a record still in use means a
   thread is still registered and may be inside an operation, so freeing
   records and retired nodes would pull memory from under it. Stops the
   program with one line naming the scheme and the count. */
void smr_records_check_unused(struct smr_record_list *l, const char *scheme);

/* Allocate a zeroed, SMR_PAD_ALIGN-aligned record of `size` bytes (aborts on OOM). */
void *smr_record_alloc(size_t size);

/* A lock-protected list of nodes left by unregistered threads (slow path only). */
#include <pthread.h>
struct smr_orphans {
    pthread_mutex_t lock;
    struct smr_node_base *head;
    _Atomic int nonempty;       /* cheap check before taking the lock */
};

void smr_orphans_init(struct smr_orphans *o);
void smr_orphans_destroy(struct smr_orphans *o);
/* Append a chain (head..tail) of retired nodes. */
void smr_orphans_give(struct smr_orphans *o, struct smr_node_base *head,
                      struct smr_node_base *tail);
/* Take every orphan; returns the chain (NULL if none). */
struct smr_node_base *smr_orphans_take(struct smr_orphans *o);

#endif /* SMR_COMMON_H */
