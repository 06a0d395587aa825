/*
 * queue_model.c - the Michael-Scott queue on one thread against a ring
 * buffer, one program per scheme, linked with the checked core.
 *
 *   random    200,000 random enqueues, dequeues and peeks (the queue
 *             drains to empty and grows to hundreds along the way): every
 *             result must be the model's; a census every 10,000 steps
 *             finds the model's values in order and tail at the last
 *             node. Every successful dequeue retired exactly one node (the
 *             old dummy); destroy reclaims everything.
 *   empty     dequeue and peek of an empty queue say so, and leave it
 *             usable.
 *   validate  the benchmark's validation (queue_ops) accepts a clean run
 *             and refuses: a thread that never folded its counts in
 *             (count), a producer whose values repeat (its order, seen by
 *             the census and by the dequeuer).
 */
#include "bench_ops.h"
#include "queue.h"
#include "rng.h"
#include "test_util.h"

#define STEPS 200000
#define RING 4096

extern const struct bench_ops SMR_MANGLE(queue_ops);

/* The census's values must be the model's, front to back. */
struct expect {
    const uint64_t *ring;
    uint64_t head, n, seen, wrong;
};

static void expect_value(uint64_t v, void *ctx)
{
    struct expect *e = ctx;
    if (e->seen >= e->n || e->ring[(e->head + e->seen) % RING] != v)
        e->wrong++;
    e->seen++;
}

static void census_against(struct queue *q, const uint64_t *ring, uint64_t head, uint64_t n,
                           long step)
{
    struct expect e = {ring, head, n, 0, 0};
    struct queue_census c;
    queue_census(q, &c, expect_value, &e);
    CHECK(c.count == n && e.wrong == 0 && c.tail_last,
          "step %ld: %llu values (%llu not the model's), model %llu, tail %s", step,
          (unsigned long long)c.count, (unsigned long long)e.wrong, (unsigned long long)n,
          c.tail_last ? "last" : "NOT at the last node");
}

static void random_model(void)
{
    static uint64_t ring[RING];
    uint64_t head = 0, n = 0, next = 1, dequeued = 0;
    struct rng rng;
    rng_seed(&rng, 0xabcdef1u);
    struct queue *q = queue_create(NULL);
    smr_thread_t *t = smr_thread_register(queue_domain(q));
    int mismatches = 0;
    for (long step = 0; step < STEPS; step++) {
        uint64_t r = rng_next(&rng), v = 0;
        /* Drift between growing and draining every 20,000 steps. */
        unsigned enqueue_pct = (step / 20000) % 2 ? 30 : 60;
        bool got, want = n > 0, ok = true;
        if (r % 100 < enqueue_pct && n < RING) {
            queue_enqueue(q, t, next);
            ring[(head + n++) % RING] = next++;
            continue;
        }
        if (r & (1u << 20)) {
            got = queue_dequeue(q, t, &v);
            if (want) {
                ok = v == ring[head];
                head = (head + 1) % RING;
                n--;
            }
            dequeued += got;
        } else {
            got = queue_peek(q, t, &v);
            ok = !want || v == ring[head];
        }
        if ((got != want || !ok) && mismatches++ < 5)
            CHECK(got == want && ok, "step %ld: returned %d (value %llu), model says %d (%llu)",
                  step, got, (unsigned long long)v, want,
                  (unsigned long long)(want ? ring[head] : 0));
        if (step % 10000 == 9999) {
            census_against(q, ring, head, n, step);
            smr_flush(t);
        }
    }
    CHECK(mismatches == 0, "random: %d results differ from the model", mismatches);
    census_against(q, ring, head, n, STEPS);
    struct smr_stats st;
    smr_stats(queue_domain(q), &st);
    CHECK(st.retired == dequeued, "random: %llu nodes retired for %llu dequeues",
          (unsigned long long)st.retired, (unsigned long long)dequeued);
    smr_thread_unregister(t);
    struct smr_stats fin;
    queue_destroy(q, &fin);
    CHECK(fin.retired == fin.reclaimed, "random: destroy left %llu of %llu unreclaimed",
          (unsigned long long)(fin.retired - fin.reclaimed), (unsigned long long)fin.retired);
}

static void empty(void)
{
    struct queue *q = queue_create(NULL);
    smr_thread_t *t = smr_thread_register(queue_domain(q));
    uint64_t v = 7;
    CHECK(!queue_dequeue(q, t, &v) && !queue_peek(q, t, &v) && v == 7,
          "empty: dequeue or peek found a value");
    queue_enqueue(q, t, 11);
    CHECK(queue_peek(q, t, &v) && v == 11 && queue_dequeue(q, t, &v) && v == 11 &&
              !queue_dequeue(q, t, &v), "empty: one value in, one out");
    queue_enqueue(q, t, 12);
    CHECK(queue_dequeue(q, t, &v) && v == 12, "empty: usable after draining");
    smr_thread_unregister(t);
    queue_destroy(q, NULL);
}

static void validate(void)
{
    const struct bench_ops *ops = &SMR_MANGLE(queue_ops);
    struct bench_params p = {.threads = 2, .smr = {.max_threads = 2}};
    void *s = ops->create(&p);
    void *a = ops->attach(s, 0, 1), *b = ops->attach(s, 1, 2);
    ops->prefill(a, 100);
    ops->prefill(b, 100);
    for (int i = 0; i < 5000; i++) {
        ops->write(i % 3 ? a : b, 0);
        ops->read(a, 0);
    }
    ops->detach(a);
    char why[160] = "";
    /* b has not folded its counts in yet */
    CHECK(!ops->validate(s, NULL, why, sizeof why) && strstr(why, "enqueued - dequeued say"),
          "validate: a thread's uncounted values passed ('%s')", why);
    ops->detach(b);
    why[0] = 0;
    CHECK(ops->validate(s, NULL, why, sizeof why), "validate: a clean run refused: %s", why);
    /* Producer 0 again: its values 0, 1, ... a second time. */
    a = ops->attach(s, 0, 3);
    ops->prefill(a, 3);
    ops->detach(a);
    why[0] = 0;
    CHECK(!ops->validate(s, NULL, why, sizeof why) && strstr(why, "out of their producer's order"),
          "validate: repeated values passed the census ('%s')", why);
    /* Drain: the dequeuer meets producer 0's values going back. */
    b = ops->attach(s, 1, 4);
    for (int i = 0; i < 2000; i++)
        ops->write(b, 0);
    ops->detach(b);
    why[0] = 0;
    CHECK(!ops->validate(s, NULL, why, sizeof why) && strstr(why, "dequeue(s) out of"),
          "validate: a dequeuer's disorder passed ('%s')", why);
    ops->destroy(s, NULL);
}

int main(void)
{
    random_model();
    empty();
    validate();
    char what[64];
    snprintf(what, sizeof what, "queue-model-%s", smr_scheme.name);
    return test_finish(what);
}
