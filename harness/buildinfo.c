/* buildinfo.c - build facts baked in by CMake, machine facts read at run time. */
#include "buildinfo.h"

#include "alloc.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

/* SMR_GIT_REV, written at every build (cmake/GitRevision.cmake). */
#if __has_include("smr_git_rev.h")
#include "smr_git_rev.h"
#endif
#ifndef SMR_GIT_REV
#define SMR_GIT_REV "unknown"
#endif
#ifndef SMR_BUILD_TYPE
#define SMR_BUILD_TYPE "unknown"
#endif
#ifndef SMR_C_FLAGS
#define SMR_C_FLAGS ""
#endif
#ifndef SMR_C_DEFINITIONS
#define SMR_C_DEFINITIONS ""
#endif
#ifndef SMR_VERSION
#define SMR_VERSION "unknown"
#endif
#ifndef SMR_SANITIZER
#define SMR_SANITIZER ""
#endif

#if defined(__clang__)
#define SMR_COMPILER "clang " __clang_version__
#elif defined(__GNUC__)
#define SMR_COMPILER "gcc " __VERSION__
#else
#define SMR_COMPILER "unknown"
#endif

static void read_cpu_model(char *buf, size_t len)
{
    snprintf(buf, len, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) == 0) {
            char *colon = strchr(line, ':');
            if (colon) {
                colon += 2;
                colon[strcspn(colon, "\n")] = 0;
                snprintf(buf, len, "%s", colon);
            }
            break;
        }
    }
    fclose(f);
}

void buildinfo_get(struct buildinfo *b)
{
    memset(b, 0, sizeof(*b));
    b->version = SMR_VERSION;
    b->git_revision = SMR_GIT_REV;
    b->compiler = SMR_COMPILER;
    b->c_flags = SMR_C_FLAGS;
#ifdef SMR_CHECKED
    /* smrbench-checked: the schemes poison what they free (smrcore_checked). */
    b->definitions = SMR_C_DEFINITIONS " SMR_CHECKED=1";
#else
    b->definitions = SMR_C_DEFINITIONS;
#endif
    b->build_type = SMR_BUILD_TYPE;
    b->sanitizer = SMR_SANITIZER;
    alloc_describe(b->allocator, sizeof b->allocator);
    read_cpu_model(b->cpu_model, sizeof b->cpu_model);
    gethostname(b->hostname, sizeof b->hostname - 1);
    struct utsname u;
    if (uname(&u) == 0)
        snprintf(b->kernel, sizeof b->kernel, "%.40s %.100s", u.sysname, u.release);
}
