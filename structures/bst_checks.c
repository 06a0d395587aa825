/* bst_checks.c - the tree's test-only switches (checked builds), defined once. */
#include "bst_checks.h"

#ifdef SMR_CHECKED
_Atomic int bst_test_unsafe_seek;
_Atomic(bst_hook_fn) bst_test_hook;
#endif
