/* cli.c - parse and validate `smrbench run` options. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "runset/runset.h"
#include "util.h"

#define fail(...) util_fail("smrbench", NULL, __VA_ARGS__)

static bool parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s || *s == '-' || *s == '+')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

static bool parse_seconds(const char *s, double *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || !(v >= 0) || v > 86400)
        return false;
    *out = v;
    return true;
}

static const char *scheme_names(void)
{
    static char buf[512];
    size_t n = 0;
    buf[0] = 0;
    for (const struct smr_scheme_info *const *s = registry_schemes; *s; s++) {
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", n ? ", " : "", (*s)->name);
        if ((*s)->only_structure)
            n += (size_t)snprintf(buf + n, sizeof buf - n, " (%s only)", (*s)->only_structure);
    }
    return buf;
}

static const char *structure_names(void)
{
    static char buf[256];
    size_t n = 0;
    buf[0] = 0;
    for (const char *const *s = registry_structures; *s; s++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", n ? ", " : "", *s);
    return buf;
}

static const char *keyed_structure_names(void)
{
    static char buf[256];
    size_t n = 0;
    buf[0] = 0;
    for (const char *const *s = registry_structures; *s; s++) {
        const struct bench_ops *b = registry_find_pair(*s, registry_schemes[0]->name);
        if (b && !b->keyless)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", n ? ", " : "", *s);
    }
    return buf;
}

/* Split a comma list in place; empty items are an error. */
static int split_list(char *arg, char **items, int max)
{
    int n = 0;
    char *p = arg;
    for (;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = 0;
        if (!*p || n == max)
            return -1;
        items[n++] = p;
        if (!comma)
            return n;
        p = comma + 1;
    }
}

static bool parse_structures(const char *arg, struct run_options *o)
{
    static char buf[1024];
    char *items[CLI_MAX_LIST];
    snprintf(buf, sizeof buf, "%s", arg);
    int n = split_list(buf, items, CLI_MAX_LIST);
    if (n < 0)
        return fail("-s: '%s' is not a structure list; allowed: %s (comma-separated)", arg,
                    structure_names());
    o->nstructures = 0;
    for (int i = 0; i < n; i++) {
        if (!registry_has_structure(items[i]))
            return fail("-s: unknown structure '%s'; allowed: %s", items[i], structure_names());
        for (unsigned j = 0; j < o->nstructures; j++)
            if (strcmp(o->structures[j], items[i]) == 0)
                return fail("-s: '%s' is named twice in '%s'; allowed: each structure once "
                            "(-n repeats a run)", items[i], arg);
        o->structures[o->nstructures++] = items[i];
    }
    return true;
}

static bool parse_schemes(const char *arg, struct run_options *o)
{
    static char buf[1024];
    char *items[CLI_MAX_LIST];
    o->nschemes = 0;
    o->schemes_all = strcmp(arg, "all") == 0;
    if (o->schemes_all) {
        for (const struct smr_scheme_info *const *s = registry_schemes; *s; s++)
            o->schemes[o->nschemes++] = *s;
        return true;
    }
    snprintf(buf, sizeof buf, "%s", arg);
    int n = split_list(buf, items, CLI_MAX_LIST);
    if (n < 0)
        return fail("-r: '%s' is not a scheme list; allowed: all, or some of %s (comma-separated)",
                    arg, scheme_names());
    for (int i = 0; i < n; i++) {
        const struct smr_scheme_info *s = registry_find_scheme(items[i]);
        if (!s)
            return fail("-r: unknown scheme '%s'; allowed: all, %s", items[i], scheme_names());
        for (unsigned j = 0; j < o->nschemes; j++)
            if (o->schemes[j] == s)
                return fail("-r: '%s' is named twice in '%s'; allowed: each scheme once "
                            "(-n repeats a run)", s->name, arg);
        o->schemes[o->nschemes++] = s;
    }
    return true;
}

/*
 * Every scheme must serve at least one structure of the run (a native
 * provider serves only its own structure; a scheme that never reclaims
 * cannot give dbmap a grace period). With -r all such schemes are left out
 * quietly; one named explicitly is an error. The sweep skips the pairs that
 * do not fit (e.g. stack with dbmap-epochs in -s stack,dbmap).
 */
static bool schemes_fit_structures(struct run_options *o)
{
    char structures[256] = "", allowed[512] = "all";
    size_t n = 0, a = strlen(allowed);
    for (unsigned s = 0; s < o->nstructures; s++)
        n += (size_t)snprintf(structures + n, sizeof structures - n, "%s%s", s ? "," : "",
                              o->structures[s]);
    for (const struct smr_scheme_info *const *k = registry_schemes; *k; k++)
        for (unsigned s = 0; s < o->nstructures; s++)
            if (!registry_pair_unusable(o->structures[s], *k)) {
                a += (size_t)snprintf(allowed + a, sizeof allowed - a, ", %s", (*k)->name);
                break;
            }
    unsigned kept = 0;
    for (unsigned k = 0; k < o->nschemes; k++) {
        char why[160] = "";
        bool usable = false;
        for (unsigned s = 0; s < o->nstructures && !usable; s++) {
            const char *w = registry_pair_unusable(o->structures[s], o->schemes[k]);
            usable = !w;
            if (w && !why[0])
                snprintf(why, sizeof why, "%s", w);
        }
        if (usable)
            o->schemes[kept++] = o->schemes[k];
        else if (!o->schemes_all)
            return fail("-r: %s; allowed with -s %s: %s", why, structures, allowed);
    }
    o->nschemes = kept;
    if (kept == 0)
        return fail("-r: no scheme serves -s %s; allowed: %s", structures, allowed);
    return true;
}

/* "1,2,4", "1-8", "1-4,8": counts 1..CLI_MAX_THREADS. */
static bool parse_threads(const char *arg, struct run_options *o)
{
    char buf[256];
    char *items[CLI_MAX_LIST];
    snprintf(buf, sizeof buf, "%s", arg);
    int n = split_list(buf, items, CLI_MAX_LIST);
    o->nthreads = 0;
    for (int i = 0; i < n; i++) {
        uint64_t lo, hi;
        char *dash = strchr(items[i], '-');
        if (dash)
            *dash = 0;
        if (!parse_u64(items[i], &lo) || (dash ? !parse_u64(dash + 1, &hi) : !(hi = lo, true)) ||
            lo < 1 || lo > hi || hi > CLI_MAX_THREADS)
            n = -1;
        for (uint64_t t = lo; n > 0 && t <= hi; t++) {
            for (unsigned j = 0; j < o->nthreads; j++)
                if (o->threads[j] == t)
                    return fail("-t: %u threads are named twice in '%s'; allowed: each count "
                                "once (-n repeats a run)", (unsigned)t, arg);
            if (o->nthreads == CLI_MAX_LIST)
                return fail("-t: '%s' has more than %d thread counts", arg, CLI_MAX_LIST);
            o->threads[o->nthreads++] = (unsigned)t;
        }
    }
    if (n <= 0)
        return fail("-t: '%s' is not a thread-count list; allowed: counts 1..%d as a list "
                    "(1,2,4) or range (1-8)", arg, CLI_MAX_THREADS);
    return true;
}

/* --dist uniform|zipf:THETA */
static bool parse_dist(const char *arg, struct run_options *o)
{
    double theta;
    char tail;
    if (strcmp(arg, "uniform") == 0) {
        o->zipf_theta = 0;
    } else if (sscanf(arg, "zipf:%lf%c", &theta, &tail) == 1 && theta > 0 && theta <= 10) {
        o->zipf_theta = theta;
    } else {
        return fail("--dist: '%s' is not a distribution; allowed: uniform, zipf:THETA with "
                    "0 < THETA <= 10 (e.g. zipf:0.99)", arg);
    }
    o->dist_arg = arg;
    return true;
}

/* --stall T@START:LEN */
static bool parse_stall(const char *arg, struct run_options *o)
{
    unsigned t;
    double start, len;
    char tail;
    if (sscanf(arg, "%u@%lf:%lf%c", &t, &start, &len, &tail) != 3 || arg[0] == '-' ||
        !(start >= 0) || !(len >= 0) || t >= CLI_MAX_THREADS)
        return fail("--stall: '%s' is malformed; allowed: THREAD@START:LEN, e.g. 0@1:2 "
                    "(thread index, seconds into the window, seconds)", arg);
    if (len == 0)
        return fail("--stall: '%s' stalls for 0 seconds; allowed: a length LEN > 0", arg);
    o->stall_thread = (int)t;
    o->stall_start_s = start;
    o->stall_len_s = len;
    o->stall_arg = arg;
    return true;
}

/* --tune SCHEME.NAME=VALUE / --opt STRUCT.NAME=VALUE */
static bool parse_setting(const char *flag, const char *arg, bool scheme, struct run_options *o)
{
    struct cli_setting *list = scheme ? o->tunes : o->opts;
    unsigned *n = scheme ? &o->ntunes : &o->nopts;
    const char *what = scheme ? "SCHEME.TUNABLE=VALUE (see smrbench list), e.g. hp.R=128"
                              : "STRUCTURE.OPTION=VALUE (see smrbench list)";
    char owner[64], name[64], *end;
    const char *dot = strchr(arg, '.'), *eq = strchr(arg, '=');
    if (!dot || !eq || dot > eq || dot == arg || eq == dot + 1 ||
        (size_t)(dot - arg) >= sizeof owner || (size_t)(eq - dot - 1) >= sizeof name)
        return fail("%s: '%s' is malformed; allowed: %s", flag, arg, what);
    errno = 0;
    long value = strtol(eq + 1, &end, 10);
    bool overflow = errno == ERANGE;
    if (end == eq + 1 || *end || (errno && !overflow))
        return fail("%s: '%s' is malformed; allowed: %s", flag, arg, what);
    snprintf(owner, sizeof owner, "%.*s", (int)(dot - arg), arg);
    snprintf(name, sizeof name, "%.*s", (int)(eq - dot - 1), dot + 1);

    const struct smr_tunable *t;
    unsigned count;
    const char *canonical;
    if (scheme) {
        const struct smr_scheme_info *s = registry_find_scheme(owner);
        if (!s)
            return fail("%s: unknown scheme '%s'; allowed: %s", flag, owner, scheme_names());
        t = s->tunables;
        count = s->ntunables;
        canonical = s->name;
    } else {
        const struct bench_ops *b = registry_find_pair(owner, registry_schemes[0]->name);
        if (!b)
            return fail("%s: unknown structure '%s'; allowed: %s", flag, owner, structure_names());
        t = b->options;
        count = b->noptions;
        canonical = b->structure;
    }
    unsigned i = 0;
    while (i < count && strcmp(t[i].name, name) != 0)
        i++;
    if (i == count) {
        char names[256] = "";
        size_t len = 0;
        for (unsigned j = 0; j < count; j++)
            len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", j ? ", " : "",
                                    t[j].name);
        return fail("%s: %s has no %s '%s'; allowed: %s", flag, owner,
                    scheme ? "tunable" : "option", name, count ? names : "none");
    }
    if (overflow || value < t[i].min || value > t[i].max)
        return fail("%s: %s.%s = %s is out of range; allowed: %ld..%ld", flag, owner, name,
                    eq + 1, t[i].min, t[i].max);
    if (*n == CLI_MAX_SETTINGS)
        return fail("%s: more than %d settings", flag, CLI_MAX_SETTINGS);
    list[(*n)++] = (struct cli_setting){canonical, i, value, arg};
    return true;
}

void cli_apply_settings(const struct run_options *o, const char *structure, const char *scheme,
                        long tune[], long opt[])
{
    const struct bench_ops *b = registry_find_pair(structure, scheme);
    for (unsigned i = 0; i < SMR_MAX_TUNABLES; i++) {
        tune[i] = 0; /* the scheme's default */
        opt[i] = b && i < b->noptions ? b->options[i].def : 0;
    }
    /* Later flags win. */
    for (unsigned i = 0; i < o->ntunes; i++)
        if (strcmp(o->tunes[i].owner, scheme) == 0)
            tune[o->tunes[i].index] = o->tunes[i].value;
    for (unsigned i = 0; i < o->nopts; i++)
        if (strcmp(o->opts[i].owner, structure) == 0)
            opt[o->opts[i].index] = o->opts[i].value;
}

/*
 * Flags that would not mean what they say are refused rather than ignored:
 * -m with --writers (roles replace the mix), -k or --dist when no structure
 * of the run reads keys, --cell-timeout without child processes.
 */
static bool flags_fit(const struct run_options *o, bool have_dist)
{
    if (o->writers >= 0 && o->mix_given)
        return fail("-m: --writers %d gives threads roles (writers only write, readers only "
                    "read), so a read percentage means nothing; allowed: -m or --writers",
                    o->writers);
    bool keyed = false;
    for (unsigned s = 0; s < o->nstructures; s++) {
        const struct bench_ops *b = registry_find_pair(o->structures[s], registry_schemes[0]->name);
        keyed |= b && !b->keyless;
    }
    if (!keyed && (o->keys_given || have_dist))
        return fail("%s: no structure of this run uses keys (%s ignores them); allowed: -k and "
                    "--dist with a keyed structure (%s)", o->keys_given ? "-k" : "--dist",
                    o->structures[0], keyed_structure_names());
    if (o->isolation == ISOLATION_SINGLE && o->cell_timeout_s > 0)
        return fail("--cell-timeout: a cell can be stopped only in its own process; allowed: "
                    "--cell-timeout with --isolation process");
    return true;
}

/* A setting for a scheme or structure the sweep does not run is a typo, not a no-op. */
static bool settings_used(const struct run_options *o)
{
    for (unsigned i = 0; i < o->ntunes; i++) {
        bool used = false;
        for (unsigned k = 0; k < o->nschemes; k++)
            used |= strcmp(o->schemes[k]->name, o->tunes[i].owner) == 0;
        if (!used)
            return fail("--tune: '%s' names scheme %s, which is not in this run; allowed: the "
                        "schemes of -r", o->tunes[i].arg, o->tunes[i].owner);
    }
    for (unsigned i = 0; i < o->nopts; i++) {
        bool used = false;
        for (unsigned k = 0; k < o->nstructures; k++)
            used |= strcmp(o->structures[k], o->opts[i].owner) == 0;
        if (!used)
            return fail("--opt: '%s' names structure %s, which is not in this run; allowed: the "
                        "structures of -s", o->opts[i].arg, o->opts[i].owner);
    }
    return true;
}

/* --shard I/N: 0 <= I < N <= 65536. */
static bool parse_shard(const char *arg, struct run_options *o)
{
    size_t di = strspn(arg, "0123456789");
    size_t dn = arg[di] == '/' ? strspn(arg + di + 1, "0123456789") : 0;
    unsigned long i = strtoul(arg, NULL, 10), n = dn ? strtoul(arg + di + 1, NULL, 10) : 0;
    if (!di || di > 5 || !dn || dn > 5 || arg[di + 1 + dn] || n < 1 || n > 65536 || i >= n)
        return fail("--shard: '%s' is not a shard; allowed: I/N with 0 <= I < N <= 65536, "
                    "e.g. 0/4", arg);
    o->shard_index = (unsigned)i;
    o->shard_count = (unsigned)n;
    return true;
}

void cli_print_run_usage(void)
{
    printf("usage: smrbench run [options]\n"
           "  -s, --structure LIST   structures (%s); default: stack\n"
           "  -r, --scheme LIST|all  schemes (%s); default: all\n"
           "  -t, --threads LIST     thread counts, e.g. 1,2,4 or 1-8; default: 1..PUs\n"
           "  -d, --duration SEC     measured seconds per run (default 2)\n"
           "      --warmup SEC       unmeasured seconds before each run (default 0.5)\n"
           "  -n, --reps N           repetitions of every configuration (default 1)\n"
           "  -m, --mix READ_PCT     percent of operations that are reads, 0..100 (default 50)\n"
           "  -k, --keys N           key range for keyed structures (default: list 1000,\n"
           "                         hashmap 100000, others 1048576)\n"
           "      --prefill N        elements before the run (default: half the key range\n"
           "                         for the keyed sets list and hashmap, else 1024)\n"
           "      --pin POLICY       compact, scatter, none, or a PU list like 0,2,4-7 (default compact)\n"
           "      --dist DIST        key distribution: uniform or zipf:THETA (default uniform)\n"
           "      --writers N        N threads only write, the others only read (default: all\n"
           "                         mix by -m, except dbmap: 1 writer unless -m is given)\n"
           "      --stall T@S:L      thread T stops inside an operation S seconds into the window, for L s\n"
           "      --tune S.NAME=V    a scheme tunable, e.g. hp.R=128 (smrbench list shows them)\n"
           "      --opt ST.NAME=V    a structure option (smrbench list shows them)\n"
           "      --alloc NAME       malloc: glibc, jemalloc or mimalloc (default glibc)\n"
           "      --sample MS        sampling period of the memory curve in ms (default 10)\n"
           "      --seed N           base seed of the per-thread generators (default 1)\n"
           "  -o, --out DIR          results folder (default results/<UTC timestamp>); one that\n"
           "                         already holds results is refused unless --force\n"
           "      --force            replace the results (files and figures) -o's folder holds\n"
           "      --isolation MODE   process: each (structure, scheme, threads, rep) cell in a\n"
           "                         child process of its own (default); single: all in this one\n"
           "      --cell-timeout SEC a cell still running after SEC seconds is killed and\n"
           "                         recorded as failed (default: 2 x (warmup + duration) + 60\n"
           "                         + time for the prefill; process isolation only)\n"
           "      --format FMT       stdout: table, csv or json (default table)\n"
           "      --quiet            nothing on stdout\n"
           "      --plot             draw the figures into DIR/plots/ afterwards (gnuplot)\n"
           "      --shard I/N        run only shard I (0..N-1) of the sweep cut in N: whole\n"
           "                         blocks (every scheme of one rep, structure and thread\n"
           "                         count), block b in shard b mod N; smrbench merge joins them\n"
           "      --plan             print the cells (of the shard, with --shard), the plan's\n"
           "                         id and the shard counts that make sense; run nothing\n"
           "      --host-label NAME  the host's name in the results' machine column (default:\n"
           "                         the hostname), to tell apart runs on one host\n"
           "Refused combinations: --writers with -m (roles replace the mix), -k or --dist when\n"
           "no structure of -s uses keys, a --stall that ends after the window.\n"
           "The results folder is named on stdout after the table, on stderr otherwise.\n\n"
           "Exit status: 0 every cell measured and written; 1 a cell failed (crash, timeout,\n"
           "teardown check; the others are kept); 2 bad input (nothing written); 3 the results\n"
           "could not be written (disk full: the folder keeps the cells written before);\n"
           "4 --plot could not draw; 128+N interrupted by signal N (130 Ctrl-C, 143 SIGTERM,\n"
           "129 SIGHUP): the finished cells are kept, marked incomplete.\n",
           structure_names(), scheme_names());
}

bool cli_parse_run(int argc, char **argv, struct run_options *o)
{
    memset(o, 0, sizeof(*o));
    o->duration_s = 2;
    o->warmup_s = 0.5;
    o->reps = 1;
    o->read_percent = 50;
    o->keys = 1u << 20;
    o->prefill = 1024;
    o->sample_ms = 10;
    o->seed = 1;
    o->format = FORMAT_TABLE;
    o->pin.policy = PIN_COMPACT;
    o->pin_arg = "compact";
    o->stall_thread = -1;
    o->writers = -1;
    o->dist_arg = "uniform";

    size_t n = 0;
    for (int i = 0; i < argc && n < sizeof o->command_line; i++)
        n += (size_t)snprintf(o->command_line + n, sizeof o->command_line - n, "%s%s",
                              i ? " " : "smrbench ", argv[i]);

    enum { O_WARMUP = 256, O_PREFILL, O_PIN, O_SAMPLE, O_SEED, O_FORMAT, O_QUIET, O_HELP, O_STALL,
           O_DIST, O_WRITERS, O_TUNE, O_OPT, O_ALLOC, O_PLOT, O_FORCE, O_ISOLATION, O_CELL_TIMEOUT,
           O_SHARD, O_PLAN, O_HOST_LABEL };
    static const struct option longopts[] = {
        {"structure", required_argument, 0, 's'}, {"scheme", required_argument, 0, 'r'},
        {"threads", required_argument, 0, 't'},   {"duration", required_argument, 0, 'd'},
        {"warmup", required_argument, 0, O_WARMUP}, {"reps", required_argument, 0, 'n'},
        {"mix", required_argument, 0, 'm'},       {"keys", required_argument, 0, 'k'},
        {"prefill", required_argument, 0, O_PREFILL}, {"pin", required_argument, 0, O_PIN},
        {"sample", required_argument, 0, O_SAMPLE}, {"seed", required_argument, 0, O_SEED},
        {"out", required_argument, 0, 'o'},       {"format", required_argument, 0, O_FORMAT},
        {"quiet", no_argument, 0, O_QUIET},       {"help", no_argument, 0, O_HELP},
        {"stall", required_argument, 0, O_STALL}, {"dist", required_argument, 0, O_DIST},
        {"writers", required_argument, 0, O_WRITERS}, {"tune", required_argument, 0, O_TUNE},
        {"opt", required_argument, 0, O_OPT},     {"alloc", required_argument, 0, O_ALLOC},
        {"plot", no_argument, 0, O_PLOT},         {"force", no_argument, 0, O_FORCE},
        {"isolation", required_argument, 0, O_ISOLATION},
        {"cell-timeout", required_argument, 0, O_CELL_TIMEOUT},
        {"shard", required_argument, 0, O_SHARD}, {"plan", no_argument, 0, O_PLAN},
        {"host-label", required_argument, 0, O_HOST_LABEL},
        {0, 0, 0, 0},
    };
    bool have_s = false, have_r = false, have_dist = false;
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":s:r:t:d:n:m:k:o:h", longopts, NULL)) != -1) {
        uint64_t v;
        switch (c) {
        case 's':
            if (!parse_structures(optarg, o))
                return false;
            have_s = true;
            break;
        case 'r':
            if (!parse_schemes(optarg, o))
                return false;
            have_r = true;
            break;
        case 't':
            if (!parse_threads(optarg, o))
                return false;
            break;
        case 'd':
            if (!parse_seconds(optarg, &o->duration_s) || o->duration_s < 0.01)
                return fail("-d: '%s' is not a duration; allowed: seconds, 0.01..86400", optarg);
            break;
        case O_WARMUP:
            if (!parse_seconds(optarg, &o->warmup_s))
                return fail("--warmup: '%s' is not a duration; allowed: seconds, 0..86400", optarg);
            break;
        case 'n':
            if (!parse_u64(optarg, &v) || v < 1 || v > 1000)
                return fail("-n: '%s' is not a repetition count; allowed: 1..1000", optarg);
            o->reps = (unsigned)v;
            break;
        case 'm':
            if (!parse_u64(optarg, &v) || v > 100)
                return fail("-m: '%s' is not a read percentage; allowed: integers 0..100", optarg);
            o->read_percent = (unsigned)v;
            o->mix_given = true;
            break;
        case 'k':
            if (!parse_u64(optarg, &v) || v < 1 || v > (1ull << 32))
                return fail("-k: '%s' is not a key range; allowed: 1..4294967296", optarg);
            o->keys = v;
            o->keys_given = true;
            break;
        case O_PREFILL:
            if (!parse_u64(optarg, &v) || v > (1ull << 32))
                return fail("--prefill: '%s' is not an element count; allowed: 0..4294967296",
                            optarg);
            o->prefill = v;
            o->prefill_given = true;
            break;
        case O_PIN: {
            char err[256];
            pin_spec_free(&o->pin);
            if (pin_spec_parse(optarg, &o->pin, err, sizeof err) != 0)
                return fail("%s", err);
            o->pin_arg = optarg;
            break;
        }
        case O_SAMPLE:
            if (!parse_u64(optarg, &v) || v < 1 || v > 60000)
                return fail("--sample: '%s' is not a period; allowed: milliseconds 1..60000", optarg);
            o->sample_ms = (unsigned)v;
            break;
        case O_SEED:
            if (!parse_u64(optarg, &v))
                return fail("--seed: '%s' is not a seed; allowed: an unsigned 64-bit integer", optarg);
            o->seed = v;
            break;
        case 'o':
            if (!*optarg)
                return fail("-o: empty folder name; allowed: a path to a writable folder");
            o->out_dir = optarg;
            o->out_dir_given = true;
            break;
        case O_FORMAT:
            if (strcmp(optarg, "table") == 0)
                o->format = FORMAT_TABLE;
            else if (strcmp(optarg, "csv") == 0)
                o->format = FORMAT_CSV;
            else if (strcmp(optarg, "json") == 0)
                o->format = FORMAT_JSON;
            else
                return fail("--format: '%s' is not a format; allowed: table, csv, json", optarg);
            break;
        case O_QUIET:
            o->quiet = true;
            break;
        case O_PLOT:
            o->plot = true;
            break;
        case O_FORCE:
            o->force = true;
            break;
        case O_ISOLATION:
            if (strcmp(optarg, "process") == 0)
                o->isolation = ISOLATION_PROCESS;
            else if (strcmp(optarg, "single") == 0)
                o->isolation = ISOLATION_SINGLE;
            else
                return fail("--isolation: '%s' is not a mode; allowed: process, single", optarg);
            break;
        case O_CELL_TIMEOUT:
            if (!parse_seconds(optarg, &o->cell_timeout_s) || o->cell_timeout_s < 0.1)
                return fail("--cell-timeout: '%s' is not a duration; allowed: seconds, "
                            "0.1..86400", optarg);
            break;
        case O_DIST:
            if (!parse_dist(optarg, o))
                return false;
            have_dist = true;
            break;
        case O_WRITERS:
            if (!parse_u64(optarg, &v) || v > CLI_MAX_THREADS)
                return fail("--writers: '%s' is not a thread count; allowed: 0..%d", optarg,
                            CLI_MAX_THREADS);
            o->writers = (int)v;
            break;
        case O_STALL:
            if (!parse_stall(optarg, o))
                return false;
            break;
        case O_TUNE:
        case O_OPT:
            if (!parse_setting(c == O_TUNE ? "--tune" : "--opt", optarg, c == O_TUNE, o))
                return false;
            break;
        case O_SHARD:
            if (!parse_shard(optarg, o))
                return false;
            break;
        case O_PLAN:
            o->plan = true;
            break;
        case O_HOST_LABEL:
            if (!runset_is_name(optarg))
                return fail("--host-label: '%s' is not a label; allowed: 1 to 64 letters, "
                            "digits, _ . + -", optarg);
            o->host_label = optarg;
            break;
        case O_ALLOC:
            if (!alloc_parse(optarg, &o->alloc))
                return fail("--alloc: '%s' is not an allocator; allowed: %s", optarg,
                            alloc_names());
            break;
        case 'h':
        case O_HELP:
            cli_print_run_usage();
            exit(0);
        case ':':
            return fail("%s needs a value; see 'smrbench run --help'", argv[optind - 1]);
        default:
            return fail("unknown option '%s'; see 'smrbench run --help'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return fail("unexpected argument '%s'; see 'smrbench run --help'", argv[optind]);
    if (!have_s) {
        o->structures[0] = "stack";
        o->nstructures = 1;
    }
    if (!have_r)
        parse_schemes("all", o);
    if (!schemes_fit_structures(o))
        return false;
    if (!settings_used(o))
        return false;
    if (o->nthreads == 0) {
        /* Default sweep: 1..PUs this process may run on. */
        cpu_set_t set;
        long n = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set)
                                                             : sysconf(_SC_NPROCESSORS_ONLN);
        for (long i = 1; i <= n && i <= CLI_MAX_LIST; i++)
            o->threads[o->nthreads++] = (unsigned)i;
    }
    if (!flags_fit(o, have_dist))
        return false;
    for (unsigned i = 0; o->writers >= 0 && i < o->nthreads; i++)
        if ((unsigned)o->writers > o->threads[i])
            return fail("--writers: %d writer thread(s) but a run has only %u thread(s); allowed: "
                        "0..%u", o->writers, o->threads[i], o->threads[i]);
    if (o->stall_thread >= 0) {
        if (o->stall_start_s >= o->duration_s)
            return fail("--stall: starts at %gs but the window is %gs (-d); allowed: START < "
                        "duration", o->stall_start_s, o->duration_s);
        /* 1e-9: 0.1 + 0.2 ends a 0.3 s window, though not in binary floating point */
        if (o->stall_start_s + o->stall_len_s > o->duration_s + 1e-9)
            return fail("--stall: '%s' ends at %gs, after the %gs window (-d); allowed: "
                        "START + LEN <= duration", o->stall_arg,
                        o->stall_start_s + o->stall_len_s, o->duration_s);
        for (unsigned i = 0; i < o->nthreads; i++)
            if ((unsigned)o->stall_thread >= o->threads[i])
                return fail("--stall: thread %d does not exist in a run of %u thread(s); allowed: "
                            "0..%u", o->stall_thread, o->threads[i], o->threads[i] - 1);
    }
    return true;
}

void cli_free_run(struct run_options *o)
{
    pin_spec_free(&o->pin);
}
