/*
 * compare.c - `smrbench compare BASE NEW`: for every entry of both result
 * sets, the change of its median and whether it is significant: the
 * Mann-Whitney U test over the repetitions and a relative threshold, as
 * Google Benchmark's compare.py reports them, with the p-values corrected
 * for the number of entries compared (Holm), since a report of thirty
 * entries at alpha 0.05 would otherwise flag one in four times by chance.
 * By default the values are ratios to `none` measured in the same run, so
 * a machine that is slower as a whole moves nothing. Exit 0: nothing
 * regressed, 1: something did, 2: bad input.
 */
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "mwu.h"

#define CMP_DEFAULT_THRESHOLD 5.0
#define CMP_DEFAULT_ALPHA 0.05

struct cmp_opts {
    const char *base, *next;
    double threshold;           /* percent */
    double alpha;
    bool raw;
    bool holm;                  /* correct the p-values for the entries compared */
    const char *reference;
    enum cmp_metric metric;
};

struct cmp_tally {
    size_t compared, regressed, improved, noise, same;
    size_t missing, added, no_reference, untested;
};

static bool fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "smrbench compare: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    return false;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: smrbench compare BASE NEW [--threshold PERCENT] [--alpha A] [--raw]\n"
            "                        [--reference SCHEME|peers] [--correction holm|none]\n"
            "                        [--metric cpu|real]\n\n"
            "BASE and NEW: run folders (smrbench run -o) or their run.json, Google Benchmark\n"
            "JSON files (smrbench micro --benchmark_format=json), or folders of such files,\n"
            "each one run of the same benchmarks. An entry's values are its repetitions (from\n"
            "a folder of files: one per file, the median of its repetitions), as ratios to\n"
            "the reference scheme measured in the same file (micro: time / the reference's\n"
            "median time; run: ops/s / the reference's ops/s at the same repetition). An\n"
            "entry regressed when it got worse by at least the threshold and the two-sided\n"
            "Mann-Whitney U test over the values gives p < alpha, p corrected by Holm's\n"
            "method for the number of entries tested (with too few values for the test to\n"
            "reach alpha, the threshold alone).\n\n"
            "  --threshold PERCENT  smallest change that counts (default %g)\n"
            "  --alpha A            significance level of the U test (default %g)\n"
            "  --raw                compare raw times or ops/s, not ratios\n"
            "  --reference SCHEME   the reference scheme (default none); peers: the geometric\n"
            "                       mean of the other schemes of the same benchmark\n"
            "  --correction holm|none  multiple-comparison correction of p (default holm)\n"
            "  --metric cpu|real    micro: cpu_time (default) or real_time\n\n"
            "Exit status: 0 nothing regressed, 1 something regressed, 2 bad input.\n",
            CMP_DEFAULT_THRESHOLD, CMP_DEFAULT_ALPHA);
}

static bool parse_number(const char *flag, const char *arg, double lo, double hi, bool percent,
                         double *out)
{
    char *end;
    double v = strtod(arg, &end);
    if (percent && *end == '%')
        end++;
    if (end == arg || *end || !(v >= lo && v <= hi))
        return fail("%s: '%s' is out of range; allowed: %g to %g", flag, arg, lo, hi);
    *out = v;
    return true;
}

static bool parse_args(int argc, char **argv, struct cmp_opts *o)
{
    enum { O_THRESHOLD = 256, O_ALPHA, O_RAW, O_REFERENCE, O_CORRECTION, O_METRIC };
    static const struct option longs[] = {
        {"threshold", required_argument, 0, O_THRESHOLD}, {"alpha", required_argument, 0, O_ALPHA},
        {"raw", no_argument, 0, O_RAW}, {"reference", required_argument, 0, O_REFERENCE},
        {"correction", required_argument, 0, O_CORRECTION},
        {"metric", required_argument, 0, O_METRIC}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    *o = (struct cmp_opts){.threshold = CMP_DEFAULT_THRESHOLD, .alpha = CMP_DEFAULT_ALPHA,
                           .holm = true, .reference = "none"};
    const char *pos[2];
    int npos = 0, c;
    optind = 1;
    opterr = 0;
    /* "-": positional arguments come back as option 1, in order */
    while ((c = getopt_long(argc, argv, "-:h", longs, NULL)) != -1) {
        switch (c) {
        case 1:
            if (npos == 2)
                return fail("unexpected argument '%s'; allowed: BASE NEW and options", optarg);
            pos[npos++] = optarg;
            break;
        case O_THRESHOLD:
            if (!parse_number("--threshold", optarg, 0, 1000, true, &o->threshold))
                return false;
            break;
        case O_ALPHA:
            if (!parse_number("--alpha", optarg, 1e-9, 0.5, false, &o->alpha))
                return false;
            break;
        case O_RAW:
            o->raw = true;
            break;
        case O_REFERENCE:
            o->reference = optarg;
            break;
        case O_CORRECTION:
            if (strcmp(optarg, "holm") && strcmp(optarg, "none"))
                return fail("--correction: '%s' is not a correction; allowed: holm, none", optarg);
            o->holm = strcmp(optarg, "holm") == 0;
            break;
        case O_METRIC:
            if (strcmp(optarg, "cpu") && strcmp(optarg, "real"))
                return fail("--metric: '%s' is not a metric; allowed: cpu, real", optarg);
            o->metric = strcmp(optarg, "cpu") ? CMP_REAL_TIME : CMP_CPU_TIME;
            break;
        case 'h':
            usage(stdout);
            exit(0);
        case ':':
            return fail("%s needs a value; see 'smrbench compare --help'", argv[optind - 1]);
        default:
            return fail("unknown option '%s'; see 'smrbench compare --help'", argv[optind - 1]);
        }
    }
    if (npos < 2)
        return fail("needs two result sets, BASE and NEW; see 'smrbench compare --help'");
    o->base = pos[0];
    o->next = pos[1];
    return true;
}

static void format_value(char *buf, size_t len, double v, const struct cmp_set *s, bool raw)
{
    if (!raw)
        snprintf(buf, len, "%.4fx", v);
    else if (s->kind == CMP_MICRO)
        snprintf(buf, len, "%.3f ns", v);
    else
        snprintf(buf, len, "%.3f M/s", v / 1e6);
}

/* One entry of both sets. */
struct cmp_row {
    const struct cmp_entry *base, *next;
    double base_median, next_median, change;
    double p;                   /* corrected if asked; NAN: too few values to test */
};

static struct cmp_row make_row(const struct cmp_opts *o, const struct cmp_entry *b,
                               const struct cmp_entry *n)
{
    struct cmp_row r = {.base = b, .next = n, .base_median = cmp_median(b->v, b->n),
                        .next_median = cmp_median(n->v, n->n), .p = NAN};
    r.change = r.base_median != 0 ? r.next_median / r.base_median - 1 : 0;
    if (mwu_min_p(b->n, n->n) < o->alpha)
        r.p = mwu_test(b->v, b->n, n->v, n->n).p;
    return r;
}

static int by_p(const void *a, const void *b)
{
    double x = (*(struct cmp_row *const *)a)->p, y = (*(struct cmp_row *const *)b)->p;
    return (x > y) - (x < y);
}

/*
 * Holm's step-down correction over the tested rows: the i-th smallest of m
 * p-values becomes max over j <= i of min(1, (m - j + 1) p_j), so that the
 * chance of any false verdict in the whole report stays below alpha.
 */
static void holm_correct(struct cmp_row *rows, size_t n)
{
    struct cmp_row **tested = malloc((n ? n : 1) * sizeof(*tested));
    if (!tested)
        abort();
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(rows[i].p))
            tested[m++] = &rows[i];
    qsort(tested, m, sizeof(*tested), by_p);
    double running = 0;
    for (size_t i = 0; i < m; i++) {
        double adjusted = fmin(1, (double)(m - i) * tested[i]->p);
        running = fmax(running, adjusted);
        tested[i]->p = running;
    }
    free(tested);
}

/* Print a row, count its verdict. */
static void print_row(const struct cmp_opts *o, const struct cmp_set *base,
                      const struct cmp_row *r, struct cmp_tally *t)
{
    bool worse = cmp_lower_is_better(base) ? r->change > 0 : r->change < 0;
    bool testable = !isnan(r->p);
    bool big = fabs(r->change) * 100 >= o->threshold;
    const char *verdict = "same";
    if (big && (!testable || r->p < o->alpha))
        verdict = worse ? "REGRESSED" : "improved";
    else if (big)
        verdict = "noise";
    t->compared++;
    t->untested += !testable;
    t->regressed += verdict[0] == 'R';
    t->improved += verdict[0] == 'i';
    t->noise += verdict[0] == 'n';
    t->same += verdict[0] == 's';
    char bs[32], ns[32], ps[16];
    format_value(bs, sizeof bs, r->base_median, base, o->raw);
    format_value(ns, sizeof ns, r->next_median, base, o->raw);
    snprintf(ps, sizeof ps, testable ? "%.4f" : "n/a", r->p);
    printf("%-44s %13s %13s %+8.1f%% %7s  %s\n", r->base->key, bs, ns, r->change * 100, ps,
           verdict);
}

static void print_footer(const struct cmp_opts *o, const struct cmp_set *b, const struct cmp_set *n,
                         const struct cmp_tally *t)
{
    printf("%zu compared: %zu regressed, %zu improved, %zu noise (beyond the threshold, not "
           "significant), %zu same\n", t->compared, t->regressed, t->improved, t->noise, t->same);
    if (t->untested)
        printf("note: %zu entries have too few repetitions for the U test to reach alpha %g: "
               "judged by the threshold alone\n", t->untested, o->alpha);
    if (t->missing)
        printf("note: %zu entries of BASE are not in NEW\n", t->missing);
    if (t->added)
        printf("note: %zu entries of NEW are not in BASE\n", t->added);
    if (t->no_reference && strcmp(o->reference, CMP_REFERENCE_PEERS) == 0)
        printf("note: %zu entries have no other scheme measured alongside them (--reference, "
               "--raw)\n", t->no_reference);
    else if (t->no_reference)
        printf("note: %zu entries have no '%s' measured alongside them (--reference, --raw)\n",
               t->no_reference, o->reference);
    if (b->failed || n->failed)
        printf("note: runs that reported an error were left out: %zu in BASE, %zu in NEW\n",
               b->failed, n->failed);
    const struct cmp_set *sets[] = {b, n};
    const char *roles[] = {"BASE", "NEW"};
    for (int i = 0; i < 2; i++) {
        if (sets[i]->interrupted + sets[i]->cut)
            printf("note: %s: %zu row(s) left out, not measured in full: %zu interrupted, "
                   "%zu failed (their status in summary.csv)\n", roles[i],
                   sets[i]->interrupted + sets[i]->cut, sets[i]->interrupted, sets[i]->cut);
        if (sets[i]->unfinished)
            printf("note: %s is an unfinished sweep (\"complete\": false in run.json): it was "
                   "interrupted or stopped before its last cell\n", roles[i]);
    }
    if (b->machine[0] && n->machine[0] && strcmp(b->machine, n->machine) != 0)
        printf("note: BASE ran on '%s', NEW on '%s'\n", b->machine, n->machine);
}

static void print_header(const struct cmp_opts *o, const struct cmp_set *b)
{
    const char *what = o->raw ? (b->kind == CMP_MICRO ? "raw time (lower is better)"
                                                      : "raw ops/s (higher is better)")
                       : b->kind == CMP_MICRO
                           ? "time / the reference's median time in the same file (lower is better)"
                           : "ops/s / the reference's ops/s at the same repetition (higher is better)";
    printf("# %s; U test two-sided, alpha %g%s; threshold %g%%", what, o->alpha,
           o->holm ? ", p corrected for the entries tested (Holm)" : "", o->threshold);
    if (!o->raw)
        printf("; reference %s", o->reference);
    printf("\n%-44s %13s %13s %9s %7s  %s\n", "entry", "base", "new", "change", "p", "verdict");
}

static int compare_sets(const struct cmp_opts *o, struct cmp_set *b, struct cmp_set *n)
{
    struct cmp_tally t = {0};
    struct cmp_row *rows = malloc((b->n ? b->n : 1) * sizeof(*rows));
    if (!rows)
        abort();
    size_t nrows = 0;
    char scheme[128];
    for (size_t i = 0; i < b->n; i++) {
        const struct cmp_entry *be = &b->e[i];
        cmp_key_scheme(be->key, scheme, sizeof scheme);
        if (!o->raw && strcmp(scheme, o->reference) == 0)
            continue; /* the reference: 1 by construction */
        const struct cmp_entry *ne = cmp_find(n, be->key);
        if (!ne)
            t.missing++;
        else if (be->no_reference || ne->no_reference || !be->n || !ne->n)
            t.no_reference++;
        else
            rows[nrows++] = make_row(o, be, ne);
    }
    for (size_t i = 0; i < n->n; i++)
        t.added += !cmp_find(b, n->e[i].key);
    if (nrows == 0) {
        free(rows);
        fail("BASE and NEW have no entry in common%s; allowed: two result sets of the same "
             "benchmarks", o->raw ? "" : " with its reference measured alongside");
        return 2;
    }
    if (o->holm)
        holm_correct(rows, nrows);
    print_header(o, b);
    for (size_t i = 0; i < nrows; i++)
        print_row(o, b, &rows[i], &t);
    print_footer(o, b, n, &t);
    free(rows);
    return t.regressed ? 1 : 0;
}

int cmd_compare(int argc, char **argv)
{
    struct cmp_opts o;
    if (!parse_args(argc, argv, &o))
        return 2;
    struct cmp_set b, n;
    struct cmp_load_opts lo = {.metric = o.metric, .reference = o.raw ? NULL : o.reference};
    if (!cmp_load("BASE", o.base, &lo, &b))
        return 2;
    if (!cmp_load("NEW", o.next, &lo, &n)) {
        cmp_free(&b);
        return 2;
    }
    int status;
    if (b.kind != n.kind) {
        fail("BASE is %s and NEW %s; allowed: two of the same kind",
             b.kind == CMP_MICRO ? "a micro result" : "a run",
             n.kind == CMP_MICRO ? "a micro result" : "a run");
        status = 2;
    } else {
        status = compare_sets(&o, &b, &n);
    }
    cmp_free(&b);
    cmp_free(&n);
    return status;
}
