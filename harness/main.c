/* main.c - smrbench: subcommand dispatch. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "buildinfo.h"
#include "list.h"
#include "merge/merge.h"
#include "plot/plot.h"
#include "run/cli.h"
#include "run/command.h"
#ifndef SMRBENCH_NO_MICRO
#include "compare/compare.h"
#include "micro/micro.h"
#endif

static void usage(FILE *f)
{
    fprintf(f, "usage: smrbench list\n"
               "       smrbench --version       (version, git revision, build type)\n"
               "       smrbench run [options]   (smrbench run --help for the options)\n"
               "       smrbench plot DIR        (figures of a results folder, with gnuplot)\n"
               "       smrbench merge -o OUT DIR...   (shards and machines into one set; --help)\n"
#ifndef SMRBENCH_NO_MICRO
               "       smrbench micro [Google Benchmark flags]   (smrbench micro --help)\n"
               "       smrbench compare BASE NEW [--threshold PERCENT]   (smrbench compare --help)\n"
#endif
    );
}

static int cmd_version(void)
{
    struct buildinfo b;
    buildinfo_get(&b);
    printf("smrbench %s (git %s, %s build, %s%s%s)\n", b.version, b.git_revision, b.build_type,
           b.compiler, b.sanitizer[0] ? ", sanitizer " : "", b.sanitizer);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "list") == 0)
        return cmd_list(argc - 1, argv + 1);
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0)
        return cmd_version();
    if (strcmp(argv[1], "run") == 0)
        return cmd_run(argc - 1, argv + 1, argv);
    if (strcmp(argv[1], "plot") == 0)
        return cmd_plot(argc - 1, argv + 1);
    if (strcmp(argv[1], "merge") == 0)
        return cmd_merge(argc - 1, argv + 1);
#ifndef SMRBENCH_NO_MICRO
    if (strcmp(argv[1], "micro") == 0)
        return cmd_micro(argc - 1, argv + 1);
    if (strcmp(argv[1], "compare") == 0)
        return cmd_compare(argc - 1, argv + 1);
#endif
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
#ifdef SMRBENCH_NO_MICRO
    fprintf(stderr, "smrbench: unknown command '%s'; allowed in this build: list, run, plot, "
                    "merge, --version\n",
#else
    fprintf(stderr, "smrbench: unknown command '%s'; allowed: list, run, plot, merge, micro, "
                    "compare, --version\n",
#endif
            argv[1]);
    return EXIT_USAGE;
}
