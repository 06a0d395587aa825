/*
 * dbmap_log.h - the writer's operation log.
 *
 * Every logged operation must reach both copies. A publish applies the log
 * to the stale copy and makes it live; the other copy then lacks exactly
 * the operations of that publish, so they stay in the log, below the
 * waterline, and the next publish replays them first (catch-up) before the
 * operations logged since:
 *
 *   ops[0 .. waterline)    applied to the live copy, owed to the stale one
 *   ops[waterline .. len)  logged since the last publish, in neither copy
 *
 * Operations are deterministic (retain's predicate included), so replaying
 * them gives both copies the same contents.
 */
#ifndef DBMAP_LOG_H
#define DBMAP_LOG_H

#include "dbmap_table.h"

enum dbmap_op_kind { DBMAP_OP_INSERT, DBMAP_OP_REMOVE, DBMAP_OP_RETAIN };

struct dbmap_op {
    enum dbmap_op_kind kind;
    uint64_t key;               /* insert, remove */
    uint64_t value;             /* insert; retain: the predicate's argument */
    dbmap_keep_fn keep;         /* retain */
};

struct dbmap_log {
    struct dbmap_op *ops;
    size_t len, cap;
    size_t waterline;
};

void dbmap_log_init(struct dbmap_log *l);
void dbmap_log_destroy(struct dbmap_log *l);
void dbmap_log_push(struct dbmap_log *l, struct dbmap_op op);

/* Operations logged since the last publish. */
static inline size_t dbmap_log_unpublished(const struct dbmap_log *l)
{
    return l->len - l->waterline;
}

/*
 * The stale copy's part of a publish: replay the owed operations and drop
 * them, then apply the new ones and keep them (the waterline moves to the
 * end). The caller has waited until no reader can be inside `stale`.
 */
void dbmap_log_apply(struct dbmap_log *l, struct dbmap_table *stale);

#endif /* DBMAP_LOG_H */
