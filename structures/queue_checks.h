/*
 * queue_checks.h - the Michael-Scott queue's test-only switches, in checked
 * builds (SMR_CHECKED) only. Scheme-independent: defined once in
 * queue_checks.c, used by queue.c in every instantiation.
 */
#ifndef QUEUE_CHECKS_H
#define QUEUE_CHECKS_H

#include <stdatomic.h>
#include <stdint.h>

#ifdef SMR_CHECKED
/* Deterministic interleavings (tests/structures/queue_scenarios.c): when set, called
   at these points of an operation (with the value it enqueues or 0), so a
   test can run another thread handle's operations right there, on the
   same OS thread. */
enum queue_point {
    QUEUE_ENQUEUE_BEFORE_SWING,  /* linked the node after the last one, about to move tail */
    QUEUE_DEQUEUE_BEFORE_SWING,  /* read the front value, about to move head */
};
typedef void (*queue_hook_fn)(enum queue_point point, uint64_t value);
extern _Atomic(queue_hook_fn) queue_test_hook;
#endif

#endif /* QUEUE_CHECKS_H */
