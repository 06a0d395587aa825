/* dbmap_log.c - the writer's operation log and its replay onto a copy. */
#include "dbmap_log.h"

#include <stdlib.h>
#include <string.h>

void dbmap_log_init(struct dbmap_log *l)
{
    memset(l, 0, sizeof(*l));
}

void dbmap_log_destroy(struct dbmap_log *l)
{
    free(l->ops);
    memset(l, 0, sizeof(*l));
}

void dbmap_log_push(struct dbmap_log *l, struct dbmap_op op)
{
    if (l->len == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->ops = realloc(l->ops, l->cap * sizeof(*l->ops));
        if (!l->ops)
            abort();
    }
    l->ops[l->len++] = op;
}

static void dbmap_op_apply(const struct dbmap_op *op, struct dbmap_table *t)
{
    switch (op->kind) {
    case DBMAP_OP_INSERT:
        dbmap_table_insert(t, op->key, op->value);
        break;
    case DBMAP_OP_REMOVE:
        (void)dbmap_table_remove(t, op->key);
        break;
    case DBMAP_OP_RETAIN:
        dbmap_table_retain(t, op->keep, op->value);
        break;
    }
}

void dbmap_log_apply(struct dbmap_log *l, struct dbmap_table *stale)
{
    for (size_t i = 0; i < l->len; i++)
        dbmap_op_apply(&l->ops[i], stale);
    /* The owed part is now in both copies; the new part is owed to the other. */
    size_t owed = l->len - l->waterline;
    memmove(l->ops, l->ops + l->waterline, owed * sizeof(*l->ops));
    l->len = owed;
    l->waterline = owed;
}
