/*
 * dbmap_copy.h - one of dbmap's two copies, as the core and the grace
 * period providers see it (private to dbmap.c).
 */
#ifndef DBMAP_COPY_H
#define DBMAP_COPY_H

#include "../schemes/smr_common.h"
#include "dbmap_table.h"

/* Checked builds: a copy's guard while readers may use it, and while the
   writer rewrites it (readers check it on entering and before leaving). */
#define DBMAP_GUARD_READABLE 0x6462636f70796f6bull
#define DBMAP_GUARD_REWRITING 0xa5a5a5a5a5a5a5a5ull

/* Aligned apart: readers read the live copy's table header while the
   writer rewrites the stale one's. */
struct dbmap_copy {
    alignas(SMR_PAD_ALIGN) struct dbmap_table table;
    /* Scheme providers: 1 once the reclaimer of the token that named this
       copy has run, i.e. no reader can be inside it any more. */
    _Atomic int handed_back;
#ifdef SMR_CHECKED
    _Atomic uint64_t guard;
#endif
};

#endif /* DBMAP_COPY_H */
