/*
 * bst_model.c - the Natarajan-Mittal tree on one thread against a plain
 * array of booleans, one program per scheme, linked with the checked core.
 *
 *   random     200,000 random inserts, deletes and lookups over 512 keys,
 *              then over 65,536: every result must be the model's, and a
 *              census every 10,000 steps must find exactly the model's
 *              keys, in order, with no flagged or tagged edge and three
 *              sentinels. Flushes along the way really free (and poison)
 *              what was retired. Every successful delete retired exactly
 *              two nodes (its leaf and its parent); destroy reclaims all.
 *   sequential 3,000 ascending inserts (a tree as deep as it is large:
 *              the census and destroy walk it without recursion), then
 *              every other key deleted from the top down.
 *   sentinels  the keys at and above BST_INF0 are refused; the sentinels
 *              stay.
 *   validate   the benchmark's validation (bst_ops) accepts a run whose
 *              counts match and refuses one with a key inserted behind
 *              the counts' back, and one with a flagged edge reachable (a
 *              delete stopped between its flag and its cleanup).
 */
#include "bst.h"
#include "bench_ops.h"
#include "structure_checks.h"

#define STEPS 200000

extern const struct bench_ops SMR_MANGLE(bst_ops);

/* A census of the tree: the model's keys, in order, clean edges, three sentinels. */
static void census_against(struct bst *tr, const bool *model, uint64_t keys, const char *what,
                           long step)
{
    struct bst_tally c;
    bst_census(tr, &c);
    uint64_t count, sum;
    model_keys(model, keys, &count, &sum);
    CHECK(c.count == count && c.key_sum == sum, "%s step %ld: census %llu keys (sum %llu), "
          "model %llu (sum %llu)", what, step, (unsigned long long)c.count,
          (unsigned long long)c.key_sum, (unsigned long long)count, (unsigned long long)sum);
    CHECK(c.dirty == 0 && c.unordered == 0 && c.malformed == 0,
          "%s step %ld: %llu dirty edge(s), %llu out of order, %llu malformed", what, step,
          (unsigned long long)c.dirty, (unsigned long long)c.unordered,
          (unsigned long long)c.malformed);
}

/* Destroy, and check every retired node was reclaimed. */
static void destroy_all(struct bst *tr, const char *what)
{
    struct smr_stats fin;
    bst_destroy(tr, &fin);
    check_all_reclaimed(what, &fin);
}

/* The tree as a set_model. */
static smr_domain_t *tree_domain(void *s) { return bst_domain(s); }
static bool tree_insert(void *s, smr_thread_t *t, uint64_t k) { return bst_insert(s, t, k); }
static bool tree_delete(void *s, smr_thread_t *t, uint64_t k) { return bst_delete(s, t, k); }
static bool tree_lookup(void *s, smr_thread_t *t, uint64_t k) { return bst_lookup(s, t, k); }
static void tree_census(void *s, const bool *model, uint64_t keys, const char *what, long step)
{
    census_against(s, model, keys, what, step);
}
static void tree_destroy(void *s, struct smr_stats *fin) { bst_destroy(s, fin); }

static void random_model(uint64_t keys, uint64_t seed)
{
    char what[32];
    snprintf(what, sizeof what, "random/%llu", (unsigned long long)keys);
    struct set_model m = {what, bst_create(NULL), tree_domain, tree_insert, tree_delete,
                          tree_lookup, tree_census, tree_destroy};
    struct smr_stats st;
    uint64_t deleted = set_model_run(&m, keys, seed, STEPS, &st);
    CHECK(st.retired == 2 * deleted, "%s: %llu nodes retired for %llu successful deletes (2 each)",
          what, (unsigned long long)st.retired, (unsigned long long)deleted);
    set_model_destroy(&m);
}

static void sequential(void)
{
    enum { N = 3000 };
    struct bst *tr = bst_create(NULL);
    static bool model[N];
    smr_thread_t *t = smr_thread_register(bst_domain(tr));
    bool ok = true;
    for (uint64_t k = 0; k < N; k++) {
        ok &= bst_insert(tr, t, k);
        model[k] = true;
    }
    CHECK(ok, "sequential: an ascending insert failed");
    census_against(tr, model, N, "sequential", 0);
    for (uint64_t k = N; k-- > 0;)
        if (k % 2) {
            ok &= bst_delete(tr, t, k) && !bst_lookup(tr, t, k);
            model[k] = false;
        }
    CHECK(ok, "sequential: a descending delete failed or left its key");
    ok = true;
    for (uint64_t k = 0; k < N; k++)
        ok &= bst_lookup(tr, t, k) == model[k];
    CHECK(ok, "sequential: lookups differ from the model");
    census_against(tr, model, N, "sequential", 1);
    smr_thread_unregister(t);
    destroy_all(tr, "sequential");
}

static void sentinels(void)
{
    struct bst *tr = bst_create(NULL);
    smr_thread_t *t = smr_thread_register(bst_domain(tr));
    const uint64_t reserved[] = {BST_INF0, BST_INF1, BST_INF2};
    for (int i = 0; i < 3; i++) {
        uint64_t k = reserved[i];
        CHECK(!bst_lookup(tr, t, k) && !bst_insert(tr, t, k) && !bst_delete(tr, t, k),
              "sentinels: key %llu was not refused", (unsigned long long)k);
    }
    CHECK(bst_insert(tr, t, BST_INF0 - 1) && bst_lookup(tr, t, BST_INF0 - 1) &&
              bst_delete(tr, t, BST_INF0 - 1), "sentinels: the largest user key");
    struct bst_tally c;
    bst_census(tr, &c);
    CHECK(c.count == 0 && c.malformed == 0 && c.unordered == 0,
          "sentinels: %llu keys, %llu malformed, %llu out of order", (unsigned long long)c.count,
          (unsigned long long)c.malformed, (unsigned long long)c.unordered);
    smr_thread_unregister(t);
    destroy_all(tr, "sentinels");
}

/* The validation run from inside a delete, between its flag and its
   cleanup: a flagged edge is reachable. */
static const struct bench_ops *mid_ops;
static void *mid_set;
static const struct keyed_counts *mid_counts;
static char mid_why[160];
static int mid_refused = -1;

static void validate_mid_delete(enum bst_point point, uint64_t key)
{
    (void)key;
    if (point == BST_CLEANUP_BEFORE_TAG && mid_refused < 0)
        mid_refused = !mid_ops->validate(mid_set, mid_counts, mid_why, sizeof mid_why);
}

static void validate(void)
{
    const struct bench_ops *ops = &SMR_MANGLE(bst_ops);
    struct bench_params p = {.threads = 1, .keys = 1000, .prefill = 500, .smr = {.max_threads = 1}};
    void *s = ops->create(&p);
    void *ctx = ops->attach(s, 0, 42);
    ops->prefill(ctx, 500);
    for (uint64_t i = 0; i < 20000; i++) {
        ops->write(ctx, (i * 7919) % 1000);
        ops->read(ctx, i % 1000);
    }
    struct keyed_counts c;
    ops->counts(ctx, &c);
    ops->detach(ctx);
    char why[160] = "";
    CHECK(ops->validate(s, &c, why, sizeof why), "validate: a clean run refused: %s", why);
    /* A key the counts do not know about. */
    smr_thread_t *t = smr_thread_register(bst_domain(s));
    uint64_t k = 0;
    while (!bst_insert(s, t, k))
        k++;
    smr_thread_unregister(t);
    why[0] = 0;
    CHECK(!ops->validate(s, &c, why, sizeof why) && strstr(why, "bst holds"),
          "validate: an uncounted insert passed ('%s')", why);
    /* A flagged edge still reachable (a delete stopped before its cleanup). */
    mid_ops = ops;
    mid_set = s;
    mid_counts = &c;
    atomic_store(&bst_test_hook, validate_mid_delete);
    t = smr_thread_register(bst_domain(s));
    CHECK(bst_delete(s, t, k), "validate: delete %llu", (unsigned long long)k);
    smr_thread_unregister(t);
    atomic_store(&bst_test_hook, NULL);
    CHECK(mid_refused == 1 && strstr(mid_why, "1 flagged or tagged edge(s) reachable"),
          "validate: a reachable flagged edge passed ('%s')", mid_why);
    ops->destroy(s, NULL);
}

int main(void)
{
    random_model(512, 0x1234567u);
    random_model(65536, 0x7654321u);
    sequential();
    sentinels();
    validate();
    char what[64];
    snprintf(what, sizeof what, "bst-model-%s", smr_scheme.name);
    return test_finish(what);
}
