/*
 * latency.h - a per-thread log-linear latency histogram (HDR-style):
 * 16 linear sub-buckets per power of two, so any value is recorded within
 * 6.25 %. Recording is a count increment in the thread's own histogram; the
 * run loop times one operation in LATENCY_SAMPLE_EVERY with the cheapest
 * clock the machine has (the TSC on x86, converted to ns afterwards).
 */
#ifndef WORKLOAD_LATENCY_H
#define WORKLOAD_LATENCY_H

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

#endif /* WORKLOAD_LATENCY_H */
