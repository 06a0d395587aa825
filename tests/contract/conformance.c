/*
 * conformance.c - the contract every scheme must keep, compiled once per
 * scheme (like a structure) and linked with the checked core.
 *
 *   protected:   a node protected by one thread is not reclaimed while it
 *                is protected, even retired and flushed; it is after.
 *   flush:       a retired, unprotected node is reclaimed by flush
 *                (schemes that reclaim at all).
 *   stall:       while a thread sits inside an operation, a robust scheme
 *                still reclaims what that thread does not protect (nodes
 *                born after it stalled, outside its batch), and a
 *                non-robust one reclaims nothing retired after it entered.
 *   unregister:  a thread that unregisters with retired nodes loses none,
 *                also while another thread still protects one of them.
 *   destroy:     domain destroy reclaims everything: every finaliser runs
 *                exactly once and retired == reclaimed.
 *   across eras: two protections of one thread made in different eras
 *                (allocations move the clock between them) both hold.
 *   properties:  what the scheme declares is consistent: a robust scheme
 *                reclaims and declares a garbage bound; a scheme's
 *                guarantee says "unbounded" when it is not robust, or when
 *                its bound gives none for a configuration (ibr with two
 *                slots).
 *   refusals:    what must stop the program, seen from a forked child:
 *                a domain asked for more hazard slots than a thread has
 *                (every build), protect with a slot past the domain's
 *                (checked builds, schemes whose protect uses the slot),
 *                destroy while a thread is still registered (every build).
 *
 * With --unsafe the scheme frees on retire (the negative control): the
 * suite must then fail.
 */
#include <pthread.h>
#include <sched.h>
#include <string.h>

#include "smr.h"
#include "test_child.h"
#include "test_node.h"
#include "test_util.h"

static void retire_many(smr_thread_t *t, int count, _Atomic int *counter)
{
    for (int i = 0; i < count; i++)
        smr_retire(t, tnode_new(t, counter), tnode_reclaim, NULL);
}

static void flush_hard(smr_thread_t *t)
{
    for (int i = 0; i < 8; i++)
        smr_flush(t);
}

/* A helper thread that enters, protects what `shared` points to, and waits. */
struct holder {
    smr_domain_t *d;
    smr_atomic_ptr *shared;
    unsigned slots;
    _Atomic int step; /* 1: protecting, 2: may leave, 3: left */
    bool intact;      /* the protected nodes were intact when it left */
};

static void wait_step(_Atomic int *s, int want)
{
    while (atomic_load(s) < want)
        sched_yield();
}

static void *holder_main(void *arg)
{
    struct holder *h = arg;
    smr_thread_t *t = smr_thread_register(h->d);
    smr_enter(t);
    struct tnode *p[SMR_MAX_SLOTS] = {0};
    for (unsigned i = 0; i < h->slots; i++)
        p[i] = smr_protect(t, i, &h->shared[i]);
    atomic_store(&h->step, 1);
    wait_step(&h->step, 2);
    h->intact = true;
    for (unsigned i = 0; i < h->slots; i++)
        if (!p[i] || p[i]->magic != TNODE_MAGIC)
            h->intact = false;
    smr_leave(t);
    smr_thread_unregister(t);
    atomic_store(&h->step, 3);
    return NULL;
}

static smr_domain_t *new_domain(unsigned slots)
{
    struct smr_config cfg = {.max_threads = 4, .hazard_slots = slots};
    return smr_domain_create(&cfg);
}

/* Destroy; then every finaliser counted in `counter` (and `more`, if given) must have run once. */
static void check_destroy(smr_domain_t *d, int expected_finalisers, _Atomic int *counter,
                          _Atomic int *more)
{
    struct smr_stats fin;
    smr_domain_destroy(d, &fin);
    CHECK(fin.retired == fin.reclaimed, "retired %llu != reclaimed %llu after destroy",
          (unsigned long long)fin.retired, (unsigned long long)fin.reclaimed);
    CHECK(fin.retired_bytes == fin.reclaimed_bytes, "bytes retired %llu != reclaimed %llu",
          (unsigned long long)fin.retired_bytes, (unsigned long long)fin.reclaimed_bytes);
    int ran = atomic_load(counter) + (more ? atomic_load(more) : 0);
    CHECK(ran == expected_finalisers, "%d finalisers ran, expected %d", ran, expected_finalisers);
}

static void test_protected(void)
{
    enum { SLOTS = 2 };
    smr_domain_t *d = new_domain(SLOTS);
    smr_thread_t *t = smr_thread_register(d);
    _Atomic int prot_reclaimed = 0, other_reclaimed = 0;
    smr_atomic_ptr shared[SLOTS];
    struct tnode *prot[SLOTS];
    for (int i = 0; i < SLOTS; i++) {
        prot[i] = tnode_new(t, &prot_reclaimed);
        atomic_init(&shared[i], prot[i]);
    }
    struct holder h = {.d = d, .shared = shared, .slots = SLOTS};
    pthread_t th;
    pthread_create(&th, NULL, holder_main, &h);
    wait_step(&h.step, 1);

    /* Unlink and retire the protected nodes, plus enough others to force
       scans: one with a plain store and smr_retire, the other with an
       exchange and smr_retire_after_rmw. */
    for (int i = 0; i < SLOTS; i++) {
        if (i % 2 == 0) {
            atomic_store(&shared[i], NULL);
            smr_retire(t, prot[i], tnode_reclaim, NULL);
        } else {
            (void)atomic_exchange(&shared[i], NULL);
            smr_retire_after_rmw(t, prot[i], tnode_reclaim, NULL);
        }
    }
    /* A robust scheme need not be more precise than its unit of protection:
       batch schemes (hyaline) keep a batch holding a protected node, so
       flush closes the batch of the protected nodes first; era schemes (he,
       ibr, hyaline) keep what was born in the holder's era, so allocations
       move the era on before the others are born. */
    flush_hard(t);
    for (int i = 0; i < 4096; i++)
        smr_dealloc_unpublished(t, smr_alloc(t, sizeof(struct tnode)));
    retire_many(t, 2000, &other_reclaimed);
    flush_hard(t);
    CHECK(atomic_load(&prot_reclaimed) == 0, "%d protected node(s) reclaimed while protected",
          atomic_load(&prot_reclaimed));
    if (smr_scheme.reclaims && smr_scheme.robust)
        CHECK(atomic_load(&other_reclaimed) == 2000,
              "robust scheme reclaimed %d of 2000 unprotected nodes during a stall",
              atomic_load(&other_reclaimed));
    if (!smr_scheme.robust)
        CHECK(atomic_load(&other_reclaimed) == 0,
              "non-robust scheme reclaimed %d nodes retired while a thread was inside",
              atomic_load(&other_reclaimed));

    atomic_store(&h.step, 2);
    pthread_join(th, NULL);
    CHECK(h.intact, "a protected node was modified (poisoned) while protected");
    flush_hard(t);
    if (smr_scheme.reclaims) {
        CHECK(atomic_load(&prot_reclaimed) == SLOTS, "after leave, %d of %d reclaimed by flush",
              atomic_load(&prot_reclaimed), SLOTS);
        CHECK(atomic_load(&other_reclaimed) == 2000, "after leave, %d of 2000 reclaimed by flush",
              atomic_load(&other_reclaimed));
    } else {
        CHECK(atomic_load(&prot_reclaimed) == 0, "leaky baseline reclaimed before destroy");
    }
    smr_thread_unregister(t);
    check_destroy(d, 2000 + SLOTS, &other_reclaimed, &prot_reclaimed);
}

static void test_flush(void)
{
    smr_domain_t *d = new_domain(1);
    smr_thread_t *t = smr_thread_register(d);
    _Atomic int reclaimed = 0;
    smr_enter(t);
    smr_retire(t, tnode_new(t, &reclaimed), tnode_reclaim, NULL); /* inside an operation */
    smr_leave(t);
    smr_retire(t, tnode_new(t, &reclaimed), tnode_reclaim, NULL); /* outside */
    struct smr_stats st;
    smr_stats(d, &st);
    CHECK(st.retired == 2, "stats count %llu retired, expected 2", (unsigned long long)st.retired);
    flush_hard(t);
    CHECK(atomic_load(&reclaimed) == (smr_scheme.reclaims ? 2 : 0), "flush reclaimed %d of 2",
          atomic_load(&reclaimed));
    smr_stats(d, &st);
    CHECK(st.reclaimed == (uint64_t)atomic_load(&reclaimed), "stats reclaimed %llu, finalisers %d",
          (unsigned long long)st.reclaimed, atomic_load(&reclaimed));
    smr_thread_unregister(t);
    check_destroy(d, 2, &reclaimed, NULL);
}

struct retirer {
    smr_domain_t *d;
    _Atomic int *counter;
    int count;
};

static void *retirer_main(void *arg)
{
    struct retirer *r = arg;
    smr_thread_t *t = smr_thread_register(r->d);
    for (int i = 0; i < r->count; i++) {
        smr_enter(t);
        smr_retire(t, tnode_new(t, r->counter), tnode_reclaim, NULL);
        smr_leave(t);
    }
    smr_thread_unregister(t); /* no flush: what is pending must be handed over */
    return NULL;
}

static void test_unregister(void)
{
    smr_domain_t *d = new_domain(1);
    _Atomic int reclaimed = 0;
    struct retirer r = {.d = d, .counter = &reclaimed, .count = 1000};
    pthread_t th[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&th[i], NULL, retirer_main, &r);
    for (int i = 0; i < 3; i++)
        pthread_join(th[i], NULL);
    smr_thread_t *t = smr_thread_register(d);
    flush_hard(t);
    if (smr_scheme.reclaims)
        CHECK(atomic_load(&reclaimed) == 3000,
              "after 3 threads unregistered, flush by another reclaimed %d of 3000",
              atomic_load(&reclaimed));
    struct smr_stats st;
    smr_stats(d, &st);
    CHECK(st.retired == 3000, "stats lost retires: %llu of 3000", (unsigned long long)st.retired);
    smr_thread_unregister(t);
    check_destroy(d, 3000, &reclaimed, NULL);
}

struct protected_retirer {
    smr_domain_t *d;
    smr_atomic_ptr *shared;
    _Atomic int *other_counter;
};

/* Unlinks and retires the node a holder protects, plus others, and
   unregisters without a flush: the scheme must hand all of them over. */
static void *protected_retirer_main(void *arg)
{
    struct protected_retirer *r = arg;
    smr_thread_t *t = smr_thread_register(r->d);
    void *p = atomic_exchange(r->shared, NULL);
    smr_retire(t, p, tnode_reclaim, NULL);
    /* As in the stall case: close the protected node's batch and move the
       era on, so the others are born after the holder's era. */
    flush_hard(t);
    for (int i = 0; i < 4096; i++)
        smr_dealloc_unpublished(t, smr_alloc(t, sizeof(struct tnode)));
    retire_many(t, 100, r->other_counter);
    smr_thread_unregister(t);
    return NULL;
}

static void test_unregister_under_reader(void)
{
    smr_domain_t *d = new_domain(1);
    smr_thread_t *t = smr_thread_register(d);
    _Atomic int prot_reclaimed = 0, other_reclaimed = 0;
    smr_atomic_ptr shared;
    atomic_init(&shared, tnode_new(t, &prot_reclaimed));
    struct holder h = {.d = d, .shared = &shared, .slots = 1};
    pthread_t holder_th, retirer_th;
    pthread_create(&holder_th, NULL, holder_main, &h);
    wait_step(&h.step, 1);

    struct protected_retirer r = {.d = d, .shared = &shared, .other_counter = &other_reclaimed};
    pthread_create(&retirer_th, NULL, protected_retirer_main, &r);
    pthread_join(retirer_th, NULL);
    flush_hard(t);
    CHECK(atomic_load(&prot_reclaimed) == 0,
          "a node retired by a thread that unregistered was reclaimed while protected");
    if (smr_scheme.reclaims && smr_scheme.robust)
        CHECK(atomic_load(&other_reclaimed) == 100,
              "robust scheme reclaimed %d of 100 unprotected nodes of an unregistered thread",
              atomic_load(&other_reclaimed));
    if (!smr_scheme.robust)
        CHECK(atomic_load(&other_reclaimed) == 0,
              "non-robust scheme reclaimed %d nodes retired while a thread was inside",
              atomic_load(&other_reclaimed));

    atomic_store(&h.step, 2);
    pthread_join(holder_th, NULL);
    CHECK(h.intact, "a protected node was modified (poisoned) while protected");
    flush_hard(t);
    if (smr_scheme.reclaims)
        CHECK(atomic_load(&prot_reclaimed) == 1 && atomic_load(&other_reclaimed) == 100,
              "after the reader left, flush by another thread reclaimed %d of 1 + %d of 100 "
              "nodes of an unregistered thread",
              atomic_load(&prot_reclaimed), atomic_load(&other_reclaimed));
    smr_thread_unregister(t);
    check_destroy(d, 101, &other_reclaimed, &prot_reclaimed);
}

static void test_destroy_with_pending(void)
{
    smr_domain_t *d = new_domain(1);
    _Atomic int reclaimed = 0;
    smr_thread_t *a = smr_thread_register(d), *b = smr_thread_register(d);
    smr_enter(b); /* b inside: nothing can be freed for EBR until it leaves */
    retire_many(a, 777, &reclaimed);
    smr_leave(b);
    smr_thread_unregister(a);
    smr_thread_unregister(b);
    check_destroy(d, 777, &reclaimed, NULL);
}

static void test_record_reuse(void)
{
    smr_domain_t *d = new_domain(1);
    _Atomic int reclaimed = 0;
    for (int round = 0; round < 50; round++) {
        smr_thread_t *t = smr_thread_register(d);
        retire_many(t, 10, &reclaimed);
        smr_thread_unregister(t);
    }
    struct smr_stats st;
    smr_stats(d, &st);
    CHECK(st.threads <= 2, "thread records are not reused: %llu records for 1 thread at a time",
          (unsigned long long)st.threads);
    CHECK(st.retired == 500, "retired %llu of 500", (unsigned long long)st.retired);
    check_destroy(d, 500, &reclaimed, NULL);
}

/* ---- protected across eras (issue 20) ---- */

/* Protects shared[0], then (when told) shared[1]: two protections made at
   different times, held together. */
struct staged_holder {
    smr_domain_t *d;
    smr_atomic_ptr *shared;
    _Atomic int step; /* 1: slot 0 protected, 2: may protect slot 1, 3: done, 4: may leave, 5: left */
    bool intact;
};

static void *staged_holder_main(void *arg)
{
    struct staged_holder *h = arg;
    smr_thread_t *t = smr_thread_register(h->d);
    smr_enter(t);
    struct tnode *old = smr_protect(t, 0, &h->shared[0]);
    atomic_store(&h->step, 1);
    wait_step(&h->step, 2);
    struct tnode *young = smr_protect(t, 1, &h->shared[1]);
    atomic_store(&h->step, 3);
    wait_step(&h->step, 4);
    h->intact = old && young && old->magic == TNODE_MAGIC && young->magic == TNODE_MAGIC;
    smr_leave(t);
    smr_thread_unregister(t);
    atomic_store(&h->step, 5);
    return NULL;
}

/* Does the scheme declare an era clock that allocations move (he, ibr:
   era_period; hyaline: era_freq)? */
static bool has_allocation_eras(void)
{
    for (unsigned i = 0; i < smr_scheme.ntunables; i++)
        if (strncmp(smr_scheme.tunables[i].name, "era_", 4) == 0)
            return true;
    return false;
}

/*
 * A thread protects a node in slot 0; allocations move the era clock on
 * (where the scheme has one); it then protects in slot 1 a node born after
 * that. Another thread unlinks, retires and flushes the young node: it must
 * survive. A scheme with one interval per thread (ibr) must scan its upper
 * end, not just its lower one; one with an era per slot (he) must count an
 * era equal to the node's birth and retire eras; hyaline must push a batch
 * to a thread whose announced era equals the batch's oldest birth.
 */
static void test_protected_across_eras(void)
{
    smr_domain_t *d = new_domain(2);
    smr_thread_t *t = smr_thread_register(d);
    _Atomic int old_reclaimed = 0, young_reclaimed = 0;
    smr_atomic_ptr shared[2];
    atomic_init(&shared[0], tnode_new(t, &old_reclaimed));
    atomic_init(&shared[1], NULL);
    struct staged_holder h = {.d = d, .shared = shared};
    pthread_t th;
    pthread_create(&th, NULL, staged_holder_main, &h);
    wait_step(&h.step, 1);

    struct smr_stats before, after;
    smr_stats(d, &before);
    for (int i = 0; i < 4096; i++)
        smr_dealloc_unpublished(t, smr_alloc(t, sizeof(struct tnode)));
    struct tnode *young = tnode_new(t, &young_reclaimed); /* born in the new era */
    atomic_store(&shared[1], young);
    atomic_store(&h.step, 2);
    wait_step(&h.step, 3);
    smr_stats(d, &after);
    if (has_allocation_eras())
        CHECK(after.epoch > before.epoch, "4096 allocations did not move the era clock (%llu)",
              (unsigned long long)after.epoch);

    (void)atomic_exchange(&shared[1], NULL);
    smr_retire(t, young, tnode_reclaim, NULL);
    flush_hard(t);
    CHECK(atomic_load(&young_reclaimed) == 0,
          "a node protected in a later era than the thread's first protection was reclaimed "
          "while protected");

    atomic_store(&h.step, 4);
    pthread_join(th, NULL);
    CHECK(h.intact, "a node protected across eras was modified (poisoned) while protected");
    smr_retire(t, atomic_exchange(&shared[0], NULL), tnode_reclaim, NULL);
    flush_hard(t);
    if (smr_scheme.reclaims)
        CHECK(atomic_load(&young_reclaimed) == 1 && atomic_load(&old_reclaimed) == 1,
              "after leave, flush reclaimed %d of the 2 nodes",
              atomic_load(&young_reclaimed) + atomic_load(&old_reclaimed));
    smr_thread_unregister(t);
    check_destroy(d, 2, &young_reclaimed, &old_reclaimed);
}
/* ---- end of protected across eras ---- */
/* ---- declared properties ---- */

static void test_declared_properties(void)
{
    const struct smr_scheme_info *s = &smr_scheme;
    CHECK(s->guarantee != NULL, "%s states no guarantee about its garbage", s->name);
    const char *g = s->guarantee ? s->guarantee : "";
    if (s->robust)
        CHECK(s->reclaims && s->garbage_bound != NULL,
              "%s says it is robust but %s", s->name,
              s->reclaims ? "declares no garbage bound" : "never frees (its garbage is unbounded)");
    else
        CHECK(strstr(g, "unbounded") != NULL, "%s is not robust, yet its guarantee does not say "
              "its garbage is unbounded: '%s'", s->name, g);
    if (s->garbage_bound) {
        for (unsigned slots = 1; slots <= 2; slots++) {
            struct smr_config cfg = {.max_threads = 4, .hazard_slots = slots, .max_live = 1000};
            if (s->garbage_bound(&cfg, 4) == UINT64_MAX)
                CHECK(strstr(g, "unbounded") != NULL, "%s declares no bound with %u hazard "
                      "slots, yet its guarantee does not say when it is unbounded: '%s'",
                      s->name, slots, g);
        }
    }
}

/* ---- refusals (each in a forked child: they stop the program) ---- */

static void child_create_too_many_slots(void *arg)
{
    (void)arg;
    struct smr_config cfg = {.max_threads = 1, .hazard_slots = SMR_MAX_SLOTS + 1};
    smr_domain_t *d = smr_domain_create(&cfg); /* must not return */
    smr_domain_destroy(d, NULL);
}

static void child_protect_past_slots(void *arg)
{
    (void)arg;
    smr_domain_t *d = new_domain(1);
    smr_thread_t *t = smr_thread_register(d);
    _Atomic int reclaimed = 0;
    smr_atomic_ptr src;
    atomic_init(&src, tnode_new(t, &reclaimed));
    smr_enter(t);
    (void)smr_protect(t, 1, &src); /* slot 1 of a 1-slot domain */
    smr_leave(t);
    smr_retire(t, atomic_load(&src), tnode_reclaim, NULL);
    smr_thread_unregister(t);
    smr_domain_destroy(d, NULL);
}

static void child_destroy_registered(void *arg)
{
    (void)arg;
    smr_domain_t *d = new_domain(1);
    (void)smr_thread_register(d); /* never unregistered */
    smr_domain_destroy(d, NULL);  /* must not return */
}

static void test_refusals(void)
{
    char how[96];
    struct child_result r = child_run(child_create_too_many_slots, NULL);
    CHECK(child_aborted(&r) && strstr(r.err, "hazard_slots") && strstr(r.err, smr_scheme.name),
          "a domain with hazard_slots = %d (a thread has %d) was not refused with a message "
          "naming them: %s, stderr '%s'", SMR_MAX_SLOTS + 1, SMR_MAX_SLOTS,
          child_describe(&r, how, sizeof how), r.err);

    r = child_run(child_protect_past_slots, NULL);
    if (smr_scheme.uses_slots)
        CHECK(child_exited(&r, 86) && strstr(r.err, "hazard slot 1"),
              "protect with slot 1 of a 1-slot domain was not caught by the checked build: %s, "
              "stderr '%s'", child_describe(&r, how, sizeof how), r.err);
    else
        CHECK(child_exited(&r, 0), "%s ignores the slot, yet protect with slot 1 of a 1-slot "
              "domain failed: %s, stderr '%s'", smr_scheme.name,
              child_describe(&r, how, sizeof how), r.err);

    r = child_run(child_destroy_registered, NULL);
    CHECK(child_aborted(&r) && strstr(r.err, "still registered") && strstr(r.err, smr_scheme.name),
          "destroy with a thread still registered was not refused with a message: %s, "
          "stderr '%s'", child_describe(&r, how, sizeof how), r.err);

    /* In this process, after the children (it may start liburcu's worker,
       which a child would not have): the largest allowed count works, every
       slot of it. */
    smr_domain_t *d = new_domain(SMR_MAX_SLOTS);
    smr_thread_t *t = smr_thread_register(d);
    _Atomic int reclaimed = 0;
    smr_atomic_ptr src;
    atomic_init(&src, tnode_new(t, &reclaimed));
    smr_enter(t);
    for (unsigned i = 0; i < SMR_MAX_SLOTS; i++)
        CHECK(smr_protect(t, i, &src) == atomic_load(&src), "protect with slot %u of %d", i,
              SMR_MAX_SLOTS);
    smr_leave(t);
    smr_retire(t, atomic_load(&src), tnode_reclaim, NULL);
    smr_thread_unregister(t);
    check_destroy(d, 1, &reclaimed, NULL);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--unsafe") == 0)
        atomic_store(&smr_test_free_on_retire, 1);
    else if (argc > 1) {
        fprintf(stderr, "usage: %s [--unsafe]\n", argv[0]);
        return 2;
    }
    test_refusals(); /* first: it forks, and a child gets none of our threads */
    test_declared_properties();
    test_protected();
    test_flush();
    test_unregister();
    test_unregister_under_reader();
    test_destroy_with_pending();
    test_record_reuse();
    test_protected_across_eras();
    char what[64];
    snprintf(what, sizeof what, "conformance-%s", smr_scheme.name);
    return test_finish(what);
}
