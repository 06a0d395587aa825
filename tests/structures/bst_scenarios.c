/*
 * bst_scenarios.c - the Natarajan-Mittal tree's delicate interleavings,
 * replayed deterministically on one OS thread with two thread handles: A
 * runs an operation that stops at a point of bst.c (bst_test_hook), and B
 * runs whole operations right there, while A still holds what it
 * protected. One program per scheme, linked with the checked core.
 *
 * With keys 10 and 20 inserted, both leaves hang from one internal node P
 * (key 20), itself the left child of the node above leaf INF0.
 *
 *   sibling delete, untagged  A deletes 10 and stops after its flag,
 *                 before its cleanup tags; B deletes 20, the sibling:
 *                 B's cleanup tags A's flagged edge and moves leaf 10 up,
 *                 still flagged. A's cleanup fails, its seek finds 10 one
 *                 level up and removes it there: {}, four nodes retired.
 *   sibling delete, tagged    the same with A stopped after the tag: B's
 *                 seek meets the tagged edge to 20, completes A's cleanup,
 *                 then deletes 20: {}, four nodes retired.
 *   insert at a removed leaf  A inserts 15, found leaf 10, stops before
 *                 its link; B deletes 10 (P and leaf 10 removed, retired,
 *                 flushed while A protects them). A's CAS on P's frozen
 *                 edge must fail; A inserts next to 20: {15, 20}.
 *   insert helps cleanup      A deletes 10 and stops after its tag; B
 *                 inserts 15, finds the flagged leaf, completes A's
 *                 cleanup and inserts: {15, 20}. A sees its leaf gone.
 *   same-key deletes          A deletes 10 and stops before its flag; B
 *                 deletes 10. A's flag must fail and A return false: {20}.
 *   lookup at a tagged edge   keys 10, 20, 30 (20 and 30 under one node
 *                 Q); A deletes 20 and stops after tagging 30's edge; B
 *                 looks up 30, meets the tag, completes the cleanup (B
 *                 retires two nodes) and finds 30: {10, 30}.
 * Each ends with a census (keys, no flagged or tagged edge, order), every
 * handle's flush, the retired count, and destroy reclaiming everything.
 */
#include "bst.h"
#include "structure_checks.h"

static struct bst *scen_tree;
static smr_thread_t *scen_b;
static enum bst_point scen_point;
static uint64_t scen_key;
static void (*scen_action)(void);
static int scen_fired;

static void scen_hook(enum bst_point point, uint64_t key)
{
    if (point != scen_point || key != scen_key || scen_fired++)
        return; /* A's stop, once: the retry of A's operation runs undisturbed */
    scen_action();
    for (int i = 0; i < 4; i++)
        smr_flush(scen_b); /* what B retired goes, unless A protects it */
}

static void b_delete_10(void) { CHECK(bst_delete(scen_tree, scen_b, 10), "B: delete 10"); }
static void b_delete_20(void) { CHECK(bst_delete(scen_tree, scen_b, 20), "B: delete 20"); }
static void b_insert_15(void) { CHECK(bst_insert(scen_tree, scen_b, 15), "B: insert 15"); }
/* B's lookup must complete the cleanup it met at the tagged edge (retire
   A's leaf and its parent), not walk on through the frozen edge. */
static void b_lookup_30(void)
{
    CHECK(bst_lookup(scen_tree, scen_b, 30), "B: lookup 30");
    struct smr_stats st;
    smr_thread_stats(scen_b, &st);
    CHECK(st.retired == 2, "B: its lookup through a tagged edge retired %llu node(s), want 2 "
          "(the cleanup it met, helped)", (unsigned long long)st.retired);
}

enum a_op { A_INSERT, A_DELETE };

struct scenario {
    const char *name;
    uint64_t initial[3];
    enum bst_point point;
    void (*action)(void);
    enum a_op a_op;
    uint64_t a_key;
    bool a_result;
    uint64_t final[3];
    uint64_t retired;
};

static bool lookup(void *s, smr_thread_t *t, uint64_t k) { return bst_lookup(s, t, k); }

static void check_keys(const char *name, const uint64_t *want)
{
    uint64_t count, sum;
    scenario_keys(name, want, lookup, scen_tree, scen_b, &count, &sum);
    struct bst_tally c;
    bst_census(scen_tree, &c);
    CHECK(c.count == count && c.key_sum == sum, "%s: %llu keys (sum %llu), want %llu (sum %llu)",
          name, (unsigned long long)c.count, (unsigned long long)c.key_sum,
          (unsigned long long)count, (unsigned long long)sum);
    CHECK(c.dirty == 0 && c.unordered == 0 && c.malformed == 0,
          "%s: %llu flagged or tagged edge(s), %llu out of order, %llu malformed", name,
          (unsigned long long)c.dirty, (unsigned long long)c.unordered,
          (unsigned long long)c.malformed);
}

static void run(const struct scenario *s)
{
    scen_tree = bst_create(NULL);
    smr_thread_t *a = smr_thread_register(bst_domain(scen_tree));
    scen_b = smr_thread_register(bst_domain(scen_tree));
    for (int i = 0; i < 3 && s->initial[i]; i++)
        bst_insert(scen_tree, a, s->initial[i]);
    scen_point = s->point;
    scen_key = s->a_key;
    scen_action = s->action;
    scen_fired = 0;
    atomic_store(&bst_test_hook, scen_hook);
    bool ok = s->a_op == A_INSERT ? bst_insert(scen_tree, a, s->a_key)
                                  : bst_delete(scen_tree, a, s->a_key);
    atomic_store(&bst_test_hook, NULL);
    CHECK(scen_fired >= 1, "%s: A never reached its stop", s->name);
    CHECK(ok == s->a_result, "%s: A's %s of %llu returned %d, want %d", s->name,
          s->a_op == A_INSERT ? "insert" : "delete", (unsigned long long)s->a_key, ok,
          s->a_result);
    check_keys(s->name, s->final);
    scenario_settle(s->name, bst_domain(scen_tree), a, scen_b, s->retired);
    struct smr_stats fin;
    bst_destroy(scen_tree, &fin);
    check_all_reclaimed(s->name, &fin);
}

int main(void)
{
    const struct scenario scenarios[] = {
        {"sibling delete, untagged", {10, 20}, BST_CLEANUP_BEFORE_TAG, b_delete_20, A_DELETE,
         10, true, {0}, 4},
        {"sibling delete, tagged", {10, 20}, BST_CLEANUP_BEFORE_SWING, b_delete_20, A_DELETE,
         10, true, {0}, 4},
        {"insert at a removed leaf", {10, 20}, BST_INSERT_BEFORE_LINK, b_delete_10, A_INSERT,
         15, true, {15, 20}, 2},
        {"insert helps cleanup", {10, 20}, BST_CLEANUP_BEFORE_SWING, b_insert_15, A_DELETE, 10,
         true, {15, 20}, 2},
        {"same-key deletes", {10, 20}, BST_DELETE_BEFORE_FLAG, b_delete_10, A_DELETE, 10, false,
         {20}, 2},
        {"lookup at a tagged edge", {10, 20, 30}, BST_CLEANUP_BEFORE_SWING, b_lookup_30,
         A_DELETE, 20, true, {10, 30}, 2},
    };
    for (size_t i = 0; i < sizeof scenarios / sizeof *scenarios; i++)
        run(&scenarios[i]);
    char what[64];
    snprintf(what, sizeof what, "bst-scenarios-%s", smr_scheme.name);
    return test_finish(what);
}
