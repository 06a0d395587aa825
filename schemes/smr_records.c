/* smr_records.c - thread records, orphans and the domain base (slow paths). */
#include "smr_records.h"

#include <stdio.h>

void smr_records_check_unused(struct smr_record_list *l, const char *scheme)
{
    unsigned registered = 0;
    for (struct smr_record *r = smr_records_first(l); r; r = smr_records_next(r))
        /* relaxed: the caller's join (or lock) ordered every unregister before us;
           a record still in use is a bug however it is read */
        registered += atomic_load_explicit(&r->in_use, memory_order_relaxed) != 0;
    if (registered) {
        fprintf(stderr, "smr: %s: domain destroyed with %u thread(s) still registered; "
                "unregister every thread first\n", scheme, registered);
        abort();
    }
}

void smr_stats_collect(struct smr_stats *out, struct smr_record_list *threads,
                       size_t counters_offset, struct smr_counters *domain)
{
    memset(out, 0, sizeof(*out));
    for (struct smr_record *r = smr_records_first(threads); r; r = smr_records_next(r)) {
        smr_stats_add_counters(out, (struct smr_counters *)((char *)r + counters_offset));
        out->threads++;
    }
    smr_stats_add_counters(out, domain);
}

void smr_records_free_all(struct smr_record_list *l, void (*free_scratch)(struct smr_record *r))
{
    struct smr_record *r = smr_records_first(l);
    while (r) {
        struct smr_record *next = smr_records_next(r);
        if (free_scratch)
            free_scratch(r);
        free(r);
        r = next;
    }
}

void *smr_record_alloc(size_t size)
{
    size_t rounded = (size + SMR_PAD_ALIGN - 1) / SMR_PAD_ALIGN * SMR_PAD_ALIGN;
    void *r = aligned_alloc(SMR_PAD_ALIGN, rounded);
    if (!r)
        abort();
    memset(r, 0, rounded);
    return r;
}

struct smr_record *smr_records_claim(struct smr_record_list *l)
{
    for (struct smr_record *r = smr_records_first(l); r; r = smr_records_next(r)) {
        int free_flag = 0;
        /* acquire: see everything the previous owner did before releasing it */
        if (atomic_load_explicit(&r->in_use, memory_order_relaxed) == 0 &&
            atomic_compare_exchange_strong_explicit(&r->in_use, &free_flag, 1,
                                                    memory_order_acquire,
                                                    memory_order_relaxed))
            return r;
    }
    return NULL;
}

void smr_records_push(struct smr_record_list *l, struct smr_record *r)
{
    atomic_store_explicit(&r->in_use, 1, memory_order_relaxed);
    struct smr_record *head = atomic_load_explicit(&l->head, memory_order_relaxed);
    do {
        atomic_store_explicit(&r->next, head, memory_order_relaxed);
        /* release: scanners that find r see it initialised */
    } while (!atomic_compare_exchange_weak_explicit(&l->head, &head, r, memory_order_release,
                                                    memory_order_relaxed));
    atomic_fetch_add_explicit(&l->count, 1, memory_order_relaxed);
}

void smr_records_release(struct smr_record *r)
{
    atomic_store_explicit(&r->in_use, 0, memory_order_release);
}

void smr_orphans_init(struct smr_orphans *o)
{
    pthread_mutex_init(&o->lock, NULL);
    o->head = NULL;
    atomic_store_explicit(&o->nonempty, 0, memory_order_relaxed);
}

void smr_orphans_destroy(struct smr_orphans *o)
{
    pthread_mutex_destroy(&o->lock);
}

void smr_orphans_give(struct smr_orphans *o, struct smr_node_base *head,
                      struct smr_node_base *tail)
{
    if (!head)
        return;
    pthread_mutex_lock(&o->lock);
    tail->next = o->head;
    o->head = head;
    atomic_store_explicit(&o->nonempty, 1, memory_order_relaxed);
    pthread_mutex_unlock(&o->lock);
}

struct smr_node_base *smr_orphans_take(struct smr_orphans *o)
{
    if (!atomic_load_explicit(&o->nonempty, memory_order_relaxed))
        return NULL;
    pthread_mutex_lock(&o->lock);
    struct smr_node_base *h = o->head;
    o->head = NULL;
    atomic_store_explicit(&o->nonempty, 0, memory_order_relaxed);
    pthread_mutex_unlock(&o->lock);
    return h;
}

void smr_domain_base_init(struct smr_domain_base *b, const char *scheme, size_t header,
                          size_t thread_size, size_t counters_offset)
{
    smr_orphans_init(&b->orphans);
    b->scheme = scheme;
    b->header = header;
    b->thread_size = thread_size;
    b->counters_offset = counters_offset;
}

struct smr_record *smr_domain_base_register(struct smr_domain_base *b,
                                            void (*init)(struct smr_record *r, void *domain),
                                            void *domain)
{
    struct smr_record *r = smr_records_claim(&b->threads);
    if (r)
        return r;
    r = smr_record_alloc(b->thread_size);
    if (init)
        init(r, domain);
    smr_records_push(&b->threads, r); /* release: scanners see init's writes */
    return r;
}

void smr_domain_base_stats(struct smr_domain_base *b, struct smr_stats *out)
{
    smr_stats_collect(out, &b->threads, b->counters_offset, &b->counters);
}

void smr_domain_base_teardown(struct smr_domain_base *b)
{
    smr_records_check_unused(&b->threads, b->scheme);
    smr_reclaim_chain(smr_orphans_take(&b->orphans), b->header, &b->counters);
}

void smr_domain_base_free(struct smr_domain_base *b, void (*free_scratch)(struct smr_record *r))
{
    smr_records_free_all(&b->threads, free_scratch);
    smr_orphans_destroy(&b->orphans);
}
