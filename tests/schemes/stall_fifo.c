/*
 * stall_fifo.c - a robust scheme's garbage_bound holds under the worst
 * churn for era-based schemes, compiled once per scheme (like conformance).
 *
 *   stall_fifo_<scheme> [--plant-ignore-birth] [STEPS]
 *
 * One holder thread enters, protects a node and stalls there. CHURNERS
 * other threads each keep a FIFO of RING live nodes: every step allocates
 * a node, enqueues it and retires the oldest, inside an operation that
 * protects the newest. So every node alive when the holder stalled is
 * retired during the stall (the stack, whose bottom never moves, does not
 * do that), and nodes keep being born after it. After every retire the
 * churner samples the domain's retired - reclaimed; the peak must stay
 * under garbage_bound(cfg, CHURNERS + 1) with cfg.max_live = the most nodes
 * allocated and not retired at once. The holder's node must be intact when
 * it wakes, and teardown must reclaim everything.
 *
 * Schemes without a bound (not robust, or never freeing) skip (exit 77).
 * --plant-ignore-birth switches on the era schemes' planted bug (scans
 * ignore birth eras, so the stalled era pins everything retired after it)
 * and succeeds only if the bound check catches it, every other check
 * passing: the proof that the bound check can fail.
 */
#include <pthread.h>
#include <sched.h>
#include <string.h>

#include "smr.h"
#include "test_util.h"

#define CHURNERS 2
#define RING 256
#define MAGIC 0x57a11b0d57a11b0dull

struct snode {
    uint64_t magic;
};

static smr_domain_t *domain;
static smr_atomic_ptr held_src;       /* what the holder protects */
static _Atomic int churners_ready;    /* churners whose ring is allocated */
static _Atomic int holder_step;       /* 1: protecting, 2: may leave */
static _Atomic uint64_t peak;         /* largest retired - reclaimed seen */
static unsigned long steps = 100000;

static void *holder_main(void *arg)
{
    bool *intact = arg;
    smr_thread_t *t = smr_thread_register(domain);
    while (atomic_load(&churners_ready) < CHURNERS)
        sched_yield(); /* every ring node is born before the era we stall in */
    smr_enter(t);
    struct snode *n = smr_protect(t, 0, &held_src);
    atomic_store(&holder_step, 1);
    while (atomic_load(&holder_step) < 2)
        sched_yield();
    *intact = n && n->magic == MAGIC;
    smr_leave(t);
    smr_thread_unregister(t);
    return NULL;
}

static void note_unreclaimed(void)
{
    struct smr_stats st;
    smr_stats(domain, &st);
    /* Summed with relaxed loads while threads run (retired before reclaimed
       per thread), so a free can be seen without its retire: clamp at zero,
       as the harness's sampler does. */
    uint64_t u = st.retired > st.reclaimed ? st.retired - st.reclaimed : 0;
    uint64_t p = atomic_load_explicit(&peak, memory_order_relaxed);
    while (u > p && !atomic_compare_exchange_weak(&peak, &p, u))
        ;
}

static struct snode *snode_new(smr_thread_t *t)
{
    struct snode *n = smr_alloc(t, sizeof(*n));
    n->magic = MAGIC;
    return n;
}

static void *churner_main(void *arg)
{
    (void)arg;
    smr_thread_t *t = smr_thread_register(domain);
    smr_atomic_ptr newest;
    struct snode *ring[RING];
    for (unsigned i = 0; i < RING; i++)
        ring[i] = snode_new(t);
    atomic_init(&newest, ring[RING - 1]);
    atomic_fetch_add(&churners_ready, 1);
    while (atomic_load(&holder_step) < 1)
        sched_yield();
    for (unsigned long s = 0; s < steps; s++) {
        unsigned i = (unsigned)(s % RING);
        smr_enter(t);
        struct snode *top = smr_protect(t, 0, &newest);
        if (top->magic != MAGIC)
            smr_check_failed("stall_fifo: churner's newest node reclaimed", top);
        struct snode *old = ring[i];
        ring[i] = snode_new(t);
        atomic_store_explicit(&newest, ring[i], memory_order_release);
        smr_retire(t, old, NULL, NULL); /* the oldest: alive since before the stall, at first */
        smr_leave(t);
        note_unreclaimed();
    }
    for (unsigned i = 0; i < RING; i++)
        smr_retire(t, ring[i], NULL, NULL);
    smr_thread_unregister(t);
    return NULL;
}

int main(int argc, char **argv)
{
    int a = 1;
    bool planted = a < argc && strcmp(argv[a], "--plant-ignore-birth") == 0;
    if (planted) {
        atomic_store(&smr_test_era_ignore_birth, 1);
        a++;
    }
    if (a < argc)
        steps = strtoul(argv[a++], NULL, 10);
    if (a != argc || steps == 0) {
        fprintf(stderr, "usage: %s [--plant-ignore-birth] [STEPS]\n", argv[0]);
        return 2;
    }
    if (!smr_scheme.robust || !smr_scheme.reclaims || !smr_scheme.garbage_bound) {
        printf("stall_fifo: %s promises no bound: skipped\n", smr_scheme.name);
        return 77;
    }

    /* Live at once: each churner's ring plus the node it allocated before
       retiring the oldest, and the holder's node. */
    struct smr_config cfg = {.max_threads = CHURNERS + 1, .hazard_slots = 1,
                             .max_live = CHURNERS * (RING + 1) + 1};
    uint64_t bound = smr_scheme.garbage_bound(&cfg, CHURNERS + 1);
    domain = smr_domain_create(&cfg);

    smr_thread_t *setup = smr_thread_register(domain);
    struct snode *held = snode_new(setup);
    atomic_store(&held_src, held);
    smr_thread_unregister(setup); /* its record is reused: CHURNERS + 1 threads in all */

    bool intact = false;
    pthread_t holder, churner[CHURNERS];
    pthread_create(&holder, NULL, holder_main, &intact);
    for (int i = 0; i < CHURNERS; i++)
        pthread_create(&churner[i], NULL, churner_main, NULL);
    for (int i = 0; i < CHURNERS; i++)
        pthread_join(churner[i], NULL);
    uint64_t stalled_peak = atomic_load(&peak);
    atomic_store(&holder_step, 2);
    pthread_join(holder, NULL);

    if (!planted)
        CHECK(stalled_peak <= bound,
              "%s: %llu retired nodes unreclaimed while a thread stalled, above garbage_bound %llu",
              smr_scheme.name, (unsigned long long)stalled_peak, (unsigned long long)bound);
    CHECK(intact, "the stalled thread's protected node was reclaimed");

    smr_thread_t *last = smr_thread_register(domain);
    smr_retire(last, held, NULL, NULL);
    smr_thread_unregister(last);
    struct smr_stats fin;
    smr_domain_destroy(domain, &fin);
    uint64_t retired_expected = CHURNERS * (steps + RING) + 1;
    CHECK(fin.retired == retired_expected, "retired %llu, expected %llu",
          (unsigned long long)fin.retired, (unsigned long long)retired_expected);
    CHECK(fin.reclaimed == fin.retired, "reclaimed %llu != retired %llu after destroy",
          (unsigned long long)fin.reclaimed, (unsigned long long)fin.retired);
    printf("stall_fifo/%s: %u threads, %lu steps each, peak unreclaimed %llu, bound %llu\n",
           smr_scheme.name, CHURNERS + 1, steps, (unsigned long long)stalled_peak,
           (unsigned long long)bound);
    if (planted) {
        bool caught = stalled_peak > bound;
        printf("negative control (scans ignore birth eras): %s\n",
               caught ? "caught: peak above the bound" : "NOT caught: peak within the bound");
        CHECK(caught, "the planted bug kept the peak within the bound");
    }
    char what[64];
    snprintf(what, sizeof what, "stall-bound-%s%s", smr_scheme.name,
             planted ? "-negative-control" : "");
    return test_finish(what);
}
