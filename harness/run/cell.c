/*
 * cell.c - one cell in a child process: fork, the result through a pipe,
 * the deadline, and what a child that died or hung becomes.
 *
 * The message is the child's struct run_result followed by its arrays
 * (per-thread counters, then the memory curve). Parent and child are the
 * same binary, forked, so the struct's bytes mean the same on both sides;
 * its pointers are replaced on arrival.
 */
#include "cell.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

_Atomic pid_t cell_child;

#define CELL_MAGIC 0x534d5243u /* "SMRC" */

/* After an interrupt a cell has this long to stop before it is killed. */
#define CELL_INTERRUPT_GRACE_S 30.0

struct cell_header {
    uint32_t magic;
    uint32_t threads;
    uint64_t nseries;
};

double cell_timeout_s(const struct run_options *o, const struct bench_ops *b, unsigned nthreads)
{
    if (o->cell_timeout_s > 0)
        return o->cell_timeout_s;
    /* Generous: a hang is what it catches, not a slow teardown. 2 us per
       prefilled element and 50 ms per thread cover a loaded, oversubscribed
       machine many times over. */
    return 2 * (o->warmup_s + o->duration_s) + 60 + 2e-6 * (double)run_prefill(o, b) +
           0.05 * nthreads;
}

/* ---- the child ---- */

static bool write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        c += w;
        n -= (size_t)w;
    }
    return true;
}

static bool send_result(int fd, const struct run_result *r)
{
    struct cell_header h = {CELL_MAGIC, r->thread_ops ? r->threads : 0, r->nseries};
    size_t per_thread = (size_t)h.threads * sizeof(uint64_t);
    return write_all(fd, &h, sizeof h) && write_all(fd, r, sizeof *r) &&
           write_all(fd, r->thread_ops, per_thread) &&
           write_all(fd, r->thread_retired, per_thread) &&
           write_all(fd, r->thread_reclaimed, per_thread) &&
           write_all(fd, r->thread_seed, per_thread) &&
           write_all(fd, r->series, h.nseries * sizeof(struct series_point));
}

/* A second interrupt must not kill the child before it reports: Ctrl-C
   reaches it from the terminal and again from the parent. The parent keeps
   the reset, so a second Ctrl-C still ends everything (the child follows
   through PR_SET_PDEATHSIG). */
static void child_keep_handlers(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction sa;
        if (sigaction(sigs[i], NULL, &sa) == 0 && sa.sa_handler != SIG_DFL &&
            sa.sa_handler != SIG_IGN) {
            sa.sa_flags &= ~SA_RESETHAND;
            sigaction(sigs[i], &sa, NULL);
        }
    }
}

static _Noreturn void child_main(int fd, pid_t parent, const struct run_options *o,
                                 const struct bench_ops *b, unsigned nthreads, unsigned rep,
                                 hwloc_topology_t topo)
{
    /* A parent killed with SIGKILL takes its running cell with it. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(1);
    atomic_store(&cell_child, 0);
    child_keep_handlers();
    cell_test_fault(b->scheme->name, nthreads);
    struct run_result r;
    run_cell(o, b, nthreads, rep, topo, &r);
    bool sent = send_result(fd, &r);
    /* _exit: the parent's stdio buffers and atexit handlers are not ours */
    _exit(sent ? 0 : 1);
}

/* ---- the parent ---- */

struct buffer {
    char *p;
    size_t n, cap;
};

/* Read what the child sends until it closes the pipe or the deadline
   passes; an interrupt moves the deadline to CELL_INTERRUPT_GRACE_S ahead. */
static bool read_until(int fd, double deadline, struct buffer *buf)
{
    bool shortened = false;
    for (;;) {
        double now = run_now_s();
        if (atomic_load(&run_interrupted) && !shortened) {
            shortened = true;
            if (now + CELL_INTERRUPT_GRACE_S < deadline)
                deadline = now + CELL_INTERRUPT_GRACE_S;
        }
        if (now >= deadline)
            return false;
        struct pollfd p = {fd, POLLIN, 0};
        double left_ms = (deadline - now) * 1000 + 1;
        int rc = poll(&p, 1, left_ms > 1000 ? 1000 : (int)left_ms);
        if (rc < 0 && errno != EINTR)
            return false;
        if (rc <= 0)
            continue;
        if (buf->cap - buf->n < 65536) {
            buf->cap = buf->cap ? 2 * buf->cap : 1 << 20;
            buf->p = realloc(buf->p, buf->cap);
            if (!buf->p)
                abort();
        }
        ssize_t got = read(fd, buf->p + buf->n, buf->cap - buf->n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return true; /* end of file (or an error: what arrived is judged) */
        buf->n += (size_t)got;
    }
}

static void *take(const struct buffer *buf, size_t *at, size_t n)
{
    if (n == 0)
        return NULL;
    void *p = malloc(n);
    if (!p)
        abort();
    memcpy(p, buf->p + *at, n);
    *at += n;
    return p;
}

/* The child's result from its message; false if the message is not whole. */
static bool receive_result(const struct buffer *buf, struct run_result *r)
{
    struct cell_header h;
    if (buf->n < sizeof h + sizeof *r)
        return false;
    memcpy(&h, buf->p, sizeof h);
    size_t per_thread = (size_t)h.threads * sizeof(uint64_t);
    if (h.magic != CELL_MAGIC || (h.threads != 0 && h.threads != r->threads) ||
        h.nseries > (buf->n / sizeof(struct series_point)) ||
        buf->n != sizeof h + sizeof *r + 4 * per_thread + h.nseries * sizeof(struct series_point))
        return false;
    /* Keep the parent's own identifying pointers; take the rest. */
    const char *structure = r->structure, *scheme = r->scheme;
    size_t at = sizeof h;
    memcpy(r, buf->p + at, sizeof *r);
    at += sizeof *r;
    r->structure = structure;
    r->scheme = scheme;
    r->thread_ops = take(buf, &at, per_thread);
    r->thread_retired = take(buf, &at, per_thread);
    r->thread_reclaimed = take(buf, &at, per_thread);
    r->thread_seed = take(buf, &at, per_thread);
    r->series = take(buf, &at, h.nseries * sizeof(struct series_point));
    r->nseries = h.nseries;
    return true;
}

static bool is_interrupt(int sig)
{
    return sig == SIGINT || sig == SIGTERM || sig == SIGHUP;
}

/* A child that sent no whole result: why, from how it ended. */
static void judge_lost(struct run_result *r, bool timed_out, double timeout, int wstatus)
{
    int sig = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
    r->status = RUN_FAILED;
    if (timed_out && atomic_load(&run_interrupted)) {
        r->status = RUN_INTERRUPTED;
        snprintf(r->failure, sizeof r->failure, "interrupted and killed after %.0f s",
                 CELL_INTERRUPT_GRACE_S);
    } else if (timed_out) {
        snprintf(r->failure, sizeof r->failure, "timeout after %.0f s", timeout);
    } else if (sig && is_interrupt(sig) && atomic_load(&run_interrupted)) {
        r->status = RUN_INTERRUPTED;
        snprintf(r->failure, sizeof r->failure, "interrupted by signal %d (SIG%s)", sig,
                 sigabbrev_np(sig) ? sigabbrev_np(sig) : "?");
    } else if (sig) {
        snprintf(r->failure, sizeof r->failure, "signal %d (SIG%s)", sig,
                 sigabbrev_np(sig) ? sigabbrev_np(sig) : "?");
    } else {
        snprintf(r->failure, sizeof r->failure, "exit status %d without a result",
                 WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
    }
}

void cell_run_isolated(const struct run_options *o, const struct bench_ops *b, unsigned nthreads,
                       unsigned rep, hwloc_topology_t topo, struct run_result *r)
{
    run_result_init(r, o, b, nthreads, rep);
    int fds[2];
    if (pipe(fds) != 0) {
        snprintf(r->failure, sizeof r->failure, "no pipe for the child: %s", strerror(errno));
        r->status = RUN_FAILED;
        return;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        child_main(fds[1], parent, o, b, nthreads, rep, topo);
    }
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        snprintf(r->failure, sizeof r->failure, "fork failed: %s", strerror(errno));
        r->status = RUN_FAILED;
        return;
    }
    atomic_store(&cell_child, pid);
    /* An interrupt that came between fork and the store above was not forwarded. */
    int sig = atomic_load(&run_interrupted);
    if (sig)
        kill(pid, sig);

    double timeout = cell_timeout_s(o, b, nthreads);
    struct buffer buf = {0};
    bool timed_out = !read_until(fds[0], run_now_s() + timeout, &buf);
    if (timed_out)
        kill(pid, SIGKILL);
    close(fds[0]);
    int wstatus = 0;
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
        ;
    atomic_store(&cell_child, 0);
    bool whole = !timed_out && WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0 &&
                 receive_result(&buf, r);
    if (!whole)
        judge_lost(r, timed_out, timeout, wstatus);
    free(buf.p);
}

#ifdef SMR_TEST_FAULTS
bool cell_test_miscount;

void cell_test_fault(const char *scheme, unsigned nthreads)
{
    const char *spec = getenv("SMRBENCH_TEST_FAULT");
    char kind[16], name[64];
    unsigned threads;
    if (!spec || sscanf(spec, "%15[^:]:%63[^:]:%u", kind, name, &threads) != 3 ||
        strcmp(name, scheme) != 0 || threads != nthreads)
        return;
    if (strcmp(kind, "crash") == 0) {
        /* The default action, not a sanitizer's report and exit. */
        struct sigaction dfl = {.sa_handler = SIG_DFL};
        sigaction(SIGSEGV, &dfl, NULL);
        raise(SIGSEGV);
    }
    else if (strcmp(kind, "hang") == 0)
        for (;;)
            pause();
    else if (strcmp(kind, "exit") == 0)
        _exit(3);
    else if (strcmp(kind, "miscount") == 0)
        cell_test_miscount = true;
}
#endif
