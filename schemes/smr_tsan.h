/*
 * smr_tsan.h - happens-before annotations for ThreadSanitizer, used by the
 * adapters of third-party libraries (urcu, ck-epoch, ck-hp).
 *
 * Those libraries synchronise with code TSan cannot see: liburcu's grace
 * periods and call_rcu queue live in an uninstrumented shared library, and
 * ConcurrencyKit's atomics and fences are inline assembly. TSan then sees a
 * reader's last access to a node and the reclaimer's free of it as
 * unordered and reports a race the library's protocol in fact excludes.
 *
 * Each adapter states the ordering its library guarantees with these two
 * macros, at the points where the library provides it: SMR_TSAN_RELEASE(x)
 * where the guarantee starts (a reader leaving, a retire handing a node to
 * the library), SMR_TSAN_ACQUIRE(x) where it ends (the reclaim callback).
 * They compile to nothing outside the TSan build (SMR_TSAN).
 *
 * What they do not hide: an access after the free (no release follows it),
 * an access not covered by the scheme (no leave or re-protect between it
 * and the free), and the unsafe negative control, which frees in retire
 * without any acquire.
 */
#ifndef SMR_TSAN_H
#define SMR_TSAN_H

#ifdef SMR_TSAN
#include <sanitizer/tsan_interface.h>
#define SMR_TSAN_RELEASE(addr) __tsan_release((void *)(addr))
#define SMR_TSAN_ACQUIRE(addr) __tsan_acquire((void *)(addr))
#else
#define SMR_TSAN_RELEASE(addr) ((void)0)
#define SMR_TSAN_ACQUIRE(addr) ((void)0)
#endif

#endif /* SMR_TSAN_H */
