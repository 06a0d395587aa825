/*
 * list.h - Michael's lock-free ordered list (the Harris-Michael list), a
 * set of 64-bit keys, written once against smr.h (algorithm: hmlist.h).
 *
 * Include after defining SMR_SCHEME: the names are mangled per scheme like
 * the stack's (list_insert is list_insert__hp when SMR_SCHEME=hp).
 */
#ifndef LIST_H
#define LIST_H

#include "hmlist.h"

#define list_create SMR_MANGLE(list_create)
#define list_destroy SMR_MANGLE(list_destroy)
#define list_domain SMR_MANGLE(list_domain)
#define list_insert SMR_MANGLE(list_insert)
#define list_delete SMR_MANGLE(list_delete)
#define list_lookup SMR_MANGLE(list_lookup)
#define list_census SMR_MANGLE(list_census)

#define LIST_SLOTS HMLIST_SLOTS

struct list;

/* cfg may be NULL (defaults); hazard_slots is set by the list. */
struct list *list_create(const struct smr_config *cfg);
/* Frees the nodes still in the list and the domain; threads must have unregistered. */
void list_destroy(struct list *l, struct smr_stats *final);
smr_domain_t *list_domain(struct list *l);

/* Set operations: insert false if present, delete false if absent. */
bool list_insert(struct list *l, smr_thread_t *t, uint64_t key);
bool list_delete(struct list *l, smr_thread_t *t, uint64_t key);
bool list_lookup(struct list *l, smr_thread_t *t, uint64_t key);
/* Walk the list once no thread is inside: count, key sum, invariants. */
void list_census(struct list *l, struct hml_census *out);

#endif /* LIST_H */
