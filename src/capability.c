/* capability.c: Composite Index of National Capability (component shares of
 * group totals, averaged over reported components) and loss-of-strength gradients. */
#include "threatbalance.h"
#include <math.h>

#define TB_EULER 2.718281828459045235360287471352662498

/* Miles per day in EUGene's gradient: 250 up to 1917, 375 for 1918-1945,
 * 500 from 1946. NA year gives NA. */
double tb_mpd_year(int year) {
    if (year == NA_INTEGER) return NA_REAL;
    if (year <= 1917) return 250.0;
    if (year <= 1945) return 375.0;
    return 500.0;
}

/* The exponent of the Bueno de Mesquita gradient, log10(miles / mpd + (10 - e)):
 * log10(10 - e) at 0 miles, 1 at miles = e * mpd, > 0 for miles >= 0.
 * A NaN/NA argument gives NA_REAL. */
double tb_lsg_exponent(double miles, double mpd) {
    if (ISNAN(miles) || ISNAN(mpd)) return NA_REAL;
    return log10(miles / mpd + (10.0 - TB_EULER));
}

/* Bueno de Mesquita (1981) as coded in EUGene: cap ^ tb_lsg_exponent(miles, mpd);
 * the exponent is > 0, so 0 stays 0. Any NaN/NA argument gives NA_REAL. */
double tb_lsg_bdm(double cap, double miles, double mpd) {
    if (ISNAN(cap) || ISNAN(miles) || ISNAN(mpd)) return NA_REAL;
    return pow(cap, tb_lsg_exponent(miles, mpd));
}

/* CINC core. cols[c][i] for k components and n rows; grp[i] in 1..ng or
 * NA_INTEGER. tot is scratch of k * ng doubles. A share is taken only for a
 * reported (non-NA) value whose group total is positive; out[i] is the mean
 * of the shares taken, NA when none is. */
static void cinc_core(const double **cols, int k, R_xlen_t n, const int *grp, int ng,
                      double *tot, double *out) {
    for (R_xlen_t j = 0; j < (R_xlen_t) k * ng; j++) tot[j] = 0.0;
    for (int c = 0; c < k; c++) {
        const double *x = cols[c];
        double *t = tot + (R_xlen_t) c * ng;
        for (R_xlen_t i = 0; i < n; i++)
            if (grp[i] != NA_INTEGER && !ISNAN(x[i])) t[grp[i] - 1] += x[i];
    }
    for (R_xlen_t i = 0; i < n; i++) {
        if (grp[i] == NA_INTEGER) { out[i] = NA_REAL; continue; }
        double s = 0.0;
        int m = 0;
        for (int c = 0; c < k; c++) {
            double v = cols[c][i], t = tot[(R_xlen_t) c * ng + grp[i] - 1];
            if (!ISNAN(v) && t > 0.0) { s += v / t; m++; }
        }
        out[i] = m ? s / m : NA_REAL;
    }
}

SEXP ffi_cinc(SEXP cols, SEXP grp, SEXP ngroups) {
    if (TYPEOF(cols) != VECSXP)
        tb_internal_error(__func__, "`cols` must be a list of double vectors");
    if (TYPEOF(grp) != INTSXP)
        tb_internal_error(__func__, "`grp` must be an integer vector");
    if (TYPEOF(ngroups) != INTSXP || XLENGTH(ngroups) != 1 || INTEGER(ngroups)[0] < 0 ||
        INTEGER(ngroups)[0] == NA_INTEGER)
        tb_internal_error(__func__, "`ngroups` must be a non-negative integer scalar");
    int k = (int) XLENGTH(cols), ng = INTEGER(ngroups)[0];
    R_xlen_t n = XLENGTH(grp);
    const int *g = INTEGER(grp);
    const double **cp = (const double **) R_alloc(k + 1, sizeof(double *));
    for (int c = 0; c < k; c++) {
        SEXP x = VECTOR_ELT(cols, c);
        if (TYPEOF(x) != REALSXP || XLENGTH(x) != n)
            tb_internal_error(__func__, "component %d must be a double vector of length %lld",
                              c + 1, (long long) n);
        cp[c] = REAL(x);
    }
    for (R_xlen_t i = 0; i < n; i++)
        if (g[i] != NA_INTEGER && (g[i] < 1 || g[i] > ng))
            tb_internal_error(__func__, "group codes must lie in 1..%d", ng);
    if ((double) k * ng > (double) R_XLEN_T_MAX)
        tb_internal_error(__func__, "too many groups");
    double *tot = (double *) R_alloc((size_t) k * ng + 1, sizeof(double));
    int nprotect = 0;
    SEXP out = PROTECT(Rf_allocVector(REALSXP, n)); nprotect++;
    cinc_core(cp, k, n, g, ng, tot, REAL(out));
    UNPROTECT(nprotect);
    return out;
}

/* Discounting cores, arguments recycled by index (lengths > 0, n a multiple). */
enum { TB_LSG_BDM = 1, TB_LSG_EXP = 2, TB_LSG_NONE = 3 };

static void lsg_core(int method, const double *cap, R_xlen_t ncap, const double *miles,
                     R_xlen_t nmiles, const double *par, R_xlen_t npar, R_xlen_t n, double *out) {
    R_xlen_t a = 0, b = 0, c = 0;
    for (R_xlen_t i = 0; i < n; i++) {
        if ((i & 0xFFFFF) == 0) R_CheckUserInterrupt(); /* 2^20 values: ~0.05 s */
        double x = cap[a], d = miles[b], p = par[c];
        if (method == TB_LSG_BDM) out[i] = tb_lsg_bdm(x, d, p);
        else if (method == TB_LSG_EXP)
            out[i] = (ISNAN(x) || ISNAN(d) || ISNAN(p)) ? NA_REAL : x * exp(-p * d);
        else out[i] = ISNAN(x) ? NA_REAL : x;
        if (++a == ncap) a = 0;
        if (++b == nmiles) b = 0;
        if (++c == npar) c = 0;
    }
}

/* method: 1 bdm (par = miles per day), 2 exponential (par = rate), 3 none
 * (miles and par ignored: only capability is recycled to n). */
SEXP ffi_lsg(SEXP cap, SEXP miles, SEXP par, SEXP method) {
    if (TYPEOF(cap) != REALSXP || TYPEOF(miles) != REALSXP || TYPEOF(par) != REALSXP)
        tb_internal_error(__func__, "`cap`, `miles` and `par` must be double vectors");
    if (TYPEOF(method) != INTSXP || XLENGTH(method) != 1 || INTEGER(method)[0] < 1 ||
        INTEGER(method)[0] > 3)
        tb_internal_error(__func__, "`method` must be 1, 2 or 3");
    int m = INTEGER(method)[0];
    R_xlen_t len[3] = {XLENGTH(cap), XLENGTH(miles), XLENGTH(par)};
    int used = (m == TB_LSG_NONE) ? 1 : 3;
    R_xlen_t n = tb_recycled_length(len, used, __func__);
    int nprotect = 0;
    SEXP out = PROTECT(Rf_allocVector(REALSXP, n)); nprotect++;
    if (n > 0) {
        double one = NA_REAL;  /* placeholder for unused arguments */
        lsg_core(m, REAL(cap), len[0],
                 used == 3 ? REAL(miles) : &one, used == 3 ? len[1] : 1,
                 used == 3 ? REAL(par) : &one, used == 3 ? len[2] : 1, n, REAL(out));
    }
    UNPROTECT(nprotect);
    return out;
}

SEXP ffi_mpd_year(SEXP year) {
    if (TYPEOF(year) != INTSXP)
        tb_internal_error(__func__, "`year` must be an integer vector");
    R_xlen_t n = XLENGTH(year);
    int nprotect = 0;
    SEXP out = PROTECT(Rf_allocVector(REALSXP, n)); nprotect++;
    const int *y = INTEGER(year);
    double *o = REAL(out);
    for (R_xlen_t i = 0; i < n; i++) o[i] = tb_mpd_year(y[i]);
    UNPROTECT(nprotect);
    return out;
}
