/*
 * smr_fence.h - the StoreLoad barriers the schemes' slow and publish paths
 * use, and why the TSan build keeps the same ones.
 */
#ifndef SMR_FENCE_H
#define SMR_FENCE_H

#include "smr_base.h"

/*
 * A full fence (StoreLoad included), used by the slow paths that read other
 * threads' announcements. The TSan build (SMR_SANITIZE=thread defines
 * SMR_TSAN) keeps the very same seq_cst fence, on every target.
 * ThreadSanitizer does not model fences (it derives no happens-before from
 * them) and gcc 12 says so (-Wtsan, an error under -Werror): that warning
 * is silenced here, not the fence. The fence is still compiled, and TSan's
 * runtime executes it as a full barrier (__tsan_atomic_thread_fence runs
 * __sync_synchronize), so the instrumented code is ordered as the real one.
 * This build once used a seq_cst read-modify-write of a thread-private
 * variable instead: a full barrier on x86 only. It is no StoreLoad barrier
 * in C11 (a seq_cst RMW of one location orders no other location's release
 * store before its acquire load) nor on aarch64 without LSE atomics, where
 * the ldaxr/stlxr loop lets a later load pass an earlier store. The schemes
 * never rely on a fence for happens-before: that comes from the
 * acquire/release pairs on announcements and hazard slots, which TSan sees.
 */
static inline void smr_fence_seq_cst(void)
{
#if defined(SMR_TSAN) && defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wtsan"
    atomic_thread_fence(memory_order_seq_cst);
#pragma GCC diagnostic pop
#else
    atomic_thread_fence(memory_order_seq_cst); /* clang's TSan accepts it as is */
#endif
}

/*
 * Store `v` and order that store before every later load of this thread
 * (StoreLoad): the announcement half of EBR's enter and of a hazard-pointer
 * publish. On x86 a locked exchange is a full barrier and cheaper than
 * mfence; its acquire half keeps the compiler from hoisting later loads
 * above it. Elsewhere: a release store and a seq_cst fence.
 */
#if defined(__x86_64__) || defined(__i386__)
#define SMR_PUBLISH(slot, v) ((void)atomic_exchange_explicit((slot), (v), memory_order_seq_cst))
#else
#define SMR_PUBLISH(slot, v)                                                                   \
    (atomic_store_explicit((slot), (v), memory_order_release), smr_fence_seq_cst())
#endif

static inline void smr_publish_u64(_Atomic uint64_t *slot, uint64_t v)
{
    SMR_PUBLISH(slot, v);
}

static inline void smr_publish_ptr(smr_atomic_ptr *slot, void *v)
{
    SMR_PUBLISH(slot, v);
}

#endif /* SMR_FENCE_H */
