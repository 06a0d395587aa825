/*
 * litmus_rig.h - the round handshake the litmus tests share
 * (hp_asym_litmus.c, protect_litmus.c): a scanner thread and a reader
 * thread meet every round so that the reader's protect and the scanner's
 * unlink land close together, with both threads spinning on two CPUs at
 * once (ctest runs these tests RUN_SERIAL).
 *
 * A round i: the scanner resets the shared pointer and starts it with
 * go = i; the reader stores ready = i and then `bounce` and protects; the
 * scanner, told the reader is about to protect (a cache miss later), waits
 * its adaptive delay and unlinks; each side says it finished its part with
 * *_done = i. The delay adapts: the unlink comes earlier after a round the
 * reader won (protected the pointer), later after one it lost, so it keeps
 * landing near the reader's protect, where the race is; the jitter spreads
 * rounds across it. A negative delay holds the reader back instead (after
 * it said ready, before `bounce`): where the scanner, told late, would
 * otherwise always unlink after the protect.
 */
#ifndef LITMUS_RIG_H
#define LITMUS_RIG_H

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "rng.h"
#include "smr_common.h"

#define LITMUS_READER_JITTER 16
#define LITMUS_SCANNER_JITTER 32
#define LITMUS_SCANNER_STEP 4
/* Beyond a few microseconds either way the race is missed for sure; the
   bound keeps rounds where one side was preempted (which the other side
   then wins) from dragging the delay there. */
#define LITMUS_DELAY_LIMIT 2048

struct litmus_rig {
    _Atomic uint64_t go, reader_ready, reader_done, scanner_done, stop;
    _Atomic int reader_won; /* this round's protect returned the pointer (the reader's) */
    /* Written by both sides each round, so the reader's store to it misses
       in its cache: its publication, queued behind it (x86 drains stores in
       order), stays invisible longer while the re-validating load runs.
       This widens the window an unfenced publication opens, as any pending
       store of a real reader would. */
    alignas(SMR_PAD_ALIGN) _Atomic uint64_t bounce;
    /* > 0: the scanner's spin before its unlink; < 0: the reader's before
       its protect. Set by the scanner before go. */
    alignas(SMR_PAD_ALIGN) _Atomic int delay;
    uint64_t reader_rng, scanner_rng; /* rng_splitmix64 states, each owned by its side */
};

/* A rig's initial value. */
#define LITMUS_RIG_INIT {.reader_rng = 0x2545f4914f6cdd1dull, .scanner_rng = 0x9e3779b97f4a7c15ull}

/* Spin base + 0..jitter-1 steps of a few cycles each. */
static inline void litmus_spin(uint64_t *rng, unsigned base, unsigned jitter)
{
    for (volatile unsigned n = base + (unsigned)(rng_splitmix64(rng) % jitter); n; n--)
        ;
}

/* Wait until *flag reaches `want` or the rig stops; returns what it read. */
static inline uint64_t litmus_wait(struct litmus_rig *rig, _Atomic uint64_t *flag, uint64_t want)
{
    uint64_t v;
    unsigned spins = 0;
    /* acquire: the other side's writes of this round are visible */
    while ((v = atomic_load_explicit(flag, memory_order_acquire)) < want &&
           !atomic_load_explicit(&rig->stop, memory_order_relaxed))
        /* The other side was preempted: let it run rather than burn the
           time slice it needs. */
        if (++spins % 4096 == 0)
            sched_yield();
    return v;
}

/* The reader, once per round: wait for round i, then say it is about to
   protect. False when the rig stopped: the reader's loop ends. */
static inline bool litmus_reader_start(struct litmus_rig *rig, uint64_t i)
{
    if (litmus_wait(rig, &rig->go, i) < i)
        return false;
    litmus_spin(&rig->reader_rng, 0, LITMUS_READER_JITTER);
    /* ready before bounce: the scanner seeing ready (TSO drains stores in
       order) says nothing about whether bounce and the publication behind
       it have left the store buffer. */
    atomic_store_explicit(&rig->reader_ready, i, memory_order_relaxed);
    int delay = atomic_load_explicit(&rig->delay, memory_order_relaxed);
    if (delay < 0)
        litmus_spin(&rig->reader_rng, (unsigned)-delay, 1);
    atomic_store_explicit(&rig->bounce, i, memory_order_relaxed);
    return true;
}

/* The scanner, once the shared pointer is reset: start round i and wait
   until the reader is about to protect, plus the adaptive delay. */
static inline void litmus_scanner_start(struct litmus_rig *rig, uint64_t i)
{
    atomic_store_explicit(&rig->bounce, i, memory_order_relaxed);
    /* release: the reset pointer is visible to the reader's round i */
    atomic_store_explicit(&rig->go, i, memory_order_release);
    litmus_wait(rig, &rig->reader_ready, i);
    int delay = atomic_load_explicit(&rig->delay, memory_order_relaxed);
    litmus_spin(&rig->scanner_rng, delay > 0 ? (unsigned)delay : 0, LITMUS_SCANNER_JITTER);
}

/* The scanner, just before its unlink: take the `bounce` line back. A
   reader store to it still waiting for the line must fetch it again, so a
   publication queued behind it stays invisible longer. (Harmless to a
   correct protect: its barrier waits for both stores.) */
static inline void litmus_scanner_steal(struct litmus_rig *rig, uint64_t i)
{
    atomic_store_explicit(&rig->bounce, i, memory_order_relaxed);
}

/* The scanner, after the round: move the unlink towards the reader's
   protect (earlier after a round the reader won, later after one it lost);
   takes effect from the next round's go. */
static inline void litmus_scanner_adapt(struct litmus_rig *rig, bool reader_won)
{
    /* relaxed: the reader reads it after go, whose release publishes it */
    int delay = atomic_load_explicit(&rig->delay, memory_order_relaxed);
    if (reader_won && delay > -LITMUS_DELAY_LIMIT)
        delay -= LITMUS_SCANNER_STEP;
    else if (!reader_won && delay < LITMUS_DELAY_LIMIT)
        delay += LITMUS_SCANNER_STEP;
    atomic_store_explicit(&rig->delay, delay, memory_order_relaxed);
}

/* The scanner, its part of round i done: tell the reader, wait for it to
   leave, adapt the delay; returns whether the reader won the round. */
static inline bool litmus_scanner_finish(struct litmus_rig *rig, uint64_t i)
{
    /* release: what the scanner saw and did this round reaches the reader */
    atomic_store_explicit(&rig->scanner_done, i, memory_order_release);
    litmus_wait(rig, &rig->reader_done, i);
    bool won = atomic_load_explicit(&rig->reader_won, memory_order_relaxed);
    litmus_scanner_adapt(rig, won);
    return won;
}

/* Pin the caller (the scanner) and the reader to two different CPUs of
   those this process may use: the race needs both running at once, and on
   a busy machine the scheduler often puts them on one CPU, where a reader
   sees its own stores in order (measured here: with the barrier dropped,
   caught in under a second when pinned, in 1 of 4 runs of 4 s when not).
   False if the process may use fewer than two CPUs. */
static inline bool litmus_pin_apart(pthread_t reader)
{
    cpu_set_t allowed, one;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0 || CPU_COUNT(&allowed) < 2)
        return false;
    int cpu[2], n = 0;
    for (int c = 0; c < CPU_SETSIZE && n < 2; c++)
        if (CPU_ISSET(c, &allowed))
            cpu[n++] = c;
    CPU_ZERO(&one);
    CPU_SET(cpu[0], &one);
    if (pthread_setaffinity_np(pthread_self(), sizeof one, &one) != 0)
        return false;
    CPU_ZERO(&one);
    CPU_SET(cpu[1], &one);
    return pthread_setaffinity_np(reader, sizeof one, &one) == 0;
}

static inline double litmus_seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) * 1e-9;
}

/* The longest a litmus run goes on, however few rounds it made. */
#define LITMUS_MAX_SECONDS 30.0

/* Is a run that started at t0 and made `rounds` rounds over? Past
   `budget_s` once it made `min_rounds` (the catch rate is per round, and
   a loaded machine or a sanitizer slows rounds down), or past
   LITMUS_MAX_SECONDS. Looks at the clock every 64th round only. */
static inline bool litmus_run_over(const struct timespec *t0, uint64_t rounds, double budget_s,
                                   uint64_t min_rounds)
{
    if (rounds % 64 != 0)
        return false;
    double t = litmus_seconds_since(t0);
    return (t > budget_s && rounds >= min_rounds) || t > LITMUS_MAX_SECONDS;
}

#endif /* LITMUS_RIG_H */
