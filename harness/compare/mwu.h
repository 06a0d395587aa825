/*
 * mwu.h - the Mann-Whitney U test (Wilcoxon rank-sum), two-sided.
 *
 * Ranks over the pooled sample, ties given their average rank. Without
 * ties and with both samples of at most MWU_EXACT_MAX values the p-value
 * is exact (the distribution of U over every arrangement); otherwise the
 * normal approximation with the tie correction of the variance and a
 * continuity correction of 0.5.
 */
#ifndef MWU_H
#define MWU_H

#include <stdbool.h>
#include <stddef.h>

#define MWU_EXACT_MAX 20

struct mwu_result {
    double u;           /* U of the first sample: pairs (x, y) with x > y, ties counting 1/2 */
    double p;           /* two-sided */
    bool exact;
};

/* x has n >= 1 values, y has m >= 1. */
struct mwu_result mwu_test(const double *x, size_t n, const double *y, size_t m);

/* The smallest two-sided p-value samples of n and m values can give
   (2 / C(n+m, n), at most 1): below alpha, the test can decide. */
double mwu_min_p(size_t n, size_t m);

#endif /* MWU_H */
