/* threatbalance: registration of the .Call routines, and nothing else.
 * Argument counts are exact; dynamic symbol lookup is off. */
#include "threatbalance.h"
#include <R_ext/Rdynload.h>

#define CALLDEF(name, n) {#name, (DL_FUNC) &name, n}

static const R_CallMethodDef CallEntries[] = {
    CALLDEF(ffi_cinc, 3),
    CALLDEF(ffi_lsg, 4),
    CALLDEF(ffi_mpd_year, 1),
    CALLDEF(ffi_distance_km, 4),
    CALLDEF(ffi_dyad_years, 7),
    CALLDEF(ffi_sy_lookup, 4),
    CALLDEF(ffi_similarity, 10),
    CALLDEF(ffi_event_aggregate, 9),
    CALLDEF(ffi_relation_level, 6),
    CALLDEF(ffi_relation_level_resume, 8),
    CALLDEF(ffi_pelt, 6),
    CALLDEF(ffi_phase_sample, 2),
    CALLDEF(ffi_threat_components, 11),
    CALLDEF(ffi_threat_sensitivity, 4),
    CALLDEF(ffi_alliance_similarity, 8),
    CALLDEF(ffi_vote_similarity, 6),
    CALLDEF(ffi_ideal_fit, 3),
    CALLDEF(ffi_ideal_boot, 4),
    CALLDEF(ffi_ideal_simulate, 3),
    CALLDEF(ffi_ideal_design, 3),
    CALLDEF(ffi_release_memory, 0),
    {NULL, NULL, 0}
};

void R_init_threatbalance(DllInfo *dll) {
    R_registerRoutines(dll, NULL, CallEntries, NULL, NULL);
    R_useDynamicSymbols(dll, FALSE);
    R_forceSymbols(dll, TRUE);
}

/* when the package's library is unloaded: the slab kept between calls
 * (memory.c) */
void R_unload_threatbalance(DllInfo *dll) {
    (void) dll;
    (void) ffi_release_memory();
}
