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
#include "structure_checks.h"

#define STEPS 200000

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
    static void prefix##_c(void *s, const bool *model, uint64_t keys, const char *what,      \
                           long step)                                                         \
    {                                                                                         \
        struct hml_census c;                                                                  \
        prefix##_census((type *)s, &c);                                                       \
        census_against(&c, model, keys, what, step);                                          \
    }                                                                                         \
    static void prefix##_f(void *s, struct smr_stats *f) { prefix##_destroy((type *)s, f); }

/* A census of the list or the map: the model's keys, sorted, no marked node. */
static void census_against(const struct hml_census *c, const bool *model, uint64_t keys,
                           const char *what, long step)
{
    uint64_t count, sum;
    model_keys(model, keys, &count, &sum);
    CHECK(c->count == count && c->key_sum == sum, "%s step %ld: census %llu keys (sum %llu), "
          "model %llu (sum %llu)", what, step, (unsigned long long)c->count,
          (unsigned long long)c->key_sum, (unsigned long long)count, (unsigned long long)sum);
    CHECK(c->marked == 0 && c->unordered == 0, "%s step %ld: %llu marked, %llu out of order",
          what, step, (unsigned long long)c->marked, (unsigned long long)c->unordered);
}

ADAPT(list, struct list)
ADAPT(hashmap, struct hashmap)

/* Every successful delete retired exactly one node; destroy reclaims all. */
static void run_model(const struct set_model *m, uint64_t keys, uint64_t seed)
{
    struct smr_stats st;
    uint64_t deleted = set_model_run(m, keys, seed, STEPS, &st);
    CHECK(st.retired == deleted, "%s: %llu nodes retired for %llu successful deletes", m->name,
          (unsigned long long)st.retired, (unsigned long long)deleted);
    set_model_destroy(m);
}

int main(void)
{
    struct set_model l = {"list", list_create(NULL), list_d, list_i, list_x, list_l, list_c,
                          list_f};
    run_model(&l, 512, 0x1234567u);
    struct set_model m = {"hashmap", hashmap_create(NULL, 256), hashmap_d, hashmap_i, hashmap_x,
                          hashmap_l, hashmap_c, hashmap_f};
    run_model(&m, 4096, 0x7654321u);
    char what[64];
    snprintf(what, sizeof what, "keyed-model-%s", smr_scheme.name);
    return test_finish(what);
}
