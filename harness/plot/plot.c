/* plot.c - `smrbench plot DIR`: the results as data blocks (plot_data.c),
 * drawn by the gnuplot scripts of plot/ into a temporary folder inside DIR;
 * only once every figure is drawn are the files renamed into DIR/plots/,
 * so that folder never holds a half-written figure.
 */
#include "plot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run/cli.h"
#include "runset/csv_read.h"
#include "plot_data.h"
#include "runset/runset.h"
#include "util.h"

extern char **environ;

/* Where the scripts are: SMRBENCH_PLOT_SCRIPTS, else the source tree's plot/. */
#ifndef SMR_PLOT_SCRIPTS
#define SMR_PLOT_SCRIPTS "plot"
#endif

#define PATH_LEN 4200

/* a/b into out (PATH_LEN); the folder's length is checked on entry, so it fits. */
static void path_join(char *out, const char *a, const char *b)
{
    if (snprintf(out, PATH_LEN, "%s/%s", a, b) >= PATH_LEN)
        abort();
}

static const char *scripts_dir(void)
{
    const char *d = getenv("SMRBENCH_PLOT_SCRIPTS");
    return d && *d ? d : SMR_PLOT_SCRIPTS;
}

/* gnuplot on PATH, as execvp would find it; we spawn it by this path. */
static bool find_gnuplot(char *path, size_t len)
{
    char dflt[256] = "/usr/bin:/bin";
    const char *p = getenv("PATH");
    if (!p) {
        confstr(_CS_PATH, dflt, sizeof dflt);
        p = dflt;
    }
    for (;;) {
        size_t n = strcspn(p, ":");
        struct stat st;
        snprintf(path, len, "%.*s/gnuplot", n ? (int)n : 1, n ? p : ".");
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0)
            return true;
        if (!p[n])
            return false;
        p += n + 1;
    }
}

/* gnuplot and the scripts; `who` starts the error line. */
static bool tools_ok(const char *who, char *gnuplot, size_t len)
{
    char script[PATH_LEN];
    if (!find_gnuplot(gnuplot, len)) {
        fprintf(stderr, "%s: gnuplot not found in PATH; install gnuplot (Debian: apt-get install "
                        "gnuplot-nox)\n", who);
        return false;
    }
    snprintf(script, sizeof script, "%s/common.gp", scripts_dir());
    if (access(script, R_OK) != 0) {
        fprintf(stderr, "%s: the plot scripts are not in '%s' (%s); set SMRBENCH_PLOT_SCRIPTS to "
                        "the source tree's plot/ folder\n", who, scripts_dir(), strerror(errno));
        return false;
    }
    return true;
}

bool plot_preflight(void)
{
    char gnuplot[PATH_LEN];
    return tools_ok("smrbench: --plot", gnuplot, sizeof gnuplot);
}

/* ---- the results ---- */

/* What a missing optional file costs, on stderr; the left-out results on
   stdout (unless quiet), so that a figure's "left out" note can be traced. */
static void results_notes(const char *dir, const struct runset *in, bool quiet)
{
    if (!(in->present & RUNSET_SERIES))
        fprintf(stderr, "smrbench plot: note: '%s' has no series.csv: no memory or RSS figure\n",
                dir);
    if (!(in->present & RUNSET_RUN_JSON))
        fprintf(stderr, "smrbench plot: note: '%s' has no run.json: no balance figure, and the "
                        "machine and build are not named\n", dir);
    bool several = false; /* machines: then each result names its own */
    for (size_t r = 1; r < in->summary.nrows; r++)
        several |= strcmp(in->rows[r].machine, in->rows[0].machine) != 0;
    for (size_t r = 0; r < in->summary.nrows && !quiet; r++) {
        const struct runset_result *res = &in->rows[r];
        if (res->status != RUNSET_OK)
            printf("left out: %s%s%s %s, %u thread%s, %s, rep %u: %s%s%s\n",
                   several ? res->machine : "", several ? ": " : "", res->structure,
                   res->scheme, res->threads, res->threads == 1 ? "" : "s", res->mix, res->rep,
                   runset_status_names[res->status], *res->failure ? ": " : "", res->failure);
    }
}

/* Sound files can still hold nothing to draw: every result failed. */
static bool something_to_draw(const char *dir, const struct runset *in)
{
    size_t n[3] = {0};
    for (size_t r = 0; r < in->summary.nrows; r++)
        n[in->rows[r].status]++;
    if (n[RUNSET_OK])
        return true;
    fprintf(stderr, "smrbench plot: %s/summary.csv: none of its %zu results is ok (%zu failed, "
                    "%zu interrupted): nothing to draw; allowed: a results folder with an ok "
                    "result\n", dir, in->summary.nrows, n[RUNSET_FAILED], n[RUNSET_INTERRUPTED]);
    return false;
}

/* ---- gnuplot ---- */

/* The last non-blank line of text (gnuplot ends an error with its message). */
static const char *last_line(char *text)
{
    size_t n = strlen(text);
    while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
        text[--n] = 0;
    char *nl = strrchr(text, '\n');
    return nl ? nl + 1 : text;
}

static bool nonempty_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
}

/* gnuplot -d -c SCRIPT OUT: draws OUT/<name>.png, .svg and .pdf from OUT/data/.
   Its output goes to a log; any line in it is passed on (a warning fails
   the tests), an error fails the figure. */
static bool run_gnuplot(const char *gnuplot, const char *tmp, const char *name)
{
    char script[PATH_LEN], log[PATH_LEN], err[256];
    snprintf(script, sizeof script, "%s/%s.gp", scripts_dir(), name);
    path_join(log, tmp, ".gnuplot.log");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    /* -d: no ~/.gnuplot, so a user's settings cannot change the figures. */
    char *argv[] = {"gnuplot", "-d", "-c", script, (char *)tmp, NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, gnuplot, &fa, NULL, argv, environ), status = 0;
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        fprintf(stderr, "smrbench plot: cannot run %s: %s\n", gnuplot, strerror(rc));
        return false;
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    char *out = util_read_file(log, NULL, err, sizeof err);
    unlink(log);
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!ok) {
        fprintf(stderr, "smrbench plot: gnuplot failed on %s: %s\n", script,
                out && *out ? last_line(out) : "no message");
    } else if (out && *out) {
        for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"))
            fprintf(stderr, "smrbench plot: gnuplot, %s.gp: %s\n", name, line);
    }
    free(out);
    static const char *const formats[] = {"png", "svg", "pdf"};
    for (int i = 0; ok && i < 3; i++) {
        char fig[PATH_LEN], file[64];
        snprintf(file, sizeof file, "%s.%s", name, formats[i]);
        path_join(fig, tmp, file);
        if (!nonempty_file(fig)) {
            fprintf(stderr, "smrbench plot: %s drew no %s\n", script, file);
            ok = false;
        }
    }
    return ok;
}

/* ---- the temporary folder and the move into DIR/plots ---- */

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

static void remove_tree(const char *path)
{
    nftw(path, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static bool make_dir(const char *path)
{
    struct stat st;
    if (mkdir(path, 0777) == 0 || (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
        return true;
    fprintf(stderr, "smrbench plot: cannot create '%s': %s\n", path,
            errno == EEXIST ? "it exists and is not a folder" : strerror(errno));
    return false;
}

/* Rename every plain file of from/ into to/ (each one whole or absent). */
static bool move_files(const char *from, const char *to)
{
    DIR *d = opendir(from);
    struct dirent *e;
    bool ok = d != NULL && make_dir(to);
    while (ok && (e = readdir(d))) {
        char src[PATH_LEN], dst[PATH_LEN];
        struct stat st;
        snprintf(src, sizeof src, "%s/%s", from, e->d_name);
        snprintf(dst, sizeof dst, "%s/%s", to, e->d_name);
        if (e->d_name[0] == '.' || lstat(src, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (rename(src, dst) != 0) {
            fprintf(stderr, "smrbench plot: cannot write '%s': %s\n", dst, strerror(errno));
            ok = false;
        }
    }
    if (d)
        closedir(d);
    return ok;
}

int plot_dir(const char *dir, bool quiet)
{
    char gnuplot[PATH_LEN], tmp[PATH_LEN], path[PATH_LEN], err[PATH_LEN + 600];
    struct runset in;
    if (strlen(dir) > 4000) {
        fprintf(stderr, "smrbench plot: the folder name is too long; allowed: up to 4000 bytes\n");
        return EXIT_USAGE;
    }
    if (!runset_open(&in, dir, RUNSET_SUMMARY, err, sizeof err)) {
        fprintf(stderr, "smrbench plot: %s; allowed: a results folder written by smrbench run\n",
                err);
        return EXIT_USAGE;
    }
    if (!something_to_draw(dir, &in) || !tools_ok("smrbench plot", gnuplot, sizeof gnuplot)) {
        runset_close(&in);
        return EXIT_USAGE;
    }
    snprintf(tmp, sizeof tmp, "%s/.plots.XXXXXX", dir);
    if (!mkdtemp(tmp)) {
        fprintf(stderr, "smrbench plot: cannot write to '%s' (%s); allowed: a writable results "
                        "folder\n", dir, strerror(errno));
        runset_close(&in);
        return EXIT_USAGE;
    }
    bool draw[FIG_COUNT], ok;
    path_join(path, tmp, "data");
    ok = make_dir(path);
    if (ok && !(ok = plot_data_write(&in, path, draw, err, sizeof err)))
        fprintf(stderr, "smrbench plot: %s\n", err);
    for (int f = 0; ok && f < FIG_COUNT; f++)
        ok = !draw[f] || run_gnuplot(gnuplot, tmp, plot_figure_names[f]);
    char plots[PATH_LEN];
    path_join(plots, dir, "plots");
    if (ok) {
        char data[PATH_LEN];
        path_join(data, plots, "data");
        ok = make_dir(plots) && move_files(tmp, plots) && move_files(path, data);
    }
    remove_tree(tmp);
    if (ok)
        results_notes(dir, &in, quiet);
    runset_close(&in);
    if (!ok)
        return 1;
    if (!quiet) {
        printf("plots: %s/ (", plots);
        for (int f = 0, n = 0; f < FIG_COUNT; f++)
            if (draw[f])
                printf("%s%s", n++ ? ", " : "", plot_figure_names[f]);
        printf("; .png, .svg and .pdf)\n");
    }
    return 0;
}

static void plot_usage(FILE *f)
{
    fprintf(f, "usage: smrbench plot DIR\n"
               "  Draws DIR/plots/*.png, *.svg and *.pdf with gnuplot from the results in\n"
               "  DIR (summary.csv; series.csv and run.json when present), and leaves the\n"
               "  data blocks the plot/*.gp scripts read in DIR/plots/data/. Every file is\n"
               "  checked first: a bad field is named (file, line, column) and nothing is\n"
               "  drawn (exit 2). Only ok results are drawn; the figures say how many were\n"
               "  left out and why, and whether the set is unfinished.\n");
}

int cmd_plot(int argc, char **argv)
{
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            plot_usage(stdout);
            return 0;
        }
        if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "smrbench plot: unknown option '%s'; allowed: --help, and one results "
                            "folder\n", argv[i]);
            return EXIT_USAGE;
        }
        if (dir) {
            fprintf(stderr, "smrbench plot: unexpected argument '%s'; allowed: one results "
                            "folder (smrbench plot DIR)\n", argv[i]);
            return EXIT_USAGE;
        }
        dir = argv[i];
    }
    if (!dir) {
        fprintf(stderr, "smrbench plot: no results folder given; allowed: smrbench plot DIR\n");
        return EXIT_USAGE;
    }
    return plot_dir(dir, false);
}
