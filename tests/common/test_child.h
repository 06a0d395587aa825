/*
 * test_child.h - run a piece of a test in a forked child and see how it
 * ended: for checks that must stop the program (an abort, a checked-build
 * check that exits 86), which would end the test itself.
 *
 * Call it before the test creates threads: a child of a multi-threaded
 * process inherits only the calling thread (liburcu's worker, a holder
 * thread), and a library waiting for one of them would wait for ever. A
 * child that has not ended after CHILD_TIMEOUT_S seconds is killed and
 * reported as such.
 */
#ifndef TEST_CHILD_H
#define TEST_CHILD_H

#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHILD_TIMEOUT_S 20

struct child_result {
    bool finished;          /* false: killed after CHILD_TIMEOUT_S */
    int status;             /* waitpid's status when finished */
    char err[2048];         /* what the child wrote on stderr (truncated) */
};

/* Runs fn(arg) in a child whose stderr is captured (what fits in err); the
   child exits 0 if fn returns. */
static inline struct child_result child_run(void (*fn)(void *), void *arg)
{
    struct child_result r = {.finished = false, .status = 0, .err = ""};
    int fd[2];
    if (pipe(fd) != 0)
        return r;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd[1], STDERR_FILENO);
        close(fd[0]);
        close(fd[1]);
        fn(arg);
        _exit(0);
    }
    close(fd[1]);
    size_t got = 0;
    ssize_t n;
    /* Read while waiting, so a talkative child never blocks on a full pipe. */
    fcntl(fd[0], F_SETFL, O_NONBLOCK);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        while (got + 1 < sizeof r.err && (n = read(fd[0], r.err + got, sizeof r.err - 1 - got)) > 0)
            got += (size_t)n;
        if (waitpid(pid, &r.status, WNOHANG) == pid) {
            r.finished = true;
            break;
        }
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec > CHILD_TIMEOUT_S) {
            kill(pid, SIGKILL);
            waitpid(pid, &r.status, 0);
            break;
        }
        struct timespec tick = {0, 2 * 1000 * 1000};
        nanosleep(&tick, NULL);
    }
    while (got + 1 < sizeof r.err && (n = read(fd[0], r.err + got, sizeof r.err - 1 - got)) > 0)
        got += (size_t)n;
    r.err[got] = '\0';
    close(fd[0]);
    return r;
}

static inline bool child_aborted(const struct child_result *r)
{
    return r->finished && WIFSIGNALED(r->status) && WTERMSIG(r->status) == SIGABRT;
}

static inline bool child_exited(const struct child_result *r, int code)
{
    return r->finished && WIFEXITED(r->status) && WEXITSTATUS(r->status) == code;
}

/* How it ended, for a failure message. */
static inline const char *child_describe(const struct child_result *r, char *buf, size_t len)
{
    if (!r->finished)
        snprintf(buf, len, "still running after %d s (killed)", CHILD_TIMEOUT_S);
    else if (WIFSIGNALED(r->status))
        snprintf(buf, len, "killed by signal %d", WTERMSIG(r->status));
    else
        snprintf(buf, len, "exit status %d", WEXITSTATUS(r->status));
    return buf;
}

#endif /* TEST_CHILD_H */
