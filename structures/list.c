/*
 * list.c - Michael's lock-free ordered list (hmlist.h) as a set (its
 * benchmark operations: list_bench.c).
 */
#include "list.h"

struct list {
    alignas(SMR_PAD_ALIGN) smr_atomic_ptr head;
    alignas(SMR_PAD_ALIGN) smr_domain_t *domain;
    uint64_t keys; /* the benchmark's key range (set by list_bench.c) */
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
