/*
 * micro_ops.c - single operations of a structure for `smrbench micro`:
 * the pair's registry entry (struct bench_ops), read or write, called in a
 * loop with keys from a per-thread buffer filled before the clock starts.
 * Each operation is one indirect call, the same for every scheme, exactly
 * as in `smrbench run`; below it everything is inlined.
 */
#include <stdio.h>
#include <string.h>

#include "bench_ops.h"
#include "rng.h"
#include "micro.h"

#define MICRO_PREFILL 1024
#define MICRO_KEYS 2048         /* dbmap: about half the gets hit */
#define MICRO_KEY_BUFFER 4096   /* power of two */

/* Options a write sets to measure one kind of operation (else the defaults). */
static const struct {
    const char *structure, *option;
    long value;
} micro_write_options[] = {
    {"secvec", "push_percent", 100},    /* push_back or pop_back, no set(i) */
};

struct micro_ops_shared {
    const struct bench_ops *ops;
    void *structure;
    unsigned threads;
    bool write;
};

struct micro_ops_thread {
    const struct bench_ops *ops;
    void (*op)(void *ctx, uint64_t key);   /* the pair's read or write */
    void *ctx;
    unsigned pos;
    uint32_t key[MICRO_KEY_BUFFER];
};

const char *micro_ops_write_note(const char *structure)
{
    static char note[96];
    note[0] = 0;
    for (size_t i = 0; i < sizeof micro_write_options / sizeof micro_write_options[0]; i++)
        if (strcmp(micro_write_options[i].structure, structure) == 0)
            snprintf(note, sizeof note, " (%s.%s=%ld)", structure, micro_write_options[i].option,
                     micro_write_options[i].value);
    return note;
}

void *micro_ops_create(const struct bench_ops *ops, unsigned threads, bool write)
{
    struct bench_params p = {
        .threads = threads,
        /* dbmap: a lone writing thread takes no lock, two share the handle */
        .writers = write ? (threads == 1 ? 1 : -1) : 0,
        .prefill = MICRO_PREFILL,
        .keys = MICRO_KEYS,
        .smr = {.max_threads = threads},
    };
    for (unsigned i = 0; i < ops->noptions; i++)
        p.opt[i] = ops->options[i].def;
    for (size_t k = 0; write && k < sizeof micro_write_options / sizeof micro_write_options[0]; k++)
        for (unsigned i = 0; i < ops->noptions; i++)
            if (strcmp(micro_write_options[k].structure, ops->structure) == 0 &&
                strcmp(micro_write_options[k].option, ops->options[i].name) == 0)
                p.opt[i] = micro_write_options[k].value;
    struct micro_ops_shared *s = smr_record_alloc(sizeof(*s));
    s->ops = ops;
    s->threads = threads;
    s->write = write;
    s->structure = ops->create(&p);
    return s;
}

void micro_ops_destroy(void *shared, struct smr_stats *final)
{
    struct micro_ops_shared *s = shared;
    s->ops->destroy(s->structure, final);
    free(s);
}

void *micro_ops_attach(void *shared, unsigned tid)
{
    struct micro_ops_shared *s = shared;
    struct micro_ops_thread *m = smr_record_alloc(sizeof(*m));
    uint64_t seed = rng_thread_seed(1, 0, tid);
    m->ops = s->ops;
    m->op = s->write ? s->ops->write : s->ops->read;
    m->ctx = s->ops->attach(s->structure, tid, seed);
    s->ops->prefill(m->ctx, MICRO_PREFILL / s->threads + (tid < MICRO_PREFILL % s->threads));
    struct rng r;
    rng_seed(&r, seed ^ 0x6b65u);
    for (unsigned i = 0; i < MICRO_KEY_BUFFER; i++)
        m->key[i] = (uint32_t)rng_below32(rng_next(&r), MICRO_KEYS);
    return m;
}

void micro_ops_detach(void *ctx)
{
    struct micro_ops_thread *m = ctx;
    m->ops->detach(m->ctx);
    free(m);
}

void micro_ops_stats(void *shared, struct smr_stats *out)
{
    struct micro_ops_shared *s = shared;
    s->ops->stats(s->structure, out);
}

void micro_ops_batch(void *ctx, uint64_t n)
{
    struct micro_ops_thread *m = ctx;
    void (*op)(void *, uint64_t) = m->op;
    void *c = m->ctx;
    unsigned pos = m->pos;
    for (uint64_t i = 0; i < n; i++)
        op(c, m->key[pos++ & (MICRO_KEY_BUFFER - 1)]);
    m->pos = pos;
}
