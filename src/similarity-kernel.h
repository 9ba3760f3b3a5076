/* similarity-kernel.h: the pair loops of the bit-plane kernel, ordinary C included twice by
 * similarity.c (no include guard), once per popcount. The includer defines
 *   SIM_KERNEL(name)  the name of this copy's functions (e.g. name##_hw),
 *   SIM_KERNEL_ATTR   their attributes (e.g. __attribute__((target("popcnt")))),
 *   SIM_POPCOUNT(x)   the popcount of a uint64_t,
 * and provides bit_planes, measure_spec, out_cursor, ctz64, pair_from_cells and emit_pair. */
#if !defined(SIM_KERNEL) || !defined(SIM_KERNEL_ATTR) || !defined(SIM_POPCOUNT)
#error "similarity-kernel.h needs SIM_KERNEL, SIM_KERNEL_ATTR and SIM_POPCOUNT"
#endif

/* Without missing codes: for every pair, the joint cells of the levels other than z that both
 * actors use (counts by popcount, or the sum of the item weights w over the common bits), their
 * distance sums, then the pair's row. */
SIM_KERNEL_ATTR static void SIM_KERNEL(pairs_full)(const bit_planes *pl, int na, const double *w,
                                                   const int *ids, int period, int diag,
                                                   const measure_spec *sp, out_cursor *o) {
    const int L = sp->L, need_1 = sp->need_1, need_t = sp->need_t;
    const R_xlen_t W = pl->W;
    const uint64_t *P = pl->P;
    const uint32_t *lm = pl->lm;
    const signed char *pm = pl->pm;
    const int *nu = pl->nu;
    const double *dpq = pl->dpq, *dp1 = pl->dp1, *wk = pl->wk;
    double *T = pl->T;
    for (int i = 0; i < na; i++) {
        const uint64_t *Pi = P + (R_xlen_t) i * (L + 1) * W;
        for (int j = diag ? i : i + 1; j < na; j++) {
            const uint64_t *Pj = P + (R_xlen_t) j * (L + 1) * W;
            double sq = 0.0, s1 = 0.0;
            /* T: the joint table restricted to the levels each actor uses, ni x nj */
            const int ni = nu[i], nj = nu[j];
            const signed char *pi = pm + (R_xlen_t) i * 16, *pj = pm + (R_xlen_t) j * 16;
            if (need_t) for (int c = 0; c < ni * nj; c++) T[c] = 0.0;
            for (uint32_t ma = lm[i]; ma; ma &= ma - 1) {
                int a = ctz64(ma);
                const uint64_t *A = Pi + (R_xlen_t) a * W;
                for (uint32_t mb = lm[j]; mb; mb &= mb - 1) {
                    int b = ctz64(mb);
                    const uint64_t *B = Pj + (R_xlen_t) b * W;
                    double s;
                    if (w) {
                        s = 0.0;
                        for (R_xlen_t q = 0; q < W; q++) {
                            for (uint64_t x = A[q] & B[q]; x; x &= x - 1)
                                s += wk[q * 64 + ctz64(x)];
                        }
                    } else {
                        int c = 0;
                        for (R_xlen_t q = 0; q < W; q++) c += SIM_POPCOUNT(A[q] & B[q]);
                        s = c;
                    }
                    sq += dpq[a * L + b] * s;
                    if (need_1) s1 += dp1[a * L + b] * s;
                    T[pi[a] * nj + pj[b]] = s;
                }
            }
            pair_from_cells(pl, i, j, sq, s1, ids, period, sp, o);
        }
    }
}

/* With missing codes (unweighted): for every pair, every cell of the L x L joint table by
 * popcount, then the pair's row. */
SIM_KERNEL_ATTR static void SIM_KERNEL(pairs_na)(const bit_planes *pl, int na, const int *ids,
                                                 int period, int diag, const measure_spec *sp,
                                                 out_cursor *o) {
    const int L = sp->L;
    const R_xlen_t W = pl->W;
    const uint64_t *P = pl->P;
    double *T = pl->T, *val = pl->val, *scr = pl->scr;
    for (int i = 0; i < na; i++) {
        const uint64_t *Pi = P + (R_xlen_t) i * (L + 1) * W;
        for (int j = diag ? i : i + 1; j < na; j++) {
            const uint64_t *Pj = P + (R_xlen_t) j * (L + 1) * W;
            int n = 0;
            for (int a = 0; a < L; a++) {
                const uint64_t *A = Pi + (R_xlen_t) a * W;
                for (int b = 0; b < L; b++) {
                    const uint64_t *B = Pj + (R_xlen_t) b * W;
                    int s = 0;
                    for (R_xlen_t q = 0; q < W; q++) s += SIM_POPCOUNT(A[q] & B[q]);
                    T[a * L + b] = s; n += s;
                }
            }
            emit_pair(o, sp, period, ids[i], ids[j], T, n, n, NULL, NULL, val, scr);
        }
    }
}
