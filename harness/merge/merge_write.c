/*
 * merge_write.c - the merged set on disk, all or nothing: the three files
 * are written into OUT.tmp-PID beside OUT, each fsynced, and the folder is
 * renamed to OUT; with --force, swapped with the old OUT in one
 * renameat2(RENAME_EXCHANGE), so OUT is at every moment the old set or the
 * new one, never a mix or half a set.
 */
#include "merge_set.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "folder.h"
#include "run/cli.h"
#include "util.h"

#define fail(...) util_fail(MERGE_WHO, NULL, __VA_ARGS__)

/* What a results folder may hold (docs/results.md): --force replaces these. */
static const char *const result_names[] = {"summary.csv", "series.csv", "run.json", "plots"};

static bool is_result_name(const char *name)
{
    for (size_t i = 0; i < sizeof result_names / sizeof *result_names; i++)
        if (strcmp(name, result_names[i]) == 0)
            return true;
    return false;
}

/* OUT's entries: *results whether any is a result file, *other the first
   that is not (NULL when none). False when OUT cannot be listed. */
static bool look_inside(const char *out, bool *results, char *other, size_t len)
{
    DIR *d = opendir(out);
    if (!d)
        return false;
    struct dirent *e;
    *results = false;
    other[0] = 0;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (is_result_name(e->d_name))
            *results = true;
        else if (!other[0])
            snprintf(other, len, "%s", e->d_name);
    }
    closedir(d);
    return true;
}

bool merge_out_check(const struct merge *m)
{
    struct stat st;
    if (stat(m->out, &st) != 0)
        return errno == ENOENT ? true
                               : fail("-o: cannot use '%s' (%s); allowed: a new folder in a "
                                      "writable one", m->out, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return fail("-o: '%s' exists and is not a folder; allowed: a new or empty folder, or "
                    "--force to replace a results folder", m->out);
    bool results;
    char other[256];
    if (!look_inside(m->out, &results, other, sizeof other))
        return fail("-o: cannot read '%s' (%s); allowed: a new or empty folder", m->out,
                    strerror(errno));
    if (results && !m->force)
        return fail("-o: '%s' already holds results; allowed: a new or empty folder, or --force "
                    "to replace them", m->out);
    if (other[0])
        return fail("-o: '%s' holds '%s', which is not a result file; allowed: a new or empty "
                    "folder, or --force to replace a results folder", m->out, other);
    return true;
}

/* dir/name written by fn, fsynced; false with errno set. */
static bool write_file(const char *dir, const char *name, const struct merge *m,
                       void (*fn)(FILE *, const struct merge *, bool), bool arg)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    fn(f, m, arg);
    bool ok = fflush(f) == 0 && !ferror(f) && fsync(fileno(f)) == 0;
    int err = errno;
    ok = fclose(f) == 0 && ok;
    if (!ok && err)
        errno = err;
    return ok;
}

static void json_file(FILE *f, const struct merge *m, bool unused)
{
    (void)unused;
    merge_json_write(f, m);
}

/* The finished temporary folder becomes OUT. */
static bool put_in_place(const char *tmp, const char *out, bool replace)
{
    if (!replace)
        return rename(tmp, out) == 0; /* onto nothing, or an empty folder */
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, out, RENAME_EXCHANGE) == 0) {
        folder_remove_tree(tmp); /* the old set, now */
        return true;
    }
    if (errno != EINVAL && errno != ENOSYS)
        return false;
    /* A file system without the exchange: the old set moves aside first,
       so for a moment there is no OUT, but never half a set. */
    char old[4300];
    snprintf(old, sizeof old, "%s.old-%ld", out, (long)getpid());
    if (rename(out, old) != 0)
        return false;
    if (rename(tmp, out) != 0) {
        int err = errno;
        rename(old, out);
        errno = err;
        return false;
    }
    folder_remove_tree(old);
    return true;
}

int merge_write(const struct merge *m)
{
    char tmp[4300], parent[4300];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", m->out, (long)getpid());
    snprintf(parent, sizeof parent, "%s", m->out);
    char *slash = strrchr(parent, '/');
    if (slash)
        *(slash == parent ? slash + 1 : slash) = 0;
    else
        snprintf(parent, sizeof parent, ".");
    struct stat st;
    bool replace = stat(m->out, &st) == 0; /* checked: empty, or results with --force */
    bool results = false;
    char other[256];
    if (replace && look_inside(m->out, &results, other, sizeof other) && !results)
        replace = false;
    const char *step = "create";
    bool ok = folder_make(parent) && mkdir(tmp, 0777) == 0;
    if (ok) {
        step = "write";
        ok = write_file(tmp, "summary.csv", m, merge_csv_write, false) &&
             write_file(tmp, "series.csv", m, merge_csv_write, true) &&
             write_file(tmp, "run.json", m, json_file, false);
        folder_sync(tmp);
        if (ok) {
            step = "rename into";
            ok = put_in_place(tmp, m->out, replace);
        }
    }
    if (!ok) {
        int err = errno;
        folder_remove_tree(tmp);
        fprintf(stderr, "%s: cannot %s '%s' (%s): nothing was written\n", MERGE_WHO, step,
                step[0] == 'r' ? m->out : tmp, strerror(err));
        return EXIT_WRITE;
    }
    folder_sync(parent);
    return 0;
}
