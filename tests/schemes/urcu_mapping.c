/*
 * urcu_mapping.c - how the urcu adapter maps our handles onto liburcu's
 * per-OS-thread registration and read-side nesting (schemes/urcu.h).
 * Linked with the checked core, compiled with SMR_SCHEME=urcu.
 *
 *   nesting:  two handles of one OS thread (different domains), entered and
 *             left in either order: the thread stays inside a read-side
 *             section until the last one leaves, and the node the
 *             remaining one protects is not reclaimed before that.
 *   affinity: a handle used by an OS thread that did not register it is
 *             caught (checked builds: exit status 86).
 *   destroy:  destroying a domain inside a read-side section aborts rather
 *             than freeing the domain under callbacks it skipped.
 *   flush:    flush while a reader of another domain is inside returns at
 *             once: liburcu's grace periods (and rcu_barrier) wait for the
 *             readers of every domain, and this one may wait for us (here
 *             it gives up after FOREIGN_READER_S). With no reader inside,
 *             flush reclaims what was retired.
 */
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "smr.h"
#include "test_util.h"

static smr_domain_t *new_domain(void)
{
    struct smr_config cfg = {.max_threads = 4, .hazard_slots = 1};
    return smr_domain_create(&cfg);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void count_reclaim(void *p, void *ctx)
{
    (void)p;
    atomic_fetch_add((_Atomic int *)ctx, 1);
}

/* Another thread unlinks and retires the protected node. */
struct retirer {
    smr_domain_t *d;
    smr_atomic_ptr *slot;
    _Atomic int *reclaimed;
};

static void *retirer_main(void *arg)
{
    struct retirer *r = arg;
    smr_thread_t *t = smr_thread_register(r->d);
    void *node = atomic_exchange(r->slot, NULL);
    smr_retire(t, node, count_reclaim, r->reclaimed);
    smr_thread_unregister(t);
    return NULL;
}

/* protector_first: enter P, enter O, leave O (LIFO); else enter O, enter P,
   leave O (O leaves while the later P is inside). */
static void test_nesting(bool protector_first)
{
    smr_domain_t *dp = new_domain(), *dother = new_domain();
    smr_thread_t *p = smr_thread_register(dp), *o = smr_thread_register(dother);
    _Atomic int reclaimed = 0;
    smr_atomic_ptr slot;
    atomic_init(&slot, smr_alloc(p, 64));

    if (protector_first) {
        smr_enter(p);
        smr_enter(o);
    } else {
        smr_enter(o);
        smr_enter(p);
    }
    void *held = smr_protect(p, 0, &slot);
    smr_leave(o);
    CHECK(urcu_memb_read_ongoing(), "the thread left its read-side section while a handle is inside");

    struct retirer r = {.d = dp, .slot = &slot, .reclaimed = &reclaimed};
    pthread_t th;
    pthread_create(&th, NULL, retirer_main, &r);
    pthread_join(th, NULL);
    sleep_ms(200); /* time for liburcu's worker to free it, were no section holding it */
    CHECK(atomic_load(&reclaimed) == 0,
          "node protected by one handle reclaimed after another handle of its thread left (%s)",
          protector_first ? "LIFO" : "interleaved");
    memset(held, 0x5a, 64); /* still ours: ASan would flag a freed block */

    smr_leave(p);
    CHECK(!urcu_memb_read_ongoing(), "the thread is still inside after every handle left");
    smr_flush(p);
    CHECK(atomic_load(&reclaimed) == 1, "after the last leave, flush reclaimed %d of 1",
          atomic_load(&reclaimed));
    smr_thread_unregister(o);
    smr_thread_unregister(p);
    smr_domain_destroy(dother, NULL);
    smr_domain_destroy(dp, NULL);
}

static void *enter_foreign(void *arg)
{
    smr_enter((smr_thread_t *)arg); /* must be caught: exit 86 */
    smr_leave((smr_thread_t *)arg);
    return NULL;
}

/* Runs `child` in a child process; returns its wait status. */
static int in_child(void (*child)(void))
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        child();
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    return status;
}

static void foreign_thread_child(void)
{
    smr_domain_t *d = new_domain();
    smr_thread_t *t = smr_thread_register(d);
    pthread_t th;
    pthread_create(&th, NULL, enter_foreign, t);
    pthread_join(th, NULL);
}

static void destroy_inside_child(void)
{
    smr_domain_t *d1 = new_domain(), *d2 = new_domain();
    smr_thread_t *t = smr_thread_register(d1);
    smr_enter(t);
    smr_domain_destroy(d2, NULL); /* must abort */
}

/* ---- flush never waits for a reader ---- */

#define FOREIGN_READER_S 3.0

struct foreign_reader {
    smr_domain_t *d;
    _Atomic int step; /* 1: inside, 2: may leave, 3: left */
};

/* A reader of another domain, inside until told to leave (or, so that a
   flush that waits for it still ends, until FOREIGN_READER_S passed). */
static void *foreign_reader_main(void *arg)
{
    struct foreign_reader *f = arg;
    smr_thread_t *t = smr_thread_register(f->d);
    smr_enter(t);
    atomic_store(&f->step, 1);
    double start = test_now_s();
    while (atomic_load(&f->step) < 2 && test_now_s() - start < FOREIGN_READER_S)
        sleep_ms(1);
    smr_leave(t);
    smr_thread_unregister(t);
    atomic_store(&f->step, 3);
    return NULL;
}

static void test_flush_never_waits(void)
{
    smr_domain_t *mine = new_domain(), *other = new_domain();
    struct foreign_reader f = {.d = other};
    pthread_t th;
    pthread_create(&th, NULL, foreign_reader_main, &f);
    while (atomic_load(&f.step) < 1)
        sleep_ms(1);

    smr_thread_t *t = smr_thread_register(mine);
    _Atomic int reclaimed = 0;
    smr_retire(t, smr_alloc(t, 16), count_reclaim, &reclaimed);
    double start = test_now_s();
    smr_flush(t);
    double took = test_now_s() - start;
    CHECK(took < FOREIGN_READER_S / 2, "flush took %.2f s: it waited for a reader of another "
          "domain (which gave up after %.0f s)", took, FOREIGN_READER_S);
    atomic_store(&f.step, 2);
    pthread_join(th, NULL);

    smr_flush(t); /* nobody inside: reclaims */
    CHECK(atomic_load(&reclaimed) == 1, "with no reader inside, flush reclaimed %d of 1",
          atomic_load(&reclaimed));
    smr_thread_unregister(t);
    smr_domain_destroy(mine, NULL);
    smr_domain_destroy(other, NULL);
}

int main(void)
{
    /* Children first: liburcu's worker thread does not survive fork. */
    int st = in_child(foreign_thread_child);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 86,
          "a handle entered from a foreign thread was not caught (status %#x)", st);
    st = in_child(destroy_inside_child);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT,
          "destroy inside a read-side section did not abort (status %#x)", st);

    test_nesting(true);
    test_nesting(false);
    test_flush_never_waits();
    return test_finish("urcu-mapping");
}
