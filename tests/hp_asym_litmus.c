/*
 * hp_asym_litmus.c - the store-buffering race hp-asym's membarrier closes,
 * run as a litmus test on the real code: a reader thread calls
 * smr_protect (hp-asym's protect) on a shared pointer while a scanner
 * thread unlinks it, runs the scan barrier and reads the reader's hazard
 * slot, as a scan does. Forbidden outcome: protect returned the pointer
 * (re-validated it) and the scanner did not see the hazard; a scan would
 * then free a node the reader uses.
 *
 *   hp_asym_litmus [SECONDS]
 *       The real pairing: the domain's mode (membarrier where available,
 *       else the fallback's full barriers) with hp_scan_barrier. Must never
 *       show the forbidden outcome.
 *   hp_asym_litmus --scan-fence-only [SECONDS]
 *       The negative control: compiler-barrier protect, but the scanner
 *       issues only its own fence (hp's scan barrier), not membarrier. The
 *       CPU may let the reader's reload pass its hazard store, so the
 *       forbidden outcome must show up; exit 77 (skipped) if it did not in
 *       the time given (5 s), e.g. when the two threads never ran at once.
 *
 * Here the negative control sees the race about once per 10^4..10^5
 * rounds; membarrier costs tens of microseconds in a VM, so the default
 * 1.5 s of the real pairing is a smoke test: give it minutes for power.
 *
 * Both threads spin; random delays make their windows overlap. The
 * scanner unlinks only after the reader said it is about to protect, so
 * the two windows meet even when other processes share the CPUs (ctest
 * also runs the variants serially: each needs two CPUs at once).
 */
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <time.h>

#include "hp_core.h"
#include "smr.h"
#include "test_util.h"

#define SKIPPED 77
/* The scanner learns that the reader is about to protect a cache miss
   later. The scanner's delay before its unlink adapts:
   shorter after a round the reader won (protected the pointer), longer
   after one it lost, so the unlink keeps landing near the reader's
   protect, where the race is; the jitter spreads rounds across it. */
#define READER_JITTER 16
#define SCANNER_JITTER 32
#define SCANNER_STEP 4

static smr_domain_t *domain;
static smr_atomic_ptr src;
static int target; /* what src points to; never dereferenced */
static bool fence_only;

/* Round handshakes: the scanner starts round i with go = i; the reader
   says it is about to protect with reader_ready = i; each side says it
   finished its part with *_done = i. */
static _Atomic uint64_t go, reader_ready, reader_done, scanner_done, stop;
static _Atomic int reader_got_target; /* this round's protect returned &target */
/* Written by both sides each round, so the reader's store to it misses in
   its cache: its hazard store, queued behind it (x86 drains stores in
   order), stays invisible longer while the reload runs. This widens the
   window the negative control looks for, as any pending store of a real
   reader would. Not static: no reader in this file, and a compiler may
   delete stores to a static nobody reads. */
alignas(SMR_PAD_ALIGN) _Atomic uint64_t bounce;
static smr_thread_t *reader_t;

static uint64_t xorshift(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

/* Spin base + 0..jitter-1 steps of a few cycles each. */
static void spin_delay(uint64_t *rng, unsigned base, unsigned jitter)
{
    for (volatile unsigned n = base + (unsigned)(xorshift(rng) % jitter); n; n--)
        ;
}

static uint64_t wait_for(_Atomic uint64_t *flag, uint64_t want)
{
    uint64_t v;
    unsigned spins = 0;
    /* acquire: the other side's writes of this round are visible */
    while ((v = atomic_load_explicit(flag, memory_order_acquire)) < want &&
           !atomic_load_explicit(&stop, memory_order_relaxed))
        /* The other side was preempted: let it run rather than burn the
           time slice it needs. */
        if (++spins % 4096 == 0)
            sched_yield();
    return v;
}

static void *reader_main(void *arg)
{
    (void)arg;
    uint64_t rng = 0x2545f4914f6cdd1dull;
    smr_thread_t *t = reader_t;
    for (uint64_t i = 1;; i++) {
        if (wait_for(&go, i) < i)
            break;
        spin_delay(&rng, 0, READER_JITTER);
        /* ready before bounce: the scanner seeing ready (TSO drains stores
           in order) says nothing about whether bounce and the hazard store
           behind it have left the store buffer. */
        atomic_store_explicit(&reader_ready, i, memory_order_relaxed);
        atomic_store_explicit(&bounce, i, memory_order_relaxed);
        smr_enter(t);
        void *p = smr_protect(t, 0, &src);
        atomic_store_explicit(&reader_got_target, p == &target, memory_order_relaxed);
        /* Keep the hazard until the scanner has read it. */
        if (wait_for(&scanner_done, i) < i)
            break;
        smr_leave(t);
        /* release: the result and the cleared slot reach the scanner */
        atomic_store_explicit(&reader_done, i, memory_order_release);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int a = 1;
    fence_only = argc > a && strcmp(argv[a], "--scan-fence-only") == 0;
    a += fence_only;
    double budget_s = fence_only ? 5.0 : 1.5;
    if (argc > a)
        budget_s = atof(argv[a++]);
    if (argc > a || budget_s <= 0) {
        fprintf(stderr, "usage: %s [--scan-fence-only] [SECONDS]\n", argv[0]);
        return 2;
    }
    struct smr_config cfg = {.max_threads = 2, .hazard_slots = 1};
    domain = smr_domain_create(&cfg);
    reader_t = smr_thread_register(domain);
    smr_thread_t *scanner_t = smr_thread_register(domain);
    /* The mode: membarrier unless it is refused or the fallback is forced. */
    const char *force = getenv("SMR_HP_ASYM_FALLBACK");
    bool want_asym = !(force && *force && strcmp(force, "0") != 0) && smr_membarrier_setup() == 0;
    CHECK(reader_t->asym == want_asym && scanner_t->asym == want_asym,
          "domain chose %s, expected %s", reader_t->asym ? "membarrier" : "the fallback",
          want_asym ? "membarrier" : "the fallback");
#ifdef SMR_TSAN
    if (fence_only) {
        /* TSan's release store locks its sync variable: a full barrier on
           x86, so the reordering this control looks for cannot happen. */
        printf("TSan build: its atomics fence the reader's store; the release build runs this "
               "control\n");
        return SKIPPED;
    }
#endif
    if (fence_only && !reader_t->asym) {
        printf("hp-asym runs in fallback mode here: the negative control needs its "
               "compiler-barrier protect\n");
        return SKIPPED;
    }
    printf("reader's protect: %s; scanner's barrier: %s\n",
           reader_t->asym ? "compiler barrier" : "full barrier (fallback)",
           fence_only ? "fence only (negative control)"
                      : (reader_t->asym ? "membarrier" : "fence (fallback)"));

    pthread_t th;
    atomic_store(&src, &target);
    pthread_create(&th, NULL, reader_main, NULL);

    uint64_t rng = 0x9e3779b97f4a7c15ull, rounds = 0, protected_rounds = 0, forbidden = 0;
    unsigned delay = 0;
    /* The negative control stops at the first forbidden outcome. */
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (uint64_t i = 1;; i++) {
        atomic_store_explicit(&src, &target, memory_order_relaxed);
        atomic_store_explicit(&bounce, i, memory_order_relaxed);
        /* release: the reset src is visible to the reader's round i */
        atomic_store_explicit(&go, i, memory_order_release);
        wait_for(&reader_ready, i);
        spin_delay(&rng, delay, SCANNER_JITTER);
        /* The unlink, then the scan's barrier, then the scan's read. */
        atomic_store_explicit(&src, NULL, memory_order_relaxed);
        if (fence_only)
            smr_fence_seq_cst();
        else
            hp_scan_barrier(scanner_t, true);
        void *seen = atomic_load_explicit(&reader_t->hazard[0], memory_order_acquire);
        atomic_store_explicit(&scanner_done, i, memory_order_release);
        wait_for(&reader_done, i);
        bool got = atomic_load_explicit(&reader_got_target, memory_order_relaxed);
        rounds++;
        protected_rounds += got;
        if (got)
            delay = delay > SCANNER_STEP ? delay - SCANNER_STEP : 0;
        else if (delay < (1u << 20))
            delay += SCANNER_STEP;
        if (got && seen != &target)
            forbidden++;
        if (fence_only && forbidden)
            break;
        if ((i & 63) == 0) {
            clock_gettime(CLOCK_MONOTONIC, &now);
            if ((double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) * 1e-9 >
                budget_s)
                break;
        }
    }
    atomic_store(&stop, 1);
    pthread_join(th, NULL);
    printf("%llu rounds, %llu with the pointer protected, %llu forbidden outcomes\n",
           (unsigned long long)rounds, (unsigned long long)protected_rounds,
           (unsigned long long)forbidden);
    smr_thread_unregister(reader_t);
    smr_thread_unregister(scanner_t);
    smr_domain_destroy(domain, NULL);

    if (fence_only) {
        if (!forbidden) {
            printf("negative control: reordering not observed (threads never overlapped?)\n");
            return SKIPPED;
        }
        printf("negative control: caught (protect needs the scanner's membarrier)\n");
        return 0;
    }
    CHECK(forbidden == 0, "%llu times protect returned a pointer whose hazard the scan missed",
          (unsigned long long)forbidden);
    CHECK(protected_rounds > 0, "no round protected the pointer: the test tested nothing");
    return test_finish("hp-asym-litmus");
}
