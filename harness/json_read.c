/* json_read.c - a small recursive-descent JSON reader for run.json. */
#include "json_read.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Nesting deeper than this is refused (run.json nests 4 levels). */
#define JSON_MAX_DEPTH 64

struct parser {
    const char *s, *start;
    char *err;
    size_t errlen;
    bool failed;
};

static bool fail_at(struct parser *p, const char *what)
{
    if (!p->failed)
        snprintf(p->err, p->errlen, "%s at byte %ld", what, (long)(p->s - p->start));
    p->failed = true;
    return false;
}

static void skip_ws(struct parser *p)
{
    while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')
        p->s++;
}

static void put_utf8(char **o, uint32_t c)
{
    unsigned char *u = (unsigned char *)*o;
    if (c < 0x80) {
        *u++ = (unsigned char)c;
    } else if (c < 0x800) {
        *u++ = (unsigned char)(0xC0 | c >> 6);
        *u++ = (unsigned char)(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        *u++ = (unsigned char)(0xE0 | c >> 12);
        *u++ = (unsigned char)(0x80 | (c >> 6 & 0x3F));
        *u++ = (unsigned char)(0x80 | (c & 0x3F));
    } else {
        *u++ = (unsigned char)(0xF0 | c >> 18);
        *u++ = (unsigned char)(0x80 | (c >> 12 & 0x3F));
        *u++ = (unsigned char)(0x80 | (c >> 6 & 0x3F));
        *u++ = (unsigned char)(0x80 | (c & 0x3F));
    }
    *o = (char *)u;
}

static bool hex4(struct parser *p, uint32_t *out)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        char c = *p->s++;
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return fail_at(p, "bad \\u escape");
        v = v << 4 | (uint32_t)d;
    }
    *out = v;
    return true;
}

/* p->s is at the opening quote. The decoded string is never longer than its source. */
static char *parse_string(struct parser *p)
{
    const char *end = ++p->s;
    while (*end && *end != '"')
        end += end[0] == '\\' && end[1] ? 2 : 1;
    if (!*end) {
        fail_at(p, "unterminated string");
        return NULL;
    }
    char *out = malloc((size_t)(end - p->s) + 1), *o = out;
    if (!out) {
        fail_at(p, "out of memory");
        return NULL;
    }
    while (*p->s != '"') {
        char c = *p->s++;
        if ((unsigned char)c < 0x20) {
            fail_at(p, "control character in string");
            break;
        }
        if (c != '\\') {
            *o++ = c;
            continue;
        }
        c = *p->s++;
        const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t", *k = strchr(from, c);
        if (c && k) {
            *o++ = to[k - from];
        } else if (c == 'u') {
            uint32_t u, lo;
            if (!hex4(p, &u))
                break;
            /* A surrogate pair is one code point; a lone surrogate becomes U+FFFD. */
            if (u >= 0xD800 && u < 0xDC00 && p->s[0] == '\\' && p->s[1] == 'u') {
                p->s += 2;
                if (!hex4(p, &lo))
                    break;
                u = lo >= 0xDC00 && lo < 0xE000 ? 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00)
                                                : 0xFFFD;
            } else if (u >= 0xD800 && u < 0xE000) {
                u = 0xFFFD;
            }
            put_utf8(&o, u);
        } else {
            fail_at(p, "bad escape in string");
            break;
        }
    }
    if (p->failed) {
        free(out);
        return NULL;
    }
    *o = 0;
    p->s++;
    return out;
}

static bool parse_value(struct parser *p, struct json *v, int depth);
static void free_value(struct json *v);

/* Arrays and objects: items separated by commas up to `close`. */
static bool parse_items(struct parser *p, struct json *v, char close, int depth)
{
    bool object = close == '}';
    size_t cap = 0;
    p->s++;
    skip_ws(p);
    if (*p->s == close) {
        p->s++;
        return true;
    }
    for (;;) {
        if (v->n == cap) {
            cap = cap ? cap * 2 : 8;
            struct json *items = realloc(v->items, cap * sizeof(*items));
            char **keys = object ? realloc(v->keys, cap * sizeof(*keys)) : NULL;
            if (items)
                v->items = items;
            if (keys)
                v->keys = keys;
            if (!items || (object && !keys))
                return fail_at(p, "out of memory");
        }
        skip_ws(p);
        if (object) {
            if (*p->s != '"')
                return fail_at(p, "expected a key");
            char *key = parse_string(p);
            if (!key)
                return false;
            v->keys[v->n] = key;
            skip_ws(p);
            if (*p->s++ != ':') {
                free(key);
                return fail_at(p, "expected ':'");
            }
        }
        if (!parse_value(p, &v->items[v->n], depth + 1)) {
            free_value(&v->items[v->n]); /* what it parsed before failing */
            if (object)
                free(v->keys[v->n]);
            return false;
        }
        v->n++;
        skip_ws(p);
        if (*p->s == ',') {
            p->s++;
            continue;
        }
        if (*p->s++ == close)
            return true;
        return fail_at(p, object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static bool parse_literal(struct parser *p, const char *word)
{
    size_t n = strlen(word);
    if (strncmp(p->s, word, n) != 0)
        return fail_at(p, "unexpected character");
    p->s += n;
    return true;
}

static bool parse_value(struct parser *p, struct json *v, int depth)
{
    memset(v, 0, sizeof(*v));
    if (depth > JSON_MAX_DEPTH)
        return fail_at(p, "nested too deeply");
    skip_ws(p);
    switch (*p->s) {
    case '{':
        v->type = JSON_OBJECT;
        return parse_items(p, v, '}', depth);
    case '[':
        v->type = JSON_ARRAY;
        return parse_items(p, v, ']', depth);
    case '"':
        v->type = JSON_STRING;
        v->string = parse_string(p);
        return v->string != NULL;
    case 't':
        v->type = JSON_BOOL;
        v->boolean = true;
        return parse_literal(p, "true");
    case 'f':
        v->type = JSON_BOOL;
        return parse_literal(p, "false");
    case 'n':
        return parse_literal(p, "null");
    default: {
        char *end;
        v->type = JSON_NUMBER;
        v->number = strtod(p->s, &end);
        if (end == p->s || !(*p->s == '-' || (*p->s >= '0' && *p->s <= '9')))
            return fail_at(p, "unexpected character");
        p->s = end;
        return true;
    }
    }
}

static void free_value(struct json *v)
{
    for (size_t i = 0; i < v->n; i++) {
        free_value(&v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->string);
}

struct json *json_parse(const char *text, char *err, size_t errlen)
{
    struct parser p = {text, text, err, errlen, false};
    struct json *v = malloc(sizeof(*v));
    if (!v) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    bool ok = parse_value(&p, v, 0);
    if (ok) {
        skip_ws(&p);
        ok = *p.s == 0 || fail_at(&p, "text after the document");
    }
    if (!ok) {
        json_free(v);
        return NULL;
    }
    return v;
}

void json_free(struct json *v)
{
    if (!v)
        return;
    free_value(v);
    free(v);
}

const struct json *json_at(const struct json *v, const char *path)
{
    while (v && *path) {
        size_t len = strcspn(path, ".");
        const struct json *next = NULL;
        for (size_t i = 0; v->type == JSON_OBJECT && i < v->n && !next; i++)
            if (strlen(v->keys[i]) == len && strncmp(v->keys[i], path, len) == 0)
                next = &v->items[i];
        v = next;
        path += len + (path[len] == '.');
    }
    return v;
}

double json_get_num(const struct json *v, const char *path, double dflt)
{
    const struct json *m = json_at(v, path);
    return m && m->type == JSON_NUMBER ? m->number : dflt;
}

const char *json_get_str(const struct json *v, const char *path, const char *dflt)
{
    const struct json *m = json_at(v, path);
    return m && m->type == JSON_STRING ? m->string : dflt;
}
