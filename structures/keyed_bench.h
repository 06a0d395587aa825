/*
 * keyed_bench.h - the benchmark operations every keyed set shares (list,
 * hashmap, ...), written once: read = lookup(key); write = insert or delete
 * of the key, with equal probability (so -m 0 is 50 % insert / 50 %
 * delete); prefill inserts random keys of the range; each thread counts its
 * successful inserts and deletes and their key sums, which the run's
 * validation sets against a census of the structure.
 *
 * A structure source defines, before including this file,
 *   KB_SET            its type (struct list, ...)
 *   KB_INSERT(s,t,k)  KB_DELETE(s,t,k)  KB_LOOKUP(s,t,k)  set operations
 *   KB_DOMAIN(s)      its reclamation domain
 *   KB_STALL_LINK(s)  a link a stalled thread protects (the list's head)
 *   KB_KEYS(s)        the key range it was created for (bench_params.keys)
 *   KB_SLOTS          the hazard slots it uses
 *   KB_NODES_PER_KEY  optional (default 1): nodes it holds per key, which is
 *                     also the most one operation allocates before linking
 *                     or unlinks before retiring (the tree's leaf and parent)
 *   KB_FIXED_NODES    optional (default 0): nodes it holds besides (sentinels)
 * and gets static functions kb_attach ... kb_counts for its bench_ops, which
 * KB_BENCH_OPS_COMMON fills in.
 */
#ifndef KEYED_BENCH_H
#define KEYED_BENCH_H

#include <stdio.h>

#include "bench_ops.h"

struct kb_thread {
    KB_SET *set;
    smr_thread_t *smr;
    uint64_t rng;       /* xorshift64: the insert-or-delete coin */
    uint64_t keys;      /* key range */
    uint64_t sink;
    struct keyed_counts counts;
};

static inline uint64_t kb_coin(struct kb_thread *bt)
{
    uint64_t x = bt->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return bt->rng = x;
}

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
static void kb_domain_config(const struct bench_params *p, struct smr_config *out)
{
    *out = p->smr;
    out->hazard_slots = KB_SLOTS;
    out->max_live = KB_NODES_PER_KEY * (p->keys + 2 * (uint64_t)p->threads) + KB_FIXED_NODES;
}

static void *kb_attach(void *s, unsigned tid, uint64_t seed)
{
    (void)tid;
    struct kb_thread *bt = smr_record_alloc(sizeof(*bt));
    bt->set = s;
    bt->smr = smr_thread_register(KB_DOMAIN(bt->set));
    bt->rng = seed | 1; /* xorshift's state must not be 0 */
    bt->keys = KB_KEYS(bt->set);
    return bt;
}

static void kb_detach(void *ctx)
{
    struct kb_thread *bt = ctx;
    smr_thread_unregister(bt->smr);
    free(bt);
}

/* Insert `count` distinct random keys of the range (fewer if the range is
   too full to find them in a reasonable number of draws). */
static void kb_prefill(void *ctx, uint64_t count)
{
    struct kb_thread *bt = ctx;
    uint64_t keys = bt->keys ? bt->keys : 1;
    for (uint64_t tries = 0; bt->counts.prefilled < count && tries < 16 * count + 1024; tries++) {
        uint64_t k = kb_coin(bt) % keys;
        if (KB_INSERT(bt->set, bt->smr, k)) {
            bt->counts.prefilled++;
            bt->counts.prefilled_sum += k;
        }
    }
}

static void kb_read(void *ctx, uint64_t key)
{
    struct kb_thread *bt = ctx;
    bt->sink += KB_LOOKUP(bt->set, bt->smr, key);
}

static void kb_write(void *ctx, uint64_t key)
{
    struct kb_thread *bt = ctx;
    struct keyed_counts *c = &bt->counts;
    if (kb_coin(bt) & 1) {
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

static void kb_stall(void *ctx, double seconds, _Atomic int *cancel)
{
    struct kb_thread *bt = ctx;
    smr_enter(bt->smr);
    void *first = smr_protect(bt->smr, 0, KB_STALL_LINK(bt->set));
    bench_stall_sleep(seconds, cancel);
    bt->sink += (uintptr_t)first;
    smr_leave(bt->smr);
}

static void kb_quiescent(void *ctx)
{
    smr_quiescent(((struct kb_thread *)ctx)->smr);
}

static void kb_thread_stats(void *ctx, struct smr_stats *out)
{
    smr_thread_stats(((struct kb_thread *)ctx)->smr, out);
}

static void kb_stats(void *s, struct smr_stats *out)
{
    smr_stats(KB_DOMAIN((KB_SET *)s), out);
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
    *out = ((struct kb_thread *)ctx)->counts;
}

/* The bench_ops members every keyed set fills alike. */
#define KB_BENCH_OPS_COMMON                                                                   \
    .domain_config = kb_domain_config, .attach = kb_attach, .detach = kb_detach,              \
    .prefill = kb_prefill, .read = kb_read, .write = kb_write, .stall = kb_stall,             \
    .quiescent = kb_quiescent, .thread_stats = kb_thread_stats, .stats = kb_stats,            \
    .counts = kb_counts

#endif /* KEYED_BENCH_H */
