/*
 * hyaline_late_push.c - Hyaline-S's liveness when a close races with a leave.
 *
 * A closer reads a reader's announced era just before the reader leaves,
 * and pushes a batch onto the reader's list just after the leave looked at
 * the list and found it empty. The reader holds nothing any more, but the
 * batch waits on its list until the reader takes it back; a reader that
 * then only waits between operations (smr_quiescent) must take it back, or
 * whoever waits for that batch waits for ever.
 *
 * The race is made exact with the checked build's window hook: the close
 * runs the reader's leave in its push window (between reading the list head
 * and the CAS that pushes), so the leave misses the push every time.
 *
 *   quiescent:  one OS thread, two handles; after the late push the
 *               reader's smr_quiescent must free the batch.
 *   dbmap:      the real case. Two threads write dbmap through its one
 *               writer handle: a publisher waits for the copy whose token
 *               it retired, while the other thread (which has read, never
 *               published) waits for the writer lock, calling
 *               dbmap_reader_idle: smr_quiescent only. The token's batch
 *               was pushed late onto the waiter's list: the publisher must
 *               finish within DBMAP_TIMEOUT_S, or the test reports the hang
 *               (then lets the waiter read once, which releases the list,
 *               so the test still ends).
 */
#include <pthread.h>
#include <sched.h>
#include <string.h>

#include "dbmap.h"
#include "smr.h"
#include "test_util.h"

#define DBMAP_TIMEOUT_S 5

static _Atomic int freed;

static void count_free(void *p, void *ctx)
{
    (void)p;
    (void)ctx;
    atomic_fetch_add(&freed, 1);
}

/* The hook's one shot: the step to run in the first window it sees. */
static void (*_Atomic late_step)(void);

static void run_late_step(void)
{
    void (*step)(void) = atomic_exchange(&late_step, NULL);
    if (step)
        step(); /* its own windows find late_step NULL and pass */
}

/* Run `step` in the next race window any thread reaches (the push window,
   where the callers place it), then windows go back to doing nothing. */
static void arm_late_step(void (*step)(void))
{
    atomic_store(&late_step, step);
    atomic_store(&smr_test_window_hook, run_late_step);
    atomic_store(&smr_test_yield_every, 1);
}

static void disarm(void)
{
    atomic_store(&smr_test_yield_every, 0);
    atomic_store(&smr_test_window_hook, NULL);
    atomic_store(&late_step, NULL);
}

/* ---- smr_quiescent takes back a late push ---- */

static smr_thread_t *reader;

static void reader_leaves(void)
{
    smr_leave(reader);
}

static void test_quiescent(void)
{
    struct smr_config cfg = {.max_threads = 2, .hazard_slots = 1};
    smr_domain_t *d = smr_domain_create(&cfg);
    smr_thread_t *w = smr_thread_register(d);
    reader = smr_thread_register(d);
    smr_atomic_ptr shared;
    atomic_init(&shared, smr_alloc(w, 16));

    smr_enter(reader);
    (void)smr_protect(reader, 0, &shared); /* announces an era: a target of the close */
    smr_retire(w, atomic_exchange(&shared, NULL), count_free, NULL);
    arm_late_step(reader_leaves);
    smr_flush(w); /* closes the batch: reads the era, the reader leaves, the push lands */
    disarm();
    CHECK(atomic_load(&freed) == 0, "the batch was freed while on the reader's list");

    smr_quiescent(reader); /* between operations */
    CHECK(atomic_load(&freed) == 1,
          "a batch pushed just after the reader's leave checked its list is still held after "
          "its smr_quiescent: a thread that only waits between operations holds it for ever");

    smr_thread_unregister(reader);
    smr_thread_unregister(w);
    struct smr_stats fin;
    smr_domain_destroy(d, &fin);
    CHECK(fin.retired == 1 && fin.reclaimed == 1, "after destroy: retired %llu, reclaimed %llu",
          (unsigned long long)fin.retired, (unsigned long long)fin.reclaimed);
}

/* ---- dbmap, two writer threads ---- */

struct dbmap_case {
    struct dbmap *map;
    struct dbmap_reader *waiter;    /* inside a read until the late push */
    _Atomic int waiter_left;        /* the hook ended the waiter's read */
    _Atomic int published;          /* the publisher's second publish returned */
};

static struct dbmap_case dc;

static void waiter_leaves(void)
{
    dbmap_read_end(dc.waiter);
    atomic_store(&dc.waiter_left, 1);
}

/* Holds the writer handle: publishes (retiring the first token), then
   publishes again, which waits for the first copy. */
static void *publisher_main(void *arg)
{
    (void)arg;
    struct dbmap_reader *self = dbmap_reader_open(dc.map);
    struct dbmap_writer *w = dbmap_writer(dc.map);
    dbmap_insert(w, 1, 1);
    dbmap_publish(w, self); /* the waiter's copy becomes stale: its token is retired */
    dbmap_insert(w, 2, 2);
    /* The first window this thread reaches is the push of that token's
       batch, in the close its wait starts with. */
    arm_late_step(waiter_leaves);
    dbmap_publish(w, self); /* waits for the waiter's copy */
    atomic_store(&dc.published, 1);
    dbmap_reader_close(self);
    return NULL;
}

static void test_dbmap_two_writers(void)
{
    struct dbmap_config cfg = {.smr = {.max_threads = 2}, .capacity = 16};
    dc.map = dbmap_create(&cfg);
    dc.waiter = dbmap_reader_open(dc.map);
    (void)dbmap_read_begin(dc.waiter); /* has read, never published */

    pthread_t publisher;
    pthread_create(&publisher, NULL, publisher_main, NULL);
    while (!atomic_load(&dc.waiter_left))
        sched_yield();
    disarm();
    /* Waiting for the writer lock, the way dbmap_bench does. */
    double start = test_now_s();
    while (!atomic_load(&dc.published) && test_now_s() - start < DBMAP_TIMEOUT_S)
        dbmap_reader_idle(dc.waiter);
    bool finished = atomic_load(&dc.published);
    CHECK(finished, "the publisher still waited for its copy %d s after the other writer "
          "began waiting for the lock: the token's batch sits on the waiter's list, which "
          "dbmap_reader_idle (smr_quiescent) never takes back", DBMAP_TIMEOUT_S);
    if (!finished) {
        uint64_t v;
        (void)dbmap_get(dc.waiter, 1, &v); /* a leave takes the list back: let the test end */
    }
    pthread_join(publisher, NULL);
    dbmap_reader_close(dc.waiter);
    struct smr_stats fin;
    dbmap_destroy(dc.map, &fin);
    CHECK(fin.retired == fin.reclaimed, "dbmap teardown: retired %llu, reclaimed %llu",
          (unsigned long long)fin.retired, (unsigned long long)fin.reclaimed);
}

int main(void)
{
    test_quiescent();
    test_dbmap_two_writers();
    return test_finish("hyaline-late-push");
}
