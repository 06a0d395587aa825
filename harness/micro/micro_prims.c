/*
 * micro_prims.c - one scheme's primitives as timed batches.
 *
 * Compiled once per scheme like a structure (-DSMR_SCHEME=<prefix>), so
 * smr_enter, smr_protect, ... are the scheme's static inline hot paths,
 * inlined into each loop; the table at the end is micro_prims__<prefix>.
 * Every iteration waits for a load or an allocation, so none of them folds
 * away for `none`, whose enter, leave and protect do nothing.
 */
#include <pthread.h>

#include "smr.h"
#include "micro.h"
#include "micro_plant.h"

#define micro_barrier() __asm__ volatile("" ::: "memory")

/* protect_contended: the changer's pause between two stores (loop turns,
   about a cycle each), so a protect sees the line move every few tens of
   ns rather than on every retry. */
#define MICRO_CHANGE_GAP 64

/* Two nodes in a ring: enter_leave and protect follow `next` from one to
   the other, so every iteration waits for a load (as a read-side section
   does) and `none`, whose enter, leave and protect are free, measures that
   latency rather than how fast an empty loop issues. */
struct micro_node {
    smr_atomic_ptr next;
    uint64_t value;
};

struct micro_shared {
    alignas(SMR_PAD_ALIGN) smr_atomic_ptr src;      /* what protect loads */
    alignas(SMR_PAD_ALIGN) _Atomic int stop;        /* the changer's */
    smr_domain_t *domain;
    struct micro_node *node[2];
    bool changing;
    pthread_t changer;
};

struct micro_thread {
    struct micro_shared *s;
    smr_thread_t *t;
    uint64_t sink;              /* keeps loaded values alive for the optimiser */
};

static void *micro_changer(void *arg)
{
    struct micro_shared *s = arg;
    unsigned i = 0;
    while (!atomic_load_explicit(&s->stop, memory_order_relaxed)) {
        i ^= 1;
        /* release: the node's value was written before it was published */
        atomic_store_explicit(&s->src, s->node[i], memory_order_release);
        for (unsigned k = 0; k < MICRO_CHANGE_GAP; k++)
            micro_barrier();
    }
    return NULL;
}

/* Frees the two nodes (never retired: they were only ever read) and the domain. */
static void micro_domain_teardown(struct micro_shared *s, struct smr_stats *final)
{
    smr_thread_t *t = smr_thread_register(s->domain);
    for (int i = 0; i < 2; i++)
        smr_dealloc_unpublished(t, s->node[i]);
    smr_thread_unregister(t);
    smr_domain_destroy(s->domain, final);
    free(s);
}

static void *prims_create(unsigned threads, bool contended)
{
    struct micro_shared *s = smr_record_alloc(sizeof(*s));
    struct smr_config cfg = {.max_threads = threads + 1, .hazard_slots = 1};
    s->domain = smr_domain_create(&cfg);
    /* A handle only to allocate: unregistered at once, so a scheme that
       waits for every registered thread (qsbr) does not wait for it. */
    smr_thread_t *t = smr_thread_register(s->domain);
    for (int i = 0; i < 2; i++) {
        s->node[i] = smr_alloc(t, sizeof(struct micro_node));
        s->node[i]->value = (uint64_t)i + 1;
    }
    for (int i = 0; i < 2; i++)
        atomic_init(&s->node[i]->next, s->node[!i]);
    smr_thread_unregister(t);
    atomic_store_explicit(&s->src, s->node[0], memory_order_release);
    if (contended) {
        if (pthread_create(&s->changer, NULL, micro_changer, s) != 0) {
            micro_domain_teardown(s, NULL);
            return NULL;
        }
        s->changing = true;
    }
    return s;
}

static void prims_destroy(void *shared, struct smr_stats *final)
{
    struct micro_shared *s = shared;
    if (s->changing) {
        atomic_store_explicit(&s->stop, 1, memory_order_relaxed);
        pthread_join(s->changer, NULL);
    }
    micro_domain_teardown(s, final);
}

static void *prims_attach(void *shared)
{
    struct micro_shared *s = shared;
    struct micro_thread *m = smr_record_alloc(sizeof(*m));
    m->s = s;
    m->t = smr_thread_register(s->domain);
    return m;
}

static void prims_detach(void *ctx)
{
    struct micro_thread *m = ctx;
    smr_thread_unregister(m->t);
    free(m);
}

static void prims_stats(void *shared, struct smr_stats *out)
{
    smr_stats(((struct micro_shared *)shared)->domain, out);
}

static void batch_enter_leave(void *ctx, uint64_t n)
{
    struct micro_thread *m = ctx;
    smr_thread_t *t = m->t;
    struct micro_node *cur = m->s->node[0];
    for (uint64_t i = 0; i < n; i++) {
        micro_enter(t);
        /* immortal nodes: safe to follow without protect */
        cur = atomic_load_explicit(&cur->next, memory_order_relaxed);
        smr_leave(t);
    }
    m->sink += cur->value;
}

/* A traversal: protect each node's successor, inside one operation per batch. */
static void batch_protect(void *ctx, uint64_t n)
{
    struct micro_thread *m = ctx;
    smr_thread_t *t = m->t;
    struct micro_node *cur = m->s->node[0];
    micro_enter(t);
    for (uint64_t i = 0; i < n; i++)
        cur = smr_protect(t, 0, &cur->next);
    smr_leave(t);
    m->sink += cur->value;
}

/* The same root over and over, while the changer thread swaps it. */
static void batch_protect_root(void *ctx, uint64_t n)
{
    struct micro_thread *m = ctx;
    smr_thread_t *t = m->t;
    smr_atomic_ptr *src = &m->s->src;
    uint64_t sink = 0;
    micro_enter(t);
    for (uint64_t i = 0; i < n; i++) {
        struct micro_node *p = smr_protect(t, 0, src);
        sink += p->value;
        micro_barrier();
    }
    smr_leave(t);
    m->sink += sink;
}

static void batch_retire(void *ctx, uint64_t n)
{
    smr_thread_t *t = ((struct micro_thread *)ctx)->t;
    for (uint64_t i = 0; i < n; i++) {
        struct micro_node *p = smr_alloc(t, sizeof(*p));
        p->value = i;
        micro_enter(t);
        smr_retire(t, p, NULL, NULL);
        smr_leave(t);
    }
}

static void batch_alloc(void *ctx, uint64_t n)
{
    struct micro_thread *m = ctx;
    smr_thread_t *t = m->t;
    uint64_t sink = 0;
    for (uint64_t i = 0; i < n; i++) {
        struct micro_node *p = smr_alloc(t, sizeof(*p));
        p->value = i;
        sink += (uintptr_t)p;
        smr_dealloc_unpublished(t, p);
    }
    m->sink += sink;
}

const struct micro_prims SMR_MANGLE(micro_prims) = {
    .scheme = &smr_scheme,
    .create = prims_create,
    .destroy = prims_destroy,
    .attach = prims_attach,
    .detach = prims_detach,
    .stats = prims_stats,
    .batch = {
        [MICRO_ENTER_LEAVE] = batch_enter_leave,
        [MICRO_PROTECT] = batch_protect,
        [MICRO_PROTECT_ROOT] = batch_protect_root,
        [MICRO_RETIRE] = batch_retire,
        [MICRO_ALLOC] = batch_alloc,
    },
};
