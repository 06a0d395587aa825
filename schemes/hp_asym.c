/* hp_asym.c - slow paths of hp-asym: choosing the mode, the scan with membarrier. */
#include "hp_asym.h"

#include <stdio.h>

#include "hp_core.h"
#include "smr_membarrier.h"

static const char *hp_asym_note(void);
static uint64_t hp_asym_garbage_bound(const struct smr_config *cfg, unsigned threads);
static void hp_asym_effective(const struct smr_config *cfg, unsigned threads, char *buf,
                              size_t len);

/*
 * The floor of the automatic R: each scan pays one membarrier, a system
 * call that interrupts every CPU running our threads (4..8 us measured in
 * this project's 2-vCPU VM, 1..2 us is usual on bare metal). hp's floor of
 * 64 would add ~100 ns to every retire, more than a stack operation costs;
 * 1024 brings it under ~8 ns, for a larger but still bounded garbage. The
 * fallback mode keeps it, so the two modes differ only in their fences.
 */
#define HP_ASYM_AUTO_R_FLOOR 1024

const struct smr_scheme_info hp_asym_info = {
    .name = "hp-asym",
    .summary = "hazard pointers with an asymmetric fence: protect has a compiler barrier only, "
               "scans issue membarrier(2); hp's full fence where that is unavailable",
    .robust = true,
    .reclaims = true,
    .uses_slots = true,
    .guarantee = "<= (T + 1)(R + H) with T threads and H = slots x T hazards; R = max(1024, 2H) "
                 "or the tunable",
    .ntunables = 1,
    .tunables = {
        {"R", 0, 0, 1 << 24,
         "retired nodes per thread before a scan (one membarrier each); "
         "0 = max(1024, 2 x slots x threads)"},
    },
    .garbage_bound = hp_asym_garbage_bound,
    .effective = hp_asym_effective,
    .runtime_note = hp_asym_note,
};

static void hp_asym_effective(const struct smr_config *cfg, unsigned threads, char *buf,
                              size_t len)
{
    hp_effective_floor(cfg, threads, HP_ASYM_AUTO_R_FLOOR, buf, len);
}

/* hp's bound (the same lists and scans) with hp-asym's floor for R. */
static uint64_t hp_asym_garbage_bound(const struct smr_config *cfg, unsigned threads)
{
    return hp_garbage_bound_floor(cfg, threads, HP_ASYM_AUTO_R_FLOOR);
}

/* Why a domain is created in fallback mode, or NULL when membarrier serves. */
static const char *hp_asym_fallback_reason(char *buf, size_t len)
{
    const char *force = getenv("SMR_HP_ASYM_FALLBACK");
    if (force && *force && strcmp(force, "0") != 0)
        return "forced by SMR_HP_ASYM_FALLBACK";
    int err = smr_membarrier_setup();
    if (!err)
        return NULL;
    snprintf(buf, len, "membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) unavailable: %s",
             strerror(err));
    return buf;
}

static const char *hp_asym_note(void)
{
    static char note[160];
    char why[112];
    const char *reason = hp_asym_fallback_reason(why, sizeof why);
    if (!reason)
        return "membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) available: protect uses a compiler "
               "barrier only";
    snprintf(note, sizeof note, "%s: falls back to hp (full barrier in protect)", reason);
    return note;
}

hp_asym_domain_t *hp_asym_domain_create(const struct smr_config *cfg)
{
    hp_domain_t *d = hp_domain_new(cfg, &hp_asym_info);
    d->auto_r_floor = HP_ASYM_AUTO_R_FLOOR; /* before any thread registers */
    char why[112];
    const char *reason = hp_asym_fallback_reason(why, sizeof why);
    /* Decided once, before any thread registers: every thread of a domain
       uses the same protect, matching the domain's scan barrier. */
    d->asym = reason == NULL;
    if (reason) {
        static _Atomic int said;
        if (!atomic_exchange_explicit(&said, 1, memory_order_relaxed))
            fprintf(stderr, "smrbench: hp-asym: %s; protect falls back to hp's full barrier\n",
                    reason);
    }
    return d;
}

hp_asym_thread_t *hp_asym_thread_register(hp_asym_domain_t *d)
{
    return hp_thread_register(d); /* copies d->asym into the record */
}

void hp_asym_scan(hp_asym_thread_t *t)
{
    hp_core_scan(t, true);
}

void hp_asym_flush(hp_asym_thread_t *t)
{
    hp_asym_scan(t);
}

void hp_asym_thread_unregister(hp_asym_thread_t *t)
{
    hp_core_unregister(t, true);
}
