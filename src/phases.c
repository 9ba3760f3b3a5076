/* phases.c: exact PELT (Killick, Fearnhead & Eckley 2012) with normal
 * mean and mean-variance costs on cumulative sums, where candidates provably
 * beaten by an earlier one sleep until they might not be, alone or with the
 * other candidates of their segment in one group; under MBIC, and with a
 * penalty of TB_CONE_PEN or more, the mean cost instead drops candidates by a
 * functional test (kill_one()),
 * computes at each t only those whose lower bound on their value (key)
 * reaches the optimum, and lets them sleep only when long segments crowd the
 * list. */
#include "threatbalance.h"
#include <math.h>
#include <float.h>
#include <limits.h>
#include <string.h>
#include <stdint.h>
#include <stdlib.h>

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

/* The series the search sees: (x - centre) / scale, as R computes x -
 * centre and then, unless scale is 1, divides (detect_phases() no longer
 * makes that n-long copy: at 1e6 points a call took 0.157 s, not 0.188). */
static inline double shifted(double x, double centre, double scale) {
    const double v = x - centre;
    return scale != 1 ? v / scale : v;
}

/* Cumulative sums S[0] = 0, S[t] = v_1 + ... + v_t of v = shifted(x),
 * accumulated in long double and stored as double, as R's cumsum() does;
 * returns max |v|. In the same pass (a pass of its own in ffi_pelt() took
 * 29 of 1,321 instructions a step; mean, MBIC, n = 1e5): v must be finite
 * (an infinite term makes max |v| infinite and a NaN term the sum NaN; a
 * sum of finite terms is never NaN, even where long double is double and
 * the sum overflows), and the runs of equal values in x (for
 * tb_check_ties(), R/phases.R) are counted: ties[0] those of minseg values
 * or more, ties[1] the longest (x[-1] == x[-n] and rle() in R took 0.13 ms
 * of a 3.2 ms call at 1e4 points). */
static double cumsums(const double *x, int n, double centre, double scale, int minseg,
                      double *s1, double *s2, int *ties) {
    long double a = 0, b = 0;
    double vmax = 0;
    int runs = 0, longest = 0, len = 1;   /* len: of the run x[i] ends or continues */
    s1[0] = 0; s2[0] = 0;
    for (int i = 0; i < n; i++) {
        if (!(i & 0xfffff)) R_CheckUserInterrupt();
        const double v = shifted(x[i], centre, scale);
        if (fabs(v) > vmax) vmax = fabs(v);
        a += v;
        b += v * v;
        s1[i + 1] = (double) a;
        s2[i + 1] = (double) b;
        if (i + 1 < n && x[i + 1] == x[i]) { len++; continue; }
        if (len > 1) {
            if (len >= minseg) runs++;
            if (len > longest) longest = len;
        }
        len = 1;
    }
    if (isnan(a) || !(vmax <= DBL_MAX)) tb_internal_error("ffi_pelt", "non-finite value in x");
    ties[0] = runs; ties[1] = longest;
    return vmax;
}

/* Cone checks are made for blocks of T: of level l, TB_BLOCK << l long. */
#define TB_SHIFT 4
#define TB_BLOCK (1 << TB_SHIFT)
#define TB_LEVELS 12
/* a candidate tries a cone from this age on (then at powers of two and at
 * block starts); ages 2, 4 and 6 took 1,423, 1,551 and 1,895 instructions a
 * step (mean, MBIC, n = 1e5, 100 changes) */
#define TB_AGE 2
/* ... under meanvar, whose cones seldom hold so few points after s: ages 2,
 * 6, 8 and 12 took 7,395, 7,177, 7,201 and 7,336 instructions a step (as
 * above; 6 was also the fewest with pen 25 and with changes in variance) */
#define TB_AGE_VAR 6
/* cones are tried under MBIC, and else when pen is at least TB_CONE_PEN: a
 * cone bounds the gain from a split by about pen, and below that the gains
 * of noise alone (chi-squared, 1 or 2 df) break cones within a few steps */
#define TB_CONE_PEN 8

/* The cone of candidate s against r (cone_set), and its link in the list of
 * sleepers due at the same time. */
typedef struct {
    double c, d, g, n1, v;       /* centre m1; D less slack (-Inf: no cone); G; n1; v1 */
    int r, lev, nxt;             /* r (-1: not set); level of its last block; next sleeper */
    int rev;                     /* a reverse cone: r = q > s, c = m1, d = H, g = w (mean),
                                  * v = n1 v1 (meanvar; 0: no cone) */
} cone_t;

/* A group of sleepers with cones against the same r, formed at T = t0
 * (group_form): mean cost, c, the mean of x[r+1..t0]; s0 = S1[t0]; the
 * members sleep while |S1[T] - s0 - (T - t0) c| < h + (T - t0) k; meanvar,
 * while the group's cone holds (gv, group_form_var()). Members are linked
 * by cone_t.nxt from head. */
typedef struct {
    double c, s0, h, k;
    int r, t0, head, lev, nxt;   /* ...; level of its last block; next group due */
} group_t;

/* A member of the young group (group_form_young()): s and its bound h_s. */
typedef struct {
    double h;
    int s;
} young_t;

/* A young group (group_form_young()): its members, their number and room;
 * active; r, the split q; blocks since it retired; the smallest h_s;
 * C(r+1..q). */
typedef struct {
    young_t *y;
    int m, cap, on, r, q, age;
    double h, crq;
} ygroup_t;

/* Active candidates (structure of arrays) and the sleepers. */
typedef struct {
    int n, cost, mbic, minseg, cones;   /* cones: candidates may sleep in cones */
    int avx2;                    /* values_meanvar4() may run (AVX2) */
    SEXP arena;                  /* the n-long scratch (tb_arena_alloc()) */
    int kill;                    /* mean cost under MBIC or with pen >= TB_CONE_PEN:
                                  * prune_kill(); cones only once long segments
                                  * crowd the list */
    double pen, slack, eps, epsq; /* bounds on the rounding of a value, of cone sums */
    double xmax;                 /* max |x| (x shifted) */
    double centre, scale;        /* the search sees (x - centre) / scale */
    const double *s1, *s2;       /* cumulative sums */
    double *lg;                  /* lg[l] = log(l) under MBIC, filled to lgn (lg_fill) */
    int lgn, lgcap;              /* ...; lg has room for lg[0..lgcap - 1] */
    const double *F;
    const int *last;
    int nc, cap;                 /* number of active candidates, in increasing s; room */
    int *cs, *leave;             /* position s; dropped from t = leave on */
    double *cf, *c1, *c2, *cp;   /* F, S1, S2 at s; s as double */
    double *tmp, *err;           /* value at t; bound on its error (meanvar) */
    /* prune_kill(): the tau of km0, kp and kiv (-1: not set); the mean of
     * x[tau+1..s], P / (s - tau) and 1 / (s - tau); 1 / (n - s); [lo, hi] */
    int *ktau;
    double *km0, *kp, *kiv, *kcn, *klo, *khi;
    double *key;                 /* ... a lower bound on the value at any later t
                                  * (values_mean_lazy()); -Inf: none yet */
    int jhint;                   /* the entry of last[t - 1], if known, else -1 */
    int *ev;                     /* scratch: entries to compute (values_mean_lazy()) */
    double *slo, *shi;           /* ... [lo, hi] of a sleeper, by position s */
    int *wk, nw;                 /* candidates woken at t, to merge into the list */
    int *chead;                  /* sleepers due at T = j TB_BLOCK (chead[j]), linked
                                  * by k[s].nxt; -1 ends a list */
    cone_t *k;                   /* per position s */
    int groups;                  /* sleepers of the current segment sleep in groups */
    int gage;                    /* ... from this age on (TB_GROUP_AGE; meanvar,
                                  * TB_GROUP_LAG + 2: see group_form_var()) */
    group_t *g;                  /* the group formed at T = j TB_BLOCK is g[j] */
    cone_t *gv;                  /* meanvar: its cone, of t0 - TB_GROUP_LAG against r */
    int *ghead;                  /* groups due at T = j TB_BLOCK, linked by nxt */
    int *pend, np, pcap;         /* candidates to join the group formed next; room */
    int yp;                      /* meanvar: the young to join the next young group
                                  * (group_form_young()), linked by k[s].nxt */
    ygroup_t yg[2];              /* the young group; the retired group */
    double *blk[TB_LEVELS];      /* per block: slope, deviation of S1 (block_stats) */
    double *blk2[TB_LEVELS];     /* per block: slope, deviation of W (meanvar; block_w()) */
    double weps;                 /* ... the bound on the rounding of W */
} pelt_state;

static void cones_setup(pelt_state *p);

/* Scratch that grows as needed (from the arena, doubling): the active list, the
 * pending list and the log table are sized for the worst case,
 * all n, but are seldom more than a few hundred long; allocating all n
 * up front made R collect garbage for it on every call. */
#define TB_ROOM 1024
static void *grow(pelt_state *p, void *old, size_t used, size_t cap, size_t size) {
    void *b = tb_arena_alloc(p->arena, cap, size);
    if (used) memcpy(b, old, used * size);
    return b;
}

static size_t new_room(size_t cap, size_t need, size_t most) {
    if (cap < 16) cap = 16;
    while (cap < need) cap *= 2;
    return cap < most ? cap : most;
}

/* Room for need active candidates. */
static void cand_room(pelt_state *p, int need) {
    if (need <= p->cap) return;
    const size_t nc = (size_t) p->nc, c = new_room((size_t) p->cap, (size_t) need, (size_t) p->n + 2);
    p->cs = grow(p, p->cs, nc, c, sizeof(int));
    p->leave = grow(p, p->leave, nc, c, sizeof(int));
    double **da[] = {&p->cf, &p->c1, &p->c2, &p->cp, &p->tmp, &p->err};
    for (size_t i = 0; i < sizeof da / sizeof *da; i++)
        *da[i] = grow(p, *da[i], nc, c, sizeof(double));
    if (p->kill) {
        double **ka[] = {&p->km0, &p->kp, &p->kiv, &p->kcn, &p->klo, &p->khi, &p->key};
        for (size_t i = 0; i < sizeof ka / sizeof *ka; i++)
            *ka[i] = grow(p, *ka[i], nc, c, sizeof(double));
        p->ktau = grow(p, p->ktau, nc, c, sizeof(int));
        p->ev = grow(p, p->ev, 0, c, sizeof(int));
    }
    p->cap = (int) c;
}

static void pend(pelt_state *p, int s) {
    if (p->np == p->pcap) {
        const size_t c = new_room((size_t) p->pcap, (size_t) p->np + 1, (size_t) p->n + 2);
        p->pend = grow(p, p->pend, (size_t) p->np, c, sizeof(int));
        p->pcap = (int) c;
    }
    p->pend[p->np++] = s;
}

/* The kill fields of entry k, candidate s (prune_kill()): no test made. */
static inline void kill_init(pelt_state *p, int k, int s) {
    if (!p->kill) return;
    p->ktau[k] = -1; p->km0[k] = 0; p->kp[k] = R_NegInf; p->kiv[k] = 0;
    p->kcn[k] = p->mbic ? 1 / ((double) p->n - s) : 0;   /* y = 0 without MBIC */
    p->klo[k] = R_NegInf; p->khi[k] = R_PosInf;
    p->key[k] = R_NegInf;
}

/* Entry k of the active list holds candidate s, with nothing tested yet. */
static inline void cand_fill(pelt_state *p, int k, int s) {
    p->cs[k] = s; p->cp[k] = (double) s; p->cf[k] = p->F[s];
    p->c1[k] = p->s1[s]; p->c2[k] = p->s2[s];
    p->leave[k] = INT_MAX;
    kill_init(p, k, s);
}

static void push(pelt_state *p, int s) {
    if (p->nc == p->cap) cand_room(p, p->nc + 1);
    cand_fill(p, p->nc++, s);
}

/* The cone of s is not set yet. */
static inline void cone_unset(pelt_state *p, int s) {
    p->k[s].r = -1;
    p->k[s].rev = 0;
}

/* A new candidate (under kill its cone is unset only if it is sent to
 * sleep: see kill_keep()). */
static void push_new(pelt_state *p, int s) {
    if (p->cones && !p->kill) cone_unset(p, s);
    push(p, s);
}

/* Fills lg up to lg[l]: a series needs the logs of its segment lengths,
 * seldom all n. */
static void lg_fill(pelt_state *p, int l) {
    if (l >= p->lgcap) {
        const size_t c = new_room((size_t) p->lgcap, (size_t) l + 1, (size_t) p->n + p->minseg + 2);
        p->lg = grow(p, p->lg, (size_t) p->lgn + 1, c, sizeof(double));
        p->lgcap = (int) c;
    }
    for (int i = p->lgn + 1; i <= l; i++) p->lg[i] = log((double) i);
    if (l > p->lgn) p->lgn = l;
}

static void copy_cand(pelt_state *p, int from, int to) {
    p->cs[to] = p->cs[from]; p->cp[to] = p->cp[from]; p->cf[to] = p->cf[from];
    p->c1[to] = p->c1[from]; p->c2[to] = p->c2[from]; p->leave[to] = p->leave[from];
    if (p->kill) {
        p->ktau[to] = p->ktau[from]; p->km0[to] = p->km0[from]; p->kp[to] = p->kp[from];
        p->kiv[to] = p->kiv[from]; p->kcn[to] = p->kcn[from];
        p->klo[to] = p->klo[from]; p->khi[to] = p->khi[from];
        p->key[to] = p->key[from];
    }
}

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *) a, y = *(const int *) b;
    return (x > y) - (x < y);
}

/* Merges the woken candidates into the list, which stays in increasing s
 * (so that ties go to the first, smallest s). */
static void merge_woken(pelt_state *p) {
    const int w = p->nw;
    int *wk = p->wk;
    if (w <= 32) {
        for (int a = 1; a < w; a++) {
            int v = wk[a], b = a;
            for (; b > 0 && wk[b - 1] > v; b--) wk[b] = wk[b - 1];
            wk[b] = v;
        }
    } else {
        qsort(wk, (size_t) w, sizeof *wk, cmp_int);
    }
    cand_room(p, p->nc + w);
    int i = p->nc - 1, j = w - 1, k = p->nc + w - 1;
    p->nc = k + 1;
    for (; j >= 0; k--) {
        if (i >= 0 && p->cs[i] > wk[j]) {
            copy_cand(p, i--, k);
        } else {
            const int s = wk[j--];
            cand_fill(p, k, s);
            if (p->kill) { p->klo[k] = p->slo[s]; p->khi[k] = p->shi[s]; }
        }
    }
    p->nw = 0;
}

/* Two-lane vectors (GNU C vector extensions, which gcc and clang lower to
 * SSE2, NEON, ... or to scalar code): R builds with -O2, where gcc does not
 * vectorise these loops itself. Each lane computes what the scalar code
 * computes, operation for operation; -DTB_NO_VEC builds the scalar code
 * alone, -DTB_NO_AVX2 without values_meanvar4() (the tests pass with
 * each, to the same bits). */
#if defined(__GNUC__) && !defined(TB_NO_VEC)
#define TB_VEC 1
typedef double vd __attribute__((vector_size(16)));
typedef long long vi __attribute__((vector_size(16)));
typedef unsigned long long vu __attribute__((vector_size(16)));
static inline vd vload(const double *x) { vd v; memcpy(&v, x, sizeof v); return v; }
static inline void vstore(double *x, vd v) { memcpy(x, &v, sizeof v); }
static inline vd vset(double a) { return (vd) {a, a}; }
static inline vd vsel(vi m, vd a, vd b) { return (vd) ((m & (vi) a) | (~m & (vi) b)); }
/* bit k set when lane k of m is set */
#if defined(__SSE2__)
static inline int vmask(vi m) { return __builtin_ia32_movmskpd((vd) m); }
#else
static inline int vmask(vi m) { return (m[0] != 0) | ((m[1] != 0) << 1); }
#endif
static inline vd vabs(vd a) { return (vd) ((vu) a & (vu) {~0ULL >> 1, ~0ULL >> 1}); }
/* square roots of lanes >= 0 (no errno path) */
#if defined(__SSE2__)
static inline vd vsqrt(vd a) { return __builtin_ia32_sqrtpd(a); }
#else
static inline vd vsqrt(vd a) { return (vd) {sqrt(a[0]), sqrt(a[1])}; }
#endif
#endif

/* Mean cost: the exact value F[s] + C(s+1..t) (+ log(t - s)) + pen of
 * entry i at t, as seg_cost() computes it. */
static inline double value_mean(const pelt_state *p, int i, int t) {
    const double d = p->s1[t] - p->c1[i];
    double c = (p->s2[t] - p->c2[i]) - (d * d) / ((double) t - p->cp[i]);
    if (p->mbic) c += p->lg[t - p->cs[i]];
    return p->cf[i] + c + p->pen;
}

/* ... of every active candidate into tmp (two lanes computing what
 * value_mean() does); returns the index of the smallest, the first of ties
 * (lanes keep their first minimum and are merged by value, then by index). */
static int values_mean(pelt_state *p, int t, double *best) {
    double *v = p->tmp, b = R_PosInf;
    const int nc = p->nc;
    int i = 0, arg = 0;
#ifdef TB_VEC
    const double *c1 = p->c1, *c2 = p->c2, *cf = p->cf, *cp = p->cp, *lg = p->lg;
    const int *cs = p->cs, mb = p->mbic;
    const vd A1 = vset(p->s1[t]), A2 = vset(p->s2[t]), TT = vset((double) t), PEN = vset(p->pen);
    vd B = vset(R_PosInf), I = vset(0), idx = {0, 1};
    for (; i + 2 <= nc; i += 2) {
        vd d = A1 - vload(c1 + i);
        vd c = (A2 - vload(c2 + i)) - (d * d) / (TT - vload(cp + i));
        if (mb) c += (vd) {lg[t - cs[i]], lg[t - cs[i + 1]]};
        vd r = vload(cf + i) + c + PEN;
        vstore(v + i, r);
        vi m = (vi) (r < B);
        B = vsel(m, r, B);
        I = vsel(m, idx, I);
        idx += vset(2);
    }
    int lane = B[1] < B[0] || (B[1] == B[0] && I[1] < I[0]);
    b = B[lane];
    arg = (int) I[lane];
#endif
    for (; i < nc; i++) {
        v[i] = value_mean(p, i, t);
        if (v[i] < b) { b = v[i]; arg = i; }
    }
    *best = b;
    return arg;
}

/* log(y) for a normal y > 0, within LOG_APPROX_ERR: y = 2^k m with m in
 * [sqrt(1/2), sqrt(2)], log m = 2 atanh(u) with u = (m - 1) / (m + 1),
 * |u| <= 0.1716, summed to u^9; the rest of the series is below
 * 2 |u|^11 / 11 / (1 - u^2) < 7.2e-10 and rounding adds less than 1e-13. */
#define LOG_APPROX_ERR 1e-9
static inline double log_approx(double y) {
    uint64_t b;
    memcpy(&b, &y, sizeof b);
    double k = (double) (int) (b >> 52) - 1023, m;
    b = (b & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL;
    memcpy(&m, &b, sizeof m);
    if (m > M_SQRT2) { m *= 0.5; k += 1; }
    double u = (m - 1) / (m + 1), z = u * u;
    return k * M_LN2 + 2 * u * (1 + z * (1.0 / 3 + z * (1.0 / 5 + z * (1.0 / 7 + z / 9))));
}

#ifdef TB_VEC
static inline vd vlog_approx(vd y) {
    const vu b = (vu) y, one = (vu) vset(1.0), big2 = (vu) vset(4503599627370496.0);
    vd k = (vd) ((b >> 52) | big2) - vset(4503599627370496.0 + 1023);
    vd m = (vd) ((b & (vu) {0x000fffffffffffffULL, 0x000fffffffffffffULL}) | one);
    vi hi = (vi) (m > vset(M_SQRT2));
    m = vsel(hi, m * vset(0.5), m);
    k = vsel(hi, k + vset(1), k);
    vd u = (m - vset(1)) / (m + vset(1)), z = u * u;
    vd q = vset(1.0 / 7) + z / vset(9);
    q = vset(1) + z * (vset(1.0 / 3) + z * (vset(1.0 / 5) + z * q));
    return k * vset(M_LN2) + vset(2) * u * q;
}
#endif

/* Error bound of a meanvar value computed with log_approx(): the log error
 * times the length, plus a few units in the last place of the sums. */
#define ERR_LEN (LOG_APPROX_ERR + 1e-10)
#define ERR_REL 4e-15

/* Four-lane vectors on x86-64 processors with AVX2 (checked at run time,
 * pelt_setup()): the loop of values_meanvar() below, four candidates at a
 * time, each lane computing what the scalar code computes, operation for
 * operation (AVX2 without FMA, so no multiply-add is fused). From i to
 * the end; returns nc, and lowers *u. 2,502 instead of 2,830
 * instructions a step (MBIC, n = 1e5, 100 changes); 0.028 instead of 0.034 s
 * a call, and 0.41 instead of 0.47 s at n = 1e6. */
#if defined(TB_VEC) && defined(__x86_64__) && !defined(TB_NO_AVX2) && \
    (defined(__clang__) || __GNUC__ >= 6)
#define TB_AVX2 1
typedef double vd4 __attribute__((vector_size(32)));
typedef long long vi4 __attribute__((vector_size(32)));
typedef unsigned long long vu4 __attribute__((vector_size(32)));
#define V4(a) ((vd4) {(a), (a), (a), (a)})
/* Needs nc >= 4: the last 4 entries overlap the ones before when nc is
 * not a multiple of 4 (those are computed twice, to the same bits: the
 * two-lane and scalar loops of values_meanvar() took 133 of 2,384
 * instructions a step for the 0-3 entries left over, MBIC, n = 1e5, 100
 * changes). */
__attribute__((target("avx2")))
static int values_meanvar4(pelt_state *p, int t, int i, double *u) {
    const double lc = log(2 * M_PI) + 1;
    const double *c1 = p->c1, *c2 = p->c2, *cf = p->cf, *cp = p->cp, *lg = p->lg;
    const int *cs = p->cs;
    double *v = p->tmp, *err = p->err;
    const int nc = p->nc, mb = p->mbic;
    const vd4 A1 = V4(p->s1[t]), A2 = V4(p->s2[t]), TT = V4((double) t), PEN = V4(p->pen);
    const vu4 mant = {0x000fffffffffffffULL, 0x000fffffffffffffULL, 0x000fffffffffffffULL,
                      0x000fffffffffffffULL};
    const vu4 absm = {~0ULL >> 1, ~0ULL >> 1, ~0ULL >> 1, ~0ULL >> 1};
    vd4 U = V4(R_PosInf);
    for (int last = 0; !last; i += 4) {
        if (i + 4 >= nc) { i = nc - 4; last = 1; }
        vd4 len, d, c2v, f;
        memcpy(&len, cp + i, sizeof len);
        memcpy(&d, c1 + i, sizeof d);
        memcpy(&c2v, c2 + i, sizeof c2v);
        memcpy(&f, cf + i, sizeof f);
        len = TT - len;
        d = A1 - d;
        vd4 sig = ((A2 - c2v) - (d * d) / len) / len;
        vi4 fl = (vi4) (sig <= V4(0));
        sig = (vd4) ((fl & (vi4) V4(1e-11)) | (~fl & (vi4) sig));
        /* vlog_approx() */
        const vu4 b = (vu4) sig;
        vd4 k = (vd4) ((b >> 52) | (vu4) V4(4503599627370496.0)) - V4(4503599627370496.0 + 1023);
        vd4 m = (vd4) ((b & mant) | (vu4) V4(1.0));
        const vi4 hi = (vi4) (m > V4(M_SQRT2));
        m = (vd4) ((hi & (vi4) (m * V4(0.5))) | (~hi & (vi4) m));
        k = (vd4) ((hi & (vi4) (k + V4(1))) | (~hi & (vi4) k));
        const vd4 uu = (m - V4(1)) / (m + V4(1)), z = uu * uu;
        vd4 q = V4(1.0 / 7) + z / V4(9);
        q = V4(1) + z * (V4(1.0 / 3) + z * (V4(1.0 / 5) + z * q));
        vd4 c = len * (V4(lc) + (k * V4(M_LN2) + V4(2) * uu * q));
        if (mb) c += (vd4) {lg[t - cs[i]], lg[t - cs[i + 1]], lg[t - cs[i + 2]], lg[t - cs[i + 3]]};
        const vd4 val = f + c + PEN;
        const vd4 e = len * V4(ERR_LEN) +
                      V4(ERR_REL) * ((vd4) ((vu4) f & absm) + (vd4) ((vu4) c & absm) + PEN);
        memcpy(v + i, &val, sizeof val);
        memcpy(err + i, &e, sizeof e);
        const vi4 lt = (vi4) (val + e < U);
        U = (vd4) ((lt & (vi4) (val + e)) | (~lt & (vi4) U));
    }
    for (int j = 0; j < 4; j++) if (U[j] < *u) *u = U[j];
    return nc;
}
#undef V4
#endif

#ifdef TB_AVX2
/* The entries i < e with key[i] <= u into out (values_mean_lazy()), four at
 * a time; returns their number. */
__attribute__((target("avx2")))
static int keys_at_most4(const double *key, int e, double u, int *out) {
    const vd4 U = {u, u, u, u};
    int m = 0, i = 0;
    for (; i + 4 <= e; i += 4) {
        vd4 k;
        memcpy(&k, key + i, sizeof k);
        int bits = __builtin_ia32_movmskpd256((vd4) (k <= U));
        while (bits) {
            out[m++] = i + __builtin_ctz((unsigned) bits);
            bits &= bits - 1;
        }
    }
    for (; i < e; i++) if (key[i] <= u) out[m++] = i;
    return m;
}
#endif

/* Mean cost under kill: the value of a candidate never decreases in t (the
 * sum of squared deviations of x[s+1..t] and, under MBIC, log(t - s) grow
 * with t), so its value computed at some t, less the rounding of two values
 * (TB_KEY_SLACKS slacks), bounds every later one from below: its key. At t
 * a candidate whose key is above u, the value at t of tau = last[t - 1],
 * has a value above the optimum (so is neither the optimum nor tied with it)
 * and is not computed; the TB_KILL_TAIL latest, which prune_kill() tests,
 * always are. In a segment the optimum's value grows by about one a point
 * (the variance of x, which standardize makes about 1), and a candidate
 * whose value is h above it is computed again about h points later: on 1e5
 * points with a change every 1,000, 1.1 earlier candidates a step besides
 * tau instead of all 18.6 (1,292 -> 1,061 instructions a step). Returns the
 * index of the optimum, the first of ties, as values_mean() does; tmp holds
 * the values computed (all when t + 1 starts a block, values_mean()). */
#define TB_KEY_SLACKS 4
/* a key is a value less this */
static inline double key_slack(const pelt_state *p) {
    return TB_KEY_SLACKS * p->slack;
}

static inline void lazy_one(pelt_state *p, int i, int t, double *b, int *arg) {
    const double v = p->tmp[i] = value_mean(p, i, t);
    p->key[i] = v - key_slack(p);
    if (v < *b || (v == *b && i < *arg)) { *b = v; *arg = i; }
}

static int values_mean_lazy(pelt_state *p, int t, int i0, double *best) {
    const int nc = p->nc, tau = p->last[t - 1], *cs = p->cs;
    double *key = p->key;
    /* tau: at jhint (when the list has not moved), else found by bisection,
     * else (asleep or dropped) the candidate with the smallest key */
    int j = p->jhint;
    if (j < 0 || j >= nc || cs[j] != tau) {
        int lo = 0, hi = nc;
        while (lo < hi) {
            const int mid = (lo + hi) >> 1;
            if (cs[mid] < tau) lo = mid + 1; else hi = mid;
        }
        j = lo;
    }
    if (j >= nc || cs[j] != tau) {
        double kmin = R_PosInf;
        j = 0;
        for (int i = 0; i < nc; i++) if (key[i] < kmin) { kmin = key[i]; j = i; }
    }
    double b = R_PosInf;
    int arg = j;
    lazy_one(p, j, t, &b, &arg);
    const double u = b, kj = key[j];
    key[j] = R_PosInf;                     /* not again below */
    for (int i = i0 > j + 1 ? i0 : j + 1; i < nc; i++) lazy_one(p, i, t, &b, &arg);
    for (int i = i0; i < j; i++) lazy_one(p, i, t, &b, &arg);
    const int e = i0 < nc ? i0 : nc;
    int i = 0;
#ifdef TB_AVX2
    if (p->avx2) {
        const int m = keys_at_most4(key, e, u, p->ev);
        for (int l = 0; l < m; l++) lazy_one(p, p->ev[l], t, &b, &arg);
        i = e;
    }
#endif
#ifdef TB_VEC
    const vd U = vset(u);
    for (; i + 2 <= e; i += 2) {
        const int m = vmask((vi) (vload(key + i) <= U));
        if (!m) continue;
        if (m & 1) lazy_one(p, i, t, &b, &arg);
        if (m & 2) lazy_one(p, i + 1, t, &b, &arg);
    }
#endif
    for (; i < e; i++) if (key[i] <= u) lazy_one(p, i, t, &b, &arg);
    key[j] = kj;
    *best = b;
    return arg;
}

/* Mean-variance cost: values into tmp with log_approx(), error bounds into
 * err; returns the smallest tmp + err, an upper bound on the optimum. */
static double values_meanvar(pelt_state *p, int t) {
    const double a1 = p->s1[t], a2 = p->s2[t], tt = (double) t, pen = p->pen;
    const double lc = log(2 * M_PI) + 1;
    const double *c1 = p->c1, *c2 = p->c2, *cf = p->cf, *cp = p->cp, *lg = p->lg;
    const int *cs = p->cs;
    double *v = p->tmp, *err = p->err, u = R_PosInf;
    const int nc = p->nc, mb = p->mbic;
    int i = 0;
#ifdef TB_AVX2
    if (p->avx2 && nc >= 4) i = values_meanvar4(p, t, 0, &u);
#endif
#ifdef TB_VEC
    const vd A1 = vset(a1), A2 = vset(a2), TT = vset(tt), PEN = vset(pen);
    vd U = vset(u);
    for (; i + 2 <= nc; i += 2) {
        vd len = TT - vload(cp + i), d = A1 - vload(c1 + i);
        vd sig = ((A2 - vload(c2 + i)) - (d * d) / len) / len;
        sig = vsel((vi) (sig <= vset(0)), vset(1e-11), sig);
        vd c = len * (vset(lc) + vlog_approx(sig));
        if (mb) c += (vd) {lg[t - cs[i]], lg[t - cs[i + 1]]};
        vd f = vload(cf + i), val = f + c + PEN;
        vd e = len * vset(ERR_LEN) + vset(ERR_REL) * (vabs(f) + vabs(c) + PEN);
        vstore(v + i, val);
        vstore(err + i, e);
        U = vsel((vi) (val + e < U), val + e, U);
    }
    u = U[0] < U[1] ? U[0] : U[1];
#endif
    for (; i < nc; i++) {
        double len = tt - cp[i], d = a1 - c1[i];
        double sig = ((a2 - c2[i]) - (d * d) / len) / len;
        if (sig <= 0) sig = 1e-11;
        double c = len * (lc + log_approx(sig));
        if (mb) c += lg[t - cs[i]];
        v[i] = cf[i] + c + pen;
        err[i] = len * ERR_LEN + ERR_REL * (fabs(cf[i]) + fabs(c) + pen);
        if (v[i] + err[i] < u) u = v[i] + err[i];
    }
    return u;
}

/* Exact value of candidate i at t, as changepoint computes it. */
static double exact_value(const pelt_state *p, int i, int t) {
    int len = t - p->cs[i];
    double c = seg_cost(p->cost, p->s1[t] - p->c1[i], p->s2[t] - p->c2[i], len);
    if (p->mbic) c += p->lg[len];
    return p->cf[i] + c + p->pen;
}

/* The optimum at t (meanvar): the smallest exact value, ties to the
 * smallest s (the first). Approximate values that may be the smallest
 * (lower bound <= u) are made exact first; pairs with neither are skipped
 * in one vector test (the same comparison as the scalar one). */
static void pick_one(pelt_state *p, int i, int t, double u, double *b, int *arg) {
    if (!(p->tmp[i] - p->err[i] <= u)) return;
    const double x = p->tmp[i] = exact_value(p, i, t);
    p->err[i] = 0;
    if (x < *b) { *b = x; *arg = i; }
}

static int pick_best(pelt_state *p, int t, double u, double *best) {
    double b = R_PosInf;
    const int nc = p->nc;
    int arg = 0, i = 0;
#ifdef TB_VEC
    const vd U = vset(u);
    for (; i + 2 <= nc; i += 2) {
        const vi m = (vi) (vload(p->tmp + i) - vload(p->err + i) <= U);
        if (!(m[0] | m[1])) continue;
        pick_one(p, i, t, u, &b, &arg);
        pick_one(p, i + 1, t, u, &b, &arg);
    }
#endif
    for (; i < nc; i++) pick_one(p, i, t, u, &b, &arg);
    *best = b;
    return arg;
}

/* Is the exact value of candidate i at t above bound? */
static inline int above(pelt_state *p, int i, int t, double bound) {
    double v = p->tmp[i];
    if (p->cost == TB_COST_MEAN) return v > bound;
    double e = p->err[i];
    if (v - e > bound) return 1;
    if (v + e <= bound) return 0;
    v = p->tmp[i] = exact_value(p, i, t);
    p->err[i] = 0;
    return v > bound;
}

/* MBIC, pruning for good. Write C' = C + log(length) for the MBIC segment
 * cost and V_s(T) = F[s] + C'(s+1..T) + pen for the value of s at T. For
 * T >= t + minseg, t is an admissible last change, so F[T] <= V_t(T).
 * Splitting a segment never raises its cost (C is twice a maximised negative
 * log-likelihood, and two segments have more free parameters than one), so
 * C(s+1..T) >= C(s+1..t) + C(t+1..T), whence
 *   V_s(T) - V_t(T) >= a + log((T - s) / (T - t)),  a = F[s] + C(s+1..t) - F[t].
 * The log term is positive and decreases in T, to log((n - s) / (n - t)) at
 * T = n: s can be dropped for good once a + log((n - s) / (n - t)) > 0, the
 * PELT rule with K = -log(t - s) + log((n - s) / (n - t)). No rule from the
 * pair (s, t) alone is tighter: if the data after t continue with the mean
 * and variance of x[s+1..t] the split gains nothing, and V_s(n) - V_t(n)
 * equals the bound. It is barely stronger than K = -log(t - s) and much
 * weaker than changepoint's K = 0 (a + log(t - s) > 0), which by the same
 * identity can drop the optimum; the speed comes from the cones below.
 * prune() tests a + (t - s) / (n - s) > 0, a hair weaker (log(1 + y) >=
 * y / (1 + y)), which needs no log of a length beyond the longest segment.
 * (Letting s sleep until t + (t - s) / (exp(-a) - 1), where the bound turns
 * negative, saved almost nothing once cones exist.) */

/* Cone certificates (any penalty). Let r < s be a candidate (the optimal
 * last change at the time, or last[s]) and n1 = s - r. For T > s, r is an
 * admissible last change before T, so F[T] <= V_r(T), and
 *   V_s(T) - V_r(T) = D - gain(T) - [log((T - r) / (T - s))],
 * with D = F[s] - F[r] - C(r+1..s) (= pen (+ log n1) when r = last[s]) and
 * gain(T) = C(r+1..T) - C(r+1..s) - C(s+1..T) >= 0 the gain from splitting
 * r+1..T at s; the bracket is MBIC's, and as it decreases in T it is at most
 * its value at t0 for every T >= t0: G = D - log((t0 - r) / (t0 - s)), less
 * the rounding of the values (4 slack). With
 * m1, v1 the mean and variance of x[r+1..s] and m2, v2 those of x[s+1..T]
 * (n2 = T - s points),
 *   gain(T) = n1 n2 / (n1 + n2) (m1 - m2)^2                     (mean)
 * and, as the likelihood of the one segment r+1..T at the parameters
 * (m2, v2), or at (m1, v1), is at most its maximum,
 *   gain(T) <= min(n1 K(v1, v2), n2 K(v2, v1)),                  (meanvar)
 *   K(a, b) = log(b / a) + (a + (m1 - m2)^2) / b - 1,
 * when no variance is floored (ensured by v1, v2 > 1e-10). While the bound
 * is below G, s is strictly beaten by r and is skipped: it sleeps in a cone
 * around the line of slope m1 through S1[s] that the path of S1 must stay
 * in, checked a block of T at a time, and typically wakes only once the
 * level (or the spread) has moved after s. */

/* Per block j of level l, T in [a, e] with a = j (B << l) and e the block's
 * last T (at most n): the slope u = blk[l][2 j] of S1 over the block and a
 * bound blk[l][2 j + 1] on |S1[T] - S1[a] - (T - a) u|. Level 0 is scanned;
 * a block of level l bounds its halves' deviations about its own slope: for
 * T in the first half (slope u1, bound d1, last T e1), |dev| <= d1 +
 * (e1 - a) |u1 - u|; in the second (from h, slope u2, bound d2), |dev| <=
 * |S1[h] - S1[a] - (h - a) u| + d2 + (e - h) |u2 - u|. Every bound is
 * inflated by eps, which also covers the rounding of cone_holds(). */
static void block_stats(pelt_state *p, double eps) {
    const int n = p->n;
    for (int l = 0; l < TB_LEVELS; l++) {
        const int len = TB_BLOCK << l, nb = n / len + 1;
        double *b = p->blk[l];
        for (int j = 0; j < nb; j++) {
            const int a = j * len, e = a + len - 1 < n ? a + len - 1 : n;
            const double u = e > a ? (p->s1[e] - p->s1[a]) / (e - a) : 0;
            double d = 0;
            if (l == 0) {
                if (!(j & 0xffff)) R_CheckUserInterrupt();
                for (int T = a; T <= e; T++) {
                    double v = fabs(p->s1[T] - p->s1[a] - (T - a) * u);
                    if (v > d) d = v;
                }
            } else {
                const int h = a + len / 2, e1 = h - 1 < e ? h - 1 : e;
                const double *c = p->blk[l - 1] + 4 * j;  /* the halves' slopes, bounds */
                d = c[1] + (e1 - a) * fabs(c[0] - u);
                if (h <= e) {
                    double d2 = fabs(p->s1[h] - p->s1[a] - (h - a) * u) + c[3] +
                                (e - h) * fabs(c[2] - u);
                    if (d2 > d) d = d2;
                }
            }
            b[2 * j] = u;
            b[2 * j + 1] = d + eps;
        }
    }
}

/* Meanvar: per block of level l (as above, slope u of S1), W(T) = sum of
 * (x_i - u)^2 over a < i <= T, from the cumulative sums; blk2[l][2 j] is the
 * slope w = W(e) / (e - a) and blk2[l][2 j + 1] a bound on |W(T) - (T - a)
 * w|, plus eps (p->weps). Each block is scanned when a cone first asks for
 * it (NaN until then; the entry is written through the state's pointer,
 * which the const state leaves writable): W about the block's own mean
 * keeps the spread of x^2 out of the bound, which bounds built from those
 * of S1 and S2 separately cannot (they grow with the level of x). Scanning
 * every level up front (12 passes over S1, S2) took 222 of 2,923
 * instructions a step (MBIC, n = 1e5, 100 changes); on demand the whole
 * search took 2,830 (2,764 and 2,747 with 5 changes, whose long segments
 * ask for more of the long blocks). */
static const double *block_w(const pelt_state *p, int l, int j) {
    double *b = p->blk2[l] + 2 * j;
    if (!ISNAN(b[0])) return b;
    const double *s1 = p->s1, *s2 = p->s2;
    const int len = TB_BLOCK << l, n = p->n, a = j * len, e = a + len - 1 < n ? a + len - 1 : n;
    const double u = p->blk[l][2 * j];
    const double w = e > a ? ((s2[e] - s2[a]) - 2 * u * (s1[e] - s1[a]) + (e - a) * u * u) /
                             (e - a) : 0;
    double d = 0;
    for (int T = a; T <= e; T++) {
        double v = fabs((s2[T] - s2[a]) - 2 * u * (s1[T] - s1[a]) + (T - a) * (u * u - w));
        if (v > d) d = v;
    }
    b[0] = w;
    b[1] = d + p->weps;
    return b;
}

/* Sets the cone of s against an earlier candidate r: D = F[s] - F[r] -
 * C(r+1..s) less the rounding of the three values (with r = last[s], D is
 * pen (+ log n1)); d = -Inf when there is no cone. */
static void cone_set(pelt_state *p, int s, int r) {
    cone_t *k = p->k + s;
    const int n1 = s - r;
    const double d1 = p->s1[s] - p->s1[r], d2 = p->s2[s] - p->s2[r];
    k->r = r;
    k->rev = 0;
    k->n1 = n1;
    k->c = d1 / n1;
    k->d = R_NegInf;
    if (p->cost == TB_COST_MEANVAR) {
        k->v = (d2 - d1 * d1 / n1) / n1;
        if (!(k->v > 1e-10)) return;
    }
    k->d = p->F[s] - p->F[r] - seg_cost(p->cost, d1, d2, n1) - 4 * p->slack;
}

/* An upper bound on log y, y > 0: log y <= (y - 1) / sqrt(y) <= (y - 1/y) / 2
 * for y >= 1, and log y <= 2 (y - 1) / (y + 1) for y <= 1; both are within
 * |y - 1|^3 / 6 of log y near 1. */
static inline double log_ub(double y) {
    return y >= 1 ? 0.5 * (y - 1 / y) : 2 * (y - 1) / (y + 1);
}

/* Sum of (x - c)^2 over s+1..T from the cumulative sums, less a bound on
 * its rounding (sign -1) or plus it (sign +1); |c| <= max |x|. */
static inline double sq_dev(const pelt_state *p, int s, int T, double c, double sign) {
    double b = p->s1[T] - p->s1[s], l = T - s;
    return (p->s2[T] - p->s2[s]) - 2 * c * b + l * c * c + sign * p->epsq;
}

/* Meanvar gain bounds for v2 in [vl, vh] and (m2 - m1)^2 <= dm2 (see the
 * cones above): K(v1, v) and K(v, v1) are largest at an end of [vl, vh],
 * and log_ub() bounds the log. var_ok(): the interval lies above the floor
 * of seg_cost() and within range of v1. k1_ends() - 1 times n1 bounds n1
 * K(v1, v2); k2_ends() - 1 times n2 bounds n2 K(v2, v1). */
static inline int var_ok(double vl, double vh, double v1) {
    return vl > 1e-10 && vl > 1e-100 * v1 && vh < 1e100 * v1;
}

static inline double k1_ends(double v1, double vl, double vh, double dm2) {
    const double kl = log_ub(vl / v1) + (v1 + dm2) / vl, kh = log_ub(vh / v1) + (v1 + dm2) / vh;
    return (kl > kh ? kl : kh) - 1;
}

static inline double k2_ends(double v1, double vl, double vh, double dm2) {
    const double yl = vl / v1, yh = vh / v1;
    const double kl = log_ub(1 / yl) + yl, kh = log_ub(1 / yh) + yh;
    return ((kl > kh ? kl : kh) + dm2 / v1) - 1;   /* the same bits as adding dm2 / v1 to each */
}

/* Meanvar: does gain(T) stay below g for T in [T0, T1] (in the block of
 * level l from jb), given |m2 - m1| <= dm there? Then v2 = Q(T) / n2 - (m2 -
 * m1)^2, with Q(T) the sum of squares of x[s+1..T] about m1 = c. On the
 * block, with the slope u and deviation d1 of S1 and the slope w and
 * deviation dW of W (block_w()), Q(T) - Q(jb) = W(T) + 2 (u - c)
 * (S1[T] - S1[jb] - (T - jb) u) + (T - jb) (u - c)^2, so
 *   Q(T) = Q(jb) + (T - jb) (w + (u - c)^2) + e,  |e| <= dW + 2 |u - c| d1:
 * Q(T) / n2 lies between two linear-fractional functions of T, each
 * monotone, so their ends bound it and v2 lies in [vl, vh]; K(v1, v) and
 * K(v, v1) are largest at an end of [vl, vh]. (The cruder Q(T0) / nx <=
 * Q(T) / n2 <= Q(T1) / n0, as Q grows with T, is wide when the block is
 * long against the age of s: more sleepers woke, and checking both bounds
 * cost more than it saved.) */
static int cone_holds_var(const pelt_state *p, const cone_t *k, int s, int T0, int T1, int jb,
                          int l, double dm) {
    const double dm2 = dm * dm, v1 = k->v, n1 = k->n1, n0 = T0 - s, nx = T1 - s, c = k->c;
    const double *b = p->blk[l] + 2 * (T0 >> (TB_SHIFT + l));
    const double *b2 = block_w(p, l, T0 >> (TB_SHIFT + l));
    const double uc = b[0] - c, beta = b2[0] + uc * uc;
    /* the deviations, and the rounding of beta times T - jb */
    const double dd = b2[1] + 2 * fabs(uc) * b[1] + 1e-12 * (T1 - jb) * (fabs(b2[0]) + uc * uc);
    const double q0 = sq_dev(p, s, jb, c, 0), lo = q0 - p->epsq - dd, hi = q0 + p->epsq + dd;
    const double l0 = (lo + (T0 - jb) * beta) / n0, l1 = (lo + (T1 - jb) * beta) / nx;
    const double h0 = (hi + (T0 - jb) * beta) / n0, h1 = (hi + (T1 - jb) * beta) / nx;
    double vl = (l0 < l1 ? l0 : l1) - dm2, vh = h0 > h1 ? h0 : h1;
    if (!var_ok(vl, vh, v1)) return 0;
    if (n1 <= nx) return n1 * k1_ends(v1, vl, vh, dm2) < k->g;   /* n1 K(v1, v2) first */
    return nx * k2_ends(v1, vl, vh, dm2) < k->g;
}

/* Reverse cones: s beaten by a later candidate. Candidates just
 * before a change (s in [tau - 5, tau) for a jump of 3 sd) are not beaten
 * for good by any t of the next segment: F[s] + C(s+1..t) - F[t] is about
 * (tau - s) jump^2 - pen - log(t - tau) < 0, so without this they stay
 * awake to the next change. Let q > s be admissible before T (q <= t <
 * T - minseg + 1), n1 = q - s, m1 the mean of x[s+1..q], m2 that of
 * x[q+1..T] (n2 = T - q). Then
 *   V_s(T) - V_q(T) = E + gain(T) [+ log((T - s) / (T - q))],
 * E = F[s] + C(s+1..q) - F[q], gain(T) = C(s+1..T) - C(s+1..q) - C(q+1..T)
 * = n1 n2 / (n1 + n2) (m1 - m2)^2, and the MBIC bracket is positive. So s is
 * strictly beaten while gain(T) > H = -E (+ 4 slack for the rounding of the
 * three values): while the path of S1 stays outside the cone around the
 * line of slope m1 through S1[q], A(T) = S1[T] - S1[q] - n2 m1 with
 * n1 A^2 > H n2 (n1 + n2). As n2 (n1 + n2) <= (n2 + n1 / 2)^2, it suffices
 * that |A(T)| > w (n2 + n1 / 2), w = sqrt(H / n1): a bound linear in T. */
static void cone_set_rev(pelt_state *p, int s, int q) {
    cone_t *k = p->k + s;
    const int n1 = q - s;
    const double d1 = p->s1[q] - p->s1[s], d2 = p->s2[q] - p->s2[s];
    double h = p->F[q] - p->F[s] - seg_cost(p->cost, d1, d2, n1) + 4 * p->slack;
    if (h < 0) h = 0;
    k->r = q; k->rev = 1; k->n1 = n1; k->c = d1 / n1; k->d = h;
    if (p->cost == TB_COST_MEAN) {
        k->g = sqrt(h / n1) * (1 + 1e-12);
    } else {
        /* n1 v1 plus its rounding; no cone (v = 0) when v1 may be floored */
        const double w = d2 - d1 * d1 / n1;
        k->v = w - p->epsq > 1e-10 * n1 ? w + p->epsq : 0;
    }
}

/* Reverse cones (meanvar), with the same q, n1, m1, A(T), E and H, and v1,
 * v2 the variances of x[s+1..q] and x[q+1..T]. With N = n1 + n2 and vN
 * that of x[s+1..T], N vN = n1 v1 + n2 v2 + n1 n2 (m1 - m2)^2 / N, and by
 * the concavity of log, n1 log v1 + n2 log v2 <= N log((n1 v1 + n2 v2) / N),
 * so (the terms in log(2 pi) + 1 cancel)
 *   gain(T) = N log vN - n1 log v1 - n2 log v2 >= N log(1 + r),
 *   r = n1 n2 (m1 - m2)^2 / (N (n1 v1 + n2 v2)) = n1 A^2 / (N (n2 n1 v1 +
 *       n2 Q - A^2)),
 * where Q(T) is the sum of squares of x[q+1..T] about m1, so that n2 v2 = Q
 * - A^2 / n2. This needs v1 and v2 above the floor of seg_cost() (a floored
 * vN only raises gain). On a block, for T in [T0, T1]: r grows with A^2
 * and Q grows with T, so with |A| >= am, N <= Nx = T1 - s, n2 <= nx = T1 -
 * q and Q <= Q(T1), r >= rl = n1 am^2 / (Nx (nx n1 v1 + nx Q(T1) - am^2));
 * and N log(1 + r) >= N0 2 r / (2 + r) (N0 = T0 - s). s is beaten while
 * that exceeds H. v2 >= (Q(T0) - aM^2 / n0) / nx with |A| <= aM. */
static int cone_holds_rev_var(const pelt_state *p, int s, int T0, int T1, double aa,
                              double ab, double dev) {
    const cone_t *k = p->k + s;
    const int q = k->r;
    if (!(k->v > 0) || (aa > 0) != (ab > 0)) return 0;
    const double fa = fabs(aa), fb = fabs(ab);
    const double am = (fa < fb ? fa : fb) - dev, aM = (fa > fb ? fa : fb) + dev;
    if (!(am > 0)) return 0;
    const double n0 = T0 - q, nx = T1 - q, N0 = T0 - s, Nx = T1 - s, am2 = am * am;
    if (!((sq_dev(p, q, T0, k->c, -1) - aM * aM / n0) / nx > 1e-10)) return 0;
    const double den = Nx * (nx * k->v + nx * sq_dev(p, q, T1, k->c, 1) - am2);
    if (!(den > 0)) return 0;
    const double r = k->n1 * am2 / den;
    return N0 * 2 * r / (2 + r) > k->d * (1 + 1e-12);
}

/* Reverse cone on a block of level l (as cone_holds() below): A(T) lies
 * within dd of the line a0 + (T - jb) (u - m1), so A(T) stays above w (n2 +
 * n1 / 2) (or below its negative) on [T0, T1] if it does at both ends: the
 * difference is linear in T. */
static inline int cone_holds_rev(const pelt_state *p, int s, int T0, int l) {
    const cone_t *k = p->k + s;
    const int sh = TB_SHIFT + l, jb = (T0 >> sh) << sh, q = k->r;
    const int T1 = jb + (1 << sh) - 1 < p->n ? jb + (1 << sh) - 1 : p->n;
    const double *b = p->blk[l] + 2 * (T0 >> sh), c = k->c, w = k->g, h = 0.5 * k->n1;
    const double a0 = (p->s1[jb] - p->s1[q]) - (jb - q) * c, du = b[0] - c;
    const double aa = a0 + (T0 - jb) * du, ab = a0 + (T1 - jb) * du;
    if (p->cost == TB_COST_MEANVAR) return cone_holds_rev_var(p, s, T0, T1, aa, ab, b[1]);
    const double ra = w * (T0 - q + h) + b[1], rb = w * (T1 - q + h) + b[1];
    return (aa > ra && ab > rb) || (aa < -ra && ab < -rb);
}

/* Does the cone of s hold for every T from T0 to the end of T0's block of
 * level l? On the block, |S1[T] - S1[s] - (T - s) m1| <= u0 + (T - jb) du
 * =: u(T), so |m2 - m1| <= u(T) / n2 (n2 = T - s), largest at an end.
 * Mean: gain(T) <= n1 u^2 / (n2 (n1 + n2)) < g while u < sqrt(g n2 (n1 +
 * n2) / n1), which is concave in T while u is linear: the ends decide. */
static inline int cone_holds_k(const pelt_state *p, const cone_t *k, int s, int T0, int l) {
    const int sh = TB_SHIFT + l, jb = (T0 >> sh) << sh;
    const int T1 = jb + (1 << sh) - 1 < p->n ? jb + (1 << sh) - 1 : p->n;
    const double *b = p->blk[l] + 2 * (T0 >> sh), c = k->c, n1 = k->n1;
    const double u0 = fabs((p->s1[jb] - p->s1[s]) - (jb - s) * c) + b[1], du = fabs(b[0] - c);
    const double ua = u0 + (T0 - jb) * du, ub = u0 + (T1 - jb) * du, n0 = T0 - s, nx = T1 - s;
    if (p->cost == TB_COST_MEAN)
        return n1 * ua * ua < k->g * n0 * (n1 + n0) && n1 * ub * ub < k->g * nx * (n1 + nx);
    return cone_holds_var(p, k, s, T0, T1, jb, l, ua / n0 > ub / nx ? ua / n0 : ub / nx);
}

static inline int cone_holds(const pelt_state *p, int s, int T0, int l) {
    const cone_t *k = p->k + s;
    if (k->rev) return cone_holds_rev(p, s, T0, l);
    return cone_holds_k(p, k, s, T0, l);
}

/* A young candidate whose cone fails on its block of level 0 (about a
 * quarter of the mean cost's tries: with few points after s, the block's
 * deviation bound dominates) tries the same bounds at each T of
 * the block, from the exact sums at T instead of the block's: mean, n1 u^2
 * < g n2 (n1 + n2) with u = |S1[T] - S1[s] - n2 m1| + eps; meanvar, v2 in
 * [(Q - epsq) / n2 - dhi^2, (Q + epsq) / n2 - dlo^2] (Q the sum of squares of
 * x[s+1..T] about m1 from the cumulative sums, dlo <= |m2 - m1| <= dhi) and
 * the n2 K(v2, v1) bound, else the n1 K(v1, v2) one, each largest at an end
 * of the interval (see cone_holds_var()). Up to this age: with 8, 16, 32
 * and 64, 1,202, 1,202, 1,201 and 1,201 instructions a step under the mean
 * cost (1,234 without; MBIC, n = 1e5, 100 changes), meanvar 7,080 (16) and
 * 7,059 (64) against 7,201. */
#define TB_SCAN_AGE 64
static int cone_scan(const pelt_state *p, int s, int T0) {
    const cone_t *k = p->k + s;
    if (k->rev) return 0;
    const int e = ((T0 >> TB_SHIFT) + 1) << TB_SHIFT, T1 = e - 1 < p->n ? e - 1 : p->n;
    const double c = k->c, n1 = k->n1, g = k->g, s1s = p->s1[s], eps = p->eps;
    if (p->cost == TB_COST_MEANVAR) {
        const double v1 = k->v;
        for (int T = T0; T <= T1; T++) {
            const double n2 = T - s, a = fabs((p->s1[T] - s1s) - n2 * c);
            /* dlo <= |m2 - m1| <= dhi */
            const double dhi = (a + eps) / n2, dlo = a > eps ? (a - eps) / n2 : 0, dm2 = dhi * dhi;
            const double q = sq_dev(p, s, T, c, 0);
            const double vl = (q - p->epsq) / n2 - dm2, vh = (q + p->epsq) / n2 - dlo * dlo;
            if (!var_ok(vl, vh, v1)) return 0;
            if (!(n2 * k2_ends(v1, vl, vh, dm2) < g) && !(n1 * k1_ends(v1, vl, vh, dm2) < g))
                return 0;
        }
        return 1;
    }
    for (int T = T0; T <= T1; T++) {
        const double n2 = T - s, u = fabs((p->s1[T] - s1s) - n2 * c) + eps;
        if (!(n1 * u * u < g * n2 * (n1 + n2))) return 0;
    }
    return 1;
}

/* s sleeps from T0 to the end of T0's block of level 0 if its cone holds
 * there; returns 0 (s stays awake) if it does not. (Finding the first T of
 * the block at which the cone fails, one T at a time, and sleeping until
 * then cost more than keeping s awake: about 10 such checks a step at a
 * change in mean, where the sleepers of the old segment wake; without them
 * 1e5 points under MBIC took 0.026 s instead of 0.029.) */
static int cone_sleep(pelt_state *p, int s, int T0) {
    cone_t *k = p->k + s;
    const int end = ((T0 >> TB_SHIFT) + 1) << TB_SHIFT;   /* next block */
    if (!cone_holds(p, s, T0, 0) && !(T0 - s < TB_SCAN_AGE && cone_scan(p, s, T0))) return 0;
    k->lev = 0; k->nxt = p->chead[end >> TB_SHIFT]; p->chead[end >> TB_SHIFT] = s;
    return 1;
}

/* Tries to send s to sleep in its cone from t0 on, against r = tau (the
 * optimal last change at t0 - 1) when s comes after it, else in the reverse
 * cone against tau, else against last[s]. */
static int cone_enter(pelt_state *p, int s, int t0, int tau) {
    cone_t *k = p->k + s;
    if (tau > s) {
        if (!k->rev || k->r != tau) cone_set_rev(p, s, tau);
        if (cone_sleep(p, s, t0)) return 1;
    }
    if (s == 0) return 0;
    const int r = tau < s ? tau : p->last[s];
    if (k->rev || k->r != r) cone_set(p, s, r);
    if (k->d == R_NegInf) return 0;
    k->g = k->d;
    if (p->mbic) {
        if (t0 - r > p->lgn) lg_fill(p, t0 - r);
        k->g -= p->lg[t0 - r] - p->lg[t0 - s];
    }
    return k->g > 0 && cone_sleep(p, s, t0);
}

/* Groups (mean cost). Let the members s of a group have cones against the
 * same r (cone_set: n1 = s - r, g_s = k[s].g) and write P(T) = S1[T] - S1[r],
 * N = T - r, n2 = T - s. As N P(s) - n1 P(T) = n1 n2 (m1 - m2),
 *   gain_s(T) = N / (n1 n2) (P(s) - n1 P(T) / N)^2.
 * With c the mean of x[r+1..t0], R(T) = P(T) - N c (= 0 at t0) and A_s =
 * P(s) - n1 c, P(s) - n1 P(T) / N = A_s - n1 R(T) / N, so gain_s(T) < g_s
 * whenever |R(T)| < h_s(T) = sqrt(g_s N n2 / n1) - N |A_s| / n1. For T >=
 * t0 the derivative of sqrt(N n2) is (N + n2) / (2 sqrt(N n2)) >= 1, so
 *   h_s(T) >= h_s(t0) + (T - t0) k_s,  k_s = (sqrt(g_s n1) - |A_s|) / n1,
 * and every member sleeps while |R(T)| < h + (T - t0) k, with h and k the
 * smallest h_s(t0) and k_s: one check a block for the whole group, which
 * typically fails only once the mean has moved after t0. h_s and k_s are
 * computed less their rounding (|A_s| + eps, square roots less 1e-12); c is
 * rounded too, so the computed R(t0) is not exactly 0, but the identity
 * holds for any c, and the error of R(T) (about 1e-16 n max|x|) is within
 * the eps of the block bounds. At a change, the members are tested once
 * against the PELT rule at t - minseg (dropped for good if beaten)
 * before they wake or regroup. */
/* candidates join a group from this age on (younger ones have narrow cones,
 * whose small h_s would hold the whole group back); with TB_AGE 2, ages 4,
 * 8 and 16 took 1,357, 1,370 and 1,423 instructions a step under MBIC (as
 * above), and 8 was the fewest with pen 25 and BIC */
#define TB_GROUP_AGE 8
/* meanvar groups split at t0 - TB_GROUP_LAG (group_form_var()) */
#define TB_GROUP_LAG TB_BLOCK

/* Does the group hold for every T from T0 to the end of T0's block of level
 * l? On the block, R(T) lies within the block's bound of R(jb) + (T - jb)
 * (u - c): convex against a linear bound, so the ends decide. */
static inline int group_holds(const pelt_state *p, const group_t *g, int T0, int l) {
    if (p->cost == TB_COST_MEANVAR)   /* the group's cone (group_form_var()) */
        return cone_holds_k(p, p->gv + (g - p->g), g->t0 - TB_GROUP_LAG, T0, l);
    const int sh = TB_SHIFT + l, jb = (T0 >> sh) << sh;
    const int T1 = jb + (1 << sh) - 1 < p->n ? jb + (1 << sh) - 1 : p->n;
    const double *b = p->blk[l] + 2 * (T0 >> sh), du = b[0] - g->c;
    const double r0 = (p->s1[jb] - g->s0) - (jb - g->t0) * g->c;
    return fabs(r0 + (T0 - jb) * du) + b[1] < g->h + (T0 - g->t0) * g->k &&
           fabs(r0 + (T1 - jb) * du) + b[1] < g->h + (T1 - g->t0) * g->k;
}

/* The MBIC rule for good (see above), given a lower bound a on F[s] +
 * C(s+1..t) - F[t]: a + (t - s) / (n - s) > 0, where the term (<= log((n -
 * s) / (n - t))) lies in [0, 1], so a > 0 or a <= -1 decides without it. */
static inline int mbic_beaten(double a, int s, int t, double n) {
    return a > 0 || (a > -1 && a + (t - s) / (n - s) > 0);
}

/* Is the variance of x[a+1..b] (two points or more) above the floor of
 * seg_cost(), with its rounding? */
static inline int above_floor(const pelt_state *p, int a, int b) {
    const int len = b - a;
    if (len < 2) return 0;
    const double e1 = p->s1[b] - p->s1[a], e2 = p->s2[b] - p->s2[a];
    return (e2 - e1 * e1 / len) - p->epsq > 1e-10 * len;
}

/* A meanvar cost as seg_cost() computes it, with log_approx(): within
 * len ERR_LEN of it when the variance is above the floor. */
static inline double seg_cost_approx(double s1, double s2, int len) {
    const double sigsq = (s2 - ((s1 * s1) / len)) / len;
    return len * (log(2 * M_PI) + log_approx(sigsq) + 1);
}

/* Is s beaten for good at t (the rule of prune(), with F[t] known), so that
 * it can be dropped from t + minseg on, when t is admissible? */
static int beaten_for_good(pelt_state *p, int s, int t) {
    if (t <= s) return 0;
    const int len = t - s;
    double c = seg_cost(p->cost, p->s1[t] - p->s1[s], p->s2[t] - p->s2[s], len);
    if (!p->mbic) return p->F[s] + c + p->pen > p->F[t] + p->pen;
    if (len > p->lgn) lg_fill(p, len);
    double a = (p->F[s] + (c + p->lg[len]) + p->pen) - (p->F[t] + p->pen) - p->lg[len] - p->slack;
    return mbic_beaten(a, s, t, p->n);
}

/* A candidate that cannot sleep in a group: alone in its cone from t if it
 * holds, else awake. */
static void sleep_alone(pelt_state *p, int s, int t) {
    if (!cone_sleep(p, s, t)) p->wk[p->nw++] = s;
}

/* A candidate of the meanvar cost that cannot sleep in a group: in its cone
 * (cone_enter()) if it holds, else awake. */
static void sleep_var(pelt_state *p, int s, int t, int tau) {
    if (!cone_enter(p, s, t, tau)) p->wk[p->nw++] = s;
}

/* Group j sleeps to the end of t's block of level l. */
static void group_due(pelt_state *p, int j, int t, int l) {
    const int due = (t >> TB_SHIFT) + (1 << l);
    p->g[j].lev = l; p->g[j].nxt = p->ghead[due]; p->ghead[due] = j;
}

/* Forms the group of T0 = t from the pending candidates (all after tau =
 * last[t - 1]); those whose bound is not positive sleep alone. */
static R_xlen_t group_form_var(pelt_state *p, int t, int al);
static R_xlen_t group_form(pelt_state *p, int t, int al) {
    if (p->cost == TB_COST_MEANVAR) return group_form_var(p, t, al);
    const int np = p->np, tau = p->last[t - 1], N0 = t - tau;
    p->np = 0;
    if (!np) return 0;
    if (p->mbic && N0 > p->lgn) lg_fill(p, N0);
    group_t *g = p->g + (t >> TB_SHIFT);
    g->r = tau; g->t0 = t; g->s0 = p->s1[t]; g->head = -1;
    g->c = (p->s1[t] - p->s1[tau]) / N0;
    double h = R_PosInf, kk = R_PosInf;
    int m = 0;
    for (int i = 0; i < np; i++) {
        const int s = p->pend[i], n1 = s - tau, n2 = t - s;
        cone_t *k = p->k + s;
        if (k->rev || k->r != tau) cone_set(p, s, tau);
        double gs = k->d;
        if (p->mbic) gs -= p->lg[N0] - p->lg[n2];
        k->g = gs;
        if (!(gs > 0)) { p->wk[p->nw++] = s; continue; }
        const double a = fabs((p->s1[s] - p->s1[tau]) - n1 * g->c) + p->eps;
        const double hs = sqrt(gs * N0 * n2 / n1) * (1 - 1e-12) - N0 * a / n1;
        const double ks = (sqrt(gs * n1) * (1 - 1e-12) - a) / n1;
        if (!(hs > 0) || !(ks >= 0)) { sleep_alone(p, s, t); continue; }
        if (hs < h) h = hs;
        if (ks < kk) kk = ks;
        k->nxt = g->head; g->head = s; m++;
    }
    if (!m) return np;
    g->h = h; g->k = kk;
    int l = al < 1 ? al : 1;
    for (; l >= 0; l--) if (group_holds(p, g, t, l)) break;
    if (l >= 0) {
        group_due(p, t >> TB_SHIFT, t, l);
    } else {
        for (int s = g->head, nx; s >= 0; s = nx) { nx = p->k[s].nxt; sleep_alone(p, s, t); }
    }
    return np + 2;
}

/* Groups (meanvar): the members s of the group formed at T = t0 (a block
 * start) come after r = tau = last[t0 - 1] and at least two points before
 * q = t0 - TB_GROUP_LAG. Splitting a segment never raises its cost while no
 * variance is floored (see the cones above), so for T >= t0, C(s+1..T) >=
 * C(s+1..q) + C(q+1..T), and with V_s(T) = F[s] + C(s+1..T) + pen (+ log(T
 * - s)),
 *   V_s(T) - V_r(T) >= h_s - gain(T) - [log((T - r) / (T - s)) - log((t0 -
 *   r) / (t0 - s))],
 *   h_s = F[s] - F[r] + C(s+1..q) - C(r+1..q) - log((t0 - r) / (t0 - s)),
 * where gain(T) = C(r+1..T) - C(r+1..q) - C(q+1..T) is the gain from
 * splitting r+1..T at q, the same for every member, and the MBIC bracket
 * (the logs only under MBIC) decreases in T, so it is at most 0. Every
 * member is strictly beaten by r, which is admissible before T, while
 * gain(T) < h = min h_s: the cone of q against r (cone_set()'s, with D =
 * h), checked a block of T at a time for the whole group as a sleeper's
 * cone is, with at least TB_GROUP_LAG points after q (closer to q the
 * variance of x[q+1..T] is too loose a bound and the cone fails). h_s is
 * computed less six slacks, for its four values and the two compared at T;
 * x[s+1..q] and x[r+1..q] must be above the variance floor with their
 * rounding (epsq), and the cone check ensures it of x[q+1..T] (then x[r+1..T]
 * is too, being at least their smaller variance). This makes the cones of
 * a segment's sleepers one check a block, as the groups of the mean cost
 * do: 5,300 instead of 7,100 instructions a step (MBIC, n = 1e5, 100
 * changes), 5,300 instead of 7,200 under BIC. Members with h_s at most
 * TB_GROUP_VAR, which would hold the whole group back (8, 12, 16, 20 and 25
 * gave the same counts within 2%), sleep alone (sleep_var()). A new group's
 * cone fails at its first block about one time in four, even in long
 * segments (the variance of x[q+1..T] is then still loosely bounded): its
 * members with the smallest h_s leave for the young group (below), which
 * checks its gain exactly at each T, and the others try again, at most
 * TB_GROUP_TRIES times. Sending them all to sleep alone, as before, took
 * 3,800 instructions a step (MBIC, n = 1e5, 100 changes; 3,050 with 5
 * changes); all to the young group 3,550 (2,855); with one, two and three
 * tries 3,428, 3,418 and 3,418 (2,809 each). The members of a group whose
 * cone fails later join the next group formed. */
#define TB_GROUP_VAR 8
#define TB_GROUP_TRIES 2

/* For a group formed at t with split q against r: V_r as h_s needs it, F[r]
 * + C(r+1..q) (+ log(t - r)), with C(r+1..q) in *crq; NaN when x[r+1..q] is
 * not above the floor (no group). */
static double group_base(pelt_state *p, int r, int q, int t, double *crq) {
    if (!above_floor(p, r, q)) return R_NaN;
    if (p->mbic && t - r > p->lgn) lg_fill(p, t - r);
    *crq = seg_cost(TB_COST_MEANVAR, p->s1[q] - p->s1[r], p->s2[q] - p->s2[r], q - r);
    return p->F[r] + *crq + (p->mbic ? p->lg[t - r] : 0);
}

/* h_s of member s (see above), less six slacks and the error of
 * log_approx(); -Inf when x[s+1..q] is not above the floor or there is no
 * group (vr NaN). (With log(), 3,418 instead of 3,336 instructions a step:
 * MBIC, n = 1e5, 100 changes.) */
static inline double group_h(const pelt_state *p, int s, int q, int t, double vr) {
    if (ISNAN(vr) || !above_floor(p, s, q)) return R_NegInf;
    const int n1 = q - s;
    return p->F[s] + seg_cost_approx(p->s1[q] - p->s1[s], p->s2[q] - p->s2[s], n1) +
           (p->mbic ? p->lg[t - s] : 0) - vr - 6 * p->slack - n1 * ERR_LEN;
}

static void young_pend(pelt_state *p, int s);
static R_xlen_t group_form_var(pelt_state *p, int t, int al) {
    const int np = p->np, tau = p->last[t - 1], q = t - TB_GROUP_LAG, N0 = q - tau;
    p->np = 0;
    if (!np) return 0;
    group_t *g = p->g + (t >> TB_SHIFT);
    cone_t *vc = p->gv + (t >> TB_SHIFT);
    const double d1 = p->s1[q] - p->s1[tau], d2 = p->s2[q] - p->s2[tau];
    g->r = tau; g->t0 = t; g->head = -1;
    vc->r = tau; vc->rev = 0; vc->n1 = N0; vc->c = N0 > 0 ? d1 / N0 : 0;
    vc->v = N0 > 0 ? (d2 - d1 * d1 / N0) / N0 : 0;
    double crq = 0, h = R_PosInf;
    const double vr = group_base(p, tau, q, t, &crq);
    int m = 0;
    for (int i = 0; i < np; i++) {
        const int s = p->pend[i];
        const double hs = group_h(p, s, q, t, vr);
        if (!(hs > TB_GROUP_VAR)) { sleep_var(p, s, t, tau); continue; }
        if (hs < h) h = hs;
        p->k[s].g = hs;
        p->k[s].nxt = g->head; g->head = s; m++;
    }
    /* if the group's cone fails, members with h_s up to twice h (or h +
     * TB_GROUP_VAR) leave for the young group, at most TB_GROUP_TRIES
     * times, then all */
    for (int tries = 0; m; tries++) {
        vc->d = vc->g = h;
        int l = al < 1 ? al : 1;
        for (; l >= 0; l--) if (group_holds(p, g, t, l)) break;
        if (l >= 0) {
            group_due(p, t >> TB_SHIFT, t, l);
            break;
        }
        const double up = 2 * h > h + TB_GROUP_VAR ? 2 * h : h + TB_GROUP_VAR;
        const double thr = tries < TB_GROUP_TRIES ? up : R_PosInf;
        int head = -1;
        m = 0; h = R_PosInf;
        for (int s = g->head, nx; s >= 0; s = nx) {
            nx = p->k[s].nxt;
            const double hs = p->k[s].g;
            if (hs <= thr) { young_pend(p, s); continue; }
            if (hs < h) h = hs;
            p->k[s].nxt = head; head = s; m++;
        }
        g->head = head;
    }
    return np + 2;
}

/* Young groups (meanvar). A candidate joins a group only from TB_GROUP_LAG
 * + 2 points old; younger ones, from TB_AGE_VAR points old, used to sleep
 * alone in cones that seldom hold so close to s (scans of every T of the
 * block). Instead, at each block start t0 they form one young group whose
 * split is q = t0 - TB_YLAG (members at least two points before q), with
 * the bound of group_form_var() (same proof, same h_s, r = tau), valid for
 * T >= t0 while gain(T) = C(r+1..T) - C(r+1..q) - C(q+1..T) < h = min h_s.
 * As q + TB_YLAG = t0 <= T, that gain is computed exactly at each T of the
 * block (two costs a step for the whole group; its three costs carry three
 * slacks), after x[q+1..T] is checked to be above the variance floor. As
 * the bound holds member by member (s sleeps while gain(T) < h_s), only
 * the members whose h_s the gain reaches wake (3,506 instructions a step
 * against 3,550 when all woke; MBIC, n = 1e5, 100 changes). The young group
 * also takes the members of new groups whose cone fails (group_form_var()),
 * at least TB_GROUP_LAG + 2 points before t0. When t0 + TB_BLOCK starts the
 * next block the members join the (old) group formed there, or sleep alone
 * (sleep_var()).
 * At a change the gain soon passes every h_s, and the whole old segment
 * woke, to be dropped one by one over the next blocks. But the same bound
 * gives V_s(T) >= V_r(T) + h_s - gain(T), and once the change is found r is
 * far above the optimum: the check is made after the optimum at T among
 * the awake (young_after()), and s sleeps on while h_s > gain(T) - (V_r(T)
 * - best). Members before the new tau then stay together, as the retired
 * group, dropped at block starts when beaten for good, and sleep alone
 * after TB_RETIRE blocks. On the series above the awake candidates before
 * tau went from 10.1 to 3.7 a step, and 3,336 instructions a step to 2,923
 * (with 5 changes 2,740 to 2,764: the check after the optimum costs a
 * little more); retiring for 1, 2, 4, 8 and 64 blocks gave 2,951, 2,945,
 * 2,936, 2,934 and 2,943. Splits 2, 3, 4, 6 and 8 points before t0 took 3,795,
 * 3,810, 3,862, 4,040 and 4,188 instructions a step (as above, before the
 * young group took failed groups' members; 3,036 to 3,467 with 5 changes);
 * closer, x[q+1..t0] is one point, whose variance is 0. Forming a young
 * group every 4 steps instead of at block starts, the standing one merged
 * into it (for q1 < q <= T, C(q1+1..T) >= C(q1+1..q) + C(q+1..T) gives
 * gain_q1(T) <= gain_q(T) + gain_q1(q), so its members' h_s drop by
 * gain_q1(q), one cost a merge), cut the young awake from 9.3 to 4.1 a step
 * but took 2,553 instructions a step against 2,329 (1 change: 2,308 against
 * 2,337): the gain of splitting off 4 points is often large, their
 * variance often small, and members woke 5 times as often (0.41 a step
 * against 0.079). */
#define TB_YLAG 2

static void young_pend(pelt_state *p, int s) {
    p->k[s].nxt = p->yp;
    p->yp = s;
}

/* The young group G's bound on gain(T), its errors added: +Inf when the
 * variance of x[q+1..T] may be floored. (The variances of x[q+1..T] and
 * x[r+1..T] are then above the floor, so log_approx() serves.) *cr is
 * C(r+1..T) with log_approx(). */
static double young_gain(const pelt_state *p, const ygroup_t *G, int T, double *cr) {
    const int q = G->q, r = G->r, n2 = T - q;
    const double e1 = p->s1[T] - p->s1[q], e2 = p->s2[T] - p->s2[q];
    if (!above_floor(p, q, T)) return R_PosInf;
    *cr = seg_cost_approx(p->s1[T] - p->s1[r], p->s2[T] - p->s2[r], T - r);
    const double g = *cr - G->crq - seg_cost_approx(e1, e2, n2);
    return g + 3 * p->slack + (double) (T - r + n2) * ERR_LEN;
}

/* After the optimum at T among the active candidates (*best, at *bs), the
 * members of young group G that may beat it wake: V_s(T) >= V_r(T) + h_s -
 * gain(T) (see group_form_var()), so s cannot be an optimum at T while h_s
 * > gain(T) - max(0, V_r(T) - best). The woken are evaluated at T (exactly,
 * the smaller s first on a tie, as pick_best() has it) and join the list at
 * T + 1. (A better optimum found among them only raises V_r(T) - best, so
 * no other member need wake for it.) */
static void young_wake_at(pelt_state *p, ygroup_t *G, int T, double *best, int *bs) {
    double cr = 0;
    const double g = young_gain(p, G, T, &cr);
    if (g < G->h) return;                /* beaten by r: none wakes */
    double up = 0;                       /* a lower bound on V_r(T) - best */
    if (g < R_PosInf) {
        const int r = G->r;
        if (p->mbic && T - r > p->lgn) lg_fill(p, T - r);
        up = p->F[r] + (cr + (p->mbic ? p->lg[T - r] : 0)) + p->pen - *best -
             2 * p->slack - (double) (T - r) * ERR_LEN;
    }
    const double thr = up > 0 ? g - up : g;
    if (thr < G->h) return;
    int k = 0;
    double h = R_PosInf;
    for (int i = 0; i < G->m; i++) {
        const young_t y = G->y[i];
        if (thr < y.h) {
            if (y.h < h) h = y.h;
            G->y[k++] = y;
            continue;
        }
        const int len = T - y.s;
        double c = seg_cost(TB_COST_MEANVAR, p->s1[T] - p->s1[y.s], p->s2[T] - p->s2[y.s], len);
        if (p->mbic) {
            if (len > p->lgn) lg_fill(p, len);
            c += p->lg[len];
        }
        const double v = p->F[y.s] + c + p->pen;
        if (v < *best || (v == *best && y.s < *bs)) { *best = v; *bs = y.s; }
        p->wk[p->nw++] = y.s;
    }
    G->m = k;
    G->h = h;
    G->on = k > 0;
}

/* ... for the young group and the retired one. */
static void young_after(pelt_state *p, int T, double *best, int *bs) {
    for (int j = 0; j < 2; j++) if (p->yg[j].on) young_wake_at(p, p->yg + j, T, best, bs);
}

/* At t = t0 + TB_BLOCK the members of the young group formed at t0 join
 * the (old) group formed at t, or sleep alone (sleep_var()), those after
 * tau; those before it, if tau has moved from r (a change), stay together
 * as the retired group. The retired group's members are dropped when
 * beaten for good, and after TB_RETIRE blocks sleep alone. */
#define TB_RETIRE 4
static R_xlen_t young_end(pelt_state *p, int t, int tau) {
    ygroup_t *R = p->yg + 1, *Y = p->yg;
    R_xlen_t checks = 0;
    if (R->on) {
        const int old = ++R->age > TB_RETIRE;
        int k = 0;
        double h = R_PosInf;
        for (int i = 0; i < R->m; i++) {
            const young_t y = R->y[i];
            checks++;
            if (beaten_for_good(p, y.s, t - p->minseg)) continue;
            if (old) { sleep_var(p, y.s, t, tau); continue; }
            if (y.h < h) h = y.h;
            R->y[k++] = y;
        }
        R->m = k; R->h = h; R->on = k > 0;
    }
    if (!Y->on) return checks;
    const int retire = Y->r != tau;
    if (retire && R->on) {
        for (int i = 0; i < R->m; i++) sleep_var(p, R->y[i].s, t, tau);
        checks += R->m;
        R->m = 0; R->on = 0;
    }
    int k = 0;
    double h = R_PosInf;
    for (int i = 0; i < Y->m; i++) {
        const young_t y = Y->y[i];
        checks++;
        if (retire && y.s < tau) {
            if (y.h < h) h = y.h;
            Y->y[k++] = y;
        } else if (y.s > tau && t - y.s >= p->gage) {
            pend(p, y.s);
        } else {
            sleep_var(p, y.s, t, tau);
        }
    }
    Y->m = k; Y->h = h; Y->on = k > 0;
    if (Y->on) {                      /* Y retires: swap the two */
        const ygroup_t tmp = *R;
        *R = *Y; *Y = tmp;
        R->age = 0;
    }
    return checks;
}

/* Forms the young group of t0 = t from the young pending (all after tau =
 * last[t - 1], at least TB_YLAG + 2 points old). */
static R_xlen_t group_form_young(pelt_state *p, int t) {
    ygroup_t *Y = p->yg;
    int s = p->yp;
    p->yp = -1;
    if (s < 0) return 0;
    const int r = p->last[t - 1], q = t - TB_YLAG;
    double crq = 0, h = R_PosInf;
    const double vr = group_base(p, r, q, t, &crq);
    int m = 0;
    R_xlen_t checks = 0;
    while (s >= 0) {
        const int nx = p->k[s].nxt;
        const double hs = group_h(p, s, q, t, vr);
        checks++;
        if (hs > TB_GROUP_VAR) {
            if (m == Y->cap) {
                const size_t c = new_room((size_t) Y->cap, (size_t) m + 1, (size_t) p->n + 2);
                Y->y = grow(p, Y->y, (size_t) m, c, sizeof(young_t));
                Y->cap = (int) c;
            }
            Y->y[m].s = s; Y->y[m].h = hs; m++;
            if (hs < h) h = hs;
        } else {
            sleep_var(p, s, t, r);
        }
        s = nx;
    }
    Y->m = m;
    Y->r = r; Y->q = q; Y->crq = crq; Y->h = h; Y->on = m > 0; Y->age = 0;
    return checks;
}

/* At t = j TB_BLOCK: each sleeper due (alone) before tau = last[t - 1] is
 * dropped if beaten for good at t - minseg (so from t on); the others try
 * the longest block starting at t, up to one level above their last, then
 * shorter ones, and sleep on to the end of the first whose cone holds, else
 * as cone_sleep() has it, else return to the list. Under groups, sleepers
 * after tau old enough join the group formed at t instead; a group due
 * sleeps on as a sleeper does, else its members are dropped if beaten for
 * good, else join the new group (or sleep alone, or wake). Returns the
 * number of checks made. (A group tries one level up at each wake; under
 * meanvar, MBIC, n = 1e5, 35% of the checks after its first fail with 1
 * change, 41% with 100. Not trying one up at the wake after such a failure
 * took 2,357 and 2,337 instructions a step against 2,337 and 2,329.) */
static R_xlen_t cone_wake(pelt_state *p, int t) {
    R_xlen_t checks = 0;
    int al = 0;                                   /* t starts blocks of levels <= al */
    for (int q = t >> TB_SHIFT; al < TB_LEVELS - 1 && !(q & 1); q >>= 1) al++;
    const int tau = p->last[t - 1];
    int s = p->chead[t >> TB_SHIFT];
    p->chead[t >> TB_SHIFT] = -1;
    while (s >= 0) {
        cone_t *k = p->k + s;
        int nx = k->nxt, l = k->lev + 1 < al ? k->lev + 1 : al;
        if (s < tau && beaten_for_good(p, s, t - p->minseg)) {   /* dropped */
            s = nx;
            continue;
        }
        if (p->groups && s > tau && t - s >= p->gage) {
            pend(p, s);
            s = nx;
            continue;
        }
        for (; l > 0; l--) {
            checks++;
            if (cone_holds(p, s, t, l)) break;
        }
        if (l > 0) {
            int due = (t >> TB_SHIFT) + (1 << l);
            k->lev = l; k->nxt = p->chead[due]; p->chead[due] = s;
        } else {
            checks++;
            sleep_alone(p, s, t);
        }
        s = nx;
    }
    if (!p->groups) return checks;
    int j = p->ghead[t >> TB_SHIFT];
    p->ghead[t >> TB_SHIFT] = -1;
    while (j >= 0) {
        group_t *g = p->g + j;
        int nx = g->nxt, l = g->lev + 1 < al ? g->lev + 1 : al;
        for (; l >= 0; l--) {
            checks++;
            if (group_holds(p, g, t, l)) break;
        }
        if (l >= 0) {
            group_due(p, j, t, l);
        } else {
            for (int m = g->head, mx; m >= 0; m = mx) {
                mx = p->k[m].nxt;
                checks++;
                if (beaten_for_good(p, m, t - p->minseg)) continue;
                if (m > tau) pend(p, m);
                else if (p->cost == TB_COST_MEANVAR) sleep_var(p, m, t, tau);
                else sleep_alone(p, m, t);
            }
        }
        j = nx;
    }
    checks += young_end(p, t, tau);
    checks += group_form(p, t, al);
    if (p->cost == TB_COST_MEANVAR) checks += group_form_young(p, t);
    return checks;
}

/* Plain PELT pruning, when no cone is tried and minseg = 1: keep the
 * candidates with F[s] + C(s+1..t) <= F[t] (for the mean cost, the leading
 * run of kept ones is not copied). */
static void prune_plain(pelt_state *p, int t, double best) {
    const double bound = best + p->pen;
    int k = 0;
    if (p->cost == TB_COST_MEAN) while (k < p->nc && p->tmp[k] <= bound) k++;
    for (int i = k; i < p->nc; i++) {
        if (above(p, i, t, bound)) continue;
        if (k != i) copy_cand(p, i, k);
        k++;
    }
    p->nc = k;
}

/* After F[t], each active candidate is dropped if beaten for good (the PELT
 * rule; under MBIC, the rule above), else, when t + 1 starts a block and s
 * is after tau and at least gage old, set aside for the group formed
 * at t + 1 (under groups), else, when t + 1 starts a block or t + 1 - s is a
 * power of two, sent to sleep in its cone if it holds, else kept. A drop
 * found at t takes effect from t + minseg on, when t itself becomes
 * admissible; until then the candidate stays. Under meanvar groups all this
 * is done only when t + 1 starts a block (a candidate kept longer than
 * needed changes nothing but time): 4,520 instead of 5,330 instructions a
 * step under MBIC (n = 1e5, 100 changes; 3,760 instead of 4,670 with 5
 * changes), 4,600 instead of 5,270 under BIC and 5,400 instead of 5,970
 * with pen 25. */
/* Under meanvar groups, where prune() runs once a block: tau itself, the
 * optimum at t, is not sent to a cone (which would have it beaten from t +
 * 1 on), and a candidate before tau tries one only at ages of 2^k blocks
 * (the reverse cones of the few just before a change seldom hold: tried
 * every block, 2,502 instructions a step, not 2,402; MBIC, n = 1e5, 100
 * changes; 2,489 and 2,400 with 5 changes). */
static inline int late(int s, int tau, int age) {
    const int b = age >> TB_SHIFT;
    return s == tau || (s < tau && (b & (b - 1)));
}

static void prune(pelt_state *p, int t, double best) {
    const double bound = best + p->pen, nn = p->n;
    const int from = t + p->minseg, t0 = t + 1, aligned = !(t0 & (TB_BLOCK - 1)), tau = p->last[t];
    const int approx = p->cost == TB_COST_MEANVAR;
    if (approx && p->groups && !aligned) return;
    int k = 0;
    for (int i = 0; i < p->nc; i++) {
        const int s = p->cs[i], n0 = t0 - s;
        int lv = p->leave[i], beaten;
        if (p->mbic) {
            /* a lower bound on F[s] + C(s+1..t) - F[t] */
            double a = (p->tmp[i] - (approx ? p->err[i] : 0)) - bound - p->lg[t - s] - p->slack;
            beaten = mbic_beaten(a, s, t, nn);
        } else {
            beaten = above(p, i, t, bound);
        }
        if (beaten) {
            if (from < lv) lv = from;
        } else if (p->groups && aligned && s > tau && n0 >= p->gage && t < p->n) {
            pend(p, s);
            continue;
        } else if (p->groups && approx && aligned && s > tau && n0 >= TB_YLAG + 2 && t < p->n) {
            young_pend(p, s);
            continue;
        } else if (p->cones && n0 >= (approx ? TB_AGE_VAR : TB_AGE) && t < p->n &&
                   (aligned || !(n0 & (n0 - 1))) && !(approx && p->groups && late(s, tau, n0)) &&
                   cone_enter(p, s, t0, tau)) {
            continue;
        }
        if (lv <= t0) continue;                    /* not needed at t + 1 */
        if (k != i) copy_cand(p, i, k);
        p->leave[k++] = lv;
    }
    p->nc = k;
}

/* Functional pruning for the mean cost (after Maidstone,
 * Hocking, Rigaill & Fearnhead 2017, with two kinds of rival). At t write
 * q_s(mu) = F[s] + pen + sum over s+1..t of (x_i - mu)^2. Every candidate
 * adds the same terms after t, so for T > t the value of s is
 *   V_s(T) = min over mu of [q_s(mu) + sum over t+1..T of (x_i - mu)^2] +
 *            log(T - s),
 * attained at mu* = the mean of x[s+1..T]; if some candidate r, admissible
 * before T, has q_s(mu*) - q_r(mu*) >= log((T - r) / (T - s)), then V_s(T)
 * >= V_r(T) >= F[T] and s cannot be the (first) optimum at T. Two rivals:
 *  - the later t, admissible for T >= t + minseg, with q_t = F[t] + pen:
 *    q_s(mu) - q_t(mu) = n1 (mu - m1)^2 - g with m1, n1 = t - s the mean and
 *    length of x[s+1..t] and g = F[t] - F[s] - C(s+1..t); the bracket is at
 *    most log((n - t) / (n - s)) <= -(t - s) / (n - s) = -y for T <= n. So
 *    t beats s at every mu* outside |mu - m1| < sqrt((g - y) / n1); the
 *    interval is empty under the MBIC rule (g - y < 0), and stays valid for
 *    every later T, so s keeps the intersection [lo, hi] of the intervals of
 *    all t at which it was tested.
 *  - tau = last[t] < s (admissible): q_s(mu) - q_tau(mu) = P - n0 (mu -
 *    m0)^2 with m0, n0 = s - tau the mean and length of x[tau+1..s] and P =
 *    F[s] - F[tau] - C(tau+1..s); for T >= t0 = t + minseg the bracket is at
 *    most c = log((t0 - tau) / (t0 - s)). So tau beats s at every mu* with
 *    |mu - m0| <= R0, R0^2 = (P - c) / n0.
 * Without MBIC the same holds with every log term 0 (lg is a table of
 * zeros, and y = 0: kcn is 0), the PELT rule being a > 0.
 * If [lo, hi] is empty or inside [m0 - R0, m0 + R0], every mu* is covered
 * and s is dropped from t0 on. Rounding: g carries the slack of the MBIC
 * rule and P four slacks (as D of the cones), m1 and m0 are within eps of
 * the exact means, and both the interval and its distance from m0 are
 * widened by 2 eps. In a segment of L points about 13 candidates stay
 * active when L = 1,000 and 26 when L = 7,000 (the PELT rule alone keeps
 * about L / 2). Every candidate is tested when t + 1 starts a block of
 * TB_KILL_EVERY (= TB_BLOCK), the TB_KILL_TAIL latest also at the other t:
 * (16, 4), (8, 4), (4, 4), (8, 2) and (32, 4) took 0.40, 0.45, 0.42, 0.40
 * and 0.39 of the time of the cones (100 changes in 1e5 points) and 0.56,
 * 0.76, 0.65, 0.61 and 0.59 with 5 changes, when every candidate was
 * computed at every t. Since only those whose key reaches the optimum are
 * (values_mean_lazy()), the tests cost more than the values: 37.9 are
 * tested at a block start and 14.2 of them die, while the latest at the
 * other t die one time in eight; with the latest 0, 1, 2 and 4 tested,
 * 1,103, 1,127, 1,153 and 1,245 instructions a step (before jhint and the
 * four-lane scan of the keys), and 1 was the fastest (0 was 3-20% slower on
 * 2e5 points with a change every 1,000, with none, with a slow drift, and
 * on 1e6 points).
 * In a long segment the active candidates keep growing in number (about
 * 120 after 1e5 points with minseglen 1, 200 with 5); while more than
 * TB_KILL_CROWD are active, those after tau that have survived TB_KILL_SLEEP
 * points sleep in the groups of the cones (set up at the first), keeping
 * their [lo, hi] (slo, shi) for when they wake: 3e5 points with no change
 * and minseglen 5 took 0.29-0.37 s without, 0.11-0.13 s with (the cones
 * alone 0.12-0.27 s); 1e6 points of slow drift 0.83 s without, 0.72 s with
 * (the cones alone 1.7 s). Crowds of 48 to 192 with ages 64-256 gave the
 * same times within noise on long segments; below 128 the cones were set
 * up once on 1e6 points with a change every 1,000 (12% slower). */
#define TB_KILL_EVERY 16
#if TB_KILL_EVERY != TB_BLOCK
#error "prune_kill() tests every candidate when t + 1 starts a block, where groups form"
#endif
#define TB_KILL_TAIL 1
#ifndef TB_KILL_CROWD
#define TB_KILL_CROWD 128
#endif
#ifndef TB_KILL_SLEEP
#define TB_KILL_SLEEP 256
#endif

/* km0, kp, kiv of candidate i against tau. */
static void kill_set(pelt_state *p, int i, int tau) {
    const int s = p->cs[i], n0 = s - tau;
    const double d1 = p->s1[s] - p->s1[tau], d2 = p->s2[s] - p->s2[tau], iv = 1.0 / n0;
    p->km0[i] = d1 * iv;
    p->kiv[i] = iv;
    p->kp[i] = (p->F[s] - p->F[tau] - seg_cost(TB_COST_MEAN, d1, d2, n0) - 4 * p->slack) * iv;
    p->ktau[i] = tau;
}

/* Is candidate i dropped at t (the MBIC rule, or the test above)? lgc =
 * log(t0 - tau); updates [lo, hi]. The vector code in prune_kill() makes the
 * same operations. */
static inline int kill_one(pelt_state *p, int i, int t, int tau, double bound, double lgc,
                           double s1t) {
    const int s = p->cs[i];
    const double S = p->cp[i], tt = (double) t, e2 = 2 * p->eps;
    const double a = p->tmp[i] - bound - p->lg[t - s] - p->slack;  /* >= -g */
    const double y = (tt - S) * p->kcn[i];
    const int beaten = (a > 0) | ((a > -1) & (a + y > 0));        /* mbic_beaten() */
    const double inv = 1 / (tt - S), m1 = (s1t - p->c1[i]) * inv;
    double g = -a - y;
    if (!(g > 0)) g = 0;
    const double r1 = sqrt(g * inv) + e2;
    double lo = m1 - r1, hi = m1 + r1;
    if (p->klo[i] > lo) lo = p->klo[i];
    if (p->khi[i] < hi) hi = p->khi[i];
    p->klo[i] = lo; p->khi[i] = hi;
    const double r2 = p->kp[i] - (lgc - p->lg[t + p->minseg - s]) * p->kiv[i];
    const double m0 = p->km0[i], wl = m0 - lo, wh = hi - m0, w = (wl > wh ? wl : wh) + e2;
    return beaten | (lo >= hi) | ((S > tau) & (w * w < r2));
}

/* Candidate i after its test (dead: dropped from t + minseg on): kept at k,
 * dropped, or, in a crowd (see above) when it is after tau and has survived
 * TB_KILL_SLEEP points, sent to the group formed at t + 1 (the cones are set
 * up at the first such candidate: most series never need them, and setting
 * them up costs a good part of a short search). */
static inline void kill_keep(pelt_state *p, int i, int dead, int t, int tau, int crowd, int *k) {
    const int from = t + p->minseg, t0 = t + 1, s = p->cs[i];
    int lv = p->leave[i];
    if (dead && from < lv) lv = from;
    if (lv <= t0) return;
    if (crowd && lv == INT_MAX && s > tau && t0 - s >= TB_KILL_SLEEP) {
        if (!p->cones) {
            p->cones = p->groups = 1;
            cones_setup(p);
        }
        cone_unset(p, s);
        p->slo[s] = p->klo[i];    /* its interval stays valid while it sleeps */
        p->shi[s] = p->khi[i];
        pend(p, s);
        return;
    }
    if (*k != i) copy_cand(p, i, *k);
    p->leave[(*k)++] = lv;
}

/* After F[t] (t < n): candidates from index i0 on are tested by kill_one()
 * and passed to kill_keep(). */
static void prune_kill(pelt_state *p, int t, double best, int i0) {
    const double bound = best + p->pen, s1t = p->s1[t];
    const int from = t + p->minseg, t0 = t + 1, tau = p->last[t], nc = p->nc;
    /* t + 1 starts a block (groups are formed there) and the list is crowded */
    const int crowd = !(t0 & (TB_BLOCK - 1)) && t0 < p->n && nc > TB_KILL_CROWD;
    const double lgc = p->lg[from - tau];
    for (int i = nc - 1; i >= i0 && p->cs[i] > tau; i--)
        if (p->ktau[i] != tau) kill_set(p, i, tau);
    int k = i0, i = i0;
#ifdef TB_VEC
    const vd TT = vset((double) t), BOUND = vset(bound), SLACK = vset(p->slack), S1T = vset(s1t);
    const vd LGC = vset(lgc), E2 = vset(2 * p->eps), TAU = vset((double) tau), Z = vset(0);
    for (; i + 2 <= nc; i += 2) {
        const int sa = p->cs[i], sb = p->cs[i + 1];
        const vd S = vload(p->cp + i);
        const vd A = vload(p->tmp + i) - BOUND - (vd) {p->lg[t - sa], p->lg[t - sb]} - SLACK;
        const vd Y = (TT - S) * vload(p->kcn + i);
        const vi beaten = (A > Z) | ((A > vset(-1)) & (A + Y > Z));
        const vd INV = vset(1) / (TT - S), M1 = (S1T - vload(p->c1 + i)) * INV;
        vd G = -A - Y;
        G = vsel((vi) (G > Z), G, Z);
        const vd R1 = vsqrt(G * INV) + E2;
        vd LO = M1 - R1, HI = M1 + R1;
        const vd OLO = vload(p->klo + i), OHI = vload(p->khi + i);
        LO = vsel((vi) (OLO > LO), OLO, LO);
        HI = vsel((vi) (OHI < HI), OHI, HI);
        vstore(p->klo + i, LO);
        vstore(p->khi + i, HI);
        const vd R2 = vload(p->kp + i) -
                      (LGC - (vd) {p->lg[from - sa], p->lg[from - sb]}) * vload(p->kiv + i);
        const vd M0 = vload(p->km0 + i), WL = M0 - LO, WH = HI - M0;
        const vd W = vsel((vi) (WL > WH), WL, WH) + E2;
        const vi dead = beaten | (vi) (LO >= HI) | ((vi) (S > TAU) & (vi) (W * W < R2));
        if (!(dead[0] | dead[1]) && p->leave[i] == INT_MAX && p->leave[i + 1] == INT_MAX &&
            !(crowd && t0 - sa >= TB_KILL_SLEEP)) {
            if (k != i) { copy_cand(p, i, k); copy_cand(p, i + 1, k + 1); }
            k += 2;
            continue;
        }
        kill_keep(p, i, dead[0] != 0, t, tau, crowd, &k);
        kill_keep(p, i + 1, dead[1] != 0, t, tau, crowd, &k);
    }
#endif
    for (; i < nc; i++) kill_keep(p, i, kill_one(p, i, t, tau, bound, lgc, s1t), t, tau, crowd, &k);
    p->nc = k;
}

/* prune_kill(p, t, best, nc - 1) when t + 1 does not start a block: the
 * latest candidate alone, which is never sent to sleep then (kill_keep()
 * sends only candidates TB_KILL_SLEEP old, at block starts), so it is kept
 * in place or dropped. */
static inline void prune_kill_tail(pelt_state *p, int t, double best) {
    const int i = p->nc - 1, tau = p->last[t], from = t + p->minseg;
    if (p->cs[i] > tau && p->ktau[i] != tau) kill_set(p, i, tau);
    const int dead = kill_one(p, i, t, tau, best + p->pen, p->lg[from - tau], p->s1[t]);
    int lv = p->leave[i];
    if (dead && from < lv) lv = from;
    if (lv <= t + 1) p->nc = i;
    else p->leave[i] = lv;
}

/* Allocations (tb_arena_alloc(): freed at the end, or on error or
 * interrupt by the arena's finalizer), cumulative sums,
 * rounding bounds, block statistics and log table for pelt_core(); the
 * runs of equal values in x into ties (cumsums()). */
static void pelt_setup(pelt_state *p, const double *x, int *ties) {
    const int n = p->n;
    const size_t n1 = (size_t) n + 1, cap = (size_t) n + 2;
    double *s1 = (double *) tb_arena_alloc(p->arena, n1, sizeof(double));
    double *s2 = (double *) tb_arena_alloc(p->arena, n1, sizeof(double));
    const double xmax = cumsums(x, n, p->centre, p->scale, p->minseg, s1, s2, ties);
    p->s1 = s1; p->s2 = s2;
#ifdef TB_AVX2
    __builtin_cpu_init();
    p->avx2 = __builtin_cpu_supports("avx2");
#endif
    const int room = cap < TB_ROOM ? (int) cap : TB_ROOM;
    p->cap = 0;
    cand_room(p, room);
    /* values are sums of terms each below s2[n] + n (60 + pen) in size;
     * |S1| <= n max|x|, and a cone's centre is a mean of x */
    p->slack = 1e-12 * (1 + fabs(s2[n]) + (double) n * (60 + p->pen));
    p->eps = 1e-12 * (1 + 4 * (double) n * xmax);
    p->epsq = 1e-12 * (1 + 2 * fabs(s2[n]) + 5 * (double) n * xmax * xmax);
    p->xmax = xmax;
    if (p->mbic) {
        p->lgcap = TB_ROOM;
        p->lg = (double *) tb_arena_alloc(p->arena, TB_ROOM, sizeof(double));
        p->lg[0] = 0;
        p->lgn = 0;
        lg_fill(p, 2 * p->minseg + 1);
    } else if (p->kill) {
        /* prune_kill() reads the MBIC logs, which are 0 without MBIC */
        p->lgcap = n + p->minseg + 2;
        p->lg = (double *) tb_arena_alloc(p->arena, (size_t) p->lgcap, sizeof(double));
        memset(p->lg, 0, (size_t) p->lgcap * sizeof(double));
        p->lgn = p->lgcap - 1;
    }
    if (p->cones) cones_setup(p);
}

/* The sleepers' lists, cones, groups and block statistics. */
static void cones_setup(pelt_state *p) {
    const int n = p->n;
    const size_t n1 = (size_t) n + 1, cap = (size_t) n + 2;
    const size_t room = cap < TB_ROOM ? cap : TB_ROOM;
    const double *s2 = p->s2, xmax = p->xmax;
    const size_t nb = ((size_t) n >> TB_SHIFT) + (1 << TB_LEVELS) + 2;
    p->chead = (int *) tb_arena_alloc(p->arena, nb, sizeof(int));
    for (size_t i = 0; i < nb; i++) p->chead[i] = -1;
    p->wk = (int *) tb_arena_alloc(p->arena, cap, sizeof(int));
    p->k = (cone_t *) tb_arena_alloc(p->arena, n1, sizeof(cone_t));
    if (p->kill) {
        p->slo = (double *) tb_arena_alloc(p->arena, n1, sizeof(double));
        p->shi = (double *) tb_arena_alloc(p->arena, n1, sizeof(double));
    }
    if (p->groups) {
        p->ghead = (int *) tb_arena_alloc(p->arena, nb, sizeof(int));
        for (size_t i = 0; i < nb; i++) p->ghead[i] = -1;
        const size_t ng = ((size_t) n >> TB_SHIFT) + 2;
        p->g = (group_t *) tb_arena_alloc(p->arena, ng, sizeof(group_t));
        if (p->cost == TB_COST_MEANVAR)
            p->gv = (cone_t *) tb_arena_alloc(p->arena, ng, sizeof(cone_t));
        p->pcap = (int) room;
        p->pend = (int *) tb_arena_alloc(p->arena, room, sizeof(int));
        p->np = 0;
        p->yp = -1;
        memset(p->yg, 0, sizeof p->yg);
    }
    for (int l = 0; l < TB_LEVELS; l++)
        p->blk[l] = (double *) tb_arena_alloc(p->arena, 2 * ((size_t) n / (TB_BLOCK << l) + 1),
                                              sizeof(double));
    block_stats(p, p->eps);
    if (p->cost != TB_COST_MEANVAR) return;
    for (int l = 0; l < TB_LEVELS; l++) {
        const size_t m = 2 * ((size_t) n / (TB_BLOCK << l) + 1);
        p->blk2[l] = (double *) tb_arena_alloc(p->arena, m, sizeof(double));
        for (size_t i = 0; i < m; i++) p->blk2[l][i] = R_NaN;   /* block_w() */
    }
    /* S2 <= S2[n], |S1| <= n max|x|, the slope u is at most max|x| */
    p->weps = 1e-12 * (1 + 4 * fabs(s2[n]) + 8 * (double) n * xmax * xmax);
}

/* Core. F[t] = min over admissible s of F[s] + C(s+1..t) + pen (+ log(t - s)
 * under MBIC), F[0] = -pen; every segment has length >= minseg. last[t] is
 * the optimal last change before t. Returns the number of change points
 * written to cpts (increasing, each the last index of a segment, excluding
 * n). */
static int pelt_core(SEXP arena, const double *x, int n, double centre, double scale, int cost,
                     double pen, int mbic, int minseg, int *cpts, double *objective,
                     double *sumsq, int *ties) {
    pelt_state st = {0}, *p = &st;
    p->arena = arena;
    p->n = n; p->cost = cost; p->mbic = mbic; p->minseg = minseg; p->pen = pen;
    p->centre = centre; p->scale = scale;
    /* Without MBIC the mean cost used the cones alone, which in a long
     * segment without a change broke and regrouped all its sleepers again
     * and again: 2e5 points of noise took 0.51 s with pen 25 and 4e5 points
     * 12.8 s (2e6: 430 s), against 0.033, 0.078 and 0.87 s with kill; with
     * a change every 1,000 points both took the same time within 10% with
     * BIC and pen 25. Below TB_CONE_PEN (AIC) the plain rule, twice as fast,
     * stays: noise alone then makes changes often enough. */
    p->kill = cost == TB_COST_MEAN && (mbic || pen >= TB_CONE_PEN);
    p->jhint = -1;
    p->cones = !p->kill && (mbic || pen >= TB_CONE_PEN);
    p->groups = p->cones;
    p->gage = cost == TB_COST_MEAN ? TB_GROUP_AGE : TB_GROUP_LAG + 2;
    const int plain = !p->cones && !p->kill && minseg == 1;
    double *F = (double *) tb_arena_alloc(p->arena, (size_t) n + 1, sizeof(double));
    int *last = (int *) tb_arena_alloc(p->arena, (size_t) n + 1, sizeof(int));
    p->F = F; p->last = last;
    pelt_setup(p, x, ties);
    const double *s1 = p->s1, *s2 = p->s2;

    F[0] = -pen; last[0] = 0;
    for (int t = 1; t < minseg && t <= n; t++) { F[t] = R_PosInf; last[t] = 0; }
    for (int t = minseg; t < 2 * minseg && t <= n; t++) {
        F[t] = seg_cost(cost, s1[t], s2[t], t);
        if (mbic) F[t] += p->lg[t];
        last[t] = 0;
    }
    push_new(p, 0);
    push_new(p, minseg);
    R_xlen_t work = 0; /* candidates evaluated and cones checked since the last interrupt check */
    for (int t = 2 * minseg; t <= n; t++) {
        if (p->cones) {
            if (!(t & (TB_BLOCK - 1))) work += cone_wake(p, t);
            if (p->nw) merge_woken(p);
        }
        work += p->nc + 1;
        if (work > ((R_xlen_t) 1 << 20)) { work = 0; R_CheckUserInterrupt(); }
        /* the list is in increasing s: the first has the longest segment */
        if (mbic && t - p->cs[0] + minseg + 1 > p->lgn) lg_fill(p, t - p->cs[0] + minseg + 1);
        double best;
        /* under kill: all candidates are computed and tested when t + 1
         * starts a block, else the latest */
        const int all = p->kill && ((t + 1) % TB_KILL_EVERY == 0 || p->nc <= TB_KILL_TAIL);
        int arg;
        if (cost == TB_COST_MEANVAR) {
            arg = pick_best(p, t, values_meanvar(p, t), &best);
        } else if (p->kill && !all) {
            arg = values_mean_lazy(p, t, p->nc - TB_KILL_TAIL, &best);
        } else {
            arg = values_mean(p, t, &best);
            if (p->kill) {
                const double ks = key_slack(p);
                for (int i = 0; i < p->nc; i++) p->key[i] = p->tmp[i] - ks;
            }
        }
        int bs = p->cs[arg];
        if (p->yg[0].on || p->yg[1].on) young_after(p, t, &best, &bs);
        F[t] = best;
        last[t] = bs;
        if (plain) {
            prune_plain(p, t, best);
        } else if (p->kill) {
            /* entries before the tail keep their place unless all are tested */
            p->jhint = !all && arg < p->nc - TB_KILL_TAIL ? arg : -1;
            if (t < n) {
                if (all) prune_kill(p, t, best, 0);
                else if (TB_KILL_TAIL == 1 && p->nc > 1) prune_kill_tail(p, t, best);
                else prune_kill(p, t, best, p->nc - TB_KILL_TAIL);
            }
        } else {
            prune(p, t, best);
        }
        /* t - minseg + 1 becomes admissible as a last change at t + 1 */
        push_new(p, t - minseg + 1);
    }
    *objective = F[n];
    *sumsq = s2[n];
    int m = 0;
    for (int t = last[n]; t > 0; t = last[t]) m++;
    int j = m;
    for (int t = last[n]; t > 0; t = last[t]) cpts[--j] = t;
    return m;
}

/* Mean and standard deviation of v = shifted(x) over each segment
 * (v[a..b-1] between consecutive change points): two passes in long double,
 * as R's mean() and sd() make; sd is NA for a one-point segment. */
static void segment_stats(const double *x, int n, double c, double sc, const int *cpts, int m,
                          double *mean, double *sd) {
    R_xlen_t done = 0;   /* points since the last interrupt check */
    for (int j = 0, a = 0; j <= m; j++) {
        const int b = j < m ? cpts[j] : n, len = b - a;
        if ((done += len) > (1 << 22)) { done = 0; R_CheckUserInterrupt(); }
        long double s = 0, t = 0, q = 0;
        for (int i = a; i < b; i++) s += shifted(x[i], c, sc);
        long double mu = s / len;
        for (int i = a; i < b; i++) t += shifted(x[i], c, sc) - mu;
        mu += t / len;
        for (int i = a; i < b; i++) {
            const long double d = shifted(x[i], c, sc) - mu;
            q += d * d;
        }
        mean[j] = (double) mu;
        sd[j] = len > 1 ? sqrt((double) (q / (len - 1))) : NA_REAL;
        a = b;
    }
}

/* The k-th smallest (from 0) of v[0..m-1], 0 <= k < m, reordering v: the
 * same value as a full sort's v[k]. Quickselect whose partitions make no
 * branch on the data: the values below a pivot (median of three) to the
 * front, then those equal to it; insertion sort for short ranges. A NaN
 * (compares false with everything) cannot stall it: a pass that moves
 * nothing ends the loop; the value is then unspecified (the callers' x has
 * been checked finite). */
static double select_k(double *v, int m, int k) {
    int lo = 0, hi = m;          /* the k-th lies in v[lo..hi-1] */
    while (hi - lo > 16) {
        double a = v[lo], b = v[lo + (hi - lo) / 2], c = v[hi - 1], t;
        if (b < a) { t = a; a = b; b = t; }
        if (c < b) { b = c; if (b < a) b = a; }
        const double pivot = b;
        int j = lo;
        for (int i = lo; i < hi; i++) {          /* v[lo..j-1] < pivot */
            const double x = v[i], y = v[j];
            const int lt = x < pivot;
            v[i] = lt ? y : x;
            v[j] = lt ? x : y;
            j += lt;
        }
        if (k < j) { hi = j; continue; }
        int e = j;
        for (int i = j; i < hi; i++) {           /* v[j..e-1] == pivot */
            const double x = v[i], y = v[e];
            const int le = x <= pivot;
            v[i] = le ? y : x;
            v[e] = le ? x : y;
            e += le;
        }
        if (k < e || e == j) return k < e ? pivot : v[k];
        lo = e;
    }
    for (int i = lo + 1; i < hi; i++) {
        const double x = v[i];
        int l = i;
        for (; l > lo && x < v[l - 1]; l--) v[l] = v[l - 1];
        v[l] = x;
    }
    return v[k];
}

/* .Call(C_ffi_phase_sample, x, diffs) -> c(centre, dvar, finite): what
 * tb_phase_centre() and tb_check_precision() (R/phases.R, the references
 * of the tests) compute in R, without the R-level copies and sorts (at 1e4
 * points they took 25-38 and 38-49 us of a 0.8 ms (mean) or 3 ms (meanvar)
 * call; this about 10 us):
 * centre, the lower median of x[seq.int(1, n, by = n %/% 1001)] (of all x
 * when n <= 2002); dvar (NA unless diffs), the lower median of (x[i + 1] -
 * x[i])^2 over i = seq.int(1, n - 1, by = max(1, (n - 1) %/% 1001));
 * finite, 1 if every x is finite, else 0 (then detect_phases() makes the
 * classed error: anyNA() and sum() took 15 us of its R time at 1e4 points,
 * this pass on the exponent bits about 4 us; ffi_pelt()'s cumulative sums
 * check again, for calls made without detect_phases()). */
SEXP ffi_phase_sample(SEXP x, SEXP diffs) {
    if (TYPEOF(x) != REALSXP || XLENGTH(x) < 1 || XLENGTH(x) > INT_MAX ||
        TYPEOF(diffs) != LGLSXP || Rf_length(diffs) != 1 || LOGICAL(diffs)[0] == NA_LOGICAL)
        tb_internal_error(__func__, "bad argument types or lengths");
    const double *px = REAL(x);
    const int n = (int) XLENGTH(x);
    uint64_t inf = 0;            /* exponent bits all set: Inf or NaN (NA) */
    const uint64_t expo = 0x7ff0000000000000ULL;
    for (R_xlen_t a = 0; a < n && !inf; a += 1 << 22) {
        if (a) R_CheckUserInterrupt();
        const R_xlen_t b = n - a < (1 << 22) ? n : a + (1 << 22);
        for (R_xlen_t i = a; i < b; i++) {
            uint64_t u;
            memcpy(&u, px + i, sizeof u);
            inf |= (u & expo) == expo;
        }
    }
    /* in double: n %/% 1001 for n > 2002, else every point */
    const int by = n > 2002 ? n / 1001 : 1;
    const int m = (n - 1) / by + 1;
    double *v = (double *) R_alloc((size_t) m, sizeof(double));
    for (int j = 0; j < m; j++) v[j] = px[(R_xlen_t) j * by];
    double centre = select_k(v, m, (m + 1) / 2 - 1), dvar = NA_REAL;
    /* -0 and 0 tie, and either may be picked: 0, so that x - centre is x
     * to the bit (-0 - -0 would be 0) */
    if (centre == 0) centre = 0;
    if (LOGICAL(diffs)[0] && n >= 2) {
        const int byd = (n - 1) / 1001 > 1 ? (n - 1) / 1001 : 1, md = (n - 2) / byd + 1;
        double *w = (double *) R_alloc((size_t) md, sizeof(double));
        for (int j = 0; j < md; j++) {
            const R_xlen_t i = (R_xlen_t) j * byd;
            const double d = px[i + 1] - px[i];
            w[j] = d * d;        /* R's d^2 is d * d */
        }
        dvar = select_k(w, md, (md + 1) / 2 - 1);
    }
    SEXP out = PROTECT(Rf_allocVector(REALSXP, 3));
    REAL(out)[0] = centre;
    REAL(out)[1] = dvar;
    REAL(out)[2] = !inf;
    UNPROTECT(1);
    return out;
}

/* .Call(C_ffi_pelt, x, cost, pen, mbic, minseglen, c(centre, scale)) ->
 *   list(cpts, objective, mean, sd, sumsq): the search on (x - centre) /
 *   scale, the mean and sd of that per segment, and its sum of squares */
SEXP ffi_pelt(SEXP x, SEXP cost, SEXP pen, SEXP mbic, SEXP minseglen, SEXP shift) {
    if (TYPEOF(x) != REALSXP || TYPEOF(cost) != INTSXP || Rf_length(cost) != 1 ||
        TYPEOF(pen) != REALSXP || Rf_length(pen) != 1 ||
        TYPEOF(mbic) != LGLSXP || Rf_length(mbic) != 1 ||
        TYPEOF(minseglen) != INTSXP || Rf_length(minseglen) != 1 ||
        TYPEOF(shift) != REALSXP || Rf_length(shift) != 2) {
        tb_internal_error(__func__, "bad argument types or lengths");
    }
    const double centre = REAL(shift)[0], scale = REAL(shift)[1];
    if (!R_FINITE(centre) || !R_FINITE(scale) || !(scale > 0))
        tb_internal_error(__func__, "bad centre or scale");
    R_xlen_t nx = XLENGTH(x);
    int c = INTEGER(cost)[0], ms = INTEGER(minseglen)[0], mb = LOGICAL(mbic)[0];
    double p = REAL(pen)[0];
    if (nx > INT_MAX - 2) tb_internal_error(__func__, "series too long");
    if (c != TB_COST_MEAN && c != TB_COST_MEANVAR) tb_internal_error(__func__, "unknown cost");
    if (ms == NA_INTEGER || ms < 1 || nx < 2 * (R_xlen_t) ms)
        tb_internal_error(__func__, "series shorter than 2 * minseglen");
    if (ISNAN(p) || p < 0 || mb == NA_LOGICAL) tb_internal_error(__func__, "bad penalty");
    const double *px = REAL(x);
    int n = (int) nx, tie[2];
    int nprotect = 0;
    SEXP arena = PROTECT(tb_arena()); nprotect++;
    /* s1, s2, F and last take 28 bytes a point, the cones' scratch about 70
     * more: slabs (memory.c) from 65,536 points */
    tb_arena_expect(arena, (size_t) n > SIZE_MAX / 64 ? SIZE_MAX : (size_t) n * 64);
    int *buf = (int *) tb_arena_alloc(arena, (size_t) n, sizeof(int));
    double obj, sumsq;
    int m = pelt_core(arena, px, n, centre, scale, c, p, mb, ms, buf, &obj, &sumsq, tie);

    SEXP out = PROTECT(Rf_allocVector(VECSXP, 6)); nprotect++;
    SEXP cp = PROTECT(Rf_allocVector(INTSXP, m)); nprotect++;
    for (int i = 0; i < m; i++) INTEGER(cp)[i] = buf[i];
    SET_VECTOR_ELT(out, 0, cp);
    SET_VECTOR_ELT(out, 1, Rf_ScalarReal(obj));
    SEXP mean = PROTECT(Rf_allocVector(REALSXP, (R_xlen_t) m + 1)); nprotect++;
    SEXP sd = PROTECT(Rf_allocVector(REALSXP, (R_xlen_t) m + 1)); nprotect++;
    segment_stats(px, n, centre, scale, buf, m, REAL(mean), REAL(sd));
    SET_VECTOR_ELT(out, 2, mean);
    SET_VECTOR_ELT(out, 3, sd);
    SET_VECTOR_ELT(out, 4, Rf_ScalarReal(sumsq));
    SEXP ties = PROTECT(Rf_allocVector(INTSXP, 2)); nprotect++;
    INTEGER(ties)[0] = tie[0];
    INTEGER(ties)[1] = tie[1];
    SET_VECTOR_ELT(out, 5, ties);
    SEXP nms = PROTECT(Rf_allocVector(STRSXP, 6)); nprotect++;
    const char *names[] = {"cpts", "objective", "mean", "sd", "sumsq", "ties"};
    for (int i = 0; i < 6; i++) SET_STRING_ELT(nms, i, Rf_mkChar(names[i]));
    Rf_setAttrib(out, R_NamesSymbol, nms);
    tb_arena_free(arena);
    UNPROTECT(nprotect);
    return out;
}
