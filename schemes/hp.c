/* hp.c - slow paths of hazard pointers: scan (hp_core.h), orphans, teardown. */
#include "hp_core.h"

#include <stdio.h>

enum { HP_TUNE_R };

static uint64_t hp_garbage_bound(const struct smr_config *cfg, unsigned threads);
static void hp_effective(const struct smr_config *cfg, unsigned threads, char *buf, size_t len);

const struct smr_scheme_info hp_info = {
    .name = "hp",
    .summary = "Michael's hazard pointers: publish + fence + re-validate; sorted-snapshot scans",
    .robust = true,
    .reclaims = true,
    .uses_slots = true,
    .guarantee = "<= (T + 1)(R + H) with T threads and H = slots x T hazards; R = max(64, 2H) "
                 "or the tunable",
    .ntunables = 1,
    .tunables = {
        {"R", 0, 0, 1 << 24, "retired nodes per thread before a scan; 0 = max(64, 2 x slots x threads)"},
    },
    .garbage_bound = hp_garbage_bound,
    .effective = hp_effective,
};

/* R with `threads` registered threads: the tunable, or max(floor, 2 x H). */
static uint64_t hp_r(const struct smr_config *cfg, unsigned threads, uint64_t floor)
{
    uint64_t slots = cfg && cfg->hazard_slots ? cfg->hazard_slots : HP_DEFAULT_SLOTS;
    return smr_scaled(cfg ? cfg->tune[HP_TUNE_R] : 0, floor, 2 * slots, threads);
}

void hp_effective_floor(const struct smr_config *cfg, unsigned threads, uint64_t floor, char *buf,
                        size_t len)
{
    snprintf(buf, len, "R=%llu", (unsigned long long)hp_r(cfg, threads, floor));
}

static void hp_effective(const struct smr_config *cfg, unsigned threads, char *buf, size_t len)
{
    hp_effective_floor(cfg, threads, HP_AUTO_R_FLOOR, buf, len);
}

/* A scan keeps at most H = slots x threads nodes (those hazards point to)
   and the next one starts at R + kept, so a thread never holds more than
   R + H; the orphans of an unregistered thread are one such list, adopted
   by the next scan. */
uint64_t hp_garbage_bound_floor(const struct smr_config *cfg, unsigned threads, uint64_t floor)
{
    uint64_t slots = cfg && cfg->hazard_slots ? cfg->hazard_slots : HP_DEFAULT_SLOTS;
    uint64_t h = slots * threads;
    return (threads + 1) * (hp_r(cfg, threads, floor) + h);
}

static uint64_t hp_garbage_bound(const struct smr_config *cfg, unsigned threads)
{
    return hp_garbage_bound_floor(cfg, threads, HP_AUTO_R_FLOOR);
}

hp_domain_t *hp_domain_create(const struct smr_config *cfg)
{
    return hp_domain_new(cfg, &hp_info);
}

hp_domain_t *hp_domain_new(const struct smr_config *cfg, const struct smr_scheme_info *info)
{
    unsigned nslots = smr_config_slots(cfg, HP_DEFAULT_SLOTS, info->name);
    hp_domain_t *d = smr_record_alloc(sizeof(*d));
    d->info = info;
    d->nslots = nslots;
    d->fixed_threshold = cfg ? cfg->tune[HP_TUNE_R] : 0;
    d->auto_r_floor = HP_AUTO_R_FLOOR;
    smr_domain_base_init(&d->base, info->name, HP_HEADER, sizeof(hp_thread_t),
                         offsetof(hp_thread_t, counters));
    return d;
}

static void hp_thread_init(struct smr_record *r, void *domain)
{
    hp_thread_t *t = (hp_thread_t *)r;
    t->domain = domain;
    t->nslots = t->domain->nslots;
}

hp_thread_t *hp_thread_register(hp_domain_t *d)
{
    hp_thread_t *t = (hp_thread_t *)smr_domain_base_register(&d->base, hp_thread_init, d);
    t->asym = d->asym;
    t->threshold = hp_threshold(d);
    return t;
}

void hp_scan(hp_thread_t *t)
{
    hp_core_scan(t, false);
}

void hp_flush(hp_thread_t *t)
{
    hp_scan(t);
}

void hp_thread_unregister(hp_thread_t *t)
{
    hp_core_unregister(t, false);
}

void hp_stats(hp_domain_t *d, struct smr_stats *out)
{
    smr_domain_base_stats(&d->base, out);
}

static void hp_free_scratch(struct smr_record *r)
{
    free(((hp_thread_t *)r)->snapshot);
}

void hp_domain_destroy(hp_domain_t *d, struct smr_stats *final)
{
    smr_domain_base_teardown(&d->base);
    if (final)
        hp_stats(d, final);
    smr_domain_base_free(&d->base, hp_free_scratch);
    free(d);
}
