/*
 * smr_records.h - thread records, the orphan list of unregistered threads,
 * and the domain base that gathers them with the domain's counters: the
 * lifecycle (register, stats, destroy) every scheme shares.
 */
#ifndef SMR_RECORDS_H
#define SMR_RECORDS_H

#include <pthread.h>

#include "smr_node.h"

/* Thread records the domain has created (the most registered at once): what
   smr_scaled reads in slow paths. relaxed: a sizing hint, it orders nothing. */
#define smr_records_count(l) atomic_load_explicit(&(l)->count, memory_order_relaxed)

/*
 * Thread records: each scheme's per-thread struct begins with this. Records
 * are pushed once onto a domain-wide list, never unlinked before the domain
 * is destroyed, and reused after their thread unregisters, so scanners walk
 * the list without locks.
 */
struct smr_record {
    struct smr_record *_Atomic next;
    _Atomic int in_use;
};

struct smr_record_list {
    struct smr_record *_Atomic head;
    _Atomic unsigned count;     /* records ever pushed */
};

/* Claim a record whose thread unregistered, or NULL. */
struct smr_record *smr_records_claim(struct smr_record_list *l);
/* Publish a new record (marked in use). */
void smr_records_push(struct smr_record_list *l, struct smr_record *r);
/* Mark a record free for reuse; everything its thread wrote happens before the next claim. */
void smr_records_release(struct smr_record *r);

static inline struct smr_record *smr_records_first(struct smr_record_list *l)
{
    /* acquire: the record's initialisation happens before we read it */
    return atomic_load_explicit(&l->head, memory_order_acquire);
}

static inline struct smr_record *smr_records_next(struct smr_record *r)
{
    return atomic_load_explicit(&r->next, memory_order_acquire);
}

/* A scheme's stats: the counters of every record of `threads` (each
   `counters_offset` bytes into its thread struct, which begins with the
   record) plus the domain's own `domain` counters. */
void smr_stats_collect(struct smr_stats *out, struct smr_record_list *threads,
                       size_t counters_offset, struct smr_counters *domain);
/* Domain destroy: free every record of the list; `free_scratch` (may be
   NULL) first frees what a thread struct owns besides itself. */
void smr_records_free_all(struct smr_record_list *l, void (*free_scratch)(struct smr_record *r));
/* Domain destroy, first thing, in every build: a record still in use means a
   thread is still registered and may be inside an operation, so freeing
   records and retired nodes would pull memory from under it. Stops the
   program with one line naming the scheme and the count. */
void smr_records_check_unused(struct smr_record_list *l, const char *scheme);

/* Allocate a zeroed, SMR_PAD_ALIGN-aligned record of `size` bytes (aborts on OOM). */
void *smr_record_alloc(size_t size);

/* A lock-protected list of nodes left by unregistered threads (slow path only). */
struct smr_orphans {
    pthread_mutex_t lock;
    struct smr_node_base *head;
    _Atomic int nonempty;       /* cheap check before taking the lock */
};

void smr_orphans_init(struct smr_orphans *o);
void smr_orphans_destroy(struct smr_orphans *o);
/* Append a chain (head..tail) of retired nodes. */
void smr_orphans_give(struct smr_orphans *o, struct smr_node_base *head,
                      struct smr_node_base *tail);
/* Take every orphan; returns the chain (NULL if none). */
struct smr_node_base *smr_orphans_take(struct smr_orphans *o);

/*
 * The domain base: what every scheme's domain holds whatever its algorithm
 * (its thread records, the orphans of unregistered threads, the counters of
 * the frees the domain does itself) and the lifecycle around them. A
 * scheme's domain embeds it as `base`; its thread struct begins with its
 * struct smr_record and keeps a struct smr_counters `counters_offset` bytes
 * in. Slow paths only: register, stats, destroy.
 */
struct smr_domain_base {
    alignas(SMR_PAD_ALIGN) struct smr_record_list threads;
    struct smr_orphans orphans;
    struct smr_counters counters;   /* frees done by the domain (destroy) */
    const char *scheme;             /* names the scheme in messages */
    size_t header;                  /* the scheme's node header: frees orphans at destroy */
    size_t counters_offset;         /* where a thread struct keeps its counters */
    size_t thread_size;             /* sizeof the scheme's thread struct */
};

void smr_domain_base_init(struct smr_domain_base *b, const char *scheme, size_t header,
                          size_t thread_size, size_t counters_offset);
/* A thread record for a registering thread: one whose thread unregistered
   (claimed, with everything it holds), or a new zeroed one that `init`
   (may be NULL) fills in before it is published to scanners. */
struct smr_record *smr_domain_base_register(struct smr_domain_base *b,
                                            void (*init)(struct smr_record *r, void *domain),
                                            void *domain);
/* Sums of every thread's counters and the domain's; epoch left 0. */
void smr_domain_base_stats(struct smr_domain_base *b, struct smr_stats *out);
/* Destroy, first half: refuse (every build) if a thread is still
   registered, then free the orphans. The scheme then frees what it holds
   itself and takes its final statistics. */
void smr_domain_base_teardown(struct smr_domain_base *b);
/* Destroy, second half: free every record (`free_scratch`, may be NULL,
   first frees what a thread struct owns besides itself) and the orphan
   list's lock. The domain's own memory is the scheme's to free. */
void smr_domain_base_free(struct smr_domain_base *b, void (*free_scratch)(struct smr_record *r));

#endif /* SMR_RECORDS_H */
