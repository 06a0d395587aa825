/*
 * keyed_scenarios.c - the Harris-Michael list's delicate interleavings,
 * replayed deterministically on one OS thread with two thread handles: A
 * runs an operation that stops at a point of hmlist.h (hml_test_hook), and
 * B runs whole operations right there, while A still holds what it
 * protected. One program per scheme, linked with the checked core.
 *
 *   neighbour insert   A deletes 10 from {10, 30}; before A marks it, B
 *                      inserts 20 after 10. A's mark must fail and retry:
 *                      {20, 30}, one node retired.
 *   predecessor delete A inserts 20 into {10, 30} after 10; before A links
 *                      it, B deletes 10 (marked, unlinked, retired, flushed
 *                      while A protects it). A's link into the dead node's
 *                      frozen link must fail: {20, 30}.
 *   adjacent deletes   A deletes 10 from {10, 20, 30} and stops after the
 *                      mark; B deletes 20, unlinking A's marked 10 on the
 *                      way. A's unlink fails, its find sees 10 gone: {30},
 *                      two nodes retired, each once.
 *   dead predecessor   A deletes 20 from {10, 20, 30} and stops before the
 *                      mark; B deletes 10. A marks 20, its unlink through
 *                      10's frozen link must fail and a find unlink 20 from
 *                      the head: {30}, two nodes retired.
 * Each ends with a census (keys, no marked node, order), every handle's
 * flush, and destroy reclaiming everything.
 */
#include "list.h"
#include "structure_checks.h"

static struct list *scen_list;
static smr_thread_t *scen_b;
static enum hml_point scen_point;
static void (*scen_action)(void);
static int scen_fired;

static void scen_hook(enum hml_point point, uint64_t key)
{
    (void)key;
    if (point != scen_point || scen_fired++)
        return; /* once: the retry of A's operation runs undisturbed */
    scen_action();
    for (int i = 0; i < 4; i++)
        smr_flush(scen_b); /* what B retired goes, unless A protects it */
}

static void b_insert_20(void) { CHECK(list_insert(scen_list, scen_b, 20), "B: insert 20"); }
static void b_delete_10(void) { CHECK(list_delete(scen_list, scen_b, 10), "B: delete 10"); }
static void b_delete_20(void) { CHECK(list_delete(scen_list, scen_b, 20), "B: delete 20"); }

struct scenario {
    const char *name;
    uint64_t initial[3];
    enum hml_point point;
    void (*action)(void);
    bool a_insert; /* A inserts (else deletes) a_key */
    uint64_t a_key;
    uint64_t final[3];
    uint64_t retired;
};

static bool lookup(void *s, smr_thread_t *t, uint64_t k) { return list_lookup(s, t, k); }

static void check_keys(const char *name, const uint64_t *want)
{
    uint64_t count, sum;
    scenario_keys(name, want, lookup, scen_list, scen_b, &count, &sum);
    struct hml_census c;
    list_census(scen_list, &c);
    CHECK(c.count == count && c.key_sum == sum, "%s: %llu keys (sum %llu), want %llu (sum %llu)",
          name, (unsigned long long)c.count, (unsigned long long)c.key_sum,
          (unsigned long long)count, (unsigned long long)sum);
    CHECK(c.marked == 0 && c.unordered == 0, "%s: %llu marked link(s), %llu out of order", name,
          (unsigned long long)c.marked, (unsigned long long)c.unordered);
}

static void run(const struct scenario *s)
{
    scen_list = list_create(NULL);
    smr_thread_t *a = smr_thread_register(list_domain(scen_list));
    scen_b = smr_thread_register(list_domain(scen_list));
    for (int i = 0; i < 3 && s->initial[i]; i++)
        list_insert(scen_list, a, s->initial[i]);
    scen_point = s->point;
    scen_action = s->action;
    scen_fired = 0;
    atomic_store(&hml_test_hook, scen_hook);
    bool ok = s->a_insert ? list_insert(scen_list, a, s->a_key)
                          : list_delete(scen_list, a, s->a_key);
    atomic_store(&hml_test_hook, NULL);
    CHECK(scen_fired >= 1, "%s: A never reached its stop", s->name);
    CHECK(ok, "%s: A's %s of %llu failed", s->name, s->a_insert ? "insert" : "delete",
          (unsigned long long)s->a_key);
    check_keys(s->name, s->final);
    scenario_settle(s->name, list_domain(scen_list), a, scen_b, s->retired);
    struct smr_stats fin;
    list_destroy(scen_list, &fin);
    check_all_reclaimed(s->name, &fin);
}

int main(void)
{
    const struct scenario scenarios[] = {
        {"neighbour insert", {10, 30}, HML_DELETE_BEFORE_MARK, b_insert_20, false, 10,
         {20, 30}, 1},
        {"predecessor delete", {10, 30}, HML_INSERT_BEFORE_LINK, b_delete_10, true, 20,
         {20, 30}, 1},
        {"adjacent deletes", {10, 20, 30}, HML_DELETE_BEFORE_UNLINK, b_delete_20, false, 10,
         {30}, 2},
        {"dead predecessor", {10, 20, 30}, HML_DELETE_BEFORE_MARK, b_delete_10, false, 20,
         {30}, 2},
    };
    for (size_t i = 0; i < sizeof scenarios / sizeof *scenarios; i++)
        run(&scenarios[i]);
    char what[64];
    snprintf(what, sizeof what, "keyed-scenarios-%s", smr_scheme.name);
    return test_finish(what);
}
