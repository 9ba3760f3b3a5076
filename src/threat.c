/* threat.c: Walt's four threat components (power, proximity, offense, intent)
 * for directed dyad-years on dense per-year matrices, and weight sensitivity. */
#include "threatbalance.h"
#include <math.h>
#include <stdlib.h>

/* ---- settings, inputs, scratch and output --------------------------------- */

typedef struct {
    int power_system;   /* 0: cinc_j / (cinc_i + cinc_j); 1: cinc_j */
    int decay_bdm;      /* 0: exp(-km / scale_km); 1: Bueno de Mesquita gradient */
    double scale_km;    /* > 0 */
    double lambda;      /* yearly decay of the dispute record, 2^(-1/half_life), in (0, 1] */
    double mid_scale;   /* > 0: the dispute part is 1 - exp(-record / mid_scale) */
    int cap_fallback;   /* capital distance where minimum distance is unknown */
    int use_mid, use_riv, use_sim;
    int mid_last;       /* last year of dispute data */
    int mid_beyond;     /* years after mid_last: 1 decay the record on, 0 NA */
    int riv_first, riv_last, sim_first, sim_last;
    int reach_major;    /* major powers' distances count scale_km / reach_km times shorter */
    double reach_km;    /* > 0: a major power's decay scale */
    int use_ally;       /* discount intent between allies */
    double ally_discount; /* in [0, 1]: intent * (1 - ally_discount) under a pact */
    int ally_first, ally_last;
    int detail;
} threat_opts;

typedef struct {
    int *year, *c1, *c2;
    double *power, *prox, *off, *intent;
    /* detail columns (NULL unless detail) */
    double *cinc1, *cinc2, *dist, *offraw, *midraw, *riv, *dis, *ally;
} threat_cols;

/* One year's state data: n states, local index 0..n-1. Matrices are n x n,
 * column-major, entry [j + n * i] for the ordered pair (j, i). */
typedef struct {
    int year, n;
    const int *cc;
    const double *cinc, *mil, *lat, *lon;
    const int *major;     /* 1 for a major power this year */
    double milsum;        /* sum of non-NA military capability, the offense scale */
    const double *D;      /* km, NA unknown; symmetric */
    const double *S;      /* similarity S, NA unknown; symmetric */
    const unsigned char *R; /* rivalry in force; symmetric */
    const double *A;      /* 1 where a defence or offence pact joins the pair; symmetric */
    const double *G;      /* global decayed dispute record, ng x ng, [src + ng * tgt] */
    int ng;
    const int *gidx;      /* local -> global index */
} year_data;

/* Year-keyed records (year, c1, c2, val) sorted by year: distances and
 * similarity (symmetric), land contiguity (val unused: 0 km), directed
 * disputes (c1 source, c2 target, val weight). */
typedef struct {
    R_xlen_t n;
    const int *year, *c1, *c2;
    const double *val;
} year_recs;

/* Rivalry spells (c1, c2, first year, last year); NA years never match. */
typedef struct {
    R_xlen_t n;
    const int *c1, *c2, *first, *last;
} spells;

/* Everything the engine reads. State-years are sorted by year, with ccodes
 * in 0..TB_NCCODE - 1; from and to are masks of TB_NCCODE addressed by ccode. */
typedef struct {
    int ny;
    const int *years;     /* sorted, unique, no NA */
    R_xlen_t nsy;
    const int *sy_year, *sy_cc;
    const double *sy_cinc, *sy_mil, *sy_lat, *sy_lon;
    const int *sy_major;
    year_recs dist, cont, mid, sim, ally;
    spells riv;
    const int *from, *to;
} threat_input;

/* Scratch: one year's nmax x nmax matrices D, S, R; the ng x ng dispute
 * record G; ccode -> global index (gmap) and -> local index (loc, -1 when
 * absent this year), local -> global index (gidx). */
typedef struct {
    int nmax, ng;
    double *D, *S, *G, *A;
    unsigned char *R;
    int *gmap, *loc, *gidx;
} threat_work;

/* Where each year-sorted input's current year starts. */
typedef struct {
    R_xlen_t sy, dist, cont, mid, sim, ally;
} cursors;

/* ---- cores (no SEXP) ----------------------------------------------------- */

/* Proximity on [0, 1] from km >= 0. bdm: the gradient's exponent at 0 miles
 * over its exponent at the distance, log10(10 - e) / log10(miles / mpd + 10 - e). */
static double proximity(double km, const threat_opts *o, double mpd) {
    if (ISNAN(km)) return NA_REAL;
    if (!o->decay_bdm) return exp(-km / o->scale_km);
    return tb_lsg_exponent(0.0, mpd) / tb_lsg_exponent(km / TB_KM_PER_MILE, mpd);
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
    int ally_ok = o->use_ally && t >= o->ally_first && t <= o->ally_last;
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
            /* reach: a major power's distances count scale / reach times
             * shorter, so its proximity and offense decay on the reach scale */
            double kme = (o->reach_major && y->major[j]) ? km * (o->scale_km / o->reach_km) : km;
            double px = proximity(kme, o, mpd);
            double raw = projected(y->mil[j], kme, o, mpd);
            double off = NA_REAL;
            if (!ISNAN(raw) && y->milsum > 0.0) {
                raw /= y->milsum;
                off = raw > 1.0 ? 1.0 : raw;
            } else raw = NA_REAL;
            /* intent: mean of the parts available */
            double mraw = NA_REAL, mid = NA_REAL, rv = NA_REAL, ds = NA_REAL;
            if (mid_ok) {
                mraw = y->G[(size_t) y->gidx[j] + (size_t) y->ng * y->gidx[i]];
                mid = 1.0 - exp(-mraw / o->mid_scale);
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
            double al = ally_ok ? y->A[ji] : NA_REAL;
            double it = cnt ? sum / cnt : NA_REAL;
            if (!ISNAN(it) && al > 0.0) it *= 1.0 - o->ally_discount;
            out->intent[k] = it;
            if (o->detail) {
                out->cinc1[k] = cj;
                out->cinc2[k] = ci;
                out->dist[k] = km;
                out->offraw[k] = raw;
                out->midraw[k] = mraw;
                out->riv[k] = rv;
                out->dis[k] = ds;
                out->ally[k] = al;
            }
            k++;
        }
    }
    return k;
}

/* Advance *lo past records before year t; *hi to the end of year t's records. */
static void year_range(const int *yr, R_xlen_t len, int t, R_xlen_t *lo, R_xlen_t *hi) {
    while (*lo < len && yr[*lo] < t) (*lo)++;
    *hi = *lo;
    while (*hi < len && yr[*hi] == t) (*hi)++;
}

/* Fill an n x n symmetric matrix from year t's records of x whose ccodes are
 * both present this year (loc[cc] >= 0), with their value or, when zero, 0.
 * Later records win. *lo is x's cursor. */
static void fill_sym(double *M, int n, const int *loc, const year_recs *x, int t,
                     R_xlen_t *lo, int zero) {
    R_xlen_t hi;
    year_range(x->year, x->n, t, lo, &hi);
    for (R_xlen_t r = *lo; r < hi; r++) {
        int a = x->c1[r], b = x->c2[r];
        if (a < 0 || a >= TB_NCCODE || b < 0 || b >= TB_NCCODE) continue;
        int p = loc[a], q = loc[b];
        if (p < 0 || q < 0) continue;
        double v = zero ? 0.0 : x->val[r];
        M[(size_t) p + (size_t) n * q] = v;
        M[(size_t) q + (size_t) n * p] = v;
    }
}

/* Rivalries in force in year t into the n x n symmetric R. */
static void fill_rivalry(unsigned char *R, int n, const int *loc, const spells *sp, int t) {
    for (R_xlen_t r = 0; r < sp->n; r++) {
        if (sp->first[r] == NA_INTEGER || sp->last[r] == NA_INTEGER ||
            t < sp->first[r] || t > sp->last[r]) continue;
        int u = sp->c1[r], v = sp->c2[r];
        if (u < 0 || u >= TB_NCCODE || v < 0 || v >= TB_NCCODE) continue;
        if (loc[u] < 0 || loc[v] < 0) continue;
        R[(size_t) loc[u] + (size_t) n * loc[v]] = 1;
        R[(size_t) loc[v] + (size_t) n * loc[u]] = 1;
    }
}

/* One year of the dispute record: decay G by lambda, add year t's weights. */
static void add_disputes(double *G, int ng, const int *gmap, const year_recs *m,
                         double lambda, int t, R_xlen_t *lo) {
    size_t ngg = (size_t) ng * (size_t) ng;
    if (lambda < 1.0) for (size_t q = 0; q < ngg; q++) G[q] *= lambda;
    R_xlen_t hi;
    year_range(m->year, m->n, t, lo, &hi);
    for (R_xlen_t r = *lo; r < hi; r++) {
        int s = m->c1[r], g = m->c2[r];
        if (s < 0 || s >= TB_NCCODE || g < 0 || g >= TB_NCCODE) continue;
        if (gmap[s] < 0 || gmap[g] < 0 || ISNAN(m->val[r])) continue;
        G[(size_t) gmap[s] + (size_t) ng * gmap[g]] += m->val[r];
    }
}

/* Year t's state data, with its matrices filled into w's scratch and w->loc
 * set for its states (the caller resets it). */
static year_data fill_year(const threat_input *in, const threat_opts *o, threat_work *w,
                           int t, cursors *cur) {
    R_xlen_t hi;
    year_range(in->sy_year, in->nsy, t, &cur->sy, &hi);
    R_xlen_t s0 = cur->sy;
    int n = (int) (hi - s0);
    const int *cc = in->sy_cc + s0;
    for (int q = 0; q < n; q++) {
        w->loc[cc[q]] = q;
        w->gidx[q] = w->gmap[cc[q]];
    }
    double msum = 0.0;
    for (int q = 0; q < n; q++) if (!ISNAN(in->sy_mil[s0 + q])) msum += in->sy_mil[s0 + q];
    size_t nq = (size_t) n * n;
    for (size_t q = 0; q < nq; q++) {
        w->D[q] = NA_REAL; w->S[q] = NA_REAL; w->R[q] = 0; w->A[q] = 0.0;
    }
    fill_sym(w->D, n, w->loc, &in->dist, t, &cur->dist, 0);
    fill_sym(w->D, n, w->loc, &in->cont, t, &cur->cont, 1);
    if (o->use_sim) fill_sym(w->S, n, w->loc, &in->sim, t, &cur->sim, 0);
    if (o->use_riv) fill_rivalry(w->R, n, w->loc, &in->riv, t);
    if (o->use_ally) fill_sym(w->A, n, w->loc, &in->ally, t, &cur->ally, 0);
    year_data y = {t, n, cc, in->sy_cinc + s0, in->sy_mil + s0, in->sy_lat + s0,
                   in->sy_lon + s0, in->sy_major + s0, msum, w->D, w->S, w->R, w->A,
                   w->G, w->ng, w->gidx};
    return y;
}

/* Global index over every ccode that is ever a state: gmap[cc] in 0..ng - 1,
 * -1 for the others. Returns ng. */
static int global_index(const threat_input *in, int *gmap) {
    for (int c = 0; c < TB_NCCODE; c++) gmap[c] = -1;
    int ng = 0;
    for (R_xlen_t r = 0; r < in->nsy; r++)
        if (gmap[in->sy_cc[r]] < 0) gmap[in->sy_cc[r]] = ng++;
    return ng;
}

/* Output rows over the requested years; *nmax: the most states in one. */
static R_xlen_t count_rows(const threat_input *in, int *nmax) {
    R_xlen_t total = 0, lo = 0, hi = 0;
    *nmax = 0;
    for (int a = 0; a < in->ny; a++) {
        year_range(in->sy_year, in->nsy, in->years[a], &lo, &hi);
        R_xlen_t nf = 0, nt = 0, nb = 0;
        for (R_xlen_t r = lo; r < hi; r++) {
            int f = in->from[in->sy_cc[r]] != 0, g = in->to[in->sy_cc[r]] != 0;
            nf += f; nt += g; nb += f && g;
        }
        total += nf * nt - nb;
        if (hi - lo > *nmax) *nmax = (int) (hi - lo);
    }
    return total;
}

/* The engine: rows of the requested years (in->ny > 0) into out, sized by
 * count_rows. The dispute record accumulates year by year from the first
 * dispute year on, whether or not a year is requested. Interrupts are checked
 * once a year: a year costs at most O(TB_NCCODE^2). */
static void threat_core(const threat_input *in, const threat_opts *o, threat_work *w,
                        threat_cols *out) {
    size_t ngg = (size_t) w->ng * (size_t) w->ng;
    for (size_t q = 0; q < ngg; q++) w->G[q] = 0.0;
    int y0 = in->years[0], a = 0;
    if (o->use_mid && in->mid.n > 0 && in->mid.year[0] < y0) y0 = in->mid.year[0];
    cursors cur = {0, 0, 0, 0, 0, 0};
    R_xlen_t k = 0;
    /* a 64-bit year counter: the last year may be INT_MAX */
    for (long long tt = y0; tt <= in->years[in->ny - 1]; tt++) {
        int t = (int) tt;
        R_CheckUserInterrupt();
        if (o->use_mid) add_disputes(w->G, w->ng, w->gmap, &in->mid, o->lambda, t, &cur.mid);
        if (a >= in->ny || t != in->years[a]) continue;
        a++;
        year_data y = fill_year(in, o, w, t, &cur);
        k = threat_year(&y, o, in->from, in->to, out, k);
        for (int q = 0; q < y.n; q++) w->loc[y.cc[q]] = -1;
    }
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
    o.mid_scale = tb_setting_num(s, "dispute_scale", fn);
    if (!(o.mid_scale > 0.0)) tb_internal_error(fn, "setting `dispute_scale` must be positive");
    o.reach_major = tb_setting_flag(s, "reach_major", fn);
    o.reach_km = tb_setting_num(s, "reach_km", fn);
    o.use_ally = tb_setting_flag(s, "use_alliance", fn);
    o.ally_discount = tb_setting_num(s, "ally_discount", fn);
    o.ally_first = tb_setting_int(s, "alliance_first", fn);
    o.ally_last = tb_setting_int(s, "alliance_last", fn);
    o.detail = tb_setting_flag(s, "detail", fn);
    if (!(o.scale_km > 0.0)) tb_internal_error(fn, "setting `scale_km` must be positive");
    if (!(o.reach_km > 0.0)) tb_internal_error(fn, "setting `reach_km` must be positive");
    if (!(o.ally_discount >= 0.0 && o.ally_discount <= 1.0))
        tb_internal_error(fn, "setting `ally_discount` must be in [0, 1]");
    return o;
}

/* Year-keyed records from list(year, c1, c2[, val]), checked sorted by year. */
static year_recs unpack_recs(SEXP x, const char *what, const char *fn) {
    year_recs r;
    r.n = XLENGTH(VECTOR_ELT(x, 0));
    r.year = INTEGER(VECTOR_ELT(x, 0));
    r.c1 = INTEGER(VECTOR_ELT(x, 1));
    r.c2 = INTEGER(VECTOR_ELT(x, 2));
    r.val = XLENGTH(x) > 3 ? REAL(VECTOR_ELT(x, 3)) : NULL;
    check_sorted(r.year, r.n, what, fn);
    return r;
}

/* The engine's inputs as plain pointers, after the guards. The lists are
 * described at ffi_threat_components. */
static threat_input unpack_input(SEXP years, SEXP sy, SEXP dist, SEXP cont, SEXP mid,
                                 SEXP riv, SEXP sim, SEXP ally, SEXP from, SEXP to,
                                 const char *fn) {
    static const int t_sy[7] = {INTSXP, INTSXP, REALSXP, REALSXP, REALSXP, REALSXP, INTSXP};
    static const int t_d[4] = {INTSXP, INTSXP, INTSXP, REALSXP};
    static const int t_c[3] = {INTSXP, INTSXP, INTSXP};
    static const int t_r[4] = {INTSXP, INTSXP, INTSXP, INTSXP};
    if (TYPEOF(years) != INTSXP) tb_internal_error(fn, "`years` must be integer");
    check_list(sy, 7, t_sy, "sy", fn);
    check_list(dist, 4, t_d, "dist", fn);
    check_list(cont, 3, t_c, "cont", fn);
    check_list(mid, 4, t_d, "mid", fn);
    check_list(riv, 4, t_r, "riv", fn);
    check_list(sim, 4, t_d, "sim", fn);
    check_list(ally, 4, t_d, "ally", fn);
    if (TYPEOF(from) != INTSXP || XLENGTH(from) != TB_NCCODE ||
        TYPEOF(to) != INTSXP || XLENGTH(to) != TB_NCCODE)
        tb_internal_error(fn, "`from` and `to` must be integer masks of length %d", TB_NCCODE);
    threat_input in;
    in.ny = LENGTH(years);
    in.years = INTEGER(years);
    for (int a = 1; a < in.ny; a++)
        if (in.years[a] <= in.years[a - 1])
            tb_internal_error(fn, "`years` must be sorted and unique");
    for (int a = 0; a < in.ny; a++)
        if (in.years[a] == NA_INTEGER) tb_internal_error(fn, "`years` must not hold NA");
    in.nsy = XLENGTH(VECTOR_ELT(sy, 0));
    in.sy_year = INTEGER(VECTOR_ELT(sy, 0));
    in.sy_cc = INTEGER(VECTOR_ELT(sy, 1));
    in.sy_cinc = REAL(VECTOR_ELT(sy, 2));
    in.sy_mil = REAL(VECTOR_ELT(sy, 3));
    in.sy_lat = REAL(VECTOR_ELT(sy, 4));
    in.sy_lon = REAL(VECTOR_ELT(sy, 5));
    in.sy_major = INTEGER(VECTOR_ELT(sy, 6));
    check_sorted(in.sy_year, in.nsy, "sy", fn);
    for (R_xlen_t r = 0; r < in.nsy; r++)
        if (in.sy_cc[r] < 0 || in.sy_cc[r] >= TB_NCCODE)
            tb_internal_error(fn, "state ccodes must be in 0..%d", TB_NCCODE - 1);
    in.dist = unpack_recs(dist, "dist", fn);
    in.cont = unpack_recs(cont, "cont", fn);
    in.mid = unpack_recs(mid, "mid", fn);
    in.sim = unpack_recs(sim, "sim", fn);
    in.ally = unpack_recs(ally, "ally", fn);
    in.riv.n = XLENGTH(VECTOR_ELT(riv, 0));
    in.riv.c1 = INTEGER(VECTOR_ELT(riv, 0));
    in.riv.c2 = INTEGER(VECTOR_ELT(riv, 1));
    in.riv.first = INTEGER(VECTOR_ELT(riv, 2));
    in.riv.last = INTEGER(VECTOR_ELT(riv, 3));
    in.from = INTEGER(from);
    in.to = INTEGER(to);
    return in;
}

/* The result: list(year, ccode1, ccode2) (integer), then power, proximity,
 * offense, intent and, with detail, the seven detail columns (double), each
 * of length total; out points into it. Returned unprotected. */
static SEXP alloc_cols(R_xlen_t total, int detail, threat_cols *out) {
    int nprotect = 0, ncol = 7 + (detail ? 8 : 0);
    SEXP res = PROTECT(Rf_allocVector(VECSXP, ncol)); nprotect++;
    for (int k = 0; k < ncol; k++)
        SET_VECTOR_ELT(res, k, Rf_allocVector(k < 3 ? INTSXP : REALSXP, total));
    int **ic[3] = {&out->year, &out->c1, &out->c2};
    double **dc[12] = {&out->power, &out->prox, &out->off, &out->intent,
                       &out->cinc1, &out->cinc2, &out->dist, &out->offraw, &out->midraw,
                       &out->riv, &out->dis, &out->ally};
    for (int k = 0; k < 3; k++) *ic[k] = INTEGER(VECTOR_ELT(res, k));
    for (int k = 0; k < 12; k++) *dc[k] = k + 3 < ncol ? REAL(VECTOR_ELT(res, k + 3)) : NULL;
    UNPROTECT(nprotect);
    return res;
}

/* Scratch for threat_core, sized by w->nmax and w->ng (R_alloc: freed by R
 * when .Call returns, also on an error or an interrupt). */
static void alloc_work(threat_work *w) {
    size_t nn = (size_t) w->nmax * (size_t) w->nmax, ngg = (size_t) w->ng * (size_t) w->ng;
    w->D = (double *) R_alloc(nn > 0 ? nn : 1, sizeof(double));
    w->S = (double *) R_alloc(nn > 0 ? nn : 1, sizeof(double));
    w->R = (unsigned char *) R_alloc(nn > 0 ? nn : 1, 1);
    w->A = (double *) R_alloc(nn > 0 ? nn : 1, sizeof(double));
    w->G = (double *) R_alloc(ngg > 0 ? ngg : 1, sizeof(double));
    w->gidx = (int *) R_alloc(w->nmax > 0 ? w->nmax : 1, sizeof(int));
}

/* years: sorted unique integer years to output.
 * sy: list(year, ccode, cinc, mil, lat, lon, major), state-years sorted by year.
 * dist: list(year, ccode1, ccode2, km); cont: list(year, ccode1, ccode2) land
 *   contiguity (0 km, overrides dist); mid: list(year, src, tgt, weight), directed;
 *   riv: list(ccode1, ccode2, start, end) spells; sim: list(year, ccode1, ccode2, s);
 *   ally: list(year, ccode1, ccode2, 1) defence or offence pacts (symmetric).
 *   All year-keyed lists sorted by year.
 * from, to: integer masks of length TB_NCCODE addressed by ccode.
 * settings: named list, see read_opts(). */
SEXP ffi_threat_components(SEXP years, SEXP sy, SEXP dist, SEXP cont, SEXP mid,
                           SEXP riv, SEXP sim, SEXP ally, SEXP from, SEXP to,
                           SEXP settings) {
    int nprotect = 0;
    threat_input in = unpack_input(years, sy, dist, cont, mid, riv, sim, ally, from, to,
                                   __func__);
    threat_opts o = read_opts(settings, __func__);
    threat_work w;
    w.gmap = (int *) R_alloc(TB_NCCODE, sizeof(int));
    w.loc = (int *) R_alloc(TB_NCCODE, sizeof(int));
    for (int c = 0; c < TB_NCCODE; c++) w.loc[c] = -1;
    w.ng = global_index(&in, w.gmap);
    R_xlen_t total = count_rows(&in, &w.nmax);
    threat_cols out;
    SEXP res = PROTECT(alloc_cols(total, o.detail, &out)); nprotect++;
    if (total > 0 && in.ny > 0) {
        alloc_work(&w);
        threat_core(&in, &o, &w, &out);
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
            /* a row of 1e6 draws takes 0.1-0.5 s: check within it too */
            if (b && !(b & 0xffff)) R_CheckUserInterrupt();
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
    /* interrupts by work done: a row is d weighted sums and a sort of d, so
     * a check every 2^20 / d rows (tens of ms), or every row when d is large
     * (R allows 1e6 draws: about 0.2 s a row) */
    R_xlen_t step = d > 0 ? ((R_xlen_t) 1 << 20) / d : n;
    if (step < 1) step = 1;
    for (R_xlen_t r0 = 0; r0 < n; r0 += step) {
        R_xlen_t r1 = step < n - r0 ? r0 + step : n;
        sensitivity_core(REAL(comp), n, m, W, d, geo, pr, np, r0, r1, v, REAL(Q));
        R_CheckUserInterrupt();
    }
    UNPROTECT(nprotect);
    return Q;
}
