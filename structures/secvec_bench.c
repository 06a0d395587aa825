/*
 * secvec_bench.c - the lock-free vector's benchmark operations:
 *
 * read  = size(), then get(key mod size): the harness's keys (uniform or
 *         Zipf over 0..keys-1) map onto indices, so Zipf favours low ones.
 * write = push_back/pop_back, alternating per thread (each thread pops only
 *         after its own push, so the size stays in [prefill, prefill +
 *         threads]), for push_percent of the writes; the rest set(key mod
 *         prefill, v): below the prefill no push or pop ever reaches, so a
 *         set never races one. With no prefill every write is a push/pop.
 * Values are (thread + 1) << 44 | sequence: nonzero and unique.
 *
 * The pair's translation unit: the vector itself is compiled in here, so
 * its operations inline into read and write (bench_glue.h).
 */
#include "secvec.c"

enum { SECVEC_OPT_PUSH_PERCENT };

struct secvec_bench {
    struct secvec *vec;
    uint64_t set_range;     /* sets go to indices below this (the prefill) */
    unsigned push_percent;
};

struct secvec_bench_own {
    uint64_t set_range;
    unsigned push_percent;
    unsigned credit;        /* Bresenham: push/pop when it passes 100 */
    bool pop_next;
    uint64_t next_value;
};

/* What the stall reads once it wakes: the descriptor it protected, still
   safe to read (its canary, in checked builds). */
static uint64_t secvec_stall_read(struct secvec_desc *d)
{
    secvec_check_desc(d);
    return d->size;
}

/*
 * Live nodes at once: the current descriptor and its write descriptor, and
 * per thread the descriptor and write descriptor it is building plus one
 * it has unlinked and not yet retired.
 */
#define BG_SET struct secvec
#define BG_OWN struct secvec_bench_own
#define BG_DOMAIN(s) secvec_domain(((struct secvec_bench *)(s))->vec)
#define BG_SLOTS SECVEC_SLOTS
#define BG_MAX_LIVE(p) (2 + 3 * (uint64_t)(p)->threads)
#define BG_STALL_LINK(set) (&(set)->desc)
#define BG_STALL_READ(node) secvec_stall_read(node)
#include "bench_glue.h"

static void *secvec_bench_create(const struct bench_params *p)
{
    struct secvec_bench *b = smr_record_alloc(sizeof(*b));
    struct smr_config c;
    bg_domain_config(p, &c);
    b->vec = secvec_create(&c);
    b->set_range = p->prefill;
    b->push_percent = (unsigned)p->opt[SECVEC_OPT_PUSH_PERCENT];
    /* Buckets for every size the run can reach, so no operation allocates one. */
    secvec_reserve(b->vec, p->prefill + p->threads + 1);
    return b;
}

static void secvec_bench_destroy(void *s, struct smr_stats *final)
{
    struct secvec_bench *b = s;
    secvec_destroy(b->vec, final);
    free(b);
}

static void *secvec_bench_attach(void *s, unsigned tid, uint64_t seed)
{
    (void)seed;
    struct secvec_bench *b = s;
    struct bench_thread *bt = bg_thread_new(s, b->vec);
    bt->own.set_range = b->set_range;
    bt->own.push_percent = b->set_range ? b->push_percent : 100;
    bt->own.next_value = (uint64_t)(tid + 1) << 44;
    return bt;
}

static void secvec_bench_prefill(void *ctx, uint64_t count)
{
    struct bench_thread *bt = ctx;
    for (uint64_t i = 0; i < count; i++)
        (void)secvec_push_back(bt->set, bt->smr, bt->own.next_value++);
}

static void secvec_bench_read(void *ctx, uint64_t key)
{
    struct bench_thread *bt = ctx;
    uint64_t n = secvec_size(bt->set, bt->smr), x;
    if (n && secvec_get(bt->set, key % n, &x))
        bt->sink += x;
}

static void secvec_bench_write(void *ctx, uint64_t key)
{
    struct bench_thread *bt = ctx;
    struct secvec_bench_own *own = &bt->own;
    own->credit += own->push_percent;
    if (own->credit >= 100) {
        own->credit -= 100;
        uint64_t v;
        if (own->pop_next)
            (void)secvec_pop_back(bt->set, bt->smr, &v);
        else
            (void)secvec_push_back(bt->set, bt->smr, own->next_value++);
        own->pop_next = !own->pop_next;
    } else {
        (void)secvec_set(bt->set, key % own->set_range, own->next_value++);
    }
}

const struct bench_ops SMR_MANGLE(secvec_ops) = {
    .structure = "secvec",
    .scheme = &smr_scheme,
    .noptions = 1,
    .options = {
        {"push_percent", 50, 0, 100,
         "percent of writes that push_back or pop_back (alternating per thread); the rest "
         "set(i) below the prefill"},
    },
    .create = secvec_bench_create,
    .destroy = secvec_bench_destroy,
    .attach = secvec_bench_attach,
    .detach = bg_detach,
    .prefill = secvec_bench_prefill,
    .read = secvec_bench_read,
    .write = secvec_bench_write,
    BG_BENCH_OPS_COMMON,
};
