/* results_store.c - appending each finished cell to the results folder, durably. */
#include "results_store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "folder.h"
#include "results.h"

typedef void (*format_fn)(FILE *f, const struct run_options *o, const struct sweep *sw);

/* The text a formatter writes, in memory; NULL only if memory ran out. */
static char *format_text(format_fn fn, const struct run_options *o, const struct sweep *sw,
                         size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    if (!f)
        return NULL;
    fn(f, o, sw);
    return fclose(f) == 0 ? text : NULL;
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return false;
        }
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* dir/name's temporary file: fn's text, fsynced. 0 or an errno (and no file). */
static int write_temporary(const char *dir, const char *name, format_fn fn,
                           const struct run_options *o, const struct sweep *sw, char *tmp,
                           size_t tmplen)
{
    snprintf(tmp, tmplen, "%s/.%s.tmp.%ld", dir, name, (long)getpid());
    size_t len;
    char *text = format_text(fn, o, sw, &len);
    if (!text)
        return ENOMEM;
    int err = 0;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        err = errno;
    } else {
        if (!write_all(fd, text, len) || fsync(fd) != 0)
            err = errno;
        if (close(fd) != 0 && !err)
            err = errno;
        if (err)
            unlink(tmp);
    }
    free(text);
    return err;
}

/* The temporary file becomes dir/name. 0 or an errno (and no temporary file). */
static int commit_temporary(const char *dir, const char *name, const char *tmp)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (rename(tmp, path) != 0) {
        int err = errno;
        unlink(tmp);
        return err;
    }
    folder_sync(dir);
    return 0;
}

/* Replace dir/name with fn's text: temporary file, fsync, rename. 0 or an errno. */
static int write_atomic(const char *dir, const char *name, format_fn fn,
                        const struct run_options *o, const struct sweep *sw)
{
    char tmp[4200];
    int err = write_temporary(dir, name, fn, o, sw, tmp, sizeof tmp);
    return err ? err : commit_temporary(dir, name, tmp);
}

/* Append fn's text to dir/name in one write, fsynced unless `sync` is
   false; on failure cut the file back. *old_len: its length before. 0 or
   an errno. */
static int append_text(const char *dir, const char *name, format_fn fn,
                       const struct run_options *o, const struct sweep *sw, bool sync,
                       off_t *old_len)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t len;
    char *text = format_text(fn, o, sw, &len);
    if (!text)
        return ENOMEM;
    int err = 0;
    int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        err = errno;
    } else {
        *old_len = st.st_size;
        if (!write_all(fd, text, len) || (sync && fsync(fd) != 0)) {
            err = errno;
            if (ftruncate(fd, st.st_size) != 0)
                fprintf(stderr, "smrbench: cannot cut '%s' back after a failed write (%s): its "
                        "last line may be partial\n", path, strerror(errno));
        }
    }
    if (fd >= 0)
        close(fd);
    free(text);
    return err;
}

/* fsync dir/name. 0 or an errno. */
static int sync_file(const char *dir, const char *name)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    int err = fd < 0 || fsync(fd) != 0 ? errno : 0;
    if (fd >= 0)
        close(fd);
    return err;
}

static void cut_back(const char *dir, const char *name, off_t len)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (truncate(path, len) != 0)
        fprintf(stderr, "smrbench: cannot cut '%s' back after a failed write (%s): it may hold "
                "one cell more than run.json\n", path, strerror(errno));
}

/* ---- the formatters of what a step writes ---- */

static void summary_header(FILE *f, const struct run_options *o, const struct sweep *sw)
{
    (void)o;
    (void)sw;
    results_csv_header(f);
}

static void series_header(FILE *f, const struct run_options *o, const struct sweep *sw)
{
    (void)o;
    (void)sw;
    results_series_header(f);
}

static void last_summary_row(FILE *f, const struct run_options *o, const struct sweep *sw)
{
    (void)o;
    results_csv_row(f, sw, &sw->results[sw->nresults - 1]);
}

static void last_series_rows(FILE *f, const struct run_options *o, const struct sweep *sw)
{
    (void)o;
    results_series_rows(f, sw, &sw->results[sw->nresults - 1]);
}

/* ---- the three steps ---- */

bool results_store_begin(const char *dir, const struct run_options *o, const struct sweep *sw)
{
    static const struct {
        const char *name;
        format_fn fn;
    } files[] = {{"summary.csv", summary_header}, {"series.csv", series_header},
                 {"run.json", results_json}};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        int err = write_atomic(dir, files[i].name, files[i].fn, o, sw);
        if (err) {
            fprintf(stderr, "smrbench: cannot write '%s/%s' (%s): nothing was run\n", dir,
                    files[i].name, strerror(err));
            return false;
        }
    }
    return true;
}

/*
 * The order keeps the three files on the same cells but for a moment of
 * two system calls: run.json's next version is written to its temporary
 * file first, then the curve is appended to series.csv, the row to
 * summary.csv, and run.json renamed into place just after; the row is
 * fsynced last (a kill -9 keeps the page cache; the fsync is for a power
 * cut). Whatever fails is undone, back to the set before this cell.
 */
bool results_store_cell(const char *dir, const struct run_options *o, const struct sweep *sw)
{
    off_t summary_len = 0, series_len = 0;
    char tmp[4200];
    const char *file = "run.json";
    int err = write_temporary(dir, file, results_json, o, sw, tmp, sizeof tmp);
    if (!err) {
        file = "series.csv";
        err = append_text(dir, file, last_series_rows, o, sw, true, &series_len);
        if (!err) {
            file = "summary.csv";
            err = append_text(dir, file, last_summary_row, o, sw, false, &summary_len);
            if (err)
                cut_back(dir, "series.csv", series_len);
        }
        if (err) {
            unlink(tmp);
        } else {
            file = "run.json";
            err = commit_temporary(dir, file, tmp);
            if (err) {
                cut_back(dir, "summary.csv", summary_len);
                cut_back(dir, "series.csv", series_len);
            }
        }
    }
    if (!err) {
        file = "summary.csv";
        err = sync_file(dir, file);
        if (err) {
            fprintf(stderr, "smrbench: cannot sync '%s/%s' (%s): the files hold %zu cell(s) "
                    "but may not survive a power cut; the sweep stops\n", dir, file,
                    strerror(err), sw->nresults);
            return false;
        }
    }
    if (err) {
        const struct run_result *r = &sw->results[sw->nresults - 1];
        fprintf(stderr, "smrbench: cannot write %s/%s %u threads rep %u to '%s/%s' (%s): the "
                "folder keeps the %zu cell(s) written before, marked incomplete; the sweep "
                "stops\n", r->structure, r->scheme, r->threads, r->rep, dir, file, strerror(err),
                sw->nresults - 1);
        return false;
    }
    return true;
}

bool results_store_end(const char *dir, const struct run_options *o, const struct sweep *sw)
{
    int err = write_atomic(dir, "run.json", results_json, o, sw);
    if (err)
        fprintf(stderr, "smrbench: cannot write '%s/run.json' (%s): it keeps the finished cells "
                "but still says \"complete\": false\n", dir, strerror(err));
    return !err;
}
