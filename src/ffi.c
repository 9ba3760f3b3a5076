/* ffi.c: helpers the ffi_ entry points share to unpack their arguments:
 * the common length of recycled vectors, and settings read by name. */
#include "threatbalance.h"
#include <string.h>

/* Common length of k vectors recycled together: the longest, or 0 when any
 * is empty; every length must divide it. fn names the entry point. */
R_xlen_t tb_recycled_length(const R_xlen_t *len, int k, const char *fn) {
    R_xlen_t n = 0;
    for (int a = 0; a < k; a++) {
        if (len[a] == 0) return 0;
        if (len[a] > n) n = len[a];
    }
    for (int a = 0; a < k; a++)
        if (n % len[a] != 0) tb_internal_error(fn, "argument %d does not recycle", a + 1);
    return n;
}

/* Field `name` of the named list s, as stats' getListElement finds it (the
 * first element of that name), checked to be one non-NA value of the given
 * type. A missing or mistyped field is an internal error that names it. */
static SEXP setting(SEXP s, const char *name, int type, const char *fn) {
    if (TYPEOF(s) != VECSXP) tb_internal_error(fn, "settings must be a named list");
    SEXP nms = Rf_getAttrib(s, R_NamesSymbol);
    R_xlen_t n = TYPEOF(nms) == STRSXP ? XLENGTH(nms) : 0;
    for (R_xlen_t k = 0; k < n; k++) {
        if (strcmp(CHAR(STRING_ELT(nms, k)), name) != 0) continue;
        SEXP e = VECTOR_ELT(s, k);
        if (TYPEOF(e) != type || XLENGTH(e) != 1)
            tb_internal_error(fn, "setting `%s` must be one %s value, not %s of length %lld",
                              name, Rf_type2char(type), Rf_type2char(TYPEOF(e)),
                              (long long) Rf_xlength(e));
        return e;
    }
    tb_internal_error(fn, "setting `%s` is missing", name);
}

int tb_setting_flag(SEXP s, const char *name, const char *fn) {
    int v = LOGICAL(setting(s, name, LGLSXP, fn))[0];
    if (v == NA_LOGICAL) tb_internal_error(fn, "setting `%s` must be TRUE or FALSE, not NA", name);
    return v;
}

int tb_setting_int(SEXP s, const char *name, const char *fn) {
    int v = INTEGER(setting(s, name, INTSXP, fn))[0];
    if (v == NA_INTEGER) tb_internal_error(fn, "setting `%s` must not be NA", name);
    return v;
}

double tb_setting_num(SEXP s, const char *name, const char *fn) {
    double v = REAL(setting(s, name, REALSXP, fn))[0];
    if (ISNAN(v)) tb_internal_error(fn, "setting `%s` must not be NA", name);
    return v;
}
