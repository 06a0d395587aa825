/* csv_read.c - read a results CSV by column name. */
#include "csv_read.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One field from p, unquoted in place when it is quoted ("a,b" and "say
   ""hi""", as RFC 4180 writes them): returns where the next field starts,
   NULL after the last one; *bad when a quote is not closed. */
static char *next_field(char *p, bool *bad)
{
    if (*p != '"') {
        char *comma = strchr(p, ',');
        if (!comma)
            return NULL;
        *comma = 0;
        return comma + 1;
    }
    char *out = p;
    for (char *in = p + 1;; in++) {
        if (*in == '"' && in[1] == '"') {
            *out++ = '"';
            in++;
        } else if (*in == '"') {
            *out = 0;
            if (in[1] == ',')
                return in + 2;
            *bad |= in[1] != 0;
            return NULL;
        } else if (!*in) {
            *out = 0;
            *bad = true;
            return NULL;
        } else {
            *out++ = *in;
        }
    }
}

/* Split one line into fields in place; returns the field count (out gets
   the first max), 0 when a quote is not closed. */
static size_t split_fields(char *line, char **out, size_t max)
{
    size_t n = 0;
    bool bad = false;
    for (char *p = line; p; n++) {
        if (n < max)
            out[n] = p;
        p = next_field(p, &bad);
    }
    return bad ? 0 : n;
}

static size_t count_fields(const char *line)
{
    size_t n = 1; /* an upper bound when fields are quoted */
    for (; *line; line++)
        n += *line == ',';
    return n;
}

bool csv_load(const char *path, struct csv *c, char *err, size_t errlen)
{
    memset(c, 0, sizeof(*c));
    c->text = util_read_file(path, NULL, err, errlen);
    if (!c->text)
        return false;
    size_t nlines = 1, len = strlen(c->text);
    for (char *p = c->text; *p; p++)
        nlines += *p == '\n';
    c->cut_short = len > 0 && c->text[len - 1] != '\n';
    /* Lines end at '\n' (a '\r' before it is dropped); blank lines are skipped. */
    char **lines = calloc(nlines, sizeof(char *));
    size_t *numbers = calloc(nlines, sizeof(size_t));
    size_t n = 0, number = 0;
    for (char *p = c->text; lines && numbers && *p;) {
        char *nl = strchr(p, '\n');
        number++;
        if (nl)
            *nl = 0;
        size_t l = strlen(p);
        if (l && p[l - 1] == '\r')
            p[--l] = 0;
        if (l) {
            numbers[n] = number;
            lines[n++] = p;
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    if (!lines || !numbers || n == 0) {
        snprintf(err, errlen, "%s", lines && numbers ? "empty file" : "out of memory");
        free(lines);
        free(numbers);
        csv_free(c);
        return false;
    }
    c->ncols = count_fields(lines[0]);
    c->header = calloc(c->ncols, sizeof(char *));
    c->rows = calloc(n, sizeof(char **));
    c->nfields = calloc(n, sizeof(size_t));
    c->line = calloc(n, sizeof(size_t));
    bool ok = c->header && c->rows && c->nfields && c->line;
    bool bad_header = ok && (c->ncols = split_fields(lines[0], c->header, c->ncols)) == 0;
    if (bad_header)
        snprintf(err, errlen, "line %zu (the header): a quote is not closed", numbers[0]);
    ok &= !bad_header;
    for (size_t i = 1; ok && i < n; i++) {
        char **row = calloc(c->ncols, sizeof(char *));
        ok = row != NULL;
        if (ok) {
            c->nfields[c->nrows] = split_fields(lines[i], row, c->ncols);
            c->line[c->nrows] = numbers[i];
            c->rows[c->nrows++] = row;
        }
    }
    free(lines);
    free(numbers);
    if (!ok) {
        if (!bad_header)
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
    free(c->nfields);
    free(c->line);
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
