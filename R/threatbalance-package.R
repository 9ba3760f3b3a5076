#' threatbalance: balance-of-threat indices and dyadic relation scores
#'
#' Walt's balance-of-threat components for directed dyad-years and blocs,
#' alliance and UN-vote similarity, event-based relation scores and phase
#' detection, computed in C from packaged Correlates of War, ATOP, UN General
#' Assembly and ICEWS data.
#'
#' @section Options:
#' * `threatbalance.max_gb` (default 8): the most memory, in GB (\eqn{2^{30}}
#'   bytes), that a call whose result grows with the square of its input or
#'   with a product of its dimensions may need ([similarity_matrix()],
#'   [dyadic_similarity()]). Such calls size their result before computing it
#'   and above the limit stop with an error of class
#'   `threatbalance_error_too_large` that gives the size; raise the option
#'   (`options(threatbalance.max_gb = 64)`) on a machine with that much memory.
#'
#' @keywords internal
#' @useDynLib threatbalance, .registration = TRUE, .fixes = "C_"
"_PACKAGE"
