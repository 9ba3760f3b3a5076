/* memory.c: hands memory that R has freed back to the system; scratch
 * backed by huge pages where the system offers them. */
#include "threatbalance.h"
#include <stdint.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(__linux__)
#include <sys/mman.h>
#endif

/* R_alloc(n, size), and where Linux backs memory with transparent huge
 * pages on request (MADV_HUGEPAGE), asks for them for the 2 MB-aligned part
 * of a block of 4 MB or more. The first touch of each 4 kB page costs much
 * on some machines (page faults of about 10 us here): the exact PELT
 * search (phases.c) at 1e6 points touches 40-100 MB of scratch, and took
 * 0.96 s instead of 1.16 (meanvar) and 0.19 s instead of 0.25 (mean) with
 * huge pages, medians of 7 alternating runs. Elsewhere plain R_alloc. */
void *tb_alloc_big(size_t n, size_t size) {
    void *b = R_alloc(n, size);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const size_t bytes = n * size, huge = (size_t) 1 << 21;
    if (bytes >= 2 * huge) {
        const uintptr_t a = ((uintptr_t) b + huge - 1) & ~(uintptr_t) (huge - 1);
        const uintptr_t e = ((uintptr_t) b + bytes) & ~(uintptr_t) (huge - 1);
        if (e > a) (void) madvise((void *) a, (size_t) (e - a), MADV_HUGEPAGE);
    }
#endif
    return b;
}

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
