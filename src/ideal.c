/* ideal.c: dynamic ordinal ideal points from UN General Assembly votes (Bailey, Strezhnev &
 * Voeten 2017) by an EM-type algorithm over a sparse vote list, with a Kalman smoother per state
 * and a parametric bootstrap with one random stream per replicate. */
#include "threatbalance.h"
#include <math.h>
#include <string.h>
#include <limits.h>
#include <float.h>
#include "ideal-mills.h"

/* The model: vote v of state-session s on an item of bridge class c has a latent
 * z_v = beta_c theta_s + N(0, 1), read as category 1 (yes) when z <= t1_c, 2 (abstain) when
 * t1_c < z <= t2_c and 3 (no) when z > t2_c for an ordinal class; a binary class has the one
 * cut t1_c between its categories 1 and 3. A state's theta follows a random walk across its
 * sessions: theta_first ~ N(0, prior_var), theta_k = theta_{k-1} + N(0, gap_k * omega2);
 * every theta also has a N(0, 1 / pop_prec) prior (pop_prec 0: none).
 * Priors: beta_c ~ N(0, b_var), each cut ~ N(0, t_var), omega2 ~ inverse-gamma.
 * One iteration, the map G (R/ideal.R documents it for users):
 *   E-step at the current values: every vote's truncated-normal moments (pass A), which give
 *     each class's gradient and Hessian; items: one Newton step per class, cuts kept ordered;
 *   E-step at the new items (pass B): the score and information of every state-session;
 *     theta: the Newton step on each state's path, done exactly by a Kalman filter and RTS
 *     smoother on pseudo-observations (the smoother's variances are q(theta));
 *   expansion: the move theta -> k (theta + c), beta -> beta / k, t -> t + beta c, which leaves
 *     the likelihood unchanged, to the maximum of priors plus entropy of q(theta), so that the
 *     priors fix global scale and location without a slow drift;
 *   omega2 (when estimated) from the smoother's expected squared steps.
 * The fixed point of G is found by Anderson acceleration; convergence is declared when one G
 * changes no posterior mean by tol or more. */

#define TB_SQRT1_2 0.70710678118654752440
#define TB_INV_SQRT_2PI 0.39894228040143267794
#define TB_IDEAL_CHECK_EVERY ((R_xlen_t) 1 << 21)
#define TB_IDEAL_MIN_GAP 1e-6   /* smallest t2 - t1 */

typedef struct {
    R_xlen_t nv;               /* votes */
    int nss, nstate, ncls;     /* state-sessions, states, classes */
    const int *ss, *item;      /* per vote: state-session 0..nss-1, class 0..ncls-1 */
    const unsigned char *y;    /* per vote: 1, 2 (ordinal only), 3 */
    const int *st_start;       /* nstate + 1: state s owns state-sessions st_start[s].. */
    const int *gap;            /* per state-session: sessions since the previous (first: 0) */
    const int *ord;            /* per class: 1 ordinal, 0 binary */
} tb_idata;

typedef struct {
    int maxit, est_omega, expand;
    int anchor;       /* state whose mean theta is made >= 0, or -1 */
    int depth;        /* Anderson acceleration memory, 0 for none */
    double tol, prior_var, b_var, t_var, w_shape, w_scale, max_step;
    double pop_prec;  /* precision of the N(0, 1 / pop_prec) prior on every theta (0: none) */
} tb_iopts;

/* per-class gradient and Hessian of the log-likelihood in (t1, t2, beta); H packed as
 * 00 11 22 01 02 12 */
typedef struct {
    double n, g[3], H[6];
} tb_csum;

typedef struct {
    double *m, *v;                 /* nss: posterior mean and variance of theta */
    double *beta, *t1, *t2;        /* ncls */
    double omega2, step2, nstep;   /* step2: sum of E[(theta_k - theta_k-1)^2] / gap_k */
    int iter, converged;
    double delta;                  /* max |change of m| at the last iteration */
    tb_csum *cs;                   /* ncls scratch */
    double *S, *P;                 /* nss scratch: information form of the pseudo-observations */
    double *mf, *vf, *vp;          /* nss scratch: filter means, variances, predicted variances */
} tb_istate;

/* ---- truncated-normal moments -------------------------------------------- */

/* The Mills ratio R(x) = (1 - Phi(x)) / phi(x) for x >= 0, from the polynomial pieces of
 * ideal-mills.h (relative error below 5e-15), evaluated by Estrin's scheme: no erfc and no
 * exp, whose cost dominated a pass over the votes. */
static inline double tb_mills(double x) {
    if (x < 8.0) {
        int i = (int) (x * 8.0);
        const double *c = TB_MILLS_PIECE[i];
        double s = 16.0 * x - (2 * i + 1), s2 = s * s, s4 = s2 * s2;
        double q0 = (c[0] + c[1] * s) + (c[2] + c[3] * s) * s2;
        double q1 = (c[4] + c[5] * s) + (c[6] + c[7] * s) * s2;
        return q0 + (q1 + c[8] * s4) * s4;
    }
    const double *c = TB_MILLS_TAIL;
    double t = 128.0 / (x * x) - 1.0, b1 = 0.0, b2 = 0.0;
    for (int j = TB_MILLS_NTAIL - 1; j >= 1; j--) {
        double b0 = c[j] + 2.0 * t * b1 - b2;
        b2 = b1;
        b1 = b0;
    }
    return (c[0] + t * b1 - b2) / x;
}

/* The normal hazard h(x) = phi(x) / (1 - Phi(x)) = 1 / R(x). For x < 0, 1 - Phi(x) =
 * 1 - phi(x) R(-x) >= 1/2, so no precision is lost; far in the left tail h = phi = 0. */
static inline double tb_hazard(double x) {
    if (x >= 0.0) return 1.0 / tb_mills(x);
    if (x < -38.5) return 0.0;
    double e = TB_INV_SQRT_2PI * exp(-0.5 * x * x);
    return e / (1.0 - e * tb_mills(-x));
}

/* h(x) - x for h = h(x), the excess of the hazard over x (which, times h, is the curvature of
 * a one-sided vote): direct below 8; beyond, where h - x ~ 1/x would lose the digits of x, from
 * Laplace's continued fraction h - x = 1 / (x + 2 / (x + 3 / (x + ...))). */
static inline double tb_hazard_excess(double x, double h) {
    if (x < 8.0) return h - x;
    double t = x;
    for (int k = 40; k >= 2; k--) t = x + k / t;
    return 1.0 / t;
}

/* Standard normal truncated to (al, be], both finite, al < be: pa = phi(al) / Z and
 * pb = phi(be) / Z, Z = Phi(be) - Phi(al). In a tail Z is never formed as a difference of two
 * probabilities near 1: Z / phi(al) = R(al) - (phi(be) / phi(al)) R(be). */
static void tb_tn2(double al, double be, double *pa, double *pb) {
    if (be <= 0.0) {  /* mirror image in the upper tail */
        tb_tn2(-be, -al, pb, pa);
        return;
    }
    if (al >= 0.0) {
        double r = exp(-0.5 * (be - al) * (be + al));
        double D = tb_mills(al) - r * tb_mills(be);
        *pa = 1.0 / D;
        *pb = r / D;
        return;
    }
    /* al < 0 < be: Z = 1 - Q(be) - Q(-al), both tails from the Mills ratio */
    double fa = TB_INV_SQRT_2PI * exp(-0.5 * al * al), fb = TB_INV_SQRT_2PI * exp(-0.5 * be * be);
    double Z = 1.0 - fb * tb_mills(be) - fa * tb_mills(-al);
    *pa = fa / Z;
    *pb = fb / Z;
}

/* One vote's latent, z - mu truncated to its category's interval (al, be] with the class's
 * cuts: the bound densities over the probability (pa, pb; 0 at an infinite bound), the
 * standardized bounds (al, be; 0 when infinite), the second derivatives of the log
 * probability in the bounds (Hll, Huu; the cross derivative is pa pb) and the indices of the
 * lower and upper cut (0 t1, 1 t2; -1 none). The mean of the truncated variable is pa - pb,
 * its variance 1 + Hll + 2 pa pb + Huu. */
typedef struct {
    double pa, pb, al, be;
    double Hll, Huu;  /* al pa - pa^2 and -be pb - pb^2, without cancellation in a tail */
    int lo, hi;
} tb_tn;

static inline void tb_tn_vote(double mu, double t1, double t2, int ord, int y, tb_tn *r) {
    if (y == 1) {
        r->lo = -1; r->hi = 0;
        r->al = 0.0; r->be = t1 - mu;
        r->pa = 0.0; r->pb = tb_hazard(-r->be);
        r->Hll = 0.0;
        r->Huu = -r->pb * tb_hazard_excess(-r->be, r->pb);
    } else if (y == 3) {
        r->lo = ord ? 1 : 0; r->hi = -1;
        r->al = (ord ? t2 : t1) - mu; r->be = 0.0;
        r->pa = tb_hazard(r->al); r->pb = 0.0;
        r->Hll = -r->pa * tb_hazard_excess(r->al, r->pa);
        r->Huu = 0.0;
    } else {
        r->lo = 0; r->hi = 1;
        r->al = t1 - mu; r->be = t2 - mu;
        tb_tn2(r->al, r->be, &r->pa, &r->pb);
        r->Hll = r->al * r->pa - r->pa * r->pa;
        r->Huu = -r->be * r->pb - r->pb * r->pb;
    }
}

/* ---- the steps of an iteration (no R API but the interrupt check) -------- */

/* Pass A: each class's gradient and Hessian of the log-likelihood in (t1, t2, beta). */
static void tb_ideal_item_sums(const tb_idata *d, const unsigned char *y, tb_istate *st) {
    memset(st->cs, 0, sizeof(tb_csum) * (size_t) d->ncls);
    for (R_xlen_t i = 0; i < d->nv; i++) {
        if (i && !(i & (TB_IDEAL_CHECK_EVERY - 1))) R_CheckUserInterrupt();
        int c = d->item[i];
        double th = st->m[d->ss[i]];
        tb_tn r;
        tb_tn_vote(st->beta[c] * th, st->t1[c], st->t2[c], d->ord[c], y[i], &r);
        double Hll = r.Hll, Huu = r.Huu, Hlu = r.pa * r.pb, lam = r.pa - r.pb;
        double Hmm = Hll + 2.0 * Hlu + Huu;
        tb_csum *cs = st->cs + c;
        cs->n += 1.0;
        cs->g[2] += th * lam;
        cs->H[2] += th * th * Hmm;
        if (r.lo >= 0) {
            cs->g[r.lo] -= r.pa;
            cs->H[r.lo] += Hll;
            cs->H[r.lo == 0 ? 4 : 5] -= th * (Hll + Hlu);
        }
        if (r.hi >= 0) {
            cs->g[r.hi] += r.pb;
            cs->H[r.hi] += Huu;
            cs->H[r.hi == 0 ? 4 : 5] -= th * (Hlu + Huu);
        }
        if (r.lo == 0 && r.hi == 1) cs->H[3] += Hlu;
    }
}

/* Solves (-H) x = g for a symmetric positive definite -H of order n (2 or 3), packed as in
 * tb_csum, by Cholesky. Returns 0 when -H is not positive definite. */
static int tb_solve_nd(int n, const double *H, const double *g, double *x) {
    double A[3][3] = {{-H[0], -H[3], -H[4]}, {-H[3], -H[1], -H[5]}, {-H[4], -H[5], -H[2]}};
    int idx[3] = {0, 1, 2};
    if (n == 2) idx[1] = 2;   /* binary: (t1, beta) */
    double L[3][3] = {{0}}, z[3];
    for (int i = 0; i < n; i++) {
        for (int j = 0; j <= i; j++) {
            double sum = A[idx[i]][idx[j]];
            for (int k = 0; k < j; k++) sum -= L[i][k] * L[j][k];
            if (i == j) {
                if (!(sum > 0.0)) return 0;
                L[i][i] = sqrt(sum);
            } else {
                L[i][j] = sum / L[j][j];
            }
        }
    }
    for (int i = 0; i < n; i++) {
        double sum = g[idx[i]];
        for (int k = 0; k < i; k++) sum -= L[i][k] * z[k];
        z[i] = sum / L[i][i];
    }
    for (int i = n - 1; i >= 0; i--) {
        double sum = z[i];
        for (int k = i + 1; k < n; k++) sum -= L[k][i] * x[idx[k]];
        x[idx[i]] = sum / L[i][i];
    }
    return 1;
}

/* One Newton step per class on its log-posterior (priors added to the sums), scaled down to
 * at most max_step in any parameter, then halved until the cuts keep their order. */
static void tb_ideal_item_step(const tb_idata *d, const tb_iopts *o, tb_istate *st) {
    for (int c = 0; c < d->ncls; c++) {
        tb_csum *cs = st->cs + c;
        if (cs->n == 0.0) continue;
        int ord = d->ord[c];
        cs->g[0] -= st->t1[c] / o->t_var;
        cs->H[0] -= 1.0 / o->t_var;
        cs->g[1] -= ord ? st->t2[c] / o->t_var : 0.0;
        cs->H[1] -= 1.0 / o->t_var;
        cs->g[2] -= st->beta[c] / o->b_var;
        cs->H[2] -= 1.0 / o->b_var;
        double x[3] = {0.0, 0.0, 0.0};
        if (!tb_solve_nd(ord ? 3 : 2, cs->H, cs->g, x)) continue;
        double big = fmax(fabs(x[0]), fmax(fabs(x[1]), fabs(x[2])));
        double f = big > o->max_step ? o->max_step / big : 1.0;
        if (ord) {
            int k = 0;
            while (k < 60 && (st->t2[c] + f * x[1]) - (st->t1[c] + f * x[0]) < TB_IDEAL_MIN_GAP) {
                f *= 0.5;
                k++;
            }
            if (k == 60) continue;
            st->t2[c] += f * x[1];
        }
        st->t1[c] += f * x[0];
        st->beta[c] += f * x[2];
    }
}

/* Pass B: the score and information of each state-session at the new items, in the
 * information form of a pseudo-observation: P = -d2 loglik / dtheta2, S = P m + score. */
static void tb_ideal_theta_sums(const tb_idata *d, const tb_iopts *o, const unsigned char *y,
                                tb_istate *st) {
    memset(st->S, 0, sizeof(double) * (size_t) d->nss);
    memset(st->P, 0, sizeof(double) * (size_t) d->nss);
    for (R_xlen_t i = 0; i < d->nv; i++) {
        if (i && !(i & (TB_IDEAL_CHECK_EVERY - 1))) R_CheckUserInterrupt();
        int c = d->item[i], s = d->ss[i];
        double b = st->beta[c];
        tb_tn r;
        tb_tn_vote(b * st->m[s], st->t1[c], st->t2[c], d->ord[c], y[i], &r);
        double lam = r.pa - r.pb;
        double info = -(r.Hll + 2.0 * r.pa * r.pb + r.Huu);  /* 1 - Var, in [0, 1] */
        st->S[s] += b * lam;
        st->P[s] += b * b * (info > 0.0 ? info : 0.0);
    }
    for (int s = 0; s < d->nss; s++) {
        st->S[s] += st->P[s] * st->m[s];
        st->P[s] += o->pop_prec;
    }
}
/* Kalman filter and RTS smoother of one state's path over state-sessions k0..k1-1. Adds the
 * expected squared steps (scaled by their gaps) to *step2 and their count to *nstep. */
static void tb_ideal_smooth_state(const tb_idata *d, const tb_iopts *o, tb_istate *st,
                                  int k0, int k1, double *step2, double *nstep) {
    double *mf = st->mf, *vf = st->vf, *vp = st->vp;
    for (int k = k0; k < k1; k++) {
        double mprd = k == k0 ? 0.0 : mf[k - 1];
        double vprd = k == k0 ? o->prior_var : vf[k - 1] + d->gap[k] * st->omega2;
        vp[k] = vprd;
        vf[k] = 1.0 / (1.0 / vprd + st->P[k]);
        mf[k] = vf[k] * (mprd / vprd + st->S[k]);
    }
    st->m[k1 - 1] = mf[k1 - 1];
    st->v[k1 - 1] = vf[k1 - 1];
    for (int k = k1 - 2; k >= k0; k--) {
        double J = vf[k] / vp[k + 1];
        st->m[k] = mf[k] + J * (st->m[k + 1] - mf[k]);
        st->v[k] = vf[k] + J * J * (st->v[k + 1] - vp[k + 1]);
        double dm = st->m[k + 1] - st->m[k];
        double e2 = dm * dm + st->v[k + 1] + st->v[k] - 2.0 * J * st->v[k + 1];
        *step2 += e2 / d->gap[k + 1];
        *nstep += 1.0;
    }
}

/* q(theta) for every state: the smoothed means and variances, and in st->step2 the sum of
 * the expected squared steps, each divided by its gap (st->nstep of them). */
static void tb_ideal_smooth(const tb_idata *d, const tb_iopts *o, tb_istate *st) {
    double step2 = 0.0, nstep = 0.0;
    for (int s = 0; s < d->nstate; s++) {
        int k0 = d->st_start[s], k1 = d->st_start[s + 1];
        if (k1 > k0) tb_ideal_smooth_state(d, o, st, k0, k1, &step2, &nstep);
    }
    st->step2 = step2;
    st->nstep = nstep;
}

/* Parameter expansion (Liu, Rubin & Wu 1998): the likelihood is unchanged by
 * theta -> k (theta + c), beta -> beta / k, t -> t + beta c; only the priors and the entropy of
 * q(theta) (+ nss log k) change. Their sum is maximized over (k, c) by alternating the two
 * closed-form maximizers, and the move applied. This removes the slow drift of alternating
 * updates along the scale and location of the ideal points, which only the priors fix. */
static void tb_ideal_expand(const tb_idata *d, const tb_iopts *o, tb_istate *st) {
    double n1 = 0.0, s1 = 0.0, q1 = 0.0, bb = 0.0, nbb = 0.0, tb = 0.0, sa = 0.0, qa = 0.0;
    for (int j = 0; j < d->nss; j++) {
        sa += st->m[j];
        qa += st->m[j] * st->m[j] + st->v[j];
    }
    for (int s = 0; s < d->nstate; s++) {
        int k0 = d->st_start[s];
        if (d->st_start[s + 1] == k0) continue;
        n1 += 1.0;
        s1 += st->m[k0];
        q1 += st->m[k0] * st->m[k0] + st->v[k0];
    }
    for (int c = 0; c < d->ncls; c++) {
        if (st->cs[c].n == 0.0) continue;
        double b = st->beta[c];
        bb += b * b;
        nbb += (d->ord[c] ? 2.0 : 1.0) * b * b;
        tb += b * (st->t1[c] + (d->ord[c] ? st->t2[c] : 0.0));
    }
    if (n1 == 0.0 || bb == 0.0) return;
    double u = 1.0, sh = 0.0, N = (double) d->nss, B = bb / (2.0 * o->b_var);
    for (int it = 0; it < 8; it++) {
        double A = (q1 + 2.0 * sh * s1 + n1 * sh * sh) / (2.0 * o->prior_var) +
            st->step2 / (2.0 * st->omega2) + o->pop_prec * (qa + 2.0 * sh * sa + N * sh * sh) / 2.0;
        u = (N + sqrt(N * N + 16.0 * A * B)) / (4.0 * A);
        sh = -(u * (s1 / o->prior_var + o->pop_prec * sa) + tb / o->t_var) /
            (u * (n1 / o->prior_var + o->pop_prec * N) + nbb / o->t_var);
    }
    double k = sqrt(u);
    for (int j = 0; j < d->nss; j++) {
        st->m[j] = k * (st->m[j] + sh);
        st->v[j] *= u;
    }
    for (int c = 0; c < d->ncls; c++) {
        st->t1[c] += st->beta[c] * sh;
        st->t2[c] += d->ord[c] ? st->beta[c] * sh : 0.0;
        st->beta[c] /= k;
    }
    st->step2 *= u;
}

/* Sign: the anchor's mean ideal point is made non-negative (theta -> -theta, beta -> -beta). */
static void tb_ideal_orient(const tb_idata *d, const tb_iopts *o, tb_istate *st) {
    if (o->anchor < 0) return;
    double sum = 0.0;
    for (int k = d->st_start[o->anchor]; k < d->st_start[o->anchor + 1]; k++) sum += st->m[k];
    if (sum >= 0.0) return;
    for (int k = 0; k < d->nss; k++) st->m[k] = -st->m[k];
    for (int c = 0; c < d->ncls; c++) st->beta[c] = -st->beta[c];
}

/* One iteration of the map G: items, theta, expansion, omega2. */
static void tb_ideal_step(const tb_idata *d, const tb_iopts *o, const unsigned char *y,
                          tb_istate *st) {
    tb_ideal_item_sums(d, y, st);
    tb_ideal_item_step(d, o, st);
    tb_ideal_theta_sums(d, o, y, st);
    tb_ideal_smooth(d, o, st);
    if (o->expand) tb_ideal_expand(d, o, st);
    if (o->est_omega) {
        st->omega2 = (st->step2 + 2.0 * o->w_scale) / (st->nstep + 2.0 * o->w_shape + 2.0);
    }
}

/* The parameters as one vector x = (m, beta, t1, t2), of length nss + 3 ncls. */
static void tb_ideal_pack(const tb_idata *d, const tb_istate *st, double *x) {
    size_t nss = (size_t) d->nss, nc = (size_t) d->ncls;
    memcpy(x, st->m, sizeof(double) * nss);
    memcpy(x + nss, st->beta, sizeof(double) * nc);
    memcpy(x + nss + nc, st->t1, sizeof(double) * nc);
    memcpy(x + nss + 2 * nc, st->t2, sizeof(double) * nc);
}

/* Anderson acceleration (Walker & Ni 2011) of the fixed-point iteration x <- G(x): the next x
 * is G(x_k) - dG gamma, gamma the least-squares coefficients of the residual f_k = G(x_k) - x_k
 * on the last `depth` differences dF of residuals (dG: of G values), from the normal equations
 * with a relative ridge of 1e-10. A class whose extrapolated cuts lose their order keeps
 * G's values; a non-finite extrapolation falls back to G(x_k) and clears the memory. */
typedef struct {
    int depth, n, next;    /* memory size, stored differences, ring slot to write next */
    int have_prev;         /* gprev and fprev hold the previous iteration's values */
    R_xlen_t len;
    double *x, *g, *gprev, *fprev, *dG, *dF;
} tb_aa;

static void tb_aa_alloc(const tb_idata *d, int depth, tb_aa *aa) {
    aa->depth = depth;
    aa->n = aa->next = aa->have_prev = 0;
    aa->len = (R_xlen_t) d->nss + 3 * (R_xlen_t) d->ncls;
    size_t len = (size_t) aa->len + 1, dl = (size_t) (depth > 0 ? depth : 1) * len;
    aa->x = (double *) R_alloc(len, sizeof(double));
    aa->g = (double *) R_alloc(len, sizeof(double));
    aa->gprev = (double *) R_alloc(len, sizeof(double));
    aa->fprev = (double *) R_alloc(len, sizeof(double));
    aa->dG = (double *) R_alloc(dl, sizeof(double));
    aa->dF = (double *) R_alloc(dl, sizeof(double));
}

/* Solves the n x n (n <= 10) symmetric positive definite system A z = r in place (Cholesky);
 * returns 0 when A is not positive definite. */
static int tb_chol_solve(int n, double *A, double *r) {
    for (int j = 0; j < n; j++) {
        for (int k = 0; k < j; k++) {
            for (int i = j; i < n; i++) A[i + n * j] -= A[i + n * k] * A[j + n * k];
        }
        if (!(A[j + n * j] > 0.0)) return 0;
        double dj = sqrt(A[j + n * j]);
        for (int i = j; i < n; i++) A[i + n * j] /= dj;
    }
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < i; k++) r[i] -= A[i + n * k] * r[k];
        r[i] /= A[i + n * i];
    }
    for (int i = n - 1; i >= 0; i--) {
        for (int k = i + 1; k < n; k++) r[i] -= A[k + n * i] * r[k];
        r[i] /= A[i + n * i];
    }
    return 1;
}

/* Given aa->x = x_k and aa->g = G(x_k), writes the next x into the state. */
static void tb_aa_next(const tb_idata *d, tb_aa *aa, tb_istate *st) {
    R_xlen_t len = aa->len;
    double *g = aa->g, *x = aa->x;
    if (aa->depth > 0 && aa->have_prev) {
        double *dg = aa->dG + (size_t) aa->next * (size_t) len;
        double *df = aa->dF + (size_t) aa->next * (size_t) len;
        for (R_xlen_t i = 0; i < len; i++) {
            dg[i] = g[i] - aa->gprev[i];
            df[i] = (g[i] - x[i]) - aa->fprev[i];
        }
        aa->next = (aa->next + 1) % aa->depth;
        if (aa->n < aa->depth) aa->n++;
    }
    for (R_xlen_t i = 0; i < len; i++) {
        aa->gprev[i] = g[i];
        aa->fprev[i] = g[i] - x[i];
    }
    aa->have_prev = 1;
    int n = aa->n, ok = n > 0;
    double A[100], r[10];
    for (int a = 0; a < n; a++) {
        const double *fa = aa->dF + (size_t) a * (size_t) len;
        double sr = 0.0;
        for (R_xlen_t i = 0; i < len; i++) sr += fa[i] * aa->fprev[i];
        r[a] = sr;
        for (int b = 0; b <= a; b++) {
            const double *fb = aa->dF + (size_t) b * (size_t) len;
            double sa = 0.0;
            for (R_xlen_t i = 0; i < len; i++) sa += fa[i] * fb[i];
            A[a + n * b] = A[b + n * a] = sa;
        }
    }
    if (ok) {
        double big = 0.0;
        for (int a = 0; a < n; a++) big = fmax(big, A[a + n * a]);
        for (int a = 0; a < n; a++) A[a + n * a] += 1e-10 * big;
        ok = big > 0.0 && tb_chol_solve(n, A, r);
    }
    if (ok) {
        for (R_xlen_t i = 0; i < len; i++) {
            double xi = g[i];
            for (int a = 0; a < n; a++) xi -= r[a] * aa->dG[(size_t) a * (size_t) len + i];
            x[i] = xi;
            if (!R_FINITE(xi)) ok = 0;
        }
    }
    if (!ok) {
        memcpy(x, g, sizeof(double) * (size_t) len);
        aa->n = aa->next = 0;
    }
    size_t nss = (size_t) d->nss, nc = (size_t) d->ncls;
    for (int c = 0; c < d->ncls; c++) {
        if (d->ord[c] && x[nss + 2 * nc + c] - x[nss + nc + c] < TB_IDEAL_MIN_GAP) {
            x[nss + nc + c] = g[nss + nc + c];
            x[nss + 2 * nc + c] = g[nss + 2 * nc + c];
        }
    }
    memcpy(st->m, x, sizeof(double) * nss);
    memcpy(st->beta, x + nss, sizeof(double) * nc);
    memcpy(st->t1, x + nss + nc, sizeof(double) * nc);
    memcpy(st->t2, x + nss + 2 * nc, sizeof(double) * nc);
}

/* The iterations from the state's current values until the largest change of a posterior
 * mean over one iteration of G is below tol, or maxit iterations have run; the state then
 * holds the last G(x) (not an extrapolation), oriented by the anchor. */
static void tb_ideal_em(const tb_idata *d, const tb_iopts *o, const unsigned char *y,
                        tb_istate *st, tb_aa *aa) {
    st->iter = 0;
    st->converged = 0;
    st->delta = NA_REAL;
    aa->n = aa->next = aa->have_prev = 0;
    while (st->iter < o->maxit) {
        tb_ideal_pack(d, st, aa->x);
        tb_ideal_step(d, o, y, st);
        tb_ideal_pack(d, st, aa->g);
        double delta = 0.0;
        for (int k = 0; k < d->nss; k++) {
            double dm = fabs(aa->g[k] - aa->x[k]);
            if (dm > delta || ISNAN(dm)) delta = dm;
        }
        st->delta = delta;
        st->iter++;
        R_CheckUserInterrupt();
        if (delta < o->tol) {
            st->converged = 1;
            break;
        }
        if (st->iter < o->maxit) tb_aa_next(d, aa, st);
    }
    tb_ideal_orient(d, o, st);
}

/* ---- random numbers: MRG32k3a (L'Ecuyer 1999), one stream per replicate ---- */

/* The combined multiple recursive generator in its floating-point form: every product is
 * below 2^53, so the arithmetic is exact and the stream is identical on any IEEE machine
 * (and in the R reference of the tests). State: x[0..2] mod m1, x[3..5] mod m2. */
typedef struct {
    double x[6];
} tb_mrg;

#define TB_MRG_M1 4294967087.0
#define TB_MRG_M2 4294944443.0

static double tb_mrg_unif(tb_mrg *g) {
    double *x = g->x;
    double p1 = 1403580.0 * x[1] - 810728.0 * x[0];
    p1 -= trunc(p1 / TB_MRG_M1) * TB_MRG_M1;
    if (p1 < 0.0) p1 += TB_MRG_M1;
    x[0] = x[1]; x[1] = x[2]; x[2] = p1;
    double p2 = 527612.0 * x[5] - 1370589.0 * x[3];
    p2 -= trunc(p2 / TB_MRG_M2) * TB_MRG_M2;
    if (p2 < 0.0) p2 += TB_MRG_M2;
    x[3] = x[4]; x[4] = x[5]; x[5] = p2;
    double u = p1 > p2 ? p1 - p2 : p1 - p2 + TB_MRG_M1;
    return u * 2.328306549295727688e-10;  /* 1 / (m1 + 1): u in (0, 1) */
}

static inline double tb_pnorm(double x) { return 0.5 * erfc(-x * TB_SQRT1_2); }

/* Votes drawn from the model at the state's parameters (theta at its posterior mean). */
static void tb_ideal_simulate(const tb_idata *d, const tb_istate *st, tb_mrg *g,
                              unsigned char *ysim) {
    for (R_xlen_t i = 0; i < d->nv; i++) {
        int c = d->item[i];
        double mu = st->beta[c] * st->m[d->ss[i]];
        double u = tb_mrg_unif(g);
        if (u <= tb_pnorm(st->t1[c] - mu)) {
            ysim[i] = 1;
        } else {
            ysim[i] = d->ord[c] && u <= tb_pnorm(st->t2[c] - mu) ? 2 : 3;
        }
    }
}

/* ---- allocation and unpacking ------------------------------------------- */

static void tb_ideal_alloc_params(const tb_idata *d, tb_istate *st) {
    size_t nss = (size_t) d->nss, nc = (size_t) d->ncls;
    st->m = (double *) R_alloc(nss, sizeof(double));
    st->v = (double *) R_alloc(nss, sizeof(double));
    st->beta = (double *) R_alloc(nc, sizeof(double));
    st->t1 = (double *) R_alloc(nc, sizeof(double));
    st->t2 = (double *) R_alloc(nc, sizeof(double));
}

static void tb_ideal_alloc(const tb_idata *d, tb_istate *st) {
    size_t nss = (size_t) d->nss, nc = (size_t) d->ncls;
    tb_ideal_alloc_params(d, st);
    st->cs = (tb_csum *) R_alloc(nc, sizeof(tb_csum));
    st->S = (double *) R_alloc(nss, sizeof(double));
    st->P = (double *) R_alloc(nss, sizeof(double));
    st->mf = (double *) R_alloc(nss, sizeof(double));
    st->vf = (double *) R_alloc(nss, sizeof(double));
    st->vp = (double *) R_alloc(nss, sizeof(double));
}

/* The element of a named list, or an internal error naming the missing field. */
static SEXP tb_ifield(SEXP list, const char *name, int type, R_xlen_t len, const char *fn) {
    if (TYPEOF(list) != VECSXP) tb_internal_error(fn, "`%s`'s container is not a list", name);
    SEXP nms = Rf_getAttrib(list, R_NamesSymbol);
    R_xlen_t n = XLENGTH(list);
    if (TYPEOF(nms) != STRSXP || XLENGTH(nms) != n) tb_internal_error(fn, "unnamed list");
    for (R_xlen_t i = 0; i < n; i++) {
        if (strcmp(CHAR(STRING_ELT(nms, i)), name) != 0) continue;
        SEXP x = VECTOR_ELT(list, i);
        if (TYPEOF(x) != type) tb_internal_error(fn, "`%s` has the wrong type", name);
        if (len >= 0 && XLENGTH(x) != len) {
            tb_internal_error(fn, "`%s` has length %lld, not %lld", name,
                              (long long) XLENGTH(x), (long long) len);
        }
        return x;
    }
    tb_internal_error(fn, "missing field `%s`", name);
}

static double tb_idbl(SEXP list, const char *name, double lo, const char *fn) {
    double x = REAL(tb_ifield(list, name, REALSXP, 1, fn))[0];
    if (!R_FINITE(x) || x < lo) tb_internal_error(fn, "`%s` must be finite and >= %g", name, lo);
    return x;
}

static int tb_iint(SEXP list, const char *name, int lo, const char *fn) {
    int x = INTEGER(tb_ifield(list, name, INTSXP, 1, fn))[0];
    if (x == NA_INTEGER || x < lo) tb_internal_error(fn, "`%s` must be an integer >= %d", name, lo);
    return x;
}

/* The design (votes, states, classes), checked so that no index can leave its array. */
static void tb_ideal_design(SEXP design, tb_idata *d, int need_y, const char *fn) {
    SEXP gap = tb_ifield(design, "gap", INTSXP, -1, fn);
    SEXP ord = tb_ifield(design, "ordinal", INTSXP, -1, fn);
    SEXP stst = tb_ifield(design, "state_start", INTSXP, -1, fn);
    SEXP ss = tb_ifield(design, "ss", INTSXP, -1, fn);
    if (XLENGTH(gap) > INT_MAX || XLENGTH(ord) > INT_MAX || XLENGTH(stst) > INT_MAX ||
        XLENGTH(stst) < 1) {
        tb_internal_error(fn, "bad design lengths");
    }
    d->nv = XLENGTH(ss);
    d->nss = (int) XLENGTH(gap);
    d->ncls = (int) XLENGTH(ord);
    d->nstate = (int) XLENGTH(stst) - 1;
    d->ss = INTEGER(ss);
    d->item = INTEGER(tb_ifield(design, "item", INTSXP, d->nv, fn));
    d->y = need_y ? RAW(tb_ifield(design, "y", RAWSXP, d->nv, fn)) : NULL;
    d->gap = INTEGER(gap);
    d->ord = INTEGER(ord);
    d->st_start = INTEGER(stst);
    if (d->st_start[0] != 0 || d->st_start[d->nstate] != d->nss) {
        tb_internal_error(fn, "`state_start` must run from 0 to the number of state-sessions");
    }
    for (int s = 0; s < d->nstate; s++) {
        int k0 = d->st_start[s], k1 = d->st_start[s + 1];
        if (k1 < k0 || k1 > d->nss) tb_internal_error(fn, "`state_start` is not increasing");
        for (int k = k0; k < k1; k++) {
            int g = d->gap[k];
            if (k == k0 ? g != 0 : (g == NA_INTEGER || g < 1)) {
                tb_internal_error(fn, "`gap` must be 0 at a state's first session, >= 1 after");
            }
        }
    }
    for (int c = 0; c < d->ncls; c++) {
        if (d->ord[c] != 0 && d->ord[c] != 1) tb_internal_error(fn, "`ordinal` must be 0 or 1");
    }
    for (R_xlen_t i = 0; i < d->nv; i++) {
        int s = d->ss[i], c = d->item[i];
        if (s < 0 || s >= d->nss || c < 0 || c >= d->ncls) {
            tb_internal_error(fn, "vote %lld has an index out of range", (long long) i + 1);
        }
        if (need_y && (d->y[i] < 1 || d->y[i] > 3 || (d->y[i] == 2 && !d->ord[c]))) {
            tb_internal_error(fn, "vote %lld has category %d", (long long) i + 1, d->y[i]);
        }
    }
}

static void tb_ideal_opts(SEXP opts, tb_iopts *o, int nstate, const char *fn) {
    o->maxit = tb_iint(opts, "maxit", 0, fn);
    o->tol = tb_idbl(opts, "tol", 0.0, fn);
    o->est_omega = tb_iint(opts, "estimate_evolution", 0, fn) != 0;
    o->expand = tb_iint(opts, "expand", 0, fn) != 0;
    o->prior_var = tb_idbl(opts, "prior_var", DBL_MIN, fn);
    o->b_var = tb_idbl(opts, "beta_var", DBL_MIN, fn);
    o->t_var = tb_idbl(opts, "cut_var", DBL_MIN, fn);
    o->max_step = tb_idbl(opts, "max_step", DBL_MIN, fn);
    o->pop_prec = tb_idbl(opts, "pop_prec", 0.0, fn);
    o->depth = tb_iint(opts, "accelerate", 0, fn);
    if (o->depth > 10) tb_internal_error(fn, "`accelerate` must be at most 10");
    o->w_shape = tb_idbl(opts, "evolution_shape", 0.0, fn);
    o->w_scale = tb_idbl(opts, "evolution_scale", DBL_MIN, fn);
    o->anchor = INTEGER(tb_ifield(opts, "anchor", INTSXP, 1, fn))[0];
    if (o->anchor == NA_INTEGER || o->anchor < -1 || o->anchor >= nstate) {
        tb_internal_error(fn, "`anchor` must be a state index or -1");
    }
}

/* Parameter values (start of the iterations, or a fit), copied into the state. */
static void tb_ideal_params(SEXP par, const tb_idata *d, tb_istate *st, const char *fn) {
    const double *m = REAL(tb_ifield(par, "m", REALSXP, d->nss, fn));
    const double *v = REAL(tb_ifield(par, "v", REALSXP, d->nss, fn));
    const double *beta = REAL(tb_ifield(par, "beta", REALSXP, d->ncls, fn));
    const double *t1 = REAL(tb_ifield(par, "cut1", REALSXP, d->ncls, fn));
    const double *t2 = REAL(tb_ifield(par, "cut2", REALSXP, d->ncls, fn));
    st->omega2 = tb_idbl(par, "omega2", DBL_MIN, fn);
    for (int k = 0; k < d->nss; k++) {
        if (!R_FINITE(m[k]) || !R_FINITE(v[k]) || v[k] < 0.0) {
            tb_internal_error(fn, "`m` and `v` must be finite, `v` >= 0");
        }
        st->m[k] = m[k];
        st->v[k] = v[k];
    }
    for (int c = 0; c < d->ncls; c++) {
        int ord = d->ord[c];
        if (!R_FINITE(beta[c]) || !R_FINITE(t1[c]) ||
            (ord && !(R_FINITE(t2[c]) && t2[c] - t1[c] >= TB_IDEAL_MIN_GAP))) {
            tb_internal_error(fn, "item parameters must be finite, with cut2 - cut1 >= %g",
                              TB_IDEAL_MIN_GAP);
        }
        st->beta[c] = beta[c];
        st->t1[c] = t1[c];
        st->t2[c] = ord ? t2[c] : 0.0;
    }
}

static SEXP tb_dblvec(const double *x, R_xlen_t n) {
    SEXP out = Rf_allocVector(REALSXP, n);
    if (n) memcpy(REAL(out), x, sizeof(double) * (size_t) n);
    return out;
}

/* ---- entry points -------------------------------------------------------- */

/* ffi_ideal_fit(design, start, opts): the EM from `start`; a list of the fit. */
SEXP ffi_ideal_fit(SEXP design, SEXP start, SEXP opts) {
    tb_idata d;
    tb_iopts o;
    tb_istate st;
    tb_ideal_design(design, &d, 1, __func__);
    tb_ideal_opts(opts, &o, d.nstate, __func__);
    tb_aa aa;
    tb_ideal_alloc(&d, &st);
    tb_aa_alloc(&d, o.depth, &aa);
    tb_ideal_params(start, &d, &st, __func__);
    tb_ideal_em(&d, &o, d.y, &st, &aa);

    int nprotect = 0;
    const char *names[] = {"m", "v", "beta", "cut1", "cut2", "omega2", "iterations",
                           "converged", "delta", ""};
    SEXP out = PROTECT(Rf_mkNamed(VECSXP, names)); nprotect++;
    SET_VECTOR_ELT(out, 0, tb_dblvec(st.m, d.nss));
    SET_VECTOR_ELT(out, 1, tb_dblvec(st.v, d.nss));
    SET_VECTOR_ELT(out, 2, tb_dblvec(st.beta, d.ncls));
    SET_VECTOR_ELT(out, 3, tb_dblvec(st.t1, d.ncls));
    SET_VECTOR_ELT(out, 4, tb_dblvec(st.t2, d.ncls));
    SET_VECTOR_ELT(out, 5, Rf_ScalarReal(st.omega2));
    SET_VECTOR_ELT(out, 6, Rf_ScalarInteger(st.iter));
    SET_VECTOR_ELT(out, 7, Rf_ScalarLogical(st.converged));
    SET_VECTOR_ELT(out, 8, Rf_ScalarReal(st.delta));
    UNPROTECT(nprotect);
    return out;
}

/* The six seed values of one stream, checked to be a valid MRG32k3a state. */
static void tb_mrg_seed(tb_mrg *g, const double *s, const char *fn) {
    for (int j = 0; j < 6; j++) {
        double mj = j < 3 ? TB_MRG_M1 : TB_MRG_M2;
        if (!(s[j] >= 0.0 && s[j] < mj && s[j] == floor(s[j]))) {
            tb_internal_error(fn, "seeds must be whole numbers in [0, m)");
        }
        g->x[j] = s[j];
    }
    if ((g->x[0] == 0 && g->x[1] == 0 && g->x[2] == 0) ||
        (g->x[3] == 0 && g->x[4] == 0 && g->x[5] == 0)) {
        tb_internal_error(fn, "a seed has an all-zero component");
    }
}

/* ffi_ideal_simulate(design, fit, seed): votes drawn from the model (raw 1..3). */
SEXP ffi_ideal_simulate(SEXP design, SEXP fit, SEXP seed) {
    tb_idata d;
    tb_istate st;
    tb_mrg g;
    tb_ideal_design(design, &d, 0, __func__);
    if (TYPEOF(seed) != REALSXP || XLENGTH(seed) != 6) {
        tb_internal_error(__func__, "`seed` must be 6 doubles");
    }
    tb_mrg_seed(&g, REAL(seed), __func__);
    tb_ideal_alloc_params(&d, &st);
    tb_ideal_params(fit, &d, &st, __func__);
    SEXP out = PROTECT(Rf_allocVector(RAWSXP, d.nv));
    tb_ideal_simulate(&d, &st, &g, RAW(out));
    UNPROTECT(1);
    return out;
}

/* The bootstrap replicates: replicate r draws votes from the fit f with stream g[r], refits
 * from f (warm start) and orients by the anchor. Writes each theta's standard deviation over
 * the replicates (Welford's running moments, no replicate matrix; NA for fewer than two) and
 * each replicate's iterations and convergence. */
static void tb_ideal_boot(const tb_idata *d, const tb_iopts *o, const tb_istate *f, tb_mrg *g,
                          int R, tb_istate *st, tb_aa *aa, double *se, int *iters, int *conv) {
    size_t nss = (size_t) d->nss, nc = (size_t) d->ncls;
    unsigned char *ysim = (unsigned char *) R_alloc((size_t) d->nv + 1, 1);
    double *mean = (double *) R_alloc(nss + 1, sizeof(double));
    double *m2 = (double *) R_alloc(nss + 1, sizeof(double));
    memset(mean, 0, sizeof(double) * nss);
    memset(m2, 0, sizeof(double) * nss);
    for (int r = 0; r < R; r++) {
        tb_ideal_simulate(d, f, g + r, ysim);
        memcpy(st->m, f->m, sizeof(double) * nss);
        memcpy(st->v, f->v, sizeof(double) * nss);
        memcpy(st->beta, f->beta, sizeof(double) * nc);
        memcpy(st->t1, f->t1, sizeof(double) * nc);
        memcpy(st->t2, f->t2, sizeof(double) * nc);
        st->omega2 = f->omega2;
        tb_ideal_em(d, o, ysim, st, aa);
        for (size_t k = 0; k < nss; k++) {
            double dx = st->m[k] - mean[k];
            mean[k] += dx / (r + 1);
            m2[k] += dx * (st->m[k] - mean[k]);
        }
        iters[r] = st->iter;
        conv[r] = st->converged;
    }
    for (size_t k = 0; k < nss; k++) se[k] = R > 1 ? sqrt(m2[k] / (R - 1)) : NA_REAL;
}

/* ffi_ideal_boot(design, fit, seeds, opts): parametric bootstrap with the streams seeded by
 * seeds[6r .. 6r + 5]; list(se, iterations, converged). */
SEXP ffi_ideal_boot(SEXP design, SEXP fit, SEXP seeds, SEXP opts) {
    tb_idata d;
    tb_iopts o;
    tb_istate st, f;
    tb_aa aa;
    tb_ideal_design(design, &d, 0, __func__);
    tb_ideal_opts(opts, &o, d.nstate, __func__);
    if (TYPEOF(seeds) != REALSXP || XLENGTH(seeds) % 6 != 0 || XLENGTH(seeds) / 6 > 100000) {
        tb_internal_error(__func__, "`seeds` must be doubles, 6 per replicate, at most 1e5 replicates");
    }
    int R = (int) (XLENGTH(seeds) / 6);
    tb_mrg *g = (tb_mrg *) R_alloc((size_t) R + 1, sizeof(tb_mrg));
    for (int r = 0; r < R; r++) tb_mrg_seed(g + r, REAL(seeds) + 6 * (R_xlen_t) r, __func__);
    tb_ideal_alloc(&d, &st);
    tb_aa_alloc(&d, o.depth, &aa);
    tb_ideal_alloc_params(&d, &f);
    tb_ideal_params(fit, &d, &f, __func__);

    int nprotect = 0;
    SEXP se = PROTECT(Rf_allocVector(REALSXP, d.nss)); nprotect++;
    SEXP iters = PROTECT(Rf_allocVector(INTSXP, R)); nprotect++;
    SEXP conv = PROTECT(Rf_allocVector(LGLSXP, R)); nprotect++;
    tb_ideal_boot(&d, &o, &f, g, R, &st, &aa, REAL(se), INTEGER(iters), LOGICAL(conv));
    const char *names[] = {"se", "iterations", "converged", ""};
    SEXP out = PROTECT(Rf_mkNamed(VECSXP, names)); nprotect++;
    SET_VECTOR_ELT(out, 0, se);
    SET_VECTOR_ELT(out, 1, iters);
    SET_VECTOR_ELT(out, 2, conv);
    UNPROTECT(nprotect);
    return out;
}
