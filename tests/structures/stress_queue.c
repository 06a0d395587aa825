/*
 * stress_queue.c - the Michael-Scott queue under contention, one program
 * per scheme, linked with the checked core (poison-on-reclaim, canaries).
 *
 *   stress_queue_<scheme> [MODE] THREADS MILLISECONDS
 *       1,000 values enqueued first; then threads enqueue unique values
 *       (producer, sequence number), dequeue and peek at random (45/45/10
 *       %). Each thread checks that the values it dequeues from any one
 *       producer come in that producer's order. At the end the queue is
 *       drained and checked: every enqueued value dequeued exactly once
 *       (none twice, none lost), count and sum conserved, one node
 *       retired per dequeue, everything reclaimed. A reclaimed node read
 *       by a thread trips its canary (exit 86).
 *   MODE --yield N          the scheme's and the queue's race windows yield
 *                           every Nth pass.
 *   MODE --negative-control the stress in child processes with free-on-
 *                           retire (up to 20 tries): passes only if caught.
 */
#include "queue.h"
#include "stress_rig.h"

#define SEQ_BITS 40
#define SEQ_MASK ((UINT64_C(1) << SEQ_BITS) - 1)
#define PREFILL 1000

struct worker {
    alignas(SMR_PAD_ALIGN) unsigned id;
    unsigned producers;
    struct queue *queue;
    struct rng rng;
    uint64_t enqueued, enqueued_sum;
    uint64_t *taken;          /* values this thread dequeued */
    size_t ntaken, cap;
    uint64_t *last;           /* per producer: 1 + the last seq dequeued from it */
    uint64_t disorder, bad_peeks;
};

static void enqueue_next(struct worker *w, smr_thread_t *t)
{
    uint64_t v = ((uint64_t)(w->id + 1) << SEQ_BITS) | w->enqueued++;
    queue_enqueue(w->queue, t, v);
    w->enqueued_sum += v;
}

static void took(struct worker *w, uint64_t v)
{
    if (w->ntaken == w->cap)
        w->taken = test_grow(w->taken, &w->cap, sizeof(uint64_t));
    w->taken[w->ntaken++] = v;
    uint64_t p = (v >> SEQ_BITS) - 1, seq = v & SEQ_MASK;
    if (p >= w->producers || seq < w->last[p]) {
        w->disorder++;
        return;
    }
    w->last[p] = seq + 1;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    smr_thread_t *t = smr_thread_register(queue_domain(w->queue));
    rig_started();
    uint64_t v;
    while (rig_running()) {
        for (int i = 0; i < 64; i++) {
            uint64_t r = rng_next(&w->rng) % 100;
            if (r < 45)
                enqueue_next(w, t);
            else if (r < 90) {
                if (queue_dequeue(w->queue, t, &v))
                    took(w, v);
            } else if (queue_peek(w->queue, t, &v)) {
                w->bad_peeks += (v >> SEQ_BITS) - 1 >= w->producers;
            }
        }
    }
    smr_thread_unregister(t);
    return NULL;
}

static int rig_stress(unsigned nthreads, unsigned ms)
{
    int before = test_failed;
    unsigned producers = nthreads + 1; /* the workers, and the main thread's prefill */
    struct queue *q = queue_create(NULL);
    struct worker *w = smr_record_alloc(producers * sizeof(*w));
    for (unsigned i = 0; i < producers; i++) {
        w[i].id = i;
        w[i].producers = producers;
        w[i].queue = q;
        rng_seed(&w[i].rng, (i + 1) ^ (uint64_t)getpid() << 16);
        w[i].last = calloc(producers, sizeof(uint64_t));
    }
    struct worker *main_w = &w[nthreads];
    smr_thread_t *t = smr_thread_register(queue_domain(q));
    for (int i = 0; i < PREFILL; i++)
        enqueue_next(main_w, t);
    /* Offline while the workers run (QSBR would wait for it otherwise). */
    smr_thread_unregister(t);

    rig_run(nthreads, ms, worker_main, w, sizeof(*w));

    t = smr_thread_register(queue_domain(q));
    uint64_t v;
    while (queue_dequeue(q, t, &v))
        took(main_w, v);
    smr_thread_unregister(t);

    /* Exactly once: a bitmap per producer. */
    uint64_t enqueued = 0, enqueued_sum = 0, dequeued = 0, dequeued_sum = 0, disorder = 0;
    uint64_t twice = 0, unknown = 0, lost = 0, bad_peeks = 0;
    uint8_t *seen[RIG_MAX_THREADS + 1];
    for (unsigned p = 0; p < producers; p++) {
        enqueued += w[p].enqueued;
        enqueued_sum += w[p].enqueued_sum;
        disorder += w[p].disorder;
        bad_peeks += w[p].bad_peeks;
        seen[p] = calloc(w[p].enqueued + 1, 1);
    }
    for (unsigned c = 0; c < producers; c++)
        for (size_t i = 0; i < w[c].ntaken; i++) {
            uint64_t x = w[c].taken[i], p = (x >> SEQ_BITS) - 1, seq = x & SEQ_MASK;
            dequeued++;
            dequeued_sum += x;
            if (p >= producers || seq >= w[p].enqueued)
                unknown++;
            else
                twice += seen[p][seq]++ > 0;
        }
    for (unsigned p = 0; p < producers; p++) {
        for (uint64_t s = 0; s < w[p].enqueued; s++)
            lost += !seen[p][s];
        free(seen[p]);
    }
    CHECK(twice == 0 && unknown == 0 && lost == 0,
          "%llu value(s) dequeued twice, %llu never enqueued, %llu lost",
          (unsigned long long)twice, (unsigned long long)unknown, (unsigned long long)lost);
    CHECK(dequeued == enqueued && dequeued_sum == enqueued_sum,
          "%llu values dequeued (sum %llu) of %llu enqueued (sum %llu)",
          (unsigned long long)dequeued, (unsigned long long)dequeued_sum,
          (unsigned long long)enqueued, (unsigned long long)enqueued_sum);
    CHECK(disorder == 0, "%llu dequeue(s) out of their producer's order",
          (unsigned long long)disorder);
    CHECK(bad_peeks == 0, "%llu peek(s) returned a value nobody enqueued",
          (unsigned long long)bad_peeks);
    struct smr_stats st;
    smr_stats(queue_domain(q), &st);
    CHECK(st.retired == dequeued, "%llu nodes retired for %llu dequeues",
          (unsigned long long)st.retired, (unsigned long long)dequeued);
    printf("queue/%s %u threads %u ms: %llu enqueued, %llu scans\n", smr_scheme.name, nthreads,
           ms, (unsigned long long)enqueued, (unsigned long long)st.scans);

    struct smr_stats fin;
    queue_destroy(q, &fin);
    CHECK(fin.retired == fin.reclaimed, "destroy left %llu of %llu retired nodes unreclaimed",
          (unsigned long long)(fin.retired - fin.reclaimed), (unsigned long long)fin.retired);
    for (unsigned i = 0; i < producers; i++) {
        free(w[i].taken);
        free(w[i].last);
    }
    free(w);
    return test_failed - before;
}

int main(int argc, char **argv)
{
    return rig_main(argc, argv, "stress-queue", NULL);
}
