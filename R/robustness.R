# Sensitivity of threat rankings to the modelling choices (not only to the
# weights, which threat_sensitivity() varies).

#' How much do threat rankings depend on the modelling choices?
#'
#' Recomputes the threat index with one modelling choice changed at a time
#' (distance decay, its scale, the reach of major powers, the source of
#' foreign-policy similarity, the dispute half-life, the allies' discount,
#' ...), the others at their defaults, and reports for each variant the index
#' of every source of threat to the targets and its rank among all sources
#' that year. A conclusion such as "the United States is China's first
#' threat" is robust when its rank stays put across the variants;
#' [threat_sensitivity()] does the same for the weights.
#'
#' @param years Whole-number years in 1816-2022.
#' @param to The states threatened (names, ISO3, CoW abbreviations or
#'   ccodes, resolved in each year).
#' @param from `NULL` (all sources; default) or the sources to report.
#'   Ranks are always among all sources of threat to the target.
#' @param vary A named list: for each setting of [threat_components()], the
#'   values to try. Each value is tried with every other setting at its
#'   default. The default list varies `decay`, `scale`, `reach`,
#'   `reach_scale`, `similarity` (alliances, votes and UN ideal points; the
#'   ideal points are fitted once per R session, 2-3 CPU seconds),
#'   `half_life`, `ally_discount` and `dispute_scale`.
#' @param weights,combine Passed to [threat_index()].
#' @return A data frame of class `tb_robustness` with `setting`, `value`
#'   (as character), `default` (`TRUE` for the variant equal to the
#'   defaults), `year`, `ccode1` (source), `ccode2` (target), `threat` (the
#'   index) and `rank` (1 = the highest index to that target that year; NA
#'   when the index is NA), sorted by setting, value, year, target and rank.
#'   Coverage warnings of the variants are gathered into one.
#' @seealso [threat_sensitivity()] for the weights.
#' @export
#' @examples
#' r <- threat_robustness(2019, to = "China", from = c("USA", "India", "Russia"),
#'                        vary = list(decay = c("exponential", "bdm"),
#'                                    reach = c("major", "none")))
#' r[, c("setting", "value", "ccode1", "threat", "rank")]
threat_robustness <- function(years, to, from = NULL,
                              vary = list(decay = c("exponential", "bdm"),
                                          scale = c(500, 1000, 2000),
                                          reach = c("major", "none"),
                                          reach_scale = c(2000, 3000, 6000),
                                          similarity = c("alliance", "vote", "ideal"),
                                          half_life = c(5, 10, 20),
                                          ally_discount = c(0, 0.5, 0.8),
                                          dispute_scale = c(1, 3, 5)),
                              weights = c(power = 1, proximity = 1, offense = 1, intent = 3),
                              combine = c("geometric", "additive")) {
  if (missing(years)) tb_abort("`years` is missing: give the years to compute, e.g. 2010:2020.")
  if (missing(to)) tb_abort("`to` is missing: give the state(s) threatened, e.g. \"China\".")
  tb_check_weights(weights)
  combine <- tb_check_choice(combine, c("geometric", "additive"), "combine")
  years <- sort(unique(tb_threat_years(years)))
  to <- tb_threat_states(to, "to", years)
  from <- tb_threat_states(from, "from", years)
  known <- names(formals(threat_components))[-(1:3)]
  if (!is.list(vary) || !length(vary) || is.null(names(vary)) || any(!nzchar(names(vary))) ||
      any(!names(vary) %in% known)) {
    tb_abort(sprintf("`vary` must be a named list of settings of threat_components() (%s).",
                     paste(known, collapse = ", ")))
  }
  bad <- !vapply(vary, function(v) is.atomic(v) && length(v) > 0L && !anyNA(v), NA)
  if (any(bad)) {
    tb_abort(sprintf("`vary$%s` must hold at least one value to try, without NA, not %s.",
                     names(vary)[bad][1L], tb_describe(vary[bad][[1L]])))
  }
  defaults <- lapply(formals(threat_components)[known], eval)
  defaults <- lapply(defaults, function(v) if (is.character(v)) v[1L] else v)
  warned <- character()
  one <- function(setting, value) {
    args <- list(years = years, to = to)
    args[[setting]] <- value
    x <- withCallingHandlers(do.call(threat_components, args),
                             threatbalance_warning_coverage = function(w) {
                               warned <<- union(warned, conditionMessage(w))
                               invokeRestart("muffleWarning")
                             })
    idx <- threat_index(x, weights, combine)
    rk <- stats::ave(-idx, x$year, x$ccode2, FUN = function(v) rank(v, na.last = "keep",
                                                                   ties.method = "min"))
    keep <- if (is.null(from)) rep(TRUE, nrow(x)) else x$ccode1 %in% from
    is_default <- identical(unname(value), unname(defaults[[setting]]))
    data.frame(setting = setting, value = as.character(value), default = is_default,
               year = x$year[keep], ccode1 = x$ccode1[keep], ccode2 = x$ccode2[keep],
               threat = idx[keep], rank = as.integer(rk[keep]), stringsAsFactors = FALSE)
  }
  out <- list()
  for (st in names(vary)) {
    vals <- vary[[st]]
    for (k in seq_along(vals)) out[[length(out) + 1L]] <- one(st, vals[[k]])
  }
  out <- do.call(rbind, out)
  out <- out[order(out$setting, out$value, out$year, out$ccode2, out$rank), ]
  rownames(out) <- NULL
  if (length(warned)) tb_warn(warned[1L])
  class(out) <- c("tb_robustness", "data.frame")
  out
}
