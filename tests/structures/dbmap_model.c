/*
 * dbmap_model.c - dbmap against a plain model, single-threaded, one
 * program per grace-period provider (linked with the checked core).
 *
 *   dbmap_model_<provider> [STEPS]
 *
 * Random inserts, removes and retains over a key universe (small keys, a
 * wide range that makes the tables grow and shrink, and awkward keys such
 * as UINT64_MAX, the table's empty marker), with publishes at random
 * points, in both wait modes. The model is a flat array indexed by the
 * key's position in the universe. Checks: after every publish a reader's
 * snapshot is exactly the model (iteration: no entry outside it, no
 * duplicate, same count; gets of sampled keys, of every key on every 8th
 * publish); between publishes readers still see the last published state
 * (count and sampled gets); so does a reader opened later (on a reused
 * record).
 */
#include <string.h>

#include "dbmap.h"
#include "rng.h"
#include "test_util.h"

#define SMALL_KEYS 64u
#define WIDE_KEYS 4096u
static const uint64_t special_keys[] = {
    UINT64_MAX, UINT64_MAX - 1, 1ull << 63, 0x9e3779b97f4a7c15ull, 0xffffffffull, 1ull << 32,
};
#define NSPECIAL (sizeof special_keys / sizeof *special_keys)
#define UNIVERSE (WIDE_KEYS + NSPECIAL)

struct model {
    bool present[UNIVERSE];
    uint64_t value[UNIVERSE];
    uint64_t count;
};

/* The model's one generator (rng.h's splitmix64), from a fixed seed: reproducible. */
static uint64_t rng_state = 0x243f6a8885a308d3ull;
static uint64_t next_rand(void)
{
    return rng_splitmix64(&rng_state);
}

/* Universe index -> key: wide keys are spread (k * a large odd constant). */
static uint64_t key_of(unsigned i)
{
    return i < WIDE_KEYS ? (uint64_t)i * 0x100000001b3ull : special_keys[i - WIDE_KEYS];
}

static int index_of(uint64_t key)
{
    for (unsigned s = 0; s < NSPECIAL; s++)
        if (key == special_keys[s])
            return (int)(WIDE_KEYS + s);
    if (key % 0x100000001b3ull == 0 && key / 0x100000001b3ull < WIDE_KEYS)
        return (int)(key / 0x100000001b3ull);
    return -1;
}

/* Deterministic: keeps about 7 in 8 entries, depending on arg. */
static bool keep_most(uint64_t key, uint64_t value, uint64_t arg)
{
    return (dbmap_hash(key ^ value ^ arg) & 7) != 0;
}

static void model_retain(struct model *m, uint64_t arg)
{
    for (unsigned i = 0; i < UNIVERSE; i++)
        if (m->present[i] && !keep_most(key_of(i), m->value[i], arg)) {
            m->present[i] = false;
            m->count--;
        }
}

/* How much of a snapshot to compare: count and 64 sampled gets; plus a
   full iteration; plus a get of every key of the universe. */
enum depth { QUICK, ITERATE, FULL };

/* The snapshot `r` reads equals `m`. Returns false on the first difference. */
static bool snapshot_equals(struct dbmap_reader *r, const struct model *m, enum depth depth)
{
    static uint32_t seen_stamp[UNIVERSE];
    static uint32_t stamp;
    stamp++;
    bool ok = true;
    const struct dbmap_table *t = dbmap_read_begin(r);
    CHECK(dbmap_table_count(t) == m->count, "count %llu, model %llu",
          (unsigned long long)dbmap_table_count(t), (unsigned long long)m->count);
    ok &= dbmap_table_count(t) == m->count;
    struct dbmap_iter it = dbmap_iter_start(t);
    uint64_t k, v = 0, n = depth == QUICK ? m->count : 0;
    while (ok && depth != QUICK && dbmap_iter_next(&it, &k, &v)) {
        int i = index_of(k);
        n++;
        if (i < 0 || !m->present[i] || m->value[i] != v || seen_stamp[i] == stamp) {
            CHECK(false, "iteration: key %llx value %llx is not in the model (or seen twice)",
                  (unsigned long long)k, (unsigned long long)v);
            ok = false;
        } else {
            seen_stamp[i] = stamp;
        }
    }
    CHECK(!ok || n == m->count, "iteration gave %llu entries, model %llu",
          (unsigned long long)n, (unsigned long long)m->count);
    ok &= n == m->count;
    for (unsigned n_gets = 0; ok && n_gets < (depth == FULL ? UNIVERSE : 64); n_gets++) {
        unsigned i = depth == FULL ? n_gets : (unsigned)(next_rand() % UNIVERSE);
        bool found = dbmap_table_get(t, key_of(i), &v);
        if (found != m->present[i] || (found && v != m->value[i])) {
            CHECK(false, "get(%llx): %s %llx, model %s %llx", (unsigned long long)key_of(i),
                  found ? "found" : "absent", (unsigned long long)v,
                  m->present[i] ? "present" : "absent", (unsigned long long)m->value[i]);
            ok = false;
        }
    }
    dbmap_read_end(r);
    return ok;
}

/* Returns false at the first failed check. */
static bool run_model(bool immediate, unsigned steps)
{
    struct dbmap_config cfg = {.immediate_wait = immediate};
    struct dbmap *map = dbmap_create(&cfg);
    struct dbmap_writer *w = dbmap_writer(map);
    struct dbmap_reader *reader = dbmap_reader_open(map);
    static struct model now, published;
    memset(&now, 0, sizeof now);
    memset(&published, 0, sizeof published);
    unsigned publishes = 0, max_count = 0, retains = 0;
    bool ok = true;

    for (unsigned step = 0; ok && step < steps; step++) {
        /* Phases: grow over the wide range, shrink it, then churn few keys. */
        unsigned phase = step / 5000 % 3, range = phase == 2 ? SMALL_KEYS : WIDE_KEYS;
        unsigned insert_pct = phase == 0 ? 80 : phase == 1 ? 15 : 45;
        unsigned r = (unsigned)(next_rand() % 1000);
        unsigned i = next_rand() % 16 == 0 ? WIDE_KEYS + (unsigned)(next_rand() % NSPECIAL)
                                           : (unsigned)(next_rand() % range);
        if (r < insert_pct * 10 - 40) {
            uint64_t v = next_rand();
            dbmap_insert(w, key_of(i), v);
            now.count += !now.present[i];
            now.present[i] = true;
            now.value[i] = v;
        } else if (r < 960) {
            dbmap_remove(w, key_of(i));
            now.count -= now.present[i];
            now.present[i] = false;
        } else if (r < 964) {
            uint64_t arg = next_rand();
            dbmap_retain(w, keep_most, arg);
            model_retain(&now, arg);
            retains++;
        } else if (r < 994) {
            dbmap_publish(w, reader);
            published = now;
            publishes++;
            ok = snapshot_equals(reader, &published, publishes % 8 == 0 ? FULL : ITERATE);
        } else {
            /* A reader opened now (maybe on a reused record) sees the published state. */
            struct dbmap_reader *late = dbmap_reader_open(map);
            ok = snapshot_equals(late, &published, QUICK);
            dbmap_reader_close(late);
        }
        if (ok && step % 97 == 0) /* unpublished operations stay invisible */
            ok = snapshot_equals(reader, &published, QUICK);
        if (now.count > max_count)
            max_count = (unsigned)now.count;
    }
    /* Publishing twice in a row, and with nothing logged, changes nothing. */
    dbmap_publish(w, reader);
    dbmap_publish(w, reader);
    published = now;
    ok = ok && snapshot_equals(reader, &published, FULL);

    dbmap_reader_close(reader);
    struct smr_stats fin;
    dbmap_destroy(map, &fin);
    CHECK(fin.retired == fin.reclaimed, "teardown: retired %llu, reclaimed %llu",
          (unsigned long long)fin.retired, (unsigned long long)fin.reclaimed);
    CHECK(publishes > 100 && max_count > 1000 && retains > 10,
          "the walk must publish, grow and retain: %u publishes, max %u entries, %u retains",
          publishes, max_count, retains);
    printf("dbmap/%s %s: %u steps, %u publishes, %u retains, up to %u entries\n",
           DBMAP_PROVIDER_INFO.name, immediate ? "immediate" : "delayed", steps, publishes,
           retains, max_count);
    return ok;
}

int main(int argc, char **argv)
{
    unsigned steps = argc > 1 ? (unsigned)atoi(argv[1]) : 30000;
    if (!DBMAP_PROVIDER_INFO.reclaims) {
        printf("dbmap/%s: skipped: a scheme that never reclaims gives no grace period\n",
               DBMAP_PROVIDER_INFO.name);
        return 77;
    }
    if (run_model(false, steps))
        run_model(true, steps);
    char what[64];
    snprintf(what, sizeof what, "dbmap-model-%s", DBMAP_PROVIDER_INFO.name);
    return test_finish(what);
}
