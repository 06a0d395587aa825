/*
 * secvec_model.c - SecVec on one thread against a plain array, one
 * program per scheme, linked with the checked core.
 *
 *   index math   secvec_locate on bucket boundaries and at the far end.
 *   model        20000 random push_back, pop_back, get, set, size and
 *                reserve steps (growing to a few thousand elements, then
 *                draining to empty and popping it empty); every result
 *                compared with the array; whole-array comparisons and
 *                flushes (so reclaimed descriptors are really freed) every
 *                1000 steps; gets and sets past the last bucket refused.
 *   accounting   retired == 2 x pushes + pops (a descriptor per push and
 *                per pop, a write descriptor per push, each once), and
 *                destroy reclaims all of them.
 */
#include "rng.h"
#include "secvec.h"
#include "test_util.h"

#define STEPS 20000

static void test_index_math(void)
{
    static const struct {
        uint64_t i;
        unsigned bucket;
        uint64_t offset;
    } cases[] = {
        {0, 0, 0}, {7, 0, 7}, {8, 1, 0}, {23, 1, 15}, {24, 2, 0}, {55, 2, 31}, {56, 3, 0},
        {(8ull << 59) - 9, 58, (8ull << 58) - 1}, {(8ull << 59) - 8, 59, 0},
        {(8ull << 60) - 9, 59, (8ull << 59) - 1},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        unsigned b = 99;
        uint64_t off = 99;
        bool ok = secvec_locate(cases[k].i, &b, &off);
        CHECK(ok && b == cases[k].bucket && off == cases[k].offset,
              "locate(%llu) = %d, bucket %u offset %llu; want bucket %u offset %llu",
              (unsigned long long)cases[k].i, ok, b, (unsigned long long)off, cases[k].bucket,
              (unsigned long long)cases[k].offset);
    }
    unsigned b;
    uint64_t off;
    CHECK(!secvec_locate((8ull << 60) - 8, &b, &off), "index past bucket 59 accepted");
    CHECK(!secvec_locate(UINT64_MAX, &b, &off), "UINT64_MAX accepted");
    /* Consecutive indices fill each bucket exactly, in order. */
    unsigned pb = 0;
    uint64_t poff = 0;
    bool contiguous = true;
    for (uint64_t i = 1; i < 100000; i++) {
        secvec_locate(i, &b, &off);
        bool next = (b == pb && off == poff + 1) ||
                    (b == pb + 1 && off == 0 && poff + 1 == (uint64_t)SECVEC_FIRST_BUCKET << pb);
        contiguous &= next;
        pb = b;
        poff = off;
    }
    CHECK(contiguous, "indices 0..99999 do not fill the buckets in order");
}

struct model {
    uint64_t *a;
    size_t n, cap;
};

static void model_push(struct model *m, uint64_t v)
{
    if (m->n == m->cap)
        m->a = test_grow(m->a, &m->cap, sizeof(uint64_t));
    m->a[m->n++] = v;
}

static bool same_contents(struct secvec *v, const struct model *m)
{
    for (size_t i = 0; i < m->n; i++) {
        uint64_t x;
        if (!secvec_get(v, i, &x) || x != m->a[i])
            return false;
    }
    return true;
}

static void test_model(void)
{
    struct secvec *v = secvec_create(NULL);
    smr_thread_t *t = smr_thread_register(secvec_domain(v));
    struct model m = {0};
    uint64_t next_value = 1, pushes = 0, pops = 0;
    uint64_t bad_push = 0, bad_pop = 0, bad_get = 0, bad_set = 0, bad_size = 0, bad_reserve = 0;
    uint64_t empty_pops = 0, max_size = 0;
    struct rng rng;
    rng_seed(&rng, 0x2545f4914f6cdd1dull);

    for (int step = 0; step < 2 * STEPS; step++) {
        bool draining = step >= STEPS; /* second half: pop-heavy, down to empty */
        uint64_t r = rng_next(&rng) % 100, x = 0;
        if (r < (draining ? 10u : 30u)) {
            uint64_t idx = secvec_push_back(v, t, next_value);
            bad_push += idx != m.n;
            model_push(&m, next_value++);
            pushes++;
        } else if (r < (draining ? 60u : 50u)) {
            bool ok = secvec_pop_back(v, t, &x);
            if (m.n == 0) {
                bad_pop += ok;
                empty_pops++;
            } else {
                bad_pop += !ok || x != m.a[m.n - 1];
                m.n--;
                pops += ok;
            }
        } else if (r < 70) {
            if (m.n) {
                uint64_t i = rng_next(&rng) % m.n;
                bad_get += !secvec_get(v, i, &x) || x != m.a[i];
            }
        } else if (r < 85) {
            if (m.n) {
                uint64_t i = rng_next(&rng) % m.n;
                bad_set += !secvec_set(v, i, next_value);
                m.a[i] = next_value++;
            }
        } else if (r < 95) {
            bad_size += secvec_size(v, t) != m.n;
        } else {
            uint64_t want = m.n + rng_next(&rng) % (2 * m.n + 64);
            secvec_reserve(v, want);
            bad_reserve += secvec_size(v, t) != m.n;
            if (want > m.n) /* the last reserved slot is there (zero if never written) */
                bad_reserve += !secvec_get(v, want - 1, &x);
        }
        if (m.n > max_size)
            max_size = m.n;
        if (step % 1000 == 999) {
            CHECK(same_contents(v, &m), "contents differ from the model at step %d", step);
            smr_flush(t);
        }
    }
    CHECK(bad_push == 0, "%llu pushes returned a wrong index", (unsigned long long)bad_push);
    CHECK(bad_pop == 0, "%llu pops disagreed with the model", (unsigned long long)bad_pop);
    CHECK(bad_get == 0, "%llu gets disagreed with the model", (unsigned long long)bad_get);
    CHECK(bad_set == 0, "%llu sets refused", (unsigned long long)bad_set);
    CHECK(bad_size == 0, "%llu sizes disagreed with the model", (unsigned long long)bad_size);
    CHECK(bad_reserve == 0, "%llu reserves changed the size or left a bucket out",
          (unsigned long long)bad_reserve);
    CHECK(max_size > 1000, "the model only grew to %llu elements", (unsigned long long)max_size);
    CHECK(empty_pops > 0, "never popped the empty vector");

    /* Drain, then the empty vector. */
    uint64_t x;
    while (m.n) {
        bool ok = secvec_pop_back(v, t, &x);
        CHECK(ok && x == m.a[m.n - 1], "drain: pop at %zu", m.n - 1);
        m.n--;
        pops++;
    }
    CHECK(!secvec_pop_back(v, t, &x), "pop of the empty vector succeeded");
    CHECK(secvec_size(v, t) == 0, "size after draining");
    CHECK(!secvec_get(v, 1ull << 62, &x), "get past the allocated buckets succeeded");
    CHECK(!secvec_set(v, UINT64_MAX, 1), "set past the last bucket succeeded");

    smr_thread_unregister(t);
    struct smr_stats fin;
    secvec_destroy(v, &fin);
    CHECK(fin.retired == 2 * pushes + pops, "retired %llu, expected 2 x %llu pushes + %llu pops",
          (unsigned long long)fin.retired, (unsigned long long)pushes, (unsigned long long)pops);
    CHECK(fin.reclaimed == fin.retired, "reclaimed %llu != retired %llu after destroy",
          (unsigned long long)fin.reclaimed, (unsigned long long)fin.retired);
    printf("secvec/%s model: %llu pushes, %llu pops, %llu empty pops, largest size %llu\n",
           smr_scheme.name, (unsigned long long)pushes, (unsigned long long)pops,
           (unsigned long long)empty_pops, (unsigned long long)max_size);
    free(m.a);
}

int main(void)
{
    test_index_math();
    test_model();
    char what[64];
    snprintf(what, sizeof what, "secvec-model-%s", smr_scheme.name);
    return test_finish(what);
}
