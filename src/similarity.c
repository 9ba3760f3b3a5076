/* similarity.c: the similarity engine (Signorino-Ritter S, weighted Cohen's kappa and Scott's pi,
 * Kendall's tau-b, agreement) for every pair of actors in every period, from joint code tables. */
#include "threatbalance.h"
#include <string.h>
#include <math.h>
#include <stdint.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

/* Method codes shared with R/similarity.R (sim_method_codes). */
enum { SIM_S = 1, SIM_KAPPA = 2, SIM_PI = 3, SIM_TAUB = 4, SIM_AGREE = 5 };
#define SIM_MAX_LEVELS 255
/* Periods with at most this many levels use the bit-plane kernel (unweighted, or weighted
 * without missing codes). */
#define SIM_BITS_MAX_LEVELS 16

typedef struct {
    int L;              /* number of levels, 1..SIM_MAX_LEVELS */
    int has_range;      /* levels span a positive range (L >= 2) */
    const double *dq;   /* L*L row-major: (|v_a - v_b| / range)^q */
    const double *d1;   /* L*L row-major: |v_a - v_b| / range */
    int nmeth;
    const int *meth;    /* method codes, nmeth of them */
    int need_q, need_1, need_e, need_t; /* which intermediate quantities the methods use */
} measure_spec;

/* ---- popcount, with a hardware path chosen at run time on x86-64 ---- */

static inline int popcount_generic(uint64_t x) {
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return (int) ((x * 0x0101010101010101ULL) >> 56);
}

/* index of the lowest set bit of a non-zero word */
static inline int ctz64(uint64_t x) {
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
} margin;

static void margin_stats(const double *r, const measure_spec *sp, double *u, margin *m) {
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
static inline double joint_cd(const double *T, int L, double *acc) {
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
static inline double cd_rows(const double *x, const double *y, int n) {
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

/* joint_cd for an ni x nj table with rows and columns in increasing level order (row stride nj):
 * the sum over rows a of cd_rows(row a, sum of the rows above a). acc: nj doubles. */
static inline double cd_rect(const double *T, int ni, int nj, double *acc) {
    if (ni == 2) return cd_rows(T, T + nj, nj);
    double cd = 0.0;
    const double *last = T + (R_xlen_t) (ni - 1) * nj;
    for (int b = 0; b < nj; b++) acc[b] = last[b];
    for (int a = ni - 2; a >= 0; a--) {
        const double *Ta = T + (R_xlen_t) a * nj;
        cd += cd_rows(Ta, acc, nj);
        for (int b = 0; b < nj; b++) acc[b] += Ta[b];
    }
    return cd;
}

/* One value per method from the observed (Do, D1) and expected (Dek, Dep) distances and tau-b
 * (NA when undefined). */
static inline void finish_measures(const measure_spec *sp, double Do, double D1, double Dek,
                                   double Dep, double tb, double *out) {
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
static inline void table_measures(const double *T, double N, const margin *mr, const margin *mc,
                                  const measure_spec *sp, double *out, double *scr) {
    const int L = sp->L;
    if (!(N > 0.0)) {
        for (int m = 0; m < sp->nmeth; m++) out[m] = NA_REAL;
        return;
    }
    margin rr, cc;
    if ((sp->need_e || sp->need_t) && (mr == NULL || mc == NULL)) {
        double *r = scr, *c = scr + L;
        for (int a = 0; a < L; a++) { r[a] = 0.0; c[a] = 0.0; }
        for (int a = 0; a < L; a++) {
            const double *Ta = T + (R_xlen_t) a * L;
            for (int b = 0; b < L; b++) { r[a] += Ta[b]; c[b] += Ta[b]; }
        }
        margin_stats(r, sp, scr + 2 * L, &rr);
        margin_stats(c, sp, scr + 3 * L, &cc);
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
    if (sp->need_t && mr->P > 0.0 && mc->P > 0.0) tb = joint_cd(T, L, acc) / sqrt(mr->P * mc->P);
    finish_measures(sp, Do, D1, Dek, Dep, tb, out);
}

/* ---- per-period kernels ---- */

/* Output cursor: the columns being filled (n may be NULL) and the next row; work counts the
 * operations (word popcounts, items) since the last interrupt check and pair_cost what one pair
 * of the current period costs, so that a single large period is interruptible. */
typedef struct {
    int *pid, *id1, *id2, *n;
    double **col;   /* nmeth columns */
    R_xlen_t row;
    double work, pair_cost;
} out_cursor;

/* Interrupt checks by work done: about every 2^24 operations (a few ms). */
#define SIM_WORK_CHECK 16777216.0
static inline void pair_done(out_cursor *o) {
    o->work += o->pair_cost;
    if (o->work > SIM_WORK_CHECK) { o->work = 0.0; R_CheckUserInterrupt(); }
}

static inline void emit_pair(out_cursor *o, const measure_spec *sp, int period, int ida, int idb,
                             const double *T, double N, int n, const margin *mr,
                             const margin *mc, double *val, double *scr) {
    R_xlen_t r = o->row++;
    o->pid[r] = period; o->id1[r] = ida; o->id2[r] = idb;
    if (o->n) o->n[r] = n;
    table_measures(T, n > 0 ? N : 0.0, mr, mc, sp, val, scr);
    for (int m = 0; m < sp->nmeth; m++) o->col[m][r] = val[m];
    pair_done(o);
}

/* Scratch sizes (in bytes) that one period of na actors and nk items needs. */
static size_t scratch_bytes(int na, int nk, int L) {
    size_t W = ((size_t) nk + 63) / 64;
    size_t s = 0;
    s += (size_t) (L + 1) * (L + 1) * sizeof(double) * 2 + (size_t) (8 * L + 16) * sizeof(double) + 256;
    size_t bits = 0, direct = 0;
    if (L <= SIM_BITS_MAX_LEVELS) {
        bits = ((size_t) na * (L + 1) * W) * sizeof(uint64_t) + (size_t) na * L * sizeof(int) +
               (size_t) na * 2 * L * sizeof(double) + (size_t) na * sizeof(margin) +
               (size_t) na * sizeof(uint32_t) + (size_t) W * 64 * sizeof(double) +
               (size_t) na * 2 * sizeof(double) + (size_t) 3 * L * L * sizeof(double) +
               (size_t) na * (32 + sizeof(int)) + 256;
    }
    direct = (size_t) na * nk + (size_t) (L + 1) * (L + 1) * sizeof(int) + 64;
    return s + (bits > direct ? bits : direct);
}

#define SIM_ALIGN(p) ((char *) (((uintptr_t) (p) + 15) & ~(uintptr_t) 15))

/* Does the period have a missing code on an item that counts (weight not NaN)? */
static int period_has_missing(const unsigned char *X, int na, int nk, const double *w, int L) {
    for (R_xlen_t k = 0; k < nk; k++) {
        if (w && ISNAN(w[k])) continue;
        const unsigned char *ck = X + k * (R_xlen_t) na;
        for (int i = 0; i < na; i++) if (ck[i] >= L) return 1;
    }
    return 0;
}

/* ---- the bit-plane kernel ----
 * Planes P[i][a] (items where actor i has level a) and valid masks V[i]; the joint count of
 * (a, b) for pair (i, j) is popcount(P[i][a] & P[j][b]), the joint weight the sum of the item
 * weights over its set bits. Items with a NaN weight are in no plane.
 * Without missing codes every pair compares the same items, so only the cells K off the most
 * common level z are counted (and only for levels both actors use: masks lm); the row and column
 * of z follow from the actors' own margins r, and the observed distance is linear in the table:
 * sum_ab d_ab T_ab = alpha_i + alpha_j + sum_{a,b != z} (d_ab - d_az - d_zb) K_ab with
 * alpha_i = sum_a d_az r_ia. With missing codes (unweighted only) every cell is counted. */

/* The planes of one period and what the pair loops need, carved from the period's scratch. */
typedef struct {
    int L, nvalid, z;   /* levels; items that count; the most common level */
    double N0;          /* total weight (or count) of the items that count */
    R_xlen_t W;         /* 64-bit words per plane */
    /* plane layout: actor i, level a (a = L is the valid mask) at P + (i * (L + 1) + a) * W */
    uint64_t *P;
    int *cnt;           /* na * L: items per actor and level */
    double *rd;         /* na * 2L: per actor its margin r (counts or weights), then u = D r */
    double *aq;         /* na * 2: alpha_i for the q-distances and for the linear ones */
    margin *mg;         /* na: the actors' margin statistics */
    uint32_t *lm;       /* na: the levels other than z the actor uses, as a bit mask */
    /* per actor: the levels it uses in increasing order (ul, nu of them), each level's position
     * among them or -1 (pm); 16 slots per actor */
    unsigned char *ul;
    signed char *pm;
    int *nu;
    double *wk;         /* W * 64 item weights, 0 past nk and for dropped items */
    double *dpq, *dp1;  /* L * L: d_ab - d_az - d_zb, for the q-distances and the linear ones */
    double *T, *val, *scr; /* per-pair scratch: joint table, one value per method, 6 * L */
} bit_planes;

/* Carves the planes from scratch and fills them from the codes X (na actors x nk items) and the
 * item weights w (or NULL). */
static void planes_build(bit_planes *pl, const unsigned char *X, int na, int nk, const double *w,
                         const measure_spec *sp, char *scratch) {
    const int L = sp->L;
    const R_xlen_t W = ((R_xlen_t) nk + 63) / 64;
    char *p = SIM_ALIGN(scratch);
    pl->T = (double *) p; p = SIM_ALIGN(p + (size_t) L * L * sizeof(double));
    pl->dpq = (double *) p; p = SIM_ALIGN(p + (size_t) L * L * sizeof(double));
    pl->dp1 = (double *) p; p = SIM_ALIGN(p + (size_t) L * L * sizeof(double));
    pl->val = (double *) p; p = SIM_ALIGN(p + (size_t) 8 * sizeof(double));
    pl->scr = (double *) p; p = SIM_ALIGN(p + (size_t) 6 * L * sizeof(double));
    uint64_t *P = pl->P = (uint64_t *) p;
    p = SIM_ALIGN(p + (size_t) na * (L + 1) * W * sizeof(uint64_t));
    int *cnt = pl->cnt = (int *) p; p = SIM_ALIGN(p + (size_t) na * L * sizeof(int));
    double *rd = pl->rd = (double *) p; p = SIM_ALIGN(p + (size_t) na * 2 * L * sizeof(double));
    pl->aq = (double *) p; p = SIM_ALIGN(p + (size_t) na * 2 * sizeof(double));
    pl->mg = (margin *) p; p = SIM_ALIGN(p + (size_t) na * sizeof(margin));
    pl->lm = (uint32_t *) p; p = SIM_ALIGN(p + (size_t) na * sizeof(uint32_t));
    pl->ul = (unsigned char *) p; p = SIM_ALIGN(p + (size_t) na * 16);
    pl->pm = (signed char *) p; p = SIM_ALIGN(p + (size_t) na * 16);
    pl->nu = (int *) p; p = SIM_ALIGN(p + (size_t) na * sizeof(int));
    double *wk = pl->wk = (double *) p;
    memset(P, 0, (size_t) na * (L + 1) * W * sizeof(uint64_t));
    memset(cnt, 0, (size_t) na * L * sizeof(int));
    memset(rd, 0, (size_t) na * 2 * L * sizeof(double));
    int nvalid = 0;
    double Nw = 0.0;
    R_xlen_t levtot[SIM_BITS_MAX_LEVELS] = {0};
    double work = 0.0;
    for (R_xlen_t k = 0; k < nk; k++) {
        if ((work += na) > SIM_WORK_CHECK) { work = 0.0; R_CheckUserInterrupt(); }
        if (w) {
            wk[k] = ISNAN(w[k]) ? 0.0 : w[k];
            if (ISNAN(w[k])) continue;
            Nw += w[k];
        }
        nvalid++;
        const unsigned char *ck = X + k * (R_xlen_t) na;
        uint64_t bit = (uint64_t) 1 << (k & 63);
        R_xlen_t wd = k >> 6;
        for (int i = 0; i < na; i++) {
            int a = ck[i];
            if (a >= L) continue;
            uint64_t *Pi = P + (R_xlen_t) i * (L + 1) * W;
            Pi[(R_xlen_t) a * W + wd] |= bit;
            Pi[(R_xlen_t) L * W + wd] |= bit;
            cnt[(R_xlen_t) i * L + a]++;
            if (w) rd[(R_xlen_t) i * 2 * L + a] += w[k];
            levtot[a]++;
        }
    }
    if (w) for (R_xlen_t k = nk; k < W * 64; k++) wk[k] = 0.0;
    int z = 0; /* derived level: the most common one */
    for (int a = 1; a < L; a++) if (levtot[a] > levtot[z]) z = a;
    pl->L = L; pl->W = W; pl->z = z; pl->nvalid = nvalid;
    pl->N0 = w ? Nw : (double) nvalid;
}

/* Without missing codes: the derived distances dpq, dp1 and, per actor, its margin (counts when
 * unweighted), alpha, level mask and used levels. */
static void planes_margins(bit_planes *pl, int na, const double *w, const measure_spec *sp) {
    const int L = sp->L, z = pl->z;
    for (int a = 0; a < L; a++)
        for (int b = 0; b < L; b++) {
            pl->dpq[a * L + b] = sp->dq[a * L + b] - sp->dq[a * L + z] - sp->dq[z * L + b];
            pl->dp1[a * L + b] = sp->d1[a * L + b] - sp->d1[a * L + z] - sp->d1[z * L + b];
        }
    for (int i = 0; i < na; i++) {
        const int *ci = pl->cnt + (R_xlen_t) i * L;
        double *ri = pl->rd + (R_xlen_t) i * 2 * L;
        uint32_t m = 0;
        double a2 = 0.0, a1 = 0.0;
        for (int a = 0; a < L; a++) {
            if (!w) ri[a] = ci[a];
            if (a != z && ci[a] > 0) m |= (uint32_t) 1 << a;
            a2 += sp->dq[a * L + z] * ri[a];
            a1 += sp->d1[a * L + z] * ri[a];
        }
        pl->lm[i] = m; pl->aq[2 * i] = a2; pl->aq[2 * i + 1] = a1;
        signed char *pi = pl->pm + (R_xlen_t) i * 16;
        unsigned char *ui = pl->ul + (R_xlen_t) i * 16;
        int u = 0;
        for (int a = 0; a < L; a++) {
            pi[a] = -1;
            if (ci[a] > 0) {
                pi[a] = (signed char) u;
                ui[u++] = (unsigned char) a;
            }
        }
        pl->nu[i] = u;
        margin_stats(ri, sp, ri + L, pl->mg + i);
    }
}

/* Completes pair (i, j)'s joint table T (restricted to the levels each actor uses, nu[i] x nu[j])
 * whose cells off level z are counted: the row and column of z follow from the margins (they are
 * absent when an actor does not use z). */
static inline void fill_z_cells(const bit_planes *pl, int i, int j) {
    const int L = pl->L, z = pl->z, ni = pl->nu[i], nj = pl->nu[j];
    const double *ri = pl->rd + (R_xlen_t) i * 2 * L, *cj = pl->rd + (R_xlen_t) j * 2 * L;
    const signed char *pi = pl->pm + (R_xlen_t) i * 16, *pj = pl->pm + (R_xlen_t) j * 16;
    const unsigned char *ui = pl->ul + (R_xlen_t) i * 16, *uj = pl->ul + (R_xlen_t) j * 16;
    double *T = pl->T;
    const int zi = pi[z], zj = pj[z];
    double rest = 0.0, colz = 0.0;
    for (int ra = 0; ra < ni; ra++) {
        if (ra == zi) continue;
        rest += ri[ui[ra]];
        if (zj < 0) continue;
        double rowsum = 0.0;
        for (int cb = 0; cb < nj; cb++) if (cb != zj) rowsum += T[ra * nj + cb];
        T[ra * nj + zj] = ri[ui[ra]] - rowsum;
    }
    if (zi >= 0) {
        for (int cb = 0; cb < nj; cb++) {
            if (cb == zj) continue;
            double colsum = 0.0;
            for (int ra = 0; ra < ni; ra++) if (ra != zi) colsum += T[ra * nj + cb];
            T[zi * nj + cb] = cj[uj[cb]] - colsum;
            colz += T[zi * nj + cb];
        }
        if (zj >= 0) T[zi * nj + zj] = pl->N0 - rest - colz;
    }
}

/* Writes the row of pair (i, j) without missing codes, from sq and s1 (the sums of dpq and dp1
 * over its counted cells) and its partial joint table in pl->T. Inlined into the pair loops, as
 * it runs once per pair. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline void pair_from_cells(const bit_planes *pl, int i, int j, double sq, double s1,
                                   const int *ids, int period, const measure_spec *sp,
                                   out_cursor *o) {
    const int L = sp->L, nmeth = sp->nmeth;
    const double N0 = pl->N0;
    const margin *mg = pl->mg;
    R_xlen_t r = o->row++;
    o->pid[r] = period; o->id1[r] = ids[i]; o->id2[r] = ids[j];
    if (o->n) o->n[r] = pl->nvalid;
    pair_done(o);
    if (!(pl->nvalid > 0 && N0 > 0.0)) {
        for (int m = 0; m < nmeth; m++) o->col[m][r] = NA_REAL;
        return;
    }
    const double *aq = pl->aq, *ri = pl->rd + (R_xlen_t) i * 2 * L;
    double Do = (aq[2 * i] + aq[2 * j] + sq) / N0;
    double D1 = sp->need_1 ? (aq[2 * i + 1] + aq[2 * j + 1] + s1) / N0 : 0.0;
    double Dek = 0.0, Dep = 0.0, tb = NA_REAL;
    if (sp->need_e) {
        double rc = 0.0;
        for (int a = 0; a < L; a++) rc += ri[a] * mg[j].u[a];
        Dek = rc / (N0 * N0);
        Dep = (mg[i].Q + mg[j].Q + 2.0 * rc) / (4.0 * N0 * N0);
    }
    if (sp->need_t && mg[i].P > 0.0 && mg[j].P > 0.0) {
        fill_z_cells(pl, i, j);
        tb = cd_rect(pl->T, pl->nu[i], pl->nu[j], pl->scr) / sqrt(mg[i].P * mg[j].P);
    }
    finish_measures(sp, Do, D1, Dek, Dep, tb, pl->val);
    for (int m = 0; m < nmeth; m++) o->col[m][r] = pl->val[m];
}

/* The pair loops, which count the joint cells with a popcount, are compiled twice from
 * similarity-kernel.h: pairs_full_hw and pairs_na_hw with the processor's popcount instruction
 * (chosen at run time where available), pairs_full_sw and pairs_na_sw with popcount_generic. */
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define SIM_HAVE_HWPOP 1
#define SIM_KERNEL(name) name##_hw
#define SIM_KERNEL_ATTR __attribute__((target("popcnt")))
#define SIM_POPCOUNT(x) __builtin_popcountll(x)
#include "similarity-kernel.h"
#undef SIM_KERNEL
#undef SIM_KERNEL_ATTR
#undef SIM_POPCOUNT
#endif
#define SIM_KERNEL(name) name##_sw
#define SIM_KERNEL_ATTR
#define SIM_POPCOUNT(x) popcount_generic(x)
#include "similarity-kernel.h"
#undef SIM_KERNEL
#undef SIM_KERNEL_ATTR
#undef SIM_POPCOUNT

/* One period through the bit-plane kernel; hw: use the popcount instruction. */
static void period_bits(const unsigned char *X, int na, int nk, const double *w, int hasna,
                        const int *ids, int period, int diag, const measure_spec *sp,
                        char *scratch, out_cursor *o, int hw) {
    bit_planes pl;
    planes_build(&pl, X, na, nk, w, sp, scratch);
    if (!hasna) planes_margins(&pl, na, w, sp);
#ifdef SIM_HAVE_HWPOP
    if (hw) {
        if (!hasna) pairs_full_hw(&pl, na, w, ids, period, diag, sp, o);
        else pairs_na_hw(&pl, na, ids, period, diag, sp, o);
        return;
    }
#endif
    (void) hw;
    if (!hasna) pairs_full_sw(&pl, na, w, ids, period, diag, sp, o);
    else pairs_na_sw(&pl, na, ids, period, diag, sp, o);
}

/* Direct kernel (weighted with missing codes, or many levels): codes per actor as bytes, level L
 * meaning missing; the joint table is accumulated item by item, weights in T and counts in C. */
static void period_direct(const unsigned char *codes, int na, int nk, const double *w,
                          const int *ids, int period, int diag, const measure_spec *sp,
                          char *scratch, out_cursor *o) {
    const int L = sp->L, L1 = L + 1;
    char *p = SIM_ALIGN(scratch);
    double *T1 = (double *) p; p = SIM_ALIGN(p + (size_t) L1 * L1 * sizeof(double));
    double *T = (double *) p; p = SIM_ALIGN(p + (size_t) L * L * sizeof(double));
    double *val = (double *) p; p = SIM_ALIGN(p + (size_t) 8 * sizeof(double));
    double *scr = (double *) p; p = SIM_ALIGN(p + (size_t) 6 * L * sizeof(double));
    int *C = (int *) p; p = SIM_ALIGN(p + (size_t) L1 * L1 * sizeof(int));
    unsigned char *X = (unsigned char *) p;
    /* X[i * nk + k]: level of actor i on item k, L when missing or the item's weight is missing */
    double work = 0.0;
    for (R_xlen_t k = 0; k < nk; k++) {
        if ((work += na) > SIM_WORK_CHECK) { work = 0.0; R_CheckUserInterrupt(); }
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
            emit_pair(o, sp, period, ids[i], ids[j], T, N, n, NULL, NULL, val, scr);
        }
    }
}

/* ---- the batch driver ---- */

/* Rows of output for a batch: every unordered pair of each period (and i == j when diag). */
static R_xlen_t batch_rows(const tb_sim_batch *b, int diag) {
    R_xlen_t nrow = 0;
    for (R_xlen_t t = 0; t < b->np; t++)
        nrow += (R_xlen_t) b->na[t] * (b->na[t] - 1) / 2 + (diag ? b->na[t] : 0);
    return nrow;
}

/* Distance tables and method flags for levels lev (L of them, increasing) and exponent q. */
static void spec_init(measure_spec *sp, const double *lev, int L, int q, const int *meth,
                      int nmeth) {
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
static void advise_huge(void *p, size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const uintptr_t H = (uintptr_t) 1 << 21;
    uintptr_t a = ((uintptr_t) p + H - 1) & ~(H - 1), e = ((uintptr_t) p + bytes) & ~(H - 1);
    if (e > a) (void) madvise((void *) a, e - a, MADV_HUGEPAGE);
#else
    (void) p; (void) bytes;
#endif
}

SEXP tb_sim_run(const tb_sim_batch *b, const double *lev, int L, int q, const int *meth,
                int nmeth, int diag, int with_n) {
    int nprotect = 0;
    measure_spec spec;
    const measure_spec *sp = &spec;
    spec_init(&spec, lev, L, q, meth, nmeth);
    const int nfix = with_n ? 4 : 3;
    R_xlen_t nrow = batch_rows(b, diag);
    size_t maxscr = 0;
    for (R_xlen_t t = 0; t < b->np; t++) {
        size_t s = scratch_bytes(b->na[t], b->nk[t], L);
        if (s > maxscr) maxscr = s;
    }
    SEXP out = PROTECT(Rf_allocVector(VECSXP, nfix + nmeth)); nprotect++;
    for (int c = 0; c < nfix; c++) SET_VECTOR_ELT(out, c, Rf_allocVector(INTSXP, nrow));
    for (int m = 0; m < nmeth; m++) SET_VECTOR_ELT(out, nfix + m, Rf_allocVector(REALSXP, nrow));
    double **cols = (double **) R_alloc(nmeth, sizeof(double *));
    for (int m = 0; m < nmeth; m++) cols[m] = REAL(VECTOR_ELT(out, nfix + m));
    for (int c = 0; c < nfix; c++) advise_huge(INTEGER(VECTOR_ELT(out, c)), (size_t) nrow * sizeof(int));
    for (int m = 0; m < nmeth; m++) advise_huge(cols[m], (size_t) nrow * sizeof(double));
    out_cursor o = { INTEGER(VECTOR_ELT(out, 0)), INTEGER(VECTOR_ELT(out, 1)),
                     INTEGER(VECTOR_ELT(out, 2)), with_n ? INTEGER(VECTOR_ELT(out, 3)) : NULL,
                     cols, 0, 0.0, 0.0 };
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
        int hasna = period_has_missing(X, na, nk, w, L);
        int bits = L <= SIM_BITS_MAX_LEVELS && !(w && hasna);
        o.pair_cost = bits ? (double) (L + 1) * (L + 1) * (((double) nk + 63) / 64) + 64.0
                           : (double) nk + (double) (L + 1) * (L + 1) + 64.0;
        if (bits)
            period_bits(X, na, nk, w, hasna, ids, b->pid[t], diag, sp, scratch, &o, hw);
        else
            period_direct(X, na, nk, w, ids, b->pid[t], diag, sp, scratch, &o);
        xofs += (R_xlen_t) na * nk; aofs += na; kofs += nk;
        R_CheckUserInterrupt();
    }
    UNPROTECT(nprotect);
    return out;
}

void tb_sim_check_settings(SEXP q, SEXP methods, const char *fn) {
    if (!(TYPEOF(q) == INTSXP && XLENGTH(q) == 1 && (INTEGER(q)[0] == 1 || INTEGER(q)[0] == 2)))
        tb_internal_error(fn, "`q` must be 1L or 2L");
    if (!(TYPEOF(methods) == INTSXP && XLENGTH(methods) >= 1 && XLENGTH(methods) <= 5))
        tb_internal_error(fn, "`methods` must be an integer vector of length 1 to 5");
    const int *meth = INTEGER(methods);
    for (R_xlen_t m = 0; m < XLENGTH(methods); m++)
        if (!(meth[m] >= 1 && meth[m] <= 5)) tb_internal_error(fn, "unknown method code");
}

/* ---- entry point: codes matrices given ---- */

/* codes: integer, the concatenated na_t x nk_t column-major matrices of level indices 0..L-1
 * (NA missing); nactor, nitem, period_id: integer, one per period; levels: double, increasing;
 * weights: NULL or double, one per item of every period; q: 1 or 2; methods: codes 1..5;
 * actor_id: integer, one per actor of every period; diag: include i == j pairs.
 * Returns an unnamed list: period, id1, id2, n, then one double column per method. */
SEXP ffi_similarity(SEXP codes, SEXP nactor, SEXP nitem, SEXP levels, SEXP weights, SEXP q,
                    SEXP methods, SEXP actor_id, SEXP period_id, SEXP diag) {
    if (TYPEOF(codes) != INTSXP) tb_internal_error(__func__, "`codes` must be an integer vector");
    if (!(TYPEOF(nactor) == INTSXP && TYPEOF(nitem) == INTSXP && TYPEOF(period_id) == INTSXP))
        tb_internal_error(__func__, "`nactor`, `nitem` and `period_id` must be integer vectors");
    R_xlen_t np = XLENGTH(nactor);
    if (!(XLENGTH(nitem) == np && XLENGTH(period_id) == np))
        tb_internal_error(__func__, "`nactor`, `nitem` and `period_id` must have the same length");
    if (!(TYPEOF(levels) == REALSXP && XLENGTH(levels) >= 1 && XLENGTH(levels) <= SIM_MAX_LEVELS))
        tb_internal_error(__func__, "`levels` must be a double vector of length 1 to %d",
                          SIM_MAX_LEVELS);
    tb_sim_check_settings(q, methods, __func__);
    if (TYPEOF(actor_id) != INTSXP)
        tb_internal_error(__func__, "`actor_id` must be an integer vector");
    if (!(TYPEOF(diag) == LGLSXP && XLENGTH(diag) == 1 && LOGICAL(diag)[0] != NA_LOGICAL))
        tb_internal_error(__func__, "`diag` must be TRUE or FALSE");
    if (!(Rf_isNull(weights) || TYPEOF(weights) == REALSXP))
        tb_internal_error(__func__, "`weights` must be NULL or double");

    const int L = (int) XLENGTH(levels);
    const double *lev = REAL(levels);
    for (int a = 0; a < L; a++)
        if (!(R_FINITE(lev[a]) && (a == 0 || lev[a] > lev[a - 1])))
            tb_internal_error(__func__, "`levels` must be finite and increasing");
    const int *na = INTEGER(nactor), *nk = INTEGER(nitem);
    R_xlen_t totcell = 0, totact = 0, totitem = 0;
    for (R_xlen_t t = 0; t < np; t++) {
        if (!(na[t] >= 0 && nk[t] >= 0))
            tb_internal_error(__func__, "`nactor` and `nitem` must be non-negative");
        if (!((double) na[t] * nk[t] < 4e15)) tb_internal_error(__func__, "a period is too large");
        totcell += (R_xlen_t) na[t] * nk[t];
        totact += na[t]; totitem += nk[t];
    }
    if (XLENGTH(codes) != totcell)
        tb_internal_error(__func__, "`codes` must have sum(nactor * nitem) elements");
    if (XLENGTH(actor_id) != totact)
        tb_internal_error(__func__, "`actor_id` must have sum(nactor) elements");
    if (!(Rf_isNull(weights) || XLENGTH(weights) == totitem))
        tb_internal_error(__func__, "`weights` must have sum(nitem) elements");
    const int *cd = INTEGER(codes);
    unsigned char *X = (unsigned char *) R_alloc(totcell + 1, 1);
    for (R_xlen_t k = 0; k < totcell; k++) {
        if (!(cd[k] == NA_INTEGER || (cd[k] >= 0 && cd[k] < L)))
            tb_internal_error(__func__, "`codes` out of range");
        X[k] = (unsigned char) (cd[k] == NA_INTEGER ? L : cd[k]);
    }
    tb_sim_batch b = { np, na, nk, INTEGER(period_id), INTEGER(actor_id), X,
                       Rf_isNull(weights) ? NULL : REAL(weights) };
    return tb_sim_run(&b, lev, L, INTEGER(q)[0], INTEGER(methods), (int) XLENGTH(methods),
                      LOGICAL(diag)[0], 1);
}
