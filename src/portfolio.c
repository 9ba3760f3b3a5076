/* portfolio.c: alliance and UN-vote portfolios built from the raw tables (ATOP alliance rows and
 * state spells, UN roll calls and votes), period by period, and scored by the similarity engine. */
#include "threatbalance.h"
#include <string.h>
#include <limits.h>

/* ---- alliance portfolios built in C ---- */

/* Three-valued "any" of integer flags: 1 when one is non-zero, NA_INTEGER when none is but one is
 * NA, else 0 (R's `|`). */
static inline int any3(const int *f, int nf) {
    int na = 0;
    for (int m = 0; m < nf; m++) {
        if (f[m] == NA_INTEGER) na = 1;
        else if (f[m] != 0) return 1;
    }
    return na ? NA_INTEGER : 0;
}

/* Per-year system members (sorted by ccode) from state spells [sy, ey] (years), and each
 * (year, ccode)'s local index in lut[t * TB_NCCODE + ccode] (-1 when not a member).
 * First call with ids == NULL counts members into na; then fill ids (sum(na) of them). */
static void members_by_year(int np, const int *years, int ns, const int *cc, const int *sy,
                            const int *ey, int *lut, int *na, int *ids) {
    R_xlen_t aofs = 0;
    for (int t = 0; t < np; t++) {
        int *lt = lut + (R_xlen_t) t * TB_NCCODE;
        for (int c = 0; c < TB_NCCODE; c++) lt[c] = -1;
        for (int s = 0; s < ns; s++) {
            if (cc[s] == NA_INTEGER || cc[s] < 0 || cc[s] >= TB_NCCODE) continue;
            if (sy[s] == NA_INTEGER || ey[s] == NA_INTEGER) continue;
            if (sy[s] <= years[t] && years[t] <= ey[s]) lt[cc[s]] = 0;
        }
        int m = 0;
        for (int c = 0; c < TB_NCCODE; c++) {
            if (lt[c] < 0) continue;
            if (ids) ids[aofs + m] = c;
            lt[c] = m++;
        }
        na[t] = m; aofs += m;
    }
}

/* Codes of the alliance portfolios: for year t the na x na item-major matrix at X + xofs[t]
 * (row = the state, column = the partner): top on the diagonal, and per alliance row (year, c1,
 * c2) with both members and c1 != c2 the larger of the cell and the row's code (missing when
 * either is). Years outside [cov0, cov1] are entirely missing (L). */
static void alliance_codes(int np, const int *years, const int *lut, const int *na,
                           const R_xlen_t *xofs, R_xlen_t nal, const int *ay, const int *c1,
                           const int *c2, const int *const *fl, int valued, int cov0, int cov1,
                           const int *ylut, int y0, int y1, int L, unsigned char *X) {
    const unsigned char top = (unsigned char) (valued ? 3 : 1), miss = (unsigned char) L;
    for (int t = 0; t < np; t++) {
        unsigned char *Xt = X + xofs[t];
        int covered = years[t] >= cov0 && years[t] <= cov1;
        memset(Xt, covered ? 0 : miss, (size_t) na[t] * na[t]);
        if (covered) for (int i = 0; i < na[t]; i++) Xt[(R_xlen_t) i * na[t] + i] = top;
    }
    for (R_xlen_t r = 0; r < nal; r++) {
        int y = ay[r];
        if (y == NA_INTEGER || y < y0 || y > y1) continue;
        int t = ylut[y - y0];
        if (t < 0 || years[t] < cov0 || years[t] > cov1) continue;
        if (c1[r] == NA_INTEGER || c2[r] == NA_INTEGER || c1[r] < 0 || c2[r] < 0 ||
            c1[r] >= TB_NCCODE || c2[r] >= TB_NCCODE) continue;
        int i1 = lut[(R_xlen_t) t * TB_NCCODE + c1[r]], i2 = lut[(R_xlen_t) t * TB_NCCODE + c2[r]];
        if (i1 < 0 || i2 < 0 || i1 == i2) continue;
        /* flags: defense, offense, neutral, nonagg, consul */
        int f[5];
        for (int m = 0; m < 5; m++) f[m] = fl[m][r];
        int v;
        if (valued) {
            int def = any3(f, 2), nc[2] = { f[2], f[4] }, neu = any3(nc, 2);
            int non = f[3] == NA_INTEGER ? NA_INTEGER : f[3] > 0;
            if (def == NA_INTEGER || neu == NA_INTEGER || non == NA_INTEGER) v = -1;
            else v = def ? 3 : neu ? 2 : non;
        } else {
            int any = any3(f, 5);
            v = any == NA_INTEGER ? -1 : any;
        }
        unsigned char *cell = X + xofs[t] + (R_xlen_t) i2 * na[t] + i1;
        if (v < 0 || *cell == miss) *cell = miss;
        else if (v > *cell) *cell = (unsigned char) v;
    }
}

/* Checks a list of n integer columns of equal length; returns that length. Errors name fn. */
static R_xlen_t check_int_cols(SEXP x, int n, const char *fn, const char *what) {
    if (!(TYPEOF(x) == VECSXP && XLENGTH(x) == n)) tb_internal_error(fn, "%s", what);
    R_xlen_t len = n ? XLENGTH(VECTOR_ELT(x, 0)) : 0;
    for (int m = 0; m < n; m++)
        if (!(TYPEOF(VECTOR_ELT(x, m)) == INTSXP && XLENGTH(VECTOR_ELT(x, m)) == len))
            tb_internal_error(fn, "%s", what);
    return len;
}

/* Partner weights of the members of every year (ids: sum(na) of them, year t's at aofs[t]): the
 * first row of (year, ccode) among the capability rows cy, cc, cv (n of them), NaN when none.
 * ylut maps year y0..y1 to its period (-1 when not asked), lut (year, ccode) to the member. */
static double *partner_weights(int np, const int *na, R_xlen_t totact, const int *ylut, int y0,
                               int y1, const int *lut, const int *cy, const int *cc,
                               const double *cv, R_xlen_t n) {
    double *w = (double *) R_alloc((size_t) totact + 1, sizeof(double));
    for (R_xlen_t k = 0; k < totact; k++) w[k] = NA_REAL;
    R_xlen_t *aofs = (R_xlen_t *) R_alloc((size_t) np + 1, sizeof(R_xlen_t));
    R_xlen_t a = 0;
    for (int t = 0; t < np; t++) { aofs[t] = a; a += na[t]; }
    for (R_xlen_t r = n - 1; r >= 0; r--) {
        if (cy[r] == NA_INTEGER || cy[r] < y0 || cy[r] > y1) continue;
        if (cc[r] == NA_INTEGER || cc[r] < 0 || cc[r] >= TB_NCCODE) continue;
        int t = ylut[cy[r] - y0];
        if (t < 0) continue;
        int i = lut[(R_xlen_t) t * TB_NCCODE + cc[r]];
        if (i >= 0) w[aofs[t] + i] = cv[r];
    }
    return w;
}

/* years: sorted distinct integer years; states: list(ccode, start year, end year) of integer
 * columns; alliances: list(year, ccode1, ccode2, defense, offense, neutral, nonagg, consul) of
 * integer columns; coding: 1 valued (levels 0:3), 2 binary (0:1); cover: integer c(first, last)
 * year the alliance data covers; cap: NULL or list(year, ccode, cinc) weighting each partner;
 * q: 1 or 2; methods: codes 1..5.
 * Returns an unnamed list: year, ccode1, ccode2, then one double column per method. */
SEXP ffi_alliance_similarity(SEXP years, SEXP states, SEXP alliances, SEXP coding, SEXP cover,
                             SEXP cap, SEXP q, SEXP methods) {
    if (TYPEOF(years) != INTSXP) tb_internal_error(__func__, "`years` must be an integer vector");
    const int np = (int) XLENGTH(years);
    const int *yr = INTEGER(years);
    for (int t = 0; t < np; t++)
        if (!(yr[t] != NA_INTEGER && (t == 0 || yr[t] > yr[t - 1]) && yr[t] > -100000 &&
              yr[t] < 100000))
            tb_internal_error(__func__, "`years` must be increasing, distinct and not NA");
    R_xlen_t ns = check_int_cols(states, 3, __func__,
                                 "`states` must be a list of 3 integer columns");
    R_xlen_t nal = check_int_cols(alliances, 8, __func__,
                                  "`alliances` must be a list of 8 integer columns");
    if (!(TYPEOF(coding) == INTSXP && XLENGTH(coding) == 1 &&
          (INTEGER(coding)[0] == 1 || INTEGER(coding)[0] == 2)))
        tb_internal_error(__func__, "`coding` must be 1L or 2L");
    if (!(TYPEOF(cover) == INTSXP && XLENGTH(cover) == 2))
        tb_internal_error(__func__, "`cover` must be 2 integers");
    if (!(Rf_isNull(cap) || (TYPEOF(cap) == VECSXP && XLENGTH(cap) == 3 &&
          TYPEOF(VECTOR_ELT(cap, 0)) == INTSXP && TYPEOF(VECTOR_ELT(cap, 1)) == INTSXP &&
          TYPEOF(VECTOR_ELT(cap, 2)) == REALSXP &&
          XLENGTH(VECTOR_ELT(cap, 1)) == XLENGTH(VECTOR_ELT(cap, 0)) &&
          XLENGTH(VECTOR_ELT(cap, 2)) == XLENGTH(VECTOR_ELT(cap, 0)))))
        tb_internal_error(__func__, "`cap` must be NULL or list(year = integer, "
                          "ccode = integer, cinc = double)");
    tb_sim_check_settings(q, methods, __func__);
    if (ns >= INT_MAX) tb_internal_error(__func__, "too many states");

    const int valued = INTEGER(coding)[0] == 1, L = valued ? 4 : 2;
    /* year -> period index */
    const int y0 = np ? yr[0] : 0, y1 = np ? yr[np - 1] : -1;
    int *ylut = (int *) R_alloc((size_t) (y1 - y0 + 2), sizeof(int));
    for (int y = y0; y <= y1; y++) ylut[y - y0] = -1;
    for (int t = 0; t < np; t++) ylut[yr[t] - y0] = t;
    int *lut = (int *) R_alloc((size_t) np * TB_NCCODE + 1, sizeof(int));
    int *na = (int *) R_alloc((size_t) np + 1, sizeof(int));
    const int *scc = INTEGER(VECTOR_ELT(states, 0)), *ssy = INTEGER(VECTOR_ELT(states, 1)),
              *sey = INTEGER(VECTOR_ELT(states, 2));
    members_by_year(np, yr, (int) ns, scc, ssy, sey, lut, na, NULL);
    R_xlen_t totact = 0, totcell = 0;
    R_xlen_t *xofs = (R_xlen_t *) R_alloc((size_t) np + 1, sizeof(R_xlen_t));
    for (int t = 0; t < np; t++) {
        xofs[t] = totcell;
        totact += na[t]; totcell += (R_xlen_t) na[t] * na[t];
    }
    int *ids = (int *) R_alloc((size_t) totact + 1, sizeof(int));
    members_by_year(np, yr, (int) ns, scc, ssy, sey, lut, na, ids);
    unsigned char *X = (unsigned char *) R_alloc((size_t) totcell + 1, 1);
    const int *fl[5];
    for (int m = 0; m < 5; m++) fl[m] = INTEGER(VECTOR_ELT(alliances, 3 + m));
    alliance_codes(np, yr, lut, na, xofs, nal, INTEGER(VECTOR_ELT(alliances, 0)),
                   INTEGER(VECTOR_ELT(alliances, 1)), INTEGER(VECTOR_ELT(alliances, 2)), fl,
                   valued, INTEGER(cover)[0], INTEGER(cover)[1], ylut, y0, y1, L, X);
    const double *w = Rf_isNull(cap) ? NULL :
        partner_weights(np, na, totact, ylut, y0, y1, lut, INTEGER(VECTOR_ELT(cap, 0)),
                        INTEGER(VECTOR_ELT(cap, 1)), REAL(VECTOR_ELT(cap, 2)),
                        XLENGTH(VECTOR_ELT(cap, 0)));
    const double lev[4] = { 0.0, 1.0, 2.0, 3.0 };
    tb_sim_batch b = { np, na, na, yr, ids, X, w };
    return tb_sim_run(&b, lev, L, INTEGER(q)[0], INTEGER(methods), (int) XLENGTH(methods), 0, 0);
}

/* ---- UN votes built in C ---- */

/* years: sorted distinct integer years; rc_rcid, rc_period: the selected roll calls, sorted by
 * period (1-based index into years); votes: list(rcid, ccode, vote) of integer columns, votes
 * 1 yes, 2 abstain, 3 no, NA absent; q: 1 or 2; methods: codes 1..5. The actors of a year are
 * the states with a vote in its roll calls, its items the roll calls (levels 1:3).
 * Returns an unnamed list: year, ccode1, ccode2, n, then one double column per method. */
SEXP ffi_vote_similarity(SEXP years, SEXP rc_rcid, SEXP rc_period, SEXP votes, SEXP q,
                         SEXP methods) {
    if (TYPEOF(years) != INTSXP) tb_internal_error(__func__, "`years` must be an integer vector");
    if (!(TYPEOF(rc_rcid) == INTSXP && TYPEOF(rc_period) == INTSXP &&
          XLENGTH(rc_rcid) == XLENGTH(rc_period)))
        tb_internal_error(__func__,
                          "`rc_rcid` and `rc_period` must be integer vectors of the same length");
    R_xlen_t nv = check_int_cols(votes, 3, __func__, "`votes` must be a list of 3 integer columns");
    tb_sim_check_settings(q, methods, __func__);
    const int np = (int) XLENGTH(years);
    const R_xlen_t nrc = XLENGTH(rc_rcid);
    const int *rid = INTEGER(rc_rcid), *rp = INTEGER(rc_period);
    if (nrc >= INT_MAX) tb_internal_error(__func__, "too many roll calls");
    int maxid = 0;
    for (R_xlen_t r = 0; r < nrc; r++) {
        if (!(rp[r] != NA_INTEGER && rp[r] >= 1 && rp[r] <= np && (r == 0 || rp[r] >= rp[r - 1])))
            tb_internal_error(__func__, "`rc_period` must be sorted period indices");
        if (!(rid[r] != NA_INTEGER && rid[r] >= 0 && rid[r] < 100000000))
            tb_internal_error(__func__, "`rc_rcid` must be non-negative and not NA");
        if (rid[r] > maxid) maxid = rid[r];
    }
    /* roll call position by rcid (the last of repeated rcids) */
    int *rlut = (int *) R_alloc((size_t) maxid + 1, sizeof(int));
    for (int k = 0; k <= maxid; k++) rlut[k] = -1;
    for (R_xlen_t r = 0; r < nrc; r++) rlut[rid[r]] = (int) r;
    int *nk = (int *) R_alloc((size_t) np + 1, sizeof(int));
    R_xlen_t *kofs = (R_xlen_t *) R_alloc((size_t) np + 1, sizeof(R_xlen_t));
    for (int t = 0; t < np; t++) nk[t] = 0;
    for (R_xlen_t r = 0; r < nrc; r++) nk[rp[r] - 1]++;
    for (int t = 0, s = 0; t < np; t++) { kofs[t] = s; s += nk[t]; }
    const int *vr = INTEGER(VECTOR_ELT(votes, 0)), *vc = INTEGER(VECTOR_ELT(votes, 1)),
              *vv = INTEGER(VECTOR_ELT(votes, 2));
    /* voters of each year: lut[t * TB_NCCODE + ccode] */
    int *lut = (int *) R_alloc((size_t) np * TB_NCCODE + 1, sizeof(int));
    for (R_xlen_t c = 0; c < (R_xlen_t) np * TB_NCCODE; c++) lut[c] = -1;
    for (R_xlen_t r = 0; r < nv; r++) {
        if (vr[r] == NA_INTEGER || vr[r] < 0 || vr[r] > maxid || vv[r] == NA_INTEGER) continue;
        int k = rlut[vr[r]];
        if (k < 0) continue;
        if (!(vv[r] >= 1 && vv[r] <= 3)) tb_internal_error(__func__, "votes must be 1, 2, 3 or NA");
        if (!(vc[r] != NA_INTEGER && vc[r] >= 0 && vc[r] < TB_NCCODE))
            tb_internal_error(__func__, "a vote's ccode is NA or out of range");
        lut[(R_xlen_t) (rp[k] - 1) * TB_NCCODE + vc[r]] = 0;
    }
    int *na = (int *) R_alloc((size_t) np + 1, sizeof(int));
    R_xlen_t totact = 0, totcell = 0;
    R_xlen_t *xofs = (R_xlen_t *) R_alloc((size_t) np + 1, sizeof(R_xlen_t));
    for (int t = 0; t < np; t++) {
        int m = 0;
        int *lt = lut + (R_xlen_t) t * TB_NCCODE;
        for (int c = 0; c < TB_NCCODE; c++) if (lt[c] >= 0) lt[c] = m++;
        na[t] = m; xofs[t] = totcell;
        totact += m; totcell += (R_xlen_t) m * nk[t];
    }
    int *ids = (int *) R_alloc((size_t) totact + 1, sizeof(int));
    for (int t = 0, a = 0; t < np; t++) {
        const int *lt = lut + (R_xlen_t) t * TB_NCCODE;
        for (int c = 0; c < TB_NCCODE; c++) if (lt[c] >= 0) ids[a++] = c;
    }
    /* codes: vote - 1, missing (3) when absent; a repeated (rcid, ccode) keeps the last vote */
    unsigned char *X = (unsigned char *) R_alloc((size_t) totcell + 1, 1);
    memset(X, 3, (size_t) totcell);
    for (R_xlen_t r = 0; r < nv; r++) {
        if (vr[r] == NA_INTEGER || vr[r] < 0 || vr[r] > maxid || vv[r] == NA_INTEGER) continue;
        int k = rlut[vr[r]];
        if (k < 0) continue;
        int t = rp[k] - 1;
        int i = lut[(R_xlen_t) t * TB_NCCODE + vc[r]];
        X[xofs[t] + (R_xlen_t) (k - kofs[t]) * na[t] + i] = (unsigned char) (vv[r] - 1);
    }
    const double lev[3] = { 1.0, 2.0, 3.0 };
    tb_sim_batch b = { np, na, nk, INTEGER(years), ids, X, NULL };
    return tb_sim_run(&b, lev, 3, INTEGER(q)[0], INTEGER(methods), (int) XLENGTH(methods), 0, 1);
}
