/* smr_membarrier.c - membarrier(2) set-up and the expedited barrier. */
#include "smr_membarrier.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__linux__) && defined(__has_include)
#if __has_include(<linux/membarrier.h>)
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>
#define SMR_HAVE_MEMBARRIER 1
#endif
#endif

#ifdef SMR_HAVE_MEMBARRIER
static long smr_membarrier_call(int cmd)
{
    return syscall(SYS_membarrier, cmd, 0, 0);
}

int smr_membarrier_setup(void)
{
    long cmds = smr_membarrier_call(MEMBARRIER_CMD_QUERY);
    if (cmds < 0)
        return errno ? errno : ENOSYS;
    if (!(cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED) ||
        !(cmds & MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED))
        return ENOSYS;
    if (smr_membarrier_call(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) != 0)
        return errno ? errno : EPERM;
    return 0;
}

void smr_membarrier(void)
{
    if (smr_membarrier_call(MEMBARRIER_CMD_PRIVATE_EXPEDITED) != 0) {
        fprintf(stderr, "smrbench: membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) failed after "
                        "registration: %s\n", strerror(errno));
        abort();
    }
}
#else
int smr_membarrier_setup(void)
{
    return ENOSYS;
}

void smr_membarrier(void)
{
    fprintf(stderr, "smrbench: membarrier(2) is not available in this build\n");
    abort();
}
#endif
