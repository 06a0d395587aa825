/* results_dir.c - the results folder: a fresh default name, or -o checked and (--force) emptied. */
#include "results_dir.h"

#include "folder.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The files a run writes; a folder holding any of them holds results. */
static const char *const result_names[] = {"summary.csv", "series.csv", "run.json", "plots"};
#define NRESULT_NAMES (sizeof result_names / sizeof result_names[0])

static bool refuse(const char *fmt, const char *dir, const char *detail)
{
    fputs("smrbench: ", stderr);
    fprintf(stderr, fmt, dir, detail);
    fputc('\n', stderr);
    return false;
}

/* results/<UTC time to the microsecond>, created here and by no one else:
   mkdir fails on a name that exists, and then a suffix is tried. */
static bool make_default_dir(char *dir, size_t len)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct tm tm;
    gmtime_r(&now.tv_sec, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
    if (!folder_make("results"))
        return refuse("cannot create the results folder '%s' (%s); allowed: -o DIR, a writable "
                      "folder", "results", strerror(errno));
    for (unsigned n = 0; n < 1000; n++) {
        if (n == 0)
            snprintf(dir, len, "results/%s.%06ldZ", stamp, now.tv_nsec / 1000);
        else
            snprintf(dir, len, "results/%s.%06ldZ-%u", stamp, now.tv_nsec / 1000, n);
        if (mkdir(dir, 0777) == 0)
            return true;
        if (errno != EEXIST)
            return refuse("cannot create the results folder '%s' (%s); allowed: -o DIR, a "
                          "writable folder", dir, strerror(errno));
    }
    return refuse("cannot find a free results folder name like '%s'%s; allowed: -o DIR", dir, "");
}

/* The results an earlier run left in dir: refused, or with --force removed. */
static bool clear_old_results(const struct run_options *o, const char *dir)
{
    for (size_t i = 0; i < NRESULT_NAMES; i++) {
        char path[4200];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, result_names[i]);
        if (lstat(path, &st) != 0)
            continue;
        if (!o->force)
            return refuse("-o: '%s' already holds results (%s); allowed: a new or empty folder, "
                          "or --force to replace them", dir, result_names[i]);
        if (!folder_remove_tree(path))
            return refuse("--force: cannot remove the old results in '%s' (%s); allowed: a "
                          "folder whose results this user may remove", dir, strerror(errno));
    }
    return true;
}

bool results_prepare_dir(const struct run_options *o, char *dir, size_t len)
{
    if (!o->out_dir)
        return make_default_dir(dir, len);
    snprintf(dir, len, "%s", o->out_dir);
    struct stat st;
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode))
        return refuse("-o: '%s' exists and is not a folder%s; allowed: a writable folder", dir,
                      "");
    if (!folder_make(dir) || access(dir, W_OK) != 0)
        return refuse("-o: cannot write to '%s' (%s); allowed: a writable folder", dir,
                      strerror(errno));
    return clear_old_results(o, dir);
}
