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
    smr_domain_base_init(&d->base, none_info.name, NONE_HEADER, sizeof(none_thread_t),
                         offsetof(none_thread_t, counters));
    return d;
}

static void none_thread_init(struct smr_record *r, void *domain)
{
    ((none_thread_t *)r)->domain = domain;
}

none_thread_t *none_thread_register(none_domain_t *d)
{
    return (none_thread_t *)smr_domain_base_register(&d->base, none_thread_init, d);
}

void none_thread_unregister(none_thread_t *t)
{
    smr_orphans_give(&t->domain->base.orphans, t->retired, t->retired_tail);
    t->retired = t->retired_tail = NULL;
    smr_records_release(&t->rec);
}

void none_stats(none_domain_t *d, struct smr_stats *out)
{
    smr_domain_base_stats(&d->base, out);
}

void none_domain_destroy(none_domain_t *d, struct smr_stats *final)
{
    smr_domain_base_teardown(&d->base);
    if (final)
        none_stats(d, final);
    smr_domain_base_free(&d->base, NULL);
    free(d);
}
