/*
 * ibr_reservation_order.c - ibr's reservation is two words, and a scanner
 * reads upper, then lower (ibr.h): a protect must store lower before it
 * publishes upper. The other order leaves, on an operation's first
 * reservation, a moment where upper holds the new era and lower is still
 * empty; a scanner that reads then skips the thread, and on x86 the
 * thread's re-validating load may already have returned (it can pass the
 * store of lower, which waits in the store buffer behind no barrier), so
 * the scan frees a node the thread is about to use.
 *
 * That moment is a few instructions wide, right after the exchange that
 * published upper, on a cache line the thread owns: no two-CPU race shows
 * it reliably. This test looks at the order itself. A reader protects and
 * leaves in a loop (one slot, and two slots reserved in different eras); a
 * timer interrupts it with a signal every 20 us, which lands between
 * arbitrary instructions (or where the thread was preempted). The handler
 * runs on the interrupted thread, so it sees that thread's own stores in
 * program order: what a scanner would read if the thread stopped there.
 * Inside protect it must never find upper set and lower empty. (Leave
 * clears upper first: its reads are over, either order is safe there, so
 * leave is not checked.)
 *
 *   ibr_reservation_order [SECONDS]
 *       Samples for SECONDS (default 1), longer (up to 20 s) until 2000 of
 *       them landed inside protect; fails at the first bad sample, and if
 *       fewer did (the order was not looked at). Skipped (77) in the TSan
 *       build: TSan holds a signal back until the thread calls into it, so
 *       the handler never runs inside protect there; the order is the same
 *       in every build, and Release and ASan check it.
 */
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "smr.h"
#include "test_tunables.h"
#include "test_util.h"

/* glibc's <signal.h> leaves out the kernel's name for the target thread */
#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

#define MIN_SAMPLES_IN_PROTECT 2000
#define MAX_SECONDS 20.0
#define TIMER_NS 20000

enum phase { OUTSIDE, IN_PROTECT };

static smr_thread_t *reader_t;
/* The reader's phase, written by the reader and read by its own signal
   handler: a signal fence orders them (same thread). */
static volatile sig_atomic_t phase = OUTSIDE;
static _Atomic uint64_t handled, in_protect, published, bad;
static _Atomic int stop;

static void on_signal(int sig)
{
    (void)sig;
    if (phase == IN_PROTECT) {
        /* relaxed: the interrupted thread's own stores, seen in program order */
        uint64_t up = atomic_load_explicit(&reader_t->upper, memory_order_relaxed);
        uint64_t lo = atomic_load_explicit(&reader_t->lower, memory_order_relaxed);
        atomic_fetch_add_explicit(&in_protect, 1, memory_order_relaxed);
        if (up != ERA_NONE) {
            atomic_fetch_add_explicit(&published, 1, memory_order_relaxed);
            if (lo == ERA_NONE)
                atomic_fetch_add_explicit(&bad, 1, memory_order_relaxed);
        }
    }
    atomic_fetch_add_explicit(&handled, 1, memory_order_relaxed);
}

static _Atomic pid_t reader_tid;

static void *reader_main(void *arg)
{
    smr_atomic_ptr *src = arg;
    smr_thread_t *t = reader_t;
    unsigned n = 0;
    atomic_store(&reader_tid, gettid());
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        smr_enter(t);
        phase = IN_PROTECT;
        atomic_signal_fence(memory_order_seq_cst);
        (void)smr_protect(t, 0, &src[0]);
        /* Every 4th operation a second slot: a second reservation in a
           later era (the clock moves with the allocations below). */
        if (++n % 4 == 0)
            (void)smr_protect(t, 1, &src[1]);
        atomic_signal_fence(memory_order_seq_cst);
        phase = OUTSIDE;
        smr_leave(t);
        if (n % 8 == 0) /* move the era clock on: new eras to reserve */
            smr_dealloc_unpublished(t, smr_alloc(t, 16));
    }
    return NULL;
}

int main(int argc, char **argv)
{
    double budget_s = test_seconds_arg(argc, argv, 1.0);
#ifdef SMR_TSAN
    printf("TSan build: signals are delivered only where the thread calls into TSan, never "
           "inside protect; the Release and ASan builds run this test\n");
    return 77;
#endif
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);

    struct smr_config cfg = {.max_threads = 1, .hazard_slots = 2};
    /* The clock moves on every allocation: new eras to reserve. */
    CHECK(test_set_tunable(&cfg, &smr_scheme, "era_period", 1), "ibr declares no era_period");
    smr_domain_t *d = smr_domain_create(&cfg);
    reader_t = smr_thread_register(d);
    static int targets[2];
    smr_atomic_ptr src[2];
    atomic_init(&src[0], &targets[0]);
    atomic_init(&src[1], &targets[1]);
    pthread_t th;
    pthread_create(&th, NULL, reader_main, src);
    while (!atomic_load(&reader_tid))
        sched_yield();
    /* A timer whose signal goes to the reader thread (it fires on the CPU
       that armed it; the kernel interrupts the reader wherever it is). */
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD_ID;
    sev.sigev_signo = SIGUSR1;
    sev.sigev_notify_thread_id = atomic_load(&reader_tid);
    timer_t timer;
    if (timer_create(CLOCK_MONOTONIC, &sev, &timer) != 0) {
        perror("timer_create");
        return 1;
    }
    struct itimerspec its = {{0, TIMER_NS}, {0, TIMER_NS}};
    timer_settime(timer, 0, &its, NULL);

    struct timespec t0, now, tick = {0, 10 * 1000 * 1000};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    double elapsed;
    do {
        nanosleep(&tick, NULL);
        clock_gettime(CLOCK_MONOTONIC, &now);
        elapsed = (double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) * 1e-9;
    } while (!atomic_load_explicit(&bad, memory_order_relaxed) &&
             (elapsed < budget_s ||
              atomic_load_explicit(&in_protect, memory_order_relaxed) < MIN_SAMPLES_IN_PROTECT) &&
             elapsed < MAX_SECONDS);
    timer_delete(timer);
    atomic_store(&stop, 1);
    pthread_join(th, NULL);
    smr_thread_unregister(reader_t);
    smr_domain_destroy(d, NULL);

    uint64_t inside = atomic_load(&in_protect), pub = atomic_load(&published), b = atomic_load(&bad);
    uint64_t sent = atomic_load(&handled); /* signals handled */
    printf("%llu signals in %.2f s, %llu inside protect, %llu of them with upper published, "
           "%llu with lower still empty\n",
           (unsigned long long)sent, elapsed, (unsigned long long)inside, (unsigned long long)pub,
           (unsigned long long)b);
    CHECK(b == 0,
          "a scanner reading upper then lower would have skipped a reserving thread: upper "
          "published before lower (%llu samples)",
          (unsigned long long)b);
    CHECK(b || inside >= MIN_SAMPLES_IN_PROTECT,
          "only %llu of %llu signals landed inside protect: the order was not looked at",
          (unsigned long long)inside, (unsigned long long)sent);
    return test_finish("ibr-reservation-order");
}
