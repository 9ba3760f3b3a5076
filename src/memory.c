/* memory.c: hands memory that R has freed back to the system; scratch
 * outside R's heap, backed by huge pages where the system offers them. */
#include "threatbalance.h"
#include <stdint.h>
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(__linux__)
#include <sys/mman.h>
#endif

/* Scratch for one .Call, outside R's heap: blocks from malloc() listed in
 * an arena that an external pointer owns. R_alloc() counts large blocks
 * against R's vector heap, so the exact PELT search (phases.c), which
 * needs 40-100 MB at 1e6 points, set off a garbage collection in every
 * call: 0.05 of 0.58 s at 1e6 points (meanvar, MBIC), 0.006 of 0.077 s at
 * 1e5. tb_arena_free() frees the blocks when the call ends; if it never
 * gets there (an interrupt, an error), the external pointer's finalizer
 * does at the next collection. */
typedef struct {
    void **b;
    size_t n, cap;
} tb_arena_t;

static void arena_release(tb_arena_t *a) {
    for (size_t i = 0; i < a->n; i++) free(a->b[i]);
    free(a->b);
    free(a);
}

static void arena_finalize(SEXP x) {
    tb_arena_t *a = (tb_arena_t *) R_ExternalPtrAddr(x);
    if (!a) return;
    R_ClearExternalPtr(x);
    arena_release(a);
}

/* A new arena; the caller protects it. */
SEXP tb_arena(void) {
    /* the pointer and its finalizer first, so that nothing leaks if R
     * cannot allocate them */
    SEXP x = PROTECT(R_MakeExternalPtr(NULL, R_NilValue, R_NilValue));
    R_RegisterCFinalizerEx(x, arena_finalize, TRUE);
    tb_arena_t *a = (tb_arena_t *) calloc(1, sizeof(tb_arena_t));
    if (!a) Rf_error("cannot allocate memory for threatbalance's scratch");
    R_SetExternalPtrAddr(x, a);
    UNPROTECT(1);
    return x;
}

void tb_arena_free(SEXP x) {
    arena_finalize(x);
}

/* n * size bytes (n > 0) from the arena x; an error if there is no memory.
 * Where Linux backs memory with transparent huge pages on request
 * (MADV_HUGEPAGE), asks for them for the 2 MB-aligned part of a block of 4
 * MB or more. The first touch of each 4 kB page costs much on some
 * machines (page faults of about 10 us here): at 1e6 points the search
 * took 0.96 s instead of 1.16 (meanvar) and 0.19 s instead of 0.25 (mean)
 * with huge pages, medians of 7 alternating runs. */
void *tb_arena_alloc(SEXP x, size_t n, size_t size) {
    tb_arena_t *a = (tb_arena_t *) R_ExternalPtrAddr(x);
    if (!a) Rf_error("internal error: threatbalance's scratch was freed");
    if (n && size > SIZE_MAX / n)
        Rf_error("cannot allocate %.0f x %.0f bytes of scratch", (double) n, (double) size);
    const size_t bytes = (n ? n : 1) * size;
    if (a->n == a->cap) {
        const size_t c = a->cap ? 2 * a->cap : 16;
        void **b = (void **) realloc(a->b, c * sizeof(void *));
        if (!b) Rf_error("cannot allocate memory for threatbalance's scratch");
        a->b = b;
        a->cap = c;
    }
    void *p = malloc(bytes);
    if (!p) Rf_error("cannot allocate %.1f Mb of scratch memory", (double) bytes / 1048576);
    a->b[a->n++] = p;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const size_t huge = (size_t) 1 << 21;
    if (bytes >= 2 * huge) {
        const uintptr_t s = ((uintptr_t) p + huge - 1) & ~(uintptr_t) (huge - 1);
        const uintptr_t e = ((uintptr_t) p + bytes) & ~(uintptr_t) (huge - 1);
        if (e > s) (void) madvise((void *) s, (size_t) (e - s), MADV_HUGEPAGE);
    }
#endif
    return p;
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
