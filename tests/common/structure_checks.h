/*
 * structure_checks.h - what the structures' single-thread tests share: a
 * set (the keyed sets, the tree) run on one thread against a plain array
 * of booleans, the end of a deterministic interleaving (scenario), and the
 * check that destroy reclaimed everything.
 */
#ifndef STRUCTURE_CHECKS_H
#define STRUCTURE_CHECKS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "rng.h"
#include "smr.h"
#include "test_util.h"

/* After destroy: every retired node was reclaimed. */
static inline void check_all_reclaimed(const char *what, const struct smr_stats *fin)
{
    CHECK(fin->retired == fin->reclaimed, "%s: destroy left %llu of %llu retired unreclaimed", what,
          (unsigned long long)(fin->retired - fin->reclaimed), (unsigned long long)fin->retired);
}

/* The end of a scenario of threads A and B: both flush (4 times, enough for
   every scheme's grace periods), the domain must count `retired` nodes
   retired, and both leave. */
static inline void scenario_settle(const char *name, smr_domain_t *d, smr_thread_t *a,
                                   smr_thread_t *b, uint64_t retired)
{
    for (int i = 0; i < 4; i++) {
        smr_flush(a);
        smr_flush(b);
    }
    struct smr_stats st;
    smr_stats(d, &st);
    CHECK(st.retired == retired, "%s: %llu node(s) retired, want %llu", name,
          (unsigned long long)st.retired, (unsigned long long)retired);
    smr_thread_unregister(a);
    smr_thread_unregister(b);
}

/* The keys a scenario must end with (up to 3, a 0 ends them): each is
   found by B's lookup. Their count and sum, for the census. */
static inline void scenario_keys(const char *name, const uint64_t *want,
                                 bool (*lookup)(void *s, smr_thread_t *t, uint64_t k), void *s,
                                 smr_thread_t *b, uint64_t *count, uint64_t *sum)
{
    *count = *sum = 0;
    for (int i = 0; i < 3 && want[i]; i++) {
        ++*count;
        *sum += want[i];
        CHECK(lookup(s, b, want[i]), "%s: key %llu missing", name, (unsigned long long)want[i]);
    }
}

/* A set seen through void pointers, so that one model run serves each. */
struct set_model {
    const char *name; /* in failure messages */
    void *s;
    smr_domain_t *(*domain)(void *s);
    bool (*insert)(void *s, smr_thread_t *t, uint64_t k);
    bool (*del)(void *s, smr_thread_t *t, uint64_t k);
    bool (*lookup)(void *s, smr_thread_t *t, uint64_t k);
    /* The set's census against the model (model_keys gives the count and
       key sum it must find), CHECKing its own invariants too. */
    void (*census)(void *s, const bool *model, uint64_t keys, const char *what, long step);
    void (*destroy)(void *s, struct smr_stats *fin);
};

/* Destroy the set: everything retired must have been reclaimed. */
static inline void set_model_destroy(const struct set_model *m)
{
    struct smr_stats fin;
    m->destroy(m->s, &fin);
    check_all_reclaimed(m->name, &fin);
}

/* The model's keys: how many, and their sum. */
static inline void model_keys(const bool *model, uint64_t keys, uint64_t *count, uint64_t *sum)
{
    *count = *sum = 0;
    for (uint64_t k = 0; k < keys; k++)
        if (model[k]) {
            ++*count;
            *sum += k;
        }
}

/* `steps` random inserts, deletes and lookups (a third each) of keys in
   [0, keys) on one thread: every result must be the model's (the first
   five differences are shown), and a census every 10,000 steps and at the
   end must agree, with a flush after each so that what was retired is
   really freed (and poisoned). After 8 more flushes, `st` gets the
   domain's stats and the thread leaves. Returns the successful deletes. */
static inline uint64_t set_model_run(const struct set_model *m, uint64_t keys, uint64_t seed,
                                     long steps, struct smr_stats *st)
{
    bool *model = calloc(keys, sizeof(bool));
    if (!model)
        abort();
    smr_thread_t *t = smr_thread_register(m->domain(m->s));
    uint64_t deleted = 0;
    int mismatches = 0;
    struct rng rng;
    rng_seed(&rng, seed);
    for (long step = 0; step < steps; step++) {
        uint64_t r = rng_next(&rng), k = (r >> 8) % keys;
        bool got, want;
        switch (r % 3) {
        case 0:
            got = m->insert(m->s, t, k);
            want = !model[k];
            model[k] = true;
            break;
        case 1:
            got = m->del(m->s, t, k);
            want = model[k];
            model[k] = false;
            deleted += got;
            break;
        default:
            got = m->lookup(m->s, t, k);
            want = model[k];
            break;
        }
        if (got != want && mismatches++ < 5)
            CHECK(got == want, "%s step %ld: op %llu on key %llu returned %d, model says %d",
                  m->name, step, (unsigned long long)(r % 3), (unsigned long long)k, got, want);
        if (step % 10000 == 9999) {
            m->census(m->s, model, keys, m->name, step);
            smr_flush(t);
        }
    }
    CHECK(mismatches == 0, "%s: %d results differ from the model", m->name, mismatches);
    m->census(m->s, model, keys, m->name, steps);
    for (int i = 0; i < 8; i++)
        smr_flush(t);
    smr_stats(m->domain(m->s), st);
    smr_thread_unregister(t);
    free(model);
    return deleted;
}

#endif /* STRUCTURE_CHECKS_H */
