/* memory.c: hands memory that R has freed back to the system. */
#include "threatbalance.h"
#if defined(__GLIBC__)
#include <malloc.h>
#endif

/* .Call(C_ffi_release_memory) -> NULL. After a garbage collection, glibc
 * keeps the freed blocks of R's large vectors in its heap (its threshold
 * for giving each large block its own mapping rises with every such block
 * freed), so the process's resident size stays at its peak: 20 M events
 * from SQLite by month peaked at 333 MB, 268 MB with this after full
 * collections and the result frame's steps (tb_collect_garbage(), R/events.R).
 * Elsewhere a no-op. */
SEXP ffi_release_memory(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
    return R_NilValue;
}
