/* csv_read.c - read a results CSV by column name. */
#include "csv_read.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *file_read_all(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s", strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        len += fread(buf + len, 1, cap - len - 1, f);
        if (len < cap - 1)
            break;
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    bool bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        free(buf);
        snprintf(err, errlen, "%s", buf ? "read error" : "out of memory");
        return NULL;
    }
    buf[len] = 0;
    return buf;
}

/* Split one line at commas in place; returns the field count. */
static size_t split_fields(char *line, char **out, size_t max)
{
    size_t n = 0;
    for (char *p = line;;) {
        char *comma = strchr(p, ',');
        if (n < max)
            out[n] = p;
        n++;
        if (!comma)
            return n;
        *comma = 0;
        p = comma + 1;
    }
}

static size_t count_fields(const char *line)
{
    size_t n = 1;
    for (; *line; line++)
        n += *line == ',';
    return n;
}

bool csv_load(const char *path, struct csv *c, char *err, size_t errlen)
{
    memset(c, 0, sizeof(*c));
    c->text = file_read_all(path, err, errlen);
    if (!c->text)
        return false;
    size_t nlines = 0;
    for (char *p = c->text; *p; p++)
        nlines += *p == '\n';
    /* Lines end at '\n' (a '\r' before it is dropped); blank lines are skipped. */
    char **lines = calloc(nlines + 1, sizeof(char *));
    size_t n = 0;
    for (char *p = c->text; lines && *p;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = 0;
        size_t len = strlen(p);
        if (len && p[len - 1] == '\r')
            p[--len] = 0;
        if (len)
            lines[n++] = p;
        if (!nl)
            break;
        p = nl + 1;
    }
    if (!lines || n == 0) {
        free(lines);
        snprintf(err, errlen, "%s", lines ? "empty file" : "out of memory");
        csv_free(c);
        return false;
    }
    c->ncols = count_fields(lines[0]);
    c->header = calloc(c->ncols, sizeof(char *));
    c->rows = calloc(n, sizeof(char **));
    bool ok = c->header && c->rows;
    if (ok)
        split_fields(lines[0], c->header, c->ncols);
    for (size_t i = 1; ok && i < n; i++) {
        char **row = calloc(c->ncols, sizeof(char *));
        ok = row != NULL;
        if (ok) {
            split_fields(lines[i], row, c->ncols);
            c->rows[c->nrows++] = row;
        }
    }
    free(lines);
    if (!ok) {
        snprintf(err, errlen, "out of memory");
        csv_free(c);
    }
    return ok;
}

void csv_free(struct csv *c)
{
    for (size_t i = 0; c->rows && i < c->nrows; i++)
        free(c->rows[i]);
    free(c->rows);
    free(c->header);
    free(c->text);
    memset(c, 0, sizeof(*c));
}

int csv_col(const struct csv *c, const char *name)
{
    for (size_t i = 0; i < c->ncols; i++)
        if (strcmp(c->header[i], name) == 0)
            return (int)i;
    return -1;
}

const char *csv_str(const struct csv *c, size_t row, int col)
{
    if (col < 0 || row >= c->nrows || !c->rows[row][col])
        return "";
    return c->rows[row][col];
}

double csv_num(const struct csv *c, size_t row, int col)
{
    const char *s = csv_str(c, row, col);
    char *end;
    double v = strtod(s, &end);
    return *s && !*end ? v : NAN;
}
