/*
 * compare.c - `smrbench compare BASE NEW`: for every entry of both result
 * sets, the change of its median and whether it is significant: the
 * Mann-Whitney U test over the repetitions and a relative threshold, as
 * Google Benchmark's compare.py reports them, with the p-values corrected
 * for the number of entries compared (Holm), since a report of thirty
 * entries at alpha 0.05 would otherwise flag one in four times by chance.
 * By default the values are ratios to `none` measured in the same run, so
 * a machine that is slower as a whole moves nothing. With --confirm FIRST,
 * the regression gate's second step: NEW tests again only the entries
 * FIRST flagged against BASE, at alpha / k (Bonferroni over those k), and
 * only an entry flagged by both regressed. Sets merged from several
 * machines are matched per machine, each entry's reference taken on its own
 * machine. The report (table, JSON or CSV) is compare_report.c's. Exit 0: nothing regressed, 1: something
 * did, 2: bad input.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "mwu.h"
#include "util.h"

#define CMP_DEFAULT_THRESHOLD 5.0
#define CMP_DEFAULT_ALPHA 0.05

#define fail(...) util_fail("smrbench compare", NULL, __VA_ARGS__)

static void usage(FILE *f)
{
    fprintf(f,
            "usage: smrbench compare BASE NEW [--threshold PERCENT] [--alpha A] [--raw]\n"
            "                        [--reference SCHEME|peers] [--correction holm|none]\n"
            "                        [--metric cpu|real] [--format table|json|csv]\n"
            "                        [--confirm FIRST]\n\n"
            "BASE and NEW: run folders (smrbench run -o) or their run.json, Google Benchmark\n"
            "JSON files (smrbench micro --benchmark_format=json), or folders of such files,\n"
            "each one run of the same benchmarks. An entry's values are its repetitions (from\n"
            "a folder of files: one per file, the median of its repetitions), as ratios to\n"
            "the reference scheme measured in the same file (micro: time / the reference's\n"
            "median time; run: ops/s / the reference's ops/s at the same repetition). An\n"
            "entry regressed when it got worse by at least the threshold and the two-sided\n"
            "Mann-Whitney U test over the values gives p < alpha, p corrected by Holm's\n"
            "method for the number of entries tested (with too few values for the test to\n"
            "reach alpha, the threshold alone). Run sets merged from several machines are\n"
            "matched per machine (MACHINE: STRUCTURE/SCHEME/threads:T/MIX), each entry's\n"
            "reference taken on its own machine.\n\n"
            "  --threshold PERCENT  smallest change that counts (default %g)\n"
            "  --alpha A            significance level of the U test (default %g)\n"
            "  --raw                compare raw times or ops/s, not ratios\n"
            "  --reference SCHEME   the reference scheme (default none); peers: the geometric\n"
            "                       mean of the other schemes of the same benchmark\n"
            "  --correction holm|none  multiple-comparison correction of p (default holm)\n"
            "  --metric cpu|real    micro: cpu_time (default) or real_time\n"
            "  --format table|json|csv  the report: a table (default), one JSON object, or\n"
            "                       CSV rows (entry,base,new,change_percent,p,verdict)\n"
            "  --confirm FIRST      NEW confirms what FIRST (a set of the same kind) flagged\n"
            "                       against BASE: only those k entries are tested, at alpha / k\n"
            "                       with no other correction, and only an entry flagged by\n"
            "                       both regressed (the regression gate's rule, docs/gate.md)\n\n"
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
    enum { O_THRESHOLD = 256, O_ALPHA, O_RAW, O_REFERENCE, O_CORRECTION, O_METRIC, O_FORMAT,
           O_CONFIRM };
    static const struct option longs[] = {
        {"threshold", required_argument, 0, O_THRESHOLD}, {"alpha", required_argument, 0, O_ALPHA},
        {"raw", no_argument, 0, O_RAW}, {"reference", required_argument, 0, O_REFERENCE},
        {"correction", required_argument, 0, O_CORRECTION},
        {"metric", required_argument, 0, O_METRIC}, {"format", required_argument, 0, O_FORMAT},
        {"confirm", required_argument, 0, O_CONFIRM}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
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
        case O_FORMAT:
            if (strcmp(optarg, "table") == 0)
                o->format = CMP_TABLE;
            else if (strcmp(optarg, "json") == 0)
                o->format = CMP_JSON;
            else if (strcmp(optarg, "csv") == 0)
                o->format = CMP_CSV;
            else
                return fail("--format: '%s' is not a format; allowed: table, json, csv", optarg);
            break;
        case O_CONFIRM:
            o->confirm = optarg;
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

static struct cmp_row make_row(double alpha, const struct cmp_entry *b, const struct cmp_entry *n)
{
    struct cmp_row r = {.base = b, .next = n, .base_median = cmp_median(b->v, b->n),
                        .next_median = cmp_median(n->v, n->n), .p = NAN};
    r.change = r.base_median != 0 ? r.next_median / r.base_median - 1 : 0;
    if (mwu_min_p(b->n, n->n) < alpha)
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
    struct cmp_row **tested = util_xmalloc(n * sizeof(*tested));
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

/* The verdict of a row judged at alpha, counted into t. */
static void give_verdict(const struct cmp_opts *o, const struct cmp_set *base, double alpha,
                         struct cmp_row *r, struct cmp_tally *t)
{
    bool worse = cmp_lower_is_better(base) ? r->change > 0 : r->change < 0;
    bool testable = !isnan(r->p);
    bool big = fabs(r->change) * 100 >= o->threshold;
    r->verdict = "same";
    if (big && (!testable || r->p < alpha))
        r->verdict = worse ? "REGRESSED" : "improved";
    else if (big)
        r->verdict = "noise";
    t->compared++;
    t->untested += !testable;
    t->regressed += r->verdict[0] == 'R';
    t->improved += r->verdict[0] == 'i';
    t->noise += r->verdict[0] == 'n';
    t->same += r->verdict[0] == 's';
}

/* Whether e is one of the k entries in only (every entry when only is NULL). */
static bool selected(const struct cmp_entry *e, const struct cmp_entry *const *only, size_t k)
{
    if (!only)
        return true;
    for (size_t i = 0; i < k; i++)
        if (strcmp(only[i]->key, e->key) == 0 && strcmp(only[i]->machine, e->machine) == 0)
            return true;
    return false;
}

/*
 * The rows of BASE against NEW, judged at alpha (p corrected by Holm when
 * holm): every entry BASE has, or only the k entries of `only` when it is
 * not NULL. rows has room for b->n. Returns the number of rows.
 */
static size_t judge(const struct cmp_opts *o, struct cmp_set *b, struct cmp_set *n,
                    const struct cmp_entry *const *only, size_t k, double alpha, bool holm,
                    struct cmp_row *rows, struct cmp_tally *t)
{
    size_t nrows = 0;
    char scheme[128];
    for (size_t i = 0; i < b->n; i++) {
        const struct cmp_entry *be = &b->e[i];
        cmp_key_scheme(be->key, scheme, sizeof scheme);
        if ((!o->raw && strcmp(scheme, o->reference) == 0) || !selected(be, only, k))
            continue; /* the reference: 1 by construction */
        const struct cmp_entry *ne = cmp_find(n, be->key, be->machine);
        if (!ne)
            t->missing++;
        else if (be->no_reference || ne->no_reference || !be->n || !ne->n)
            t->no_reference++;
        else
            rows[nrows++] = make_row(alpha, be, ne);
    }
    for (size_t i = 0; i < n->n; i++)
        t->added += !only && !cmp_find(b, n->e[i].key, n->e[i].machine);
    if (holm)
        holm_correct(rows, nrows);
    for (size_t i = 0; i < nrows; i++)
        give_verdict(o, b, alpha, &rows[i], t);
    return nrows;
}

static int no_entry_in_common(const struct cmp_opts *o, const char *next)
{
    fail("BASE and %s have no entry in common%s; allowed: two result sets of the same "
         "benchmarks", next, o->raw ? "" : " with its reference measured alongside");
    return 2;
}

/*
 * BASE against NEW; with first (--confirm), NEW tests only what FIRST
 * flagged against BASE, at alpha / k; per_machine: the entries carry their
 * machines (the report says which only one side has). Prints the report;
 * returns the exit status.
 */
static int compare_sets(const struct cmp_opts *o, struct cmp_set *b, struct cmp_set *n,
                        struct cmp_set *first, bool per_machine)
{
    struct cmp_row *rows = util_xmalloc(b->n * sizeof(*rows));
    const struct cmp_entry **flagged = util_xmalloc(b->n * sizeof(*flagged));
    struct cmp_report r = {.o = o, .base = b, .next = n, .rows = rows, .alpha = o->alpha,
                           .per_machine = per_machine};
    int status = 0;
    if (first) {
        struct cmp_tally t1 = {0};
        size_t m = judge(o, b, first, NULL, 0, o->alpha, o->holm, rows, &t1);
        if (m == 0) {
            status = no_entry_in_common(o, "FIRST");
            goto out;
        }
        for (size_t i = 0; i < m; i++)
            if (rows[i].verdict[0] == 'R')
                flagged[r.flagged++] = rows[i].base;
        if (r.flagged == 0) {
            cmp_report_print(&r); /* nothing to confirm */
            goto out;
        }
        /* Bonferroni over the k entries tested again: the second set
           tests only what the first flagged, so k, not the whole suite. */
        r.alpha = o->alpha / (double)r.flagged;
    }
    r.nrows = judge(o, b, n, first ? flagged : NULL, r.flagged, r.alpha, !first && o->holm, rows,
                    &r.tally);
    if (r.nrows == 0 && !first) {
        status = no_entry_in_common(o, "NEW");
        goto out;
    }
    cmp_report_print(&r);
    status = r.tally.regressed ? 1 : 0;
out:
    free(flagged);
    free(rows);
    return status;
}

static const char *kind_name(const struct cmp_set *s)
{
    return s->kind == CMP_MICRO ? "a micro result" : "a run";
}

int cmd_compare(int argc, char **argv)
{
    struct cmp_opts o;
    if (!parse_args(argc, argv, &o))
        return 2;
    /* BASE, NEW and, with --confirm, FIRST: loaded in that order */
    static const char *const roles[] = {"BASE", "NEW", "FIRST"};
    const char *paths[] = {o.base, o.next, o.confirm};
    struct cmp_set sets[3];
    struct cmp_load_opts lo = {.metric = o.metric, .reference = o.raw ? NULL : o.reference};
    int loaded = 0, status = 2;
    while (loaded < (o.confirm ? 3 : 2) && cmp_load(roles[loaded], paths[loaded], &lo, &sets[loaded]))
        loaded++;
    if (loaded == (o.confirm ? 3 : 2)) {
        int other = 1;
        while (other < loaded && sets[other].kind == sets[0].kind)
            other++;
        /* Entries are matched per machine when a set holds several; two
           sets of one machine each match whatever their machines. */
        bool per_machine = false;
        for (int i = 0; i < loaded; i++)
            per_machine |= cmp_machines(&sets[i]) > 1;
        for (int i = 0; i < loaded && !per_machine; i++)
            cmp_forget_machines(&sets[i]);
        if (other < loaded)
            fail("BASE is %s and %s %s; allowed: sets of the same kind", kind_name(&sets[0]),
                 roles[other], kind_name(&sets[other]));
        else
            status = compare_sets(&o, &sets[0], &sets[1], o.confirm ? &sets[2] : NULL,
                                  per_machine);
    }
    for (int i = 0; i < loaded; i++)
        cmp_free(&sets[i]);
    return status;
}
