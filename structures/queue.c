/*
 * queue.c - the Michael-Scott queue (queue.h) against smr.h. Its benchmark
 * operations are in queue_bench.c.
 */
#include "queue.h"

struct queue_node {
    uint64_t value;
    smr_atomic_ptr next; /* NULL, then the next node for good */
#ifdef SMR_CHECKED
    uint64_t canary;
#endif
};

#define QUEUE_CANARY 0x0ee0e5eedc0dec0dull

#ifdef SMR_CHECKED
static inline void queue_check(const struct queue_node *n)
{
    if (SMR_UNLIKELY(n->canary != QUEUE_CANARY))
        smr_check_failed("queue: node read after reclamation (canary)", n);
}

static inline void queue_test_point(enum queue_point point, uint64_t value)
{
    queue_hook_fn hook = atomic_load_explicit(&queue_test_hook, memory_order_relaxed);
    if (SMR_UNLIKELY(hook != NULL))
        hook(point, value);
}
#else
static inline void queue_check(const struct queue_node *n) { (void)n; }
#define queue_test_point(point, value) ((void)0)
#endif

struct queue {
    alignas(SMR_PAD_ALIGN) smr_atomic_ptr head;
    alignas(SMR_PAD_ALIGN) smr_atomic_ptr tail;
    alignas(SMR_PAD_ALIGN) smr_domain_t *domain;
};

static struct queue_node *queue_node_new(smr_thread_t *t, uint64_t value)
{
    struct queue_node *n = smr_alloc(t, sizeof(*n));
    n->value = value;
    atomic_init(&n->next, NULL);
#ifdef SMR_CHECKED
    n->canary = QUEUE_CANARY;
#endif
    return n;
}

struct queue *queue_create(const struct smr_config *cfg)
{
    struct queue *q = smr_record_alloc(sizeof(*q));
    struct smr_config c = cfg ? *cfg : (struct smr_config){0};
    c.hazard_slots = QUEUE_SLOTS;
    q->domain = smr_domain_create(&c);
    smr_thread_t *t = smr_thread_register(q->domain);
    struct queue_node *dummy = queue_node_new(t, 0);
    smr_thread_unregister(t);
    atomic_init(&q->head, dummy);
    atomic_init(&q->tail, dummy);
    return q;
}

smr_domain_t *queue_domain(struct queue *q)
{
    return q->domain;
}

smr_atomic_ptr *queue_head_link(struct queue *q)
{
    return &q->head;
}

void queue_destroy(struct queue *q, struct smr_stats *final)
{
    /* No thread is left: the dummy and what follows were never retired. */
    smr_thread_t *t = smr_thread_register(q->domain);
    struct queue_node *n = atomic_load_explicit(&q->head, memory_order_acquire);
    while (n) {
        struct queue_node *next = atomic_load_explicit(&n->next, memory_order_acquire);
        smr_dealloc_unpublished(t, n);
        n = next;
    }
    smr_thread_unregister(t);
    smr_domain_destroy(q->domain, final);
    free(q);
}

void queue_enqueue(struct queue *q, smr_thread_t *t, uint64_t value)
{
    struct queue_node *n = queue_node_new(t, value);
    smr_enter(t);
    for (;;) {
        /* tail never points to a retired node (see queue_dequeue), so the
           protect's re-validation against it is enough. */
        struct queue_node *last = smr_protect(t, 0, &q->tail);
        queue_check(last);
        /* acquire: a successor we move tail to is published again from tail */
        void *next = atomic_load_explicit(&last->next, memory_order_acquire);
        /* relaxed: only compared; a moved tail means `next` may be stale */
        if (atomic_load_explicit(&q->tail, memory_order_relaxed) != last)
            continue;
        if (next) {
            /* tail lags behind: move it on for the enqueue that linked next.
               release: whoever loads next from tail sees its contents. */
            void *expected = last;
            atomic_compare_exchange_strong_explicit(&q->tail, &expected, next,
                                                    memory_order_release, memory_order_relaxed);
            continue;
        }
        void *expected = NULL;
        smr_test_window(); /* another enqueue may link first */
        /* release: n's contents, for whoever loads n from last->next */
        if (atomic_compare_exchange_strong_explicit(&last->next, &expected, n,
                                                    memory_order_release, memory_order_relaxed)) {
            smr_test_window(); /* tail lags here: others must move it on */
            queue_test_point(QUEUE_ENQUEUE_BEFORE_SWING, value);
            /* release: as above. Failing is fine: someone moved it for us. */
            expected = last;
            atomic_compare_exchange_strong_explicit(&q->tail, &expected, n, memory_order_release,
                                                    memory_order_relaxed);
            smr_leave(t);
            return;
        }
    }
}

/* The front: the dummy (protected in slot 0) and the node after it
   (protected in slot 1), or NULL when empty; false if head moved meanwhile. */
static inline bool queue_front(struct queue *q, smr_thread_t *t, struct queue_node **dummy,
                               struct queue_node **first)
{
    struct queue_node *h = smr_protect(t, 0, &q->head);
    queue_check(h);
    struct queue_node *nx = smr_protect(t, 1, &h->next);
    smr_test_window(); /* head may move and h be retired here */
    /* The protect of nx validated against h->next, which never changes
       once set: only head still at h shows nx still in the queue, after
       its slot was published. seq_cst (a plain load on x86), as a hazard
       pointer's re-validating load: ordered after the publish. */
    if (atomic_load_explicit(&q->head, memory_order_seq_cst) != h)
        return false;
    *dummy = h;
    *first = nx;
    return true;
}

bool queue_dequeue(struct queue *q, smr_thread_t *t, uint64_t *value)
{
    struct queue_node *h, *nx;
    smr_enter(t);
    for (;;) {
        if (!queue_front(q, t, &h, &nx))
            continue;
        if (!nx) {
            smr_leave(t);
            return false;
        }
        /* relaxed: only compared. tail is at h or beyond: head moves only
           past a node tail has passed, and the dequeue that moved head to h
           read tail before its release, which our load of head acquired. */
        void *last = atomic_load_explicit(&q->tail, memory_order_relaxed);
        if (last == h) {
            /* Move the lagging tail past h before head can pass it, so
               that h is never retired while tail points to it. release:
               nx's contents, acquired through h->next, for tail's readers. */
            atomic_compare_exchange_strong_explicit(&q->tail, &last, nx, memory_order_release,
                                                    memory_order_relaxed);
            continue;
        }
        queue_check(nx);
        uint64_t v = nx->value; /* before the CAS: afterwards nx may be dequeued and retired */
        queue_test_point(QUEUE_DEQUEUE_BEFORE_SWING, 0);
        void *expected = h;
        /* release: nx, the new dummy, was acquired through h->next; whoever
           loads it from head reads its next link and canary. */
        if (atomic_compare_exchange_strong_explicit(&q->head, &expected, nx, memory_order_release,
                                                    memory_order_relaxed)) {
            *value = v;
            smr_retire_after_rmw(t, h, NULL, NULL); /* unlinked by our CAS */
            smr_leave(t);
            return true;
        }
    }
}

bool queue_peek(struct queue *q, smr_thread_t *t, uint64_t *value)
{
    struct queue_node *h, *nx;
    smr_enter(t);
    while (!queue_front(q, t, &h, &nx))
        ;
    if (nx) {
        queue_check(nx);
        *value = nx->value;
    }
    smr_leave(t);
    return nx != NULL;
}

void queue_census(struct queue *q, struct queue_census *out,
                  void (*each)(uint64_t value, void *ctx), void *ctx)
{
    memset(out, 0, sizeof(*out));
    struct queue_node *n = atomic_load_explicit(&q->head, memory_order_acquire);
    queue_check(n);
    for (;;) {
        struct queue_node *next = atomic_load_explicit(&n->next, memory_order_acquire);
        if (!next)
            break;
        queue_check(next);
        out->count++;
        out->sum += next->value;
        if (each)
            each(next->value, ctx);
        n = next;
    }
    out->tail_last = atomic_load_explicit(&q->tail, memory_order_acquire) == n;
}
