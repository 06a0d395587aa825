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
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "stack.h"
#include "test_util.h"

#define MAX_THREADS 64
#define SEQ_BITS 40

struct worker {
    alignas(SMR_PAD_ALIGN) unsigned id;
    struct stack *stack;
    uint64_t rng;
    uint64_t pushed, pushed_sum;
    uint64_t *popped; /* values this thread popped */
    size_t npopped, cap;
    uint64_t peeks;
};

static _Atomic int stop_flag;
static pthread_barrier_t start_barrier;

static uint64_t xorshift(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

static void record_pop(struct worker *w, uint64_t v)
{
    if (w->npopped == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 4096;
        w->popped = realloc(w->popped, w->cap * sizeof(uint64_t));
        if (!w->popped)
            abort();
    }
    w->popped[w->npopped++] = v;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    smr_thread_t *t = smr_thread_register(stack_domain(w->stack));
    pthread_barrier_wait(&start_barrier);
    uint64_t v;
    while (!atomic_load_explicit(&stop_flag, memory_order_relaxed)) {
        for (int i = 0; i < 64; i++) {
            uint64_t r = xorshift(&w->rng) % 100;
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
static int run_stress(unsigned nthreads, unsigned ms)
{
    struct stack *s = stack_create(NULL);
    struct worker *w = smr_record_alloc((nthreads + 1) * sizeof(*w)); /* padded, aligned */
    pthread_t th[MAX_THREADS];

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

    atomic_store(&stop_flag, 0);
    pthread_barrier_init(&start_barrier, NULL, nthreads + 1);
    for (unsigned i = 0; i < nthreads; i++) {
        w[i].id = i;
        w[i].stack = s;
        w[i].rng = 0x9e3779b97f4a7c15ull * (i + 1);
        pthread_create(&th[i], NULL, worker_main, &w[i]);
    }
    pthread_barrier_wait(&start_barrier);
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    atomic_store(&stop_flag, 1);
    for (unsigned i = 0; i < nthreads; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start_barrier);
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

static int negative_control(unsigned nthreads, unsigned ms)
{
    for (int attempt = 1; attempt <= 20; attempt++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            atomic_store(&smr_test_free_on_retire, 1);
            _exit(run_stress(nthreads, ms));
        }
        int status;
        waitpid(pid, &status, 0);
        if (WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) != 0)) {
            if (WIFSIGNALED(status))
                printf("negative control: caught on try %d (child killed by signal %d)\n", attempt,
                       WTERMSIG(status));
            else
                printf("negative control: caught on try %d (child exit status %d%s)\n", attempt,
                       WEXITSTATUS(status),
                       WEXITSTATUS(status) == 86 ? ": poisoned node read" : "");
            return 0;
        }
    }
    printf("negative control: free-on-retire was NOT caught in 20 tries\n");
    return 1;
}

int main(int argc, char **argv)
{
    bool negative = argc > 1 && strcmp(argv[1], "--negative-control") == 0;
    int a = negative ? 2 : 1;
    if (argc > 2 && strcmp(argv[1], "--yield") == 0) {
        atomic_store(&smr_test_yield_every, (unsigned)atoi(argv[2]));
        a = 3;
    }
    if (argc != a + 2) {
        fprintf(stderr, "usage: %s [--negative-control | --yield N] THREADS MILLISECONDS\n",
                argv[0]);
        return 2;
    }
    unsigned nthreads = (unsigned)atoi(argv[a]), ms = (unsigned)atoi(argv[a + 1]);
    if (nthreads < 1 || nthreads > MAX_THREADS) {
        fprintf(stderr, "THREADS must be 1..%d\n", MAX_THREADS);
        return 2;
    }
    if (negative) {
        int r = negative_control(nthreads, ms);
        printf("negative-control: %d passed, %d failed\n", !r, r);
        return r;
    }
    run_stress(nthreads, ms);
    char what[64];
    snprintf(what, sizeof what, "stress-stack-%s", smr_scheme.name);
    return test_finish(what);
}
