/* phases.c: exact PELT (Killick, Fearnhead & Eckley 2012) with normal
 * mean and mean-variance costs on cumulative sums; under MBIC, candidates
 * beaten for a while sleep until they can win again. */
#include "threatbalance.h"
#include <math.h>
#include <limits.h>
#include <string.h>
#include <stdint.h>

/* Cost codes shared with R/phases.R. */
#define TB_COST_MEAN 1
#define TB_COST_MEANVAR 2

/* Segment cost on (len, sum, sum of squares): twice the negative normal
 * log-likelihood up to constants, written exactly as changepoint 2.3 does so
 * that ties are broken identically. Mean cost assumes unit variance. */
static inline double seg_cost(int cost, double s1, double s2, int len) {
    if (cost == TB_COST_MEAN) return s2 - (s1 * s1) / len;
    double sigsq = (s2 - ((s1 * s1) / len)) / len;
    if (sigsq <= 0) sigsq = 0.00000000001;
    return len * (log(2 * M_PI) + log(sigsq) + 1);
}

/* Cumulative sums S[0] = 0, S[t] = x_1 + ... + x_t, accumulated in long
 * double and stored as double, as R's cumsum() does. */
static void cumsums(const double *x, R_xlen_t n, double *s1, double *s2) {
    long double a = 0, b = 0;
    s1[0] = 0; s2[0] = 0;
    for (R_xlen_t i = 0; i < n; i++) {
        a += x[i];
        b += x[i] * x[i];
        s1[i + 1] = (double) a;
        s2[i + 1] = (double) b;
    }
}

/* Cone checks are made for blocks of T: of level l, TB_BLOCK << l long. */
#define TB_BLOCK 16
#define TB_LEVELS 12

/* Active candidates (structure of arrays) and the sleepers. */
typedef struct {
    int n, cost, mbic, minseg;
    double pen, slack;           /* slack: bound on the rounding of a value */
    const double *s1, *s2, *lg;  /* cumulative sums; lg[l] = log(l) under MBIC */
    const double *F;
    const int *last;
    int nc;                      /* number of active candidates */
    int *cs, *leave, *back;      /* position s; leaves before t = leave, returns at back */
    double *cf, *c1, *c2, *cp;   /* F, S1, S2 at s; s as double */
    double *tmp, *err;           /* value at t; bound on its error (meanvar) */
    int *head, *chead, *nxt;     /* sleepers due at T (head[T]) or at T = j B
                                  * (chead[j]), linked by nxt[s]; -1 ends a list */
    int *klev, *kr;              /* block level of the last cone check of s; last[s] */
    double *kc, *kd, *kv, *kn1;  /* cone of s: centre m1, D less slack, v1, n1 */
    double *bmu[TB_LEVELS], *bdv[TB_LEVELS]; /* block slopes, deviations */
} pelt_state;

static void push(pelt_state *p, int s) {
    int k = p->nc++;
    p->cs[k] = s; p->cp[k] = (double) s; p->cf[k] = p->F[s];
    p->c1[k] = p->s1[s]; p->c2[k] = p->s2[s];
    p->leave[k] = INT_MAX; p->back[k] = INT_MAX;
}

static void copy_cand(pelt_state *p, int from, int to) {
    p->cs[to] = p->cs[from]; p->cp[to] = p->cp[from]; p->cf[to] = p->cf[from];
    p->c1[to] = p->c1[from]; p->c2[to] = p->c2[from];
}

/* Two-lane vectors (GNU C vector extensions, which gcc and clang lower to
 * SSE2, NEON, ... or to scalar code): R builds with -O2, where gcc does not
 * vectorise these loops itself. Each lane computes what the scalar code
 * computes, operation for operation. */
#if defined(__GNUC__)
#define TB_VEC 1
typedef double vd __attribute__((vector_size(16)));
typedef long long vi __attribute__((vector_size(16)));
typedef unsigned long long vu __attribute__((vector_size(16)));
static inline vd vload(const double *x) { vd v; memcpy(&v, x, sizeof v); return v; }
static inline void vstore(double *x, vd v) { memcpy(x, &v, sizeof v); }
static inline vd vset(double a) { return (vd) {a, a}; }
static inline vd vsel(vi m, vd a, vd b) { return (vd) ((m & (vi) a) | (~m & (vi) b)); }
static inline vd vabs(vd a) { return (vd) ((vu) a & (vu) {~0ULL >> 1, ~0ULL >> 1}); }
#endif

/* Mean cost: exact values F[s] + C(s+1..t) (+ log(t - s)) + pen of the
 * active candidates into tmp, as seg_cost() computes them. */
static void values_mean(pelt_state *p, int t) {
    const double a1 = p->s1[t], a2 = p->s2[t], tt = (double) t, pen = p->pen;
    const double *c1 = p->c1, *c2 = p->c2, *cf = p->cf, *cp = p->cp, *lg = p->lg;
    const int *cs = p->cs;
    double *v = p->tmp;
    const int nc = p->nc, mb = p->mbic;
    int i = 0;
#ifdef TB_VEC
    const vd A1 = vset(a1), A2 = vset(a2), TT = vset(tt), PEN = vset(pen);
    for (; i + 2 <= nc; i += 2) {
        vd d = A1 - vload(c1 + i);
        vd c = (A2 - vload(c2 + i)) - (d * d) / (TT - vload(cp + i));
        if (mb) c += (vd) {lg[t - cs[i]], lg[t - cs[i + 1]]};
        vstore(v + i, vload(cf + i) + c + PEN);
    }
#endif
    for (; i < nc; i++) {
        double d = a1 - c1[i];
        double c = (a2 - c2[i]) - (d * d) / (tt - cp[i]);
        if (mb) c += lg[t - cs[i]];
        v[i] = cf[i] + c + pen;
    }
}

/* log(y) for a normal y > 0, within LOG_APPROX_ERR: y = 2^k m with m in
 * [sqrt(1/2), sqrt(2)], log m = 2 atanh(u) with u = (m - 1) / (m + 1),
 * |u| <= 0.1716, summed to u^9; the rest of the series is below
 * 2 |u|^11 / 11 / (1 - u^2) < 7.2e-10 and rounding adds less than 1e-13. */
#define LOG_APPROX_ERR 1e-9
static inline double log_approx(double y) {
    uint64_t b;
    memcpy(&b, &y, sizeof b);
    double k = (double) (int) (b >> 52) - 1023, m;
    b = (b & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL;
    memcpy(&m, &b, sizeof m);
    if (m > M_SQRT2) { m *= 0.5; k += 1; }
    double u = (m - 1) / (m + 1), z = u * u;
    return k * M_LN2 + 2 * u * (1 + z * (1.0 / 3 + z * (1.0 / 5 + z * (1.0 / 7 + z / 9))));
}

#ifdef TB_VEC
static inline vd vlog_approx(vd y) {
    const vu b = (vu) y, one = (vu) vset(1.0), big2 = (vu) vset(4503599627370496.0);
    vd k = (vd) ((b >> 52) | big2) - vset(4503599627370496.0 + 1023);
    vd m = (vd) ((b & (vu) {0x000fffffffffffffULL, 0x000fffffffffffffULL}) | one);
    vi hi = (vi) (m > vset(M_SQRT2));
    m = vsel(hi, m * vset(0.5), m);
    k = vsel(hi, k + vset(1), k);
    vd u = (m - vset(1)) / (m + vset(1)), z = u * u;
    vd q = vset(1.0 / 7) + z / vset(9);
    q = vset(1) + z * (vset(1.0 / 3) + z * (vset(1.0 / 5) + z * q));
    return k * vset(M_LN2) + vset(2) * u * q;
}
#endif

/* Error bound of a meanvar value computed with log_approx(): the log error
 * times the length, plus a few units in the last place of the sums. */
#define ERR_LEN (LOG_APPROX_ERR + 1e-10)
#define ERR_REL 4e-15

/* Mean-variance cost: values into tmp with log_approx(), error bounds into
 * err; returns the smallest tmp + err, an upper bound on the optimum. */
static double values_meanvar(pelt_state *p, int t) {
    const double a1 = p->s1[t], a2 = p->s2[t], tt = (double) t, pen = p->pen;
    const double lc = log(2 * M_PI) + 1;
    const double *c1 = p->c1, *c2 = p->c2, *cf = p->cf, *cp = p->cp, *lg = p->lg;
    const int *cs = p->cs;
    double *v = p->tmp, *err = p->err, u = R_PosInf;
    const int nc = p->nc, mb = p->mbic;
    int i = 0;
#ifdef TB_VEC
    const vd A1 = vset(a1), A2 = vset(a2), TT = vset(tt), PEN = vset(pen);
    vd U = vset(R_PosInf);
    for (; i + 2 <= nc; i += 2) {
        vd len = TT - vload(cp + i), d = A1 - vload(c1 + i);
        vd sig = ((A2 - vload(c2 + i)) - (d * d) / len) / len;
        sig = vsel((vi) (sig <= vset(0)), vset(1e-11), sig);
        vd c = len * (vset(lc) + vlog_approx(sig));
        if (mb) c += (vd) {lg[t - cs[i]], lg[t - cs[i + 1]]};
        vd f = vload(cf + i), val = f + c + PEN;
        vd e = len * vset(ERR_LEN) + vset(ERR_REL) * (vabs(f) + vabs(c) + PEN);
        vstore(v + i, val);
        vstore(err + i, e);
        U = vsel((vi) (val + e < U), val + e, U);
    }
    u = U[0] < U[1] ? U[0] : U[1];
#endif
    for (; i < nc; i++) {
        double len = tt - cp[i], d = a1 - c1[i];
        double sig = ((a2 - c2[i]) - (d * d) / len) / len;
        if (sig <= 0) sig = 1e-11;
        double c = len * (lc + log_approx(sig));
        if (mb) c += lg[t - cs[i]];
        v[i] = cf[i] + c + pen;
        err[i] = len * ERR_LEN + ERR_REL * (fabs(cf[i]) + fabs(c) + pen);
        if (v[i] + err[i] < u) u = v[i] + err[i];
    }
    return u;
}

/* Exact value of candidate i at t, as changepoint computes it. */
static double exact_value(const pelt_state *p, int i, int t) {
    int len = t - p->cs[i];
    double c = seg_cost(p->cost, p->s1[t] - p->c1[i], p->s2[t] - p->c2[i], len);
    if (p->mbic) c += p->lg[len];
    return p->cf[i] + c + p->pen;
}

/* The optimum at t: the smallest exact value, ties to the smallest s (the
 * list is unsorted once sleepers return). Approximate values that may be
 * the smallest (lower bound <= u) are made exact first. */
static int pick_best(pelt_state *p, int t, double u, double *best) {
    double b = R_PosInf, *v = p->tmp;
    const int approx = p->cost == TB_COST_MEANVAR;
    int arg = 0;
    for (int i = 0; i < p->nc; i++) {
        double x = v[i];
        if (approx) {
            if (!(x - p->err[i] <= u)) continue;
            x = v[i] = exact_value(p, i, t);
            p->err[i] = 0;
        }
        if (x < b || (x == b && p->cs[i] < p->cs[arg])) { b = x; arg = i; }
    }
    *best = b;
    return arg;
}

/* Is the exact value of candidate i at t above bound? */
static inline int above(pelt_state *p, int i, int t, double bound) {
    double v = p->tmp[i];
    if (p->cost == TB_COST_MEAN) return v > bound;
    double e = p->err[i];
    if (v - e > bound) return 1;
    if (v + e <= bound) return 0;
    v = p->tmp[i] = exact_value(p, i, t);
    p->err[i] = 0;
    return v > bound;
}

/* MBIC: the first T after t at which candidate s may again be the optimal
 * last change, given a <= F[s] + C(s+1..t) - F[t] (INT_MAX: never).
 *
 * Write C' = C + log(length) for the MBIC segment cost and V_s(T) =
 * F[s] + C'(s+1..T) + pen for the value of s at T. For T >= t + minseg,
 * t is an admissible last change, so F[T] <= V_t(T). Splitting a segment
 * never raises its cost (C is twice a maximised negative log-likelihood,
 * and two segments have more free parameters than one), so
 * C(s+1..T) >= C(s+1..t) + C(t+1..T), whence
 *   V_s(T) - V_t(T) >= a + log((T - s) / (T - t)).
 * The log term is positive and decreases in T. So s is strictly beaten by
 * t, and cannot be (or tie) the optimum, for every T in [t + minseg, Tc)
 * with Tc = t + (t - s) / (exp(-a) - 1) (Tc = +inf when a >= 0); it is
 * needed again from Tc on, and it is never needed again if Tc > n.
 * The bound is tight: if the data after t continue with the mean (and
 * variance) of x[s+1..t], the split gains nothing, and when t is the best
 * last change V_s(T) - F[T] is exactly a + log((T - s) / (T - t)).
 * Consequently the tightest valid permanent pruning from the pair is
 * a > -log((n - s) / (n - t)), i.e. the PELT constant K = -log(t - s) +
 * log((n - s) / (n - t)), barely stronger than K = -log(t - s); the gain
 * is in letting s sleep until Tc and re-testing it then. (changepoint
 * prunes with K = 0, a + log(t - s) > 0, which by the same identity can
 * discard the optimum.)
 *
 * exp(-a) = 2^z is bounded above with 2^r <= 1 + r (ln 2 + r (1 - ln 2))
 * on [0, 1] (equal at both ends, at most 0.7% above), so Tc is bounded
 * below; the factor 1 - 1e-9 absorbs rounding, so s wakes early, never
 * late. */
static int wake_time(double a, int s, int t, int n) {
    if (a >= 0) return INT_MAX;
    if (!(a < 0)) return 0;                   /* NaN: stay awake */
    double z = -a * M_LOG2E;
    if (z >= 31) return 0;                    /* exp(-a) - 1 > t - s: no sleep */
    int k = (int) z;
    double r = z - k, q = r * (M_LN2 + r * (1 - M_LN2));
    double em1 = k ? (double) (1 << k) * (1 + q) - 1 : q;  /* >= exp(-a) - 1 */
    double d = (double) (t - s) / em1 * (1 - 1e-9);
    if (!(d <= (double) n)) return INT_MAX;
    return t + (int) d;
}

/* Cone certificates (any penalty). Let r = last[s], the optimal last change
 * before s, n1 = s - r, so that F[s] = F[r] + C(r+1..s) + pen (+ log n1
 * under MBIC). For T > s, r is an admissible last change before T, so
 * F[T] <= V_r(T), and
 *   V_s(T) - V_r(T) = D - gain(T) - [log((T - r) / (T - s))],
 * with D = pen (+ log n1) and gain(T) = C(r+1..T) - C(r+1..s) - C(s+1..T)
 * >= 0 the gain from splitting r+1..T at s; the bracket is MBIC's, and as
 * it decreases in T it is at most its value at t0 for every T >= t0:
 * G = D - log((t0 - r) / (t0 - s)), less twice the rounding slack. With
 * m1, v1 the mean and variance of x[r+1..s] and m2, v2 those of x[s+1..T]
 * (n2 = T - s points),
 *   gain(T) = n1 n2 / (n1 + n2) (m1 - m2)^2                     (mean)
 * and, as the likelihood of the one segment r+1..T at the parameters
 * (m2, v2), or at (m1, v1), is at most its maximum,
 *   gain(T) <= min(n1 K(v1, v2), n2 K(v2, v1)),                  (meanvar)
 *   K(a, b) = log(b / a) + (a + (m1 - m2)^2) / b - 1,
 * when no variance is floored (ensured by v1, v2 > 1e-10). While the bound
 * is below G, s is strictly beaten by r and is skipped: it sleeps in a cone
 * around the line of slope m1 through S1[s] that the path of S1 must stay
 * in, checked a block of T at a time, and typically wakes only once the
 * level (or the spread) has moved after s. */

/* Per block j of level l, T in [a, e] with a = j (B << l) and e the block's
 * last T (at most n): the slope bmu[l][j] of S1 over the block and a bound
 * bdv[l][j] on |S1[T] - S1[a] - (T - a) bmu[l][j]|, inflated for rounding.
 * Level 0 is scanned; a block of level l bounds its halves' deviations
 * about its own slope: for T in the first half (slope u1, bound d1, last
 * T e1), |dev| <= d1 + (e1 - a) |u1 - u|; in the second (from h, slope u2,
 * bound d2), |dev| <= |S1[h] - S1[a] - (h - a) u| + d2 + (e - h) |u2 - u|. */
static void block_stats(pelt_state *p) {
    const int n = p->n;
    for (int l = 0; l < TB_LEVELS; l++) {
        const int len = TB_BLOCK << l, nb = n / len + 1;
        double *mu = p->bmu[l], *dv = p->bdv[l];
        for (int j = 0; j < nb; j++) {
            const int a = j * len, e = a + len - 1 < n ? a + len - 1 : n;
            const double u = e > a ? (p->s1[e] - p->s1[a]) / (e - a) : 0;
            const double eps = 1e-12 * (fabs(p->s1[a]) + fabs(p->s1[e]) + len * fabs(u));
            double d = 0;
            if (l == 0) {
                for (int T = a; T <= e; T++) {
                    double v = fabs(p->s1[T] - p->s1[a] - (T - a) * u);
                    if (v > d) d = v;
                }
            } else {
                const int h = a + len / 2, e1 = h - 1 < e ? h - 1 : e;
                const double *cu = p->bmu[l - 1], *cd = p->bdv[l - 1];
                d = cd[2 * j] + (e1 - a) * fabs(cu[2 * j] - u);
                if (h <= e) {
                    double d2 = fabs(p->s1[h] - p->s1[a] - (h - a) * u) + cd[2 * j + 1] +
                                (e - h) * fabs(cu[2 * j + 1] - u);
                    if (d2 > d) d = d2;
                }
            }
            mu[j] = u;
            dv[j] = d + eps;
        }
    }
}

/* The parts of the cone of a new candidate s that do not depend on T;
 * kd[s] = -Inf when s has none. */
static void cone_init(pelt_state *p, int s) {
    const int r = p->last[s], n1 = s - r;
    p->kd[s] = R_NegInf;
    if (s == 0) return;
    const double d1 = p->s1[s] - p->s1[r];
    p->kr[s] = r;
    p->kn1[s] = n1;
    p->kc[s] = d1 / n1;
    if (p->cost == TB_COST_MEANVAR) {
        p->kv[s] = ((p->s2[s] - p->s2[r]) - d1 * d1 / n1) / n1;
        if (!(p->kv[s] > 1e-10)) return;
    }
    p->kd[s] = p->pen - 2 * p->slack + (p->mbic ? p->lg[n1] : 0);
}

/* An upper bound on log y, y > 0: log y <= (y - 1) / sqrt(y) <= (y - 1/y) / 2
 * for y >= 1, and log y <= 2 (y - 1) / (y + 1) for y <= 1; both are within
 * |y - 1|^3 / 6 of log y near 1. */
static inline double log_ub(double y) {
    return y >= 1 ? 0.5 * (y - 1 / y) : 2 * (y - 1) / (y + 1);
}

/* Sum of (x - c)^2 over s+1..T from the cumulative sums, less a bound on
 * its rounding (sign -1) or plus it (sign +1). */
static inline double sq_dev(const pelt_state *p, int s, int T, double c, double sign) {
    double a = p->s2[T] - p->s2[s], b = p->s1[T] - p->s1[s], l = T - s;
    double q = a - 2 * c * b + l * c * c;
    return q + sign * 1e-12 * (fabs(p->s2[T]) + fabs(p->s2[s]) +
                               2 * fabs(c) * (fabs(p->s1[T]) + fabs(p->s1[s])) + l * c * c);
}

/* Does the cone of s hold for every T from T0 to the end of T0's block of
 * level l? */
static int cone_holds(const pelt_state *p, int s, int T0, int l) {
    const int len = TB_BLOCK << l, j = T0 / len, jb = j * len;
    const int T1 = jb + len - 1 < p->n ? jb + len - 1 : p->n;
    const double c = p->kc[s], n0 = T0 - s;
    /* |S1[T] - S1[s] - (T - s) c| <= M, so |m2 - m1| <= M / (T - s) */
    double a = (p->s1[jb] - p->s1[s]) - (jb - s) * c;
    double M = fabs(a) + (T1 - jb) * fabs(p->bmu[l][j] - c) + p->bdv[l][j] +
               1e-12 * (fabs(p->s1[jb]) + fabs(p->s1[s]) + fabs((jb - s) * c));
    const double n1 = p->kn1[s];
    double g = p->kd[s];
    if (p->mbic) g -= p->lg[T0 - p->kr[s]] - p->lg[T0 - s];
    /* mean: gain(T) <= n1 M^2 / (n2 (n1 + n2)), largest at n2 = n0 */
    if (p->cost == TB_COST_MEAN) return n1 * M * M < g * n0 * (n1 + n0);
    /* meanvar: the sum of squares about m1 grows with T, and
     * v2 = sq_dev / n2 - (m2 - m1)^2 lies in [vl, vh]; K(v1, v) and
     * K(v, v1) are largest at an end of [vl, vh] */
    const double dm2 = (M / n0) * (M / n0), n2x = T1 - s, v1 = p->kv[s];
    double vl = sq_dev(p, s, T0, c, -1) / n2x - dm2, vh = sq_dev(p, s, T1, c, 1) / n0;
    if (!(vl > 1e-10) || !(vl > 1e-100 * v1) || !(vh < 1e100 * v1)) return 0;
    double yl = vl / v1, yh = vh / v1;
    if (n1 <= n2x) {    /* n1 K(v1, v2) first */
        double kl = log_ub(yl) + (v1 + dm2) / vl, kh = log_ub(yh) + (v1 + dm2) / vh;
        return n1 * ((kl > kh ? kl : kh) - 1) < g;
    }
    double kl = log_ub(1 / yl) + yl + dm2 / v1, kh = log_ub(1 / yh) + yh + dm2 / v1;
    return n2x * ((kl > kh ? kl : kh) - 1) < g;
}

/* At t = jB (B = TB_BLOCK): each sleeper due tries the longest block
 * starting at t, up to one level above its last, then shorter ones; it
 * sleeps on to the end of the first whose cone holds, or returns to the
 * list. Returns the number of checks made. */
static R_xlen_t cone_wake(pelt_state *p, int t) {
    R_xlen_t checks = 0;
    int al = 0;                                   /* t starts blocks of levels <= al */
    for (int q = t / TB_BLOCK; al < TB_LEVELS - 1 && !(q & 1); q >>= 1) al++;
    int s = p->chead[t / TB_BLOCK];
    p->chead[t / TB_BLOCK] = -1;
    while (s >= 0) {
        int nx = p->nxt[s], l = p->klev[s] + 1 < al ? p->klev[s] + 1 : al;
        for (; l >= 0; l--) {
            checks++;
            if (cone_holds(p, s, t, l)) break;
        }
        if (l >= 0) {
            int k = (t + (TB_BLOCK << l)) / TB_BLOCK;
            p->klev[s] = l; p->nxt[s] = p->chead[k]; p->chead[k] = s;
        } else {
            push(p, s);
        }
        s = nx;
    }
    return checks;
}

/* After F[t], each active candidate is, in this order: dropped if beaten
 * for good (PELT bound; wake_time() under MBIC); sent to sleep in its cone
 * from t + 1 on; under MBIC, sent to sleep until its wake time; or kept. A
 * drop or a wake time found at t takes effect from t + minseg on, when t
 * itself becomes admissible; until then the candidate stays. */
static void prune(pelt_state *p, int t, double best) {
    const double bound = best + p->pen;
    const int from = t + p->minseg, m1 = p->minseg + 1, nextb = (t + 1) / TB_BLOCK + 1;
    const int approx = p->cost == TB_COST_MEANVAR;
    int k = 0;
    for (int i = 0; i < p->nc; i++) {
        int s = p->cs[i], lv = p->leave[i], bk = p->back[i], w = 0; /* beaten on [from, w) */
        double a = 0;
        if (p->mbic) {
            /* a lower bound on F[s] + C(s+1..t) - F[t] */
            a = (p->tmp[i] - (approx ? p->err[i] : 0)) - bound - p->lg[t - s] - p->slack;
            if (a >= 0) w = INT_MAX;
        } else if (above(p, i, t, bound)) {
            w = INT_MAX;
        }
        /* a cone is tried when t + 1 starts a block or t + 1 - s is a power of 2 */
        const int n0 = t + 1 - s;
        if (w == 0 && t < p->n && p->kd[s] > R_NegInf &&
            ((t + 1) % TB_BLOCK == 0 || !(n0 & (n0 - 1))) && cone_holds(p, s, t + 1, 0)) {
            p->klev[s] = 0; p->nxt[s] = p->chead[nextb]; p->chead[nextb] = s;
            continue;
        }
        /* a sleep beyond t + minseg needs exp(-a) - 1 <= (t - s) / (minseg + 1) */
        if (p->mbic && w == 0 && -a < p->lg[t - s + m1] - p->lg[m1])
            w = wake_time(a, s, t, p->n);
        if (w > from) {
            if (lv == INT_MAX) { lv = from; bk = w; }
            else if (from <= bk && w > bk) bk = w;
        }
        if (lv <= t + 1) {                         /* not needed at t + 1 */
            if (bk <= p->n) { p->nxt[s] = p->head[bk]; p->head[bk] = s; }
            continue;
        }
        if (k != i) copy_cand(p, i, k);
        p->leave[k] = lv; p->back[k] = bk; k++;
    }
    p->nc = k;
}

/* Core. F[t] = min over admissible s of F[s] + C(s+1..t) + pen (+ log(t - s)
 * under MBIC), F[0] = -pen; every segment has length >= minseg. last[t] is
 * the optimal last change before t. Returns the number of change points
 * written to cpts (increasing, each the last index of a segment, excluding
 * n). */
static int pelt_core(const double *x, int n, int cost, double pen, int mbic, int minseg,
                     int *cpts, double *objective) {
    pelt_state st = {0}, *p = &st;
    const size_t n1 = (size_t) n + 1, cap = (size_t) n + 2, nb = (size_t) n / TB_BLOCK + (1 << TB_LEVELS) + 2;
    p->n = n; p->cost = cost; p->mbic = mbic; p->minseg = minseg; p->pen = pen;
    double *s1 = (double *) R_alloc(n1, sizeof(double));
    double *s2 = (double *) R_alloc(n1, sizeof(double));
    double *F = (double *) R_alloc(n1, sizeof(double));
    int *last = (int *) R_alloc(n1, sizeof(int));
    p->s1 = s1; p->s2 = s2; p->F = F; p->last = last;
    int **ia[] = {&p->cs, &p->leave, &p->back, &p->head, &p->nxt, &p->klev, &p->kr};
    for (size_t i = 0; i < sizeof ia / sizeof *ia; i++) *ia[i] = (int *) R_alloc(cap, sizeof(int));
    double **da[] = {&p->cf, &p->c1, &p->c2, &p->cp, &p->tmp, &p->err, &p->kc, &p->kd, &p->kv, &p->kn1};
    for (size_t i = 0; i < sizeof da / sizeof *da; i++) *da[i] = (double *) R_alloc(cap, sizeof(double));
    p->chead = (int *) R_alloc(nb, sizeof(int));
    for (int l = 0; l < TB_LEVELS; l++) {
        p->bmu[l] = (double *) R_alloc((size_t) n / (TB_BLOCK << l) + 1, sizeof(double));
        p->bdv[l] = (double *) R_alloc((size_t) n / (TB_BLOCK << l) + 1, sizeof(double));
    }
    for (size_t i = 0; i < cap; i++) p->head[i] = -1;
    for (size_t i = 0; i < nb; i++) p->chead[i] = -1;
    cumsums(x, n, s1, s2);
    block_stats(p);
    /* values are sums of terms each below s2[n] + n (60 + pen) in size */
    p->slack = 1e-12 * (1 + fabs(s2[n]) + (double) n * (60 + pen));
    if (mbic) {
        double *lg = (double *) R_alloc(n1 + minseg + 1, sizeof(double));
        lg[0] = 0;
        for (int l = 1; l <= n + minseg + 1; l++) lg[l] = log((double) l);
        p->lg = lg;
    }

    F[0] = -pen; last[0] = 0;
    for (int t = 1; t < minseg && t <= n; t++) { F[t] = R_PosInf; last[t] = 0; }
    for (int t = minseg; t < 2 * minseg && t <= n; t++) {
        F[t] = seg_cost(cost, s1[t], s2[t], t);
        if (mbic) F[t] += p->lg[t];
        last[t] = 0;
    }
    cone_init(p, 0);
    cone_init(p, minseg);
    push(p, 0);
    push(p, minseg);
    R_xlen_t work = 0; /* candidates evaluated since the last interrupt check */
    for (int t = 2 * minseg; t <= n; t++) {
        if (t % TB_BLOCK == 0) work += cone_wake(p, t);
        for (int s = p->head[t]; s >= 0; s = p->nxt[s]) push(p, s);
        work += p->nc + 1;
        if (work > ((R_xlen_t) 1 << 20)) { work = 0; R_CheckUserInterrupt(); }
        double u = R_PosInf, best;
        if (cost == TB_COST_MEAN) values_mean(p, t);
        else u = values_meanvar(p, t);
        int arg = pick_best(p, t, u, &best);
        F[t] = best;
        last[t] = p->cs[arg];
        prune(p, t, best);
        /* t - minseg + 1 becomes admissible as a last change at t + 1 */
        cone_init(p, t - minseg + 1);
        push(p, t - minseg + 1);
    }
    *objective = F[n];
    int m = 0;
    for (int t = last[n]; t > 0; t = last[t]) m++;
    int j = m;
    for (int t = last[n]; t > 0; t = last[t]) cpts[--j] = t;
    return m;
}

/* Mean and standard deviation of x over each segment (x[a..b-1] between
 * consecutive change points): two passes in long double, as R's mean() and
 * sd() make; sd is NA for a one-point segment. */
static void segment_stats(const double *x, int n, const int *cpts, int m, double *mean,
                          double *sd) {
    for (int j = 0, a = 0; j <= m; j++) {
        const int b = j < m ? cpts[j] : n, len = b - a;
        long double s = 0, t = 0, q = 0;
        for (int i = a; i < b; i++) s += x[i];
        long double mu = s / len;
        for (int i = a; i < b; i++) t += x[i] - mu;
        mu += t / len;
        for (int i = a; i < b; i++) q += (x[i] - mu) * (x[i] - mu);
        mean[j] = (double) mu;
        sd[j] = len > 1 ? sqrt((double) (q / (len - 1))) : NA_REAL;
        a = b;
    }
}

/* .Call(C_ffi_pelt, x, cost, pen, mbic, minseglen) ->
 *   list(cpts, objective, mean, sd), mean and sd of x per segment */
SEXP ffi_pelt(SEXP x, SEXP cost, SEXP pen, SEXP mbic, SEXP minseglen) {
    if (TYPEOF(x) != REALSXP || TYPEOF(cost) != INTSXP || Rf_length(cost) != 1 ||
        TYPEOF(pen) != REALSXP || Rf_length(pen) != 1 ||
        TYPEOF(mbic) != LGLSXP || Rf_length(mbic) != 1 ||
        TYPEOF(minseglen) != INTSXP || Rf_length(minseglen) != 1) {
        tb_internal_error(__func__, "bad argument types or lengths");
    }
    R_xlen_t nx = XLENGTH(x);
    int c = INTEGER(cost)[0], ms = INTEGER(minseglen)[0], mb = LOGICAL(mbic)[0];
    double p = REAL(pen)[0];
    if (nx > INT_MAX - 2) tb_internal_error(__func__, "series too long");
    if (c != TB_COST_MEAN && c != TB_COST_MEANVAR) tb_internal_error(__func__, "unknown cost");
    if (ms == NA_INTEGER || ms < 1 || nx < 2 * (R_xlen_t) ms)
        tb_internal_error(__func__, "series shorter than 2 * minseglen");
    if (ISNAN(p) || p < 0 || mb == NA_LOGICAL) tb_internal_error(__func__, "bad penalty");
    const double *px = REAL(x);
    for (R_xlen_t i = 0; i < nx; i++) {
        if (!R_FINITE(px[i])) tb_internal_error(__func__, "non-finite value in x");
    }
    int n = (int) nx;
    int *buf = (int *) R_alloc((size_t) n, sizeof(int));
    double obj;
    int m = pelt_core(px, n, c, p, mb, ms, buf, &obj);

    int nprotect = 0;
    SEXP out = PROTECT(Rf_allocVector(VECSXP, 4)); nprotect++;
    SEXP cp = PROTECT(Rf_allocVector(INTSXP, m)); nprotect++;
    for (int i = 0; i < m; i++) INTEGER(cp)[i] = buf[i];
    SET_VECTOR_ELT(out, 0, cp);
    SET_VECTOR_ELT(out, 1, Rf_ScalarReal(obj));
    SEXP mean = PROTECT(Rf_allocVector(REALSXP, (R_xlen_t) m + 1)); nprotect++;
    SEXP sd = PROTECT(Rf_allocVector(REALSXP, (R_xlen_t) m + 1)); nprotect++;
    segment_stats(px, n, buf, m, REAL(mean), REAL(sd));
    SET_VECTOR_ELT(out, 2, mean);
    SET_VECTOR_ELT(out, 3, sd);
    SEXP nms = PROTECT(Rf_allocVector(STRSXP, 4)); nprotect++;
    const char *names[] = {"cpts", "objective", "mean", "sd"};
    for (int i = 0; i < 4; i++) SET_STRING_ELT(nms, i, Rf_mkChar(names[i]));
    Rf_setAttrib(out, R_NamesSymbol, nms);
    UNPROTECT(nprotect);
    return out;
}
