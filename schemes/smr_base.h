/*
 * smr_base.h - the vocabulary every scheme header and structure shares:
 * cache-line padding, branch hints, the limits on slots and tunables, the
 * reclaim callback and the protectable pointer type.
 */
#ifndef SMR_BASE_H
#define SMR_BASE_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
/*
 * Per-thread data that other threads read is aligned to two cache lines:
 * adjacent-line prefetchers on x86 pull pairs of 64-byte lines, so 64-byte
 * padding still lets neighbours interfere.
 */
#define SMR_CACHE_LINE 64
#define SMR_PAD_ALIGN 128

#define SMR_LIKELY(x) __builtin_expect(!!(x), 1)
#define SMR_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* Hazard slots a thread may use (hp, he, ...); structures say how many they need. */
#define SMR_MAX_SLOTS 8
/* Tunables a scheme may declare. */
#define SMR_MAX_TUNABLES 4

typedef void (*smr_reclaim_fn)(void *p, void *ctx);

/* A pointer shared between threads that a scheme can protect. */
typedef _Atomic(void *) smr_atomic_ptr;

#endif /* SMR_BASE_H */
