/* none.c - slow paths of the leaky baseline. */
#include "none.h"

const struct smr_scheme_info none_info = {
    .name = "none",
    .summary = "leaky baseline: retire only counts; everything is freed at domain destroy",
    /* Not robust: its garbage is unbounded (a stall changes nothing, but
       nothing is freed without one either). */
    .robust = false,
    .reclaims = false,
    .guarantee = "unbounded: every retired node stays until the domain is destroyed",
    .ntunables = 0,
};

none_domain_t *none_domain_create(const struct smr_config *cfg)
{
    (void)smr_config_slots(cfg, 1, none_info.name); /* checked; protect ignores slots */
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
    smr_stats_collect(out, &d->threads, offsetof(none_thread_t, counters), &d->counters);
}

void none_domain_destroy(none_domain_t *d, struct smr_stats *final)
{
    smr_records_check_unused(&d->threads, none_info.name);
    smr_reclaim_chain(smr_orphans_take(&d->orphans), NONE_HEADER, &d->counters);
    if (final)
        none_stats(d, final);
    smr_records_free_all(&d->threads, NULL);
    smr_orphans_destroy(&d->orphans);
    free(d);
}
