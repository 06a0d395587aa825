/* Thread-pinning plans for benchmark threads (hwloc 2.x). */
#include "pin.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if HWLOC_API_VERSION < 0x00020000
#error "pin.c needs hwloc 2.x"
#endif

/* Bounds keep a typo like "0-99999999" from allocating gigabytes; Linux caps CPUs far below this. */
#define PIN_MAX_OS_INDEX 65535
#define PIN_MAX_ENTRIES 65536

#define PIN_ALLOWED_HINT "allowed: compact, scatter, none, or a PU list like 0,2,4-7"

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* Append-only writer into a fixed buffer; on overflow the tail becomes "..." so a cut-off list is never
   mistaken for a complete one. */
struct sbuf {
    char *buf;
    size_t len;
    size_t pos;
    bool truncated;
};

static void sb_init(struct sbuf *sb, char *buf, size_t len)
{
    sb->buf = buf;
    sb->len = len;
    sb->pos = 0;
    sb->truncated = false;
    if (len)
        buf[0] = '\0';
}

static void sb_printf(struct sbuf *sb, const char *fmt, ...)
{
    if (sb->truncated || sb->len == 0)
        return;
    size_t room = sb->len - sb->pos;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(sb->buf + sb->pos, room, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= room) {
        sb->truncated = true;
        sb->pos = sb->len - 1;
        if (sb->len >= 4)
            memcpy(sb->buf + sb->len - 4, "...", 4);
        return;
    }
    sb->pos += (size_t)n;
}

/* ---- --pin parsing ---- */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Parses a run of digits at *p; saturates above PIN_MAX_OS_INDEX instead of overflowing. */
static bool parse_index(const char **p, const char *end, long *val)
{
    const char *s = *p;
    long v = 0;
    if (s >= end || !is_digit(*s))
        return false;
    while (s < end && is_digit(*s)) {
        if (v <= PIN_MAX_OS_INDEX)
            v = v * 10 + (*s - '0');
        s++;
    }
    *p = s;
    *val = v;
    return true;
}

static int push_pu(struct pin_spec *s, int *cap, long pu)
{
    if (s->npus == *cap) {
        int ncap = *cap ? *cap * 2 : 16;
        int *np = realloc(s->pus, (size_t)ncap * sizeof *np);
        if (!np)
            return -1;
        s->pus = np;
        *cap = ncap;
    }
    s->pus[s->npus++] = (int)pu;
    return 0;
}

static int parse_list(const char *arg, struct pin_spec *out, char *err, size_t errlen)
{
    int cap = 0;
    const char *p = arg;

    out->policy = PIN_LIST;
    for (;;) {
        const char *end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        int toklen = (int)(end - p);
        if (toklen == 0) {
            set_err(err, errlen, "--pin: empty entry in PU list '%s'; write OS indexes like 0,2,4-7", arg);
            goto fail;
        }

        const char *q = p;
        long lo, hi;
        bool ok = parse_index(&q, end, &lo);
        hi = lo;
        if (ok && q < end && *q == '-') {
            q++;
            ok = parse_index(&q, end, &hi);
        }
        if (!ok || q != end) {
            set_err(err, errlen, "--pin: '%.*s' in PU list '%s' is not a PU number or range; %s", toklen, p, arg,
                    PIN_ALLOWED_HINT);
            goto fail;
        }
        if (lo > PIN_MAX_OS_INDEX || hi > PIN_MAX_OS_INDEX) {
            set_err(err, errlen, "--pin: '%.*s' in PU list '%s' exceeds the largest PU index %d", toklen, p, arg,
                    PIN_MAX_OS_INDEX);
            goto fail;
        }
        if (lo > hi) {
            set_err(err, errlen, "--pin: range '%.*s' in PU list '%s' is reversed; write it as %ld-%ld", toklen, p,
                    arg, hi, lo);
            goto fail;
        }
        if (hi - lo + 1 > PIN_MAX_ENTRIES - out->npus) {
            set_err(err, errlen, "--pin: PU list '%s' has more than %d entries", arg, PIN_MAX_ENTRIES);
            goto fail;
        }
        for (long pu = lo; pu <= hi; pu++) {
            if (push_pu(out, &cap, pu)) {
                set_err(err, errlen, "--pin: out of memory parsing PU list '%s'", arg);
                goto fail;
            }
        }

        if (*end == '\0')
            return 0;
        p = end + 1;
    }

fail:
    pin_spec_free(out);
    out->policy = PIN_NONE;
    return -1;
}

int pin_spec_parse(const char *arg, struct pin_spec *out, char *err, size_t errlen)
{
    out->policy = PIN_NONE;
    out->npus = 0;
    out->pus = NULL;

    if (!arg || arg[0] == '\0') {
        set_err(err, errlen, "--pin: empty value; " PIN_ALLOWED_HINT);
        return -1;
    }
    if (strcmp(arg, "compact") == 0) {
        out->policy = PIN_COMPACT;
        return 0;
    }
    if (strcmp(arg, "scatter") == 0) {
        out->policy = PIN_SCATTER;
        return 0;
    }
    if (strcmp(arg, "none") == 0) {
        out->policy = PIN_NONE;
        return 0;
    }
    /* Anything that looks numeric is treated as a list so the error can name the bad entry. */
    if (is_digit(arg[0]) || arg[0] == '-' || strchr(arg, ','))
        return parse_list(arg, out, err, errlen);

    set_err(err, errlen, "--pin: '%s' is not a policy; " PIN_ALLOWED_HINT, arg);
    return -1;
}

void pin_spec_free(struct pin_spec *s)
{
    if (!s)
        return;
    free(s->pus);
    s->pus = NULL;
    s->npus = 0;
}

/* ---- topology loading ---- */

int pin_topology_load(hwloc_topology_t *out, char *err, size_t errlen)
{
    hwloc_topology_t t;
    *out = NULL;

    if (hwloc_topology_init(&t) != 0) {
        set_err(err, errlen, "hwloc: cannot initialise topology: %s", strerror(errno));
        return -1;
    }
    if (hwloc_topology_load(t) != 0) {
        set_err(err, errlen, "hwloc: cannot load topology: %s", strerror(errno));
        hwloc_topology_destroy(t);
        return -1;
    }

    /* hwloc already drops cgroup-disallowed PUs, but not the process's affinity mask (taskset), so
       restrict to it explicitly; then every PU left in the topology is usable. */
    hwloc_bitmap_t bind = hwloc_bitmap_alloc();
    if (!bind) {
        set_err(err, errlen, "hwloc: out of memory");
        hwloc_topology_destroy(t);
        return -1;
    }
    if (hwloc_get_cpubind(t, bind, HWLOC_CPUBIND_PROCESS) == 0) {
        hwloc_const_cpuset_t all = hwloc_topology_get_topology_cpuset(t);
        hwloc_bitmap_and(bind, bind, all);
        hwloc_bitmap_and(bind, bind, hwloc_topology_get_allowed_cpuset(t));
        if (hwloc_bitmap_iszero(bind)) {
            set_err(err, errlen, "hwloc: the process CPU binding contains no PU of this machine");
            hwloc_bitmap_free(bind);
            hwloc_topology_destroy(t);
            return -1;
        }
        /* REMOVE_CPULESS so packages/NUMA nodes we cannot run on do not show up in counts or scatter. */
        if (!hwloc_bitmap_isequal(bind, all) &&
            hwloc_topology_restrict(t, bind, HWLOC_RESTRICT_FLAG_REMOVE_CPULESS) != 0) {
            set_err(err, errlen, "hwloc: cannot restrict topology to the process CPU binding: %s", strerror(errno));
            hwloc_bitmap_free(bind);
            hwloc_topology_destroy(t);
            return -1;
        }
    }
    /* If the binding cannot be queried (unsupported OS), fall back to the whole machine. */
    hwloc_bitmap_free(bind);
    *out = t;
    return 0;
}

int pin_topology_load_synthetic(hwloc_topology_t *out, const char *desc, char *err, size_t errlen)
{
    hwloc_topology_t t;
    *out = NULL;

    if (hwloc_topology_init(&t) != 0) {
        set_err(err, errlen, "hwloc: cannot initialise topology: %s", strerror(errno));
        return -1;
    }
    if (!desc || hwloc_topology_set_synthetic(t, desc) != 0) {
        set_err(err, errlen, "hwloc: invalid synthetic topology '%s'", desc ? desc : "(null)");
        hwloc_topology_destroy(t);
        return -1;
    }
    if (hwloc_topology_load(t) != 0) {
        set_err(err, errlen, "hwloc: cannot load synthetic topology '%s': %s", desc, strerror(errno));
        hwloc_topology_destroy(t);
        return -1;
    }
    *out = t;
    return 0;
}

/* ---- planning ---- */

/* PUs a plan may use: present in the topology and allowed. NULL on allocation failure. */
static hwloc_bitmap_t allowed_pus(hwloc_topology_t topo)
{
    hwloc_bitmap_t set = hwloc_bitmap_alloc();
    if (set)
        hwloc_bitmap_and(set, hwloc_topology_get_topology_cpuset(topo), hwloc_topology_get_allowed_cpuset(topo));
    return set;
}

/* Scatter order: compare the sibling ranks from the PU upwards. Sorting on that key makes the outermost
   level (package) vary fastest and the PU-within-core rank slowest; on a balanced tree this is exactly
   recursive round-robin interleaving of children, and on an unbalanced one (e.g. after taskset) it still
   uses every core's first PU before any SMT sibling. */
static int scatter_cmp(const void *pa, const void *pb)
{
    hwloc_obj_t a = *(const hwloc_obj_t *)pa;
    hwloc_obj_t b = *(const hwloc_obj_t *)pb;
    hwloc_obj_t x = a, y = b;

    while (x->parent && y->parent) {
        if (x->sibling_rank != y->sibling_rank)
            return x->sibling_rank < y->sibling_rank ? -1 : 1;
        x = x->parent;
        y = y->parent;
    }
    if (x->parent != y->parent) /* different depths: shallower first */
        return x->parent ? 1 : -1;
    return a->logical_index < b->logical_index ? -1 : a->logical_index > b->logical_index;
}

/* Fills order[] with the allowed PU objects in logical order; returns how many. */
static int collect_pus(hwloc_topology_t topo, hwloc_const_bitmap_t allowed, hwloc_obj_t *order, int cap)
{
    int n = 0;
    hwloc_obj_t pu = NULL;
    while ((pu = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_PU, pu)) != NULL && n < cap) {
        if (hwloc_bitmap_isset(allowed, pu->os_index))
            order[n++] = pu;
    }
    return n;
}

static void format_list_text(const struct pin_spec *spec, char *buf, size_t len)
{
    struct sbuf sb;
    sb_init(&sb, buf, len);
    sb_printf(&sb, "list:");
    /* Compress ascending runs back into ranges so "4-7" round-trips. */
    for (int i = 0; i < spec->npus;) {
        int j = i;
        while (j + 1 < spec->npus && spec->pus[j + 1] == spec->pus[j] + 1)
            j++;
        const char *sep = i ? "," : "";
        if (j == i)
            sb_printf(&sb, "%s%d", sep, spec->pus[i]);
        else
            sb_printf(&sb, "%s%d-%d", sep, spec->pus[i], spec->pus[j]);
        i = j + 1;
    }
}

int pin_plan_make(hwloc_topology_t topo, const struct pin_spec *spec, int nthreads, struct pin_plan *out,
                  char *err, size_t errlen)
{
    int rc = -1;
    hwloc_bitmap_t allowed = NULL, listed = NULL;
    hwloc_obj_t *order = NULL;
    int avail;

    if (!out) {
        set_err(err, errlen, "pin: no plan to fill");
        return -1;
    }
    memset(out, 0, sizeof *out);
    if (!topo || !spec) {
        set_err(err, errlen, "pin: missing topology or pin spec");
        return -1;
    }
    if (nthreads < 1) {
        set_err(err, errlen, "pin: thread count must be at least 1, got %d", nthreads);
        return -1;
    }

    allowed = allowed_pus(topo);
    if (!allowed)
        goto oom;
    avail = hwloc_bitmap_weight(allowed);
    if (avail <= 0) {
        set_err(err, errlen, "pin: the topology has no allowed PUs");
        goto done;
    }

    out->pu = malloc((size_t)nthreads * sizeof *out->pu);
    if (!out->pu)
        goto oom;
    out->nthreads = nthreads;
    out->available_pus = avail;
    out->oversubscribed = nthreads > avail;

    switch (spec->policy) {
    case PIN_NONE:
        snprintf(out->policy_text, sizeof out->policy_text, "none");
        for (int i = 0; i < nthreads; i++)
            out->pu[i] = -1;
        break;

    case PIN_COMPACT:
    case PIN_SCATTER: {
        order = malloc((size_t)avail * sizeof *order);
        if (!order)
            goto oom;
        int n = collect_pus(topo, allowed, order, avail);
        if (n <= 0) {
            set_err(err, errlen, "pin: the topology has no allowed PUs");
            goto done;
        }
        if (spec->policy == PIN_SCATTER) {
            qsort(order, (size_t)n, sizeof *order, scatter_cmp);
            snprintf(out->policy_text, sizeof out->policy_text, "scatter");
        } else {
            snprintf(out->policy_text, sizeof out->policy_text, "compact");
        }
        for (int i = 0; i < nthreads; i++)
            out->pu[i] = (int)order[i % n]->os_index;
        out->oversubscribed = nthreads > n;
        break;
    }

    case PIN_LIST: {
        if (spec->npus < 1 || !spec->pus) {
            set_err(err, errlen, "pin: PU list is empty");
            goto done;
        }
        listed = hwloc_bitmap_alloc();
        if (!listed)
            goto oom;
        for (int i = 0; i < spec->npus; i++) {
            int os = spec->pus[i];
            if (os < 0 || !hwloc_bitmap_isset(allowed, (unsigned)os) ||
                !hwloc_get_pu_obj_by_os_index(topo, (unsigned)os)) {
                char set[256];
                hwloc_bitmap_list_snprintf(set, sizeof set, allowed);
                set_err(err, errlen, "--pin: PU %d does not exist or is not allowed for this process; allowed PUs: %s",
                        os, set);
                goto done;
            }
            hwloc_bitmap_set(listed, (unsigned)os);
        }
        for (int i = 0; i < nthreads; i++)
            out->pu[i] = spec->pus[i % spec->npus];
        /* Threads share a PU as soon as there are more of them than distinct listed PUs. */
        out->oversubscribed = nthreads > hwloc_bitmap_weight(listed);
        format_list_text(spec, out->policy_text, sizeof out->policy_text);
        break;
    }

    default:
        set_err(err, errlen, "pin: unknown pin policy %d", (int)spec->policy);
        goto done;
    }
    rc = 0;
    goto done;

oom:
    set_err(err, errlen, "pin: out of memory");
done:
    free(order);
    hwloc_bitmap_free(listed);
    hwloc_bitmap_free(allowed);
    if (rc != 0)
        pin_plan_free(out);
    return rc;
}

void pin_plan_free(struct pin_plan *p)
{
    if (!p)
        return;
    free(p->pu);
    p->pu = NULL;
    p->nthreads = 0;
}

int pin_bind_self(hwloc_topology_t topo, int pu_os_index)
{
    if (pu_os_index == -1)
        return 0;
    if (!topo || pu_os_index < 0) {
        errno = EINVAL;
        return -1;
    }
    hwloc_obj_t pu = hwloc_get_pu_obj_by_os_index(topo, (unsigned)pu_os_index);
    if (!pu) {
        errno = EINVAL;
        return -1;
    }
    return hwloc_set_cpubind(topo, pu->cpuset, HWLOC_CPUBIND_THREAD) == 0 ? 0 : -1;
}

/* ---- formatting ---- */

static int count_type(hwloc_topology_t topo, hwloc_obj_type_t type)
{
    int n = hwloc_get_nbobjs_by_type(topo, type);
    return n < 0 ? 0 : n; /* -1 means "several depths", only possible for groups */
}

static void format_size(struct sbuf *sb, hwloc_uint64_t bytes)
{
    static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    hwloc_uint64_t div = 1;
    while (u < 4 && bytes >= div * 1024) {
        div *= 1024;
        u++;
    }
    if (bytes % div == 0)
        sb_printf(sb, "%llu %s", (unsigned long long)(bytes / div), unit[u]);
    else
        sb_printf(sb, "%.1f %s", (double)bytes / (double)div, unit[u]);
}

void pin_topology_summary(hwloc_topology_t topo, char *buf, size_t len)
{
    struct sbuf sb;
    sb_init(&sb, buf, len);
    if (!topo) {
        sb_printf(&sb, "no topology");
        return;
    }

    int npkg = count_type(topo, HWLOC_OBJ_PACKAGE);
    int nnuma = count_type(topo, HWLOC_OBJ_NUMANODE);
    int ncore = count_type(topo, HWLOC_OBJ_CORE);
    int npu = count_type(topo, HWLOC_OBJ_PU);
    sb_printf(&sb, "%d package%s, %d NUMA node%s, %d core%s, %d PU%s", npkg, npkg == 1 ? "" : "s", nnuma,
              nnuma == 1 ? "" : "s", ncore, ncore == 1 ? "" : "s", npu, npu == 1 ? "" : "s");

    hwloc_bitmap_t allowed = allowed_pus(topo);
    if (allowed) {
        char set[256];
        hwloc_bitmap_list_snprintf(set, sizeof set, allowed);
        sb_printf(&sb, " (allowed: %s)", set);
        hwloc_bitmap_free(allowed);
    }

    /* Largest data/unified cache (instruction caches are irrelevant to memory reclamation); on equal
       sizes prefer the outer level, which is the shared one. */
    static const hwloc_obj_type_t caches[] = {HWLOC_OBJ_L1CACHE, HWLOC_OBJ_L2CACHE, HWLOC_OBJ_L3CACHE,
                                              HWLOC_OBJ_L4CACHE, HWLOC_OBJ_L5CACHE};
    hwloc_obj_t best = NULL;
    for (size_t i = 0; i < sizeof caches / sizeof caches[0]; i++) {
        hwloc_obj_t c = NULL;
        while ((c = hwloc_get_next_obj_by_type(topo, caches[i], c)) != NULL) {
            if (!best || c->attr->cache.size > best->attr->cache.size ||
                (c->attr->cache.size == best->attr->cache.size && c->attr->cache.depth > best->attr->cache.depth))
                best = c;
        }
    }
    if (best && best->attr->cache.size > 0) {
        char name[16];
        hwloc_obj_type_snprintf(name, sizeof name, best, 0);
        sb_printf(&sb, "; %s ", name);
        format_size(&sb, best->attr->cache.size);
    }
}

void pin_plan_format(const struct pin_plan *p, char *buf, size_t len)
{
    struct sbuf sb;
    sb_init(&sb, buf, len);
    if (!p || !p->pu)
        return;
    for (int i = 0; i < p->nthreads; i++) {
        const char *sep = i ? "," : "";
        if (p->pu[i] < 0)
            sb_printf(&sb, "%s-", sep);
        else
            sb_printf(&sb, "%s%d", sep, p->pu[i]);
    }
}
