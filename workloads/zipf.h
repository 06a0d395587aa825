/*
 * zipf.h - Zipf-distributed ranks in [0, n) with P(k) proportional to
 * 1/(k+1)^theta, exact for any theta > 0, by rejection-inversion
 * (Hörmann and Derflinger, "Rejection-inversion to generate variates from
 * monotone discrete distributions", 1996): O(1) expected time, no table, so
 * it works for key ranges of billions. Rank 0 is the hottest key.
 *
 * The run loop does not call this per operation (a few libm calls each):
 * every thread fills a key buffer before the run and cycles through it.
 */
#ifndef WORKLOAD_ZIPF_H
#define WORKLOAD_ZIPF_H

#include <math.h>
#include <stdint.h>

#include "rng.h"

struct zipf {
    double theta;
    double n;
    double h_integral_x1; /* H(1.5) - 1 */
    double h_integral_n;  /* H(n + 0.5) */
    double s;             /* acceptance shortcut */
};

/* log1p(x)/x and expm1(x)/x, continuous at 0. */
static inline double zipf_helper1(double x)
{
    return fabs(x) > 1e-8 ? log1p(x) / x : 1 - x / 2 + x * x / 3;
}

static inline double zipf_helper2(double x)
{
    return fabs(x) > 1e-8 ? expm1(x) / x : 1 + x / 2 + x * x / 6;
}

/* H(x): an antiderivative of h(x) = x^-theta. */
static inline double zipf_h_integral(const struct zipf *z, double x)
{
    double lx = log(x);
    return zipf_helper2((1 - z->theta) * lx) * lx;
}

static inline double zipf_h(const struct zipf *z, double x)
{
    return exp(-z->theta * log(x));
}

static inline double zipf_h_integral_inverse(const struct zipf *z, double x)
{
    double t = x * (1 - z->theta);
    if (t < -1)
        t = -1; /* guard against rounding */
    return exp(zipf_helper1(t) * x);
}

static inline void zipf_init(struct zipf *z, uint64_t n, double theta)
{
    z->theta = theta;
    z->n = (double)n;
    z->h_integral_x1 = zipf_h_integral(z, 1.5) - 1;
    z->h_integral_n = zipf_h_integral(z, z->n + 0.5);
    z->s = 2 - zipf_h_integral_inverse(z, zipf_h_integral(z, 2.5) - zipf_h(z, 2));
}

/* A rank in [0, n). */
static inline uint64_t zipf_next(const struct zipf *z, struct rng *r)
{
    for (;;) {
        double u01 = (double)(rng_next(r) >> 11) * 0x1.0p-53;
        double u = z->h_integral_n + u01 * (z->h_integral_x1 - z->h_integral_n);
        double x = zipf_h_integral_inverse(z, u);
        double k = floor(x + 0.5);
        if (k < 1)
            k = 1;
        else if (k > z->n)
            k = z->n;
        if (k - x <= z->s || u >= zipf_h_integral(z, k + 0.5) - zipf_h(z, k))
            return (uint64_t)k - 1;
    }
}

#endif /* WORKLOAD_ZIPF_H */
