/* mwu.c - the Mann-Whitney U test (see mwu.h). */
#include "mwu.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct mwu_obs {
    double v;
    int first;          /* 1: from x */
};

static int mwu_cmp(const void *a, const void *b)
{
    double x = ((const struct mwu_obs *)a)->v, y = ((const struct mwu_obs *)b)->v;
    return (x > y) - (x < y);
}

/* Sum of the ranks of x in the pooled sample; *ties gets sum(t^3 - t) over tie groups. */
static double rank_sum(const double *x, size_t n, const double *y, size_t m, double *ties)
{
    size_t total = n + m;
    struct mwu_obs *o = malloc(total * sizeof(*o));
    if (!o)
        abort();
    for (size_t i = 0; i < n; i++)
        o[i] = (struct mwu_obs){x[i], 1};
    for (size_t j = 0; j < m; j++)
        o[n + j] = (struct mwu_obs){y[j], 0};
    qsort(o, total, sizeof(*o), mwu_cmp);
    double r1 = 0;
    *ties = 0;
    for (size_t i = 0; i < total;) {
        size_t j = i;
        while (j < total && o[j].v == o[i].v)
            j++;
        double rank = ((double)(i + 1) + (double)j) / 2, t = (double)(j - i);
        *ties += t * t * t - t;
        for (size_t k = i; k < j; k++)
            if (o[k].first)
                r1 += rank;
        i = j;
    }
    free(o);
    return r1;
}

/*
 * P(U <= u) when all C(n+m, n) arrangements are equally likely. c(i, j, w)
 * counts the arrangements of i x's and j y's with U = w, by where the
 * largest value comes from: an x above all j y's adds j to U, a y adds
 * nothing, so c(i, j, w) = c(i-1, j, w-j) + c(i, j-1, w).
 */
static double exact_cdf(size_t n, size_t m, size_t u)
{
    size_t width = n * m + 1;
    double *prev = calloc((m + 1) * width, sizeof(double));
    double *cur = calloc((m + 1) * width, sizeof(double));
    if (!prev || !cur)
        abort();
    for (size_t j = 0; j <= m; j++)
        prev[j * width] = 1; /* i = 0: one arrangement, U = 0 */
    for (size_t i = 1; i <= n; i++) {
        memset(cur, 0, (m + 1) * width * sizeof(double));
        cur[0] = 1; /* j = 0 */
        for (size_t j = 1; j <= m; j++)
            for (size_t w = 0; w <= i * j; w++)
                cur[j * width + w] = (w >= j ? prev[j * width + w - j] : 0) + cur[(j - 1) * width + w];
        double *t = prev;
        prev = cur;
        cur = t;
    }
    double below = 0, all = 0;
    for (size_t w = 0; w < width; w++) {
        all += prev[m * width + w];
        if (w <= u)
            below += prev[m * width + w];
    }
    free(prev);
    free(cur);
    return below / all;
}

struct mwu_result mwu_test(const double *x, size_t n, const double *y, size_t m)
{
    double ties;
    double r1 = rank_sum(x, n, y, m, &ties);
    double nn = (double)n, mm = (double)m, total = nn + mm;
    struct mwu_result r = {.u = r1 - nn * (nn + 1) / 2};
    double u_min = fmin(r.u, nn * mm - r.u);
    if (ties == 0 && n <= MWU_EXACT_MAX && m <= MWU_EXACT_MAX) {
        r.exact = true;
        r.p = fmin(1, 2 * exact_cdf(n, m, (size_t)u_min));
        return r;
    }
    double var = nn * mm / 12 * ((total + 1) - ties / (total * (total - 1)));
    if (var <= 0) { /* every value the same */
        r.p = 1;
        return r;
    }
    double z = fmax(0, fabs(r.u - nn * mm / 2) - 0.5) / sqrt(var);
    r.p = fmin(1, erfc(z / sqrt(2)));
    return r;
}

double mwu_min_p(size_t n, size_t m)
{
    /* C(n+m, n) as a product of ratios, kept in floating point */
    double c = 1;
    for (size_t i = 1; i <= n; i++)
        c = c * (double)(m + i) / (double)i;
    return fmin(1, 2 / c);
}
