/*
 * smr_scan.h - pointer snapshots for hazard-pointer scans (hp, hp-asym,
 * ck-hp): collect, sort, look up.
 */
#ifndef SMR_SCAN_H
#define SMR_SCAN_H

#include "smr_base.h"

/* Hazard-pointer scans: a snapshot of hazards sorted with smr_ptr_cmp
   (qsort), then asked about each retired node. */
static inline int smr_ptr_cmp(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (void *const *)a, y = (uintptr_t) * (void *const *)b;
    return (x > y) - (x < y);
}

/* A scan's snapshot array grown to hold `need` entries (a scan never skips
   one: threads may register while it runs). */
static inline void **smr_snapshot_reserve(void **snap, size_t *cap, size_t need)
{
    if (need <= *cap)
        return snap;
    *cap = need * 2;
    snap = realloc(snap, *cap * sizeof(void *));
    if (!snap)
        abort();
    return snap;
}

static inline bool smr_sorted_has(void *const *snap, size_t n, const void *p)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((uintptr_t)snap[mid] < (uintptr_t)p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && snap[lo] == p;
}

#endif /* SMR_SCAN_H */
