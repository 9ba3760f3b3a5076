/* phases.c: exact PELT (Killick, Fearnhead & Eckley 2012) with normal
 * mean and mean-variance costs on cumulative sums, and an MBIC-exact pruning. */
#include "threatbalance.h"
#include <math.h>
#include <limits.h>

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

/* Core. F[t] = min over admissible s of F[s] + C(s+1..t) + pen (+ log(t - s)
 * under MBIC), F[0] = -pen; every segment has length >= minseg. Candidate s
 * is dropped once F[s] + C(s+1..t) [+ log(t-s) - log(t-s)] > F[t]; with
 * minseg > 1 the drop takes effect only from t + minseg on, when t itself
 * becomes admissible, so the optimum is exact. last[t] is the optimal last
 * change before t. Returns the number of change points written to cpts
 * (increasing, each the last index of a segment, excluding n). */
static int pelt_core(const double *x, int n, int cost, double pen, int mbic, int minseg,
                     int *cpts, double *objective) {
    double *s1 = (double *) R_alloc((size_t) n + 1, sizeof(double));
    double *s2 = (double *) R_alloc((size_t) n + 1, sizeof(double));
    double *F = (double *) R_alloc((size_t) n + 1, sizeof(double));
    int *last = (int *) R_alloc((size_t) n + 1, sizeof(int));
    /* candidate set, structure of arrays kept in increasing order of cs:
     * position, F and cumulative sums at it, value at the current t, and
     * kill = first t at which it may no longer be used (INT_MAX: never). */
    size_t cap = (size_t) n + 2;
    int *cs = (int *) R_alloc(cap, sizeof(int));
    int *kill = (int *) R_alloc(cap, sizeof(int));
    double *cf = (double *) R_alloc(cap, sizeof(double));
    double *c1 = (double *) R_alloc(cap, sizeof(double));
    double *c2 = (double *) R_alloc(cap, sizeof(double));
    double *tmp = (double *) R_alloc(cap, sizeof(double));
    double *cp = (double *) R_alloc(cap, sizeof(double)); /* cs as double */
    cumsums(x, n, s1, s2);

    F[0] = -pen; last[0] = 0;
    for (int t = 1; t < minseg && t <= n; t++) { F[t] = R_PosInf; last[t] = 0; }
    for (int t = minseg; t < 2 * minseg && t <= n; t++) {
        F[t] = seg_cost(cost, s1[t], s2[t], t);
        if (mbic) F[t] += log((double) t);
        last[t] = 0;
    }
    int nc = 0;
#define PUSH(s) do { cs[nc] = (s); cp[nc] = (double) (s); kill[nc] = INT_MAX; cf[nc] = F[s]; \
                     c1[nc] = s1[s]; c2[nc] = s2[s]; nc++; } while (0)
    PUSH(0);
    PUSH(minseg);
    R_xlen_t work = 0; /* candidates evaluated since the last interrupt check */
    for (int t = 2 * minseg; t <= n; t++) {
        work += nc + 1;
        if (work > ((R_xlen_t) 1 << 20)) { work = 0; R_CheckUserInterrupt(); }
        const double a1 = s1[t], a2 = s2[t];
        double best = R_PosInf;
        int arg = 0;
        if (cost == TB_COST_MEAN && !mbic) {
            /* unrolled by four with independent minima (first minimum wins
             * within a lane; lanes are merged by value, then by index) */
            const double tt = (double) t;
            double b0 = R_PosInf, b1 = R_PosInf, b2 = R_PosInf, b3 = R_PosInf;
            int i0 = 0, i1 = 0, i2 = 0, i3 = 0, i = 0;
            for (; i + 4 <= nc; i += 4) {
                double d0 = a1 - c1[i], d1 = a1 - c1[i + 1];
                double d2 = a1 - c1[i + 2], d3 = a1 - c1[i + 3];
                double v0 = cf[i] + ((a2 - c2[i]) - (d0 * d0) / (tt - cp[i])) + pen;
                double v1 = cf[i + 1] + ((a2 - c2[i + 1]) - (d1 * d1) / (tt - cp[i + 1])) + pen;
                double v2 = cf[i + 2] + ((a2 - c2[i + 2]) - (d2 * d2) / (tt - cp[i + 2])) + pen;
                double v3 = cf[i + 3] + ((a2 - c2[i + 3]) - (d3 * d3) / (tt - cp[i + 3])) + pen;
                tmp[i] = v0; tmp[i + 1] = v1; tmp[i + 2] = v2; tmp[i + 3] = v3;
                if (v0 < b0) { b0 = v0; i0 = i; }
                if (v1 < b1) { b1 = v1; i1 = i + 1; }
                if (v2 < b2) { b2 = v2; i2 = i + 2; }
                if (v3 < b3) { b3 = v3; i3 = i + 3; }
            }
            for (; i < nc; i++) {
                double d0 = a1 - c1[i];
                double v0 = cf[i] + ((a2 - c2[i]) - (d0 * d0) / (tt - cp[i])) + pen;
                tmp[i] = v0;
                if (v0 < b0) { b0 = v0; i0 = i; }
            }
            best = b0; arg = i0;
            if (b1 < best || (b1 == best && i1 < arg)) { best = b1; arg = i1; }
            if (b2 < best || (b2 == best && i2 < arg)) { best = b2; arg = i2; }
            if (b3 < best || (b3 == best && i3 < arg)) { best = b3; arg = i3; }
        } else {
            for (int i = 0; i < nc; i++) {
                double c = seg_cost(cost, a1 - c1[i], a2 - c2[i], t - cs[i]);
                if (mbic) c += log((double) (t - cs[i]));
                tmp[i] = cf[i] + c + pen;
                if (tmp[i] < best) { best = tmp[i]; arg = i; }
            }
        }
        F[t] = best;
        last[t] = cs[arg];
        /* prune and compact in one pass; what is due by t + 1 goes now */
        const double bound = best + pen;
        int k = 0;
        if (minseg == 1 && !mbic) {
            while (k < nc && tmp[k] <= bound) k++;
            for (int i = k; i < nc; i++) {
                if (tmp[i] <= bound) {
                    cs[k] = cs[i]; cp[k] = cp[i]; cf[k] = cf[i]; c1[k] = c1[i];
                    c2[k] = c2[i]; kill[k] = kill[i]; k++;
                }
            }
        } else {
            for (int i = 0; i < nc; i++) {
                double v = tmp[i];
                if (mbic) v -= log((double) (t - cs[i]));
                int due = kill[i];
                if (v > bound) {
                    int d = (minseg > 1) ? t + minseg : t + 1;
                    if (d < due) due = d;
                }
                if (due > t + 1) {
                    cs[k] = cs[i]; cp[k] = cp[i]; cf[k] = cf[i]; c1[k] = c1[i];
                    c2[k] = c2[i]; kill[k] = due; k++;
                }
            }
        }
        nc = k;
        /* t - minseg + 1 becomes admissible as a last change at t + 1 */
        PUSH(t - minseg + 1);
    }
#undef PUSH
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
