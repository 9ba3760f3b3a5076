/* threat.c: Walt's four threat components (power, proximity, offense, intent)
 * for directed dyad-years on dense per-year matrices, and weight sensitivity. */
#include "threatbalance.h"
#include <math.h>
#include <stdlib.h>

/* ---- settings and buffers ------------------------------------------------ */

typedef struct {
    int power_system;   /* 0: cinc_j / (cinc_i + cinc_j); 1: cinc_j */
    int decay_bdm;      /* 0: exp(-km / scale_km); 1: Bueno de Mesquita gradient */
    double scale_km;    /* > 0 */
    double lambda;      /* yearly decay of the dispute record, 2^(-1/half_life), in (0, 1] */
    int cap_fallback;   /* capital distance where minimum distance is unknown */
    int use_mid, use_riv, use_sim;
    int mid_last;       /* last year of dispute data */
    int mid_beyond;     /* years after mid_last: 1 decay the record on, 0 NA */
    int riv_first, riv_last, sim_first, sim_last;
    int detail;
} threat_opts;

typedef struct {
    int *year, *c1, *c2;
    double *power, *prox, *off, *intent;
    /* detail columns (NULL unless detail) */
    double *cinc1, *cinc2, *dist, *offraw, *midraw, *riv, *dis;
} threat_cols;

/* One year's state data: n states, local index 0..n-1. Matrices are n x n,
 * column-major, entry [j + n * i] for the ordered pair (j, i). */
typedef struct {
    int year, n;
    const int *cc;
    const double *cinc, *mil, *lat, *lon;
    double milsum;        /* sum of non-NA military capability, the offense scale */
    const double *D;      /* km, NA unknown; symmetric */
    const double *S;      /* similarity S, NA unknown; symmetric */
    const unsigned char *R; /* rivalry in force; symmetric */
    const double *G;      /* global decayed dispute record, ng x ng, [src + ng * tgt] */
    int ng;
    const int *gidx;      /* local -> global index */
} year_data;

/* ---- cores (no R API) ---------------------------------------------------- */

/* Proximity on [0, 1] from km >= 0. bdm: the gradient's exponent at 0 miles over
 * its exponent at the distance, log10(10 - e) / log10(miles / mpd + 10 - e),
 * read off tb_lsg_bdm at capability 0.1 (where log10(cap^x) = -x). */
static double proximity(double km, const threat_opts *o, double mpd) {
    if (ISNAN(km)) return NA_REAL;
    if (!o->decay_bdm) return exp(-km / o->scale_km);
    double miles = km / TB_KM_PER_MILE;
    return log10(tb_lsg_bdm(0.1, 0.0, mpd)) / log10(tb_lsg_bdm(0.1, miles, mpd));
}

/* Projectable military capability of a state with military capability mil at km. */
static double projected(double mil, double km, const threat_opts *o, double mpd) {
    if (ISNAN(mil) || ISNAN(km)) return NA_REAL;
    if (!o->decay_bdm) return mil * exp(-km / o->scale_km);
    return tb_lsg_bdm(mil, km / TB_KM_PER_MILE, mpd);
}

/* Rows for one year, for ordered pairs (j source, i target), j != i, with
 * from[cc[j]] and to[cc[i]]; written from row k. Returns the next free row. */
static R_xlen_t threat_year(const year_data *y, const threat_opts *o,
                            const int *from, const int *to,
                            threat_cols *out, R_xlen_t k) {
    int n = y->n, t = y->year;
    double mpd = tb_mpd_year(t);
    int mid_ok = o->use_mid && (t <= o->mid_last || o->mid_beyond);
    int riv_ok = o->use_riv && t >= o->riv_first && t <= o->riv_last;
    int sim_ok = o->use_sim && t >= o->sim_first && t <= o->sim_last;
    for (int j = 0; j < n; j++) {
        if (!from[y->cc[j]]) continue;
        double cj = y->cinc[j];
        for (int i = 0; i < n; i++) {
            if (i == j || !to[y->cc[i]]) continue;
            double ci = y->cinc[i];
            size_t ji = (size_t) j + (size_t) n * i;
            /* power */
            double pw;
            if (o->power_system) pw = ISNAN(cj) ? NA_REAL : cj;
            else pw = (ISNAN(cj) || ISNAN(ci) || cj + ci <= 0.0) ? NA_REAL : cj / (cj + ci);
            /* distance, proximity, offense */
            double km = y->D[ji];
            if (ISNAN(km) && o->cap_fallback)
                km = tb_gc_km(y->lat[j], y->lon[j], y->lat[i], y->lon[i]);
            double px = proximity(km, o, mpd);
            double raw = projected(y->mil[j], km, o, mpd);
            double off = NA_REAL;
            if (!ISNAN(raw) && y->milsum > 0.0) {
                raw /= y->milsum;
                off = raw > 1.0 ? 1.0 : raw;
            } else raw = NA_REAL;
            /* intent: mean of the parts available */
            double mraw = NA_REAL, mid = NA_REAL, rv = NA_REAL, ds = NA_REAL;
            if (mid_ok) {
                mraw = y->G[(size_t) y->gidx[j] + (size_t) y->ng * y->gidx[i]];
                mid = 1.0 - exp(-mraw);
            }
            if (riv_ok) rv = y->R[ji] ? 1.0 : 0.0;
            if (sim_ok && !ISNAN(y->S[ji])) ds = (1.0 - y->S[ji]) / 2.0;
            double sum = 0.0;
            int cnt = 0;
            if (!ISNAN(mid)) { sum += mid; cnt++; }
            if (!ISNAN(rv)) { sum += rv; cnt++; }
            if (!ISNAN(ds)) { sum += ds; cnt++; }
            out->year[k] = t;
            out->c1[k] = y->cc[j];
            out->c2[k] = y->cc[i];
            out->power[k] = pw;
            out->prox[k] = px;
            out->off[k] = off;
            out->intent[k] = cnt ? sum / cnt : NA_REAL;
            if (o->detail) {
                out->cinc1[k] = cj;
                out->cinc2[k] = ci;
                out->dist[k] = km;
                out->offraw[k] = raw;
                out->midraw[k] = mraw;
                out->riv[k] = rv;
                out->dis[k] = ds;
            }
            k++;
        }
    }
    return k;
}

/* Fill an n x n symmetric matrix from records [lo, hi) of (c1, c2, val) whose
 * ccodes are both present this year (loc[cc] >= 0). Later records win. */
static void fill_sym(double *M, int n, const int *loc, const int *c1, const int *c2,
                     const double *val, R_xlen_t lo, R_xlen_t hi, int zero) {
    for (R_xlen_t r = lo; r < hi; r++) {
        int a = c1[r], b = c2[r];
        if (a < 0 || a >= TB_NCCODE || b < 0 || b >= TB_NCCODE) continue;
        int p = loc[a], q = loc[b];
        if (p < 0 || q < 0) continue;
        double v = zero ? 0.0 : val[r];
        M[(size_t) p + (size_t) n * q] = v;
        M[(size_t) q + (size_t) n * p] = v;
    }
}

/* Advance *lo past records before year t; *hi to the end of year t's records. */
static void year_range(const int *yr, R_xlen_t len, int t, R_xlen_t *lo, R_xlen_t *hi) {
    while (*lo < len && yr[*lo] < t) (*lo)++;
    *hi = *lo;
    while (*hi < len && yr[*hi] == t) (*hi)++;
}

/* ---- R interface --------------------------------------------------------- */

/* Guards for the unpacking entry point; fn names it in the error. */
static void check_list(SEXP x, int len, const int *types, const char *what, const char *fn) {
    if (TYPEOF(x) != VECSXP || XLENGTH(x) != len)
        tb_internal_error(fn, "`%s` must be a list of length %d", what, len);
    R_xlen_t n = XLENGTH(VECTOR_ELT(x, 0));
    for (int k = 0; k < len; k++) {
        SEXP e = VECTOR_ELT(x, k);
        if (TYPEOF(e) != types[k] || XLENGTH(e) != n)
            tb_internal_error(fn, "element %d of `%s` has the wrong type or length",
                              k + 1, what);
    }
}

static void check_sorted(const int *yr, R_xlen_t n, const char *what, const char *fn) {
    for (R_xlen_t r = 1; r < n; r++)
        if (yr[r] < yr[r - 1])
            tb_internal_error(fn, "`%s` must be sorted by year", what);
}

/* The engine's settings, read by name from the named list s: flags
 * power_system, decay_bdm, capital_fallback, use_disputes, use_rivalry,
 * use_similarity, disputes_beyond (decay the record on after disputes_last),
 * detail; doubles scale_km (> 0), half_life (> 0, Inf: no decay); integer
 * years disputes_last, rivalry_first, rivalry_last, similarity_first,
 * similarity_last. */
static threat_opts read_opts(SEXP s, const char *fn) {
    threat_opts o;
    o.power_system = tb_setting_flag(s, "power_system", fn);
    o.decay_bdm = tb_setting_flag(s, "decay_bdm", fn);
    o.scale_km = tb_setting_num(s, "scale_km", fn);
    double half_life = tb_setting_num(s, "half_life", fn);
    o.lambda = half_life > 0.0 && R_FINITE(half_life) ? pow(2.0, -1.0 / half_life) : 1.0;
    o.cap_fallback = tb_setting_flag(s, "capital_fallback", fn);
    o.use_mid = tb_setting_flag(s, "use_disputes", fn);
    o.use_riv = tb_setting_flag(s, "use_rivalry", fn);
    o.use_sim = tb_setting_flag(s, "use_similarity", fn);
    o.mid_last = tb_setting_int(s, "disputes_last", fn);
    o.mid_beyond = tb_setting_flag(s, "disputes_beyond", fn);
    o.riv_first = tb_setting_int(s, "rivalry_first", fn);
    o.riv_last = tb_setting_int(s, "rivalry_last", fn);
    o.sim_first = tb_setting_int(s, "similarity_first", fn);
    o.sim_last = tb_setting_int(s, "similarity_last", fn);
    o.detail = tb_setting_flag(s, "detail", fn);
    if (!(o.scale_km > 0.0)) tb_internal_error(fn, "setting `scale_km` must be positive");
    return o;
}

/* years: sorted unique integer years to output.
 * sy: list(year, ccode, cinc, mil, lat, lon), state-years sorted by year.
 * dist: list(year, ccode1, ccode2, km); cont: list(year, ccode1, ccode2) land
 *   contiguity (0 km, overrides dist); mid: list(year, src, tgt, weight), directed;
 *   riv: list(ccode1, ccode2, start, end) spells; sim: list(year, ccode1, ccode2, s).
 *   All year-keyed lists sorted by year.
 * from, to: integer masks of length TB_NCCODE addressed by ccode.
 * settings: named list, see read_opts(). */
SEXP ffi_threat_components(SEXP years, SEXP sy, SEXP dist, SEXP cont, SEXP mid,
                           SEXP riv, SEXP sim, SEXP from, SEXP to, SEXP settings) {
    int nprotect = 0;
    static const int t_sy[6] = {INTSXP, INTSXP, REALSXP, REALSXP, REALSXP, REALSXP};
    static const int t_d[4] = {INTSXP, INTSXP, INTSXP, REALSXP};
    static const int t_c[3] = {INTSXP, INTSXP, INTSXP};
    static const int t_r[4] = {INTSXP, INTSXP, INTSXP, INTSXP};
    if (TYPEOF(years) != INTSXP) tb_internal_error(__func__, "`years` must be integer");
    check_list(sy, 6, t_sy, "sy", __func__);
    check_list(dist, 4, t_d, "dist", __func__);
    check_list(cont, 3, t_c, "cont", __func__);
    check_list(mid, 4, t_d, "mid", __func__);
    check_list(riv, 4, t_r, "riv", __func__);
    check_list(sim, 4, t_d, "sim", __func__);
    if (TYPEOF(from) != INTSXP || XLENGTH(from) != TB_NCCODE ||
        TYPEOF(to) != INTSXP || XLENGTH(to) != TB_NCCODE)
        tb_internal_error(__func__, "`from` and `to` must be integer masks of length %d", TB_NCCODE);
    threat_opts o = read_opts(settings, __func__);

    int ny = LENGTH(years);
    const int *yv = INTEGER(years);
    for (int a = 1; a < ny; a++)
        if (yv[a] <= yv[a - 1]) tb_internal_error(__func__, "`years` must be sorted and unique");
    for (int a = 0; a < ny; a++)
        if (yv[a] == NA_INTEGER) tb_internal_error(__func__, "`years` must not hold NA");

    R_xlen_t nsy = XLENGTH(VECTOR_ELT(sy, 0));
    const int *sy_y = INTEGER(VECTOR_ELT(sy, 0)), *sy_c = INTEGER(VECTOR_ELT(sy, 1));
    const double *sy_cinc = REAL(VECTOR_ELT(sy, 2)), *sy_mil = REAL(VECTOR_ELT(sy, 3)),
                 *sy_lat = REAL(VECTOR_ELT(sy, 4)), *sy_lon = REAL(VECTOR_ELT(sy, 5));
    check_sorted(sy_y, nsy, "sy", __func__);
    for (R_xlen_t r = 0; r < nsy; r++)
        if (sy_c[r] < 0 || sy_c[r] >= TB_NCCODE)
            tb_internal_error(__func__, "state ccodes must be in 0..%d", TB_NCCODE - 1);
    R_xlen_t nd = XLENGTH(VECTOR_ELT(dist, 0)), nc = XLENGTH(VECTOR_ELT(cont, 0)),
             nm = XLENGTH(VECTOR_ELT(mid, 0)), nr = XLENGTH(VECTOR_ELT(riv, 0)),
             ns = XLENGTH(VECTOR_ELT(sim, 0));
    const int *d_y = INTEGER(VECTOR_ELT(dist, 0)), *d_1 = INTEGER(VECTOR_ELT(dist, 1)),
              *d_2 = INTEGER(VECTOR_ELT(dist, 2));
    const double *d_v = REAL(VECTOR_ELT(dist, 3));
    const int *c_y = INTEGER(VECTOR_ELT(cont, 0)), *c_1 = INTEGER(VECTOR_ELT(cont, 1)),
              *c_2 = INTEGER(VECTOR_ELT(cont, 2));
    const int *m_y = INTEGER(VECTOR_ELT(mid, 0)), *m_1 = INTEGER(VECTOR_ELT(mid, 1)),
              *m_2 = INTEGER(VECTOR_ELT(mid, 2));
    const double *m_w = REAL(VECTOR_ELT(mid, 3));
    const int *r_1 = INTEGER(VECTOR_ELT(riv, 0)), *r_2 = INTEGER(VECTOR_ELT(riv, 1)),
              *r_s = INTEGER(VECTOR_ELT(riv, 2)), *r_e = INTEGER(VECTOR_ELT(riv, 3));
    const int *s_y = INTEGER(VECTOR_ELT(sim, 0)), *s_1 = INTEGER(VECTOR_ELT(sim, 1)),
              *s_2 = INTEGER(VECTOR_ELT(sim, 2));
    const double *s_v = REAL(VECTOR_ELT(sim, 3));
    check_sorted(d_y, nd, "dist", __func__);
    check_sorted(c_y, nc, "cont", __func__);
    check_sorted(m_y, nm, "mid", __func__);
    check_sorted(s_y, ns, "sim", __func__);
    const int *fm = INTEGER(from), *tm = INTEGER(to);

    /* global index over every ccode that is ever a state */
    int *gmap = (int *) R_alloc(TB_NCCODE, sizeof(int));
    int *loc = (int *) R_alloc(TB_NCCODE, sizeof(int));
    for (int c = 0; c < TB_NCCODE; c++) gmap[c] = loc[c] = -1;
    int ng = 0;
    for (R_xlen_t r = 0; r < nsy; r++) if (gmap[sy_c[r]] < 0) gmap[sy_c[r]] = ng++;

    /* rows per requested year, and the largest state count */
    R_xlen_t total = 0, lo = 0, hi = 0;
    int nmax = 0;
    for (int a = 0; a < ny; a++) {
        year_range(sy_y, nsy, yv[a], &lo, &hi);
        R_xlen_t nf = 0, nt = 0, nb = 0;
        for (R_xlen_t r = lo; r < hi; r++) {
            int f = fm[sy_c[r]] != 0, g = tm[sy_c[r]] != 0;
            nf += f; nt += g; nb += f && g;
        }
        total += nf * nt - nb;
        if (hi - lo > nmax) nmax = (int) (hi - lo);
    }

    int ncol = 7 + (o.detail ? 7 : 0);
    SEXP res = PROTECT(Rf_allocVector(VECSXP, ncol)); nprotect++;
    for (int k = 0; k < ncol; k++)
        SET_VECTOR_ELT(res, k, Rf_allocVector(k < 3 ? INTSXP : REALSXP, total));
    threat_cols out;
    out.year = INTEGER(VECTOR_ELT(res, 0));
    out.c1 = INTEGER(VECTOR_ELT(res, 1));
    out.c2 = INTEGER(VECTOR_ELT(res, 2));
    out.power = REAL(VECTOR_ELT(res, 3));
    out.prox = REAL(VECTOR_ELT(res, 4));
    out.off = REAL(VECTOR_ELT(res, 5));
    out.intent = REAL(VECTOR_ELT(res, 6));
    out.cinc1 = out.cinc2 = out.dist = out.offraw = out.midraw = out.riv = out.dis = NULL;
    if (o.detail) {
        out.cinc1 = REAL(VECTOR_ELT(res, 7));
        out.cinc2 = REAL(VECTOR_ELT(res, 8));
        out.dist = REAL(VECTOR_ELT(res, 9));
        out.offraw = REAL(VECTOR_ELT(res, 10));
        out.midraw = REAL(VECTOR_ELT(res, 11));
        out.riv = REAL(VECTOR_ELT(res, 12));
        out.dis = REAL(VECTOR_ELT(res, 13));
    }
    if (total == 0 || ny == 0) { UNPROTECT(nprotect); return res; }

    size_t nn = (size_t) nmax * (size_t) nmax;
    double *D = (double *) R_alloc(nn > 0 ? nn : 1, sizeof(double));
    double *S = (double *) R_alloc(nn > 0 ? nn : 1, sizeof(double));
    unsigned char *R = (unsigned char *) R_alloc(nn > 0 ? nn : 1, 1);
    size_t ngg = (size_t) ng * (size_t) ng;
    double *G = (double *) R_alloc(ngg > 0 ? ngg : 1, sizeof(double));
    for (size_t q = 0; q < ngg; q++) G[q] = 0.0;
    int *gidx = (int *) R_alloc(nmax > 0 ? nmax : 1, sizeof(int));

    /* the dispute record accumulates from the first dispute year on */
    int y0 = yv[0];
    if (o.use_mid && nm > 0 && m_y[0] < y0) y0 = m_y[0];
    R_xlen_t sylo = 0, syhi = 0, dlo = 0, dhi = 0, clo = 0, chi = 0, mlo = 0, mhi = 0,
             slo = 0, shi = 0, k = 0;
    int a = 0;
    for (int t = y0; t <= yv[ny - 1]; t++) {
        if (o.use_mid) {
            if (o.lambda < 1.0) for (size_t q = 0; q < ngg; q++) G[q] *= o.lambda;
            year_range(m_y, nm, t, &mlo, &mhi);
            for (R_xlen_t r = mlo; r < mhi; r++) {
                int s = m_1[r], g = m_2[r];
                if (s < 0 || s >= TB_NCCODE || g < 0 || g >= TB_NCCODE) continue;
                if (gmap[s] < 0 || gmap[g] < 0 || ISNAN(m_w[r])) continue;
                G[(size_t) gmap[s] + (size_t) ng * gmap[g]] += m_w[r];
            }
        }
        if (a >= ny || t != yv[a]) continue;
        a++;
        year_range(sy_y, nsy, t, &sylo, &syhi);
        int n = (int) (syhi - sylo);
        for (int q = 0; q < n; q++) {
            loc[sy_c[sylo + q]] = q;
            gidx[q] = gmap[sy_c[sylo + q]];
        }
        size_t nq = (size_t) n * n;
        double msum = 0.0;
        for (int q = 0; q < n; q++) if (!ISNAN(sy_mil[sylo + q])) msum += sy_mil[sylo + q];
        for (size_t q = 0; q < nq; q++) { D[q] = NA_REAL; S[q] = NA_REAL; R[q] = 0; }
        year_range(d_y, nd, t, &dlo, &dhi);
        fill_sym(D, n, loc, d_1, d_2, d_v, dlo, dhi, 0);
        year_range(c_y, nc, t, &clo, &chi);
        fill_sym(D, n, loc, c_1, c_2, NULL, clo, chi, 1);
        if (o.use_sim) {
            year_range(s_y, ns, t, &slo, &shi);
            fill_sym(S, n, loc, s_1, s_2, s_v, slo, shi, 0);
        }
        if (o.use_riv)
            for (R_xlen_t r = 0; r < nr; r++) {
                if (r_s[r] == NA_INTEGER || r_e[r] == NA_INTEGER || t < r_s[r] || t > r_e[r]) continue;
                int u = r_1[r], v = r_2[r];
                if (u < 0 || u >= TB_NCCODE || v < 0 || v >= TB_NCCODE) continue;
                if (loc[u] < 0 || loc[v] < 0) continue;
                R[(size_t) loc[u] + (size_t) n * loc[v]] = 1;
                R[(size_t) loc[v] + (size_t) n * loc[u]] = 1;
            }
        year_data y = {t, n, sy_c + sylo, sy_cinc + sylo, sy_mil + sylo, sy_lat + sylo,
                      sy_lon + sylo, msum, D, S, R, G, ng, gidx};
        k = threat_year(&y, &o, fm, tm, &out, k);
        for (int q = 0; q < n; q++) loc[sy_c[sylo + q]] = -1;
        R_CheckUserInterrupt();
    }
    UNPROTECT(nprotect);
    return res;
}

/* ---- weight sensitivity -------------------------------------------------- */

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

/* Rows [r0, r1) of the n x m component matrix C; W is d x m weights (rows sum
 * to 1, all > 0). For each row: the index under each weight row, sorted, then
 * quantiles of type 7 at probs. A row with any NA component gets NA. v is
 * scratch of d doubles; Q is n x np. */
static void sensitivity_core(const double *C, R_xlen_t n, int m, const double *W, int d,
                             int geometric, const double *probs, int np,
                             R_xlen_t r0, R_xlen_t r1, double *v, double *Q) {
    for (R_xlen_t r = r0; r < r1; r++) {
        int na = 0;
        for (int c = 0; c < m; c++) if (ISNAN(C[r + n * c])) na = 1;
        if (na || d == 0) {
            for (int q = 0; q < np; q++) Q[r + n * q] = NA_REAL;
            continue;
        }
        for (int b = 0; b < d; b++) {
            double s = 0.0;
            if (geometric) {
                for (int c = 0; c < m; c++) {
                    double w = W[b + (size_t) d * c];
                    if (w > 0.0) s += w * log(C[r + n * c]);
                }
                v[b] = exp(s);
            } else {
                for (int c = 0; c < m; c++) s += W[b + (size_t) d * c] * C[r + n * c];
                v[b] = s;
            }
        }
        qsort(v, (size_t) d, sizeof(double), cmp_double);
        for (int q = 0; q < np; q++) {
            double h = (d - 1) * probs[q];
            int l = (int) floor(h);
            if (l >= d - 1) { Q[r + n * q] = v[d - 1]; continue; }
            Q[r + n * q] = v[l] + (h - l) * (v[l + 1] - v[l]);
        }
    }
}

SEXP ffi_threat_sensitivity(SEXP comp, SEXP weights, SEXP geometric, SEXP probs) {
    int nprotect = 0;
    if (TYPEOF(comp) != REALSXP || !Rf_isMatrix(comp) ||
        TYPEOF(weights) != REALSXP || !Rf_isMatrix(weights))
        tb_internal_error(__func__, "`comp` and `weights` must be double matrices");
    if (Rf_ncols(comp) != Rf_ncols(weights))
        tb_internal_error(__func__, "`comp` and `weights` must have the same number of columns");
    if (TYPEOF(geometric) != LGLSXP || LENGTH(geometric) != 1 || LOGICAL(geometric)[0] == NA_LOGICAL)
        tb_internal_error(__func__, "`geometric` must be TRUE or FALSE");
    if (TYPEOF(probs) != REALSXP)
        tb_internal_error(__func__, "`probs` must be double");
    R_xlen_t n = Rf_nrows(comp);
    int m = Rf_ncols(comp), d = Rf_nrows(weights), np = LENGTH(probs);
    const double *pr = REAL(probs);
    for (int q = 0; q < np; q++)
        if (ISNAN(pr[q]) || pr[q] < 0.0 || pr[q] > 1.0)
            tb_internal_error(__func__, "`probs` must be in [0, 1]");
    const double *W = REAL(weights);
    for (R_xlen_t q = 0; q < (R_xlen_t) d * m; q++)
        if (ISNAN(W[q]) || W[q] < 0.0)
            tb_internal_error(__func__, "`weights` must be non-negative");
    SEXP Q = PROTECT(Rf_allocMatrix(REALSXP, (int) n, np)); nprotect++;
    double *v = (double *) R_alloc(d > 0 ? d : 1, sizeof(double));
    int geo = LOGICAL(geometric)[0];
    for (R_xlen_t r0 = 0; r0 < n; r0 += 256) {
        R_xlen_t r1 = r0 + 256 < n ? r0 + 256 : n;
        sensitivity_core(REAL(comp), n, m, W, d, geo, pr, np, r0, r1, v, REAL(Q));
        R_CheckUserInterrupt();
    }
    UNPROTECT(nprotect);
    return Q;
}
