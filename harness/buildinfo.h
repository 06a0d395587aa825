/* buildinfo.h - how this binary was built and where it runs, for every result. */
#ifndef BUILDINFO_H
#define BUILDINFO_H

struct buildinfo {
    const char *version;        /* the project's version (CMakeLists.txt) */
    const char *git_revision;
    const char *compiler;
    const char *c_flags;        /* the build type's flags, the standard, the warnings */
    const char *definitions;    /* the definitions every file of the build gets */
    const char *build_type;
    const char *sanitizer;      /* "" when none */
    char allocator[96];         /* what serves malloc now, with its version */
    char cpu_model[128];
    char hostname[64];
    char kernel[160];
};

void buildinfo_get(struct buildinfo *b);

#endif /* BUILDINFO_H */
