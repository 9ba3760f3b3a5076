#' threatbalance: balance-of-threat indices and dyadic relation scores
#'
#' Walt's balance-of-threat components for directed dyad-years and blocs,
#' alliance and UN-vote similarity, event-based relation scores and phase
#' detection, computed in C from packaged Correlates of War, ATOP, UN General
#' Assembly and ICEWS data.
#'
#' @keywords internal
#' @useDynLib threatbalance, .registration = TRUE, .fixes = "C_"
"_PACKAGE"
