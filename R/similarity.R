# Dyadic similarity of portfolios: Signorino-Ritter S, weighted Cohen's kappa
# and Scott's pi, Kendall's tau-b and agreement, for one pair, for all pairs of
# a matrix, and for all dyads of all periods of long data. The C engine
# (src/similarity.c) works on per-period actors x items matrices of level
# indices; similarity(), similarity_matrix() and dyadic_similarity() build
# those matrices here. Alliance and UN-vote portfolios are built from the
# packaged tables in R/portfolio.R and src/portfolio.c.

sim_methods <- c("s", "kappa", "pi", "taub", "agree")
sim_method_codes <- c(s = 1L, kappa = 2L, pi = 3L, taub = 4L, agree = 5L)

# Call the engine. codes: integer level indices 0..L-1 (NA missing), the
# concatenated column-major na_t x nk_t matrices of each period.
tb_sim_engine <- function(codes, nactor, nitem, levels, weights, distance, methods,
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
tb_sim_as_df <- function(cols) {
  attr(cols, "row.names") <- .set_row_names(length(cols[[1L]]))
  class(cols) <- "data.frame"
  cols
}

# Levels of the codes: given, or the sorted distinct values seen.
tb_sim_levels <- function(levels, values) {
  if (is.null(levels)) {
    levels <- sort(unique(values[!is.na(values)]))
    if (!length(levels)) levels <- 0
    return(as.double(levels))
  }
  levels <- tb_check_numeric(levels, "levels", allow_na = FALSE, finite = TRUE)
  if (!length(levels)) tb_abort("`levels` must hold at least one value, not an empty vector.")
  if (length(levels) > 255L) {
    tb_abort(sprintf("`levels` must hold at most 255 distinct values, not %d.", length(levels)))
  }
  sort(unique(levels))
}

# Level indices (0-based) of values, with a classed error for values that
# are not among the levels.
tb_sim_codes <- function(values, levels, arg) {
  idx <- match(values, levels)
  bad <- which(is.na(idx) & !is.na(values))
  if (length(bad)) {
    tb_abort(sprintf("`%s` holds %s at position %d, which is not among `levels` (%s).",
                     arg, format(values[bad[1L]]), bad[1L],
                     paste(format(levels), collapse = ", ")))
  }
  idx - 1L
}

tb_sim_check_values <- function(x, arg) {
  if (is.logical(x) && !all(is.na(x))) x <- as.integer(x)
  tb_check_numeric(x, arg, finite = TRUE)
}

tb_sim_check_weights <- function(weights, n, arg = "weights") {
  if (is.null(weights)) return(NULL)
  tb_check_numeric(weights, arg, len = n, min = 0, finite = TRUE)
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
  x <- tb_sim_check_values(x, "x")
  y <- tb_sim_check_values(y, "y")
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
#' Memory: the result has `nrow(m)^2` cells; a call that would need more than
#' `getOption("threatbalance.max_gb", 8)` GB stops with an error of class
#' `threatbalance_error_too_large` before computing anything (see
#' [threatbalance-package]).
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
  method <- tb_check_choice(method, sim_methods, "method")
  distance <- tb_check_choice(distance, c("squared", "absolute"), "distance")
  # the na x na result, and the engine's na (na + 1) / 2 rows of 4 integers
  # and a score, with their two-column index matrices
  na <- as.double(nrow(m))
  tb_check_output_size(8 * na^2 + na * (na + 1) / 2 * (24 + 16),
                       sprintf("a %s x %s matrix of scores", tb_format_count(na),
                               tb_format_count(na)))
  vals <- tb_check_numeric(as.vector(m), "m", finite = TRUE)
  weights <- tb_sim_check_weights(weights, ncol(m))
  levels <- tb_sim_levels(levels, vals)
  codes <- tb_sim_codes(vals, levels, "m")
  na <- nrow(m)
  out <- tb_sim_engine(codes, na, ncol(m), levels, weights, distance, method,
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
#' Memory: each period needs its actors x items table and one row per pair of
#' its actors; a call that would need more than
#' `getOption("threatbalance.max_gb", 8)` GB stops with an error of class
#' `threatbalance_error_too_large` before computing anything (see
#' [threatbalance-package]).
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
#' @param directed `FALSE` (default): one row per unordered dyad and period;
#'   `TRUE`: both orientations, (a, b) and (b, a) with the same scores.
#' @return A data frame with columns `period` (when given), `actor1`,
#'   `actor2` (`actor1 < actor2` unless `directed = TRUE`), `n` (items
#'   compared) and one column per method, one row per unordered dyad and
#'   period, sorted by period, `actor1` and `actor2`.
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
#' dyadic_similarity(d, "state", "rollcall", "vote", period = "year",
#'                   method = "agree", levels = 1:3, directed = TRUE)
#' @export
dyadic_similarity <- function(data, actor, item, value, period = NULL,
                              method = c("s", "kappa", "pi", "taub"),
                              distance = c("squared", "absolute"),
                              weights = NULL, levels = NULL, directed = FALSE) {
  tb_check_data_frame(data, "data")
  directed <- tb_check_flag(directed, "directed")
  actor <- tb_check_string(actor, "actor")
  item <- tb_check_string(item, "item")
  value <- tb_check_string(value, "value")
  period <- tb_check_string(period, "period", allow_null = TRUE)
  weights <- tb_check_string(weights, "weights", allow_null = TRUE)
  tb_check_data_frame(data, "data", c(actor, item, value, period, weights))
  method <- tb_check_choice(method, sim_methods, "method", several = TRUE)
  distance <- tb_check_choice(distance, c("squared", "absolute"), "distance")
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
  for (col in c(actor, item, period)) {
    # valid UTF-8 whatever the encoding ("bytes" strings cannot be sorted)
    if (is.character(data[[col]])) data[[col]] <- tb_as_utf8(data[[col]])
  }
  vals <- tb_sim_check_values(data[[value]], sprintf("data$%s", value))
  levels <- tb_sim_levels(levels, vals)
  codes <- tb_sim_codes(vals, levels, sprintf("data$%s", value))
  wv <- if (!is.null(weights)) {
    tb_check_numeric(data[[weights]], sprintf("data$%s", weights), min = 0, finite = TRUE)
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
  # (period, actor) and (period, item) pairs as one double key each (exact
  # below 2^53), sorted: a period's actors and items in order, periods in order
  nua <- length(ua)
  nuk <- length(uk)
  ak <- (pidx - 1) * as.double(nua) + aidx
  kk <- (pidx - 1) * as.double(nuk) + kidx
  uak <- sort(unique(ak))
  ukk <- sort(unique(kk))
  aper <- as.integer((uak - 1) %/% nua) + 1L
  nactor <- tabulate(aper, np)
  nitem <- tabulate(as.integer((ukk - 1) %/% nuk) + 1L, np)
  # the codes of every period's actors x items table, then one row per
  # unordered pair of actors in each period (period, ids, n, scores and the
  # actor columns)
  ncell <- sum(as.double(nactor) * nitem)
  npair <- sum(as.double(nactor) * (nactor - 1) / 2)
  tb_check_output_size(max(4 * ncell, npair * (32 + 16 * length(method))),
                       sprintf("%s pairs of actors in %s actor-item cells", tb_format_count(npair),
                               tb_format_count(ncell)))
  aofs <- c(0L, cumsum(nactor))[seq_len(np)]
  kofs <- c(0L, cumsum(nitem))[seq_len(np)]
  la <- match(ak, uak) - aofs[pidx] - 1
  lk <- match(kk, ukk) - kofs[pidx] - 1
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
  out <- tb_sim_engine(allcodes, nactor, nitem, levels, w, distance, method,
                    as.integer((uak - 1) %% nua) + 1L, seq_len(np))
  if (directed) out <- tb_both_orientations(out, "period", "id1", "id2")
  res <- c(if (!is.null(period)) list(period = up[out$period]),
           list(actor1 = ua[out$id1], actor2 = ua[out$id2], n = out$n),
           out[method])
  tb_sim_as_df(res)
}
