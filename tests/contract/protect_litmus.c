/*
 * protect_litmus.c - the store-buffering race every publishing protect
 * closes, run through the contract on the real code, once per scheme whose
 * protect publishes something (a hazard pointer, an era, a reservation)
 * and then re-validates: hp, ck-hp, he, ibr, hyaline.
 *
 * Each round a reader thread enters and protects a shared pointer to a
 * fresh node while a scanner thread unlinks the node, retires it and
 * flushes. Forbidden outcome: protect returned the node and that flush
 * freed it (the reader then holds a freed node: it also finds it
 * poisoned). The scheme forbids it with the StoreLoad barrier between the
 * publication and the re-validating load, paired with the fence of its
 * scan: a scan that misses the publication ran after the unlink was
 * visible, so the reload sees the unlink and protect retries. Without that
 * barrier the CPU lets the reload pass the publication, which is still in
 * the store buffer, and a scan can miss a publication whose reload already
 * returned the node.
 *
 *   protect_litmus_<scheme> [SECONDS]
 *       Rounds for SECONDS (default 2) and at least 50,000 of them, but no
 *       more than 30 s: on a loaded machine, or under ASan, rounds are
 *       slower, and the catch rate is per round (with the barrier dropped,
 *       caught after 13 to 35,000 rounds here, ck-hp's the slowest). Fails at the first forbidden
 *       outcome, and if no round had the reader win the race (protect the
 *       node) or none lose it (find it unlinked): the unlink never landed
 *       near the protect, and the test tested nothing. Under TSan, whose
 *       atomics fence, the race cannot show: 1 s, no minimum.
 *
 * Making the window wide enough to see: the two threads are pinned to two
 * CPUs; the reader's publication is queued behind a store that misses in
 * its cache (the rig's `bounce`, which the scanner takes back just before
 * its unlink), its slot's line is shared with the scanner (whose last scan
 * read it), and the shared pointer is in the reader's cache (it read it
 * before saying it is ready), so an unfenced publication stays invisible
 * for a few cache misses while the reload, a hit, returns. The scanner's
 * unlink lands there often enough through the rig's adaptive delay
 * (litmus_rig.h). scripts/mutants.sh drops each scheme's barrier and counts
 * on this test to catch it (docs/testing.md); skipped (77) where the
 * process has fewer than two CPUs.
 */
#include <pthread.h>
#include <string.h>

#include "litmus_rig.h"
#include "smr.h"
#include "test_util.h"

#define SKIPPED 77
#ifdef SMR_TSAN
#define DEFAULT_SECONDS 1.0
#define MIN_ROUNDS 0
#else
#define DEFAULT_SECONDS 2.0
#define MIN_ROUNDS 50000
#endif
#define MAGIC 0x11f0c7e57a11ed5eull
/* Rounds whose node may still wait on the scanner's list: a node the
   reader protected is freed by a later round's flush. */
#define RING 4096

struct lnode {
    uint64_t magic;
    uint64_t round;
};

static struct litmus_rig rig = LITMUS_RIG_INIT;
static smr_atomic_ptr src;
static smr_thread_t *reader_t;
/* freed_in[r % RING] == r once node r's finaliser ran (on whichever thread
   reclaimed it: the scanner's flush, or hyaline's last reader out). */
static _Atomic uint64_t freed_in[RING];
/* The reader found its protected node poisoned this round. */
static _Atomic int reader_found_poison;

static void lnode_reclaim(void *p, void *ctx)
{
    struct lnode *n = p;
    (void)ctx;
    if (n->magic != MAGIC)
        smr_check_failed("protect litmus: finaliser saw a corrupted node", p);
    atomic_store_explicit(&freed_in[n->round % RING], n->round, memory_order_relaxed);
}

static void *reader_main(void *arg)
{
    smr_thread_t *t = arg;
    for (uint64_t i = 1; litmus_reader_start(&rig, i); i++) {
        /* The reset pointer into our cache: the reload in protect hits. */
        (void)atomic_load_explicit(&src, memory_order_relaxed);
        smr_enter(t);
        struct lnode *p = smr_protect(t, 0, &src);
        atomic_store_explicit(&rig.reader_won, p != NULL, memory_order_relaxed);
        /* Keep the protection until the scanner's flush is over, then
           look at the node: a node freed under us is poisoned. */
        if (litmus_wait(&rig, &rig.scanner_done, i) < i)
            break;
        atomic_store_explicit(&reader_found_poison, p && p->magic != MAGIC, memory_order_relaxed);
        smr_leave(t);
        /* release: the outcome and the left operation reach the scanner */
        atomic_store_explicit(&rig.reader_done, i, memory_order_release);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    double budget_s = test_seconds_arg(argc, argv, DEFAULT_SECONDS);
    struct smr_config cfg = {.max_threads = 2, .hazard_slots = 1};
    smr_domain_t *d = smr_domain_create(&cfg);
    reader_t = smr_thread_register(d);
    smr_thread_t *scanner_t = smr_thread_register(d);
    pthread_t th;
    pthread_create(&th, NULL, reader_main, reader_t);
    bool pinned = litmus_pin_apart(th);
    if (!pinned)
        printf("fewer than two CPUs to pin the reader and the scanner apart: the race needs "
               "both running at once\n");

    uint64_t rounds = 0, won = 0, forbidden = 0, poisoned = 0;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (uint64_t i = 1; pinned; i++) {
        struct lnode *n = smr_alloc(scanner_t, sizeof(*n));
        n->magic = MAGIC;
        n->round = i;
        /* release: the node's contents reach the reader with the pointer */
        atomic_store_explicit(&src, n, memory_order_release);
        litmus_scanner_start(&rig, i);
        litmus_scanner_steal(&rig, i);
        /* The unlink, then what the scheme does with an unlinked node. */
        atomic_store_explicit(&src, NULL, memory_order_relaxed);
        smr_retire(scanner_t, n, lnode_reclaim, NULL);
        smr_flush(scanner_t);
        bool freed = atomic_load_explicit(&freed_in[i % RING], memory_order_relaxed) == i;
        bool got = litmus_scanner_finish(&rig, i);
        rounds++;
        won += got;
        forbidden += got && freed;
        poisoned += (uint64_t)atomic_load_explicit(&reader_found_poison, memory_order_relaxed);
        if (forbidden || poisoned)
            break;
        if (litmus_run_over(&t0, rounds, budget_s, MIN_ROUNDS))
            break;
    }
    double elapsed = litmus_seconds_since(&t0);
    atomic_store(&rig.stop, 1);
    pthread_join(th, NULL);
    printf("%s: %llu rounds in %.2f s, %llu with the node protected, %llu forbidden outcomes, "
           "%llu poisoned nodes read\n",
           smr_scheme.name, (unsigned long long)rounds, elapsed, (unsigned long long)won,
           (unsigned long long)forbidden, (unsigned long long)poisoned);
    smr_thread_unregister(reader_t);
    smr_thread_unregister(scanner_t);
    struct smr_stats fin;
    smr_domain_destroy(d, &fin);
    if (!pinned)
        return SKIPPED;

    CHECK(forbidden == 0,
          "round %llu: protect returned a node that the flush racing it freed (%.3f s in)",
          (unsigned long long)rounds, elapsed);
    CHECK(poisoned == 0, "round %llu: the reader found its protected node poisoned",
          (unsigned long long)rounds);
    CHECK(forbidden || poisoned || (won > 0 && won < rounds),
          "the reader won %llu of %llu rounds: the unlink never raced the protect",
          (unsigned long long)won, (unsigned long long)rounds);
    CHECK(fin.retired == fin.reclaimed, "retired %llu, reclaimed %llu after destroy",
          (unsigned long long)fin.retired, (unsigned long long)fin.reclaimed);
    char what[64];
    snprintf(what, sizeof what, "protect-litmus-%s", smr_scheme.name);
    return test_finish(what);
}
