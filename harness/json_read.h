/* json_read.h - a small JSON reader for run.json (the few fields plots need). */
#ifndef JSON_READ_H
#define JSON_READ_H

#include <stdbool.h>
#include <stddef.h>

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json {
    enum json_type type;
    bool boolean;
    double number;              /* integers past 2^53 lose precision: fine for plots */
    char *string;
    struct json *items;         /* array elements or object values */
    char **keys;                /* object keys, parallel to items */
    size_t n;
};

/* Parse a whole document. NULL with a reason (and byte offset) in err. */
struct json *json_parse(const char *text, char *err, size_t errlen);
void json_free(struct json *v);
/* Member of an object by a dotted path ("flags.stall.start_s"), or NULL. */
const struct json *json_at(const struct json *v, const char *path);
/* Shorthands that give a default when the member is missing or of another type. */
double json_get_num(const struct json *v, const char *path, double dflt);
const char *json_get_str(const struct json *v, const char *path, const char *dflt);

#endif /* JSON_READ_H */
