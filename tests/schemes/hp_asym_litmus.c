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
 *       show the forbidden outcome. Runs SECONDS (1.5) and at least 5,000
 *       rounds, at most 30 s: a loaded machine or ASan slows rounds down,
 *       and this test is the only one that catches a scan without
 *       membarrier (docs/testing.md).
 *   hp_asym_litmus --scan-fence-only [SECONDS]
 *       The negative control: compiler-barrier protect, but the scanner
 *       issues only its own fence (hp's scan barrier), not membarrier. The
 *       CPU may let the reader's reload pass its hazard store, so the
 *       forbidden outcome must show up; exit 77 (skipped) if it did not in
 *       the time given (5 s and 5,000 rounds, at most 30 s), e.g. when the
 *       two threads never ran at once.
 *
 * The reader and the scanner are pinned to two CPUs where the process has
 * two: the negative control then sees the race about once per 100 rounds
 * (once per 10^4..10^5 unpinned, when the scheduler puts both on one CPU
 * of a busy machine). membarrier costs tens of microseconds in a VM, so
 * the real pairing's default run is a smoke test: give it minutes for
 * power.
 *
 * Both threads spin (the round handshake of litmus_rig.h); random delays
 * and an adaptive one make their windows overlap. The
 * scanner unlinks only after the reader said it is about to protect, so
 * the two windows meet even when other processes share the CPUs (ctest
 * also runs the variants serially: each needs two CPUs at once).
 */
#include <pthread.h>
#include <string.h>

#include "hp_core.h"
#include "litmus_rig.h"
#include "smr.h"
#include "test_util.h"

#define SKIPPED 77
#define MIN_ROUNDS 5000

static smr_domain_t *domain;
static smr_atomic_ptr src;
static int target; /* what src points to; never dereferenced */
static bool fence_only;
static struct litmus_rig rig = LITMUS_RIG_INIT;
static smr_thread_t *reader_t;

static void *reader_main(void *arg)
{
    smr_thread_t *t = arg;
    for (uint64_t i = 1; litmus_reader_start(&rig, i); i++) {
        smr_enter(t);
        void *p = smr_protect(t, 0, &src);
        atomic_store_explicit(&rig.reader_won, p == &target, memory_order_relaxed);
        /* Keep the hazard until the scanner has read it. */
        if (litmus_wait(&rig, &rig.scanner_done, i) < i)
            break;
        smr_leave(t);
        /* release: the result and the cleared slot reach the scanner */
        atomic_store_explicit(&rig.reader_done, i, memory_order_release);
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
    pthread_create(&th, NULL, reader_main, reader_t);
    if (!litmus_pin_apart(th))
        printf("fewer than two CPUs: reader and scanner not pinned apart\n");

    uint64_t rounds = 0, protected_rounds = 0, forbidden = 0;
    /* The negative control stops at the first forbidden outcome. */
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (uint64_t i = 1;; i++) {
        atomic_store_explicit(&src, &target, memory_order_relaxed);
        litmus_scanner_start(&rig, i);
        /* The unlink, then the scan's barrier, then the scan's read. */
        atomic_store_explicit(&src, NULL, memory_order_relaxed);
        if (fence_only)
            smr_fence_seq_cst();
        else
            hp_scan_barrier(scanner_t, true);
        void *seen = atomic_load_explicit(&reader_t->hazard[0], memory_order_acquire);
        bool got = litmus_scanner_finish(&rig, i);
        rounds++;
        protected_rounds += got;
        if (got && seen != &target)
            forbidden++;
        if (fence_only && forbidden)
            break;
        if (litmus_run_over(&t0, rounds, budget_s, MIN_ROUNDS))
            break;
    }
    atomic_store(&rig.stop, 1);
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
