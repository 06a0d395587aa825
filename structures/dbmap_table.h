/*
 * dbmap_table.h - the single-threaded hash table that each of dbmap's two
 * copies is: u64 keys to u64 values, open addressing with linear probing
 * and backward-shift deletion (no tombstones), power-of-two capacity that
 * grows past 5/8 load and shrinks below 1/16.
 *
 * Only the writer modifies a table, and only while no reader can be inside
 * it (dbmap's grace period), so nothing here is atomic: readers use the
 * read-only functions (get, count, iteration) on the live copy.
 *
 * The key DBMAP_EMPTY_KEY marks free slots; that key itself is stored
 * outside the slot array (has_empty_key), so every u64 is a valid key.
 */
#ifndef DBMAP_TABLE_H
#define DBMAP_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DBMAP_EMPTY_KEY UINT64_MAX
#define DBMAP_MIN_CAPACITY 16u

struct dbmap_slot {
    uint64_t key;
    uint64_t value;
};

struct dbmap_table {
    struct dbmap_slot *slots;   /* capacity = mask + 1 slots */
    uint64_t mask;
    uint64_t count;             /* entries, the out-of-array key included */
    bool has_empty_key;         /* DBMAP_EMPTY_KEY is present ... */
    uint64_t empty_key_value;   /* ... with this value */
};

/* keep(key, value, arg): true keeps the entry. Must be deterministic: the
   writer applies every retain once to each copy. */
typedef bool (*dbmap_keep_fn)(uint64_t key, uint64_t value, uint64_t arg);

void dbmap_table_init(struct dbmap_table *t, uint64_t capacity_hint);
/* Frees the slot array (poisoned first in checked builds). */
void dbmap_table_destroy(struct dbmap_table *t);

/* Writer side. insert overwrites an existing key's value. */
void dbmap_table_insert(struct dbmap_table *t, uint64_t key, uint64_t value);
/* Returns true if the key was present. */
bool dbmap_table_remove(struct dbmap_table *t, uint64_t key);
void dbmap_table_retain(struct dbmap_table *t, dbmap_keep_fn keep, uint64_t arg);

/* A strong 64-bit mixer (MurmurHash3's finaliser): linear probing needs
   every key bit to reach the low bits. */
static inline uint64_t dbmap_hash(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ull;
    k ^= k >> 33;
    return k;
}

/* Reader side (also used by the writer). */
static inline bool dbmap_table_get(const struct dbmap_table *t, uint64_t key, uint64_t *value)
{
    if (key == DBMAP_EMPTY_KEY) {
        if (t->has_empty_key)
            *value = t->empty_key_value;
        return t->has_empty_key;
    }
    const struct dbmap_slot *slots = t->slots;
    uint64_t mask = t->mask;
    for (uint64_t i = dbmap_hash(key) & mask;; i = (i + 1) & mask) {
        uint64_t k = slots[i].key;
        if (k == key) {
            *value = slots[i].value;
            return true;
        }
        if (k == DBMAP_EMPTY_KEY) /* load < 1 guarantees a free slot */
            return false;
    }
}

static inline uint64_t dbmap_table_count(const struct dbmap_table *t)
{
    return t->count;
}

static inline uint64_t dbmap_table_capacity(const struct dbmap_table *t)
{
    return t->mask + 1;
}

/* Iteration in slot order: the out-of-array key first. */
struct dbmap_iter {
    const struct dbmap_table *table;
    uint64_t pos;               /* 0: the out-of-array key; i + 1: slot i */
};

static inline struct dbmap_iter dbmap_iter_start(const struct dbmap_table *t)
{
    return (struct dbmap_iter){t, 0};
}

static inline bool dbmap_iter_next(struct dbmap_iter *it, uint64_t *key, uint64_t *value)
{
    const struct dbmap_table *t = it->table;
    if (it->pos == 0) {
        it->pos = 1;
        if (t->has_empty_key) {
            *key = DBMAP_EMPTY_KEY;
            *value = t->empty_key_value;
            return true;
        }
    }
    for (uint64_t cap = t->mask + 1; it->pos <= cap; it->pos++) {
        const struct dbmap_slot *s = &t->slots[it->pos - 1];
        if (s->key != DBMAP_EMPTY_KEY) {
            *key = s->key;
            *value = s->value;
            it->pos++;
            return true;
        }
    }
    return false;
}

#endif /* DBMAP_TABLE_H */
