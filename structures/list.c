/*
 * list.c - Michael's lock-free ordered list (hmlist.h) as a set, and its
 * benchmark operations (keyed_bench.h): read = lookup, write = insert or
 * delete.
 */
#include "list.h"

struct list {
    alignas(SMR_PAD_ALIGN) smr_atomic_ptr head;
    alignas(SMR_PAD_ALIGN) smr_domain_t *domain;
    uint64_t keys; /* the benchmark's key range */
};

struct list *list_create(const struct smr_config *cfg)
{
    struct list *l = smr_record_alloc(sizeof(*l));
    struct smr_config c = cfg ? *cfg : (struct smr_config){0};
    c.hazard_slots = LIST_SLOTS;
    l->domain = smr_domain_create(&c);
    atomic_init(&l->head, NULL);
    return l;
}

smr_domain_t *list_domain(struct list *l)
{
    return l->domain;
}

void list_destroy(struct list *l, struct smr_stats *final)
{
    smr_thread_t *t = smr_thread_register(l->domain);
    hml_free_all(t, &l->head);
    smr_thread_unregister(t);
    smr_domain_destroy(l->domain, final);
    free(l);
}

bool list_insert(struct list *l, smr_thread_t *t, uint64_t key)
{
    return hml_insert(t, &l->head, key);
}

bool list_delete(struct list *l, smr_thread_t *t, uint64_t key)
{
    return hml_delete(t, &l->head, key);
}

bool list_lookup(struct list *l, smr_thread_t *t, uint64_t key)
{
    return hml_lookup(t, &l->head, key);
}

void list_census(struct list *l, struct hml_census *out)
{
    memset(out, 0, sizeof(*out));
    hml_census_add(&l->head, out);
}

/* ---- benchmark operations ---- */

#define KB_SET struct list
#define KB_INSERT list_insert
#define KB_DELETE list_delete
#define KB_LOOKUP list_lookup
#define KB_DOMAIN list_domain
#define KB_STALL_LINK(s) (&(s)->head)
#define KB_KEYS(s) ((s)->keys)
#define KB_SLOTS LIST_SLOTS
#include "keyed_bench.h"

static void *list_bench_create(const struct bench_params *p)
{
    struct smr_config c;
    kb_domain_config(p, &c);
    struct list *l = list_create(&c);
    l->keys = p->keys;
    return l;
}

static void list_bench_destroy(void *s, struct smr_stats *final)
{
    list_destroy(s, final);
}

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
    .create = list_bench_create,
    .destroy = list_bench_destroy,
    .default_keys = 1000, /* the field's lists hold 1,000 to 10,000 keys */
    KB_BENCH_OPS_COMMON,
    .validate = list_bench_validate,
};
