/*
 * stress_stack.c - Treiber stack under contention, one program per scheme,
 * linked with the checked core (poison-on-reclaim, node canaries).
 *
 *   stress_stack_<scheme> THREADS MILLISECONDS
 *       Threads push unique values (thread id, sequence number), pop and
 *       peek at random. At the end the stack is drained and checked:
 *       every pushed value popped exactly once (none twice, none lost),
 *       count and sum conserved, retired == popped, everything reclaimed.
 *       A reclaimed node read by a thread trips its canary (exit 86).
 *
 *   stress_stack_<scheme> --yield N THREADS MILLISECONDS
 *       The same, with the scheme's and the stack's race windows yielding
 *       the CPU every Nth pass (smr_test_window), to reach interleavings
 *       that preemption produces only rarely.
 *
 *   stress_stack_<scheme> --negative-control THREADS MILLISECONDS
 *       Runs the same stress with the unsafe free-on-retire switch in child
 *       processes (up to 20 tries) and succeeds only if a child fails: the
 *       proof that the checks above can catch a premature free.
 */
#include "stack.h"
#include "stress_rig.h"

#define MAX_THREADS RIG_MAX_THREADS
#define SEQ_BITS 40

struct worker {
    alignas(SMR_PAD_ALIGN) unsigned id;
    struct stack *stack;
    struct rng rng;
    uint64_t pushed, pushed_sum;
    uint64_t *popped; /* values this thread popped */
    size_t npopped, cap;
    uint64_t peeks;
};

static void record_pop(struct worker *w, uint64_t v)
{
    if (w->npopped == w->cap)
        w->popped = test_grow(w->popped, &w->cap, sizeof(uint64_t));
    w->popped[w->npopped++] = v;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    smr_thread_t *t = smr_thread_register(stack_domain(w->stack));
    rig_started();
    uint64_t v;
    while (rig_running()) {
        for (int i = 0; i < 64; i++) {
            uint64_t r = rng_next(&w->rng) % 100;
            if (r < 45) {
                uint64_t value = ((uint64_t)(w->id + 1) << SEQ_BITS) | w->pushed;
                stack_push(w->stack, t, value);
                w->pushed++;
                w->pushed_sum += value;
            } else if (r < 90) {
                if (stack_pop(w->stack, t, &v))
                    record_pop(w, v);
            } else {
                if (stack_peek(w->stack, t, &v)) {
                    unsigned owner = (unsigned)(v >> SEQ_BITS);
                    if (owner == 0 || owner > MAX_THREADS + 1)
                        smr_check_failed("stack: peek returned a value nobody pushed", NULL);
                }
                w->peeks++;
            }
        }
    }
    smr_thread_unregister(t);
    return NULL;
}

/* Returns 0 if every check passed. */
static int rig_stress(unsigned nthreads, unsigned ms)
{
    struct stack *s = stack_create(NULL);
    struct worker *w = smr_record_alloc((nthreads + 1) * sizeof(*w)); /* padded, aligned */

    /* Prefill as "thread" nthreads (id + 1 keeps 0 free as an invalid owner). */
    smr_thread_t *main_t = smr_thread_register(stack_domain(s));
    struct worker *pre = &w[nthreads];
    pre->id = nthreads;
    for (int i = 0; i < 1000; i++) {
        uint64_t value = ((uint64_t)(pre->id + 1) << SEQ_BITS) | pre->pushed;
        stack_push(s, main_t, value);
        pre->pushed++;
        pre->pushed_sum += value;
    }
    /* The main thread only waits until the drain: it goes offline, as a
       QSBR thread must before blocking, or it would hold back every grace
       period of the run (see schemes/qsbr.c). */
    smr_thread_unregister(main_t);

    for (unsigned i = 0; i < nthreads; i++) {
        w[i].id = i;
        w[i].stack = s;
        rng_seed(&w[i].rng, 0x9e3779b97f4a7c15ull * (i + 1));
    }
    rig_run(nthreads, ms, worker_main, w, sizeof(*w));
    struct smr_stats during;
    smr_stats(stack_domain(s), &during);

    /* Drain what is left. */
    main_t = smr_thread_register(stack_domain(s));
    uint64_t v;
    while (stack_pop(s, main_t, &v))
        record_pop(pre, v);
    smr_thread_unregister(main_t);

    /* Conservation: a bitmap per producer. */
    uint64_t pushed = 0, pushed_sum = 0, popped = 0, popped_sum = 0, peeks = 0;
    uint8_t *seen[MAX_THREADS + 1];
    for (unsigned i = 0; i <= nthreads; i++) {
        pushed += w[i].pushed;
        pushed_sum += w[i].pushed_sum;
        peeks += w[i].peeks;
        seen[i] = calloc(w[i].pushed + 1, 1);
    }
    uint64_t dup = 0, bogus = 0, lost = 0;
    for (unsigned i = 0; i <= nthreads; i++) {
        for (size_t j = 0; j < w[i].npopped; j++) {
            uint64_t val = w[i].popped[j];
            uint64_t owner = (val >> SEQ_BITS) - 1, seq = val & ((1ull << SEQ_BITS) - 1);
            popped++;
            popped_sum += val;
            if (owner > nthreads || seq >= w[owner].pushed)
                bogus++;
            else if (seen[owner][seq]++)
                dup++;
        }
    }
    for (unsigned i = 0; i <= nthreads; i++)
        for (uint64_t j = 0; j < w[i].pushed; j++)
            lost += !seen[i][j];

    struct smr_stats fin;
    stack_destroy(s, &fin);

    int before = test_failed;
    CHECK(bogus == 0, "%llu popped values were never pushed", (unsigned long long)bogus);
    CHECK(dup == 0, "%llu values popped twice", (unsigned long long)dup);
    CHECK(lost == 0, "%llu pushed values were never popped", (unsigned long long)lost);
    CHECK(pushed == popped, "count: pushed %llu, popped %llu", (unsigned long long)pushed,
          (unsigned long long)popped);
    CHECK(pushed_sum == popped_sum, "sum of pushed values differs from sum popped");
    CHECK(fin.retired == popped, "retired %llu != popped %llu", (unsigned long long)fin.retired,
          (unsigned long long)popped);
    CHECK(fin.reclaimed == fin.retired, "reclaimed %llu != retired %llu after destroy",
          (unsigned long long)fin.reclaimed, (unsigned long long)fin.retired);
    /* Reclamation must have raced with the threads, not waited for teardown. */
    CHECK(!smr_scheme.reclaims || during.reclaimed > 0,
          "nothing reclaimed while the threads ran (%llu retired)",
          (unsigned long long)during.retired);
    printf("stack/%s %u threads %u ms: %llu pushes, %llu pops, %llu peeks, %llu scans\n",
           smr_scheme.name, nthreads, ms, (unsigned long long)pushed, (unsigned long long)popped,
           (unsigned long long)peeks, (unsigned long long)fin.scans);

    for (unsigned i = 0; i <= nthreads; i++) {
        free(seen[i]);
        free(w[i].popped);
    }
    free(w);
    return test_failed != before;
}

int main(int argc, char **argv)
{
    return rig_main(argc, argv, "stress-stack", NULL);
}
