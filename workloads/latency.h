/*
 * latency.h - a per-thread log-linear latency histogram (HDR-style):
 * 16 linear sub-buckets per power of two, so any value is recorded within
 * 6.25 %. Recording is a count increment in the thread's own histogram; the
 * run loop times one operation in LATENCY_SAMPLE_EVERY with the cheapest
 * clock the machine has (the TSC on x86, converted to ns afterwards).
 */
#ifndef WORKLOAD_LATENCY_H
#define WORKLOAD_LATENCY_H

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

#define LATENCY_SUB_BITS 4
#define LATENCY_SUB (1u << LATENCY_SUB_BITS)
#define LATENCY_BUCKETS (64u * LATENCY_SUB)

struct latency_hist {
    uint64_t count[LATENCY_BUCKETS];
    uint64_t total;
    uint64_t max;
};

/* Ticks of the cheap clock: the TSC on x86, nanoseconds elsewhere.
   rdtsc is not ordered with the instructions around it: the lfence before
   each read waits for everything earlier to finish, the one after keeps
   later instructions from starting first, so the timed operation lies
   between the two reads. (rdtscp would do for the end, but some
   virtual machines do not expose it.) */
static inline uint64_t latency_start(void)
{
#if defined(__x86_64__) || defined(__i386__)
    _mm_lfence();
    uint64_t t = __rdtsc();
    _mm_lfence();
    return t;
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
#endif
}

static inline uint64_t latency_end(void)
{
    return latency_start(); /* the same fenced read */
}

/* The cost of the timing itself (the smallest of many empty timed regions),
   which the run loop subtracts from every sample. */
static inline uint64_t latency_overhead(void)
{
    uint64_t best = UINT64_MAX;
    for (int i = 0; i < 2000; i++) {
        uint64_t a = latency_start();
        uint64_t b = latency_end();
        if (b - a < best)
            best = b - a;
    }
    return best;
}

static inline unsigned latency_bucket(uint64_t v)
{
    if (v < LATENCY_SUB)
        return (unsigned)v;
    unsigned top = 63u - (unsigned)__builtin_clzll(v); /* >= LATENCY_SUB_BITS */
    unsigned shift = top - LATENCY_SUB_BITS;
    return (shift + 1) * LATENCY_SUB + (unsigned)((v >> shift) & (LATENCY_SUB - 1));
}

/* Smallest value that lands in bucket b. */
static inline uint64_t latency_bucket_low(unsigned b)
{
    if (b < LATENCY_SUB)
        return b;
    unsigned shift = b / LATENCY_SUB - 1;
    return (uint64_t)(LATENCY_SUB + b % LATENCY_SUB) << shift;
}

static inline void latency_record(struct latency_hist *h, uint64_t ticks)
{
    h->count[latency_bucket(ticks)]++;
    h->total++;
    if (ticks > h->max)
        h->max = ticks;
}

static inline void latency_merge(struct latency_hist *into, const struct latency_hist *h)
{
    for (unsigned b = 0; b < LATENCY_BUCKETS; b++)
        into->count[b] += h->count[b];
    into->total += h->total;
    if (h->max > into->max)
        into->max = h->max;
}

/* The q-quantile (0 < q <= 1) in ticks: the middle of its bucket. */
static inline uint64_t latency_quantile(const struct latency_hist *h, double q)
{
    if (!h->total)
        return 0;
    uint64_t rank = (uint64_t)(q * (double)h->total + 0.5), seen = 0;
    if (rank < 1)
        rank = 1;
    for (unsigned b = 0; b < LATENCY_BUCKETS; b++) {
        seen += h->count[b];
        if (seen >= rank) {
            uint64_t lo = latency_bucket_low(b), hi = latency_bucket_low(b + 1);
            uint64_t mid = lo + (hi - lo) / 2;
            return mid < h->max ? mid : h->max;
        }
    }
    return h->max;
}

/*
 * A histogram that one thread (or threads serialised by a lock) records
 * into while another reads it: relaxed atomics, so a concurrent snapshot is
 * no data race. The recorder increments with a relaxed load and store, no
 * locked instruction. Values are in whatever unit the recorder uses.
 */
struct latency_hist_shared {
    _Atomic uint64_t count[LATENCY_BUCKETS];
    _Atomic uint64_t total;
    _Atomic uint64_t max;
};

static inline void latency_shared_add(_Atomic uint64_t *c, uint64_t n)
{
    atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n,
                          memory_order_relaxed);
}

static inline void latency_shared_record(struct latency_hist_shared *h, uint64_t v)
{
    latency_shared_add(&h->count[latency_bucket(v)], 1);
    latency_shared_add(&h->total, 1);
    if (v > atomic_load_explicit(&h->max, memory_order_relaxed))
        atomic_store_explicit(&h->max, v, memory_order_relaxed);
}

/* A snapshot (relaxed loads: counts may be a few records apart). */
static inline void latency_shared_read(const struct latency_hist_shared *h, struct latency_hist *out)
{
    for (unsigned b = 0; b < LATENCY_BUCKETS; b++)
        out->count[b] = atomic_load_explicit(&h->count[b], memory_order_relaxed);
    out->total = atomic_load_explicit(&h->total, memory_order_relaxed);
    out->max = atomic_load_explicit(&h->max, memory_order_relaxed);
}

/*
 * What was recorded between two snapshots of the same histogram. The max
 * of the interval is not kept: it is the top of the highest bucket that
 * gained a count (within 6.25 %), capped by the overall max.
 */
static inline void latency_diff(struct latency_hist *out, const struct latency_hist *end,
                                const struct latency_hist *start)
{
    out->total = 0;
    out->max = 0;
    for (unsigned b = 0; b < LATENCY_BUCKETS; b++) {
        uint64_t n = end->count[b] > start->count[b] ? end->count[b] - start->count[b] : 0;
        out->count[b] = n;
        out->total += n;
        if (n) {
            uint64_t top = b + 1 < LATENCY_BUCKETS ? latency_bucket_low(b + 1) - 1 : UINT64_MAX;
            out->max = top < end->max ? top : end->max;
        }
    }
}

#endif /* WORKLOAD_LATENCY_H */
