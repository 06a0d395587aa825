/*
 * dbmap_stress.c - readers against publishing writers, one program per
 * grace-period provider, linked with the checked core (copy guards checked
 * on entering and leaving every read, freed slot arrays poisoned).
 *
 *   dbmap_stress_<provider> [--immediate] [--writers N] [--yield N] READERS MILLISECONDS
 *       Each publish moves the map from one version's state to the next:
 *       a retain drops what version v does not have, inserts write every
 *       key of v with a value naming v (keys shift, the bulk range grows
 *       and shrinks so the tables resize), and the version key says v.
 *       Readers check that every snapshot is exactly one version's state
 *       (full iterations: nothing missing, extra, duplicated or from
 *       another version; or gets of random keys), that versions never go
 *       back, and a writer sees its own version right after publishing.
 *       With N writers, they share the writer handle behind a mutex and
 *       also read (mixed roles). --yield N: every Nth pass through a race
 *       window (a reader between finding its copy and reading it, a swap
 *       between publishing the new copy and starting the grace period)
 *       yields the CPU. A failed check exits 86.
 *
 *   dbmap_stress_<provider> --negative-control READERS MILLISECONDS
 *       The same with the writer skipping every wait for readers
 *       (dbmap_test_skip_wait), in child processes (up to 20 tries):
 *       succeeds only if a child is caught (a failed check, a sanitizer
 *       report, a crash, or a reader looping in a rewritten table).
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dbmap.h"
#include "rng.h"
#include "test_util.h"

#define MAX_THREADS 16
#define VERSION_KEY UINT64_MAX          /* also the table's empty marker: the special path */
#define BASE_KEYS 256u
#define BULK_FIRST (1ull << 20)
#define BULK_STEP 256u
#define BULK_MAX (7u * BULK_STEP)
#define INDEX_SPACE (BASE_KEYS + BULK_MAX)

/* ---- the state of version v ---- */

static uint64_t bulk_len(uint64_t v)
{
    return (v % 8) * BULK_STEP;
}

static bool base_present(uint64_t v, uint64_t k)
{
    return (k * 7 + v) % 5 != 0;
}

static uint64_t value_of(uint64_t v, uint64_t k)
{
    return (v << 24) | k;
}

/* Index of a non-version key in [0, INDEX_SPACE), or -1 if it is no key of any version. */
static int64_t key_index(uint64_t k)
{
    if (k < BASE_KEYS)
        return (int64_t)k;
    if (k >= BULK_FIRST && k < BULK_FIRST + BULK_MAX)
        return (int64_t)(BASE_KEYS + (k - BULK_FIRST));
    return -1;
}

static bool in_version(uint64_t v, uint64_t k)
{
    if (k == VERSION_KEY)
        return true;
    if (k < BASE_KEYS)
        return base_present(v, k);
    return k >= BULK_FIRST && k < BULK_FIRST + bulk_len(v);
}

static uint64_t count_of(uint64_t v)
{
    uint64_t n = 1 + bulk_len(v);
    for (uint64_t k = 0; k < BASE_KEYS; k++)
        n += base_present(v, k);
    return n;
}

/* retain's predicate for version `arg`: deterministic, as dbmap requires */
static bool keep_for_version(uint64_t key, uint64_t value, uint64_t arg)
{
    (void)value;
    return in_version(arg, key);
}

/* ---- shared state ---- */

struct shared {
    struct dbmap *map;
    pthread_mutex_t writer_lock;
    uint64_t version;           /* under writer_lock */
    _Atomic int stop;
    pthread_barrier_t start;
};

struct worker {
    alignas(SMR_PAD_ALIGN) struct shared *sh;
    bool writer;
    struct rng rng;
    uint64_t reads, iterations, versions_seen, last_version;
    uint32_t *stamp;            /* per key index: the iteration that saw it */
    uint32_t stamp_now;
};

static void failed(const char *what, uint64_t v, uint64_t key, uint64_t value)
{
    char msg[200];
    snprintf(msg, sizeof msg, "dbmap stress: %s (version %llu, key %llx, value %llx)", what,
             (unsigned long long)v, (unsigned long long)key, (unsigned long long)value);
    smr_check_failed(msg, NULL);
}

/* One read: the snapshot is exactly some version's state; returns that version. */
static uint64_t check_snapshot(struct worker *w, struct dbmap_reader *r, bool iterate)
{
    const struct dbmap_table *t = dbmap_read_begin(r);
    uint64_t v = 0, key, value;
    if (!dbmap_table_get(t, VERSION_KEY, &v))
        failed("no version key", 0, VERSION_KEY, 0);
    if (v < w->last_version)
        failed("the version went back", v, VERSION_KEY, w->last_version);
    if (iterate) {
        uint64_t n = 0;
        w->stamp_now++;
        struct dbmap_iter it = dbmap_iter_start(t);
        while (dbmap_iter_next(&it, &key, &value)) {
            n++;
            if (key == VERSION_KEY) {
                if (value != v)
                    failed("the version key changed during the read", v, key, value);
                continue;
            }
            int64_t i = key_index(key);
            if (i < 0 || !in_version(v, key) || value != value_of(v, key))
                failed("an entry of another version", v, key, value);
            if (w->stamp[i] == w->stamp_now)
                failed("an entry seen twice", v, key, value);
            w->stamp[i] = w->stamp_now;
        }
        if (n != count_of(v) || dbmap_table_count(t) != n)
            failed("the entry count is not the version's", v, n, dbmap_table_count(t));
        w->iterations++;
    } else {
        for (int j = 0; j < 32; j++) {
            uint64_t x = rng_next(&w->rng);
            key = x & 1 ? x % BASE_KEYS : BULK_FIRST + x % BULK_MAX;
            bool found = dbmap_table_get(t, key, &value);
            if (found != in_version(v, key) || (found && value != value_of(v, key)))
                failed(found ? "get found a key of another version" : "get missed a key", v, key,
                       found ? value : 0);
        }
    }
    dbmap_read_end(r);
    w->versions_seen += v != w->last_version;
    w->last_version = v;
    w->reads++;
    return v;
}

static void lock_writer(struct shared *sh, struct dbmap_reader *self)
{
    for (unsigned n = 0; pthread_mutex_trylock(&sh->writer_lock) != 0; n++) {
        dbmap_reader_idle(self); /* the holder may wait for our quiescent state or our token */
        if (n >= 8)
            sched_yield();
    }
}

/* Move the map to the next version and publish it. */
static void write_version(struct worker *w, struct dbmap_reader *self)
{
    struct shared *sh = w->sh;
    lock_writer(sh, self);
    struct dbmap_writer *dw = dbmap_writer(sh->map);
    uint64_t v = ++sh->version;
    dbmap_retain(dw, keep_for_version, v);
    for (uint64_t k = 0; k < BASE_KEYS; k++)
        if (base_present(v, k))
            dbmap_insert(dw, k, value_of(v, k));
    for (uint64_t k = BULK_FIRST; k < BULK_FIRST + bulk_len(v); k++)
        dbmap_insert(dw, k, value_of(v, k));
    dbmap_insert(dw, VERSION_KEY, v);
    dbmap_publish(dw, self);
    /* Right after publishing, readers see exactly this version. */
    if (check_snapshot(w, self, true) != v)
        failed("the writer does not see the version it published", v, 0, 0);
    pthread_mutex_unlock(&sh->writer_lock);
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct shared *sh = w->sh;
    struct dbmap_reader *r = dbmap_reader_open(sh->map);
    pthread_barrier_wait(&sh->start);
    while (!atomic_load_explicit(&sh->stop, memory_order_relaxed)) {
        uint64_t x = rng_next(&w->rng);
        if (w->writer && x % 4 != 0) {
            write_version(w, r);
        } else if (x % 512 == 1) {
            /* Leave and come back, maybe on another record, while swaps go on. */
            dbmap_reader_close(r);
            r = dbmap_reader_open(sh->map);
        } else if (x % 8 < 3) {
            (void)check_snapshot(w, r, true);
        } else {
            (void)check_snapshot(w, r, false);
        }
    }
    dbmap_reader_close(r);
    return NULL;
}

/* Returns 0 if every check passed. */
static int run_stress(unsigned readers, unsigned writers, unsigned ms, bool immediate)
{
    struct shared sh = {0};
    struct dbmap_config cfg = {.immediate_wait = immediate, .smr = {.max_threads = readers + writers}};
    sh.map = dbmap_create(&cfg);
    pthread_mutex_init(&sh.writer_lock, NULL);
    /* Version 0, loaded before any reader exists. */
    struct dbmap_writer *dw = dbmap_writer(sh.map);
    for (uint64_t k = 0; k < BASE_KEYS; k++)
        if (base_present(0, k))
            dbmap_load(dw, k, value_of(0, k));
    dbmap_load(dw, VERSION_KEY, 0);

    unsigned n = readers + writers;
    struct worker *w = smr_record_alloc(n * sizeof(*w));
    pthread_t th[MAX_THREADS];
    pthread_barrier_init(&sh.start, NULL, n + 1);
    for (unsigned i = 0; i < n; i++) {
        w[i].sh = &sh;
        w[i].writer = i < writers;
        rng_seed(&w[i].rng, 0x9e3779b97f4a7c15ull * (i + 1));
        w[i].stamp = calloc(INDEX_SPACE, sizeof(uint32_t));
        pthread_create(&th[i], NULL, worker_main, &w[i]);
    }
    pthread_barrier_wait(&sh.start);
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    atomic_store(&sh.stop, 1);
    for (unsigned i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&sh.start);

    uint64_t reads = 0, iterations = 0, seen = 0;
    unsigned idle_readers = 0;
    for (unsigned i = 0; i < n; i++) {
        reads += w[i].reads;
        iterations += w[i].iterations;
        seen += w[i].versions_seen;
        idle_readers += !w[i].writer && w[i].versions_seen < 1;
        free(w[i].stamp);
    }
    struct smr_stats fin;
    dbmap_destroy(sh.map, &fin);
    pthread_mutex_destroy(&sh.writer_lock);

    int before = test_failed;
    /* Liveness, loosely: a shared 2-core machine may starve any thread. */
    CHECK(sh.version >= 3, "only %llu versions published", (unsigned long long)sh.version);
    CHECK(idle_readers == 0, "%u reader(s) never saw a new version", idle_readers);
    CHECK(fin.retired == fin.reclaimed, "teardown: retired %llu, reclaimed %llu",
          (unsigned long long)fin.retired, (unsigned long long)fin.reclaimed);
    printf("dbmap/%s %s, %u writer(s), %u reader(s), %u ms: %llu versions, %llu reads "
           "(%llu iterations), %llu version changes seen\n",
           DBMAP_PROVIDER_INFO.name, immediate ? "immediate" : "delayed", writers, readers, ms,
           (unsigned long long)sh.version, (unsigned long long)reads,
           (unsigned long long)iterations, (unsigned long long)seen);
    free(w);
    return test_failed != before;
}

static int negative_control(unsigned readers, unsigned ms)
{
    for (int attempt = 1; attempt <= 20; attempt++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            atomic_store(&dbmap_test_skip_wait, 1);
            /* A reader probing a poisoned table may never find an empty slot. */
            alarm(ms / 1000 + 5);
            _exit(run_stress(readers, 1, ms, false));
        }
        int status;
        waitpid(pid, &status, 0);
        if (WIFSIGNALED(status)) {
            printf("negative control: caught on try %d (child killed by signal %d%s)\n", attempt,
                   WTERMSIG(status),
                   WTERMSIG(status) == SIGALRM ? ": a reader looped in a rewritten copy" : "");
            return 0;
        }
        if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
            printf("negative control: caught on try %d (child exit status %d%s)\n", attempt,
                   WEXITSTATUS(status), WEXITSTATUS(status) == 86 ? ": a failed check" : "");
            return 0;
        }
    }
    printf("negative control: skipping the wait was NOT caught in 20 tries\n");
    return 1;
}

int main(int argc, char **argv)
{
    bool negative = false, immediate = false;
    unsigned writers = 1;
    int a = 1;
    for (; a < argc && argv[a][0] == '-'; a++) {
        if (strcmp(argv[a], "--negative-control") == 0)
            negative = true;
        else if (strcmp(argv[a], "--immediate") == 0)
            immediate = true;
        else if (strcmp(argv[a], "--writers") == 0 && a + 1 < argc)
            writers = (unsigned)atoi(argv[++a]);
        else if (strcmp(argv[a], "--yield") == 0 && a + 1 < argc)
            atomic_store(&smr_test_yield_every, (unsigned)atoi(argv[++a]));
        else
            a = argc + 1;
    }
    if (a != argc - 2) {
        fprintf(stderr, "usage: %s [--negative-control] [--immediate] [--writers N] [--yield N] "
                        "READERS MILLISECONDS\n", argv[0]);
        return 2;
    }
    unsigned readers = (unsigned)atoi(argv[a]), ms = (unsigned)atoi(argv[a + 1]);
    if (readers + writers > MAX_THREADS || writers < 1) {
        fprintf(stderr, "1..%d threads, at least one writer\n", MAX_THREADS);
        return 2;
    }
    if (!DBMAP_PROVIDER_INFO.reclaims) {
        printf("dbmap/%s: skipped: a scheme that never reclaims gives no grace period\n",
               DBMAP_PROVIDER_INFO.name);
        return 77;
    }
    if (negative) {
        int r = negative_control(readers, ms);
        printf("negative-control: %d passed, %d failed\n", !r, r);
        return r;
    }
    run_stress(readers, writers, ms, immediate);
    char what[64];
    snprintf(what, sizeof what, "dbmap-stress-%s", DBMAP_PROVIDER_INFO.name);
    return test_finish(what);
}
