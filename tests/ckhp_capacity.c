/*
 * ckhp_capacity.c - the ck-hp adapter refuses a thread whose hazard slots
 * would take the domain past ck_hp's scan cache (CK_HP_CACHE non-NULL
 * hazards; ck_hp_reclaim 0.7.1 ignores any beyond it and writes one past the
 * cache). Linked with the checked core, compiled with SMR_SCHEME=ckhp.
 *
 * A child registers CK_HP_CACHE / 8 handles with 8 slots each (exactly the
 * cache), reports that on a pipe, then registers one more: it must abort.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "smr.h"
#include "test_util.h"

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
    return test_finish("ckhp-capacity");
}
