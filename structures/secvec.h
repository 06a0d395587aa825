/*
 * secvec.h - Dechev, Pirkelbauer and Stroustrup's lock-free dynamic array
 * ("SecVec"), written once against smr.h.
 *
 * Elements are 64-bit values in a two-level array: SECVEC_BUCKETS bucket
 * pointers, bucket b holding SECVEC_FIRST_BUCKET << b slots, allocated
 * lazily with a CAS and never freed before the vector. One shared
 * descriptor {pending write, size} is replaced by a CAS on every push_back
 * and pop_back; a push's slot write is finished by whoever sees it pending
 * (helping). Descriptors and write descriptors are what the reclamation
 * scheme protects and retires.
 *
 * Value precondition (the value-ABA problem of the paper): every value
 * written by push_back or set must be nonzero and must never have been
 * written to this vector before. A helper delayed inside a push finishes
 * the write with CAS(slot, old, new); unique values make sure that CAS
 * fails once the slot has moved past `old`. See secvec.c.
 *
 * Include after defining SMR_SCHEME: the names are mangled per scheme like
 * the stack's (secvec_push_back is secvec_push_back__hp when SMR_SCHEME=hp).
 */
#ifndef SECVEC_H
#define SECVEC_H

#include "../schemes/smr.h"

#define secvec_create SMR_MANGLE(secvec_create)
#define secvec_destroy SMR_MANGLE(secvec_destroy)
#define secvec_domain SMR_MANGLE(secvec_domain)
#define secvec_push_back SMR_MANGLE(secvec_push_back)
#define secvec_pop_back SMR_MANGLE(secvec_pop_back)
#define secvec_get SMR_MANGLE(secvec_get)
#define secvec_set SMR_MANGLE(secvec_set)
#define secvec_size SMR_MANGLE(secvec_size)
#define secvec_reserve SMR_MANGLE(secvec_reserve)

/* Hazard slots: 0 = the descriptor, 1 = the write descriptor it points to. */
#define SECVEC_SLOTS 2
#define SECVEC_BUCKETS 60
#define SECVEC_FIRST_BUCKET_SHIFT 3
#define SECVEC_FIRST_BUCKET (1u << SECVEC_FIRST_BUCKET_SHIFT) /* slots in bucket 0 */

/*
 * Where index i lives: pos = i + FIRST; h = highest set bit of pos;
 * bucket h - log2(FIRST), offset pos without that bit. i = 0..7 is bucket
 * 0, i = 8 bucket 1 offset 0, i = 24 bucket 2 offset 0, ... Returns false
 * for an index past the last bucket (i >= 2^63 - FIRST).
 */
static inline bool secvec_locate(uint64_t i, unsigned *bucket, uint64_t *offset)
{
    uint64_t pos = i + SECVEC_FIRST_BUCKET;
    if (SMR_UNLIKELY(pos < i))
        return false;
    unsigned h = 63u - (unsigned)__builtin_clzll(pos);
    if (SMR_UNLIKELY(h - SECVEC_FIRST_BUCKET_SHIFT >= SECVEC_BUCKETS))
        return false;
    *bucket = h - SECVEC_FIRST_BUCKET_SHIFT;
    *offset = pos ^ (1ull << h);
    return true;
}

struct secvec;

/* cfg may be NULL (defaults); hazard_slots is set by the vector. */
struct secvec *secvec_create(const struct smr_config *cfg);
/* Frees the last descriptor, the buckets and the domain; threads must have unregistered. */
void secvec_destroy(struct secvec *v, struct smr_stats *final);
smr_domain_t *secvec_domain(struct secvec *v);

/* Appends `value` (nonzero, never written before); returns its index. */
uint64_t secvec_push_back(struct secvec *v, smr_thread_t *t, uint64_t value);
/* Removes the last element into *value; false when empty. */
bool secvec_pop_back(struct secvec *v, smr_thread_t *t, uint64_t *value);
/* Elements, not counting a push whose slot write is still pending. */
uint64_t secvec_size(struct secvec *v, smr_thread_t *t);
/* Allocates the buckets of indices 0..n-1 now (no effect on the size). */
void secvec_reserve(struct secvec *v, uint64_t n);
/*
 * Slot i without the descriptor: false if its bucket is not allocated.
 * For i below a size returned earlier it is the latest value written there
 * (or a concurrent one); above the size, whatever the slot last held.
 */
bool secvec_get(struct secvec *v, uint64_t i, uint64_t *value);
/*
 * Overwrites slot i (false if its bucket is not allocated). Defined for
 * i below the size while no push_back or pop_back can reach index i: a set
 * racing a push at the same index can erase the pushed value, exactly as
 * in the paper.
 */
bool secvec_set(struct secvec *v, uint64_t i, uint64_t value);

#ifdef SMR_CHECKED
/*
 * Test hooks, checked builds only.
 *
 * secvec_test_fault: SECVEC_FAULT_CLEAR_CURRENT makes complete_write clear
 * the pending write of the vector's *current* descriptor (and retire it)
 * instead of the descriptor it completed: the public tutorial's bug, which
 * the tests must catch.
 */
#define secvec_test_fault SMR_MANGLE(secvec_test_fault)
#define secvec_test_push_unfinished SMR_MANGLE(secvec_test_push_unfinished)
#define secvec_test_helper_begin SMR_MANGLE(secvec_test_helper_begin)
#define secvec_test_helper_end SMR_MANGLE(secvec_test_helper_end)

enum { SECVEC_FAULT_NONE, SECVEC_FAULT_CLEAR_CURRENT };
extern _Atomic int secvec_test_fault;

/* push_back that returns once its descriptor is installed, leaving the slot write pending. */
uint64_t secvec_test_push_unfinished(struct secvec *v, smr_thread_t *t, uint64_t value);

/* A helper frozen between reading the pending write and finishing it. */
struct secvec_test_helper {
    void *desc, *write;
};
/* enter, protect the descriptor and its pending write (true if one is pending). */
bool secvec_test_helper_begin(struct secvec *v, smr_thread_t *t, struct secvec_test_helper *h);
/* Runs the frozen helper's complete_write now, then leave. */
void secvec_test_helper_end(struct secvec *v, smr_thread_t *t, struct secvec_test_helper *h);
#endif

#endif /* SECVEC_H */
