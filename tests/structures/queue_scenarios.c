/*
 * queue_scenarios.c - the Michael-Scott queue's delicate interleavings,
 * replayed deterministically on one OS thread with two thread handles: A
 * runs an operation that stops at a point of queue.c (queue_test_hook),
 * and B runs whole operations right there, while A still holds what it
 * protected. One program per scheme, linked with the checked core.
 *
 *   lagging tail, dequeue   empty queue; A enqueues 1, links it and stops
 *                 before moving tail (still at the dummy). B dequeues:
 *                 it must move tail past the dummy before head passes it,
 *                 get 1, retire the dummy (flushed while A protects it)
 *                 with tail gone from it, then enqueue 2 and dequeue it
 *                 through the new tail. A's tail CAS fails: empty, tail
 *                 at the last node, two retired.
 *   lagging tail, enqueue   A enqueues 1 and stops before moving tail; B
 *                 enqueues 2, moving the lagging tail on first: {1, 2}.
 *   dequeue race  {1, 2, 3}; A dequeues, has read 1 and stops before its
 *                 head CAS; B dequeues 1 and 2 (both old dummies retired
 *                 and flushed while A protects them). A's CAS fails and
 *                 its retry gets 3: empty, three retired.
 * Each ends with a census (values in order, tail at the last node), every
 * handle's flush, the retired count, and destroy reclaiming everything.
 */
#include "queue.h"
#include "structure_checks.h"

static struct queue *scen_queue;
static smr_thread_t *scen_b;
static enum queue_point scen_point;
static void (*scen_action)(void);
static int scen_fired;

static void scen_hook(enum queue_point point, uint64_t value)
{
    (void)value;
    if (point != scen_point || scen_fired++)
        return; /* A's stop, once (B's own operations pass the same points) */
    scen_action();
    for (int i = 0; i < 4; i++)
        smr_flush(scen_b);
}

static void b_dequeue_expect(uint64_t want)
{
    uint64_t v = 0;
    CHECK(queue_dequeue(scen_queue, scen_b, &v) && v == want, "B: dequeue %llu, got %llu",
          (unsigned long long)want, (unsigned long long)v);
}

static void b_through_new_tail(void)
{
    b_dequeue_expect(1);
    /* The old dummy is retired: tail must have left it. */
    struct queue_census c;
    queue_census(scen_queue, &c, NULL, NULL);
    CHECK(c.count == 0 && c.tail_last, "B: after the dequeue, %llu values, tail %s",
          (unsigned long long)c.count, c.tail_last ? "last" : "NOT at the last node");
    queue_enqueue(scen_queue, scen_b, 2);
    b_dequeue_expect(2);
}
static void b_enqueue_2(void) { queue_enqueue(scen_queue, scen_b, 2); }
static void b_dequeue_1_2(void)
{
    b_dequeue_expect(1);
    b_dequeue_expect(2);
}

struct scenario {
    const char *name;
    uint64_t initial[3];
    enum queue_point point;
    void (*action)(void);
    bool a_enqueues;   /* A enqueues 1, else dequeues */
    uint64_t a_value;  /* what A's dequeue must return */
    uint64_t final[3];
    uint64_t retired;
};

struct expect {
    const uint64_t *want;
    int seen, wrong;
};

static void expect_value(uint64_t v, void *ctx)
{
    struct expect *e = ctx;
    e->wrong += e->seen >= 3 || e->want[e->seen] != v;
    e->seen++;
}

static void run(const struct scenario *s)
{
    scen_queue = queue_create(NULL);
    smr_thread_t *a = smr_thread_register(queue_domain(scen_queue));
    scen_b = smr_thread_register(queue_domain(scen_queue));
    for (int i = 0; i < 3 && s->initial[i]; i++)
        queue_enqueue(scen_queue, a, s->initial[i]);
    scen_point = s->point;
    scen_action = s->action;
    scen_fired = 0;
    atomic_store(&queue_test_hook, scen_hook);
    uint64_t v = 0;
    if (s->a_enqueues)
        queue_enqueue(scen_queue, a, 1);
    else
        CHECK(queue_dequeue(scen_queue, a, &v) && v == s->a_value, "%s: A dequeued %llu, want %llu",
              s->name, (unsigned long long)v, (unsigned long long)s->a_value);
    atomic_store(&queue_test_hook, NULL);
    CHECK(scen_fired >= 1, "%s: A never reached its stop", s->name);

    int n = 0;
    while (n < 3 && s->final[n])
        n++;
    struct expect e = {s->final, 0, 0};
    struct queue_census c;
    queue_census(scen_queue, &c, expect_value, &e);
    CHECK(c.count == (uint64_t)n && e.wrong == 0 && c.tail_last,
          "%s: %llu values (%d not as expected), want %d; tail %s", s->name,
          (unsigned long long)c.count, e.wrong, n, c.tail_last ? "last" : "NOT at the last node");
    scenario_settle(s->name, queue_domain(scen_queue), a, scen_b, s->retired);
    struct smr_stats fin;
    queue_destroy(scen_queue, &fin);
    check_all_reclaimed(s->name, &fin);
}

int main(void)
{
    const struct scenario scenarios[] = {
        {"lagging tail, dequeue", {0}, QUEUE_ENQUEUE_BEFORE_SWING, b_through_new_tail, true, 0,
         {0}, 2},
        {"lagging tail, enqueue", {0}, QUEUE_ENQUEUE_BEFORE_SWING, b_enqueue_2, true, 0, {1, 2},
         0},
        {"dequeue race", {1, 2, 3}, QUEUE_DEQUEUE_BEFORE_SWING, b_dequeue_1_2, false, 3, {0}, 3},
    };
    for (size_t i = 0; i < sizeof scenarios / sizeof *scenarios; i++)
        run(&scenarios[i]);
    char what[64];
    snprintf(what, sizeof what, "queue-scenarios-%s", smr_scheme.name);
    return test_finish(what);
}
