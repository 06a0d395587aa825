/*
 * smr_config.h - what a domain is configured with and what a scheme says
 * about itself: smr_config, smr_scheme_info and its tunables, thresholds
 * that grow with the registered threads, and the saturating arithmetic of
 * garbage bounds.
 */
#ifndef SMR_CONFIG_H
#define SMR_CONFIG_H

#include "smr_base.h"

/* Garbage bounds' arithmetic: saturates at UINT64_MAX ("no bound") instead
   of wrapping. */
static inline uint64_t smr_sat_mul(uint64_t a, uint64_t b)
{
    return (b && a > UINT64_MAX / b) ? UINT64_MAX : a * b;
}

static inline uint64_t smr_sat_add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* What `smrbench list` prints and what the harness uses to validate tunables. */
struct smr_tunable {
    const char *name;
    long def, min, max;
    const char *help;
};

struct smr_config;

struct smr_scheme_info {
    const char *name;           /* CLI name, e.g. "hp" */
    const char *summary;        /* one line */
    bool robust;                /* garbage stays bounded while a thread stalls in an operation */
    bool reclaims;              /* false only for the leaky baseline */
    /* protect's `slot` selects one of the thread's hazard_slots slots (hp,
       hp-asym, he, ibr, ck-hp); the other schemes ignore it. */
    bool uses_slots;
    unsigned ntunables;
    struct smr_tunable tunables[SMR_MAX_TUNABLES];
    /* Robust schemes: the most retired-but-unreclaimed nodes a domain may
       hold, whatever the run length, with `threads` registered threads, one
       of them stalled inside an operation, under `cfg`. The stall test
       asserts it. UINT64_MAX where the configuration gives no bound (era
       schemes without cfg->max_live, ibr with several slots). NULL for
       schemes with no such bound (ebr, qsbr, ...). */
    uint64_t (*garbage_bound)(const struct smr_config *cfg, unsigned threads);
    /* What the scheme guarantees about its garbage, in one line: the bound
       as a formula of threads, slots and thresholds, or "unbounded" and
       when (printed by `smrbench list`, kept in step with docs/schemes.md). */
    const char *guarantee;
    /* The values its thresholds and periods take with `threads` registered
       threads under `cfg` ("R=256 era_period=512"), written to buf; NULL
       for schemes with none. `smrbench list` and run.json show them. */
    void (*effective)(const struct smr_config *cfg, unsigned threads, char *buf, size_t len);
    /* A line about how the scheme runs on this machine (e.g. hp-asym's
       membarrier or its fallback), printed by `smrbench list`; NULL if none. */
    const char *(*runtime_note)(void);
    /* NULL for a scheme of smr.h, which serves every structure. Otherwise
       the one structure this grace-period provider is native to (dbmap's
       reader epochs, "dbmap"): listed with the schemes, valid only there. */
    const char *only_structure;
};

struct smr_config {
    unsigned max_threads;       /* expected threads (sizing hint, not a limit) */
    unsigned hazard_slots;      /* slots per thread the structure uses (<= SMR_MAX_SLOTS) */
    long tune[SMR_MAX_TUNABLES];/* by index in smr_scheme_info.tunables; 0 = default */
    /* The most nodes allocated and not yet retired at any one moment (the
       structure's contents plus nodes in flight), 0 = unknown. Only
       garbage_bound reads it: a thread stalled at era e pins every node
       alive at e, so era-based schemes' bounds grow with it. */
    uint64_t max_live;
};

static inline long smr_config_tunable(const struct smr_config *cfg,
                                      const struct smr_scheme_info *info, unsigned i)
{
    long v = cfg ? cfg->tune[i] : 0;
    return v ? v : info->tunables[i].def;
}

/*
 * Domain creation's check of the configuration, in every build: more
 * hazard slots than a thread record has (SMR_MAX_SLOTS) is a structure's
 * bug that protect would turn into writes past the record, so it stops the
 * program with one line naming the scheme and both numbers, never clamps.
 * Returns the slot count: cfg->hazard_slots, or `def` when it is 0.
 */
unsigned smr_config_slots(const struct smr_config *cfg, unsigned def, const char *scheme);

/*
 * Slow-path periods that grow with the registered threads. A slow path
 * that walks every thread record (an epoch advance, a grace-period check,
 * a hazard scan) run once per `floor` retires costs O(T) per `floor`
 * retires: O(T) per retire, O(T^2) for the whole machine. Run once per
 * max(floor, per_thread x T) retires instead, it costs O(1) per retire.
 * `tuned` (the tunable, 0 = automatic) fixes the value when the user set
 * one. `threads` is what the domain's record count says at the time.
 */
static inline unsigned long smr_scaled(long tuned, unsigned long floor, unsigned long per_thread,
                                       unsigned long threads)
{
    if (tuned > 0)
        return (unsigned long)tuned;
    return per_thread * threads > floor ? per_thread * threads : floor;
}

#endif /* SMR_CONFIG_H */
