/* threatbalance: declarations shared by the C files and init.c.
 * Each .c file holds one concern; ffi_* functions unpack SEXPs, cores take pointers. */
#ifndef THREATBALANCE_H
#define THREATBALANCE_H

#define R_NO_REMAP
#include <R.h>
#include <Rinternals.h>

/* errors.c: internal errors, one format for every C file; call as
 * tb_internal_error(__func__, "fmt", ...). Does not return. */
#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 2, 3)))
#endif
void tb_internal_error(const char *fn, const char *fmt, ...);

/* ffi.c: unpacking helpers shared by the ffi_ entry points; fn is the
 * caller's __func__, named in the internal error. */
R_xlen_t tb_recycled_length(const R_xlen_t *len, int k, const char *fn);
/* Settings cross the boundary as a named list, read field by field; a
 * missing, mistyped or NA field is an internal error naming the field. */
int tb_setting_flag(SEXP s, const char *name, const char *fn);
int tb_setting_int(SEXP s, const char *name, const char *fn);
double tb_setting_num(SEXP s, const char *name, const char *fn);

/* Correlates of War state codes: valid codes are 0..TB_NCCODE - 1; arrays
 * addressed by ccode have TB_NCCODE slots. The R side's limit is
 * tb_ccode_max (R/tables.R), equal to TB_NCCODE - 1. */
#define TB_NCCODE 1000

/* capability.c / distance.c: cores shared with threat.c */
/* great-circle distance in km on a sphere of radius TB_EARTH_RADIUS_KM */
#define TB_EARTH_RADIUS_KM 6371.0
double tb_gc_km(double lat1, double lon1, double lat2, double lon2);
/* Bueno de Mesquita loss-of-strength gradient: cap ^ tb_lsg_exponent(miles, mpd),
 * the exponent log10(miles / mpd + (10 - e)) */
double tb_lsg_exponent(double miles, double mpd);
double tb_lsg_bdm(double cap, double miles, double mpd);
/* miles per day used by EUGene's gradient for a year: 250 (<= 1917), 375 (1918-45), 500 (>= 1946) */
double tb_mpd_year(int year);
#define TB_KM_PER_MILE 1.609344
SEXP ffi_cinc(SEXP cols, SEXP grp, SEXP ngroups);
SEXP ffi_lsg(SEXP cap, SEXP miles, SEXP par, SEXP method);
SEXP ffi_mpd_year(SEXP year);
SEXP ffi_distance_km(SEXP lat1, SEXP lon1, SEXP lat2, SEXP lon2);
SEXP ffi_dyad_years(SEXP years, SEXP jan1, SEXP dec31, SEXP ccode, SEXP start,
                    SEXP end, SEXP directed);
SEXP ffi_sy_lookup(SEXP year, SEXP ccode, SEXP tyear, SEXP tccode);

/* similarity.c: the engine, shared with portfolio.c */
/* One batch of periods. Period t has na[t] actors and nk[t] items; its codes are the bytes
 * X[xofs[t] + k * na[t] + i] (item-major; xofs[t] the sum of na * nk over the earlier periods),
 * a level index 0..L-1, or >= L when missing. Weights, when w is not NULL, are w[kofs[t] + k]
 * (kofs[t] the sum of nk over the earlier periods; NaN drops the item). Actor ids are
 * ids[aofs[t] + i] (aofs[t] the sum of na over the earlier periods); pid[t] names the period. */
typedef struct {
    R_xlen_t np;
    const int *na, *nk, *pid, *ids;
    const unsigned char *X;
    const double *w;
} tb_sim_batch;
/* Scores every unordered pair of actors (and i == j when diag) of every period of b on the
 * levels lev (L of them, increasing) with distance exponent q (1 or 2) and the method codes meth
 * (nmeth of them, 1..5). Returns an unnamed list: period, id1, id2, [n when with_n,] then one
 * double column per method. */
SEXP tb_sim_run(const tb_sim_batch *b, const double *lev, int L, int q, const int *meth,
                int nmeth, int diag, int with_n);
/* Checks the SEXPs q (1L or 2L) and methods (1 to 5 codes 1..5); internal errors name fn. */
void tb_sim_check_settings(SEXP q, SEXP methods, const char *fn);
SEXP ffi_similarity(SEXP codes, SEXP nactor, SEXP nitem, SEXP levels, SEXP weights, SEXP q,
                    SEXP methods, SEXP actor_id, SEXP period_id, SEXP diag);
/* portfolio.c */
SEXP ffi_alliance_similarity(SEXP years, SEXP states, SEXP alliances, SEXP coding, SEXP cover,
                             SEXP cap, SEXP q, SEXP methods);
SEXP ffi_vote_similarity(SEXP years, SEXP rc_rcid, SEXP rc_period, SEXP votes, SEXP q,
                         SEXP methods);

/* threat.c */
SEXP ffi_threat_components(SEXP years, SEXP sy, SEXP dist, SEXP cont, SEXP mid,
                           SEXP riv, SEXP sim, SEXP ally, SEXP from, SEXP to,
                           SEXP settings);
SEXP ffi_threat_sensitivity(SEXP comp, SEXP weights, SEXP geometric, SEXP probs);

/* events.c / phases.c */
SEXP ffi_event_aggregate(SEXP period, SEXP a, SEXP b, SEXP by, SEXP directed,
                         SEXP nev, SEXP gsum, SEXP quad, SEXP counts);
SEXP ffi_relation_level(SEXP pidx, SEXP weight, SEXP nperiod, SEXP decay, SEXP baseline,
                        SEXP capped);
SEXP ffi_relation_level_resume(SEXP pidx, SEXP weight, SEXP period, SEXP score, SEXP upto,
                               SEXP decay, SEXP baseline, SEXP capped);
SEXP ffi_pelt(SEXP x, SEXP cost, SEXP pen, SEXP mbic, SEXP minseglen, SEXP shift);
SEXP ffi_phase_sample(SEXP x, SEXP diffs);

/* ideal.c: dynamic ordinal ideal points (variational EM, Kalman smoother, bootstrap) */
SEXP ffi_ideal_fit(SEXP design, SEXP start, SEXP opts);
SEXP ffi_ideal_boot(SEXP design, SEXP fit, SEXP seeds, SEXP opts);
SEXP ffi_ideal_simulate(SEXP design, SEXP fit, SEXP seed);
SEXP ffi_ideal_design(SEXP votes, SEXP rollcalls, SEXP opts);

/* memory.c: freed memory back to the system (glibc; elsewhere a no-op) */
SEXP ffi_release_memory(void);
/* scratch for one .Call outside R's heap (malloc, owned by an external
 * pointer the caller protects; 2 MB pages for the large blocks of an arena
 * expecting 4 MB or more) */
SEXP tb_arena(void);
void *tb_arena_alloc(SEXP arena, size_t n, size_t size);
void tb_arena_free(SEXP arena);
void tb_arena_expect(SEXP arena, size_t bytes);

#endif
