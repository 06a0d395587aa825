/*
 * keyed_model.c - the list and the hash map on one thread against a plain
 * array of booleans, one program per scheme, linked with the checked core.
 *
 * 200,000 random inserts, deletes and lookups over a small key range (the
 * list) and a larger one spread over few buckets (the hash map, 16 keys per
 * bucket): every result must be the model's, and a census every 10,000
 * steps must find exactly the model's keys, sorted, with no marked node.
 * Flushes run along the way so reclaimed nodes are really freed (and
 * poisoned). At the end every successful delete was retired exactly once,
 * and destroy reclaims everything.
 */
#include "hashmap.h"
#include "list.h"
#include "test_util.h"

#define STEPS 200000

struct keyed_set {
    const char *name;
    void *s;
    smr_domain_t *(*domain)(void *s);
    bool (*insert)(void *s, smr_thread_t *t, uint64_t k);
    bool (*del)(void *s, smr_thread_t *t, uint64_t k);
    bool (*lookup)(void *s, smr_thread_t *t, uint64_t k);
    void (*census)(void *s, struct hml_census *c);
    void (*destroy)(void *s, struct smr_stats *fin);
};

#define ADAPT(prefix, type)                                                                   \
    static smr_domain_t *prefix##_d(void *s) { return prefix##_domain((type *)s); }           \
    static bool prefix##_i(void *s, smr_thread_t *t, uint64_t k)                             \
    {                                                                                         \
        return prefix##_insert((type *)s, t, k);                                              \
    }                                                                                         \
    static bool prefix##_x(void *s, smr_thread_t *t, uint64_t k)                             \
    {                                                                                         \
        return prefix##_delete((type *)s, t, k);                                              \
    }                                                                                         \
    static bool prefix##_l(void *s, smr_thread_t *t, uint64_t k)                             \
    {                                                                                         \
        return prefix##_lookup((type *)s, t, k);                                              \
    }                                                                                         \
    static void prefix##_c(void *s, struct hml_census *c) { prefix##_census((type *)s, c); } \
    static void prefix##_f(void *s, struct smr_stats *f) { prefix##_destroy((type *)s, f); }
ADAPT(list, struct list)
ADAPT(hashmap, struct hashmap)

static uint64_t xorshift(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

static void census_against(struct keyed_set *ks, const bool *model, uint64_t keys, long step)
{
    struct hml_census c;
    ks->census(ks->s, &c);
    uint64_t count = 0, sum = 0;
    for (uint64_t k = 0; k < keys; k++)
        if (model[k]) {
            count++;
            sum += k;
        }
    CHECK(c.count == count && c.key_sum == sum, "%s step %ld: census %llu keys (sum %llu), "
          "model %llu (sum %llu)", ks->name, step, (unsigned long long)c.count,
          (unsigned long long)c.key_sum, (unsigned long long)count, (unsigned long long)sum);
    CHECK(c.marked == 0 && c.unordered == 0, "%s step %ld: %llu marked, %llu out of order",
          ks->name, step, (unsigned long long)c.marked, (unsigned long long)c.unordered);
}

static void run_model(struct keyed_set *ks, uint64_t keys, uint64_t seed)
{
    bool *model = calloc(keys, sizeof(bool));
    smr_thread_t *t = smr_thread_register(ks->domain(ks->s));
    uint64_t deleted = 0;
    int mismatches = 0;
    for (long step = 0; step < STEPS; step++) {
        uint64_t r = xorshift(&seed), k = (r >> 8) % keys;
        bool got, want;
        switch (r % 3) {
        case 0:
            got = ks->insert(ks->s, t, k);
            want = !model[k];
            model[k] = true;
            break;
        case 1:
            got = ks->del(ks->s, t, k);
            want = model[k];
            model[k] = false;
            deleted += got;
            break;
        default:
            got = ks->lookup(ks->s, t, k);
            want = model[k];
            break;
        }
        if (got != want && mismatches++ < 5)
            CHECK(got == want, "%s step %ld: op %llu on key %llu returned %d, model says %d",
                  ks->name, step, (unsigned long long)(r % 3), (unsigned long long)k, got, want);
        if (step % 10000 == 9999) {
            census_against(ks, model, keys, step);
            smr_flush(t);
        }
    }
    CHECK(mismatches == 0, "%s: %d results differ from the model", ks->name, mismatches);
    census_against(ks, model, keys, STEPS);
    for (int i = 0; i < 8; i++)
        smr_flush(t);
    struct smr_stats st;
    smr_stats(ks->domain(ks->s), &st);
    CHECK(st.retired == deleted, "%s: %llu nodes retired for %llu successful deletes", ks->name,
          (unsigned long long)st.retired, (unsigned long long)deleted);
    smr_thread_unregister(t);
    struct smr_stats fin;
    ks->destroy(ks->s, &fin);
    CHECK(fin.retired == fin.reclaimed, "%s: destroy left %llu of %llu retired unreclaimed",
          ks->name, (unsigned long long)(fin.retired - fin.reclaimed),
          (unsigned long long)fin.retired);
    free(model);
}

int main(void)
{
    struct keyed_set l = {"list", list_create(NULL), list_d, list_i, list_x, list_l, list_c,
                          list_f};
    run_model(&l, 512, 0x1234567u);
    struct keyed_set m = {"hashmap", hashmap_create(NULL, 256), hashmap_d, hashmap_i, hashmap_x,
                          hashmap_l, hashmap_c, hashmap_f};
    run_model(&m, 4096, 0x7654321u);
    char what[64];
    snprintf(what, sizeof what, "keyed-model-%s", smr_scheme.name);
    return test_finish(what);
}
