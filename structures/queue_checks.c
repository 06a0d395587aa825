/* queue_checks.c - the queue's test-only switches (checked builds), defined once. */
#include "queue_checks.h"

#ifdef SMR_CHECKED
_Atomic(queue_hook_fn) queue_test_hook;
#endif
