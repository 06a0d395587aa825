/*
 * stall_bound.c - the robustness property, under load. Compiled once per
 * scheme and linked with the checked core.
 *
 * One thread enters an operation, protects a node and stalls there; the
 * others keep replacing the nodes of a small array of cells (protect, CAS
 * in a fresh node, retire the old one) while the main thread samples the
 * domain's retired - reclaimed count every millisecond.
 *
 *   robust schemes:     the sampled peak never exceeds the bound the scheme
 *                       declares (smr_scheme_info.garbage_bound) for this
 *                       configuration, although the churn retires many
 *                       times that bound while the stall lasts;
 *   non-robust schemes: nothing retired after the stall began is freed
 *                       while it lasts (an EBR that looked robust here
 *                       would be freeing under a reader);
 *   both:               the stalled thread's node is intact when it wakes,
 *                       and teardown reclaims everything.
 *
 * The checks prove they can fail: --expect-robust holds a non-robust scheme
 * to hp's bound, --expect-growth expects a robust one to free nothing; both
 * are expected failures in the suite.
 */
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rng.h"
#include "smr.h"
#include "test_util.h"

#define MAGIC 0x57a11b0d5eed1e55ull
#define CELLS 8
#define CHURNERS 2
#define THREADS (CHURNERS + 1)
/* The churn must retire this many times the bound while the stall lasts. */
#define BOUND_MARGIN 8
#define MIN_RETIRED_NONROBUST 20000
#define MIN_STALL_S 0.1
#define MAX_STALL_S 20.0

struct cell_node {
    uint64_t magic;
    uint64_t value;
};

/* The bound the negative control holds a non-robust scheme to. */
extern const struct smr_scheme_info hp_info;

static smr_domain_t *domain;
static smr_atomic_ptr cells[CELLS];
static _Atomic int stalled;      /* the holder is inside its operation */
static _Atomic int release_stall;
static _Atomic int stop_churn;
static _Atomic int holder_saw_intact = -1;

static void check_node(const struct cell_node *n)
{
    if (n->magic != MAGIC)
        smr_check_failed("a protected node was reclaimed", n);
}

static struct cell_node *node_new(smr_thread_t *t, uint64_t v)
{
    struct cell_node *n = smr_alloc(t, sizeof(*n));
    n->magic = MAGIC;
    n->value = v;
    return n;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *holder_main(void *arg)
{
    (void)arg;
    smr_thread_t *t = smr_thread_register(domain);
    smr_enter(t);
    struct cell_node *mine = smr_protect(t, 0, &cells[0]);
    check_node(mine);
    atomic_store(&stalled, 1);
    while (!atomic_load(&release_stall))
        usleep(1000);
    /* Still inside the operation: the node must have survived the churn. */
    atomic_store(&holder_saw_intact, mine->magic == MAGIC);
    smr_leave(t);
    smr_thread_unregister(t);
    return NULL;
}

static void *churner_main(void *arg)
{
    uint64_t x = (uint64_t)(uintptr_t)arg * 0x9e3779b97f4a7c15ull + 1; /* rng_splitmix64's */
    smr_thread_t *t = smr_thread_register(domain);
    while (!atomic_load_explicit(&stop_churn, memory_order_relaxed)) {
        smr_atomic_ptr *cell = &cells[rng_splitmix64(&x) % CELLS];
        smr_enter(t);
        struct cell_node *old = smr_protect(t, 0, cell);
        check_node(old);
        struct cell_node *fresh = node_new(t, old->value + 1);
        void *expected = old;
        /* release: the fresh node's contents before its address */
        if (atomic_compare_exchange_strong_explicit(cell, &expected, fresh, memory_order_release,
                                                    memory_order_relaxed))
            smr_retire(t, old, NULL, NULL);
        else
            smr_dealloc_unpublished(t, fresh);
        smr_leave(t);
        smr_quiescent(t); /* between operations: QSBR's announcement, a no-op elsewhere */
    }
    smr_thread_unregister(t);
    return NULL;
}

static uint64_t unreclaimed(const struct smr_stats *s)
{
    return s->retired > s->reclaimed ? s->retired - s->reclaimed : 0;
}

int main(int argc, char **argv)
{
    bool expect_robust = argc > 1 && strcmp(argv[1], "--expect-robust") == 0;
    bool expect_growth = argc > 1 && strcmp(argv[1], "--expect-growth") == 0;
    const struct smr_scheme_info *info = &smr_scheme;
    /* Live nodes at once: one per cell, plus each churner's fresh one. */
    struct smr_config cfg = {.max_threads = THREADS, .hazard_slots = 1,
                             .max_live = CELLS + CHURNERS};
    domain = smr_domain_create(&cfg);

    smr_thread_t *setup = smr_thread_register(domain);
    for (int i = 0; i < CELLS; i++)
        atomic_store(&cells[i], node_new(setup, 0));
    smr_thread_unregister(setup);

    bool robust = (info->robust && info->reclaims) || expect_robust;
    if (expect_growth)
        robust = false;
    uint64_t (*bound_fn)(const struct smr_config *, unsigned) = info->garbage_bound;
    if (expect_robust && !bound_fn)
        bound_fn = hp_info.garbage_bound; /* a stand-in bound for the negative control */
    uint64_t bound = robust && bound_fn ? bound_fn(&cfg, THREADS) : 0;
    if (robust)
        CHECK(bound_fn != NULL, "%s is robust but declares no garbage_bound", info->name);

    pthread_t holder, churner[CHURNERS];
    pthread_create(&holder, NULL, holder_main, NULL);
    while (!atomic_load(&stalled))
        sched_yield();
    for (uintptr_t i = 0; i < CHURNERS; i++)
        pthread_create(&churner[i], NULL, churner_main, (void *)(i + 1));

    struct smr_stats s0, s;
    smr_stats(domain, &s0);
    uint64_t peak = unreclaimed(&s0);
    uint64_t want = robust ? bound * BOUND_MARGIN : MIN_RETIRED_NONROBUST;
    double start = now_s();
    do {
        usleep(1000);
        smr_stats(domain, &s);
        if (unreclaimed(&s) > peak)
            peak = unreclaimed(&s);
    } while ((s.retired - s0.retired < want || now_s() - start < MIN_STALL_S) &&
             now_s() - start < MAX_STALL_S);
    uint64_t retired_during = s.retired - s0.retired;
    uint64_t reclaimed_during = s.reclaimed - s0.reclaimed;

    atomic_store(&release_stall, 1);
    pthread_join(holder, NULL);
    atomic_store(&stop_churn, 1);
    for (int i = 0; i < CHURNERS; i++)
        pthread_join(churner[i], NULL);

    printf("%s: stall of %.2f s, %llu retired, %llu reclaimed meanwhile, peak unreclaimed %llu",
           info->name, now_s() - start, (unsigned long long)retired_during,
           (unsigned long long)reclaimed_during, (unsigned long long)peak);
    if (robust)
        printf(", bound %llu", (unsigned long long)bound);
    printf("\n");

    CHECK(atomic_load(&holder_saw_intact) == 1, "the stalled thread's node was reclaimed");
    if (!info->reclaims && !expect_robust) {
        CHECK(reclaimed_during == 0, "%s reclaimed before teardown", info->name);
    } else if (robust) {
        CHECK(retired_during >= want, "the churn retired only %llu nodes in %.0f s; a bound of "
              "%llu is not tested", (unsigned long long)retired_during, MAX_STALL_S,
              (unsigned long long)bound);
        CHECK(peak <= bound, "%s held %llu unreclaimed nodes while a thread stalled; its bound "
              "is %llu", info->name, (unsigned long long)peak, (unsigned long long)bound);
    } else {
        CHECK(retired_during >= want, "the churn retired only %llu nodes",
              (unsigned long long)retired_during);
        /* Only what was already retired when the stall began may be freed. */
        CHECK(reclaimed_during <= unreclaimed(&s0),
              "%s freed %llu nodes during the stall but only %llu were retired before it: "
              "it frees under a stalled reader", info->name,
              (unsigned long long)reclaimed_during, (unsigned long long)unreclaimed(&s0));
    }

    smr_thread_t *teardown = smr_thread_register(domain);
    for (int i = 0; i < CELLS; i++)
        smr_retire(teardown, atomic_load(&cells[i]), NULL, NULL);
    smr_thread_unregister(teardown);
    struct smr_stats fin;
    smr_domain_destroy(domain, &fin);
    CHECK(fin.retired == fin.reclaimed, "teardown left %llu of %llu unreclaimed",
          (unsigned long long)(fin.retired - fin.reclaimed), (unsigned long long)fin.retired);
    return test_finish("stall_bound");
}
