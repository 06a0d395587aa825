/*
 * queue.h - the Michael-Scott lock-free queue (PODC 1996), written once
 * against smr.h: a singly linked list with a dummy node in front, `head`
 * at the dummy and `tail` at the last node or one behind it.
 *
 * Enqueue links its node after the last one (CAS on that node's next,
 * NULL -> node), then moves tail (CAS), which anyone who finds tail
 * lagging does for it. Dequeue reads the value of the node after the
 * dummy, then moves head there (CAS): that node becomes the dummy, and the
 * winner retires the old one, exactly once.
 *
 * Two hazard slots: the head (or tail) node, and the node after the head.
 * The second is protected from the first's next link, which never changes
 * once set, so a hazard pointer's re-validation against it proves nothing:
 * head is read again after the protect, and while head still points to
 * the first node the second is in the queue. Values are read before the
 * head CAS (the winner may retire the node at once afterwards); a node is
 * retired only once head has passed it and tail is past it too (a
 * dequeue that finds head == tail moves tail first), so no enqueue can
 * reach a retired node through tail.
 *
 * Include after defining SMR_SCHEME: the names are mangled per scheme.
 */
#ifndef QUEUE_H
#define QUEUE_H

#include "../schemes/smr.h"
#include "queue_checks.h"

#define queue_create SMR_MANGLE(queue_create)
#define queue_destroy SMR_MANGLE(queue_destroy)
#define queue_domain SMR_MANGLE(queue_domain)
#define queue_enqueue SMR_MANGLE(queue_enqueue)
#define queue_dequeue SMR_MANGLE(queue_dequeue)
#define queue_peek SMR_MANGLE(queue_peek)
#define queue_census SMR_MANGLE(queue_census)
#define queue_head_link SMR_MANGLE(queue_head_link)

#define QUEUE_SLOTS 2

struct queue;

/* cfg may be NULL (defaults); hazard_slots is set by the queue. */
struct queue *queue_create(const struct smr_config *cfg);
/* Frees the nodes still in the queue and the domain; threads must have unregistered. */
void queue_destroy(struct queue *q, struct smr_stats *final);
smr_domain_t *queue_domain(struct queue *q);

void queue_enqueue(struct queue *q, smr_thread_t *t, uint64_t value);
/* Dequeue or peek the front value; false when empty. */
bool queue_dequeue(struct queue *q, smr_thread_t *t, uint64_t *value);
bool queue_peek(struct queue *q, smr_thread_t *t, uint64_t *value);
/* The head link, which a thread stalled in an operation protects (the benchmark's stall). */
smr_atomic_ptr *queue_head_link(struct queue *q);

/* What a walk of a quiescent queue (no thread inside) found. */
struct queue_census {
    uint64_t count, sum;  /* values after the dummy */
    bool tail_last;       /* tail points to the last node: must hold */
};
/* Walk front to back; each(value, ctx) per value in queue order (may be NULL). */
void queue_census(struct queue *q, struct queue_census *out,
                  void (*each)(uint64_t value, void *ctx), void *ctx);

#endif /* QUEUE_H */
