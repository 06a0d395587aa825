/*
 * hashmap.h - Michael's lock-free hash map (SPAA 2002): a fixed array of
 * buckets, each a Harris-Michael list (hmlist.h), a set of 64-bit keys,
 * written once against smr.h. One reclamation domain for the whole map.
 *
 * Include after defining SMR_SCHEME: the names are mangled per scheme.
 */
#ifndef HASHMAP_H
#define HASHMAP_H

#include "hmlist.h"

#define hashmap_create SMR_MANGLE(hashmap_create)
#define hashmap_destroy SMR_MANGLE(hashmap_destroy)
#define hashmap_domain SMR_MANGLE(hashmap_domain)
#define hashmap_insert SMR_MANGLE(hashmap_insert)
#define hashmap_delete SMR_MANGLE(hashmap_delete)
#define hashmap_lookup SMR_MANGLE(hashmap_lookup)
#define hashmap_census SMR_MANGLE(hashmap_census)
#define hashmap_buckets SMR_MANGLE(hashmap_buckets)

#define HASHMAP_SLOTS HMLIST_SLOTS

struct hashmap;

/* `buckets` >= 1; cfg may be NULL (defaults); hazard_slots is set by the map. */
struct hashmap *hashmap_create(const struct smr_config *cfg, uint64_t buckets);
/* Frees the nodes still in the map and the domain; threads must have unregistered. */
void hashmap_destroy(struct hashmap *m, struct smr_stats *final);
smr_domain_t *hashmap_domain(struct hashmap *m);
uint64_t hashmap_buckets(const struct hashmap *m);

bool hashmap_insert(struct hashmap *m, smr_thread_t *t, uint64_t key);
bool hashmap_delete(struct hashmap *m, smr_thread_t *t, uint64_t key);
bool hashmap_lookup(struct hashmap *m, smr_thread_t *t, uint64_t key);
/* Walk every bucket once no thread is inside; `misplaced` counts keys in a
   bucket they do not hash to (added to out->unordered). */
void hashmap_census(struct hashmap *m, struct hml_census *out);

#endif /* HASHMAP_H */
