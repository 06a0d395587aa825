/*
 * qsbr_grace.c - where qsbr's quiescent states come from, checked on
 * several thread handles driven by one OS thread (deterministic):
 *
 *   every K:    a thread between operations blocks grace periods until its
 *               Kth leave since its last announcement, and not before;
 *   quiescent:  smr_quiescent announces at once;
 *   offline:    an unregistered thread blocks nothing;
 *   own op:     batches a thread closes inside its own operation are not
 *               freed before it leaves (it may still read those nodes).
 */
#include <string.h>

#include "smr.h"
#include "test_util.h"

enum { K = 8, THRESHOLD = 4, BATCH = 10 };

static _Atomic int reclaimed;

static void count_reclaim(void *p, void *ctx)
{
    (void)p;
    (void)ctx;
    atomic_fetch_add(&reclaimed, 1);
}

static void retire_batch(smr_thread_t *t)
{
    for (int i = 0; i < BATCH; i++)
        smr_retire(t, smr_alloc(t, 16), count_reclaim, NULL);
}

static void operations(smr_thread_t *t, int n)
{
    for (int i = 0; i < n; i++) {
        smr_enter(t);
        smr_leave(t);
    }
}

static smr_domain_t *new_domain(void)
{
    struct smr_config cfg = {.max_threads = 2, .hazard_slots = 1};
    cfg.tune[0] = K;
    cfg.tune[1] = THRESHOLD;
    return smr_domain_create(&cfg);
}

static void test_every_k(void)
{
    smr_domain_t *d = new_domain();
    smr_thread_t *a = smr_thread_register(d), *b = smr_thread_register(d);
    atomic_store(&reclaimed, 0);
    retire_batch(a);
    operations(b, K - 1);
    smr_flush(a);
    CHECK(atomic_load(&reclaimed) == 0, "freed %d after only %d of b's K=%d operations",
          atomic_load(&reclaimed), K - 1, K);
    operations(b, 1);
    smr_flush(a);
    CHECK(atomic_load(&reclaimed) == BATCH, "b's Kth leave announced nothing: %d of %d freed",
          atomic_load(&reclaimed), BATCH);
    /* The count restarts after an announcement. */
    retire_batch(a);
    operations(b, K - 1);
    smr_flush(a);
    CHECK(atomic_load(&reclaimed) == BATCH, "freed %d before b's next Kth operation",
          atomic_load(&reclaimed) - BATCH);
    operations(b, 1);
    smr_flush(a);
    CHECK(atomic_load(&reclaimed) == 2 * BATCH, "second round: %d of %d freed",
          atomic_load(&reclaimed), 2 * BATCH);
    smr_thread_unregister(a);
    smr_thread_unregister(b);
    smr_domain_destroy(d, NULL);
}

static void test_quiescent_and_offline(void)
{
    smr_domain_t *d = new_domain();
    smr_thread_t *a = smr_thread_register(d), *b = smr_thread_register(d);
    atomic_store(&reclaimed, 0);
    retire_batch(a);
    smr_flush(a);
    CHECK(atomic_load(&reclaimed) == 0, "freed %d while b had not announced",
          atomic_load(&reclaimed));
    smr_quiescent(b);
    smr_flush(a);
    CHECK(atomic_load(&reclaimed) == BATCH, "smr_quiescent did not announce: %d of %d freed",
          atomic_load(&reclaimed), BATCH);
    retire_batch(a);
    smr_flush(a);
    CHECK(atomic_load(&reclaimed) == BATCH, "freed %d retired after b's announcement",
          atomic_load(&reclaimed) - BATCH);
    smr_thread_unregister(b);
    smr_flush(a);
    CHECK(atomic_load(&reclaimed) == 2 * BATCH, "an offline thread still blocks: %d of %d freed",
          atomic_load(&reclaimed), 2 * BATCH);
    smr_thread_unregister(a);
    smr_domain_destroy(d, NULL);
}

static void test_own_operation(void)
{
    smr_domain_t *d = new_domain();
    smr_thread_t *a = smr_thread_register(d);
    atomic_store(&reclaimed, 0);
    operations(a, K - 1); /* the next leave announces */
    smr_enter(a);
    retire_batch(a); /* closes batches (THRESHOLD < BATCH) inside the operation */
    retire_batch(a);
    CHECK(atomic_load(&reclaimed) == 0, "freed %d of the retirer's own nodes inside its operation",
          atomic_load(&reclaimed));
    smr_leave(a);
    retire_batch(a); /* closes a batch: the older ones are past a's announcement */
    CHECK(atomic_load(&reclaimed) >= 2 * BATCH - THRESHOLD,
          "after the Kth leave, closing a batch freed only %d", atomic_load(&reclaimed));
    smr_flush(a);
    CHECK(atomic_load(&reclaimed) == 3 * BATCH, "flush freed %d of %d", atomic_load(&reclaimed),
          3 * BATCH);
    smr_thread_unregister(a);
    smr_domain_destroy(d, NULL);
}

int main(void)
{
    test_every_k();
    test_quiescent_and_offline();
    test_own_operation();
    return test_finish("qsbr-grace");
}
