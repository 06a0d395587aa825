/*
 * leave_probe.h - a test-only scheme `probe` that is another scheme (its
 * prefix in PROBE_INNER, its header in PROBE_INNER_HEADER) with two hooks
 * around leave: the test runs code just before a handle's leave starts and
 * just after it returns, on the leaving thread. A structure compiled with
 * -DSMR_SCHEME=probe -DSMR_SCHEME_HEADER="leave_probe.h" then lets a test
 * act at the exact points where an operation ends (contract/read_after_leave.c),
 * with no hook in the scheme or the structure. Everything but leave is the
 * inner scheme's own function, by name.
 */
#ifndef LEAVE_PROBE_H
#define LEAVE_PROBE_H

#if !defined(PROBE_INNER) || !defined(PROBE_INNER_HEADER)
#error "compile with -DPROBE_INNER=<prefix> -DPROBE_INNER_HEADER=\"<prefix>.h\""
#endif

#include PROBE_INNER_HEADER

#define PROBE_CAT_(a, b) a##_##b
#define PROBE_CAT(a, b) PROBE_CAT_(a, b)
#define PROBE_FN(x) PROBE_CAT(PROBE_INNER, x)

#define probe_domain_t PROBE_FN(domain_t)
#define probe_thread_t PROBE_FN(thread_t)
#define probe_info PROBE_FN(info)
#define probe_domain_create PROBE_FN(domain_create)
#define probe_domain_destroy PROBE_FN(domain_destroy)
#define probe_thread_register PROBE_FN(thread_register)
#define probe_thread_unregister PROBE_FN(thread_unregister)
#define probe_alloc PROBE_FN(alloc)
#define probe_enter PROBE_FN(enter)
#define probe_protect PROBE_FN(protect)
#define probe_retire PROBE_FN(retire)
#define probe_retire_after_rmw PROBE_FN(retire_after_rmw)
#define probe_quiescent PROBE_FN(quiescent)
#define probe_flush PROBE_FN(flush)
#define probe_stats PROBE_FN(stats)
/* The inner scheme's optional operations and defaults (smr.h), as its own;
   leave is always the probe's. */
#define probe_NODE_HEADER PROBE_FN(NODE_HEADER)
#define probe_HAS_ALLOC PROBE_FN(HAS_ALLOC)
#define probe_HAS_ENTER PROBE_FN(HAS_ENTER)
#define probe_HAS_PROTECT PROBE_FN(HAS_PROTECT)
#define probe_HAS_RETIRE_AFTER_RMW PROBE_FN(HAS_RETIRE_AFTER_RMW)
#define probe_HAS_QUIESCENT PROBE_FN(HAS_QUIESCENT)
#define probe_HAS_FLUSH PROBE_FN(HAS_FLUSH)
#define probe_HAS_LEAVE 1

/* Set by the test (NULL: nothing runs). Called with the leaving handle. */
extern void (*probe_before_leave)(probe_thread_t *t);
extern void (*probe_after_leave)(probe_thread_t *t);

static inline void probe_leave(probe_thread_t *t)
{
    if (probe_before_leave)
        probe_before_leave(t);
#if PROBE_FN(HAS_LEAVE)
    PROBE_FN(leave)(t);
#endif
    if (probe_after_leave)
        probe_after_leave(t);
}

#endif /* LEAVE_PROBE_H */
