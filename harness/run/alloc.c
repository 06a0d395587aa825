/*
 * alloc.c - --alloc: run under glibc malloc, jemalloc or mimalloc.
 *
 * Reclamation schemes free in batches and from threads other than the
 * allocating one, which is exactly where allocators differ, so the allocator
 * is a parameter of every result. The alternatives are preloaded (Debian's
 * libjemalloc2 and libmimalloc2.0 packages): the same binary, the same code,
 * only malloc/free replaced. What is recorded is what was found serving
 * malloc at run time, not what was asked for.
 */
#include "alloc.h"

#include <dlfcn.h>
#include <limits.h>
#include <link.h>
#include <gnu/libc-version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Set in the re-executed process: a second failure is an error, not a loop. */
#define ALLOC_REEXEC_ENV "SMRBENCH_ALLOC_REEXEC"

static const char *const alloc_table[] = {
    [ALLOC_GLIBC] = "glibc",
    [ALLOC_JEMALLOC] = "jemalloc",
    [ALLOC_MIMALLOC] = "mimalloc",
};
static const char *const alloc_soname[] = {
    [ALLOC_GLIBC] = NULL,
    [ALLOC_JEMALLOC] = "libjemalloc.so.2",
    [ALLOC_MIMALLOC] = "libmimalloc.so.2",
};
static const char *const alloc_package[] = {
    [ALLOC_GLIBC] = NULL,
    [ALLOC_JEMALLOC] = "libjemalloc2",
    [ALLOC_MIMALLOC] = "libmimalloc2.0",
};

bool alloc_parse(const char *arg, enum alloc_kind *kind)
{
    for (size_t i = 0; i < sizeof alloc_table / sizeof *alloc_table; i++)
        if (strcmp(arg, alloc_table[i]) == 0) {
            *kind = (enum alloc_kind)i;
            return true;
        }
    return false;
}

const char *alloc_name(enum alloc_kind kind)
{
    return alloc_table[kind];
}

const char *alloc_names(void)
{
    return "glibc, jemalloc, mimalloc";
}

typedef int (*mallctl_fn)(const char *, void *, size_t *, void *, size_t);
typedef int (*mi_version_fn)(void);

/* The malloc in the global symbol scope: a preloaded allocator comes first. */
static enum alloc_kind alloc_active(void)
{
    if (dlsym(RTLD_DEFAULT, "mallctl"))
        return ALLOC_JEMALLOC;
    if (dlsym(RTLD_DEFAULT, "mi_version"))
        return ALLOC_MIMALLOC;
    return ALLOC_GLIBC;
}

void alloc_describe(char *buf, size_t len)
{
    switch (alloc_active()) {
    case ALLOC_JEMALLOC: {
        mallctl_fn mallctl;
        *(void **)&mallctl = dlsym(RTLD_DEFAULT, "mallctl");
        const char *version = "unknown";
        size_t sz = sizeof version;
        if (mallctl("version", &version, &sz, NULL, 0) != 0)
            version = "unknown";
        snprintf(buf, len, "jemalloc %s", version);
        break;
    }
    case ALLOC_MIMALLOC: {
        mi_version_fn mi_version;
        *(void **)&mi_version = dlsym(RTLD_DEFAULT, "mi_version");
        int v = mi_version(); /* e.g. 209 for 2.0.9 */
        snprintf(buf, len, "mimalloc %d.%d.%d", v / 100, v / 10 % 10, v % 10);
        break;
    }
    default:
        snprintf(buf, len, "glibc %s", gnu_get_libc_version());
    }
}

/* Where the loader will look: libc's own folder (the multiarch one on
   Debian) and the usual others. */
static int libc_dir_cb(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    const char *slash = strrchr(info->dlpi_name, '/');
    if (slash && strstr(slash, "/libc.so")) {
        snprintf(data, PATH_MAX, "%.*s", (int)(slash - info->dlpi_name), info->dlpi_name);
        return 1;
    }
    return 0;
}

static bool alloc_library_present(const char *soname)
{
    char libc_dir[PATH_MAX] = "";
    dl_iterate_phdr(libc_dir_cb, libc_dir);
    const char *dirs[] = {libc_dir, "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                          "/usr/local/lib", "/usr/lib64", "/usr/lib", "/lib"};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        char path[PATH_MAX + 64];
        if (!dirs[i][0])
            continue;
        snprintf(path, sizeof path, "%s/%s", dirs[i], soname);
        if (access(path, R_OK) == 0)
            return true;
    }
    return false;
}

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define ALLOC_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define ALLOC_SANITIZED 1
#endif

bool alloc_ensure(enum alloc_kind kind, char **argv)
{
    enum alloc_kind active = alloc_active();
    if (active == kind)
        return true;
#ifdef ALLOC_SANITIZED
    fprintf(stderr, "smrbench: --alloc: %s cannot replace the sanitizer's malloc in this build; "
                    "allowed: glibc (or use a build without sanitizers)\n", alloc_table[kind]);
    return false;
#endif
    if (kind == ALLOC_GLIBC) {
        fprintf(stderr, "smrbench: --alloc: glibc asked for but %s is preloaded (LD_PRELOAD=%s); "
                        "allowed: unset LD_PRELOAD\n", alloc_table[active],
                getenv("LD_PRELOAD") ? getenv("LD_PRELOAD") : "");
        return false;
    }
    if (getenv(ALLOC_REEXEC_ENV)) {
        fprintf(stderr, "smrbench: --alloc: %s did not load (LD_PRELOAD=%s); install Debian's %s\n",
                alloc_table[kind], alloc_soname[kind], alloc_package[kind]);
        return false;
    }
    /* Probe before exec, so a missing library is one clear line, not a loader
       warning (dlopen is no probe: jemalloc's static TLS refuses it). */
    if (!alloc_library_present(alloc_soname[kind])) {
        fprintf(stderr, "smrbench: --alloc: %s is not installed (%s not found); install Debian's "
                        "%s, or allowed: %s\n", alloc_table[kind], alloc_soname[kind],
                alloc_package[kind], alloc_names());
        return false;
    }
    fflush(NULL);
    setenv("LD_PRELOAD", alloc_soname[kind], 1);
    setenv(ALLOC_REEXEC_ENV, "1", 1);
    execv("/proc/self/exe", argv);
    fprintf(stderr, "smrbench: --alloc: cannot re-execute /proc/self/exe to preload %s\n",
            alloc_soname[kind]);
    return false;
}
