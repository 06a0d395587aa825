/* none.c - slow paths of the leaky baseline. */
#include "none.h"

const struct smr_scheme_info none_info = {
    .name = "none",
    .summary = "leaky baseline: retire only counts; everything is freed at domain destroy",
    .robust = true, /* trivially: it never frees, so a stall changes nothing */
    .reclaims = false,
    .ntunables = 0,
};

none_domain_t *none_domain_create(const struct smr_config *cfg)
{
    (void)cfg;
    none_domain_t *d = smr_record_alloc(sizeof(*d));
    smr_orphans_init(&d->orphans);
    return d;
}

none_thread_t *none_thread_register(none_domain_t *d)
{
    none_thread_t *t = (none_thread_t *)smr_records_claim(&d->threads);
    if (!t) {
        t = smr_record_alloc(sizeof(*t));
        t->domain = d;
        smr_records_push(&d->threads, &t->rec);
    }
    return t;
}

void none_thread_unregister(none_thread_t *t)
{
    smr_orphans_give(&t->domain->orphans, t->retired, t->retired_tail);
    t->retired = t->retired_tail = NULL;
    smr_records_release(&t->rec);
}

void none_flush(none_thread_t *t)
{
    (void)t;
}

void none_stats(none_domain_t *d, struct smr_stats *out)
{
    memset(out, 0, sizeof(*out));
    for (struct smr_record *r = smr_records_first(&d->threads); r; r = smr_records_next(r)) {
        smr_stats_add_counters(out, &((none_thread_t *)r)->counters);
        out->threads++;
    }
    smr_stats_add_counters(out, &d->counters);
}

void none_domain_destroy(none_domain_t *d, struct smr_stats *final)
{
    struct smr_node_base *n = smr_orphans_take(&d->orphans);
    while (n) {
        struct smr_node_base *next = n->next;
        smr_block_reclaim(n, NONE_HEADER, &d->counters);
        n = next;
    }
    if (final)
        none_stats(d, final);
    struct smr_record *r = smr_records_first(&d->threads);
    while (r) {
        struct smr_record *next = smr_records_next(r);
        free(r);
        r = next;
    }
    smr_orphans_destroy(&d->orphans);
    free(d);
}
