/*
 * queue_bench.c - the Michael-Scott queue's benchmark operations: read =
 * peek the front value; write = enqueue or dequeue, alternating per thread,
 * so the size stays near the prefill.
 *
 * Every run validates itself. Thread `tid` enqueues the values
 * (tid + 1) << 40 | seq, seq = 0, 1, ... (its prefill first). Each thread
 * counts what it enqueued and dequeued (count and sum), checks that the
 * values it dequeues from any one producer come in that producer's order,
 * and counts per producer how many it took; at detach it folds its counts
 * into the structure's (a lock, once per thread). Once every thread has
 * left, the queue must hold enqueued - dequeued values (count and sum),
 * tail must be at its last node, and for each producer exactly its values
 * after the ones dequeued, in order. The harness's keyed counts are for
 * keyed sets (whose prefill defaults to half the key range): the queue,
 * keyless, keeps its own.
 *
 * The pair's translation unit: the queue itself is compiled in here, so its
 * operations inline into read and write (bench_glue.h).
 */
#include "queue.c"

#include <pthread.h>
#include <stdio.h>

#define QB_SEQ_BITS 40
#define QB_SEQ_MASK ((UINT64_C(1) << QB_SEQ_BITS) - 1)

struct queue_bench {
    struct queue *queue;
    unsigned threads;        /* producers: tids 0 .. threads - 1 */
    pthread_mutex_t lock;    /* detach folds its thread's counts in under it */
    uint64_t enqueued, enqueued_sum, dequeued, dequeued_sum;
    uint64_t disorder;       /* dequeues that broke their producer's order */
    uint64_t *produced;      /* per producer: values it enqueued */
    uint64_t *taken;         /* per producer: its values dequeued, by anyone */
};

struct queue_bench_own {
    uint64_t producer;       /* (tid + 1) << QB_SEQ_BITS */
    uint64_t next_seq;       /* values this thread enqueued so far */
    uint64_t enqueued_sum, dequeued, dequeued_sum, disorder;
    bool dequeue_next;
    uint64_t *last;          /* per producer: 1 + the last seq dequeued from it (0: none) */
    uint64_t *taken;         /* per producer: values dequeued from it */
};

static uint64_t *qb_counters(unsigned n)
{
    uint64_t *c = calloc(n, sizeof(uint64_t));
    if (!c)
        abort();
    return c;
}

/*
 * Live nodes at once. Every thread alternates enqueue and dequeue, so its
 * enqueues exceed its dequeues by at most one: the queue holds at most
 * prefill + T values, or 2T after dequeues that found it empty, and the
 * dummy; at most T more are being enqueued and T dequeued but not yet
 * retired.
 */
#define BG_SET struct queue_bench
#define BG_OWN struct queue_bench_own
#define BG_DOMAIN(s) queue_domain(((struct queue_bench *)(s))->queue)
#define BG_SLOTS QUEUE_SLOTS
#define BG_MAX_LIVE(p) ((p)->prefill + 4 * (uint64_t)(p)->threads + 1)
#define BG_STALL_LINK(set) queue_head_link((set)->queue)
#include "bench_glue.h"

static void *queue_bench_create(const struct bench_params *p)
{
    struct queue_bench *qb = smr_record_alloc(sizeof(*qb));
    struct smr_config c;
    bg_domain_config(p, &c);
    qb->queue = queue_create(&c);
    qb->threads = p->threads ? p->threads : 1;
    pthread_mutex_init(&qb->lock, NULL);
    qb->produced = qb_counters(qb->threads);
    qb->taken = qb_counters(qb->threads);
    return qb;
}

static void queue_bench_destroy(void *s, struct smr_stats *final)
{
    struct queue_bench *qb = s;
    queue_destroy(qb->queue, final);
    pthread_mutex_destroy(&qb->lock);
    free(qb->produced);
    free(qb->taken);
    free(qb);
}

static void *queue_bench_attach(void *s, unsigned tid, uint64_t seed)
{
    (void)seed;
    struct queue_bench *qb = s;
    if (tid >= qb->threads) {
        fprintf(stderr, "queue: thread %u attached to a queue created for %u threads\n", tid,
                qb->threads);
        abort();
    }
    struct bench_thread *bt = bg_thread_new(s, qb);
    bt->own.producer = (uint64_t)(tid + 1) << QB_SEQ_BITS;
    bt->own.last = qb_counters(qb->threads);
    bt->own.taken = qb_counters(qb->threads);
    return bt;
}

static void queue_bench_detach(void *ctx)
{
    struct bench_thread *bt = ctx;
    struct queue_bench *qb = bt->set;
    struct queue_bench_own *own = &bt->own;
    pthread_mutex_lock(&qb->lock);
    qb->produced[(own->producer >> QB_SEQ_BITS) - 1] += own->next_seq;
    qb->enqueued += own->next_seq;
    qb->enqueued_sum += own->enqueued_sum;
    qb->dequeued += own->dequeued;
    qb->dequeued_sum += own->dequeued_sum;
    qb->disorder += own->disorder;
    for (unsigned p = 0; p < qb->threads; p++)
        qb->taken[p] += own->taken[p];
    pthread_mutex_unlock(&qb->lock);
    free(own->last);
    free(own->taken);
    bg_detach(bt);
}

static void qb_enqueue(struct bench_thread *bt)
{
    uint64_t v = bt->own.producer | bt->own.next_seq++;
    queue_enqueue(bt->set->queue, bt->smr, v);
    bt->own.enqueued_sum += v;
}

static void queue_bench_prefill(void *ctx, uint64_t count)
{
    for (uint64_t i = 0; i < count; i++)
        qb_enqueue(ctx);
}

static void queue_bench_read(void *ctx, uint64_t key)
{
    (void)key;
    struct bench_thread *bt = ctx;
    uint64_t v;
    if (queue_peek(bt->set->queue, bt->smr, &v))
        bt->sink += v;
}

static void queue_bench_write(void *ctx, uint64_t key)
{
    (void)key;
    struct bench_thread *bt = ctx;
    struct queue_bench_own *own = &bt->own;
    if (!own->dequeue_next) {
        own->dequeue_next = true;
        qb_enqueue(bt);
        return;
    }
    own->dequeue_next = false;
    uint64_t v;
    if (!queue_dequeue(bt->set->queue, bt->smr, &v))
        return;
    own->dequeued++;
    own->dequeued_sum += v;
    uint64_t p = (v >> QB_SEQ_BITS) - 1, seq = v & QB_SEQ_MASK;
    if (SMR_UNLIKELY(p >= bt->set->threads || seq < own->last[p])) {
        own->disorder++; /* a value nobody enqueued, or one older than its producer's last */
        return;
    }
    own->last[p] = seq + 1;
    own->taken[p]++;
}

/* The walk of the validation: per producer, the next value expected. */
struct qb_walk {
    unsigned threads;
    uint64_t *next;          /* per producer: seq of its next value in the queue */
    uint64_t misplaced;
};

static void qb_walk_value(uint64_t v, void *ctx)
{
    struct qb_walk *w = ctx;
    uint64_t p = (v >> QB_SEQ_BITS) - 1, seq = v & QB_SEQ_MASK;
    if (p >= w->threads) {
        w->misplaced++;
        return;
    }
    w->misplaced += seq != w->next[p];
    w->next[p] = seq + 1;
}

static bool queue_bench_validate(void *s, const struct keyed_counts *total, char *why, size_t len)
{
    (void)total; /* the queue's own counts, folded in at detach */
    struct queue_bench *qb = s;
    struct qb_walk w = {qb->threads, qb_counters(qb->threads), 0};
    for (unsigned p = 0; p < qb->threads; p++)
        w.next[p] = qb->taken[p]; /* its first value still queued */
    struct queue_census c;
    queue_census(qb->queue, &c, qb_walk_value, &w);
    uint64_t short_or_long = 0;
    for (unsigned p = 0; p < qb->threads; p++)
        short_or_long += w.next[p] != qb->produced[p];
    free(w.next);
    /* Sums wrap modulo 2^64 on both sides alike. */
    uint64_t want = qb->enqueued - qb->dequeued, want_sum = qb->enqueued_sum - qb->dequeued_sum;
    if (c.count != want || c.sum != want_sum)
        snprintf(why, len, "queue holds %llu values (sum %llu); enqueued - dequeued say %llu "
                 "(sum %llu)", (unsigned long long)c.count, (unsigned long long)c.sum,
                 (unsigned long long)want, (unsigned long long)want_sum);
    else if (!c.tail_last)
        snprintf(why, len, "queue: tail is not at the last node once every thread left");
    else if (qb->disorder)
        snprintf(why, len, "queue: %llu dequeue(s) out of their producer's order",
                 (unsigned long long)qb->disorder);
    else if (w.misplaced || short_or_long)
        snprintf(why, len, "queue: %llu value(s) out of their producer's order, %llu "
                 "producer(s) whose values left are not exactly those after the ones dequeued",
                 (unsigned long long)w.misplaced, (unsigned long long)short_or_long);
    else
        return true;
    return false;
}

const struct bench_ops SMR_MANGLE(queue_ops) = {
    .structure = "queue",
    .scheme = &smr_scheme,
    .summary = "Michael-Scott lock-free queue (dummy node); read = peek the front, write = "
               "enqueue or dequeue, alternating per thread",
    .create = queue_bench_create,
    .destroy = queue_bench_destroy,
    .attach = queue_bench_attach,
    .detach = queue_bench_detach,
    .prefill = queue_bench_prefill,
    .read = queue_bench_read,
    .write = queue_bench_write,
    BG_BENCH_OPS_COMMON,
    .keyless = true,
    .validate = queue_bench_validate,
};
