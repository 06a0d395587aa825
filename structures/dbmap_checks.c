/* dbmap_checks.c - dbmap's checked-build test switch (the negative control). */
#include "dbmap.h"

#ifdef SMR_CHECKED
_Atomic int dbmap_test_skip_wait;
#endif
