/*
 * list_bench.c - the ordered list's benchmark operations (keyed_bench.h):
 * read = lookup, write = insert or delete; after a run, a census of the
 * list against the threads' counts.
 *
 * The pair's translation unit: the list itself is compiled in here, so its
 * operations inline into read and write (bench_glue.h).
 */
#include "list.c"

#define BG_SET struct list
#define BG_DOMAIN(s) list_domain(s)
#define BG_SLOTS LIST_SLOTS
#define BG_STALL_LINK(s) (&(s)->head)
#define KB_CREATE(cfg, p) list_create(cfg)
#define KB_DESTROY list_destroy
#define KB_INSERT list_insert
#define KB_DELETE list_delete
#define KB_LOOKUP list_lookup
#include "keyed_bench.h"

static bool list_bench_validate(void *s, const struct keyed_counts *total, char *why, size_t len)
{
    struct hml_census c;
    list_census(s, &c);
    if (c.marked || c.unordered) {
        snprintf(why, len, "list: %llu marked link(s) reachable and %llu key(s) out of order",
                 (unsigned long long)c.marked, (unsigned long long)c.unordered);
        return false;
    }
    return kb_census_matches("list", c.count, c.key_sum, total, why, len);
}

const struct bench_ops SMR_MANGLE(list_ops) = {
    .structure = "list",
    .scheme = &smr_scheme,
    .summary = "Michael's lock-free ordered list (Harris's marks, hazard-safe traversal); "
               "read = lookup, write = insert or delete",
    .default_keys = 1000, /* the field's lists hold 1,000 to 10,000 keys */
    KB_BENCH_OPS_COMMON,
    .validate = list_bench_validate,
};
