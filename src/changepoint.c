/* changepoint.c: exact PELT (Killick, Fearnhead & Eckley 2012) with normal
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
int tb_pelt(const double *x, int n, int cost, double pen, int mbic, int minseg,
            int *cpts, double *objective) {
    double *s1 = (double *) R_alloc((size_t) n + 1, sizeof(double));
    double *s2 = (double *) R_alloc((size_t) n + 1, sizeof(double));
    double *F = (double *) R_alloc((size_t) n + 1, sizeof(double));
    double *tmp = (double *) R_alloc((size_t) n + 1, sizeof(double));
    int *last = (int *) R_alloc((size_t) n + 1, sizeof(int));
    int *cand = (int *) R_alloc((size_t) n + 1, sizeof(int));
    int *kill = (int *) R_alloc((size_t) n + 1, sizeof(int));
    cumsums(x, n, s1, s2);

    F[0] = -pen; last[0] = 0;
    for (int t = 1; t < minseg && t <= n; t++) { F[t] = R_PosInf; last[t] = 0; }
    for (int t = minseg; t < 2 * minseg && t <= n; t++) {
        F[t] = seg_cost(cost, s1[t], s2[t], t);
        if (mbic) F[t] += log((double) t);
        last[t] = 0;
    }
    /* invariant: cand[0..nc) increasing; kill[i] = first t at which cand[i]
     * may no longer be used (INT_MAX while it may). */
    int nc = 2;
    cand[0] = 0; kill[0] = INT_MAX;
    cand[1] = minseg; kill[1] = INT_MAX;
    for (int t = 2 * minseg; t <= n; t++) {
        if ((t & 4095) == 0) R_CheckUserInterrupt();
        /* drop candidates whose delayed pruning has come due */
        int k = 0;
        for (int i = 0; i < nc; i++) {
            if (kill[i] > t) { cand[k] = cand[i]; kill[k] = kill[i]; k++; }
        }
        nc = k;
        double best = R_PosInf;
        int arg = 0;
        for (int i = 0; i < nc; i++) {
            int s = cand[i];
            double c = seg_cost(cost, s1[t] - s1[s], s2[t] - s2[s], t - s);
            if (mbic) c += log((double) (t - s));
            tmp[i] = F[s] + c + pen;
            if (tmp[i] < best) { best = tmp[i]; arg = s; }
        }
        F[t] = best;
        last[t] = arg;
        for (int i = 0; i < nc; i++) {
            double v = tmp[i];
            if (mbic) v -= log((double) (t - cand[i]));
            if (v > F[t] + pen) {
                int due = (minseg > 1) ? t + minseg : t + 1;
                if (due < kill[i]) kill[i] = due;
            }
        }
        /* t - minseg + 1 becomes admissible as a last change at t + 1 */
        cand[nc] = t - minseg + 1; kill[nc] = INT_MAX; nc++;
    }
    *objective = F[n];
    int m = 0;
    for (int t = last[n]; t > 0; t = last[t]) m++;
    int j = m;
    for (int t = last[n]; t > 0; t = last[t]) cpts[--j] = t;
    return m;
}

/* .Call(C_ffi_pelt, x, cost, pen, mbic, minseglen) -> list(cpts, objective) */
SEXP ffi_pelt(SEXP x, SEXP cost, SEXP pen, SEXP mbic, SEXP minseglen) {
    if (TYPEOF(x) != REALSXP || TYPEOF(cost) != INTSXP || Rf_length(cost) != 1 ||
        TYPEOF(pen) != REALSXP || Rf_length(pen) != 1 ||
        TYPEOF(mbic) != LGLSXP || Rf_length(mbic) != 1 ||
        TYPEOF(minseglen) != INTSXP || Rf_length(minseglen) != 1) {
        Rf_error("ffi_pelt: internal error: bad argument types or lengths");
    }
    R_xlen_t nx = XLENGTH(x);
    int c = INTEGER(cost)[0], ms = INTEGER(minseglen)[0], mb = LOGICAL(mbic)[0];
    double p = REAL(pen)[0];
    if (nx > INT_MAX - 2) Rf_error("ffi_pelt: internal error: series too long");
    if (c != TB_COST_MEAN && c != TB_COST_MEANVAR) Rf_error("ffi_pelt: internal error: unknown cost");
    if (ms == NA_INTEGER || ms < 1 || nx < 2 * (R_xlen_t) ms)
        Rf_error("ffi_pelt: internal error: series shorter than 2 * minseglen");
    if (ISNAN(p) || p < 0 || mb == NA_LOGICAL) Rf_error("ffi_pelt: internal error: bad penalty");
    const double *px = REAL(x);
    for (R_xlen_t i = 0; i < nx; i++) {
        if (!R_FINITE(px[i])) Rf_error("ffi_pelt: internal error: non-finite value in x");
    }
    int n = (int) nx;
    int *buf = (int *) R_alloc((size_t) n, sizeof(int));
    double obj;
    int m = tb_pelt(px, n, c, p, mb, ms, buf, &obj);

    int nprotect = 0;
    SEXP out = PROTECT(Rf_allocVector(VECSXP, 2)); nprotect++;
    SEXP cp = PROTECT(Rf_allocVector(INTSXP, m)); nprotect++;
    for (int i = 0; i < m; i++) INTEGER(cp)[i] = buf[i];
    SET_VECTOR_ELT(out, 0, cp);
    SET_VECTOR_ELT(out, 1, Rf_ScalarReal(obj));
    SEXP nms = PROTECT(Rf_allocVector(STRSXP, 2)); nprotect++;
    SET_STRING_ELT(nms, 0, Rf_mkChar("cpts"));
    SET_STRING_ELT(nms, 1, Rf_mkChar("objective"));
    Rf_setAttrib(out, R_NamesSymbol, nms);
    UNPROTECT(nprotect);
    return out;
}
