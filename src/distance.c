/* distance.c: great-circle distances between points on a sphere, and the
 * dyad-year frame of states that were system members on a common day. */
#include "threatbalance.h"
#include <math.h>
#include <limits.h>

#define TB_DEG2RAD 0.017453292519943295769

/* Haversine distance in km on a sphere of radius TB_EARTH_RADIUS_KM.
 * Any NaN/NA coordinate gives NA_REAL. Symmetric in its two points. */
double tb_gc_km(double lat1, double lon1, double lat2, double lon2) {
    if (ISNAN(lat1) || ISNAN(lon1) || ISNAN(lat2) || ISNAN(lon2)) return NA_REAL;
    double p1 = lat1 * TB_DEG2RAD, p2 = lat2 * TB_DEG2RAD;
    double sdp = sin((p2 - p1) / 2.0), sdl = sin((lon2 - lon1) * TB_DEG2RAD / 2.0);
    double a = sdp * sdp + cos(p1) * cos(p2) * sdl * sdl;
    if (a > 1.0) a = 1.0;  /* rounding near antipodes */
    if (a < 0.0) a = 0.0;
    return 2.0 * TB_EARTH_RADIUS_KM * asin(sqrt(a));
}

/* out[i] for i < n, arguments recycled by index modulo their lengths (all > 0). */
static void gc_km_core(const double *lat1, R_xlen_t n1, const double *lon1, R_xlen_t n2,
                       const double *lat2, R_xlen_t n3, const double *lon2, R_xlen_t n4,
                       R_xlen_t n, double *out) {
    R_xlen_t i1 = 0, i2 = 0, i3 = 0, i4 = 0;
    for (R_xlen_t i = 0; i < n; i++) {
        if ((i & 0xFFFFF) == 0) R_CheckUserInterrupt(); /* 2^20 distances: ~0.05 s */
        out[i] = tb_gc_km(lat1[i1], lon1[i2], lat2[i3], lon2[i4]);
        if (++i1 == n1) i1 = 0;
        if (++i2 == n2) i2 = 0;
        if (++i3 == n3) i3 = 0;
        if (++i4 == n4) i4 = 0;
    }
}

SEXP ffi_distance_km(SEXP lat1, SEXP lon1, SEXP lat2, SEXP lon2) {
    SEXP a[4] = {lat1, lon1, lat2, lon2};
    R_xlen_t len[4];
    for (int k = 0; k < 4; k++) {
        if (TYPEOF(a[k]) != REALSXP)
            tb_internal_error(__func__, "argument %d must be a double vector", k + 1);
        len[k] = XLENGTH(a[k]);
    }
    R_xlen_t n = tb_recycled_length(len, 4, __func__);
    int nprotect = 0;
    SEXP out = PROTECT(Rf_allocVector(REALSXP, n)); nprotect++;
    if (n > 0)
        gc_km_core(REAL(lat1), len[0], REAL(lon1), len[1], REAL(lat2), len[2],
                   REAL(lon2), len[3], n, REAL(out));
    UNPROTECT(nprotect);
    return out;
}

/* Dyad-years. Spells are (ccode, first day, last day) as day numbers, sorted
 * by ccode. For year y with days [jan1, dec31], two distinct ccodes form a
 * dyad when some spell of each, clipped to the year, overlaps the other on at
 * least one day. When fill is false, only the number of dyads is returned. */
static R_xlen_t dyads_year(int y, int jan1, int dec31, const int *ccode,
                           const int *st, const int *en, int ns, int directed,
                           int *act, int *grp, unsigned char *adj, int fill,
                           int *oy, int *o1, int *o2) {
    /* act: active spells (in ccode order); grp: start of each ccode group */
    int na = 0, ng = 0;
    for (int s = 0; s < ns; s++) {
        if (st[s] == NA_INTEGER || en[s] == NA_INTEGER) continue;
        if (st[s] <= dec31 && en[s] >= jan1) {
            if (na == 0 || ccode[act[na - 1]] != ccode[s]) grp[ng++] = na;
            act[na++] = s;
        }
    }
    grp[ng] = na;
    R_xlen_t count = 0;
    for (int g = 0; g < ng; g++) {
        for (int h = g + 1; h < ng; h++) {
            unsigned char hit = 0;
            for (int p = grp[g]; p < grp[g + 1] && !hit; p++) {
                int sp = act[p];
                int lo_p = st[sp] > jan1 ? st[sp] : jan1, hi_p = en[sp] < dec31 ? en[sp] : dec31;
                for (int q = grp[h]; q < grp[h + 1]; q++) {
                    int sq = act[q];
                    int lo = st[sq] > lo_p ? st[sq] : lo_p, hi = en[sq] < hi_p ? en[sq] : hi_p;
                    if (lo <= hi) { hit = 1; break; }
                }
            }
            adj[(R_xlen_t) g * ng + h] = hit;
            adj[(R_xlen_t) h * ng + g] = hit;
            count += hit ? (directed ? 2 : 1) : 0;
        }
    }
    if (fill) {
        R_xlen_t k = 0;
        for (int g = 0; g < ng; g++) {
            for (int h = directed ? 0 : g + 1; h < ng; h++) {
                if (h == g || !adj[(R_xlen_t) g * ng + h]) continue;
                oy[k] = y; o1[k] = ccode[act[grp[g]]]; o2[k] = ccode[act[grp[h]]];
                k++;
            }
        }
    }
    return count;
}

SEXP ffi_dyad_years(SEXP years, SEXP jan1, SEXP dec31, SEXP ccode, SEXP start,
                    SEXP end, SEXP directed) {
    SEXP iv[6] = {years, jan1, dec31, ccode, start, end};
    for (int k = 0; k < 6; k++)
        if (TYPEOF(iv[k]) != INTSXP)
            tb_internal_error(__func__, "argument %d must be an integer vector", k + 1);
    if (TYPEOF(directed) != LGLSXP || XLENGTH(directed) != 1)
        tb_internal_error(__func__, "`directed` must be a logical scalar");
    R_xlen_t ny = XLENGTH(years), ns = XLENGTH(ccode);
    if (XLENGTH(jan1) != ny || XLENGTH(dec31) != ny)
        tb_internal_error(__func__, "year bounds must match `years` in length");
    if (XLENGTH(start) != ns || XLENGTH(end) != ns || ns > 5000)
        tb_internal_error(__func__, "spell vectors must have one common length (at most 5000)");
    const int *cc = INTEGER(ccode), *st = INTEGER(start), *en = INTEGER(end);
    for (R_xlen_t s = 1; s < ns; s++)
        if (cc[s] < cc[s - 1])
            tb_internal_error(__func__, "spells must be sorted by ccode");
    int dir = LOGICAL(directed)[0] == TRUE;
    const int *y = INTEGER(years), *j1 = INTEGER(jan1), *d31 = INTEGER(dec31);
    int *act = (int *) R_alloc(ns + 1, sizeof(int));
    int *grp = (int *) R_alloc(ns + 1, sizeof(int));
    unsigned char *adj = (unsigned char *) R_alloc((size_t) (ns + 1) * (ns + 1), 1);
    R_xlen_t total = 0;
    R_xlen_t *cnt = (R_xlen_t *) R_alloc(ny + 1, sizeof(R_xlen_t));
    for (R_xlen_t i = 0; i < ny; i++) {
        cnt[i] = (y[i] == NA_INTEGER) ? 0 :
            dyads_year(y[i], j1[i], d31[i], cc, st, en, (int) ns, dir, act, grp, adj,
                       0, NULL, NULL, NULL);
        total += cnt[i];
        R_CheckUserInterrupt(); /* a year compares up to ns^2 spell pairs */
    }
    int nprotect = 0;
    SEXP oy = PROTECT(Rf_allocVector(INTSXP, total)); nprotect++;
    SEXP o1 = PROTECT(Rf_allocVector(INTSXP, total)); nprotect++;
    SEXP o2 = PROTECT(Rf_allocVector(INTSXP, total)); nprotect++;
    R_xlen_t off = 0;
    for (R_xlen_t i = 0; i < ny; i++) {
        if (cnt[i] == 0) continue;
        R_CheckUserInterrupt();
        dyads_year(y[i], j1[i], d31[i], cc, st, en, (int) ns, dir, act, grp, adj, 1,
                   INTEGER(oy) + off, INTEGER(o1) + off, INTEGER(o2) + off);
        off += cnt[i];
    }
    SEXP out = PROTECT(Rf_allocVector(VECSXP, 3)); nprotect++;
    SET_VECTOR_ELT(out, 0, oy);
    SET_VECTOR_ELT(out, 1, o1);
    SET_VECTOR_ELT(out, 2, o2);
    UNPROTECT(nprotect);
    return out;
}

/* State-year lookup by direct addressing: the table's rows are placed in a
 * (year - ymin) * TB_NCCODE + ccode array (later rows win), so each query
 * costs O(1). ccodes outside 0..TB_NCCODE - 1 and NA keys never match.
 * Returns 1-based rows. */
static void sy_lookup_core(const int *ty, const int *tc, R_xlen_t nt, int ymin, int span,
                           int *slot, const int *qy, const int *qc, R_xlen_t nq, int *out) {
    for (R_xlen_t s = 0; s < (R_xlen_t) span * TB_NCCODE; s++) slot[s] = NA_INTEGER;
    for (R_xlen_t r = 0; r < nt; r++) {
        if (ty[r] == NA_INTEGER || tc[r] == NA_INTEGER || tc[r] < 0 || tc[r] >= TB_NCCODE) continue;
        slot[((R_xlen_t) ty[r] - ymin) * TB_NCCODE + tc[r]] = (int) (r + 1);
    }
    for (R_xlen_t i = 0; i < nq; i++) {
        if ((i & 0x3FFFFF) == 0) R_CheckUserInterrupt();
        int y = qy[i], c = qc[i];
        if (y == NA_INTEGER || c == NA_INTEGER || c < 0 || c >= TB_NCCODE ||
            y < ymin || (R_xlen_t) y - ymin >= span) out[i] = NA_INTEGER;
        else out[i] = slot[((R_xlen_t) y - ymin) * TB_NCCODE + c];
    }
}

SEXP ffi_sy_lookup(SEXP year, SEXP ccode, SEXP tyear, SEXP tccode) {
    SEXP iv[4] = {year, ccode, tyear, tccode};
    for (int k = 0; k < 4; k++)
        if (TYPEOF(iv[k]) != INTSXP)
            tb_internal_error(__func__, "argument %d must be an integer vector", k + 1);
    R_xlen_t nq = XLENGTH(year), nt = XLENGTH(tyear);
    if (XLENGTH(ccode) != nq || XLENGTH(tccode) != nt)
        tb_internal_error(__func__, "keys must come in pairs of equal length");
    const int *ty = INTEGER(tyear);
    int ymin = INT_MAX, ymax = INT_MIN;
    for (R_xlen_t r = 0; r < nt; r++) {
        if (ty[r] == NA_INTEGER) continue;
        if (ty[r] < ymin) ymin = ty[r];
        if (ty[r] > ymax) ymax = ty[r];
    }
    /* the span is checked in double before it is computed in int: no overflow */
    if (ymin <= ymax && (double) ymax - (double) ymin > 100000.0)
        tb_internal_error(__func__, "table spans more than 100000 years");
    int span = (ymin > ymax) ? 0 : ymax - ymin + 1;
    int *slot = (int *) R_alloc((size_t) span * TB_NCCODE + 1, sizeof(int));
    int nprotect = 0;
    SEXP out = PROTECT(Rf_allocVector(INTSXP, nq)); nprotect++;
    sy_lookup_core(ty, INTEGER(tccode), nt, ymin, span, slot, INTEGER(year), INTEGER(ccode),
                   nq, INTEGER(out));
    UNPROTECT(nprotect);
    return out;
}
