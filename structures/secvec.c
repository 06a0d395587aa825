/*
 * secvec.c - the lock-free vector of Dechev, Pirkelbauer and Stroustrup
 * against smr.h (its benchmark operations: secvec_bench.c).
 *
 * Objects and who owns them:
 *   descriptor {pending, size}   one per push_back and per pop_back. It is
 *       retired by the thread whose CAS on `desc` replaced it, once.
 *   write descriptor {old, new, location}   one per push_back. It is
 *       retired by the thread whose CAS moved its descriptor's `pending`
 *       from it to `secvec_none`, once. A descriptor is only replaced after
 *       its pending write was cleared, so a retired descriptor never owns a
 *       write descriptor: one owner per object.
 *   secvec_none   a static "no write pending" sentinel, never retired.
 *   buckets   calloc'ed, installed with a CAS, freed only by destroy: a
 *       slot address stays valid for the vector's life, so get/set and a
 *       write descriptor's `location` need no protection.
 * Descriptors built for a CAS that failed were never seen by another
 * thread: they are reused for the next attempt, and a pop that finds the
 * vector empty frees its unused one with smr_dealloc_unpublished.
 *
 * Protection: an operation protects the descriptor (slot 0), then the
 * write descriptor it points to (slot 1). protect re-validates that the
 * descriptor still points to that write, and the write is retired only
 * after it has been unlinked from that descriptor, so the usual hazard
 * argument covers it although it is reached through a node, not a root.
 * The descriptor CAS is ABA-free because a protected descriptor cannot be
 * freed and reallocated at the same address.
 *
 * The tutorial's complete_write cleared `pending` on the vector's current
 * descriptor, not on the descriptor whose write it completed: a helper
 * delayed there clears, and retires, a newer push's write before that
 * write was done, losing the pushed value. Here complete_write clears
 * `d->pending` with a CAS from `w`, on the `d` it read `w` from.
 *
 * Value ABA: a helper delayed between reading `w` and CAS(slot, old, new)
 * would rewrite a finished slot if the slot went old -> ... -> old through
 * pops and pushes or sets. The precondition that written values are
 * nonzero and unique (secvec.h) excludes that: once a slot has left `old`
 * (the zero of a fresh bucket included) it never holds `old` again, so a
 * late CAS fails. The benchmark and the tests write (writer, sequence)
 * values; tests/structures/secvec_scenarios.c shows the corruption a repeated
 * value causes.
 */
#include "secvec.h"

struct secvec_write {
    uint64_t old_value;
    uint64_t new_value;
    _Atomic uint64_t *location;
#ifdef SMR_CHECKED
    uint64_t canary;
#endif
};

struct secvec_desc {
    smr_atomic_ptr pending; /* a struct secvec_write, or &secvec_none */
    uint64_t size;          /* immutable once published */
#ifdef SMR_CHECKED
    uint64_t canary;
#endif
};

#define SECVEC_DESC_CANARY 0xde5c0de5c0de5c01ull
#define SECVEC_WRITE_CANARY 0x3717e3717e3717e1ull

/* "No write pending". Compared by address, never dereferenced nor retired. */
static struct secvec_write secvec_none;

_Static_assert(SECVEC_SLOTS <= SMR_MAX_SLOTS, "secvec needs more hazard slots than a thread has");

struct secvec {
    alignas(SMR_PAD_ALIGN) _Atomic(_Atomic uint64_t *) buckets[SECVEC_BUCKETS];
    alignas(SMR_PAD_ALIGN) smr_atomic_ptr desc;
    alignas(SMR_PAD_ALIGN) smr_domain_t *domain;
};

#ifdef SMR_CHECKED
_Atomic int secvec_test_fault;

static inline void secvec_check_desc(const struct secvec_desc *d)
{
    if (SMR_UNLIKELY(d->canary != SECVEC_DESC_CANARY))
        smr_check_failed("secvec: descriptor read after reclamation (canary)", d);
}

static inline void secvec_check_write(const struct secvec_write *w)
{
    if (SMR_UNLIKELY(w->canary != SECVEC_WRITE_CANARY))
        smr_check_failed("secvec: write descriptor read after reclamation (canary)", w);
}
#else
static inline void secvec_check_desc(const struct secvec_desc *d) { (void)d; }
static inline void secvec_check_write(const struct secvec_write *w) { (void)w; }
#endif

static struct secvec_desc *secvec_desc_new(smr_thread_t *t)
{
    struct secvec_desc *d = smr_alloc(t, sizeof(*d));
#ifdef SMR_CHECKED
    d->canary = SECVEC_DESC_CANARY;
#endif
    return d;
}

static struct secvec_write *secvec_write_new(smr_thread_t *t)
{
    struct secvec_write *w = smr_alloc(t, sizeof(*w));
#ifdef SMR_CHECKED
    w->canary = SECVEC_WRITE_CANARY;
#endif
    return w;
}

/* ---- buckets ---- */

/* The slot of index i, or NULL if its bucket is not allocated. */
static inline _Atomic uint64_t *secvec_slot(struct secvec *v, uint64_t i)
{
    unsigned b;
    uint64_t off;
    if (SMR_UNLIKELY(!secvec_locate(i, &b, &off)))
        return NULL;
    /* acquire: the bucket's zeroed contents, published by the installing CAS */
    _Atomic uint64_t *bucket = atomic_load_explicit(&v->buckets[b], memory_order_acquire);
    return bucket ? bucket + off : NULL;
}

static _Atomic uint64_t *secvec_bucket_install(struct secvec *v, unsigned b)
{
    _Atomic uint64_t *fresh = calloc((size_t)SECVEC_FIRST_BUCKET << b, sizeof(*fresh));
    if (SMR_UNLIKELY(!fresh))
        abort();
    _Atomic uint64_t *expected = NULL;
    /* release: the zeroed slots are visible to whoever loads the bucket;
       acquire on failure: we use the winner's bucket instead */
    if (atomic_compare_exchange_strong_explicit(&v->buckets[b], &expected, fresh,
                                                memory_order_acq_rel, memory_order_acquire))
        return fresh;
    free(fresh); /* never published */
    return expected;
}

/* The slot of index i, allocating its bucket if needed (push, reserve). */
static _Atomic uint64_t *secvec_slot_alloc(struct secvec *v, uint64_t i)
{
    unsigned b;
    uint64_t off;
    if (SMR_UNLIKELY(!secvec_locate(i, &b, &off)))
        abort(); /* 2^63 elements: not reachable with real memory */
    /* acquire: as in secvec_slot */
    _Atomic uint64_t *bucket = atomic_load_explicit(&v->buckets[b], memory_order_acquire);
    if (SMR_UNLIKELY(!bucket))
        bucket = secvec_bucket_install(v, b);
    return bucket + off;
}

/* ---- descriptors and helping ---- */

#ifdef SMR_CHECKED
/* The tutorial's version, for the negative control only: clears the
   current descriptor's write, whichever descriptor `w` came from. */
static void secvec_clear_current_faulty(struct secvec *v, smr_thread_t *t)
{
    /* slot 1 is free again: the caller is done with w */
    struct secvec_desc *cur = smr_protect(t, 1, &v->desc);
    secvec_check_desc(cur);
    void *old = atomic_exchange_explicit(&cur->pending, &secvec_none, memory_order_acq_rel);
    if (old != &secvec_none)
        smr_retire(t, old, NULL, NULL);
}
#endif

/*
 * Finish the write w that descriptor d points to (both protected by the
 * caller): write the slot unless someone did, then unlink w from d; the
 * thread whose CAS unlinks it retires it.
 */
static inline void secvec_complete_write(struct secvec *v, smr_thread_t *t,
                                         struct secvec_desc *d, struct secvec_write *w)
{
    (void)v;
    if (w == &secvec_none)
        return;
    smr_test_window(); /* between protecting w and reading it */
    secvec_check_write(w);
    _Atomic uint64_t *slot = w->location;
    uint64_t expected = w->old_value, value = w->new_value;
    smr_test_window(); /* a helper delayed before the slot CAS: the value-ABA window */
    /* release: a reader that acquires the slot sees what the pusher wrote
       before pushing. Failure (someone wrote it) needs no ordering: the
       pending CAS below orders what follows. */
    (void)atomic_compare_exchange_strong_explicit(slot, &expected, value, memory_order_release,
                                                  memory_order_relaxed);
    smr_test_window(); /* a helper delayed between the slot write and the clear */
#ifdef SMR_CHECKED
    if (SMR_UNLIKELY(atomic_load_explicit(&secvec_test_fault, memory_order_relaxed) ==
                     SECVEC_FAULT_CLEAR_CURRENT)) {
        secvec_clear_current_faulty(v, t);
        return;
    }
#endif
    void *pending = w;
    /* release on success: the slot write happens before whatever a thread
       that reads NONE here does next (it may replace d); the acquire half
       only makes the failure order legal. Acquire on failure: we read the
       NONE of the thread that unlinked w, and so see its slot write. */
    if (atomic_compare_exchange_strong_explicit(&d->pending, &pending, &secvec_none,
                                                memory_order_acq_rel, memory_order_acquire))
        smr_retire_after_rmw(t, w, NULL, NULL); /* ours alone: nobody else can unlink w from d */
}

/* Protect the current descriptor (slot 0) and its pending write (slot 1), and finish that write. */
static inline struct secvec_desc *secvec_help(struct secvec *v, smr_thread_t *t)
{
    struct secvec_desc *d = smr_protect(t, 0, &v->desc);
    secvec_check_desc(d);
    smr_test_window(); /* between reading the descriptor and protecting its write */
    /* protect re-validates that d still points to w: w is retired only after
       it left d, so a w seen there after our hazard is published is safe */
    struct secvec_write *w = smr_protect(t, 1, &d->pending);
    secvec_check_desc(d);
    secvec_complete_write(v, t, d, w);
    return d;
}

static inline uint64_t secvec_push_impl(struct secvec *v, smr_thread_t *t, uint64_t value,
                                        bool finish)
{
    /* Allocated once, reused for every attempt: a failed CAS published nothing. */
    struct secvec_desc *nd = secvec_desc_new(t);
    struct secvec_write *nw = secvec_write_new(t);
    smr_enter(t);
    for (;;) {
        struct secvec_desc *d = secvec_help(v, t);
        secvec_check_desc(d); /* still protected after helping */
        uint64_t size = d->size;
        _Atomic uint64_t *slot = secvec_slot_alloc(v, size);
        nw->location = slot;
        /* relaxed: the slot's last write happens before our acquire of d (the
           descriptor chain), and nothing else writes it while d is current */
        nw->old_value = atomic_load_explicit(slot, memory_order_relaxed);
        nw->new_value = value;
        atomic_store_explicit(&nd->pending, nw, memory_order_relaxed); /* published by the CAS */
        nd->size = size + 1;
        void *expected = d;
        smr_test_window(); /* between reading the descriptor and replacing it */
        /* release: nd and nw are initialised for whoever acquires nd (we
           acquired d through protect already) */
        if (atomic_compare_exchange_strong_explicit(&v->desc, &expected, nd,
                                                    memory_order_release, memory_order_relaxed)) {
            smr_retire_after_rmw(t, d, NULL, NULL); /* our CAS replaced it; d->pending is NONE */
            if (finish) {
                /* nd and nw are shared now: another thread may finish nw,
                   replace nd and retire both, so protect before touching
                   them. If desc has moved on, nd's write is finished (a
                   descriptor is replaced only after its write). Should nd
                   have been freed and its address reused, cur is another
                   descriptor, protected, and helping it is just as correct. */
                struct secvec_desc *cur = smr_protect(t, 0, &v->desc);
                if (cur == nd) {
                    secvec_check_desc(cur);
                    secvec_complete_write(v, t, cur, smr_protect(t, 1, &cur->pending));
                }
            }
            smr_leave(t);
            return size;
        }
    }
}

uint64_t secvec_push_back(struct secvec *v, smr_thread_t *t, uint64_t value)
{
    return secvec_push_impl(v, t, value, true);
}

bool secvec_pop_back(struct secvec *v, smr_thread_t *t, uint64_t *value)
{
    struct secvec_desc *nd = NULL;
    smr_enter(t);
    for (;;) {
        struct secvec_desc *d = secvec_help(v, t);
        secvec_check_desc(d); /* still protected after helping */
        uint64_t size = d->size;
        if (size == 0) {
            smr_leave(t);
            if (nd)
                smr_dealloc_unpublished(t, nd);
            return false;
        }
        /* relaxed: d's write is finished (secvec_help), and the last write to
           this slot happens before our acquire of d's pending (or we read it) */
        uint64_t top = atomic_load_explicit(secvec_slot(v, size - 1), memory_order_relaxed);
        if (!nd)
            nd = secvec_desc_new(t);
        atomic_store_explicit(&nd->pending, &secvec_none, memory_order_relaxed);
        nd->size = size - 1;
        void *expected = d;
        smr_test_window(); /* between reading the descriptor and replacing it */
        /* release: as in push */
        if (atomic_compare_exchange_strong_explicit(&v->desc, &expected, nd,
                                                    memory_order_release, memory_order_relaxed)) {
            smr_retire_after_rmw(t, d, NULL, NULL); /* our CAS replaced it */
            smr_leave(t);
            *value = top;
            return true;
        }
    }
}

uint64_t secvec_size(struct secvec *v, smr_thread_t *t)
{
    smr_enter(t);
    struct secvec_desc *d = smr_protect(t, 0, &v->desc);
    secvec_check_desc(d);
    uint64_t size = d->size;
    /* acquire: NONE here means the push's slot write happens before our
       later gets, so indices below the result hold written values. The
       write descriptor is only compared, never dereferenced: no slot. */
    if (atomic_load_explicit(&d->pending, memory_order_acquire) != &secvec_none)
        size--;
    smr_leave(t);
    return size;
}

void secvec_reserve(struct secvec *v, uint64_t n)
{
    unsigned last;
    uint64_t off;
    if (n == 0)
        return;
    if (!secvec_locate(n - 1, &last, &off))
        abort();
    for (unsigned b = 0; b <= last; b++)
        /* acquire: as in secvec_slot */
        if (!atomic_load_explicit(&v->buckets[b], memory_order_acquire))
            (void)secvec_bucket_install(v, b);
}

bool secvec_get(struct secvec *v, uint64_t i, uint64_t *value)
{
    _Atomic uint64_t *slot = secvec_slot(v, i);
    if (!slot)
        return false;
    /* acquire: pairs with set's release store (and the push's slot CAS) */
    *value = atomic_load_explicit(slot, memory_order_acquire);
    return true;
}

bool secvec_set(struct secvec *v, uint64_t i, uint64_t value)
{
    _Atomic uint64_t *slot = secvec_slot(v, i);
    if (!slot)
        return false;
    /* release: a get that reads the value sees what the setter wrote before */
    atomic_store_explicit(slot, value, memory_order_release);
    return true;
}

/* ---- life cycle ---- */

struct secvec *secvec_create(const struct smr_config *cfg)
{
    struct secvec *v = smr_record_alloc(sizeof(*v)); /* zeroed: every bucket NULL */
    struct smr_config c = cfg ? *cfg : (struct smr_config){0};
    c.hazard_slots = SECVEC_SLOTS;
    v->domain = smr_domain_create(&c);
    smr_thread_t *t = smr_thread_register(v->domain);
    struct secvec_desc *d = secvec_desc_new(t);
    atomic_init(&d->pending, &secvec_none);
    d->size = 0;
    /* other threads get v through thread creation, which orders this store */
    atomic_init(&v->desc, d);
    smr_thread_unregister(t);
    return v;
}

smr_domain_t *secvec_domain(struct secvec *v)
{
    return v->domain;
}

void secvec_destroy(struct secvec *v, struct smr_stats *final)
{
    /* No thread is left. The current descriptor was never retired, and its
       write was finished by the push that installed it. */
    smr_thread_t *t = smr_thread_register(v->domain);
    struct secvec_desc *d = atomic_load_explicit(&v->desc, memory_order_acquire);
    secvec_check_desc(d);
    struct secvec_write *w = atomic_load_explicit(&d->pending, memory_order_acquire);
    if (w != &secvec_none) /* only after secvec_test_push_unfinished */
        smr_dealloc_unpublished(t, w);
    smr_dealloc_unpublished(t, d);
    smr_thread_unregister(t);
    smr_domain_destroy(v->domain, final);
    for (unsigned b = 0; b < SECVEC_BUCKETS; b++)
        free(atomic_load_explicit(&v->buckets[b], memory_order_relaxed));
    free(v);
}

#ifdef SMR_CHECKED
uint64_t secvec_test_push_unfinished(struct secvec *v, smr_thread_t *t, uint64_t value)
{
    return secvec_push_impl(v, t, value, false);
}

bool secvec_test_helper_begin(struct secvec *v, smr_thread_t *t, struct secvec_test_helper *h)
{
    smr_enter(t);
    struct secvec_desc *d = smr_protect(t, 0, &v->desc);
    secvec_check_desc(d);
    h->desc = d;
    h->write = smr_protect(t, 1, &d->pending);
    return h->write != &secvec_none;
}

void secvec_test_helper_end(struct secvec *v, smr_thread_t *t, struct secvec_test_helper *h)
{
    secvec_check_desc(h->desc);
    secvec_complete_write(v, t, h->desc, h->write);
    smr_leave(t);
}
#endif
