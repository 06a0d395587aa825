/* dbmap_table.c - the writer side of a dbmap copy: insert, remove, retain, resize. */
#include "dbmap_table.h"

#include <stdlib.h>
#include <string.h>

#include "../schemes/smr_common.h"

/* Grow past 5/8 load (linear probing slows sharply beyond it), shrink below
   1/16; a resize rehashes to at most 3/8, so the two never alternate. */
static bool dbmap_over_full(uint64_t count, uint64_t capacity)
{
    return count * 8 > capacity * 5;
}

static bool dbmap_under_full(uint64_t count, uint64_t capacity)
{
    return capacity > DBMAP_MIN_CAPACITY && count * 16 < capacity;
}

static uint64_t dbmap_capacity_for(uint64_t count)
{
    uint64_t cap = DBMAP_MIN_CAPACITY;
    while (count * 8 > cap * 3)
        cap *= 2;
    return cap;
}

static struct dbmap_slot *dbmap_slots_alloc(uint64_t capacity)
{
    struct dbmap_slot *s = malloc(capacity * sizeof(*s));
    if (!s)
        abort();
    for (uint64_t i = 0; i < capacity; i++)
        s[i].key = DBMAP_EMPTY_KEY;
    return s;
}

static void dbmap_slots_free(struct dbmap_slot *s, uint64_t capacity)
{
#ifdef SMR_CHECKED
    /* A reader wrongly left inside this copy reads poison, not stale data. */
    memset(s, SMR_POISON_BYTE, capacity * sizeof(*s));
#else
    (void)capacity;
#endif
    free(s);
}

void dbmap_table_init(struct dbmap_table *t, uint64_t capacity_hint)
{
    uint64_t cap = dbmap_capacity_for(capacity_hint);
    memset(t, 0, sizeof(*t));
    t->slots = dbmap_slots_alloc(cap);
    t->mask = cap - 1;
}

void dbmap_table_destroy(struct dbmap_table *t)
{
    dbmap_slots_free(t->slots, t->mask + 1);
    t->slots = NULL;
}

/* Place a key known to be absent (rehash). */
static void dbmap_place(struct dbmap_slot *slots, uint64_t mask, uint64_t key, uint64_t value)
{
    uint64_t i = dbmap_hash(key) & mask;
    while (slots[i].key != DBMAP_EMPTY_KEY)
        i = (i + 1) & mask;
    slots[i].key = key;
    slots[i].value = value;
}

static void dbmap_rehash(struct dbmap_table *t, uint64_t capacity)
{
    struct dbmap_slot *old = t->slots, *slots = dbmap_slots_alloc(capacity);
    uint64_t old_cap = t->mask + 1, mask = capacity - 1;
    for (uint64_t i = 0; i < old_cap; i++)
        if (old[i].key != DBMAP_EMPTY_KEY)
            dbmap_place(slots, mask, old[i].key, old[i].value);
    t->slots = slots;
    t->mask = mask;
    dbmap_slots_free(old, old_cap);
}

static void dbmap_maybe_shrink(struct dbmap_table *t)
{
    if (dbmap_under_full(t->count, t->mask + 1))
        dbmap_rehash(t, dbmap_capacity_for(t->count));
}

void dbmap_table_insert(struct dbmap_table *t, uint64_t key, uint64_t value)
{
    if (key == DBMAP_EMPTY_KEY) {
        t->count += !t->has_empty_key;
        t->has_empty_key = true;
        t->empty_key_value = value;
        return;
    }
    for (uint64_t i = dbmap_hash(key) & t->mask;; i = (i + 1) & t->mask) {
        struct dbmap_slot *s = &t->slots[i];
        if (s->key == key) {
            s->value = value;
            return;
        }
        if (s->key == DBMAP_EMPTY_KEY)
            break;
    }
    /* Absent: grow first if this entry would pass the load limit. */
    if (dbmap_over_full(t->count + 1, t->mask + 1))
        dbmap_rehash(t, dbmap_capacity_for(t->count + 1));
    dbmap_place(t->slots, t->mask, key, value);
    t->count++;
}

/* Empty slot i and shift later members of its cluster back, so that every
   key stays reachable from its home slot without tombstones. */
static void dbmap_delete_at(struct dbmap_table *t, uint64_t i)
{
    uint64_t mask = t->mask;
    for (uint64_t j = (i + 1) & mask; t->slots[j].key != DBMAP_EMPTY_KEY; j = (j + 1) & mask) {
        uint64_t home = dbmap_hash(t->slots[j].key) & mask;
        /* The key at j may move to i only if its home is not in (i, j]. */
        if (((j - home) & mask) >= ((j - i) & mask)) {
            t->slots[i] = t->slots[j];
            i = j;
        }
    }
    t->slots[i].key = DBMAP_EMPTY_KEY;
    t->count--;
}

bool dbmap_table_remove(struct dbmap_table *t, uint64_t key)
{
    if (key == DBMAP_EMPTY_KEY) {
        bool had = t->has_empty_key;
        t->count -= had;
        t->has_empty_key = false;
        return had;
    }
    for (uint64_t i = dbmap_hash(key) & t->mask;; i = (i + 1) & t->mask) {
        uint64_t k = t->slots[i].key;
        if (k == key) {
            dbmap_delete_at(t, i);
            dbmap_maybe_shrink(t);
            return true;
        }
        if (k == DBMAP_EMPTY_KEY)
            return false;
    }
}

void dbmap_table_retain(struct dbmap_table *t, dbmap_keep_fn keep, uint64_t arg)
{
    if (t->has_empty_key && !keep(DBMAP_EMPTY_KEY, t->empty_key_value, arg)) {
        t->has_empty_key = false;
        t->count--;
    }
    /* A deletion shifts later keys back into slot i, so i is examined again;
       a key shifted from the array's start to its end is examined twice,
       which a deterministic predicate answers the same way. */
    for (uint64_t i = 0; i <= t->mask;) {
        struct dbmap_slot *s = &t->slots[i];
        if (s->key != DBMAP_EMPTY_KEY && !keep(s->key, s->value, arg))
            dbmap_delete_at(t, i);
        else
            i++;
    }
    dbmap_maybe_shrink(t);
}
