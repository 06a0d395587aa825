/*
 * hashmap.c - Michael's lock-free hash map: a fixed array of buckets, each
 * a Harris-Michael list (hmlist.h), one reclamation domain for all (its
 * benchmark operations: hashmap_bench.c).
 */
#include "hashmap.h"

struct hashmap {
    alignas(SMR_PAD_ALIGN) smr_domain_t *domain;
    uint64_t nbuckets;
    uint64_t keys; /* the benchmark's key range (set by hashmap_bench.c) */
    smr_atomic_ptr *buckets;
};

struct hashmap *hashmap_create(const struct smr_config *cfg, uint64_t buckets)
{
    struct hashmap *m = smr_record_alloc(sizeof(*m));
    struct smr_config c = cfg ? *cfg : (struct smr_config){0};
    c.hazard_slots = HASHMAP_SLOTS;
    m->domain = smr_domain_create(&c);
    m->nbuckets = buckets ? buckets : 1;
    m->buckets = malloc(m->nbuckets * sizeof(*m->buckets));
    if (!m->buckets)
        abort();
    for (uint64_t i = 0; i < m->nbuckets; i++)
        atomic_init(&m->buckets[i], NULL);
    return m;
}

smr_domain_t *hashmap_domain(struct hashmap *m)
{
    return m->domain;
}

uint64_t hashmap_buckets(const struct hashmap *m)
{
    return m->nbuckets;
}

/*
 * A key's bucket: a multiplicative mix, then the high half of the product
 * with the bucket count (no division). Mixing first keeps keys that are
 * close (hot Zipf keys are the smallest ones) out of one bucket by
 * construction, with any bucket count.
 */
static inline smr_atomic_ptr *hashmap_bucket(struct hashmap *m, uint64_t key)
{
    uint64_t h = key * 0x9e3779b97f4a7c15ull;
    h ^= h >> 32;
    return &m->buckets[(uint64_t)(((unsigned __int128)h * m->nbuckets) >> 64)];
}

void hashmap_destroy(struct hashmap *m, struct smr_stats *final)
{
    smr_thread_t *t = smr_thread_register(m->domain);
    for (uint64_t i = 0; i < m->nbuckets; i++)
        hml_free_all(t, &m->buckets[i]);
    smr_thread_unregister(t);
    smr_domain_destroy(m->domain, final);
    free(m->buckets);
    free(m);
}

bool hashmap_insert(struct hashmap *m, smr_thread_t *t, uint64_t key)
{
    return hml_insert(t, hashmap_bucket(m, key), key);
}

bool hashmap_delete(struct hashmap *m, smr_thread_t *t, uint64_t key)
{
    return hml_delete(t, hashmap_bucket(m, key), key);
}

bool hashmap_lookup(struct hashmap *m, smr_thread_t *t, uint64_t key)
{
    return hml_lookup(t, hashmap_bucket(m, key), key);
}

void hashmap_census(struct hashmap *m, struct hml_census *out)
{
    memset(out, 0, sizeof(*out));
    for (uint64_t i = 0; i < m->nbuckets; i++) {
        struct hml_census b = {0};
        hml_census_add(&m->buckets[i], &b);
        /* Every key of bucket i must hash to it. */
        void *link = atomic_load_explicit(&m->buckets[i], memory_order_acquire);
        for (struct hml_node *n = hml_unmarked(link); n;
             n = hml_unmarked(atomic_load_explicit(&n->next, memory_order_acquire)))
            b.unordered += hashmap_bucket(m, n->key) != &m->buckets[i];
        out->count += b.count;
        out->key_sum += b.key_sum;
        out->marked += b.marked;
        out->unordered += b.unordered;
    }
}
