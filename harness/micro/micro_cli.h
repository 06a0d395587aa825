/* micro_cli.h - `smrbench micro`'s command line: checks, help, the run. */
#ifndef MICRO_CLI_H
#define MICRO_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Checks the flags Google Benchmark would reject by exiting (a bad format,
   an unwritable --benchmark_out, ...) and anything that is not one of its
   flags. On bad input prints one line to stderr and returns false. */
bool micro_check_args(int argc, char **argv);
/* After registration: the last --benchmark_filter compiles and selects
   something (else one line on stderr naming it, and false). */
bool micro_check_filter(int argc, char **argv);
#define MICRO_NAME_MAX 200
/* Every benchmark name a run can have, FAMILY/SCHEME[/iterations:N]/threads:T (micro.c). */
const char (*micro_instance_names(size_t *n))[MICRO_NAME_MAX];
/* Hands the flags to Google Benchmark and runs what they select. Returns 0,
   1 if the library failed, 2 on bad input (one line on stderr). */
int micro_run(int argc, char **argv);
/* The benchmark families, one line each (micro.c). */
void micro_print_families(FILE *f);

#endif /* MICRO_CLI_H */
