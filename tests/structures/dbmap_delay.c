/*
 * dbmap_delay.c - which swap a reader blocks, one program per provider.
 *
 *   dbmap_delay_<provider>
 *
 * A reader begins a read and stays inside. Delayed swap: the next publish
 * must complete anyway (it only starts the grace period of the copy the
 * reader is in), and the publish after it must wait until the reader
 * leaves. Immediate wait: the first publish already waits. "Waits" is seen
 * as not done 100 ms later and done soon after the reader leaves; "must
 * complete" as done within 5 s.
 */
#include <pthread.h>
#include <sched.h>
#include <time.h>

#include "dbmap.h"
#include "test_util.h"

struct shared {
    struct dbmap *map;
    _Atomic int inside, release, stop_reader;
    /* The publisher thread publishes once per request. */
    _Atomic unsigned requested, published;
    _Atomic int stop_publisher;
};

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Wait up to `ms` for *count to reach `target`; returns whether it did. */
static bool wait_count(_Atomic unsigned *count, unsigned target, unsigned ms)
{
    for (unsigned i = 0; i < ms && atomic_load(count) < target; i++)
        sleep_ms(1);
    return atomic_load(count) >= target;
}

static void *reader_main(void *arg)
{
    struct shared *sh = arg;
    struct dbmap_reader *r = dbmap_reader_open(sh->map);
    const struct dbmap_table *t = dbmap_read_begin(r);
    atomic_store(&sh->inside, 1);
    while (!atomic_load(&sh->release))
        sleep_ms(1);
    uint64_t v;
    (void)dbmap_table_get(t, 1, &v);
    dbmap_read_end(r);
    /* Outside now: keep announcing (QSBR) until the test is over. */
    while (!atomic_load(&sh->stop_reader)) {
        dbmap_reader_quiescent(r);
        sched_yield();
    }
    dbmap_reader_close(r);
    return NULL;
}

/* One thread publishes, with its own reader handle (its scheme handle). */
static void *publisher_main(void *arg)
{
    struct shared *sh = arg;
    struct dbmap_reader *self = dbmap_reader_open(sh->map);
    while (!atomic_load(&sh->stop_publisher)) {
        if (atomic_load(&sh->published) < atomic_load(&sh->requested)) {
            dbmap_publish(dbmap_writer(sh->map), self);
            atomic_fetch_add(&sh->published, 1);
        } else {
            dbmap_reader_idle(self);
            sleep_ms(1);
        }
    }
    dbmap_reader_close(self);
    return NULL;
}

/* Log a write and ask for a publish; returns the count that means "done". */
static unsigned request_publish(struct shared *sh, uint64_t key)
{
    dbmap_insert(dbmap_writer(sh->map), key, key);
    return atomic_fetch_add(&sh->requested, 1) + 1;
}

static void run(bool immediate)
{
    struct shared sh = {0};
    struct dbmap_config cfg = {.immediate_wait = immediate};
    sh.map = dbmap_create(&cfg);
    pthread_t reader, publisher;
    pthread_create(&reader, NULL, reader_main, &sh);
    pthread_create(&publisher, NULL, publisher_main, &sh);
    for (unsigned i = 0; i < 5000 && !atomic_load(&sh.inside); i++)
        sleep_ms(1);
    const char *mode = immediate ? "immediate" : "delayed";

    unsigned first = request_publish(&sh, 1), target = first;
    if (!immediate) {
        bool done = wait_count(&sh.published, first, 5000);
        CHECK(done, "delayed: the first publish after a read began must not wait for it");
        if (!done)
            atomic_store(&sh.release, 1); /* let it finish */
        wait_count(&sh.published, first, 60000);
        /* The writer logs only while no publish runs (single writer). */
        target = request_publish(&sh, 2);
    }
    sleep_ms(100);
    CHECK(atomic_load(&sh.release) || atomic_load(&sh.published) < target,
          "%s: the %s publish returned while a reader it must wait for was still inside", mode,
          immediate ? "first" : "second");
    atomic_store(&sh.release, 1);
    CHECK(wait_count(&sh.published, target, 5000),
          "%s: the publish did not finish after the reader left", mode);
    wait_count(&sh.published, target, 60000);
    atomic_store(&sh.stop_publisher, 1);
    atomic_store(&sh.stop_reader, 1);
    pthread_join(publisher, NULL);
    pthread_join(reader, NULL);
    struct smr_stats fin;
    dbmap_destroy(sh.map, &fin);
    CHECK(fin.retired == fin.reclaimed, "teardown: retired %llu, reclaimed %llu",
          (unsigned long long)fin.retired, (unsigned long long)fin.reclaimed);
}

int main(void)
{
    if (!DBMAP_PROVIDER_INFO.reclaims) {
        printf("dbmap/%s: skipped: a scheme that never reclaims gives no grace period\n",
               DBMAP_PROVIDER_INFO.name);
        return 77;
    }
    run(false);
    run(true);
    char what[64];
    snprintf(what, sizeof what, "dbmap-delay-%s", DBMAP_PROVIDER_INFO.name);
    return test_finish(what);
}
