/* similarity.c: dyadic similarity (Signorino-Ritter S, weighted Cohen's kappa and Scott's pi,
 * Kendall's tau-b, agreement) for every pair of actors in every period, from joint code tables. */
#include "threatbalance.h"
#include <string.h>
#include <math.h>
#include <stdint.h>

/* Method codes shared with R/similarity.R (sim_method_codes). */
enum { SIM_S = 1, SIM_KAPPA = 2, SIM_PI = 3, SIM_TAUB = 4, SIM_AGREE = 5 };
#define SIM_MAX_LEVELS 255
/* Unweighted periods with at most this many levels use the bit-plane kernel. */
#define SIM_BITS_MAX_LEVELS 16

typedef struct {
    int L;              /* number of levels, 1..SIM_MAX_LEVELS */
    int has_range;      /* levels span a positive range (L >= 2) */
    const double *dq;   /* L*L row-major: (|v_a - v_b| / range)^q */
    const double *d1;   /* L*L row-major: |v_a - v_b| / range */
    int nmeth;
    const int *meth;    /* method codes, nmeth of them */
} sim_spec;

/* ---- popcount, with a hardware path chosen at run time on x86-64 ---- */

static inline int sim_popcount_generic(uint64_t x) {
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return (int) ((x * 0x0101010101010101ULL) >> 56);
}

/* ---- measures from one joint table ---- */

/* What the measures need from one actor's distribution r over the levels (row or column margin
 * of the joint table): u = D r (D the q-distances), Q = r' D r, P = sum over a < a' of r_a r_a'
 * (pairs of items on which the actor is untied; exactly 0 when it uses one level). */
typedef struct {
    const double *r, *u;
    double Q, P;
} sim_marg;

static void sim_margin(const double *r, const sim_spec *sp, double *u, sim_marg *m) {
    const int L = sp->L;
    double Q = 0.0, P = 0.0, cum = 0.0;
    for (int a = 0; a < L; a++) {
        const double *da = sp->dq + (R_xlen_t) a * L;
        double s = 0.0;
        for (int b = 0; b < L; b++) s += da[b] * r[b];
        u[a] = s;
        Q += r[a] * s;
        P += r[a] * cum; cum += r[a];
    }
    m->r = r; m->u = u; m->Q = Q; m->P = P;
}

/* T: L x L row-major joint table (row = actor 1's level, column = actor 2's), weights or counts,
 * N = sum(T); mr, mc: statistics of its row and column margins, or NULL to derive them from T.
 * All measures are NA when N is 0. scr: 6 * L doubles. Writes one value per method into out. */
static void sim_measures(const double *T, double N, const sim_marg *mr, const sim_marg *mc,
                         const sim_spec *sp, double *out, double *scr) {
    const int L = sp->L;
    if (!(N > 0.0)) {
        for (int m = 0; m < sp->nmeth; m++) out[m] = NA_REAL;
        return;
    }
    int need_q = 0, need_1 = 0, need_e = 0, need_t = 0;
    for (int m = 0; m < sp->nmeth; m++) {
        int k = sp->meth[m];
        if (k == SIM_S || k == SIM_KAPPA || k == SIM_PI) need_q = 1;
        if (k == SIM_KAPPA || k == SIM_PI) need_e = 1;
        if (k == SIM_AGREE) need_1 = 1;
        if (k == SIM_TAUB) need_t = 1;
    }
    sim_marg rr, cc;
    if ((need_e || need_t) && (mr == NULL || mc == NULL)) {
        double *r = scr, *c = scr + L;
        for (int a = 0; a < L; a++) { r[a] = 0.0; c[a] = 0.0; }
        for (int a = 0; a < L; a++) {
            const double *Ta = T + (R_xlen_t) a * L;
            for (int b = 0; b < L; b++) { r[a] += Ta[b]; c[b] += Ta[b]; }
        }
        sim_margin(r, sp, scr + 2 * L, &rr);
        sim_margin(c, sp, scr + 3 * L, &cc);
        mr = &rr; mc = &cc;
    }
    double *acc = scr + 4 * L;
    /* observed distances (normalised to [0, 1] by the range of the levels) */
    double Do = 0.0, D1 = 0.0;
    if (sp->has_range && (need_q || need_1)) {
        for (int a = 0; a < L; a++) {
            const double *Ta = T + (R_xlen_t) a * L;
            const double *dqa = sp->dq + (R_xlen_t) a * L, *d1a = sp->d1 + (R_xlen_t) a * L;
            for (int b = 0; b < L; b++) {
                if (Ta[b] != 0.0) {
                    Do += dqa[b] * Ta[b];
                    D1 += d1a[b] * Ta[b];
                }
            }
        }
        Do /= N; D1 /= N;
    }
    /* expected distances: independent margins (kappa), pooled margins (pi) */
    double Dek = 0.0, Dep = 0.0;
    if (need_e && sp->has_range) {
        double rc = 0.0;
        for (int a = 0; a < L; a++) rc += mr->r[a] * mc->u[a];
        Dek = rc / (N * N);
        Dep = (mr->Q + mc->Q + 2.0 * rc) / (4.0 * N * N);
    }
    for (int m = 0; m < sp->nmeth; m++) {
        double v = NA_REAL;
        switch (sp->meth[m]) {
        case SIM_S:
            if (sp->has_range) v = 1.0 - 2.0 * Do;
            break;
        case SIM_AGREE:
            if (sp->has_range) v = 1.0 - D1;
            break;
        case SIM_KAPPA:
            if (sp->has_range && Dek > 0.0) v = 1.0 - Do / Dek;
            break;
        case SIM_PI:
            if (sp->has_range && Dep > 0.0) v = 1.0 - Do / Dep;
            break;
        case SIM_TAUB:
            if (mr->P > 0.0 && mc->P > 0.0) {
                /* concordant minus discordant: acc[b] = sum of T over the rows below row a */
                double cd = 0.0;
                for (int b = 0; b < L; b++) acc[b] = 0.0;
                for (int a = L - 1; a >= 0; a--) {
                    const double *Ta = T + (R_xlen_t) a * L;
                    double tot = 0.0;
                    for (int b = 0; b < L; b++) tot += acc[b];
                    double left = 0.0; /* sum of acc[b'] for b' < b */
                    for (int b = 0; b < L; b++) {
                        if (Ta[b] != 0.0) cd += Ta[b] * (tot - 2.0 * left - acc[b]);
                        left += acc[b];
                    }
                    for (int b = 0; b < L; b++) acc[b] += Ta[b];
                }
                v = cd / sqrt(mr->P * mc->P);
            }
            break;
        default:
            break;
        }
        out[m] = v;
    }
}

/* ---- per-period kernels ---- */

/* Output cursor: the columns being filled and the next row. */
typedef struct {
    int *pid, *id1, *id2, *n;
    double **col;   /* nmeth columns */
    R_xlen_t row;
} sim_out;

static void sim_emit(sim_out *o, const sim_spec *sp, int period, int ida, int idb,
                     const double *T, double N, int n, const sim_marg *mr, const sim_marg *mc,
                     double *val, double *scr) {
    R_xlen_t r = o->row++;
    o->pid[r] = period; o->id1[r] = ida; o->id2[r] = idb; o->n[r] = n;
    sim_measures(T, n > 0 ? N : 0.0, mr, mc, sp, val, scr);
    for (int m = 0; m < sp->nmeth; m++) o->col[m][r] = val[m];
}

/* Scratch sizes (in bytes) that one period of na actors and nk items needs. */
static size_t sim_scratch_bytes(int na, int nk, int L, int weighted) {
    size_t W = ((size_t) nk + 63) / 64;
    size_t s = 0;
    s += (size_t) (L + 1) * (L + 1) * sizeof(double) * 2 + (size_t) 8 * (L + 1) * sizeof(double) + 128;
    if (!weighted && L <= SIM_BITS_MAX_LEVELS) {
        s += ((size_t) na * (L + 1) * W) * sizeof(uint64_t) + (size_t) na * L * sizeof(int) +
             (size_t) na * 2 * L * sizeof(double) + (size_t) na * sizeof(sim_marg) + 128;
    } else {
        s += (size_t) na * nk + (size_t) (L + 1) * (L + 1) * sizeof(int) + 64;
    }
    return s;
}

#define SIM_ALIGN(p) ((char *) (((uintptr_t) (p) + 15) & ~(uintptr_t) 15))

/* Unweighted kernel: bit planes P[i][a] (items where actor i has level a) and valid masks V[i];
 * the joint count of (a, b) for pair (i, j) is popcount(P[i][a] & P[j][b]). When the period has no
 * missing codes, the row and column of the most common level follow from the margins. */
#define SIM_BITS_KERNEL(NAME, ATTR, POPCNT)                                                       \
ATTR static void NAME(const int *codes, int na, int nk, const int *ids, int period, int diag,     \
                      const sim_spec *sp, char *scratch, sim_out *o) {                            \
    const int L = sp->L;                                                                          \
    const R_xlen_t W = ((R_xlen_t) nk + 63) / 64;                                                 \
    char *p = SIM_ALIGN(scratch);                                                                 \
    double *T = (double *) p; p = SIM_ALIGN(p + (size_t) L * L * sizeof(double));                 \
    double *val = (double *) p; p = SIM_ALIGN(p + (size_t) (L + 1) * sizeof(double));             \
    double *scr = (double *) p; p = SIM_ALIGN(p + (size_t) 6 * L * sizeof(double));               \
    uint64_t *P = (uint64_t *) p; p = SIM_ALIGN(p + (size_t) na * (L + 1) * W * sizeof(uint64_t));\
    int *cnt = (int *) p; p = SIM_ALIGN(p + (size_t) na * L * sizeof(int));                       \
    double *rd = (double *) p; p = SIM_ALIGN(p + (size_t) na * 2 * L * sizeof(double));           \
    sim_marg *mg = (sim_marg *) p;                                                                \
    /* plane layout: actor i, level a (a = L is the valid mask) at P + (i * (L + 1) + a) * W */   \
    memset(P, 0, (size_t) na * (L + 1) * W * sizeof(uint64_t));                                   \
    memset(cnt, 0, (size_t) na * L * sizeof(int));                                                \
    int hasna = 0;                                                                                \
    R_xlen_t levtot[SIM_BITS_MAX_LEVELS] = {0};                                                   \
    for (R_xlen_t k = 0; k < nk; k++) {                                                           \
        const int *ck = codes + k * (R_xlen_t) na;                                                \
        uint64_t bit = (uint64_t) 1 << (k & 63);                                                  \
        R_xlen_t w = k >> 6;                                                                      \
        for (int i = 0; i < na; i++) {                                                            \
            int a = ck[i];                                                                        \
            if (a < 0 || a >= L) { hasna = 1; continue; }                                         \
            uint64_t *Pi = P + (R_xlen_t) i * (L + 1) * W;                                        \
            Pi[(R_xlen_t) a * W + w] |= bit;                                                      \
            Pi[(R_xlen_t) L * W + w] |= bit;                                                      \
            cnt[(R_xlen_t) i * L + a]++;                                                          \
            levtot[a]++;                                                                          \
        }                                                                                         \
    }                                                                                             \
    int z = 0; /* derived level: the most common one */                                          \
    for (int a = 1; a < L; a++) if (levtot[a] > levtot[z]) z = a;                                 \
    /* without missing codes every pair compares all items: margins are the actors' own counts */ \
    if (!hasna) {                                                                                 \
        for (int i = 0; i < na; i++) {                                                            \
            double *ri = rd + (R_xlen_t) i * 2 * L;                                               \
            for (int a = 0; a < L; a++) ri[a] = cnt[(R_xlen_t) i * L + a];                        \
            sim_margin(ri, sp, ri + L, mg + i);                                                   \
        }                                                                                         \
    }                                                                                             \
    for (int i = 0; i < na; i++) {                                                                \
        const uint64_t *Pi = P + (R_xlen_t) i * (L + 1) * W;                                      \
        for (int j = diag ? i : i + 1; j < na; j++) {                                             \
            const uint64_t *Pj = P + (R_xlen_t) j * (L + 1) * W;                                  \
            int n;                                                                                \
            if (!hasna) {                                                                         \
                const int *ri = cnt + (R_xlen_t) i * L, *cj = cnt + (R_xlen_t) j * L;             \
                n = nk;                                                                           \
                double rest = 0.0;                                                                \
                for (int a = 0; a < L; a++) {                                                     \
                    if (a == z) continue;                                                         \
                    const uint64_t *A = Pi + (R_xlen_t) a * W;                                    \
                    double rowsum = 0.0;                                                          \
                    for (int b = 0; b < L; b++) {                                                 \
                        if (b == z) continue;                                                     \
                        const uint64_t *B = Pj + (R_xlen_t) b * W;                                \
                        int s = 0;                                                                \
                        for (R_xlen_t w = 0; w < W; w++) s += POPCNT(A[w] & B[w]);                \
                        T[a * L + b] = s; rowsum += s;                                            \
                    }                                                                             \
                    T[a * L + z] = ri[a] - rowsum;                                                \
                    rest += ri[a];                                                                \
                }                                                                                 \
                double colz = 0.0;                                                                \
                for (int b = 0; b < L; b++) {                                                     \
                    if (b == z) continue;                                                         \
                    double colsum = 0.0;                                                          \
                    for (int a = 0; a < L; a++) if (a != z) colsum += T[a * L + b];               \
                    T[z * L + b] = cj[b] - colsum;                                                \
                    colz += T[z * L + b];                                                         \
                }                                                                                 \
                T[z * L + z] = (double) nk - rest - colz;                                         \
            } else {                                                                              \
                n = 0;                                                                            \
                for (int a = 0; a < L; a++) {                                                     \
                    const uint64_t *A = Pi + (R_xlen_t) a * W;                                    \
                    for (int b = 0; b < L; b++) {                                                 \
                        const uint64_t *B = Pj + (R_xlen_t) b * W;                                \
                        int s = 0;                                                                \
                        for (R_xlen_t w = 0; w < W; w++) s += POPCNT(A[w] & B[w]);                \
                        T[a * L + b] = s; n += s;                                                 \
                    }                                                                             \
                }                                                                                 \
            }                                                                                     \
            sim_emit(o, sp, period, ids[i], ids[j], T, n, n, hasna ? NULL : mg + i,                \
                     hasna ? NULL : mg + j, val, scr);                                            \
        }                                                                                         \
    }                                                                                             \
}

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define SIM_HAVE_HWPOP 1
SIM_BITS_KERNEL(sim_period_bits_hw, __attribute__((target("popcnt"))), __builtin_popcountll)
#endif
SIM_BITS_KERNEL(sim_period_bits_sw, , sim_popcount_generic)

/* Weighted (or many-level) kernel: codes per actor as bytes, level L meaning missing; the joint
 * table is accumulated item by item, weights in T and counts in C. */
static void sim_period_direct(const int *codes, int na, int nk, const double *w, const int *ids,
                              int period, int diag, const sim_spec *sp, char *scratch, sim_out *o) {
    const int L = sp->L, L1 = L + 1;
    char *p = SIM_ALIGN(scratch);
    double *T1 = (double *) p; p = SIM_ALIGN(p + (size_t) L1 * L1 * sizeof(double));
    double *T = (double *) p; p = SIM_ALIGN(p + (size_t) L * L * sizeof(double));
    double *val = (double *) p; p = SIM_ALIGN(p + (size_t) (L + 1) * sizeof(double));
    double *scr = (double *) p; p = SIM_ALIGN(p + (size_t) 6 * L * sizeof(double));
    int *C = (int *) p; p = SIM_ALIGN(p + (size_t) L1 * L1 * sizeof(int));
    unsigned char *X = (unsigned char *) p;
    /* X[i * nk + k]: level of actor i on item k, L when missing or the item's weight is missing */
    for (R_xlen_t k = 0; k < nk; k++) {
        int wok = (w == NULL) || !ISNAN(w[k]);
        const int *ck = codes + k * (R_xlen_t) na;
        for (int i = 0; i < na; i++) {
            int a = ck[i];
            X[(R_xlen_t) i * nk + k] = (unsigned char) ((wok && a >= 0 && a < L) ? a : L);
        }
    }
    for (int i = 0; i < na; i++) {
        const unsigned char *Xi = X + (R_xlen_t) i * nk;
        for (int j = diag ? i : i + 1; j < na; j++) {
            const unsigned char *Xj = X + (R_xlen_t) j * nk;
            memset(T1, 0, (size_t) L1 * L1 * sizeof(double));
            memset(C, 0, (size_t) L1 * L1 * sizeof(int));
            if (w) {
                for (R_xlen_t k = 0; k < nk; k++) {
                    int cell = Xi[k] * L1 + Xj[k];
                    T1[cell] += w[k]; C[cell]++;
                }
            } else {
                for (R_xlen_t k = 0; k < nk; k++) C[Xi[k] * L1 + Xj[k]]++;
            }
            int n = 0;
            double N = 0.0;
            for (int a = 0; a < L; a++)
                for (int b = 0; b < L; b++) {
                    n += C[a * L1 + b];
                    T[a * L + b] = w ? T1[a * L1 + b] : (double) C[a * L1 + b];
                    N += T[a * L + b];
                }
            sim_emit(o, sp, period, ids[i], ids[j], T, N, n, NULL, NULL, val, scr);
        }
    }
}

/* ---- entry point ---- */

static void sim_check(int ok, const char *what) {
    if (!ok) Rf_error("internal error in ffi_similarity(): %s", what);
}

/* codes: integer, the concatenated na_t x nk_t column-major matrices of level indices 0..L-1
 * (NA missing); nactor, nitem, period_id: integer, one per period; levels: double, increasing;
 * weights: NULL or double, one per item of every period; q: 1 or 2; methods: codes 1..5;
 * actor_id: integer, one per actor of every period; diag: include i == j pairs.
 * Returns an unnamed list: period, id1, id2, n, then one double column per method. */
SEXP ffi_similarity(SEXP codes, SEXP nactor, SEXP nitem, SEXP levels, SEXP weights, SEXP q,
                    SEXP methods, SEXP actor_id, SEXP period_id, SEXP diag) {
    int nprotect = 0;
    sim_check(TYPEOF(codes) == INTSXP, "`codes` must be an integer vector");
    sim_check(TYPEOF(nactor) == INTSXP && TYPEOF(nitem) == INTSXP && TYPEOF(period_id) == INTSXP,
              "`nactor`, `nitem` and `period_id` must be integer vectors");
    R_xlen_t np = XLENGTH(nactor);
    sim_check(XLENGTH(nitem) == np && XLENGTH(period_id) == np,
              "`nactor`, `nitem` and `period_id` must have the same length");
    sim_check(TYPEOF(levels) == REALSXP && XLENGTH(levels) >= 1 && XLENGTH(levels) <= SIM_MAX_LEVELS,
              "`levels` must be a double vector of length 1 to 255");
    sim_check(TYPEOF(q) == INTSXP && XLENGTH(q) == 1 && (INTEGER(q)[0] == 1 || INTEGER(q)[0] == 2),
              "`q` must be 1L or 2L");
    sim_check(TYPEOF(methods) == INTSXP && XLENGTH(methods) >= 1 && XLENGTH(methods) <= 5,
              "`methods` must be an integer vector of length 1 to 5");
    sim_check(TYPEOF(actor_id) == INTSXP, "`actor_id` must be an integer vector");
    sim_check(TYPEOF(diag) == LGLSXP && XLENGTH(diag) == 1 && LOGICAL(diag)[0] != NA_LOGICAL,
              "`diag` must be TRUE or FALSE");
    sim_check(Rf_isNull(weights) || TYPEOF(weights) == REALSXP, "`weights` must be NULL or double");

    const int L = (int) XLENGTH(levels);
    const double *lev = REAL(levels);
    for (int a = 0; a < L; a++) sim_check(R_FINITE(lev[a]) && (a == 0 || lev[a] > lev[a - 1]),
                                           "`levels` must be finite and increasing");
    const int *meth = INTEGER(methods);
    const int nmeth = (int) XLENGTH(methods);
    for (int m = 0; m < nmeth; m++) sim_check(meth[m] >= 1 && meth[m] <= 5, "unknown method code");
    const int *na = INTEGER(nactor), *nk = INTEGER(nitem);
    const int dg = LOGICAL(diag)[0];
    R_xlen_t totcell = 0, totact = 0, totitem = 0, nrow = 0;
    size_t maxscr = 0;
    const int weighted = !Rf_isNull(weights);
    for (R_xlen_t t = 0; t < np; t++) {
        sim_check(na[t] >= 0 && nk[t] >= 0, "`nactor` and `nitem` must be non-negative");
        double cells = (double) na[t] * nk[t];
        sim_check(cells < 4e15, "a period is too large");
        totcell += (R_xlen_t) na[t] * nk[t];
        totact += na[t]; totitem += nk[t];
        nrow += (R_xlen_t) na[t] * (na[t] - 1) / 2 + (dg ? na[t] : 0);
        size_t s = sim_scratch_bytes(na[t], nk[t], L, weighted);
        if (s > maxscr) maxscr = s;
    }
    sim_check(XLENGTH(codes) == totcell, "`codes` must have sum(nactor * nitem) elements");
    sim_check(XLENGTH(actor_id) == totact, "`actor_id` must have sum(nactor) elements");
    sim_check(!weighted || XLENGTH(weights) == totitem, "`weights` must have sum(nitem) elements");
    const int *cd = INTEGER(codes);
    for (R_xlen_t k = 0; k < totcell; k++)
        sim_check(cd[k] == NA_INTEGER || (cd[k] >= 0 && cd[k] < L), "`codes` out of range");

    /* distances between levels, normalised by the range */
    double *dq = (double *) R_alloc((size_t) L * L, sizeof(double));
    double *d1 = (double *) R_alloc((size_t) L * L, sizeof(double));
    double range = lev[L - 1] - lev[0];
    for (int a = 0; a < L; a++)
        for (int b = 0; b < L; b++) {
            double d = L > 1 ? fabs(lev[a] - lev[b]) / range : 0.0;
            d1[a * L + b] = d;
            dq[a * L + b] = INTEGER(q)[0] == 2 ? d * d : d;
        }
    sim_spec sp = { L, L > 1 && range > 0.0, dq, d1, nmeth, meth };

    SEXP out = PROTECT(Rf_allocVector(VECSXP, 4 + nmeth)); nprotect++;
    for (int c = 0; c < 4; c++) SET_VECTOR_ELT(out, c, Rf_allocVector(INTSXP, nrow));
    for (int m = 0; m < nmeth; m++) SET_VECTOR_ELT(out, 4 + m, Rf_allocVector(REALSXP, nrow));
    double **cols = (double **) R_alloc(nmeth, sizeof(double *));
    for (int m = 0; m < nmeth; m++) cols[m] = REAL(VECTOR_ELT(out, 4 + m));
    sim_out o = { INTEGER(VECTOR_ELT(out, 0)), INTEGER(VECTOR_ELT(out, 1)),
                  INTEGER(VECTOR_ELT(out, 2)), INTEGER(VECTOR_ELT(out, 3)), cols, 0 };
    char *scratch = R_alloc(maxscr + 64, 1);

    int hw = 0;
#ifdef SIM_HAVE_HWPOP
    __builtin_cpu_init();
    hw = __builtin_cpu_supports("popcnt");
#endif
    const int *ids = INTEGER(actor_id), *pid = INTEGER(period_id);
    const double *wt = weighted ? REAL(weights) : NULL;
    R_xlen_t cofs = 0, aofs = 0, kofs = 0;
    for (R_xlen_t t = 0; t < np; t++) {
        if (!weighted && L <= SIM_BITS_MAX_LEVELS) {
#ifdef SIM_HAVE_HWPOP
            if (hw) sim_period_bits_hw(cd + cofs, na[t], nk[t], ids + aofs, pid[t], dg, &sp, scratch, &o);
            else
#endif
            sim_period_bits_sw(cd + cofs, na[t], nk[t], ids + aofs, pid[t], dg, &sp, scratch, &o);
        } else {
            sim_period_direct(cd + cofs, na[t], nk[t], wt ? wt + kofs : NULL, ids + aofs, pid[t], dg,
                              &sp, scratch, &o);
        }
        cofs += (R_xlen_t) na[t] * nk[t]; aofs += na[t]; kofs += nk[t];
        R_CheckUserInterrupt();
    }
    (void) hw;
    UNPROTECT(nprotect);
    return out;
}
