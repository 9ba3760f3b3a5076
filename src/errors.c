/* threatbalance: the one format of internal errors raised by the C code.
 * An internal error is a call the package's own R code never makes (the R
 * side validates every user input before .Call); the message names the C
 * function so a report points at the line that refused. */
#include "threatbalance.h"
#include <stdarg.h>

void tb_internal_error(const char *fn, const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    Rf_error("internal error in %s(): %s (please report this to the threatbalance developers)",
             fn, buf);
}
