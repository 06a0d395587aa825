/* zipf_distribution.c - the Zipf generator against exact probabilities (fixed seeds). */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "test_util.h"
#include "zipf.h"

/* Chi-square of observed counts against exact Zipf probabilities over ranks
   0..bins-2 plus a tail bin. */
static double chi_square(uint64_t n, double theta, unsigned bins, uint64_t draws, uint64_t seed)
{
    struct zipf z;
    struct rng r;
    zipf_init(&z, n, theta);
    rng_seed(&r, seed);
    uint64_t *count = calloc(bins, sizeof(uint64_t));
    for (uint64_t i = 0; i < draws; i++) {
        uint64_t k = zipf_next(&z, &r);
        if (k >= n) {
            free(count);
            return INFINITY;
        }
        count[k < bins - 1 ? k : bins - 1]++;
    }
    double norm = 0;
    for (uint64_t k = 1; k <= n; k++)
        norm += pow((double)k, -theta);
    double chi = 0, tail = 1;
    for (unsigned b = 0; b < bins - 1; b++) {
        double p = pow((double)(b + 1), -theta) / norm;
        tail -= p;
        double e = p * (double)draws;
        chi += ((double)count[b] - e) * ((double)count[b] - e) / e;
    }
    double e = tail * (double)draws;
    if (e > 0)
        chi += ((double)count[bins - 1] - e) * ((double)count[bins - 1] - e) / e;
    free(count);
    return chi;
}

int main(void)
{
    /* 20 bins: 19 degrees of freedom; the 99.9th percentile of chi2(19) is 43.8. */
    const double thetas[] = {0.5, 0.8, 0.99, 1.0, 1.2, 2.0};
    for (unsigned i = 0; i < sizeof thetas / sizeof thetas[0]; i++) {
        double chi = chi_square(100000, thetas[i], 20, 2000000, 42 + i);
        CHECK(chi < 43.8, "theta %.2f: chi-square %.1f over 19 dof", thetas[i], chi);
    }
    /* Small ranges, including n = 1 and 2. */
    CHECK(chi_square(2, 0.99, 2, 100000, 7) < 10.8, "n=2 distribution off");
    struct zipf z;
    struct rng r;
    zipf_init(&z, 1, 0.9);
    rng_seed(&r, 1);
    bool all_zero = true;
    for (int i = 0; i < 1000; i++)
        all_zero &= zipf_next(&z, &r) == 0;
    CHECK(all_zero, "n=1 must always give rank 0");
    /* A wrong exponent must be detected: theta 0.9 samples against 0.99 probabilities. */
    struct zipf wrong;
    zipf_init(&wrong, 1000, 0.9);
    rng_seed(&r, 3);
    uint64_t hits0 = 0, draws = 1000000;
    for (uint64_t i = 0; i < draws; i++)
        hits0 += zipf_next(&wrong, &r) == 0;
    double norm = 0;
    for (int k = 1; k <= 1000; k++)
        norm += pow(k, -0.99);
    double expect = (double)draws / norm, sd = sqrt(expect);
    CHECK(fabs((double)hits0 - expect) > 10 * sd, "the test cannot tell theta 0.9 from 0.99");
    /* Huge ranges work (no table). */
    zipf_init(&z, 1ull << 32, 0.99);
    uint64_t maxk = 0;
    for (int i = 0; i < 100000; i++) {
        uint64_t k = zipf_next(&z, &r);
        if (k > maxk)
            maxk = k;
    }
    CHECK(maxk < (1ull << 32) && maxk > 1000, "2^32 keys: max rank %llu", (unsigned long long)maxk);
    return test_finish("zipf");
}
