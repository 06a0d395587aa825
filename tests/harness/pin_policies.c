/* Tests for harness/run/pin.c: placement on synthetic topologies, --pin parsing, formatting, and the real machine. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* fork, sched_getaffinity, CPU_COUNT */
#endif

#include "pin.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __linux__
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

static int npass, nfail;

static void check(bool ok, const char *name, const char *fmt, ...)
{
    if (ok) {
        npass++;
        printf("ok   %s\n", name);
        return;
    }
    nfail++;
    printf("FAIL %s: ", name);
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

static void fmt_ints(const int *a, int n, char *buf, size_t len)
{
    size_t pos = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && pos < len; i++)
        pos += (size_t)snprintf(buf + pos, len - pos, "%s%d", i ? "," : "", a[i]);
}

static hwloc_topology_t load_syn(const char *desc)
{
    hwloc_topology_t t;
    char err[256] = "";
    int rc = pin_topology_load_synthetic(&t, desc, err, sizeof err);
    char name[128];
    snprintf(name, sizeof name, "load synthetic '%s'", desc);
    check(rc == 0 && t != NULL, name, "rc=%d err='%s'", rc, err);
    return rc == 0 ? t : NULL;
}

/* Plans `pin` for nthreads on topo and compares the PU array, the oversubscribed flag and policy_text. */
static void expect_plan_topo(hwloc_topology_t topo, const char *label, const char *pin, int nthreads, const int *exp,
                             bool over, const char *text)
{
    char name[200], err[256] = "", got[1024], want[1024];
    snprintf(name, sizeof name, "%s: --pin %s, %d threads", label, pin, nthreads);
    if (!topo) {
        check(false, name, "no topology");
        return;
    }
    struct pin_spec spec;
    if (pin_spec_parse(pin, &spec, err, sizeof err) != 0) {
        check(false, name, "parse failed: %s", err);
        return;
    }
    struct pin_plan plan;
    int rc = pin_plan_make(topo, &spec, nthreads, &plan, err, sizeof err);
    if (rc != 0) {
        check(false, name, "plan failed: %s", err);
        pin_spec_free(&spec);
        return;
    }
    fmt_ints(plan.pu, plan.nthreads, got, sizeof got);
    fmt_ints(exp, nthreads, want, sizeof want);
    bool ok = plan.nthreads == nthreads && memcmp(plan.pu, exp, (size_t)nthreads * sizeof *exp) == 0 &&
              plan.oversubscribed == over && strcmp(plan.policy_text, text) == 0;
    check(ok, name, "got [%s] over=%d text='%s'; want [%s] over=%d text='%s'", got, plan.oversubscribed,
          plan.policy_text, want, over, text);
    pin_plan_free(&plan);
    pin_spec_free(&spec);
}

static void expect_plan(const char *desc, const char *pin, int nthreads, const int *exp, bool over, const char *text)
{
    hwloc_topology_t t;
    char err[256];
    if (pin_topology_load_synthetic(&t, desc, err, sizeof err) != 0) {
        check(false, desc, "cannot load: %s", err);
        return;
    }
    expect_plan_topo(t, desc, pin, nthreads, exp, over, text);
    hwloc_topology_destroy(t);
}

static void expect_parse_ok(const char *arg, enum pin_policy pol, const int *exp, int n)
{
    char name[128], err[256] = "", got[512] = "", want[512] = "";
    snprintf(name, sizeof name, "parse '%s'", arg);
    struct pin_spec s;
    int rc = pin_spec_parse(arg, &s, err, sizeof err);
    if (rc != 0) {
        check(false, name, "rc=%d err='%s'", rc, err);
        return;
    }
    if (s.pus)
        fmt_ints(s.pus, s.npus, got, sizeof got);
    if (exp)
        fmt_ints(exp, n, want, sizeof want);
    bool ok = s.policy == pol && s.npus == n && (n == 0 ? s.pus == NULL : memcmp(s.pus, exp, (size_t)n * sizeof *exp) == 0);
    check(ok, name, "policy=%d npus=%d [%s]; want policy=%d npus=%d [%s]", s.policy, s.npus, got, pol, n, want);
    pin_spec_free(&s);
}

/* The error must be a single line and mention every needle. */
static void expect_parse_err(const char *arg, const char *needle1, const char *needle2)
{
    char name[128], err[256] = "";
    snprintf(name, sizeof name, "parse error for %s%s%s", arg ? "'" : "", arg ? arg : "NULL", arg ? "'" : "");
    struct pin_spec s;
    int rc = pin_spec_parse(arg, &s, err, sizeof err);
    bool ok = rc == -1 && s.pus == NULL && s.npus == 0 && err[0] != '\0' && !strchr(err, '\n') &&
              strstr(err, needle1) && (!needle2 || strstr(err, needle2));
    check(ok, name, "rc=%d err='%s' (want '%s'%s%s)", rc, err, needle1, needle2 ? " and " : "", needle2 ? needle2 : "");
    if (rc == 0)
        pin_spec_free(&s);
    else
        printf("     -> %s\n", err);
}

static void test_parse(void)
{
    expect_parse_ok("compact", PIN_COMPACT, NULL, 0);
    expect_parse_ok("scatter", PIN_SCATTER, NULL, 0);
    expect_parse_ok("none", PIN_NONE, NULL, 0);
    expect_parse_ok("0,2,4-7", PIN_LIST, (int[]){0, 2, 4, 5, 6, 7}, 6);
    expect_parse_ok("7", PIN_LIST, (int[]){7}, 1);
    expect_parse_ok("2-2", PIN_LIST, (int[]){2}, 1);
    expect_parse_ok("3,1,3", PIN_LIST, (int[]){3, 1, 3}, 3);

    expect_parse_err("", "empty", "allowed: compact, scatter, none");
    expect_parse_err(NULL, "empty", "allowed: compact, scatter, none");
    expect_parse_err("foo", "'foo' is not a policy", "allowed: compact, scatter, none, or a PU list like 0,2,4-7");
    expect_parse_err("Compact", "'Compact' is not a policy", NULL);
    expect_parse_err("1,,2", "empty entry", "'1,,2'");
    expect_parse_err("1,", "empty entry", NULL);
    expect_parse_err(",1", "empty entry", NULL);
    expect_parse_err("3-1", "'3-1'", "reversed; write it as 1-3");
    expect_parse_err("-1", "'-1'", "not a PU number or range");
    expect_parse_err("x,1", "'x' in PU list 'x,1'", "not a PU number or range");
    expect_parse_err("1-", "'1-'", "not a PU number or range");
    expect_parse_err("1-2-3", "'1-2-3'", "not a PU number or range");
    expect_parse_err("0, 1", "' 1'", "not a PU number or range");
    expect_parse_err("99999999999999999999", "exceeds the largest PU index", NULL);
    expect_parse_err("0-70000", "'0-70000'", "exceeds");
}

static void test_compact_scatter(void)
{
    const char *d = "pack:2 core:4 pu:2";
    expect_plan(d, "compact", 1, (int[]){0}, false, "compact");
    expect_plan(d, "compact", 3, (int[]){0, 1, 2}, false, "compact");
    expect_plan(d, "compact", 16, (int[]){0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, false, "compact");
    expect_plan(d, "compact", 18, (int[]){0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1}, true,
                "compact");
    expect_plan(d, "scatter", 1, (int[]){0}, false, "scatter");
    expect_plan(d, "scatter", 4, (int[]){0, 8, 2, 10}, false, "scatter");
    expect_plan(d, "scatter", 8, (int[]){0, 8, 2, 10, 4, 12, 6, 14}, false, "scatter");
    expect_plan(d, "scatter", 16, (int[]){0, 8, 2, 10, 4, 12, 6, 14, 1, 9, 3, 11, 5, 13, 7, 15}, false, "scatter");
    expect_plan(d, "scatter", 19, (int[]){0, 8, 2, 10, 4, 12, 6, 14, 1, 9, 3, 11, 5, 13, 7, 15, 0, 8, 2}, true,
                "scatter");

    /* NUMA level (a Group per NUMA node in hwloc 2): packages, then NUMA nodes, then cores, then SMT. */
    const char *n = "pack:2 numa:2 core:2 pu:2";
    expect_plan(n, "scatter", 4, (int[]){0, 8, 4, 12}, false, "scatter");
    expect_plan(n, "scatter", 16, (int[]){0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15}, false, "scatter");
    expect_plan(n, "compact", 5, (int[]){0, 1, 2, 3, 4}, false, "compact");

    const char *s = "pack:1 core:2 pu:1";
    expect_plan(s, "compact", 2, (int[]){0, 1}, false, "compact");
    expect_plan(s, "scatter", 2, (int[]){0, 1}, false, "scatter");
    expect_plan(s, "compact", 5, (int[]){0, 1, 0, 1, 0}, true, "compact");
    expect_plan(s, "scatter", 3, (int[]){0, 1, 0}, true, "scatter");

    /* Linux-style numbering where SMT siblings are far apart: plans must report OS indexes, not logical ones. */
    const char *l = "pack:1 core:2 pu:2(indexes=0,2,1,3)";
    expect_plan(l, "compact", 4, (int[]){0, 2, 1, 3}, false, "compact");
    expect_plan(l, "scatter", 4, (int[]){0, 1, 2, 3}, false, "scatter");
    expect_plan(l, "scatter", 2, (int[]){0, 1}, false, "scatter");

    /* Unbalanced after restriction (like taskset): package 1 keeps only cores 0-1. Every core's first PU
       must still come before any SMT sibling. */
    hwloc_topology_t t = load_syn(d);
    if (t) {
        hwloc_bitmap_t set = hwloc_bitmap_alloc();
        hwloc_bitmap_set_range(set, 0, 11);
        int rc = hwloc_topology_restrict(t, set, HWLOC_RESTRICT_FLAG_REMOVE_CPULESS);
        hwloc_bitmap_free(set);
        check(rc == 0, "restrict synthetic to PUs 0-11", "rc=%d", rc);
        if (rc == 0) {
            expect_plan_topo(t, "restricted 0-11", "scatter", 12, (int[]){0, 8, 2, 10, 4, 6, 1, 9, 3, 11, 5, 7}, false,
                             "scatter");
            expect_plan_topo(t, "restricted 0-11", "compact", 13, (int[]){0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0},
                             true, "compact");
            struct pin_spec spec;
            struct pin_plan plan;
            char err[256] = "";
            pin_spec_parse("0,13", &spec, err, sizeof err);
            rc = pin_plan_make(t, &spec, 2, &plan, err, sizeof err);
            check(rc == -1 && strstr(err, "PU 13") && strstr(err, "allowed PUs: 0-11") && plan.pu == NULL,
                  "restricted 0-11: list PU 13 rejected", "rc=%d err='%s'", rc, err);
            printf("     -> %s\n", err);
            pin_spec_free(&spec);
        }
        hwloc_topology_destroy(t);
    }
}

static void test_list_none(void)
{
    const char *d = "pack:2 core:4 pu:2";
    expect_plan(d, "0,2,4-7", 6, (int[]){0, 2, 4, 5, 6, 7}, false, "list:0,2,4-7");
    expect_plan(d, "0,2,4-7", 3, (int[]){0, 2, 4}, false, "list:0,2,4-7");
    expect_plan(d, "0,2,4-7", 8, (int[]){0, 2, 4, 5, 6, 7, 0, 2}, true, "list:0,2,4-7");
    expect_plan(d, "3,4,5,1", 4, (int[]){3, 4, 5, 1}, false, "list:3-5,1");
    expect_plan(d, "15", 2, (int[]){15, 15}, true, "list:15");
    expect_plan(d, "3,3", 2, (int[]){3, 3}, true, "list:3,3");
    expect_plan(d, "none", 3, (int[]){-1, -1, -1}, false, "none");
    expect_plan(d, "none", 17, (int[]){-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1}, true,
                "none");

    hwloc_topology_t t = load_syn("pack:1 core:2 pu:1");
    if (t) {
        struct pin_spec spec;
        struct pin_plan plan;
        char err[256] = "";
        pin_spec_parse("0,2", &spec, err, sizeof err);
        int rc = pin_plan_make(t, &spec, 2, &plan, err, sizeof err);
        check(rc == -1 && strstr(err, "PU 2") && strstr(err, "allowed PUs: 0-1") && !strchr(err, '\n'),
              "list with missing PU 2 rejected", "rc=%d err='%s'", rc, err);
        printf("     -> %s\n", err);
        pin_plan_free(&plan);
        pin_spec_free(&spec);

        pin_spec_parse("compact", &spec, err, sizeof err);
        rc = pin_plan_make(t, &spec, 0, &plan, err, sizeof err);
        check(rc == -1 && strstr(err, "at least 1"), "0 threads rejected", "rc=%d err='%s'", rc, err);
        hwloc_topology_destroy(t);
    }

    hwloc_topology_t bad;
    char err[256] = "";
    int rc = pin_topology_load_synthetic(&bad, "pack:2 bogus:3", err, sizeof err);
    check(rc == -1 && bad == NULL && strstr(err, "bogus"), "invalid synthetic description rejected",
          "rc=%d err='%s'", rc, err);
}

/*
 * A large machine: 4 packages x 2 NUMA nodes x 24 cores x 2 PUs (SMT), 384
 * PUs, at the thread counts of the many-thread runs. The expected plans are
 * computed here from the documented rules, not from pin.c: compact takes PUs
 * in order; scatter puts thread i on package i mod 4, then NUMA node, core
 * and SMT sibling from the next digits (packages, then NUMA nodes, then
 * cores before a second PU of any core); a PU list is taken in its order;
 * past the PUs every policy starts over (oversubscribed).
 */
enum { BIG_PACKS = 4, BIG_NUMA = 2, BIG_CORES = 24, BIG_SMT = 2,
       BIG_PUS = BIG_PACKS * BIG_NUMA * BIG_CORES * BIG_SMT };

static int big_scatter_pu(int i)
{
    i %= BIG_PUS;
    int pack = i % BIG_PACKS, numa = i / BIG_PACKS % BIG_NUMA;
    int core = i / (BIG_PACKS * BIG_NUMA) % BIG_CORES, smt = i / (BIG_PACKS * BIG_NUMA * BIG_CORES);
    return ((pack * BIG_NUMA + numa) * BIG_CORES + core) * BIG_SMT + smt;
}

static void test_large_machine(void)
{
    hwloc_topology_t t = load_syn("pack:4 numa:2 core:24 pu:2");
    if (!t)
        return;
    char summary[256];
    pin_topology_summary(t, summary, sizeof summary);
    check(strcmp(summary, "4 packages, 8 NUMA nodes, 192 cores, 384 PUs (allowed: 0-383)") == 0,
          "large machine: summary", "got '%s'", summary);
    static const int list[] = {0, 2, 4, 5, 6, 7, 380, 381, 382, 383};
    const int nlist = (int)(sizeof list / sizeof list[0]);
    static int want[1024];
    const int counts[] = {64, 256, 384, 1024};
    for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
        int n = counts[k];
        bool over = n > BIG_PUS;
        for (int i = 0; i < n; i++)
            want[i] = i % BIG_PUS;
        expect_plan_topo(t, "large machine", "compact", n, want, over, "compact");
        for (int i = 0; i < n; i++)
            want[i] = big_scatter_pu(i);
        expect_plan_topo(t, "large machine", "scatter", n, want, over, "scatter");
        for (int i = 0; i < n; i++)
            want[i] = list[i % nlist];
        expect_plan_topo(t, "large machine", "0,2,4-7,380-383", n, want, n > nlist,
                         "list:0,2,4-7,380-383");
    }
    /* The first threads of scatter, spelled out: one per package, then the
       other NUMA node of each, then the next core. */
    expect_plan_topo(t, "large machine", "scatter", 10,
                     (int[]){0, 96, 192, 288, 48, 144, 240, 336, 2, 98}, false, "scatter");
    hwloc_topology_destroy(t);
}

static void expect_summary(const char *desc, const char *want)
{
    hwloc_topology_t t;
    char err[256], buf[256] = "", name[128];
    snprintf(name, sizeof name, "summary of '%s'", desc);
    if (pin_topology_load_synthetic(&t, desc, err, sizeof err) != 0) {
        check(false, name, "cannot load: %s", err);
        return;
    }
    pin_topology_summary(t, buf, sizeof buf);
    check(strcmp(buf, want) == 0, name, "got '%s', want '%s'", buf, want);
    hwloc_topology_destroy(t);
}

static void test_format(void)
{
    expect_summary("pack:2 core:4 pu:2", "2 packages, 1 NUMA node, 8 cores, 16 PUs (allowed: 0-15)");
    expect_summary("pack:2 numa:2 core:2 pu:2", "2 packages, 4 NUMA nodes, 8 cores, 16 PUs (allowed: 0-15)");
    expect_summary("pack:1 core:1 pu:1", "1 package, 1 NUMA node, 1 core, 1 PU (allowed: 0)");
    expect_summary("pack:1 l3:1(size=8MiB) l2:2(size=1MiB) core:1 pu:2",
                   "1 package, 1 NUMA node, 2 cores, 4 PUs (allowed: 0-3); L3 8 MiB");
    expect_summary("pack:1 l2:2(size=1280KiB) core:1 pu:1",
                   "1 package, 1 NUMA node, 2 cores, 2 PUs (allowed: 0-1); L2 1.2 MiB");

    int pus[] = {0, 8, -1, 10};
    struct pin_plan p = {.nthreads = 4, .pu = pus};
    char buf[64];
    pin_plan_format(&p, buf, sizeof buf);
    check(strcmp(buf, "0,8,-,10") == 0, "plan format with unbound thread", "got '%s'", buf);
    pin_plan_format(&p, buf, 6);
    check(strcmp(buf, "0,...") == 0, "plan format truncates with ...", "got '%s'", buf);
}

static void test_real_machine(void)
{
    hwloc_topology_t t;
    char err[256] = "", buf[512] = "";
    int rc = pin_topology_load(&t, err, sizeof err);
    check(rc == 0 && t, "load real topology", "rc=%d err='%s'", rc, err);
    if (rc != 0)
        return;
    pin_topology_summary(t, buf, sizeof buf);
    printf("     real machine: %s\n", buf);

    struct pin_spec spec;
    struct pin_plan plan;
    pin_spec_parse("compact", &spec, err, sizeof err);
    rc = pin_plan_make(t, &spec, 1, &plan, err, sizeof err);
    check(rc == 0 && plan.available_pus >= 1 && plan.pu[0] >= 0 && !plan.oversubscribed,
          "real machine: compact plan, available_pus >= 1", "rc=%d err='%s' available=%d", rc, err,
          rc == 0 ? plan.available_pus : -1);
    if (rc != 0) {
        hwloc_topology_destroy(t);
        return;
    }
    int avail = plan.available_pus;
    int first = plan.pu[0];
    pin_plan_free(&plan);

#ifdef __linux__
    /* available_pus must be the affinity mask, so `taskset -c 1 pin_policies` sees exactly one PU. */
    cpu_set_t mask;
    CPU_ZERO(&mask);
    if (sched_getaffinity(0, sizeof mask, &mask) == 0)
        check(avail == CPU_COUNT(&mask), "real machine: available_pus matches sched_getaffinity",
              "available_pus=%d affinity=%d", avail, CPU_COUNT(&mask));
#endif

    /* Bind for real, then read it back. Done in a child so the test process keeps its affinity. */
#ifdef __linux__
    pid_t pid = fork();
    if (pid == 0) {
        if (pin_bind_self(t, first) != 0)
            _exit(2);
        hwloc_bitmap_t now = hwloc_bitmap_alloc();
        int ok = hwloc_get_cpubind(t, now, HWLOC_CPUBIND_THREAD) == 0 && hwloc_bitmap_weight(now) == 1 &&
                 hwloc_bitmap_isset(now, (unsigned)first);
        _exit(ok && pin_bind_self(t, -1) == 0 ? 0 : 3);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    check(pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0, "real machine: pin_bind_self binds to the PU",
          "child status %d", st);

    /* Simulate `taskset -c <last PU>`: the reloaded topology must contain only that PU. */
    if (avail >= 2) {
        pin_spec_parse("scatter", &spec, err, sizeof err);
        pin_plan_make(t, &spec, avail, &plan, err, sizeof err);
        int last = plan.pu[avail - 1];
        pin_plan_free(&plan);
        pid = fork();
        if (pid == 0) {
            hwloc_obj_t pu = hwloc_get_pu_obj_by_os_index(t, (unsigned)last);
            if (!pu || hwloc_set_cpubind(t, pu->cpuset, HWLOC_CPUBIND_PROCESS) != 0)
                _exit(2);
            hwloc_topology_t r;
            char e[256], s[512], want[64];
            if (pin_topology_load(&r, e, sizeof e) != 0)
                _exit(3);
            struct pin_plan pp;
            if (pin_plan_make(r, &spec, 2, &pp, e, sizeof e) != 0)
                _exit(4);
            pin_topology_summary(r, s, sizeof s);
            snprintf(want, sizeof want, "1 PU (allowed: %d)", last);
            int ok = pp.available_pus == 1 && pp.pu[0] == last && pp.pu[1] == last && pp.oversubscribed &&
                     strstr(s, want) != NULL;
            printf("     restricted child: %s\n", s);
            fflush(stdout);
            _exit(ok ? 0 : 5);
        }
        waitpid(pid, &st, 0);
        char name[128];
        snprintf(name, sizeof name, "real machine: load honours CPU binding (bound to PU %d)", last);
        check(pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0, name, "child status %d", st);
    } else {
        printf("skip real machine: binding restriction (only 1 PU available)\n");
    }
#endif
    pin_spec_free(&spec);
    hwloc_topology_destroy(t);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_parse();
    test_compact_scatter();
    test_list_none();
    test_large_machine();
    test_format();
    test_real_machine();
    printf("%d passed, %d failed\n", npass, nfail);
    return nfail == 0 ? 0 : 1;
}
