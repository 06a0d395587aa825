/*
 * read_after_leave.c - no structure operation reads a node after its
 * smr_leave, checked deterministically on the stack's peek with every
 * scheme that frees (the stack compiled against leave_probe.h).
 *
 * A reader handle peeks at the top node. Just before its leave, a helper
 * handle (same OS thread) pops that node, retires it and flushes: the
 * scheme must keep it, the reader is still inside. Just after the leave
 * returns the helper flushes again: a grace period forced right after the
 * leave, which frees the node under every scheme that frees at all. A peek
 * that reads the node after its leave then reads a freed, poisoned node
 * (caught by the stack's canary, or by ASan).
 *
 * Each scheme ends a reader's protection where its leave says: qsbr runs
 * with K = 1 (its tunable), so every leave announces a quiescent state
 * (with the default K = 64 the read after leave is unsafe only on every
 * 64th operation, the blind spot this test closes); urcu's flush after the
 * leave waits for call_rcu's callbacks (rcu_barrier); hyaline's last
 * reader out frees inside leave itself. `none` never frees: a read after
 * leave reads live memory there, so there is nothing to catch (skipped, 77).
 *
 *   read_after_leave_<scheme>
 *       ROUNDS peeks; fails if a peek returned a value nobody pushed, if
 *       the node was freed while the reader was inside, or if the forced
 *       grace period freed nothing (the test would test nothing).
 */
#include <string.h>

#include "stack.h"
#include "test_tunables.h"
#include "test_util.h"

#define ROUNDS 100
#define SKIPPED 77

void (*probe_before_leave)(smr_thread_t *t);
void (*probe_after_leave)(smr_thread_t *t);

static struct stack *stack;
static smr_thread_t *reader, *helper;
/* One peek's story, written by the hooks (all on this thread). */
static bool armed, popped, freed_inside, freed_after;
static uint64_t reclaimed_before;

static uint64_t reclaimed_now(void)
{
    struct smr_stats st;
    smr_stats(stack_domain(stack), &st);
    return st.reclaimed;
}

static void before_reader_leaves(smr_thread_t *t)
{
    if (t != reader || !armed)
        return; /* the helper's own operations leave through here too */
    armed = false;
    reclaimed_before = reclaimed_now();
    uint64_t v;
    popped = stack_pop(stack, helper, &v); /* the node the reader peeked at */
    smr_flush(helper);                     /* qsbr: its batch is tagged now, before the leave */
    freed_inside = reclaimed_now() != reclaimed_before;
}

static void after_reader_left(smr_thread_t *t)
{
    if (t != reader || !popped)
        return;
    /* Up to four flushes (ebr needs its epoch moved on; urcu waits for
       call_rcu's callbacks in the first; hyaline freed in leave itself). */
    for (int i = 0; i < 4 && !freed_after; i++) {
        smr_flush(helper);
        freed_after = reclaimed_now() != reclaimed_before;
    }
}

int main(void)
{
    if (!smr_scheme.reclaims) {
        printf("%s never frees: a read after leave reads live memory, nothing to catch\n",
               smr_scheme.name);
        return SKIPPED;
    }
    struct smr_config cfg = {.max_threads = 2};
    /* qsbr: every leave announces (other schemes have no K). */
    (void)test_set_tunable(&cfg, &smr_scheme, "K", 1);
    stack = stack_create(&cfg);
    reader = smr_thread_register(stack_domain(stack));
    helper = smr_thread_register(stack_domain(stack));
    uint64_t next = 1000;
    for (int i = 0; i < 4; i++)
        stack_push(stack, helper, next++);
    probe_before_leave = before_reader_leaves;
    probe_after_leave = after_reader_left;

    unsigned bad_values = 0, early = 0, freed_right_after = 0;
    for (int r = 0; r < ROUNDS; r++) {
        armed = true;
        popped = freed_inside = freed_after = false;
        uint64_t v = 0;
        bool got = stack_peek(stack, reader, &v);
        bad_values += !got || v < 1000 || v >= next;
        early += freed_inside;
        freed_right_after += popped && freed_after;
        stack_push(stack, helper, next++); /* the helper popped one: keep four */
    }
    probe_before_leave = NULL;
    probe_after_leave = NULL;
    uint64_t v;
    while (stack_pop(stack, helper, &v))
        ;
    smr_thread_unregister(reader);
    smr_thread_unregister(helper);
    struct smr_stats fin;
    stack_destroy(stack, &fin);

    printf("%s: %d peeks, the peeked node freed right after the reader's leave in %u\n",
           smr_scheme.name, ROUNDS, freed_right_after);
    CHECK(bad_values == 0, "%u peeks returned a value nobody pushed", bad_values);
    CHECK(early == 0, "%u times the peeked node was freed while the reader was inside", early);
    CHECK(freed_right_after > 0,
          "the grace period forced after the reader's leave never freed the node: nothing was "
          "tested");
    CHECK(fin.retired == fin.reclaimed, "retired %llu, reclaimed %llu after destroy",
          (unsigned long long)fin.retired, (unsigned long long)fin.reclaimed);
    char what[64];
    snprintf(what, sizeof what, "read-after-leave-%s", smr_scheme.name);
    return test_finish(what);
}
