# Dyadic similarity of portfolios: Signorino-Ritter S, weighted Cohen's kappa
# and Scott's pi, Kendall's tau-b and agreement, for one pair, for all pairs of
# a matrix, and for all dyads of all periods of long data (alliances, UN votes).
# The C engine (src/similarity.c) works on per-period actors x items matrices
# of level indices. similarity(), similarity_matrix() and dyadic_similarity()
# build those matrices here; alliance_similarity() and vote_similarity() pass
# the packaged tables to C, which builds them (sim_alliance_prep() and
# sim_vote_prep() are the R references used by the tests and the benchmark).

sim_methods <- c("s", "kappa", "pi", "taub", "agree")
sim_method_codes <- c(s = 1L, kappa = 2L, pi = 3L, taub = 4L, agree = 5L)

# Call the engine. codes: integer level indices 0..L-1 (NA missing), the
# concatenated column-major na_t x nk_t matrices of each period.
sim_engine <- function(codes, nactor, nitem, levels, weights, distance, methods,
                       actor_id, period_id, diag = FALSE) {
  q <- if (identical(distance, "absolute")) 1L else 2L
  out <- .Call(C_ffi_similarity, codes, as.integer(nactor), as.integer(nitem),
               as.double(levels), if (is.null(weights)) NULL else as.double(weights),
               q, unname(sim_method_codes[methods]), as.integer(actor_id),
               as.integer(period_id), diag)
  names(out) <- c("period", "id1", "id2", "n", methods)
  out
}

# A list of equal-length columns as a plain data.frame, without copying.
sim_as_df <- function(cols) {
  attr(cols, "row.names") <- .set_row_names(length(cols[[1L]]))
  class(cols) <- "data.frame"
  cols
}

# Levels of the codes: given, or the sorted distinct values seen.
sim_levels <- function(levels, values) {
  if (is.null(levels)) {
    levels <- sort(unique(values[!is.na(values)]))
    if (!length(levels)) levels <- 0
    return(as.double(levels))
  }
  levels <- check_numeric(levels, "levels", allow_na = FALSE, finite = TRUE)
  if (!length(levels)) tb_abort("`levels` must hold at least one value, not an empty vector.")
  if (length(levels) > 255L) {
    tb_abort(sprintf("`levels` must hold at most 255 distinct values, not %d.", length(levels)))
  }
  sort(unique(levels))
}

# Level indices (0-based) of values, with a classed error for values that
# are not among the levels.
sim_codes <- function(values, levels, arg) {
  idx <- match(values, levels)
  bad <- which(is.na(idx) & !is.na(values))
  if (length(bad)) {
    tb_abort(sprintf("`%s` holds %s at position %d, which is not among `levels` (%s).",
                     arg, format(values[bad[1L]]), bad[1L],
                     paste(format(levels), collapse = ", ")))
  }
  idx - 1L
}

sim_check_values <- function(x, arg) {
  if (is.logical(x) && !all(is.na(x))) x <- as.integer(x)
  check_numeric(x, arg, finite = TRUE)
}

sim_check_weights <- function(weights, n, arg = "weights") {
  if (is.null(weights)) return(NULL)
  check_numeric(weights, arg, len = n, min = 0, finite = TRUE)
}

#' Similarity of two portfolios
#'
#' Computes one similarity score between two actors' positions on the same
#' items (alliance ties with every state, votes on every roll call, ...):
#' Signorino and Ritter's S, weighted Cohen's kappa, weighted Scott's pi,
#' Kendall's tau-b, or agreement.
#'
#' Let \eqn{p_{ab}} be the (weighted) share of items on which the first actor
#' is at level \eqn{a} and the second at level \eqn{b}, and
#' \eqn{d_{ab} = (|v_a - v_b| / \Delta)^q} the distance between levels, with
#' \eqn{\Delta} the range of `levels` (not the observed range) and \eqn{q = 2}
#' for `distance = "squared"`, 1 for `"absolute"`.
#' * `"s"`: \eqn{S = 1 - 2 \sum d_{ab} p_{ab}} (Signorino and Ritter 1999),
#'   unweighted or with item weights (e.g. the partner's capabilities).
#' * `"kappa"`: \eqn{1 - \sum d_{ab} p_{ab} / \sum d_{ab} p_{a\cdot} p_{\cdot b}},
#'   Cohen's kappa with quadratic (`"squared"`) or linear (`"absolute"`)
#'   disagreement weights over the full `levels` (Häge 2011).
#' * `"pi"`: as kappa with the expected distribution built from the pooled
#'   margins \eqn{m_a = (p_{a\cdot} + p_{\cdot a}) / 2}: Scott's pi (Häge 2011).
#'   fpsim's `spi()` is the unweighted (nominal) pi, which differs.
#' * `"taub"`: Kendall's tau-b of the joint table (Bueno de Mesquita 1975).
#'   With weights, pairs of items count with the product of their weights.
#' * `"agree"`: \eqn{1 - \sum p_{ab} |v_a - v_b| / \Delta}, always linear; for UN
#'   votes coded 1 yes, 2 abstain, 3 no it is the usual agreement score
#'   (identical 1, one abstains 0.5, opposite 0; Lijphart 1963).
#'
#' Distances use the values of `levels`, so unevenly spaced levels are spaced
#' by value (fpsim's `srs()` spaces them by rank).
#'
#' NA behaviour: items where either side (or the weight) is NA are dropped
#' pairwise. The score is NA when no item is left, when `levels` has a single
#' value, for kappa and pi when the expected disagreement is 0, and for tau-b
#' when either actor is constant.
#'
#' @param x,y Numeric vectors of equal length: each actor's level on each item.
#' @param method One of `"s"`, `"kappa"`, `"pi"`, `"taub"`, `"agree"`.
#' @param distance `"squared"` (default) or `"absolute"` distances between
#'   levels, used by S, kappa and pi.
#' @param weights `NULL` or non-negative weights, one per item.
#' @param levels The possible values of the codes (their range scales the
#'   distances); `NULL` uses the distinct values seen.
#' @return A single number.
#' @references
#' Signorino, C. S. and Ritter, J. M. (1999). Tau-b or not tau-b: Measuring
#' the similarity of foreign policy positions. *International Studies
#' Quarterly* 43(1), 115–144. \doi{10.1111/0020-8833.00113}
#'
#' Häge, F. M. (2011). Choice or circumstance? Adjusting measures of foreign
#' policy similarity for chance agreement. *Political Analysis* 19(3),
#' 287–305. \doi{10.1093/pan/mpr023}
#'
#' Bueno de Mesquita, B. (1975). Measuring systemic polarity. *Journal of
#' Conflict Resolution* 19(2), 187–216. \doi{10.1177/002200277501900201}
#'
#' Lijphart, A. (1963). The analysis of bloc voting in the General Assembly:
#' A critique and a proposal. *American Political Science Review* 57(4),
#' 902–917. \doi{10.2307/1952608}
#' @examples
#' # Signorino and Ritter's (1999) Germany and Russia, 1914
#' gmy <- c(3, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0)
#' rus <- c(0, 3, 1, 3, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
#' similarity(gmy, rus, distance = "absolute", levels = 0:3) # 0.4
#' similarity(gmy, rus, method = "taub")
#' similarity(c(1, 1, 2, 3), c(1, 3, 2, 3), method = "agree", levels = 1:3)
#' @export
similarity <- function(x, y, method = "s", distance = c("squared", "absolute"),
                       weights = NULL, levels = NULL) {
  x <- sim_check_values(x, "x")
  y <- sim_check_values(y, "y")
  if (length(x) != length(y)) {
    tb_abort(sprintf("`x` and `y` must have the same length; `x` has %d and `y` has %d.",
                     length(x), length(y)))
  }
  m <- matrix(c(x, y), nrow = 2L, byrow = TRUE)
  similarity_matrix(m, method = method, distance = distance, weights = weights,
                    levels = levels)[1L, 2L]
}

#' Similarity of every pair of portfolios in a matrix
#'
#' Scores every pair of rows of an actors × items matrix with one of the
#' measures of [similarity()], in one pass of the C engine.
#'
#' NA behaviour: as in [similarity()]: items missing for either actor are
#' dropped pairwise; the diagonal is the score of each row with itself (NA for
#' kappa, pi and tau-b when the row is constant or all NA).
#'
#' @param m A numeric matrix (or data frame of numeric columns), actors in
#'   rows, items in columns.
#' @inheritParams similarity
#' @return A symmetric numeric matrix, actors × actors, with the row names of
#'   `m` as dimnames.
#' @references
#' Signorino, C. S. and Ritter, J. M. (1999). Tau-b or not tau-b: Measuring
#' the similarity of foreign policy positions. *International Studies
#' Quarterly* 43(1), 115–144. \doi{10.1111/0020-8833.00113}
#'
#' Häge, F. M. (2011). Choice or circumstance? Adjusting measures of foreign
#' policy similarity for chance agreement. *Political Analysis* 19(3),
#' 287–305. \doi{10.1093/pan/mpr023}
#'
#' Bueno de Mesquita, B. (1975). Measuring systemic polarity. *Journal of
#' Conflict Resolution* 19(2), 187–216. \doi{10.1177/002200277501900201}
#'
#' Lijphart, A. (1963). The analysis of bloc voting in the General Assembly:
#' A critique and a proposal. *American Political Science Review* 57(4),
#' 902–917. \doi{10.2307/1952608}
#' @examples
#' m <- rbind(a = c(1, 1, 3, 2), b = c(1, 3, 3, 2), c = c(3, 3, 1, NA))
#' similarity_matrix(m, method = "kappa", levels = 1:3)
#' @export
similarity_matrix <- function(m, method = "s", distance = c("squared", "absolute"),
                              weights = NULL, levels = NULL) {
  if (is.data.frame(m)) m <- as.matrix(m)
  if (!is.matrix(m) || !(is.numeric(m) || is.logical(m))) {
    tb_abort(sprintf("`m` must be a numeric matrix, not %s.", tb_describe(m)))
  }
  method <- check_choice(method, sim_methods, "method")
  distance <- check_choice(distance, c("squared", "absolute"), "distance")
  vals <- check_numeric(as.vector(m), "m", finite = TRUE)
  weights <- sim_check_weights(weights, ncol(m))
  levels <- sim_levels(levels, vals)
  codes <- sim_codes(vals, levels, "m")
  na <- nrow(m)
  out <- sim_engine(codes, na, ncol(m), levels, weights, distance, method,
                    seq_len(na), 1L, diag = TRUE)
  res <- matrix(NA_real_, na, na, dimnames = list(rownames(m), rownames(m)))
  res[cbind(out$id1, out$id2)] <- out[[method]]
  res[cbind(out$id2, out$id1)] <- out[[method]]
  res
}

#' Similarity of every dyad in every period of long portfolio data
#'
#' For data with one row per actor, item and period (a state's vote on a roll
#' call in a year, its alliance tie with a partner in a year, ...), scores
#' every unordered pair of actors present in a period on the items of that
#' period, with any of the measures of [similarity()].
#'
#' The actors of a period are those with a row in it; the items of a period
#' are those with a row in it. An actor without a row for an item is missing
#' on that item (give explicit zeros where absence means "no tie").
#'
#' NA behaviour: NA values, and actor-item pairs without a row, are dropped
#' pairwise; `n` counts the items compared. A score is NA when `n` is 0 and
#' in the other cases listed in [similarity()].
#'
#' @param data A data frame.
#' @param actor,item,value Names of the columns of `data` holding the actor,
#'   the item and the actor's level on the item (numeric).
#' @param period `NULL` (one period) or the name of the column holding the
#'   period.
#' @param method One or more of `"s"`, `"kappa"`, `"pi"`, `"taub"`, `"agree"`.
#' @param distance `"squared"` (default) or `"absolute"`.
#' @param weights `NULL` or the name of a numeric column holding each item's
#'   weight (one value per item and period).
#' @param levels The possible values of `value`; `NULL` uses those seen.
#' @return A data frame with columns `period` (when given), `actor1`,
#'   `actor2` (`actor1 < actor2`), `n` (items compared) and one column per
#'   method, one row per unordered dyad and period.
#' @references
#' Signorino, C. S. and Ritter, J. M. (1999). Tau-b or not tau-b: Measuring
#' the similarity of foreign policy positions. *International Studies
#' Quarterly* 43(1), 115–144. \doi{10.1111/0020-8833.00113}
#'
#' Häge, F. M. (2011). Choice or circumstance? Adjusting measures of foreign
#' policy similarity for chance agreement. *Political Analysis* 19(3),
#' 287–305. \doi{10.1093/pan/mpr023}
#'
#' Bueno de Mesquita, B. (1975). Measuring systemic polarity. *Journal of
#' Conflict Resolution* 19(2), 187–216. \doi{10.1177/002200277501900201}
#'
#' Lijphart, A. (1963). The analysis of bloc voting in the General Assembly:
#' A critique and a proposal. *American Political Science Review* 57(4),
#' 902–917. \doi{10.2307/1952608}
#' @examples
#' d <- data.frame(year = rep(2000:2001, each = 6),
#'                 state = rep(c("A", "B", "C"), 4),
#'                 rollcall = rep(rep(1:2, each = 3), 2),
#'                 vote = c(1, 1, 3, 1, 2, 3, 1, 3, 3, 2, 2, 1))
#' dyadic_similarity(d, "state", "rollcall", "vote", period = "year",
#'                   method = c("agree", "s"), levels = 1:3)
#' @export
dyadic_similarity <- function(data, actor, item, value, period = NULL,
                              method = c("s", "kappa", "pi", "taub"),
                              distance = c("squared", "absolute"),
                              weights = NULL, levels = NULL) {
  check_data_frame(data, "data")
  actor <- check_string(actor, "actor")
  item <- check_string(item, "item")
  value <- check_string(value, "value")
  period <- check_string(period, "period", allow_null = TRUE)
  weights <- check_string(weights, "weights", allow_null = TRUE)
  check_data_frame(data, "data", c(actor, item, value, period, weights))
  method <- check_choice(method, sim_methods, "method", several = TRUE)
  distance <- check_choice(distance, c("squared", "absolute"), "distance")
  for (col in c(actor, item, period, value)) {
    if (!is.atomic(data[[col]]) || is.null(data[[col]])) {
      tb_abort(sprintf("Column `%s` of `data` must be an atomic vector (numbers, strings or factor), not %s.",
                       col, tb_describe(data[[col]])))
    }
  }
  for (col in c(actor, item, period)) {
    if (anyNA(data[[col]])) {
      tb_abort(sprintf("Column `%s` of `data` must not contain NA (found at row %d).",
                       col, which(is.na(data[[col]]))[1L]))
    }
  }
  vals <- sim_check_values(data[[value]], sprintf("data$%s", value))
  levels <- sim_levels(levels, vals)
  codes <- sim_codes(vals, levels, sprintf("data$%s", value))
  wv <- if (!is.null(weights)) {
    check_numeric(data[[weights]], sprintf("data$%s", weights), min = 0, finite = TRUE)
  }
  nr <- nrow(data)
  pv <- if (is.null(period)) rep(1L, nr) else data[[period]]
  up <- sort(unique(pv))
  pidx <- match(pv, up)
  ua <- sort(unique(data[[actor]]))
  aidx <- match(data[[actor]], ua)
  uk <- unique(data[[item]])
  kidx <- match(data[[item]], uk)
  np <- length(up)
  # local actor and item indices within each period
  akey <- unique(cbind(pidx, aidx)[order(pidx, aidx), , drop = FALSE])
  kkey <- unique(cbind(pidx, kidx)[order(pidx, kidx), , drop = FALSE])
  nactor <- tabulate(akey[, 1L], np)
  nitem <- tabulate(kkey[, 1L], np)
  aofs <- c(0L, cumsum(nactor))[seq_len(np)]
  kofs <- c(0L, cumsum(nitem))[seq_len(np)]
  la <- match(pidx * (length(ua) + 1) + aidx, akey[, 1L] * (length(ua) + 1) + akey[, 2L]) -
    aofs[pidx] - 1
  lk <- match(pidx * (length(uk) + 1) + kidx, kkey[, 1L] * (length(uk) + 1) + kkey[, 2L]) -
    kofs[pidx] - 1
  cofs <- c(0, cumsum(as.double(nactor) * nitem))[seq_len(np)]
  cell <- cofs[pidx] + la + lk * nactor[pidx] + 1
  if (anyDuplicated(cell)) {
    d <- which(duplicated(cell))[1L]
    tb_abort(sprintf("`data` must have one row per %s; row %d repeats an earlier combination.",
                     paste0("`", c(period, actor, item), "`", collapse = ", "), d))
  }
  allcodes <- rep(NA_integer_, sum(as.double(nactor) * nitem))
  allcodes[cell] <- codes
  w <- NULL
  if (!is.null(weights)) {
    kcell <- kofs[pidx] + lk + 1
    w <- rep(NA_real_, sum(nitem))
    w[kcell] <- wv
    if (any(w[kcell] != wv, na.rm = TRUE) || any(is.na(w[kcell]) != is.na(wv))) {
      tb_abort(sprintf("Column `%s` of `data` must hold one weight per item%s.",
                       weights, if (is.null(period)) "" else " and period"))
    }
  }
  out <- sim_engine(allcodes, nactor, nitem, levels, w, distance, method,
                    akey[, 2L], seq_len(np))
  res <- c(if (!is.null(period)) list(period = up[out$period]),
           list(actor1 = ua[out$id1], actor2 = ua[out$id2], n = out$n),
           out[method])
  sim_as_df(res)
}

# ---- alliances and UN votes ------------------------------------------------

# System members of each year: data frame year, ccode sorted by year then
# ccode. A state is a member in year t if a spell overlaps the year.
sim_members <- function(years) {
  my <- tb_member_years()   # every state-year of the system (R/distance.R)
  keep <- my$year %in% years
  key <- sort(unique(my$year[keep] * 1000L + my$ccode[keep]))
  data.frame(year = key %/% 1000L, ccode = key %% 1000L)
}

#' Alliance-portfolio similarity of every dyad-year
#'
#' Scores how alike the alliance portfolios of every pair of system members
#' are, year by year, from ATOP obligations ([alliances]). The portfolio of a
#' state in a year is its alliance code with every system member of that year
#' (from [states]: a member in year t if a spell overlaps t), itself included
#' at the top code. Valued coding: 3 = defense or offense pact, 2 =
#' neutrality or consultation only, 1 = non-aggression only, 0 = none; binary
#' coding: 1 = any obligation. The measures are those of [similarity()], with
#' levels 0:3 (valued) or 0:1 (binary).
#'
#' NA behaviour: years outside ATOP's coverage (1815–2018) are NA with a
#' coverage warning. With `weighted = TRUE`, items (partners) without a CINC
#' that year are dropped.
#'
#' @param years Integer years.
#' @param coding `"valued"` (default) or `"binary"`.
#' @param method One or more of `"s"`, `"kappa"`, `"pi"`, `"taub"`, `"agree"`.
#' @param distance `"squared"` (default) or `"absolute"`. Signorino and
#'   Ritter's original S, as EUGene computes it, uses absolute distance: set
#'   `distance = "absolute"` to compare with it.
#' @param weighted If `TRUE`, weight each partner by its CINC that year
#'   ([capabilities]).
#' @return A data frame `year`, `ccode1`, `ccode2` (integers, `ccode1 <
#'   ccode2`, every pair of system members) and one column per method.
#' @references
#' Signorino, C. S. and Ritter, J. M. (1999). Tau-b or not tau-b: Measuring
#' the similarity of foreign policy positions. *International Studies
#' Quarterly* 43(1), 115–144. \doi{10.1111/0020-8833.00113}
#'
#' Häge, F. M. (2011). Choice or circumstance? Adjusting measures of foreign
#' policy similarity for chance agreement. *Political Analysis* 19(3),
#' 287–305. \doi{10.1093/pan/mpr023}
#'
#' Bueno de Mesquita, B. (1975). Measuring systemic polarity. *Journal of
#' Conflict Resolution* 19(2), 187–216. \doi{10.1177/002200277501900201}
#'
#' Leeds, B. A., Ritter, J. M., Mitchell, S. M. and Long, A. G. (2002).
#' Alliance treaty obligations and provisions, 1815–1944. *International
#' Interactions* 28(3), 237–260. \doi{10.1080/03050620212098}
#' @examples
#' a <- alliance_similarity(2000)
#' a[a$ccode1 == 2 & a$ccode2 %in% c(200, 365, 710), ]
#' @export
alliance_similarity <- function(years = 1816:2018, coding = c("valued", "binary"),
                                method = c("s", "kappa", "pi", "taub"),
                                distance = "squared", weighted = FALSE) {
  years <- check_years(years, "years", c(1816L, 2018L), "ATOP alliances")
  # no state system outside 1816-2024: no dyads there; 2019-2024 rows are NA
  years <- years[years >= 1816L & years <= 2024L]
  coding <- check_choice(coding, c("valued", "binary"), "coding")
  method <- check_choice(method, sim_methods, "method", several = TRUE)
  distance <- check_choice(distance, c("squared", "absolute"), "distance")
  weighted <- check_flag(weighted, "weighted")
  al <- tb_data("alliances")
  cap <- if (weighted) {
    cp <- tb_data("capabilities")
    list(cp$year, cp$ccode, as.double(cp$cinc))
  }
  # portfolios are built in C from the alliance rows and the state spells
  out <- .Call(C_ffi_alliance_similarity, sort(unique(years)), sim_state_years(),
               list(al$year, al$ccode1, al$ccode2, al$defense, al$offense, al$neutral,
                    al$nonagg, al$consul),
               if (coding == "valued") 1L else 2L, c(1815L, 2018L), cap,
               if (distance == "absolute") 1L else 2L, unname(sim_method_codes[method]))
  names(out) <- c("year", "ccode1", "ccode2", method)
  sim_as_df(out)
}

# State spells as list(ccode, first year, last year), integer: the spells
# table of the state lookup (R/states.R), computed once per session.
sim_state_years <- function() {
  sp <- tb_state_lookup()$spells
  list(as.integer(sp$ccode), sp$first, sp$last)
}

# Engine inputs for alliance portfolios of the sorted years yrs: per year a
# members x members matrix of codes (row = the state, column = the partner).
# The pure-R reference for the portfolios ffi_alliance_similarity() builds in C
# (tests, bench).
sim_alliance_prep <- function(yrs, coding, weighted) {
  mem <- sim_members(yrs)
  np <- length(yrs)
  pidx <- match(mem$year, yrs)
  na <- tabulate(pidx, np)
  aofs <- c(0L, cumsum(na))[seq_len(np)]
  cofs <- c(0, cumsum(as.double(na) * na))[seq_len(np)]
  top <- if (coding == "valued") 3L else 1L
  codes <- integer(sum(as.double(na) * na))
  # local index of each member within its year (members sorted by ccode)
  loc <- seq_along(pidx) - aofs[pidx] - 1L
  codes[cofs[pidx] + loc + loc * na[pidx] + 1] <- top
  al <- tb_data("alliances")
  key <- mem$year * 1000L + mem$ccode
  # position of (year, ccode) among the members: a direct lookup table over
  # every year of `yrs` and of the alliance data (ccodes are below 1000)
  y0 <- min(yrs[1L], al$year); y1 <- max(yrs[np], al$year)
  lut <- rep(NA_integer_, (y1 - y0 + 1L) * 1000L)
  lut[(mem$year - y0) * 1000L + mem$ccode + 1L] <- seq_along(key)
  ay <- (al$year - y0) * 1000L + 1L
  i1 <- lut[ay + al$ccode1]
  i2 <- lut[ay + al$ccode2]
  ok <- which(!is.na(i1) & !is.na(i2) & i1 != i2)
  i1 <- i1[ok]; i2 <- i2[ok]
  def <- al$defense[ok] | al$offense[ok]
  val <- if (coding == "valued") {
    pmax(3L * def, 2L * (al$neutral[ok] | al$consul[ok]), as.integer(al$nonagg[ok] > 0L))
  } else {
    as.integer(def | al$neutral[ok] | al$consul[ok] | al$nonagg[ok])
  }
  p <- pidx[i1]
  cells <- cofs[p] + loc[i1] + loc[i2] * na[p] + 1
  codes[cells] <- pmax(codes[cells], val)
  # years ATOP does not cover: every code missing
  nocov <- yrs < 1815L | yrs > 2018L
  if (any(nocov)) {
    for (t in which(nocov)) {
      if (na[t]) codes[cofs[t] + seq_len(na[t] * na[t])] <- NA_integer_
    }
  }
  w <- NULL
  if (weighted) {
    cap <- tb_data("capabilities")
    w <- cap$cinc[match(key, cap$year * 1000L + cap$ccode)]
  }
  list(codes = codes, nactor = na, nitem = na, levels = if (coding == "valued") 0:3 else 0:1,
       weights = w, actor_id = mem$ccode, period_id = yrs)
}

#' UN General Assembly vote similarity of every dyad-year
#'
#' Scores how alike the votes of every pair of states are in the roll calls
#' of each calendar year ([unga_votes], [unga_rollcalls]), with votes coded 1
#' yes, 2 abstain, 3 no (levels 1:3). The actors of a year are the states
#' that voted at least once in its selected roll calls. Agreement counts
#' identical votes 1, one abstention 0.5 and opposite votes 0.
#'
#' NA behaviour: absences are missing and dropped pairwise; `n` counts the
#' roll calls on which both states voted; scores are NA when `n` is 0.
#' Years without roll calls (1964) have no rows.
#'
#' @param years Integer years (calendar year of the roll call). The data hold a
#'   single roll call for 2020, so 2020 gives a warning and scores on `n <= 1`.
#' @param method One or more of `"agree"`, `"s"`, `"kappa"`, `"pi"`, `"taub"`.
#' @param important If `TRUE`, only roll calls flagged important by the US
#'   State Department.
#' @param issue `NULL` or one or more issue tags (`"me"` Middle East, `"nu"`
#'   nuclear weapons, `"di"` disarmament, `"hr"` human rights, `"co"`
#'   colonialism, `"ec"` economic development): roll calls with any of them.
#' @param distance `"squared"` (default) or `"absolute"`, for S, kappa and pi.
#' @return A data frame `year`, `ccode1`, `ccode2` (integers, `ccode1 <
#'   ccode2`), `n` and one column per method.
#' @references
#' Voeten, E., Strezhnev, A. and Bailey, M. (2009). United Nations General
#' Assembly Voting Data. Harvard Dataverse. \doi{10.7910/DVN/LEJUQZ}
#'
#' Lijphart, A. (1963). The analysis of bloc voting in the General Assembly:
#' A critique and a proposal. *American Political Science Review* 57(4),
#' 902–917. \doi{10.2307/1952608}
#'
#' Signorino, C. S. and Ritter, J. M. (1999). Tau-b or not tau-b: Measuring
#' the similarity of foreign policy positions. *International Studies
#' Quarterly* 43(1), 115–144. \doi{10.1111/0020-8833.00113}
#'
#' Häge, F. M. (2011). Choice or circumstance? Adjusting measures of foreign
#' policy similarity for chance agreement. *Political Analysis* 19(3),
#' 287–305. \doi{10.1093/pan/mpr023}
#' @examples
#' v <- vote_similarity(2015, method = c("agree", "kappa"))
#' v[v$ccode1 == 2 & v$ccode2 %in% c(200, 365, 710), ]
#' @export
vote_similarity <- function(years = 1946:2019, method = c("agree", "s", "kappa", "pi"),
                            important = FALSE, issue = NULL,
                            distance = c("squared", "absolute")) {
  rc <- tb_data("unga_rollcalls")
  years <- check_years(years, "years", range(rc$year), "UN General Assembly votes")
  method <- check_choice(method, sim_methods, "method", several = TRUE)
  important <- check_flag(important, "important")
  issues <- c("me", "nu", "di", "hr", "co", "ec")
  if (!is.null(issue)) issue <- check_choice(issue, issues, "issue", several = TRUE)
  distance <- check_choice(distance, c("squared", "absolute"), "distance")
  yrs <- sort(unique(years))
  # the data end with a single roll call of January 2020: flag thin years
  nrc <- tabulate(match(rc$year, yrs), nbins = length(yrs))
  thin <- yrs[nrc > 0L & nrc < 20L]
  if (length(thin)) {
    tb_warn(sprintf("`years` includes %s with fewer than 20 roll calls (%s): similarity there rests on very few votes; see column `n`.",
                    if (length(thin) > 1L) "years" else "a year", paste(thin, collapse = ", ")))
  }
  rc <- sim_rollcalls(rc, yrs, important, issue)
  v <- tb_data("unga_votes")
  # votes are grouped by year and coded in C
  out <- .Call(C_ffi_vote_similarity, yrs, rc$rcid, match(rc$year, yrs),
               list(v$rcid, v$ccode, v$vote), if (distance == "absolute") 1L else 2L,
               unname(sim_method_codes[method]))
  names(out) <- c("year", "ccode1", "ccode2", "n", method)
  sim_as_df(out)
}

# The selected roll calls of the sorted years yrs (rcid, year), sorted by year
# then rcid.
sim_rollcalls <- function(rc, yrs, important, issue) {
  sel <- rc$year %in% yrs
  if (important) sel <- sel & !is.na(rc$important) & rc$important == 1L
  if (!is.null(issue)) {
    tag <- Reduce(`|`, lapply(rc[issue], function(x) !is.na(x) & x))
    sel <- sel & tag
  }
  rc <- list(rcid = rc$rcid[sel], year = rc$year[sel])
  o <- order(rc$year, rc$rcid)
  list(rcid = rc$rcid[o], year = rc$year[o])
}

# Engine inputs for UN votes of the sorted years yrs: per year a voters x
# roll calls matrix of codes 0 (yes), 1 (abstain), 2 (no), NA when absent.
# The pure-R reference for what ffi_vote_similarity() builds in C (tests, bench).
sim_vote_prep <- function(rc, yrs, important, issue) {
  rc <- sim_rollcalls(rc, yrs, important, issue)
  v <- tb_data("unga_votes")
  # lookup tables instead of hashing: roll call position by rcid, and the
  # (year, ccode) keys present, found by counting
  rlut <- rep(NA_integer_, max(v$rcid, rc$rcid, 0L))
  rlut[rc$rcid] <- seq_along(rc$rcid)
  r <- rlut[v$rcid]
  keep <- which(!is.na(r) & !is.na(v$vote))
  r <- r[keep]
  cc <- v$ccode[keep]
  vote <- v$vote[keep]
  np <- length(yrs)
  pidx <- match(rc$year, yrs)
  nitem <- tabulate(pidx, np)
  kofs <- c(0L, cumsum(nitem))[seq_len(np)]
  vp <- pidx[r]
  vkey <- vp * 1000L + cc
  present <- tabulate(vkey, (np + 1L) * 1000L) > 0L
  akey <- which(present)
  ap <- akey %/% 1000L
  nactor <- tabulate(ap, np)
  aofs <- c(0L, cumsum(nactor))[seq_len(np)]
  la <- cumsum(present)[vkey] - aofs[vp] - 1L
  lk <- r - kofs[vp] - 1L
  cofs <- c(0, cumsum(as.double(nactor) * nitem))[seq_len(np)]
  codes <- rep(NA_integer_, sum(as.double(nactor) * nitem))
  codes[cofs[vp] + la + lk * nactor[vp] + 1] <- vote - 1L
  list(codes = codes, nactor = nactor, nitem = nitem, levels = 1:3,
       actor_id = akey %% 1000L, period_id = yrs)
}
