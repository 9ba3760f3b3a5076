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

/* Scratch for one .Call, outside R's heap: blocks listed in an arena that
 * an external pointer owns. R_alloc() counts large blocks against R's
 * vector heap, so the exact PELT search (phases.c), which needs 40-100 MB
 * at 1e6 points, set off a garbage collection in every call: 0.05 of 0.58
 * s at 1e6 points (meanvar, MBIC), 0.006 of 0.077 s at 1e5.
 * tb_arena_free() frees the blocks when the call ends; if it never gets
 * there (an interrupt, an error), the external pointer's finalizer does at
 * the next collection.
 * Blocks come from malloc(), except in an arena told to expect
 * TB_SLAB_USE bytes or more (tb_arena_expect()) where Linux backs memory
 * with transparent huge pages on request (MADV_HUGEPAGE): there blocks of
 * TB_SLAB_MIN bytes or more are carved from slabs of TB_SLAB bytes (or one
 * block's size) mapped at 2 MB boundaries and so backed by 2 MB pages,
 * each mapped on its first touch. Here a 4 kB page took 12.5 us to map, a
 * 2 MB page 128 us (0.25 us a 4 kB page). Large blocks from malloc() were
 * mapped afresh whenever R's collector or other code had returned the
 * heap to the system between two calls: at 1e5 points (meanvar, MBIC), a
 * call made after changepoint's made 398 page faults and took 0.034 s,
 * against 0.028 s repeated alone (with slabs: 0 faults, 0.030 and 0.029 s); at 1e6
 * every call made 4,393 (huge pages were asked only for the 2 MB-aligned
 * middle of blocks of 4 MB or more), 0.35 s against 0.32 s with slabs
 * (mean: 0.128 s against 0.096 s). Smaller calls keep malloc(), whose
 * blocks are usually still mapped from the call before: one 2 MB page
 * (0.13 ms) is a tenth of a call at 1e4 points. One slab stays mapped
 * from call to call (slab_cache). */
#define TB_SLAB_USE ((size_t) 1 << 22)
#define TB_SLAB_MIN ((size_t) 1 << 16)
#define TB_SLAB ((size_t) 1 << 25)
#define TB_HUGE ((size_t) 1 << 21)
/* (not under AddressSanitizer, which sees overruns between malloc() blocks
 * but not between blocks carved from one mapping) */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TB_ASAN 1
#endif
#endif
#if defined(__linux__) && defined(MADV_HUGEPAGE) && defined(MAP_ANONYMOUS) && \
    !defined(__SANITIZE_ADDRESS__) && !defined(TB_ASAN)
#define TB_SLABS 1
#endif

typedef struct {
    void **b;                 /* blocks from malloc() */
    size_t n, cap;
    void **m;                 /* slabs: address and length of each mapping */
    size_t *ml, mn, mcap;
    char *slab;               /* the current slab, its length and use */
    size_t size, used;
    int slabs;                /* blocks may come from slabs */
} tb_arena_t;

#ifdef TB_SLABS
/* One slab of TB_SLAB bytes kept mapped from one call to the next (NULL:
 * none), as malloc() keeps freed blocks in its heap: a call at 1e5 points
 * (mean, MBIC), repeated, took 0.0104 s when its slabs were mapped afresh
 * (five 2 MB pages) against 0.0096 s with malloc(). ffi_release_memory()
 * unmaps it. */
static void *slab_cache = NULL;
#endif

static void arena_release(tb_arena_t *a) {
    for (size_t i = 0; i < a->n; i++) free(a->b[i]);
    free(a->b);
#ifdef TB_SLABS
    for (size_t i = 0; i < a->mn; i++) {
        if (a->ml[i] == TB_SLAB && !slab_cache) slab_cache = a->m[i];
        else munmap(a->m[i], a->ml[i]);
    }
#endif
    free(a->m);
    free(a->ml);
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

/* The arena x will hand out about bytes in all. */
void tb_arena_expect(SEXP x, size_t bytes) {
    tb_arena_t *a = (tb_arena_t *) R_ExternalPtrAddr(x);
    if (a) a->slabs = bytes >= TB_SLAB_USE;
}

#ifdef TB_SLABS
/* A mapping of len bytes (a multiple of 2 MB) at a 2 MB boundary, asked
 * for 2 MB more and trimmed; the cached slab when len is TB_SLAB. */
static char *slab_map(size_t len) {
    if (len == TB_SLAB && slab_cache) {
        char *c = (char *) slab_cache;
        slab_cache = NULL;
        return c;
    }
    char *p = (char *) mmap(NULL, len + TB_HUGE, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
    const uintptr_t s = ((uintptr_t) p + TB_HUGE - 1) & ~(uintptr_t) (TB_HUGE - 1);
    const size_t head = (size_t) (s - (uintptr_t) p), tail = TB_HUGE - head;
    if (head) munmap(p, head);
    if (tail) munmap((char *) s + len, tail);
    (void) madvise((void *) s, len, MADV_HUGEPAGE);
    return (char *) s;
}

/* bytes (a multiple of 64) from the current slab, else from a new mapping
 * of TB_SLAB bytes or of its own size if larger, which becomes the current
 * slab if it leaves more room than the current one. NULL if the system
 * refuses (the caller falls back on malloc()). */
static void *slab_alloc(tb_arena_t *a, size_t bytes) {
    if (a->slab && bytes <= a->size - a->used) {
        void *p = a->slab + a->used;
        a->used += bytes;
        return p;
    }
    if (bytes > SIZE_MAX - 2 * TB_HUGE) return NULL;
    if (a->mn == a->mcap) {
        const size_t c = a->mcap ? 2 * a->mcap : 8;
        void **m = (void **) realloc(a->m, c * sizeof(void *));
        if (!m) return NULL;
        a->m = m;
        size_t *ml = (size_t *) realloc(a->ml, c * sizeof(size_t));
        if (!ml) return NULL;
        a->ml = ml;
        a->mcap = c;
    }
    const size_t len = bytes > TB_SLAB ? (bytes + TB_HUGE - 1) & ~(TB_HUGE - 1) : TB_SLAB;
    char *s = slab_map(len);
    if (!s) return NULL;
    a->m[a->mn] = (void *) s;
    a->ml[a->mn++] = len;
    if (!a->slab || len - bytes > a->size - a->used) {
        a->slab = s;
        a->size = len;
        a->used = bytes;
    }
    return s;
}
#endif

/* n * size bytes (n > 0) from the arena x; an error if there is no memory. */
void *tb_arena_alloc(SEXP x, size_t n, size_t size) {
    tb_arena_t *a = (tb_arena_t *) R_ExternalPtrAddr(x);
    if (!a) Rf_error("internal error: threatbalance's scratch was freed");
    if (n && size > SIZE_MAX / n)
        Rf_error("cannot allocate %.0f x %.0f bytes of scratch", (double) n, (double) size);
    const size_t bytes = (n ? n : 1) * size;
#ifdef TB_SLABS
    if (a->slabs && bytes >= TB_SLAB_MIN && bytes <= SIZE_MAX - 64) {
        void *p = slab_alloc(a, (bytes + 63) & ~(size_t) 63);
        if (p) return p;
    }
#endif
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
#ifdef TB_SLABS
    if (slab_cache) {
        munmap(slab_cache, TB_SLAB);
        slab_cache = NULL;
    }
#endif
    return R_NilValue;
}
