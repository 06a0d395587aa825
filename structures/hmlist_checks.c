/* hmlist_checks.c - the list's test-only switches (checked builds), defined once. */
#include "hmlist_checks.h"

#ifdef SMR_CHECKED
_Atomic int hml_test_unsafe_traversal;
_Atomic(hml_hook_fn) hml_test_hook;
#endif
