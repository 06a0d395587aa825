/*
 * stress_rig.h - what the structures' stress programs share: worker
 * threads started together and stopped after a time, the catch of a
 * planted bug in child processes, and the common command line
 *
 *   PROGRAM [--yield N | --negative-control | --planted] THREADS MILLISECONDS
 *
 * A program defines rig_stress(threads, ms), which returns its number of
 * failed checks; its workers call rig_started() and loop while
 * rig_running(). It calls rig_main from main, or, with a command line of
 * its own, rig_run and rig_expect_caught.
 */
#ifndef STRESS_RIG_H
#define STRESS_RIG_H

#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rng.h"
#include "test_util.h"

#define RIG_MAX_THREADS 64

static _Atomic int rig_stop;
static pthread_barrier_t rig_barrier;

/* In a worker: wait for the others, then loop while rig_running(). */
static inline void rig_started(void)
{
    pthread_barrier_wait(&rig_barrier);
}

static inline bool rig_running(void)
{
    return !atomic_load_explicit(&rig_stop, memory_order_relaxed);
}

/* Run fn on each of `n` argument records (`size` bytes apart) for `ms` milliseconds. */
static inline void rig_run(unsigned n, unsigned ms, void *(*fn)(void *), void *args, size_t size)
{
    pthread_t th[RIG_MAX_THREADS];
    atomic_store(&rig_stop, 0);
    pthread_barrier_init(&rig_barrier, NULL, n + 1);
    for (unsigned i = 0; i < n; i++)
        pthread_create(&th[i], NULL, fn, (char *)args + i * size);
    pthread_barrier_wait(&rig_barrier);
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    atomic_store(&rig_stop, 1);
    for (unsigned i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&rig_barrier);
}

static int rig_stress(unsigned nthreads, unsigned ms);

/* The stress in child processes with a planted bug switched on (up to 20
   tries): the child sets `knob` to 1 (if not NULL) and calls plant() (if
   not NULL). 0 if a child failed, as it must; exit status 86 is the
   checked core's poison or canary tripped. A child still running well
   past its time is killed by SIGALRM and counts as caught: with memory
   freed under its readers a structure can turn into a cycle (a queue's
   reused node pointing back into the queue) that a worker follows for
   ever, which the plain stress test would report as a timeout. */
static inline int rig_expect_caught(const char *what, _Atomic int *knob, void (*plant)(void),
                                    unsigned nthreads, unsigned ms)
{
    for (int attempt = 1; attempt <= 20; attempt++) {
        fflush(stdout);
        fflush(stderr);
        pid_t pid = fork();
        if (pid == 0) {
            if (knob)
                atomic_store(knob, 1);
            if (plant)
                plant();
            alarm(4 * ms / 1000 + 10);
            _exit(rig_stress(nthreads, ms) ? 1 : 0);
        }
        int status;
        waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            bool hung = WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM;
            printf("%s: caught on try %d (%s %d%s)\n", what, attempt,
                   WIFSIGNALED(status) ? "child killed by signal" : "child exit status",
                   WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status),
                   WIFEXITED(status) && WEXITSTATUS(status) == 86 ? ": poisoned memory read"
                   : hung ? ": a worker looped in a corrupted structure" : "");
            return 0;
        }
    }
    printf("%s: NOT caught in 20 tries\n", what);
    return 1;
}

/* Parse the command line and run: the plain stress, or a catch. `planted`
   (may be NULL) is the program's planted bug, selected by --planted. */
static inline int rig_main(int argc, char **argv, const char *name, _Atomic int *planted)
{
    int a = 1;
    _Atomic int *knob = NULL;
    const char *mode = name;
    if (a < argc && strcmp(argv[a], "--negative-control") == 0) {
        knob = &smr_test_free_on_retire;
        mode = "negative-control";
        a++;
    } else if (a < argc && planted && strcmp(argv[a], "--planted") == 0) {
        knob = planted;
        mode = "planted";
        a++;
    } else if (a + 1 < argc && strcmp(argv[a], "--yield") == 0) {
        atomic_store(&smr_test_yield_every, (unsigned)atoi(argv[a + 1]));
        a += 2;
    }
    unsigned nthreads = argc - a == 2 ? (unsigned)atoi(argv[a]) : 0;
    unsigned ms = argc - a == 2 ? (unsigned)atoi(argv[a + 1]) : 0;
    if (nthreads < 1 || nthreads > RIG_MAX_THREADS || ms < 1) {
        fprintf(stderr, "usage: %s [--yield N | --negative-control%s] THREADS(1..%d) "
                "MILLISECONDS\n", argv[0], planted ? " | --planted" : "", RIG_MAX_THREADS);
        return 2;
    }
    if (knob) {
        int r = rig_expect_caught(mode, knob, NULL, nthreads, ms);
        printf("%s: %d passed, %d failed\n", mode, !r, r);
        return r;
    }
    rig_stress(nthreads, ms);
    char what[96];
    snprintf(what, sizeof what, "%s-%s", name, smr_scheme.name);
    return test_finish(what);
}

#endif /* STRESS_RIG_H */
