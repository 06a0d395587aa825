/* micro_cli.c - `smrbench micro`'s command line: checks, help, the run. */
#include "micro_cli.h"

#include <errno.h>
#include <libgen.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gbench_shim.h"
#include "util.h"

#define fail(...) util_fail("smrbench micro", NULL, __VA_ARGS__)

static void micro_help(void)
{
    printf("usage: smrbench micro [Google Benchmark flags]\n\n"
           "Every scheme's primitives and every (structure, scheme) pair's single operations,\n"
           "through Google Benchmark. Names are FAMILY/SCHEME[/iterations:N]/threads:T; the\n"
           "time is per primitive (per operation), cpu_time summed over the threads.\n\n"
           "Families:\n");
    micro_print_families(stdout);
    printf("\nGoogle Benchmark's --benchmark_* flags pass through, e.g.:\n"
           "  --benchmark_filter=REGEX         e.g. '^(enter_leave|protect)/(none|ebr)/'\n"
           "  --benchmark_list_tests           print the names and exit\n"
           "  --benchmark_repetitions=N        N measurements of each (compare wants 5 or more)\n"
           "  --benchmark_enable_random_interleaving=true   repetitions in random order\n"
           "  --benchmark_min_time=S           seconds per measurement (default 0.5)\n"
           "  --benchmark_format=console|json|csv\n"
           "  --benchmark_out=FILE             also write FILE (--benchmark_out_format=json)\n\n"
           "smrbench compare BASE.json NEW.json compares two JSON outputs.\n");
}

/* The value of `--name=V` when `a` is that flag, else NULL. */
static const char *flag_value(const char *a, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return NULL;
    return a[n] == '=' ? a + n + 1 : a[n] == 0 ? "" : NULL;
}

static bool is_number(const char *v, double min, double *out)
{
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    *out = d;
    return *v && !*end && errno == 0 && d >= min && d <= 1e9;
}

static bool check_out_file(const char *v)
{
    if (!*v)
        return fail("--benchmark_out: needs a file name; allowed: a path in a writable folder");
    char *copy = strdup(v);
    if (!copy)
        return fail("out of memory");
    const char *dir = dirname(copy);
    bool ok = access(dir, W_OK | X_OK) == 0;
    free(copy);
    if (!ok)
        return fail("--benchmark_out: cannot write '%s' (%s); allowed: a path in a writable "
                    "folder", v, strerror(errno));
    return true;
}

static const char *const color_values[] = {"auto", "true", "false", "yes", "no", "on", "off",
                                           "1", "0", NULL};

static bool is_one_of(const char *v, const char *const *allowed)
{
    for (; *allowed; allowed++)
        if (strcmp(v, *allowed) == 0)
            return true;
    return false;
}

static bool check_one(const char *a)
{
    static const char *const format_flags[] = {"--benchmark_format", "--benchmark_out_format"};
    const char *v;
    double d;
    for (int i = 0; i < 2; i++)
        if ((v = flag_value(a, format_flags[i])))
            return !strcmp(v, "console") || !strcmp(v, "json") || !strcmp(v, "csv") ||
                   fail("%s: '%s' is not a format; allowed: console, json, csv", format_flags[i],
                        v);
    if ((v = flag_value(a, "--benchmark_repetitions")))
        return (is_number(v, 1, &d) && d == (double)(int)d) ||
               fail("--benchmark_repetitions: '%s' is not a count; allowed: 1 or more", v);
    if ((v = flag_value(a, "--benchmark_min_time")))
        return (is_number(v, 0, &d) && d > 0) ||
               fail("--benchmark_min_time: '%s' is not a time; allowed: seconds > 0, e.g. 0.05",
                    v);
    if ((v = flag_value(a, "--benchmark_min_warmup_time")))
        return is_number(v, 0, &d) ||
               fail("--benchmark_min_warmup_time: '%s' is not a time; allowed: seconds >= 0", v);
    if ((v = flag_value(a, "--benchmark_out")))
        return check_out_file(v);
    /* Google Benchmark takes any other word as "true", colour codes into a pipe included. */
    if ((v = flag_value(a, "--benchmark_color")))
        return is_one_of(v, color_values) ||
               fail("--benchmark_color: '%s' is not a colour setting; allowed: auto (colour on a "
                    "terminal only), true, false (also yes/no, on/off, 1/0)", v);
    if (strncmp(a, "--benchmark_", 12) != 0 && strncmp(a, "--v=", 4) != 0 &&
        strcmp(a, "--help") != 0)
        return fail("unknown option '%s'; allowed: Google Benchmark's --benchmark_* flags "
                    "(smrbench micro --help)", a);
    return true;
}

bool micro_check_args(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0) {
            micro_help();
            exit(0);
        }
        if (!check_one(argv[i]))
            return false;
    }
    return true;
}

/*
 * Google Benchmark's own matching: a POSIX extended regular expression
 * searched in each name, a leading '-' negating it, empty or "all" for
 * everything. Checked here so that a filter selecting nothing gets the
 * tool's one line, not the library's.
 */
bool micro_check_filter(int argc, char **argv)
{
    const char *filter = NULL;
    for (int i = 1; i < argc; i++) {
        const char *v = flag_value(argv[i], "--benchmark_filter");
        if (v)
            filter = v; /* the last one wins, as in Google Benchmark */
    }
    if (!filter || !*filter || strcmp(filter, "all") == 0)
        return true;
    bool negative = filter[0] == '-';
    regex_t re;
    int rc = regcomp(&re, filter + negative, REG_EXTENDED | REG_NOSUB);
    if (rc != 0) {
        char why[128];
        regerror(rc, &re, why, sizeof why);
        return fail("--benchmark_filter: '%s' is not a regular expression (%s); allowed: an "
                    "extended regular expression, e.g. '^enter_leave/(ebr|hp)/'", filter, why);
    }
    size_t n, matched = 0;
    const char(*names)[MICRO_NAME_MAX] = micro_instance_names(&n);
    for (size_t i = 0; i < n; i++)
        matched += (regexec(&re, names[i], 0, NULL, 0) == 0) != negative;
    regfree(&re);
    if (matched == 0)
        return fail("--benchmark_filter: '%s' matches no benchmark; allowed: a regular "
                    "expression over names like %s (smrbench micro --benchmark_list_tests)",
                    filter, n ? names[0] : "enter_leave/ebr/threads:1");
    return true;
}

int micro_run(int argc, char **argv)
{
    if (!gbs_initialize(&argc, argv, micro_help))
        return 1;
    if (argc > 1) {
        fail("unknown option '%s'; allowed: Google Benchmark's --benchmark_* flags with their "
             "values (smrbench micro --help)", argv[1]);
        return 2;
    }
    long n = gbs_run();
    gbs_shutdown();
    if (n < 0)
        return 1;
    /* None selected (micro_check_filter has said why). */
    return n == 0 ? 2 : 0;
}
