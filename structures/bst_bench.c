/*
 * bst_bench.c - the tree's benchmark operations (keyed_bench.h): read =
 * lookup, write = insert or delete; after a run, a census of the tree
 * against the threads' counts.
 *
 * The pair's translation unit: the tree itself is compiled in here, so its
 * operations inline into read and write (bench_glue.h).
 */
#include "bst.c"

#define BG_SET struct bst
#define BG_DOMAIN(s) bst_domain(s)
#define BG_SLOTS BST_SLOTS
#define BG_STALL_LINK(s) (&(s)->top->child[0]) /* never flagged nor tagged */
#define KB_CREATE(cfg, p) bst_create(cfg)
#define KB_DESTROY bst_destroy
#define KB_INSERT bst_insert
#define KB_DELETE bst_delete
#define KB_LOOKUP bst_lookup
#define KB_NODES_PER_KEY 2 /* a leaf and the internal node above it */
#define KB_FIXED_NODES 5   /* R, S and the leaves INF0, INF1, INF2 */
#include "keyed_bench.h"

static bool bst_bench_validate(void *s, const struct keyed_counts *total, char *why, size_t len)
{
    struct bst_tally c;
    bst_census(s, &c);
    if (c.dirty || c.unordered || c.malformed) {
        snprintf(why, len, "bst: %llu flagged or tagged edge(s) reachable, %llu node(s) out of "
                 "order, %llu malformed", (unsigned long long)c.dirty,
                 (unsigned long long)c.unordered, (unsigned long long)c.malformed);
        return false;
    }
    return kb_census_matches("bst", c.count, c.key_sum, total, why, len);
}

const struct bench_ops SMR_MANGLE(bst_ops) = {
    .structure = "bst",
    .scheme = &smr_scheme,
    .summary = "Natarajan-Mittal lock-free external BST (flag and tag bits, a seek safe under "
               "every scheme); read = lookup, write = insert or delete",
    .default_keys = 100000, /* the published tree experiments' range */
    KB_BENCH_OPS_COMMON,
    .validate = bst_bench_validate,
};
