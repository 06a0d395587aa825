/*
 * keyed_bench.h - the benchmark operations every keyed set shares (list,
 * hashmap, bst), written once over bench_glue.h: read = lookup(key); write
 * = insert or delete of the key, with equal probability (so -m 0 is 50 %
 * insert / 50 % delete); prefill inserts random keys of the range; each
 * thread counts its successful inserts and deletes and their key sums,
 * which the run's validation sets against a census of the structure.
 *
 * A structure's <name>_bench.c defines, before including this file, what
 * bench_glue.h asks for but BG_OWN and BG_MAX_LIVE (BG_SET, BG_DOMAIN,
 * BG_SLOTS, BG_STALL_LINK), and
 *   KB_CREATE(cfg,p)  KB_DESTROY(s,final)  the set's create and destroy, for
 *                     the smr_config `cfg` and the bench_params `p`
 *   KB_INSERT(s,t,k)  KB_DELETE(s,t,k)  KB_LOOKUP(s,t,k)  set operations
 *   KB_NODES_PER_KEY  optional (default 1): nodes it holds per key, which is
 *                     also the most one operation allocates before linking
 *                     or unlinks before retiring (the tree's leaf and parent)
 *   KB_FIXED_NODES    optional (default 0): nodes it holds besides (sentinels)
 * BG_SET has a member `uint64_t keys`, the key range it was created for
 * (bench_params.keys), which kb_create sets and the prefill draws from.
 * The file gets static functions kb_create ... kb_counts for its bench_ops,
 * which KB_BENCH_OPS_COMMON fills in; it writes `validate` itself.
 */
#ifndef KEYED_BENCH_H
#define KEYED_BENCH_H

#include <stdio.h>

#include "bench_ops.h"

struct kb_own {
    uint64_t rng;       /* xorshift64: the insert-or-delete coin */
    uint64_t keys;      /* key range */
    struct keyed_counts counts;
};

#ifndef KB_NODES_PER_KEY
#define KB_NODES_PER_KEY 1
#endif
#ifndef KB_FIXED_NODES
#define KB_FIXED_NODES 0
#endif

/*
 * The domain's configuration: the set holds at most KB_NODES_PER_KEY nodes
 * per key (and its fixed ones); each thread may have as many more
 * allocated and not yet linked (an insert), and as many unlinked and not
 * yet retired.
 */
#define BG_OWN struct kb_own
#define BG_MAX_LIVE(p) (KB_NODES_PER_KEY * ((p)->keys + 2 * (uint64_t)(p)->threads) + KB_FIXED_NODES)
#include "bench_glue.h"

static inline uint64_t kb_coin(struct kb_own *own)
{
    uint64_t x = own->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return own->rng = x;
}

static void *kb_create(const struct bench_params *p)
{
    struct smr_config c;
    bg_domain_config(p, &c);
    BG_SET *set = KB_CREATE(&c, p);
    set->keys = p->keys;
    return set;
}

static void kb_destroy(void *s, struct smr_stats *final)
{
    KB_DESTROY(s, final);
}

static void *kb_attach(void *s, unsigned tid, uint64_t seed)
{
    (void)tid;
    struct bench_thread *bt = bg_thread_new(s, s);
    bt->own.rng = seed | 1; /* xorshift's state must not be 0 */
    bt->own.keys = bt->set->keys;
    return bt;
}

/* Insert `count` distinct random keys of the range (fewer if the range is
   too full to find them in a reasonable number of draws). */
static void kb_prefill(void *ctx, uint64_t count)
{
    struct bench_thread *bt = ctx;
    struct keyed_counts *c = &bt->own.counts;
    uint64_t keys = bt->own.keys ? bt->own.keys : 1;
    for (uint64_t tries = 0; c->prefilled < count && tries < 16 * count + 1024; tries++) {
        uint64_t k = kb_coin(&bt->own) % keys;
        if (KB_INSERT(bt->set, bt->smr, k)) {
            c->prefilled++;
            c->prefilled_sum += k;
        }
    }
}

static void kb_read(void *ctx, uint64_t key)
{
    struct bench_thread *bt = ctx;
    bt->sink += KB_LOOKUP(bt->set, bt->smr, key);
}

static void kb_write(void *ctx, uint64_t key)
{
    struct bench_thread *bt = ctx;
    struct keyed_counts *c = &bt->own.counts;
    if (kb_coin(&bt->own) & 1) {
        c->inserts++;
        if (KB_INSERT(bt->set, bt->smr, key)) {
            c->inserted++;
            c->inserted_sum += key;
        }
    } else {
        c->deletes++;
        if (KB_DELETE(bt->set, bt->smr, key)) {
            c->deleted++;
            c->deleted_sum += key;
        }
    }
}

/* The census of a quiescent set (its keys' count and sum) against the sum
   of every thread's counts; false with the reason in `why`. */
static bool kb_census_matches(const char *what, uint64_t count, uint64_t key_sum,
                              const struct keyed_counts *c, char *why, size_t len)
{
    /* Sums wrap modulo 2^64 on both sides alike. */
    uint64_t want = c->prefilled + c->inserted - c->deleted;
    uint64_t want_sum = c->prefilled_sum + c->inserted_sum - c->deleted_sum;
    if (count == want && key_sum == want_sum)
        return true;
    snprintf(why, len, "%s holds %llu keys (sum %llu); prefill + inserts - deletes say %llu (sum %llu)",
             what, (unsigned long long)count, (unsigned long long)key_sum,
             (unsigned long long)want, (unsigned long long)want_sum);
    return false;
}

static void kb_counts(void *ctx, struct keyed_counts *out)
{
    *out = ((struct bench_thread *)ctx)->own.counts;
}

/* The bench_ops members every keyed set fills alike. */
#define KB_BENCH_OPS_COMMON                                                                   \
    BG_BENCH_OPS_COMMON, .create = kb_create, .destroy = kb_destroy, .attach = kb_attach,     \
    .detach = bg_detach, .prefill = kb_prefill, .read = kb_read, .write = kb_write,           \
    .counts = kb_counts

#endif /* KEYED_BENCH_H */
