/* similarity.c: dyadic similarity (Signorino-Ritter S, weighted Cohen's kappa and Scott's pi,
 * Kendall's tau-b, agreement) for every pair of actors in every period, from joint code tables. */
#include "threatbalance.h"
#include <string.h>
#include <math.h>
#include <stdint.h>
#include <limits.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

/* Method codes shared with R/similarity.R (sim_method_codes). */
enum { SIM_S = 1, SIM_KAPPA = 2, SIM_PI = 3, SIM_TAUB = 4, SIM_AGREE = 5 };
#define SIM_MAX_LEVELS 255
/* Periods with at most this many levels use the bit-plane kernel (unweighted, or weighted
 * without missing codes). */
#define SIM_BITS_MAX_LEVELS 16
/* Country codes are below this bound (lookup tables are indexed by ccode). */
#define SIM_NCCODE 1000

typedef struct {
    int L;              /* number of levels, 1..SIM_MAX_LEVELS */
    int has_range;      /* levels span a positive range (L >= 2) */
    const double *dq;   /* L*L row-major: (|v_a - v_b| / range)^q */
    const double *d1;   /* L*L row-major: |v_a - v_b| / range */
    int nmeth;
    const int *meth;    /* method codes, nmeth of them */
    int need_q, need_1, need_e, need_t; /* which intermediate quantities the methods use */
} sim_spec;

/* One batch of periods. Period t has na[t] actors and nk[t] items; its codes are the bytes
 * X[xofs[t] + k * na[t] + i] (item-major), a level index 0..L-1, or >= L when missing. Weights,
 * when present, are w[kofs[t] + k] (NaN drops the item). Actor ids are ids[aofs[t] + i]. */
typedef struct {
    R_xlen_t np;
    const int *na, *nk, *pid, *ids;
    const unsigned char *X;
    const double *w;
} sim_batch;

/* ---- popcount, with a hardware path chosen at run time on x86-64 ---- */

static inline int sim_popcount_generic(uint64_t x) {
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return (int) ((x * 0x0101010101010101ULL) >> 56);
}

/* index of the lowest set bit of a non-zero word */
static inline int sim_ctz(uint64_t x) {
#if defined(__GNUC__)
    return __builtin_ctzll(x);
#else
    int k = 0;
    while (!(x & 1)) { x >>= 1; k++; }
    return k;
#endif
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

/* Concordant minus discordant pairs of items in the L x L joint table T (weights: pairs count
 * with the product of their weights). acc: L doubles. Zero cells add exact zeros. */
static inline double sim_cd(const double *T, int L, double *acc) {
    double cd = 0.0;
    for (int b = 0; b < L; b++) acc[b] = 0.0;
    /* acc[b] = sum of T over the rows below row a */
    for (int a = L - 1; a >= 0; a--) {
        const double *Ta = T + (R_xlen_t) a * L;
        double tot = 0.0;
        for (int b = 0; b < L; b++) tot += acc[b];
        double left = 0.0; /* sum of acc[b'] for b' < b */
        for (int b = 0; b < L; b++) {
            cd += Ta[b] * (tot - 2.0 * left - acc[b]);
            left += acc[b];
        }
        for (int b = 0; b < L; b++) acc[b] += Ta[b];
    }
    return cd;
}

/* sum over b < b' of x_b y_b' - x_b' y_b: concordant minus discordant pairs between a row x and
 * a row y of higher level, n columns in increasing level order */
static inline double sim_cd_rows(const double *x, const double *y, int n) {
    switch (n) {
    case 1: return 0.0;
    case 2: return x[0] * y[1] - x[1] * y[0];
    case 3: return x[0] * (y[1] + y[2]) + x[1] * (y[2] - y[0]) - x[2] * (y[0] + y[1]);
    default: {
        double hi = 0.0, lo = 0.0, f = 0.0;
        for (int b = 0; b < n; b++) hi += y[b];
        for (int b = 0; b < n; b++) { hi -= y[b]; f += x[b] * (hi - lo); lo += y[b]; }
        return f;
    }
    }
}

/* sim_cd for an ni x nj table with rows and columns in increasing level order (row stride nj):
 * the sum over rows a of sim_cd_rows(row a, sum of the rows above a). acc: nj doubles. */
static inline double sim_cd_rect(const double *T, int ni, int nj, double *acc) {
    if (ni == 2) return sim_cd_rows(T, T + nj, nj);
    double cd = 0.0;
    const double *last = T + (R_xlen_t) (ni - 1) * nj;
    for (int b = 0; b < nj; b++) acc[b] = last[b];
    for (int a = ni - 2; a >= 0; a--) {
        const double *Ta = T + (R_xlen_t) a * nj;
        cd += sim_cd_rows(Ta, acc, nj);
        for (int b = 0; b < nj; b++) acc[b] += Ta[b];
    }
    return cd;
}

/* One value per method from the observed (Do, D1) and expected (Dek, Dep) distances and tau-b
 * (NA when undefined). */
static inline void sim_finish(const sim_spec *sp, double Do, double D1, double Dek, double Dep,
                              double tb, double *out) {
    for (int m = 0; m < sp->nmeth; m++) {
        double v = NA_REAL;
        switch (sp->meth[m]) {
        case SIM_S: if (sp->has_range) v = 1.0 - 2.0 * Do; break;
        case SIM_AGREE: if (sp->has_range) v = 1.0 - D1; break;
        case SIM_KAPPA: if (sp->has_range && Dek > 0.0) v = 1.0 - Do / Dek; break;
        case SIM_PI: if (sp->has_range && Dep > 0.0) v = 1.0 - Do / Dep; break;
        case SIM_TAUB: v = tb; break;
        default: break;
        }
        out[m] = v;
    }
}

/* T: L x L row-major joint table (row = actor 1's level, column = actor 2's), weights or counts,
 * N = sum(T); mr, mc: statistics of its row and column margins, or NULL to derive them from T.
 * All measures are NA when N is 0. scr: 6 * L doubles. Writes one value per method into out. */
static inline void sim_measures(const double *T, double N, const sim_marg *mr, const sim_marg *mc,
                                const sim_spec *sp, double *out, double *scr) {
    const int L = sp->L;
    if (!(N > 0.0)) {
        for (int m = 0; m < sp->nmeth; m++) out[m] = NA_REAL;
        return;
    }
    sim_marg rr, cc;
    if ((sp->need_e || sp->need_t) && (mr == NULL || mc == NULL)) {
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
    /* observed distances (normalised to [0, 1] by the range of the levels); zero cells add
     * exact zeros, so no test is needed */
    double Do = 0.0, D1 = 0.0;
    if (sp->has_range && sp->need_q) {
        for (R_xlen_t c = 0; c < (R_xlen_t) L * L; c++) Do += sp->dq[c] * T[c];
        Do /= N;
    }
    if (sp->has_range && sp->need_1) {
        for (R_xlen_t c = 0; c < (R_xlen_t) L * L; c++) D1 += sp->d1[c] * T[c];
        D1 /= N;
    }
    /* expected distances: independent margins (kappa), pooled margins (pi) */
    double Dek = 0.0, Dep = 0.0;
    if (sp->need_e && sp->has_range) {
        double rc = 0.0;
        for (int a = 0; a < L; a++) rc += mr->r[a] * mc->u[a];
        Dek = rc / (N * N);
        Dep = (mr->Q + mc->Q + 2.0 * rc) / (4.0 * N * N);
    }
    double tb = NA_REAL;
    if (sp->need_t && mr->P > 0.0 && mc->P > 0.0) tb = sim_cd(T, L, acc) / sqrt(mr->P * mc->P);
    sim_finish(sp, Do, D1, Dek, Dep, tb, out);
}

/* ---- per-period kernels ---- */

/* Output cursor: the columns being filled (n may be NULL) and the next row. */
typedef struct {
    int *pid, *id1, *id2, *n;
    double **col;   /* nmeth columns */
    R_xlen_t row;
} sim_out;

static inline void sim_emit(sim_out *o, const sim_spec *sp, int period, int ida, int idb,
                            const double *T, double N, int n, const sim_marg *mr,
                            const sim_marg *mc, double *val, double *scr) {
    R_xlen_t r = o->row++;
    o->pid[r] = period; o->id1[r] = ida; o->id2[r] = idb;
    if (o->n) o->n[r] = n;
    sim_measures(T, n > 0 ? N : 0.0, mr, mc, sp, val, scr);
    for (int m = 0; m < sp->nmeth; m++) o->col[m][r] = val[m];
}

/* Scratch sizes (in bytes) that one period of na actors and nk items needs. */
static size_t sim_scratch_bytes(int na, int nk, int L) {
    size_t W = ((size_t) nk + 63) / 64;
    size_t s = 0;
    s += (size_t) (L + 1) * (L + 1) * sizeof(double) * 2 + (size_t) (8 * L + 16) * sizeof(double) + 256;
    size_t bits = 0, direct = 0;
    if (L <= SIM_BITS_MAX_LEVELS) {
        bits = ((size_t) na * (L + 1) * W) * sizeof(uint64_t) + (size_t) na * L * sizeof(int) +
               (size_t) na * 2 * L * sizeof(double) + (size_t) na * sizeof(sim_marg) +
               (size_t) na * sizeof(uint32_t) + (size_t) W * 64 * sizeof(double) +
               (size_t) na * 2 * sizeof(double) + (size_t) 3 * L * L * sizeof(double) +
               (size_t) na * (32 + sizeof(int)) + 256;
    }
    direct = (size_t) na * nk + (size_t) (L + 1) * (L + 1) * sizeof(int) + 64;
    return s + (bits > direct ? bits : direct);
}

#define SIM_ALIGN(p) ((char *) (((uintptr_t) (p) + 15) & ~(uintptr_t) 15))

/* Does the period have a missing code on an item that counts (weight not NaN)? */
static int sim_period_hasna(const unsigned char *X, int na, int nk, const double *w, int L) {
    for (R_xlen_t k = 0; k < nk; k++) {
        if (w && ISNAN(w[k])) continue;
        const unsigned char *ck = X + k * (R_xlen_t) na;
        for (int i = 0; i < na; i++) if (ck[i] >= L) return 1;
    }
    return 0;
}

/* Bit-plane kernel: planes P[i][a] (items where actor i has level a) and valid masks V[i]; the
 * joint count of (a, b) for pair (i, j) is popcount(P[i][a] & P[j][b]), the joint weight the sum
 * of the item weights over its set bits. Items with a NaN weight are in no plane.
 * Without missing codes every pair compares the same items, so only the cells K off the most
 * common level z are counted (and only for levels both actors use: masks lm); the row and column
 * of z follow from the actors' own margins r, and the observed distance is linear in the table:
 * sum_ab d_ab T_ab = alpha_i + alpha_j + sum_{a,b != z} (d_ab - d_az - d_zb) K_ab with
 * alpha_i = sum_a d_az r_ia. With missing codes (unweighted only) every cell is counted. */
#define SIM_BITS_KERNEL(NAME, ATTR, POPCNT)                                                       \
ATTR static void NAME(const unsigned char *X, int na, int nk, const double *w, int hasna,         \
                      const int *ids, int period, int diag, const sim_spec *sp, char *scratch,    \
                      sim_out *o) {                                                               \
    const int L = sp->L, nmeth = sp->nmeth;                                                       \
    const int need_1 = sp->need_1, need_e = sp->need_e, need_t = sp->need_t;                      \
    const R_xlen_t W = ((R_xlen_t) nk + 63) / 64;                                                 \
    char *p = SIM_ALIGN(scratch);                                                                 \
    double *T = (double *) p; p = SIM_ALIGN(p + (size_t) L * L * sizeof(double));                 \
    double *dpq = (double *) p; p = SIM_ALIGN(p + (size_t) L * L * sizeof(double));               \
    double *dp1 = (double *) p; p = SIM_ALIGN(p + (size_t) L * L * sizeof(double));               \
    double *val = (double *) p; p = SIM_ALIGN(p + (size_t) 8 * sizeof(double));                   \
    double *scr = (double *) p; p = SIM_ALIGN(p + (size_t) 6 * L * sizeof(double));               \
    uint64_t *P = (uint64_t *) p; p = SIM_ALIGN(p + (size_t) na * (L + 1) * W * sizeof(uint64_t));\
    int *cnt = (int *) p; p = SIM_ALIGN(p + (size_t) na * L * sizeof(int));                       \
    double *rd = (double *) p; p = SIM_ALIGN(p + (size_t) na * 2 * L * sizeof(double));           \
    double *aq = (double *) p; p = SIM_ALIGN(p + (size_t) na * 2 * sizeof(double));               \
    sim_marg *mg = (sim_marg *) p; p = SIM_ALIGN(p + (size_t) na * sizeof(sim_marg));             \
    uint32_t *lm = (uint32_t *) p; p = SIM_ALIGN(p + (size_t) na * sizeof(uint32_t));             \
    /* per actor: the levels it uses in increasing order (ul, nu of them), each level's position \
     * among them or -1 (pm) */                                                                   \
    unsigned char *ul = (unsigned char *) p; p = SIM_ALIGN(p + (size_t) na * 16);                 \
    signed char *pm = (signed char *) p; p = SIM_ALIGN(p + (size_t) na * 16);                     \
    int *nu = (int *) p; p = SIM_ALIGN(p + (size_t) na * sizeof(int));                            \
    double *wk = (double *) p; /* W * 64 item weights, 0 past nk and for dropped items */        \
    /* plane layout: actor i, level a (a = L is the valid mask) at P + (i * (L + 1) + a) * W */   \
    memset(P, 0, (size_t) na * (L + 1) * W * sizeof(uint64_t));                                   \
    memset(cnt, 0, (size_t) na * L * sizeof(int));                                                \
    memset(rd, 0, (size_t) na * 2 * L * sizeof(double));                                          \
    int nvalid = 0;                                                                               \
    double Nw = 0.0;                                                                              \
    R_xlen_t levtot[SIM_BITS_MAX_LEVELS] = {0};                                                   \
    for (R_xlen_t k = 0; k < nk; k++) {                                                           \
        if (w) {                                                                                  \
            wk[k] = ISNAN(w[k]) ? 0.0 : w[k];                                                     \
            if (ISNAN(w[k])) continue;                                                            \
            Nw += w[k];                                                                           \
        }                                                                                         \
        nvalid++;                                                                                 \
        const unsigned char *ck = X + k * (R_xlen_t) na;                                          \
        uint64_t bit = (uint64_t) 1 << (k & 63);                                                  \
        R_xlen_t wd = k >> 6;                                                                     \
        for (int i = 0; i < na; i++) {                                                            \
            int a = ck[i];                                                                        \
            if (a >= L) continue;                                                                 \
            uint64_t *Pi = P + (R_xlen_t) i * (L + 1) * W;                                        \
            Pi[(R_xlen_t) a * W + wd] |= bit;                                                     \
            Pi[(R_xlen_t) L * W + wd] |= bit;                                                     \
            cnt[(R_xlen_t) i * L + a]++;                                                          \
            if (w) rd[(R_xlen_t) i * 2 * L + a] += w[k];                                          \
            levtot[a]++;                                                                          \
        }                                                                                         \
    }                                                                                             \
    if (w) for (R_xlen_t k = nk; k < W * 64; k++) wk[k] = 0.0;                                    \
    int z = 0; /* derived level: the most common one */                                          \
    for (int a = 1; a < L; a++) if (levtot[a] > levtot[z]) z = a;                                 \
    const double N0 = w ? Nw : (double) nvalid;                                                   \
    if (!hasna) {                                                                                 \
        for (int a = 0; a < L; a++)                                                               \
            for (int b = 0; b < L; b++) {                                                         \
                dpq[a * L + b] = sp->dq[a * L + b] - sp->dq[a * L + z] - sp->dq[z * L + b];       \
                dp1[a * L + b] = sp->d1[a * L + b] - sp->d1[a * L + z] - sp->d1[z * L + b];       \
            }                                                                                     \
        for (int i = 0; i < na; i++) {                                                            \
            double *ri = rd + (R_xlen_t) i * 2 * L;                                               \
            uint32_t m = 0;                                                                       \
            double a2 = 0.0, a1 = 0.0;                                                            \
            for (int a = 0; a < L; a++) {                                                         \
                if (!w) ri[a] = cnt[(R_xlen_t) i * L + a];                                        \
                if (a != z && cnt[(R_xlen_t) i * L + a] > 0) m |= (uint32_t) 1 << a;              \
                a2 += sp->dq[a * L + z] * ri[a];                                                  \
                a1 += sp->d1[a * L + z] * ri[a];                                                  \
            }                                                                                     \
            lm[i] = m; aq[2 * i] = a2; aq[2 * i + 1] = a1;                                        \
            int u = 0;                                                                            \
            for (int a = 0; a < L; a++) {                                                         \
                pm[(R_xlen_t) i * 16 + a] = -1;                                                   \
                if (cnt[(R_xlen_t) i * L + a] > 0) {                                              \
                    pm[(R_xlen_t) i * 16 + a] = (signed char) u;                                  \
                    ul[(R_xlen_t) i * 16 + u++] = (unsigned char) a;                              \
                }                                                                                 \
            }                                                                                     \
            nu[i] = u;                                                                            \
            sim_margin(ri, sp, ri + L, mg + i);                                                   \
        }                                                                                         \
    }                                                                                             \
    for (int i = 0; i < na; i++) {                                                                \
        const uint64_t *Pi = P + (R_xlen_t) i * (L + 1) * W;                                      \
        for (int j = diag ? i : i + 1; j < na; j++) {                                             \
            const uint64_t *Pj = P + (R_xlen_t) j * (L + 1) * W;                                  \
            if (!hasna) {                                                                         \
                const double *ri = rd + (R_xlen_t) i * 2 * L, *cj = rd + (R_xlen_t) j * 2 * L;   \
                double sq = 0.0, s1 = 0.0;                                                        \
                /* T: the joint table restricted to the levels each actor uses, ni x nj */        \
                const int ni = nu[i], nj = nu[j];                                                 \
                const signed char *pi = pm + (R_xlen_t) i * 16, *pj = pm + (R_xlen_t) j * 16;     \
                const unsigned char *ui = ul + (R_xlen_t) i * 16, *uj = ul + (R_xlen_t) j * 16;   \
                if (need_t) for (int c = 0; c < ni * nj; c++) T[c] = 0.0;                         \
                for (uint32_t ma = lm[i]; ma; ma &= ma - 1) {                                     \
                    int a = sim_ctz(ma);                                                          \
                    const uint64_t *A = Pi + (R_xlen_t) a * W;                                    \
                    for (uint32_t mb = lm[j]; mb; mb &= mb - 1) {                                 \
                        int b = sim_ctz(mb);                                                      \
                        const uint64_t *B = Pj + (R_xlen_t) b * W;                                \
                        double s;                                                                 \
                        if (w) {                                                                  \
                            s = 0.0;                                                              \
                            for (R_xlen_t q = 0; q < W; q++) {                                    \
                                for (uint64_t x = A[q] & B[q]; x; x &= x - 1)                     \
                                    s += wk[q * 64 + sim_ctz(x)];                                 \
                            }                                                                     \
                        } else {                                                                  \
                            int c = 0;                                                            \
                            for (R_xlen_t q = 0; q < W; q++) c += POPCNT(A[q] & B[q]);            \
                            s = c;                                                                \
                        }                                                                         \
                        sq += dpq[a * L + b] * s;                                                 \
                        if (need_1) s1 += dp1[a * L + b] * s;                                     \
                        T[pi[a] * nj + pj[b]] = s;                                                \
                    }                                                                             \
                }                                                                                 \
                R_xlen_t r = o->row++;                                                            \
                o->pid[r] = period; o->id1[r] = ids[i]; o->id2[r] = ids[j];                       \
                if (o->n) o->n[r] = nvalid;                                                       \
                if (!(nvalid > 0 && N0 > 0.0)) {                                                  \
                    for (int m = 0; m < nmeth; m++) o->col[m][r] = NA_REAL;                       \
                    continue;                                                                     \
                }                                                                                 \
                double Do = (aq[2 * i] + aq[2 * j] + sq) / N0;                                    \
                double D1 = need_1 ? (aq[2 * i + 1] + aq[2 * j + 1] + s1) / N0 : 0.0;             \
                double Dek = 0.0, Dep = 0.0, tb = NA_REAL;                                        \
                if (need_e) {                                                                     \
                    double rc = 0.0;                                                              \
                    for (int a = 0; a < L; a++) rc += ri[a] * mg[j].u[a];                         \
                    Dek = rc / (N0 * N0);                                                         \
                    Dep = (mg[i].Q + mg[j].Q + 2.0 * rc) / (4.0 * N0 * N0);                       \
                }                                                                                 \
                if (need_t && mg[i].P > 0.0 && mg[j].P > 0.0) {                                   \
                    /* row and column of z from the margins (zero when an actor does not use z) */\
                    const int zi = pi[z], zj = pj[z];                                             \
                    double rest = 0.0, colz = 0.0;                                                \
                    for (int ra = 0; ra < ni; ra++) {                                             \
                        if (ra == zi) continue;                                                   \
                        rest += ri[ui[ra]];                                                       \
                        if (zj < 0) continue;                                                     \
                        double rowsum = 0.0;                                                      \
                        for (int cb = 0; cb < nj; cb++) if (cb != zj) rowsum += T[ra * nj + cb];  \
                        T[ra * nj + zj] = ri[ui[ra]] - rowsum;                                    \
                    }                                                                             \
                    if (zi >= 0) {                                                                \
                        for (int cb = 0; cb < nj; cb++) {                                         \
                            if (cb == zj) continue;                                               \
                            double colsum = 0.0;                                                  \
                            for (int ra = 0; ra < ni; ra++) if (ra != zi) colsum += T[ra * nj + cb]; \
                            T[zi * nj + cb] = cj[uj[cb]] - colsum;                                \
                            colz += T[zi * nj + cb];                                              \
                        }                                                                         \
                        if (zj >= 0) T[zi * nj + zj] = N0 - rest - colz;                          \
                    }                                                                             \
                    tb = sim_cd_rect(T, ni, nj, scr) / sqrt(mg[i].P * mg[j].P);                   \
                }                                                                                 \
                sim_finish(sp, Do, D1, Dek, Dep, tb, val);                                        \
                for (int m = 0; m < nmeth; m++) o->col[m][r] = val[m];                            \
            } else {                                                                              \
                int n = 0;                                                                        \
                for (int a = 0; a < L; a++) {                                                     \
                    const uint64_t *A = Pi + (R_xlen_t) a * W;                                    \
                    for (int b = 0; b < L; b++) {                                                 \
                        const uint64_t *B = Pj + (R_xlen_t) b * W;                                \
                        int s = 0;                                                                \
                        for (R_xlen_t q = 0; q < W; q++) s += POPCNT(A[q] & B[q]);                \
                        T[a * L + b] = s; n += s;                                                 \
                    }                                                                             \
                }                                                                                 \
                sim_emit(o, sp, period, ids[i], ids[j], T, n, n, NULL, NULL, val, scr);           \
            }                                                                                     \
        }                                                                                         \
    }                                                                                             \
}

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define SIM_HAVE_HWPOP 1
SIM_BITS_KERNEL(sim_period_bits_hw, __attribute__((target("popcnt"))), __builtin_popcountll)
#endif
SIM_BITS_KERNEL(sim_period_bits_sw, , sim_popcount_generic)

/* Direct kernel (weighted with missing codes, or many levels): codes per actor as bytes, level L
 * meaning missing; the joint table is accumulated item by item, weights in T and counts in C. */
static void sim_period_direct(const unsigned char *codes, int na, int nk, const double *w,
                              const int *ids, int period, int diag, const sim_spec *sp,
                              char *scratch, sim_out *o) {
    const int L = sp->L, L1 = L + 1;
    char *p = SIM_ALIGN(scratch);
    double *T1 = (double *) p; p = SIM_ALIGN(p + (size_t) L1 * L1 * sizeof(double));
    double *T = (double *) p; p = SIM_ALIGN(p + (size_t) L * L * sizeof(double));
    double *val = (double *) p; p = SIM_ALIGN(p + (size_t) 8 * sizeof(double));
    double *scr = (double *) p; p = SIM_ALIGN(p + (size_t) 6 * L * sizeof(double));
    int *C = (int *) p; p = SIM_ALIGN(p + (size_t) L1 * L1 * sizeof(int));
    unsigned char *X = (unsigned char *) p;
    /* X[i * nk + k]: level of actor i on item k, L when missing or the item's weight is missing */
    for (R_xlen_t k = 0; k < nk; k++) {
        int wok = (w == NULL) || !ISNAN(w[k]);
        const unsigned char *ck = codes + k * (R_xlen_t) na;
        for (int i = 0; i < na; i++) {
            int a = ck[i];
            X[(R_xlen_t) i * nk + k] = (unsigned char) ((wok && a < L) ? a : L);
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

/* ---- the batch driver ---- */

/* Rows of output for a batch: every unordered pair of each period (and i == j when diag). */
static R_xlen_t sim_batch_rows(const sim_batch *b, int diag) {
    R_xlen_t nrow = 0;
    for (R_xlen_t t = 0; t < b->np; t++)
        nrow += (R_xlen_t) b->na[t] * (b->na[t] - 1) / 2 + (diag ? b->na[t] : 0);
    return nrow;
}

static void sim_check(int ok, const char *fn, const char *what) {
    if (!ok) Rf_error("internal error in %s(): %s", fn, what);
}

/* Distance tables and method flags for levels lev (L of them, increasing) and exponent q. */
static void sim_spec_init(sim_spec *sp, const double *lev, int L, int q, const int *meth, int nmeth) {
    double *dq = (double *) R_alloc((size_t) L * L, sizeof(double));
    double *d1 = (double *) R_alloc((size_t) L * L, sizeof(double));
    double range = lev[L - 1] - lev[0];
    for (int a = 0; a < L; a++)
        for (int b = 0; b < L; b++) {
            double d = L > 1 ? fabs(lev[a] - lev[b]) / range : 0.0;
            d1[a * L + b] = d;
            dq[a * L + b] = q == 2 ? d * d : d;
        }
    sp->L = L; sp->has_range = L > 1 && range > 0.0;
    sp->dq = dq; sp->d1 = d1; sp->nmeth = nmeth; sp->meth = meth;
    sp->need_q = sp->need_1 = sp->need_e = sp->need_t = 0;
    for (int m = 0; m < nmeth; m++) {
        int k = meth[m];
        if (k == SIM_S || k == SIM_KAPPA || k == SIM_PI) sp->need_q = 1;
        if (k == SIM_KAPPA || k == SIM_PI) sp->need_e = 1;
        if (k == SIM_AGREE) sp->need_1 = 1;
        if (k == SIM_TAUB) sp->need_t = 1;
    }
}

/* Large output columns are written once, front to back, right after allocation: on Linux, ask
 * for transparent huge pages on their whole 2 MB blocks, which cuts the page faults of the first
 * touch by 512 (advice only; nothing changes where the kernel declines). */
static void sim_advise_huge(void *p, size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const uintptr_t H = (uintptr_t) 1 << 21;
    uintptr_t a = ((uintptr_t) p + H - 1) & ~(H - 1), e = ((uintptr_t) p + bytes) & ~(H - 1);
    if (e > a) (void) madvise((void *) a, e - a, MADV_HUGEPAGE);
#else
    (void) p; (void) bytes;
#endif
}

/* Allocates the output list (period, id1, id2, [n,] one double column per method) and runs every
 * period of the batch into it. */
static SEXP sim_run(const sim_batch *b, const sim_spec *sp, int diag, int with_n) {
    int nprotect = 0;
    const int nmeth = sp->nmeth, nfix = with_n ? 4 : 3;
    R_xlen_t nrow = sim_batch_rows(b, diag);
    size_t maxscr = 0;
    for (R_xlen_t t = 0; t < b->np; t++) {
        size_t s = sim_scratch_bytes(b->na[t], b->nk[t], sp->L);
        if (s > maxscr) maxscr = s;
    }
    SEXP out = PROTECT(Rf_allocVector(VECSXP, nfix + nmeth)); nprotect++;
    for (int c = 0; c < nfix; c++) SET_VECTOR_ELT(out, c, Rf_allocVector(INTSXP, nrow));
    for (int m = 0; m < nmeth; m++) SET_VECTOR_ELT(out, nfix + m, Rf_allocVector(REALSXP, nrow));
    double **cols = (double **) R_alloc(nmeth, sizeof(double *));
    for (int m = 0; m < nmeth; m++) cols[m] = REAL(VECTOR_ELT(out, nfix + m));
    for (int c = 0; c < nfix; c++) sim_advise_huge(INTEGER(VECTOR_ELT(out, c)), (size_t) nrow * sizeof(int));
    for (int m = 0; m < nmeth; m++) sim_advise_huge(cols[m], (size_t) nrow * sizeof(double));
    sim_out o = { INTEGER(VECTOR_ELT(out, 0)), INTEGER(VECTOR_ELT(out, 1)),
                  INTEGER(VECTOR_ELT(out, 2)), with_n ? INTEGER(VECTOR_ELT(out, 3)) : NULL,
                  cols, 0 };
    char *scratch = R_alloc(maxscr + 64, 1);

    int hw = 0;
#ifdef SIM_HAVE_HWPOP
    __builtin_cpu_init();
    hw = __builtin_cpu_supports("popcnt");
#endif
    R_xlen_t xofs = 0, aofs = 0, kofs = 0;
    for (R_xlen_t t = 0; t < b->np; t++) {
        const int na = b->na[t], nk = b->nk[t];
        const unsigned char *X = b->X + xofs;
        const double *w = b->w ? b->w + kofs : NULL;
        const int *ids = b->ids + aofs;
        int hasna = sim_period_hasna(X, na, nk, w, sp->L);
        if (sp->L <= SIM_BITS_MAX_LEVELS && !(w && hasna)) {
#ifdef SIM_HAVE_HWPOP
            if (hw) sim_period_bits_hw(X, na, nk, w, hasna, ids, b->pid[t], diag, sp, scratch, &o);
            else
#endif
            sim_period_bits_sw(X, na, nk, w, hasna, ids, b->pid[t], diag, sp, scratch, &o);
        } else {
            sim_period_direct(X, na, nk, w, ids, b->pid[t], diag, sp, scratch, &o);
        }
        xofs += (R_xlen_t) na * nk; aofs += na; kofs += nk;
        R_CheckUserInterrupt();
    }
    (void) hw;
    UNPROTECT(nprotect);
    return out;
}

/* Method codes and q from their SEXPs, checked. */
static void sim_check_common(SEXP q, SEXP methods, const char *fn) {
    sim_check(TYPEOF(q) == INTSXP && XLENGTH(q) == 1 && (INTEGER(q)[0] == 1 || INTEGER(q)[0] == 2),
              fn, "`q` must be 1L or 2L");
    sim_check(TYPEOF(methods) == INTSXP && XLENGTH(methods) >= 1 && XLENGTH(methods) <= 5,
              fn, "`methods` must be an integer vector of length 1 to 5");
    const int *meth = INTEGER(methods);
    for (R_xlen_t m = 0; m < XLENGTH(methods); m++)
        sim_check(meth[m] >= 1 && meth[m] <= 5, fn, "unknown method code");
}

/* ---- entry point: codes matrices given ---- */

/* codes: integer, the concatenated na_t x nk_t column-major matrices of level indices 0..L-1
 * (NA missing); nactor, nitem, period_id: integer, one per period; levels: double, increasing;
 * weights: NULL or double, one per item of every period; q: 1 or 2; methods: codes 1..5;
 * actor_id: integer, one per actor of every period; diag: include i == j pairs.
 * Returns an unnamed list: period, id1, id2, n, then one double column per method. */
SEXP ffi_similarity(SEXP codes, SEXP nactor, SEXP nitem, SEXP levels, SEXP weights, SEXP q,
                    SEXP methods, SEXP actor_id, SEXP period_id, SEXP diag) {
    const char *fn = "ffi_similarity";
    sim_check(TYPEOF(codes) == INTSXP, fn, "`codes` must be an integer vector");
    sim_check(TYPEOF(nactor) == INTSXP && TYPEOF(nitem) == INTSXP && TYPEOF(period_id) == INTSXP,
              fn, "`nactor`, `nitem` and `period_id` must be integer vectors");
    R_xlen_t np = XLENGTH(nactor);
    sim_check(XLENGTH(nitem) == np && XLENGTH(period_id) == np,
              fn, "`nactor`, `nitem` and `period_id` must have the same length");
    sim_check(TYPEOF(levels) == REALSXP && XLENGTH(levels) >= 1 && XLENGTH(levels) <= SIM_MAX_LEVELS,
              fn, "`levels` must be a double vector of length 1 to 255");
    sim_check_common(q, methods, fn);
    sim_check(TYPEOF(actor_id) == INTSXP, fn, "`actor_id` must be an integer vector");
    sim_check(TYPEOF(diag) == LGLSXP && XLENGTH(diag) == 1 && LOGICAL(diag)[0] != NA_LOGICAL,
              fn, "`diag` must be TRUE or FALSE");
    sim_check(Rf_isNull(weights) || TYPEOF(weights) == REALSXP, fn, "`weights` must be NULL or double");

    const int L = (int) XLENGTH(levels);
    const double *lev = REAL(levels);
    for (int a = 0; a < L; a++) sim_check(R_FINITE(lev[a]) && (a == 0 || lev[a] > lev[a - 1]),
                                           fn, "`levels` must be finite and increasing");
    const int *na = INTEGER(nactor), *nk = INTEGER(nitem);
    R_xlen_t totcell = 0, totact = 0, totitem = 0;
    for (R_xlen_t t = 0; t < np; t++) {
        sim_check(na[t] >= 0 && nk[t] >= 0, fn, "`nactor` and `nitem` must be non-negative");
        sim_check((double) na[t] * nk[t] < 4e15, fn, "a period is too large");
        totcell += (R_xlen_t) na[t] * nk[t];
        totact += na[t]; totitem += nk[t];
    }
    sim_check(XLENGTH(codes) == totcell, fn, "`codes` must have sum(nactor * nitem) elements");
    sim_check(XLENGTH(actor_id) == totact, fn, "`actor_id` must have sum(nactor) elements");
    sim_check(Rf_isNull(weights) || XLENGTH(weights) == totitem,
              fn, "`weights` must have sum(nitem) elements");
    const int *cd = INTEGER(codes);
    unsigned char *X = (unsigned char *) R_alloc(totcell + 1, 1);
    for (R_xlen_t k = 0; k < totcell; k++) {
        sim_check(cd[k] == NA_INTEGER || (cd[k] >= 0 && cd[k] < L), fn, "`codes` out of range");
        X[k] = (unsigned char) (cd[k] == NA_INTEGER ? L : cd[k]);
    }
    sim_spec sp;
    sim_spec_init(&sp, lev, L, INTEGER(q)[0], INTEGER(methods), (int) XLENGTH(methods));
    sim_batch b = { np, na, nk, INTEGER(period_id), INTEGER(actor_id), X,
                    Rf_isNull(weights) ? NULL : REAL(weights) };
    return sim_run(&b, &sp, LOGICAL(diag)[0], 1);
}

/* ---- alliance portfolios built in C ---- */

/* Three-valued "any" of integer flags: 1 when one is non-zero, NA_INTEGER when none is but one is
 * NA, else 0 (R's `|`). */
static inline int sim_any3(const int *f, int nf) {
    int na = 0;
    for (int m = 0; m < nf; m++) {
        if (f[m] == NA_INTEGER) na = 1;
        else if (f[m] != 0) return 1;
    }
    return na ? NA_INTEGER : 0;
}

/* Per-year system members (sorted by ccode) from state spells [sy, ey] (years), and each
 * (year, ccode)'s local index in lut[t * SIM_NCCODE + ccode] (-1 when not a member).
 * First call with ids == NULL counts members into na; then fill ids (sum(na) of them). */
static void sim_members_core(int np, const int *years, int ns, const int *cc, const int *sy,
                             const int *ey, int *lut, int *na, int *ids) {
    R_xlen_t aofs = 0;
    for (int t = 0; t < np; t++) {
        int *lt = lut + (R_xlen_t) t * SIM_NCCODE;
        for (int c = 0; c < SIM_NCCODE; c++) lt[c] = -1;
        for (int s = 0; s < ns; s++) {
            if (cc[s] == NA_INTEGER || cc[s] < 0 || cc[s] >= SIM_NCCODE) continue;
            if (sy[s] == NA_INTEGER || ey[s] == NA_INTEGER) continue;
            if (sy[s] <= years[t] && years[t] <= ey[s]) lt[cc[s]] = 0;
        }
        int m = 0;
        for (int c = 0; c < SIM_NCCODE; c++) {
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
static void sim_alliance_codes(int np, const int *years, const int *lut, const int *na,
                               const R_xlen_t *xofs, R_xlen_t nal, const int *ay, const int *c1,
                               const int *c2, const int *const *fl, int valued, int cov0,
                               int cov1, const int *ylut, int y0, int y1, int L,
                               unsigned char *X) {
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
            c1[r] >= SIM_NCCODE || c2[r] >= SIM_NCCODE) continue;
        int i1 = lut[(R_xlen_t) t * SIM_NCCODE + c1[r]], i2 = lut[(R_xlen_t) t * SIM_NCCODE + c2[r]];
        if (i1 < 0 || i2 < 0 || i1 == i2) continue;
        /* flags: defense, offense, neutral, nonagg, consul */
        int f[5];
        for (int m = 0; m < 5; m++) f[m] = fl[m][r];
        int v;
        if (valued) {
            int def = sim_any3(f, 2), nc[2] = { f[2], f[4] }, neu = sim_any3(nc, 2);
            int non = f[3] == NA_INTEGER ? NA_INTEGER : f[3] > 0;
            if (def == NA_INTEGER || neu == NA_INTEGER || non == NA_INTEGER) v = -1;
            else v = def ? 3 : neu ? 2 : non;
        } else {
            int any = sim_any3(f, 5);
            v = any == NA_INTEGER ? -1 : any;
        }
        unsigned char *cell = X + xofs[t] + (R_xlen_t) i2 * na[t] + i1;
        if (v < 0 || *cell == miss) *cell = miss;
        else if (v > *cell) *cell = (unsigned char) v;
    }
}

/* Checks a list of n integer columns of equal length; returns that length. */
static R_xlen_t sim_int_cols(SEXP x, int n, const char *fn, const char *what) {
    sim_check(TYPEOF(x) == VECSXP && XLENGTH(x) == n, fn, what);
    R_xlen_t len = n ? XLENGTH(VECTOR_ELT(x, 0)) : 0;
    for (int m = 0; m < n; m++)
        sim_check(TYPEOF(VECTOR_ELT(x, m)) == INTSXP && XLENGTH(VECTOR_ELT(x, m)) == len, fn, what);
    return len;
}

/* years: sorted distinct integer years; states: list(ccode, start year, end year) of integer
 * columns; alliances: list(year, ccode1, ccode2, defense, offense, neutral, nonagg, consul) of
 * integer columns; coding: 1 valued (levels 0:3), 2 binary (0:1); cover: integer c(first, last)
 * year the alliance data covers; cap: NULL or list(year, ccode, cinc) weighting each partner;
 * q: 1 or 2; methods: codes 1..5.
 * Returns an unnamed list: year, ccode1, ccode2, then one double column per method. */
SEXP ffi_alliance_similarity(SEXP years, SEXP states, SEXP alliances, SEXP coding, SEXP cover,
                             SEXP cap, SEXP q, SEXP methods) {
    const char *fn = "ffi_alliance_similarity";
    sim_check(TYPEOF(years) == INTSXP, fn, "`years` must be an integer vector");
    const int np = (int) XLENGTH(years);
    const int *yr = INTEGER(years);
    for (int t = 0; t < np; t++)
        sim_check(yr[t] != NA_INTEGER && (t == 0 || yr[t] > yr[t - 1]) && yr[t] > -100000 &&
                  yr[t] < 100000, fn, "`years` must be increasing, distinct and not NA");
    R_xlen_t ns = sim_int_cols(states, 3, fn, "`states` must be a list of 3 integer columns");
    R_xlen_t nal = sim_int_cols(alliances, 8, fn, "`alliances` must be a list of 8 integer columns");
    sim_check(TYPEOF(coding) == INTSXP && XLENGTH(coding) == 1 &&
              (INTEGER(coding)[0] == 1 || INTEGER(coding)[0] == 2), fn, "`coding` must be 1L or 2L");
    sim_check(TYPEOF(cover) == INTSXP && XLENGTH(cover) == 2, fn, "`cover` must be 2 integers");
    sim_check(Rf_isNull(cap) || (TYPEOF(cap) == VECSXP && XLENGTH(cap) == 3 &&
              TYPEOF(VECTOR_ELT(cap, 0)) == INTSXP && TYPEOF(VECTOR_ELT(cap, 1)) == INTSXP &&
              TYPEOF(VECTOR_ELT(cap, 2)) == REALSXP &&
              XLENGTH(VECTOR_ELT(cap, 1)) == XLENGTH(VECTOR_ELT(cap, 0)) &&
              XLENGTH(VECTOR_ELT(cap, 2)) == XLENGTH(VECTOR_ELT(cap, 0))),
              fn, "`cap` must be NULL or list(year = integer, ccode = integer, cinc = double)");
    sim_check_common(q, methods, fn);
    sim_check(ns < INT_MAX, fn, "too many states");

    const int valued = INTEGER(coding)[0] == 1, L = valued ? 4 : 2;
    /* year -> period index */
    const int y0 = np ? yr[0] : 0, y1 = np ? yr[np - 1] : -1;
    int *ylut = (int *) R_alloc((size_t) (y1 - y0 + 2), sizeof(int));
    for (int y = y0; y <= y1; y++) ylut[y - y0] = -1;
    for (int t = 0; t < np; t++) ylut[yr[t] - y0] = t;
    int *lut = (int *) R_alloc((size_t) np * SIM_NCCODE + 1, sizeof(int));
    int *na = (int *) R_alloc((size_t) np + 1, sizeof(int));
    const int *scc = INTEGER(VECTOR_ELT(states, 0)), *ssy = INTEGER(VECTOR_ELT(states, 1)),
              *sey = INTEGER(VECTOR_ELT(states, 2));
    sim_members_core(np, yr, (int) ns, scc, ssy, sey, lut, na, NULL);
    R_xlen_t totact = 0, totcell = 0;
    R_xlen_t *xofs = (R_xlen_t *) R_alloc((size_t) np + 1, sizeof(R_xlen_t));
    for (int t = 0; t < np; t++) {
        xofs[t] = totcell;
        totact += na[t]; totcell += (R_xlen_t) na[t] * na[t];
    }
    int *ids = (int *) R_alloc((size_t) totact + 1, sizeof(int));
    sim_members_core(np, yr, (int) ns, scc, ssy, sey, lut, na, ids);
    unsigned char *X = (unsigned char *) R_alloc((size_t) totcell + 1, 1);
    const int *fl[5];
    for (int m = 0; m < 5; m++) fl[m] = INTEGER(VECTOR_ELT(alliances, 3 + m));
    sim_alliance_codes(np, yr, lut, na, xofs, nal, INTEGER(VECTOR_ELT(alliances, 0)),
                       INTEGER(VECTOR_ELT(alliances, 1)), INTEGER(VECTOR_ELT(alliances, 2)), fl,
                       valued, INTEGER(cover)[0], INTEGER(cover)[1], ylut, y0, y1, L, X);
    double *w = NULL;
    if (!Rf_isNull(cap)) {
        /* partner weights: the first capabilities row of (year, ccode), NaN when none */
        w = (double *) R_alloc((size_t) totact + 1, sizeof(double));
        for (R_xlen_t k = 0; k < totact; k++) w[k] = NA_REAL;
        R_xlen_t *aofs = (R_xlen_t *) R_alloc((size_t) np + 1, sizeof(R_xlen_t));
        R_xlen_t a = 0;
        for (int t = 0; t < np; t++) { aofs[t] = a; a += na[t]; }
        const int *cy = INTEGER(VECTOR_ELT(cap, 0)), *cc = INTEGER(VECTOR_ELT(cap, 1));
        const double *cv = REAL(VECTOR_ELT(cap, 2));
        for (R_xlen_t r = XLENGTH(VECTOR_ELT(cap, 0)) - 1; r >= 0; r--) {
            if (cy[r] == NA_INTEGER || cy[r] < y0 || cy[r] > y1) continue;
            if (cc[r] == NA_INTEGER || cc[r] < 0 || cc[r] >= SIM_NCCODE) continue;
            int t = ylut[cy[r] - y0];
            if (t < 0) continue;
            int i = lut[(R_xlen_t) t * SIM_NCCODE + cc[r]];
            if (i >= 0) w[aofs[t] + i] = cv[r];
        }
    }
    double lev[4] = { 0.0, 1.0, 2.0, 3.0 };
    sim_spec sp;
    sim_spec_init(&sp, lev, L, INTEGER(q)[0], INTEGER(methods), (int) XLENGTH(methods));
    sim_batch b = { np, na, na, yr, ids, X, w };
    return sim_run(&b, &sp, 0, 0);
}

/* ---- UN votes built in C ---- */

/* years: sorted distinct integer years; rc_rcid, rc_period: the selected roll calls, sorted by
 * period (1-based index into years); votes: list(rcid, ccode, vote) of integer columns, votes
 * 1 yes, 2 abstain, 3 no, NA absent; q: 1 or 2; methods: codes 1..5. The actors of a year are
 * the states with a vote in its roll calls, its items the roll calls (levels 1:3).
 * Returns an unnamed list: year, ccode1, ccode2, n, then one double column per method. */
SEXP ffi_vote_similarity(SEXP years, SEXP rc_rcid, SEXP rc_period, SEXP votes, SEXP q,
                         SEXP methods) {
    const char *fn = "ffi_vote_similarity";
    sim_check(TYPEOF(years) == INTSXP, fn, "`years` must be an integer vector");
    sim_check(TYPEOF(rc_rcid) == INTSXP && TYPEOF(rc_period) == INTSXP &&
              XLENGTH(rc_rcid) == XLENGTH(rc_period), fn,
              "`rc_rcid` and `rc_period` must be integer vectors of the same length");
    R_xlen_t nv = sim_int_cols(votes, 3, fn, "`votes` must be a list of 3 integer columns");
    sim_check_common(q, methods, fn);
    const int np = (int) XLENGTH(years);
    const R_xlen_t nrc = XLENGTH(rc_rcid);
    const int *rid = INTEGER(rc_rcid), *rp = INTEGER(rc_period);
    sim_check(nrc < INT_MAX, fn, "too many roll calls");
    int maxid = 0;
    for (R_xlen_t r = 0; r < nrc; r++) {
        sim_check(rp[r] != NA_INTEGER && rp[r] >= 1 && rp[r] <= np && (r == 0 || rp[r] >= rp[r - 1]),
                  fn, "`rc_period` must be sorted period indices");
        sim_check(rid[r] != NA_INTEGER && rid[r] >= 0 && rid[r] < 100000000, fn,
                  "`rc_rcid` must be non-negative and not NA");
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
    /* voters of each year: lut[t * SIM_NCCODE + ccode] */
    int *lut = (int *) R_alloc((size_t) np * SIM_NCCODE + 1, sizeof(int));
    for (R_xlen_t c = 0; c < (R_xlen_t) np * SIM_NCCODE; c++) lut[c] = -1;
    for (R_xlen_t r = 0; r < nv; r++) {
        if (vr[r] == NA_INTEGER || vr[r] < 0 || vr[r] > maxid || vv[r] == NA_INTEGER) continue;
        int k = rlut[vr[r]];
        if (k < 0) continue;
        sim_check(vv[r] >= 1 && vv[r] <= 3, fn, "votes must be 1, 2, 3 or NA");
        sim_check(vc[r] != NA_INTEGER && vc[r] >= 0 && vc[r] < SIM_NCCODE, fn,
                  "a vote's ccode is NA or out of range");
        lut[(R_xlen_t) (rp[k] - 1) * SIM_NCCODE + vc[r]] = 0;
    }
    int *na = (int *) R_alloc((size_t) np + 1, sizeof(int));
    R_xlen_t totact = 0, totcell = 0;
    R_xlen_t *xofs = (R_xlen_t *) R_alloc((size_t) np + 1, sizeof(R_xlen_t));
    for (int t = 0; t < np; t++) {
        int m = 0;
        int *lt = lut + (R_xlen_t) t * SIM_NCCODE;
        for (int c = 0; c < SIM_NCCODE; c++) if (lt[c] >= 0) lt[c] = m++;
        na[t] = m; xofs[t] = totcell;
        totact += m; totcell += (R_xlen_t) m * nk[t];
    }
    int *ids = (int *) R_alloc((size_t) totact + 1, sizeof(int));
    for (int t = 0, a = 0; t < np; t++) {
        const int *lt = lut + (R_xlen_t) t * SIM_NCCODE;
        for (int c = 0; c < SIM_NCCODE; c++) if (lt[c] >= 0) ids[a++] = c;
    }
    /* codes: vote - 1, missing (3) when absent; a repeated (rcid, ccode) keeps the last vote */
    unsigned char *X = (unsigned char *) R_alloc((size_t) totcell + 1, 1);
    memset(X, 3, (size_t) totcell);
    for (R_xlen_t r = 0; r < nv; r++) {
        if (vr[r] == NA_INTEGER || vr[r] < 0 || vr[r] > maxid || vv[r] == NA_INTEGER) continue;
        int k = rlut[vr[r]];
        if (k < 0) continue;
        int t = rp[k] - 1;
        int i = lut[(R_xlen_t) t * SIM_NCCODE + vc[r]];
        X[xofs[t] + (R_xlen_t) (k - kofs[t]) * na[t] + i] = (unsigned char) (vv[r] - 1);
    }
    double lev[3] = { 1.0, 2.0, 3.0 };
    sim_spec sp;
    sim_spec_init(&sp, lev, 3, INTEGER(q)[0], INTEGER(methods), (int) XLENGTH(methods));
    sim_batch b = { np, na, nk, INTEGER(years), ids, X, NULL };
    return sim_run(&b, &sp, 0, 1);
}
