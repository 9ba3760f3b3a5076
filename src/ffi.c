/* ffi.c: helpers the ffi_ entry points share to unpack their arguments:
 * the common length of recycled vectors, and settings read by name. */
#include "threatbalance.h"

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
