/*
 * ckhp_capacity.c - the ck-hp adapter refuses a thread whose hazard slots
 * would take the domain past ck_hp's scan cache (CK_HP_CACHE non-NULL
 * hazards; ck_hp_reclaim 0.7.1 ignores any beyond it and writes one past the
 * cache). Linked with the checked core, compiled with SMR_SCHEME=ckhp.
 *
 * A child registers CK_HP_CACHE / 8 handles with 8 slots each (exactly the
 * cache), reports that on a pipe, then registers one more: it must abort.
 * A domain created for more threads than that (cfg.max_threads) uses the
 * adapter's own reclaim instead: it takes them all, and a scan with more
 * than CK_HP_CACHE hazards published frees only what none of them holds.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "smr.h"
#include "test_util.h"

/* FITS + 1 handles of 8 slots, every slot protecting its own node: a scan
   sees more hazards than ck's cache and must keep every protected node. */
static void test_uncapped(void)
{
    enum { SLOTS = 8, HANDLES = CK_HP_CACHE / SLOTS + 1, NODES = HANDLES * SLOTS };
    struct smr_config cfg = {.max_threads = HANDLES, .hazard_slots = SLOTS};
    smr_domain_t *d = smr_domain_create(&cfg);
    static smr_thread_t *t[HANDLES];
    static smr_atomic_ptr src[NODES];
    for (int i = 0; i < HANDLES; i++)
        t[i] = smr_thread_register(d);
    for (int i = 0; i < NODES; i++)
        atomic_init(&src[i], smr_alloc(t[0], 16));
    for (int i = 0; i < NODES; i++) {
        if (i % SLOTS == 0)
            smr_enter(t[i / SLOTS]);
        (void)smr_protect(t[i / SLOTS], (unsigned)(i % SLOTS), &src[i]);
    }
    /* Retire every protected node plus as many unprotected ones, and scan. */
    smr_thread_t *r = t[HANDLES - 1];
    for (int i = 0; i < NODES; i++) {
        smr_retire(r, atomic_exchange(&src[i], NULL), NULL, NULL);
        smr_retire(r, smr_alloc(r, 16), NULL, NULL);
    }
    smr_flush(r);
    struct smr_stats st;
    smr_stats(d, &st);
    CHECK(st.reclaimed == NODES, "%d protected and %d unprotected nodes retired with %d hazards "
          "published: %llu reclaimed, expected exactly the %d unprotected ones", NODES, NODES,
          NODES, (unsigned long long)st.reclaimed, NODES);
    for (int i = 0; i < HANDLES; i++)
        smr_leave(t[i]);
    smr_flush(r);
    smr_stats(d, &st);
    CHECK(st.reclaimed == 2 * NODES, "after every leave, %llu of %d reclaimed",
          (unsigned long long)st.reclaimed, 2 * NODES);
    for (int i = 0; i < HANDLES; i++)
        smr_thread_unregister(t[i]);
    smr_domain_destroy(d, NULL);
}

int main(void)
{
    enum { SLOTS = 8, FITS = CK_HP_CACHE / SLOTS };
    int fd[2];
    if (pipe(fd) != 0)
        return 2;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        struct smr_config cfg = {.max_threads = FITS, .hazard_slots = SLOTS};
        smr_domain_t *d = smr_domain_create(&cfg);
        for (int i = 0; i < FITS; i++)
            (void)smr_thread_register(d);
        char ok = 1;
        if (write(fd[1], &ok, 1) != 1)
            _exit(3);
        (void)smr_thread_register(d); /* one too many: must abort */
        _exit(0);
    }
    close(fd[1]);
    char ok = 0;
    ssize_t got = read(fd[0], &ok, 1);
    int status;
    waitpid(pid, &status, 0);
    CHECK(got == 1 && ok == 1, "%d handles x %d slots (= the scan cache) were refused", FITS, SLOTS);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
          "handle %d (past the scan cache) was accepted (status %#x)", FITS + 1, status);
    test_uncapped();
    return test_finish("ckhp-capacity");
}
