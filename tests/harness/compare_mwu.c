/*
 * compare_mwu.c - the Mann-Whitney U test against values computed
 * independently: exact p-values by enumerating every split of the pooled
 * sample, normal approximations from the textbook formula (tie-corrected
 * variance, continuity correction 0.5).
 */
#include <math.h>

#include "mwu.h"
#include "test_util.h"

static void expect(const char *what, double got, double want, double tol)
{
    CHECK(fabs(got - want) <= tol, "%s: got %.10g, want %.10g", what, got, want);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

int main(void)
{
    /* Exact, no ties: complete separation. */
    double a[] = {1, 2, 3}, b[] = {4, 5, 6};
    struct mwu_result r = mwu_test(a, 3, b, 3);
    expect("3v3 separated: U", r.u, 0, 0);
    expect("3v3 separated: p = 2/20", r.p, 0.1, 1e-12);
    expect("3v3 separated: exact", r.exact, 1, 0);
    r = mwu_test(b, 3, a, 3);
    expect("3v3 reversed: U = n*m", r.u, 9, 0);
    expect("3v3 reversed: same p", r.p, 0.1, 1e-12);

    double c[] = {1, 2, 3, 4, 5}, d[] = {6, 7, 8, 9, 10};
    r = mwu_test(c, 5, d, 5);
    expect("5v5 separated: p = 2/252", r.p, 2.0 / 252, 1e-12);

    /* Exact, interleaved samples. */
    double e[] = {1.1, 2.4, 3.3, 7.2}, f[] = {0.5, 2.0, 5.5, 6.1, 8.8};
    r = mwu_test(e, N(e), f, N(f));
    expect("4v5: U", r.u, 9, 0);
    expect("4v5: p", r.p, 0.9047619047619048, 1e-12);
    double g[] = {3, 1, 4, 1.5, 9, 2.6}, h[] = {5, 3.5, 8, 9.7, 7.9, 3.2, 3.8};
    r = mwu_test(g, N(g), h, N(h));
    expect("6v7: U", r.u, 9, 0);
    expect("6v7: p", r.p, 0.10139860139860139, 1e-12);

    /* Ties: normal approximation with the tie correction. */
    double x[] = {1, 2, 2, 3, 4, 5}, y[] = {2, 4, 5, 6, 7, 8, 9};
    r = mwu_test(x, N(x), y, N(y));
    expect("ties: U (ties count 1/2)", r.u, 6, 0);
    expect("ties: not exact", r.exact, 0, 0);
    expect("ties: p", r.p, 0.03673340522508016, 1e-9);

    /* Larger than MWU_EXACT_MAX: normal approximation. */
    double big_x[25], big_y[25];
    for (int i = 0; i < 25; i++) {
        big_x[i] = i;
        big_y[i] = i + 7.5;
    }
    r = mwu_test(big_x, 25, big_y, 25);
    expect("25v25: U", r.u, 153, 0);
    expect("25v25: p", r.p, 0.002035157807278383, 1e-9);

    /* Every value equal: nothing to see. */
    double same[] = {4, 4, 4, 4};
    r = mwu_test(same, 4, same, 4);
    expect("all tied: p = 1", r.p, 1, 0);

    expect("min p 3v3", mwu_min_p(3, 3), 0.1, 1e-12);
    expect("min p 10v10", mwu_min_p(10, 10), 1.082508822446903e-05, 1e-15);
    expect("min p 1v1 capped", mwu_min_p(1, 1), 1, 0);

    return test_finish("mwu");
}
