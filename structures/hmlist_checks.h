/*
 * hmlist_checks.h - the Harris-Michael list's test-only switches, in
 * checked builds (SMR_CHECKED) only. Scheme-independent: defined once in
 * hmlist_checks.c, used by hmlist.h in every instantiation.
 */
#ifndef HMLIST_CHECKS_H
#define HMLIST_CHECKS_H

#include <stdatomic.h>
#include <stdint.h>

#ifdef SMR_CHECKED
/* The planted bug: lookups read the list as Harris's traversal does
   (hml_find_planted in hmlist.h). */
extern _Atomic int hml_test_unsafe_traversal;

/* Deterministic interleavings (tests/structures/keyed_scenarios.c): when set, called
   at these points of an operation on `key`, so a test can run another
   thread handle's operations right there, on the same OS thread. */
enum hml_point {
    HML_INSERT_BEFORE_LINK,   /* found the position, about to CAS prev */
    HML_DELETE_BEFORE_MARK,   /* found the node, about to mark it */
    HML_DELETE_BEFORE_UNLINK, /* marked it, about to CAS prev */
};
typedef void (*hml_hook_fn)(enum hml_point point, uint64_t key);
extern _Atomic(hml_hook_fn) hml_test_hook;
#endif

#endif /* HMLIST_CHECKS_H */
