/*
 * hashmap_bench.c - the hash map's benchmark operations (keyed_bench.h):
 * read = lookup, write = insert or delete; buckets = key range / load
 * factor (option `load`, default 1); after a run, a census of the map
 * against the threads' counts.
 *
 * The pair's translation unit: the map itself is compiled in here, so its
 * operations inline into read and write (bench_glue.h).
 */
#include "hashmap.c"

#include "bench_ops.h"

enum { HASHMAP_OPT_LOAD };

/* Buckets = key range / load (keys per bucket), at least one. */
static uint64_t hashmap_bench_buckets(const struct bench_params *p)
{
    long load = p->opt[HASHMAP_OPT_LOAD] > 0 ? p->opt[HASHMAP_OPT_LOAD] : 1;
    uint64_t buckets = p->keys / (uint64_t)load;
    return buckets ? buckets : 1;
}

#define BG_SET struct hashmap
#define BG_DOMAIN(s) hashmap_domain(s)
#define BG_SLOTS HASHMAP_SLOTS
#define BG_STALL_LINK(s) (&(s)->buckets[0])
#define KB_CREATE(cfg, p) hashmap_create(cfg, hashmap_bench_buckets(p))
#define KB_DESTROY hashmap_destroy
#define KB_INSERT hashmap_insert
#define KB_DELETE hashmap_delete
#define KB_LOOKUP hashmap_lookup
#include "keyed_bench.h"

static bool hashmap_bench_validate(void *s, const struct keyed_counts *total, char *why,
                                   size_t len)
{
    struct hml_census c;
    hashmap_census(s, &c);
    if (c.marked || c.unordered) {
        snprintf(why, len, "hashmap: %llu marked link(s) reachable and %llu key(s) out of order "
                 "or in the wrong bucket", (unsigned long long)c.marked,
                 (unsigned long long)c.unordered);
        return false;
    }
    return kb_census_matches("hashmap", c.count, c.key_sum, total, why, len);
}

const struct bench_ops SMR_MANGLE(hashmap_ops) = {
    .structure = "hashmap",
    .scheme = &smr_scheme,
    .summary = "Michael's lock-free hash map: a fixed bucket array of Harris-Michael lists; "
               "read = lookup, write = insert or delete",
    .noptions = 1,
    .options = {
        {"load", 1, 1, 1 << 20, "keys per bucket: buckets = key range / load"},
    },
    .default_keys = 100000, /* the published hash-map experiments' range */
    KB_BENCH_OPS_COMMON,
    .validate = hashmap_bench_validate,
};
