/* events.c: mergeable group-by of events into dyad-periods (counts, Goldstein
 * sums, quad-class counts) and the bounded cumulative relation score. */
#include "threatbalance.h"
#include <stdint.h>
#include <string.h>

/* Days since 1970-01-01 to civil year and month (proleptic Gregorian;
 * H. Hinnant's days_from_civil inverse). */
static void civil_from_days(int z, int *year, int *month) {
    long zz = (long) z + 719468;
    long era = (zz >= 0 ? zz : zz - 146096) / 146097;
    long doe = zz - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long m = mp < 10 ? mp + 3 : mp - 9;
    *year = (int) (y + (m <= 2));
    *month = (int) m;
}

/* Period code of one input row: as given (by = 0), the year of a day count
 * (by = 1), or year * 12 + month - 1 (by = 2). NA stays NA. */
static inline int period_code(int v, int by) {
    if (v == NA_INTEGER || by == 0) return v;
    int y, m;
    civil_from_days(v, &y, &m);
    return by == 1 ? y : y * 12 + m - 1;
}

/* Open-addressing hash of (period, a, b) -> group index; capacity is a
 * power of two kept at least twice the number of groups. */
typedef struct {
    int *slot;       /* group index + 1, 0 = empty */
    R_xlen_t cap;
    int *gp, *ga, *gb; /* keys of each group */
    double *n, *g, *q; /* sums: events, Goldstein, quad counts (4 per group) */
    R_xlen_t ng, gcap;
} group_table;

static inline uint64_t hash3(int p, int a, int b) {
    uint64_t h = (uint64_t) (uint32_t) p * 0x9E3779B97F4A7C15ULL;
    h ^= (uint64_t) (uint32_t) a * 0xC2B2AE3D27D4EB4FULL + (h << 6) + (h >> 2);
    h ^= (uint64_t) (uint32_t) b * 0x165667B19E3779F9ULL + (h << 6) + (h >> 2);
    return h ^ (h >> 29);
}

/* memset / memcpy of scratch in pieces of 4 MB with an interrupt check
 * between: at 3e7 events the table grows to hundreds of MB, and on a
 * machine where first touches of memory are slow one growth took longer
 * than the 0.5 s an interrupt may wait (R_alloc memory is freed on the
 * jump). */
#define TB_CHUNK ((size_t) 1 << 22)
static void zero_chunked(void *dst, size_t bytes) {
    for (size_t o = 0; o < bytes; o += TB_CHUNK) {
        R_CheckUserInterrupt();
        memset((char *) dst + o, 0, bytes - o < TB_CHUNK ? bytes - o : TB_CHUNK);
    }
}

static void copy_chunked(void *dst, const void *src, size_t bytes) {
    for (size_t o = 0; o < bytes; o += TB_CHUNK) {
        R_CheckUserInterrupt();
        memcpy((char *) dst + o, (const char *) src + o, bytes - o < TB_CHUNK ? bytes - o : TB_CHUNK);
    }
}

static void table_init(group_table *t, R_xlen_t gcap) {
    t->cap = 1024;
    while (t->cap < 2 * gcap) t->cap *= 2;
    t->slot = (int *) R_alloc((size_t) t->cap, sizeof(int));
    zero_chunked(t->slot, (size_t) t->cap * sizeof(int));
    t->gcap = gcap; t->ng = 0;
    t->gp = (int *) R_alloc((size_t) gcap, sizeof(int));
    t->ga = (int *) R_alloc((size_t) gcap, sizeof(int));
    t->gb = (int *) R_alloc((size_t) gcap, sizeof(int));
    t->n = (double *) R_alloc((size_t) gcap, sizeof(double));
    t->g = (double *) R_alloc((size_t) gcap, sizeof(double));
    t->q = (double *) R_alloc((size_t) gcap * 4, sizeof(double));
}

/* Grow group storage and slots (scratch from R_alloc, freed by R on return). */
static void table_grow(group_table *t) {
    R_xlen_t gcap = 2 * t->gcap;
    int *gp = (int *) R_alloc((size_t) gcap, sizeof(int));
    int *ga = (int *) R_alloc((size_t) gcap, sizeof(int));
    int *gb = (int *) R_alloc((size_t) gcap, sizeof(int));
    double *n = (double *) R_alloc((size_t) gcap, sizeof(double));
    double *g = (double *) R_alloc((size_t) gcap, sizeof(double));
    double *q = (double *) R_alloc((size_t) gcap * 4, sizeof(double));
    copy_chunked(gp, t->gp, (size_t) t->ng * sizeof(int));
    copy_chunked(ga, t->ga, (size_t) t->ng * sizeof(int));
    copy_chunked(gb, t->gb, (size_t) t->ng * sizeof(int));
    copy_chunked(n, t->n, (size_t) t->ng * sizeof(double));
    copy_chunked(g, t->g, (size_t) t->ng * sizeof(double));
    copy_chunked(q, t->q, (size_t) t->ng * 4 * sizeof(double));
    t->gp = gp; t->ga = ga; t->gb = gb; t->n = n; t->g = g; t->q = q;
    t->gcap = gcap;
    R_xlen_t cap = t->cap;
    while (cap < 2 * gcap) cap *= 2;
    if (cap != t->cap) {
        int *slot = (int *) R_alloc((size_t) cap, sizeof(int));
        zero_chunked(slot, (size_t) cap * sizeof(int));
        for (R_xlen_t i = 0; i < t->ng; i++) {
            if ((i & 65535) == 0) R_CheckUserInterrupt();
            R_xlen_t h = (R_xlen_t) (hash3(gp[i], ga[i], gb[i]) & (uint64_t) (cap - 1));
            while (slot[h]) h = (h + 1) & (cap - 1);
            slot[h] = (int) i + 1;
        }
        t->slot = slot; t->cap = cap;
    }
}

static inline R_xlen_t table_find(group_table *t, int p, int a, int b) {
    R_xlen_t h = (R_xlen_t) (hash3(p, a, b) & (uint64_t) (t->cap - 1));
    for (;;) {
        int s = t->slot[h];
        if (s == 0) break;
        R_xlen_t i = s - 1;
        if (t->gp[i] == p && t->ga[i] == a && t->gb[i] == b) return i;
        h = (h + 1) & (t->cap - 1);
    }
    if (t->ng == t->gcap) {
        table_grow(t);
        return table_find(t, p, a, b);
    }
    R_xlen_t i = t->ng++;
    t->slot[h] = (int) i + 1;
    t->gp[i] = p; t->ga[i] = a; t->gb[i] = b;
    t->n[i] = 0; t->g[i] = 0;
    t->q[4 * i] = t->q[4 * i + 1] = t->q[4 * i + 2] = t->q[4 * i + 3] = 0;
    return i;
}

/* Core. Row i adds nev[i] (1 if nev is NULL) events, gsum[i] (NA if NULL) to
 * the Goldstein sum, and either one event to quad class quad[i] (1..4) or
 * the counts q1..q4[i]; with neither, quad counts are NA. NA inputs make the
 * group's sum NA. Undirected: (a, b) is stored with a <= b. Groups appear in
 * order of first occurrence. */
static void aggregate_core(group_table *t, R_xlen_t n, const int *period, int by,
                           const int *a, const int *b, int directed,
                           const double *nev, const double *gsum, const int *quad,
                           const double *q1, const double *q2, const double *q3,
                           const double *q4) {
    for (R_xlen_t i = 0; i < n; i++) {
        if ((i & 65535) == 0) R_CheckUserInterrupt();
        int p = period_code(period[i], by);
        int ai = a[i], bi = b[i];
        if (!directed && ai > bi) { int tmp = ai; ai = bi; bi = tmp; }
        R_xlen_t g = table_find(t, p, ai, bi);
        t->n[g] += nev ? nev[i] : 1.0;
        t->g[g] += gsum ? gsum[i] : NA_REAL;
        double *q = t->q + 4 * g;
        if (quad) {
            int k = quad[i];
            if (k >= 1 && k <= 4) q[k - 1] += 1.0;
            else { q[0] += NA_REAL; q[1] += NA_REAL; q[2] += NA_REAL; q[3] += NA_REAL; }
        } else if (q1) {
            q[0] += q1[i]; q[1] += q2[i]; q[2] += q3[i]; q[3] += q4[i];
        } else {
            q[0] = q[1] = q[2] = q[3] = NA_REAL;
        }
    }
}

static int is_real_len(SEXP x, R_xlen_t n) {
    return TYPEOF(x) == REALSXP && XLENGTH(x) == n;
}

/* .Call(C_ffi_event_aggregate, period, a, b, by, directed, nev, gsum, quad, counts)
 * period, a, b: integer, same length n, no NA in a, b; by: 0/1/2;
 * nev, gsum: double length n or NULL; quad: integer length n or NULL;
 * counts: list of four doubles of length n, or NULL.
 * Returns list(period, a, b, n_events, goldstein_sum, q1, q2, q3, q4). */
SEXP ffi_event_aggregate(SEXP period, SEXP a, SEXP b, SEXP by, SEXP directed,
                         SEXP nev, SEXP gsum, SEXP quad, SEXP counts) {
    if (TYPEOF(period) != INTSXP || TYPEOF(a) != INTSXP || TYPEOF(b) != INTSXP)
        tb_internal_error(__func__, "period, a, b must be integer");
    R_xlen_t n = XLENGTH(period);
    if (XLENGTH(a) != n || XLENGTH(b) != n)
        tb_internal_error(__func__, "period, a, b differ in length");
    if (TYPEOF(by) != INTSXP || Rf_length(by) != 1 || INTEGER(by)[0] < 0 || INTEGER(by)[0] > 2)
        tb_internal_error(__func__, "by must be 0, 1 or 2");
    if (TYPEOF(directed) != LGLSXP || Rf_length(directed) != 1 || LOGICAL(directed)[0] == NA_LOGICAL)
        tb_internal_error(__func__, "directed must be TRUE or FALSE");
    if (nev != R_NilValue && !is_real_len(nev, n))
        tb_internal_error(__func__, "nev must be double of length n or NULL");
    if (gsum != R_NilValue && !is_real_len(gsum, n))
        tb_internal_error(__func__, "gsum must be double of length n or NULL");
    if (quad != R_NilValue && (TYPEOF(quad) != INTSXP || XLENGTH(quad) != n))
        tb_internal_error(__func__, "quad must be integer of length n or NULL");
    if (counts != R_NilValue) {
        if (TYPEOF(counts) != VECSXP || XLENGTH(counts) != 4)
            tb_internal_error(__func__, "counts must be a list of 4 or NULL");
        for (int k = 0; k < 4; k++)
            if (!is_real_len(VECTOR_ELT(counts, k), n))
                tb_internal_error(__func__, "counts must hold doubles of length n");
    }
    const int *pa = INTEGER(a), *pb = INTEGER(b);
    for (R_xlen_t i = 0; i < n; i++) {
        if (!(i & 0xfffff)) R_CheckUserInterrupt();
        if (pa[i] == NA_INTEGER || pb[i] == NA_INTEGER)
            tb_internal_error(__func__, "NA key");
    }

    group_table t;
    table_init(&t, n < 4096 ? 4096 : (n < 65536 ? n : 65536));
    const double *c[4] = {NULL, NULL, NULL, NULL};
    if (counts != R_NilValue) for (int k = 0; k < 4; k++) c[k] = REAL(VECTOR_ELT(counts, k));
    aggregate_core(&t, n, INTEGER(period), INTEGER(by)[0], pa, pb, LOGICAL(directed)[0],
                   nev == R_NilValue ? NULL : REAL(nev),
                   gsum == R_NilValue ? NULL : REAL(gsum),
                   quad == R_NilValue ? NULL : INTEGER(quad),
                   c[0], c[1], c[2], c[3]);

    int nprotect = 0;
    R_xlen_t ng = t.ng;
    SEXP out = PROTECT(Rf_allocVector(VECSXP, 9)); nprotect++;
    SEXP op = PROTECT(Rf_allocVector(INTSXP, ng)); nprotect++;
    SEXP oa = PROTECT(Rf_allocVector(INTSXP, ng)); nprotect++;
    SEXP ob = PROTECT(Rf_allocVector(INTSXP, ng)); nprotect++;
    SEXP on = PROTECT(Rf_allocVector(REALSXP, ng)); nprotect++;
    SEXP og = PROTECT(Rf_allocVector(REALSXP, ng)); nprotect++;
    SET_VECTOR_ELT(out, 0, op); SET_VECTOR_ELT(out, 1, oa); SET_VECTOR_ELT(out, 2, ob);
    SET_VECTOR_ELT(out, 3, on); SET_VECTOR_ELT(out, 4, og);
    if (ng > 0) {
        memcpy(INTEGER(op), t.gp, (size_t) ng * sizeof(int));
        memcpy(INTEGER(oa), t.ga, (size_t) ng * sizeof(int));
        memcpy(INTEGER(ob), t.gb, (size_t) ng * sizeof(int));
        memcpy(REAL(on), t.n, (size_t) ng * sizeof(double));
        memcpy(REAL(og), t.g, (size_t) ng * sizeof(double));
    }
    for (int k = 0; k < 4; k++) {
        SEXP qk = PROTECT(Rf_allocVector(REALSXP, ng)); nprotect++;
        double *pq = REAL(qk);
        for (R_xlen_t i = 0; i < ng; i++) pq[i] = t.q[4 * i + k];
        SET_VECTOR_ELT(out, 5 + k, qk);
    }
    UNPROTECT(nprotect);
    return out;
}

/* One event of weight g applied to the score s, damped as it nears the
 * bound it moves toward: by g * f with f = (9 - s) / 9 if g > 0 and
 * f = (9 + s) / 9 if g < 0, then clamped to [-9, 9]. capped != 0: f is
 * capped at 1 (an event moving away from the bound the score is at counts
 * at its full weight, not up to twice); capped == 0: the linear factor,
 * which reaches 2 at the opposite bound. NA absorbs. */
static inline double level_step(double s, double g, int capped) {
    if (ISNAN(g) || ISNAN(s)) return NA_REAL;
    if (g > 0) {
        double f = (9.0 - s) / 9.0;
        s += g * (capped ? fmin(1.0, f) : f);
    } else if (g < 0) {
        double f = (9.0 + s) / 9.0;
        s += g * (capped ? fmin(1.0, f) : f);
    }
    if (s > 9.0) s = 9.0;
    if (s < -9.0) s = -9.0;
    return s;
}

/* Decay toward the baseline at the start of a period after the first. */
static inline double level_decay(double s, double decay, double baseline) {
    return ISNAN(s) ? s : baseline + (s - baseline) * (1.0 - decay);
}

/* Core of the bounded cumulative score. Events sorted by period index
 * pidx (1..np, non-decreasing); within a period in the given order. The
 * score starts at baseline; at the start of every period after the first it
 * decays: s <- baseline + (s - baseline) * (1 - decay); each event moves it
 * (level_step). score[p] is the value after period p's events; an NA weight
 * makes every later score NA. */
static void level_core(R_xlen_t n, const int *pidx, const double *w, int np,
                       double decay, double baseline, int capped, double *score) {
    double s = baseline;
    R_xlen_t i = 0;
    for (int p = 1; p <= np; p++) {
        if (p > 1) s = level_decay(s, decay, baseline);
        for (; i < n && pidx[i] == p; i++) s = level_step(s, w[i], capped);
        score[p - 1] = s;
    }
}

/* Resumable form of level_core for events arriving in chunks. State: the
 * current period *period and the score *s after the events of that period
 * seen so far (its decay already applied). Events (pidx sorted, within
 * [*period, upto]) are applied; each period left behind is closed: its
 * score goes to closed[p - period_in] and the next period starts with a
 * decay. On return *period == upto, whose events may continue in the next
 * chunk. The same operations in the same order as level_core, so chunks of
 * any size give level_core's doubles exactly. */
static void level_resume_core(R_xlen_t n, const int *pidx, const double *w, int *period,
                              double *s, int upto, double decay, double baseline,
                              int capped, double *closed) {
    int p0 = *period, p = *period;
    double sc = *s;
    for (R_xlen_t i = 0; i < n; i++) {
        if ((i & 65535) == 0) R_CheckUserInterrupt();
        for (; p < pidx[i]; p++) {
            closed[p - p0] = sc;
            sc = level_decay(sc, decay, baseline);
        }
        sc = level_step(sc, w[i], capped);
    }
    for (; p < upto; p++) {
        closed[p - p0] = sc;
        sc = level_decay(sc, decay, baseline);
    }
    *period = p;
    *s = sc;
}

/* .Call(C_ffi_relation_level, pidx, weight, nperiod, decay, baseline, capped)
 * capped: integer 1 (damping factor capped at 1) or 0 (linear factor). */
SEXP ffi_relation_level(SEXP pidx, SEXP weight, SEXP nperiod, SEXP decay, SEXP baseline,
                        SEXP capped) {
    if (TYPEOF(pidx) != INTSXP || TYPEOF(weight) != REALSXP || XLENGTH(pidx) != XLENGTH(weight))
        tb_internal_error(__func__, "pidx (integer) and weight (double) must match");
    if (TYPEOF(nperiod) != INTSXP || Rf_length(nperiod) != 1 || INTEGER(nperiod)[0] == NA_INTEGER ||
        INTEGER(nperiod)[0] < 0)
        tb_internal_error(__func__, "nperiod must be a count");
    if (TYPEOF(decay) != REALSXP || Rf_length(decay) != 1 ||
        TYPEOF(baseline) != REALSXP || Rf_length(baseline) != 1)
        tb_internal_error(__func__, "decay and baseline must be doubles");
    if (TYPEOF(capped) != INTSXP || XLENGTH(capped) != 1 ||
        (INTEGER(capped)[0] != 0 && INTEGER(capped)[0] != 1))
        tb_internal_error(__func__, "capped must be integer 0 or 1");
    R_xlen_t n = XLENGTH(pidx);
    int np = INTEGER(nperiod)[0];
    const int *pp = INTEGER(pidx);
    for (R_xlen_t i = 0; i < n; i++) {
        if (pp[i] == NA_INTEGER || pp[i] < 1 || pp[i] > np || (i > 0 && pp[i] < pp[i - 1]))
            tb_internal_error(__func__, "pidx must be sorted in 1..nperiod");
    }
    int nprotect = 0;
    SEXP out = PROTECT(Rf_allocVector(REALSXP, np)); nprotect++;
    level_core(n, pp, REAL(weight), np, REAL(decay)[0], REAL(baseline)[0], INTEGER(capped)[0],
               REAL(out));
    UNPROTECT(nprotect);
    return out;
}

/* .Call(C_ffi_relation_level_resume, pidx, weight, period, score, upto, decay, baseline,
 *       capped)
 * One chunk of a scan resumed across calls (level_resume_core): pidx
 * integer sorted within [period, upto], weight double of the same length;
 * period, upto: integer counts with period <= upto; score: the state's
 * score (NA allowed); capped as for ffi_relation_level. Returns
 * list(closed = scores of periods period..upto - 1, score = the new
 * state's score, period = upto). */
SEXP ffi_relation_level_resume(SEXP pidx, SEXP weight, SEXP period, SEXP score, SEXP upto,
                               SEXP decay, SEXP baseline, SEXP capped) {
    if (TYPEOF(pidx) != INTSXP || TYPEOF(weight) != REALSXP || XLENGTH(pidx) != XLENGTH(weight))
        tb_internal_error(__func__, "pidx (integer) and weight (double) must match");
    if (TYPEOF(period) != INTSXP || XLENGTH(period) != 1 || INTEGER(period)[0] == NA_INTEGER ||
        INTEGER(period)[0] < 1)
        tb_internal_error(__func__, "period must be a positive count");
    if (TYPEOF(upto) != INTSXP || XLENGTH(upto) != 1 || INTEGER(upto)[0] == NA_INTEGER ||
        INTEGER(upto)[0] < INTEGER(period)[0])
        tb_internal_error(__func__, "upto must be a count not below period");
    if (TYPEOF(score) != REALSXP || XLENGTH(score) != 1)
        tb_internal_error(__func__, "score must be one double");
    if (TYPEOF(decay) != REALSXP || XLENGTH(decay) != 1 ||
        TYPEOF(baseline) != REALSXP || XLENGTH(baseline) != 1)
        tb_internal_error(__func__, "decay and baseline must be doubles");
    if (TYPEOF(capped) != INTSXP || XLENGTH(capped) != 1 ||
        (INTEGER(capped)[0] != 0 && INTEGER(capped)[0] != 1))
        tb_internal_error(__func__, "capped must be integer 0 or 1");
    R_xlen_t n = XLENGTH(pidx);
    int p = INTEGER(period)[0], to = INTEGER(upto)[0];
    const int *pp = INTEGER(pidx);
    for (R_xlen_t i = 0; i < n; i++) {
        if (pp[i] == NA_INTEGER || pp[i] < p || pp[i] > to || (i > 0 && pp[i] < pp[i - 1]))
            tb_internal_error(__func__, "pidx must be sorted in period..upto");
    }
    int nprotect = 0;
    SEXP out = PROTECT(Rf_allocVector(VECSXP, 3)); nprotect++;
    SEXP closed = PROTECT(Rf_allocVector(REALSXP, (R_xlen_t) to - p)); nprotect++;
    SET_VECTOR_ELT(out, 0, closed);
    double s = REAL(score)[0];
    level_resume_core(n, pp, REAL(weight), &p, &s, to, REAL(decay)[0], REAL(baseline)[0],
                      INTEGER(capped)[0], REAL(closed));
    SET_VECTOR_ELT(out, 1, Rf_ScalarReal(s));
    SET_VECTOR_ELT(out, 2, Rf_ScalarInteger(p));
    SEXP nms = PROTECT(Rf_allocVector(STRSXP, 3)); nprotect++;
    SET_STRING_ELT(nms, 0, Rf_mkChar("closed"));
    SET_STRING_ELT(nms, 1, Rf_mkChar("score"));
    SET_STRING_ELT(nms, 2, Rf_mkChar("period"));
    Rf_setAttrib(out, R_NamesSymbol, nms);
    UNPROTECT(nprotect);
    return out;
}
