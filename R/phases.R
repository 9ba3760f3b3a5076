# Phase detection: PELT change points (src/phases.c), comparison of
# detected boundaries with a reference periodisation, and per-phase summaries.

#' Detect phases in a series with PELT change-point detection
#'
#' Finds the segmentation of `x` that minimises the penalised cost
#' \deqn{\sum_{j=1}^{m+1} C(y_{(\tau_{j-1}+1):\tau_j}) + m\beta}{sum_j C(segment j) + m * beta}
#' over all segmentations whose segments have at least `minseglen` points,
#' with the exact pruned dynamic programme PELT of Killick, Fearnhead and
#' Eckley (2012), written in C.
#'
#' Costs are twice the negative normal log-likelihood of a segment, as in the
#' changepoint package: `"mean"` is a change in mean with **unit variance**,
#' \eqn{C = \sum (y_i - \bar y)^2}, so the penalty is only meaningful if the
#' noise has standard deviation about 1; `"meanvar"` is a change in mean and
#' variance, \eqn{C = n(\log 2\pi + \log\hat\sigma^2 + 1)} (with
#' \eqn{\hat\sigma^2} floored at `1e-11`). With `standardize = TRUE` the
#' series is first divided by a robust estimate of the noise standard
#' deviation, \eqn{\hat\sigma = \mathrm{MAD}(\Delta x)/\sqrt 2} (the median
#' absolute deviation of the first differences, which level shifts barely
#' affect), falling back to `sd(x)` and then to 1 if that is zero. This makes
#' the unit-variance mean cost and its BIC/MBIC penalties appropriate on any
#' scale; for `"meanvar"` it leaves the change points unchanged (it adds a
#' constant to the cost). Use `standardize = FALSE` to reproduce
#' `changepoint::cpt.mean()` on the raw series.
#'
#' Penalties per change point (p = 1 parameter for `"mean"`, 2 for
#' `"meanvar"`, n the series length), as in changepoint: BIC
#' \eqn{(p+1)\log n}, AIC \eqn{2(p+1)}, MBIC \eqn{(p+2)\log n} plus, for every
#' segment, the log of its length (Zhang and Siegmund 2007), or `pen_value`
#' (`"manual"`). Under manual, BIC and AIC penalties with `minseglen = 1` the
#' change points are identical to `changepoint::cpt.mean(method = "PELT")`;
#' with longer minimum segments (as `cpt.meanvar()`'s default of 2)
#' changepoint drops candidates before they could be used, and its
#' segmentation is sometimes not the optimum found here. Under MBIC
#' changepoint prunes as if the segment-length term were
#' absent, which can discard the optimal segmentation; here a candidate is
#' dropped only by the tightest valid bound (\eqn{K = -\log(t - s) +
#' \log((n - s) / (n - t))}), so the result is the exact minimum of the MBIC
#' objective, which is never larger than changepoint's and sometimes smaller.
#' With `minseglen > 1` a candidate is discarded only once the pruning time
#' itself is an admissible change point, which keeps the search exact. With
#' the mean cost under MBIC, or with a penalty of 8 or more, a candidate is
#' also discarded once, at every mean
#' its segment could end with, it is beaten either by a later change point
#' or by the current optimal last change (functional pruning, as in
#' Maidstone et al. 2017; in long segments the oldest candidates sleep as
#' below), and a candidate's value, which never decreases as its segment
#' grows, is computed again only once the optimum's value has caught up with
#' its last one; with the meanvar cost (under MBIC or a penalty of 8 or
#' more), candidates that are provably beaten by an earlier one for a while (the
#' gain from a split at them stays below the penalty) are skipped until that
#' may no longer hold, those of one segment together (one check for the
#' group), which makes long segments cheap. Neither changes the result.
#'
#' Exactness under MBIC costs time. On series of 1e4, 1e5 and 1e6 points
#' with a change in mean every 1,000 points (`bench/bench-phases.R`, both
#' packages at changepoint's default minimum lengths, `standardize = FALSE`,
#' each timed right after an untimed call of its own, with `malloc()` keeping
#' freed memory so that neither pays for page faults; four runs), this
#' function took 0.69-0.71, 0.71-0.78 and 0.68-0.71 of the time of
#' `changepoint::cpt.meanvar()` under MBIC, whose pruning is not exact, and
#' 0.47-0.56, 0.56-0.70 and 0.465-0.495 of that of `cpt.mean()`; under BIC,
#' AIC and manual penalties, where both prune exactly, it took 0.02-0.28 of
#' their time. changepoint drops a candidate
#' by comparing its value with the optimum's (it computes 10.1 values a
#' step for the mean and 19.4 for meanvar on these series); the exact bound
#' drops no candidate inside a segment, so here each must be shown beaten
#' by the functional test or a cone instead, which takes about 1,000 (mean)
#' and 2,300 (meanvar) instructions a step in all. At 1e6 points it took
#' 0.09 s for the mean cost under MBIC and 0.45 s for meanvar. Slow drifts are the
#' hard case for meanvar under MBIC: with the noise sd drifting smoothly by
#' a factor e up and down over 2e5 points, it took 3.4 s against
#' changepoint's 0.25 s (a drift in mean: 1.2 s against 0.13 s), as
#' thousands of candidates stay within the exact bound.
#'
#' The costs come from cumulative sums (as in changepoint), so a segment's
#' sum of squares is known only to about \eqn{2.2 \times 10^{-16}
#' \sum x_s^2}{2.2e-16 sum(xs^2)} of the centred (and scaled) series. When
#' that rounding reaches a thousandth of the penalty (`"mean"`) or of the
#' noise sum of squares of a shortest segment (`"meanvar"`) -- levels about
#' \eqn{10^5}{1e5} noise standard deviations apart or more -- change points
#' may be rounding artefacts, and a warning of class
#' `threatbalance_warning_precision` says so. Six levels 2 apart with noise
#' of sd \eqn{10^{-6}}{1e-6} (3,000 points): `cost = "meanvar"` finds
#' hundreds of two-point segments and warns; with noise of sd
#' \eqn{10^{-4}}{1e-4} it finds the 5 changes and stays silent. The same
#' warning comes when, with `standardize = FALSE`, the noise variance of `x`
#' is within a factor 1000 of the floor \eqn{10^{-11}}{1e-11} that
#' `"meanvar"` puts on a segment's variance.
#'
#' Under `"meanvar"`, a segment of equal values has variance 0: its cost is
#' set by that floor or by the rounding of the cumulative sums, it gains 25
#' or more per point, and splitting can then raise a cost, which the pruning
#' (here and in changepoint) assumes never happens. Data with runs of
#' `minseglen` or more equal values (counts, rounded values) give a warning
#' of class `threatbalance_warning_ties`: on 120 rounded series, 24 results
#' had a worse objective than the brute-force optimum of these costs
#' (changepoint's `cpt.meanvar()` on the same standardised series: 93), and
#' many change points only cut out such runs. Use `"mean"` for such data.
#'
#' @section Defaults on white noise, a random walk and a smooth series:
#' Measured on 200 simulated series of 74 annual points each (the length of
#' 1949-2022), with the defaults (MBIC, `minseglen = 2`):
#'
#' | series | change points, `noise = "ar1"` | `noise = "iid"` |
#' |---|---|---|
#' | white noise | 0 | 0.01 |
#' | random walk | 0.44 | 7.0 |
#' | AR(1), \eqn{\rho = 0.7} | 0.08 | 4.0 |
#' | two level shifts of 2 sd (truth: 2) | 1.6 (both found 68%) | 1.9 (80%) |
#'
#' On NATO's threat to China 1949-2022 ([bloc_threat()] with its defaults)
#' the iid scale finds 13 change points, the AR(1) scale 3 (1959, 1972,
#' 1995). The AR(1) default gives up some power on clean level shifts for
#' not reading drift as phases; [compare_phases()] gives the permutation
#' p-value that says whether the boundaries found beat chance.
#'
#' @param x Numeric series, no NA.
#' @param time Strictly increasing times of the observations (numeric or
#'   `Date`); change points and segments are reported on this scale.
#' @param cost `"mean"` (change in mean) or `"meanvar"` (change in mean and
#'   variance).
#' @param penalty `"MBIC"`, `"BIC"`, `"AIC"` or `"manual"`.
#' @param pen_value Penalty per change point when `penalty = "manual"`: a
#'   single non-negative number.
#' @param minseglen Minimum number of points per segment (at least 1; at
#'   least 2 for `"meanvar"`).
#' @param standardize Divide `x` by a robust estimate of its noise standard
#'   deviation before computing the costs (see Details).
#' @param noise With `standardize = TRUE`: `"ar1"` (default) scales by the
#'   long-run standard deviation of AR(1) noise, so that a smooth or
#'   autocorrelated series (an annual threat index, a random walk) is not
#'   cut into minimum-length pieces; `"iid"` by the white-noise estimate
#'   \eqn{\mathrm{MAD}(\Delta x)/\sqrt 2} alone (the behaviour before
#'   version 0.2.0). See the section on defaults.
#' @return An object of class `tb_phases`: a list with `changepoints` (the
#'   `time` of the last observation of every segment but the final one),
#'   `segments` (a data frame with `start`, `end`, `n`, `mean`, `sd` of `x` in
#'   each segment; `sd` is NA for one-point segments), `penalty`, `pen_value`
#'   (per change point), `cost`, `objective` (the minimised penalised cost),
#'   `scale` (the divisor applied to `x`), `minseglen`, `x` and `time`.
#'   NA in `x` is an error, not skipped.
#' @references
#' Killick, R., Fearnhead, P. and Eckley, I. A. (2012). Optimal detection of
#' changepoints with a linear computational cost. *Journal of the American
#' Statistical Association*, 107(500), 1590-1598.
#' \doi{10.1080/01621459.2012.737745}
#'
#' Killick, R. and Eckley, I. A. (2014). changepoint: An R package for
#' changepoint analysis. *Journal of Statistical Software*, 58(3), 1-19.
#' \doi{10.18637/jss.v058.i03}
#'
#' Maidstone, R., Hocking, T., Rigaill, G. and Fearnhead, P. (2017). On
#' optimal multiple changepoint algorithms for large data. *Statistics and
#' Computing*, 27(2), 519-533. \doi{10.1007/s11222-016-9636-3}
#'
#' Zhang, N. R. and Siegmund, D. O. (2007). A modified Bayes information
#' criterion with applications to the analysis of comparative genomic
#' hybridization data. *Biometrics*, 63(1), 22-32.
#' \doi{10.1111/j.1541-0420.2006.00662.x}
#' @examples
#' set.seed(1)
#' x <- c(rnorm(30, 0), rnorm(20, 3), rnorm(30, -1))
#' ph <- detect_phases(x, time = 1951:2030)
#' ph
#' ph$changepoints
#' @export
detect_phases <- function(x, time = seq_along(x), cost = c("mean", "meanvar"),
                          penalty = c("MBIC", "BIC", "AIC", "manual"),
                          pen_value = NULL, minseglen = 2, standardize = TRUE,
                          noise = c("ar1", "iid")) {
  # the type here; that every value is finite, from the C pass below
  x <- tb_check_numeric(x, "x")
  cost <- tb_check_choice(cost, c("mean", "meanvar"), "cost")
  penalty <- tb_check_choice(penalty, c("MBIC", "BIC", "AIC", "manual"), "penalty")
  minseglen <- tb_check_integerish(minseglen, "minseglen", len = 1L, min = 1,
                                allow_na = FALSE)
  standardize <- tb_check_flag(standardize, "standardize")
  noise <- tb_check_choice(noise, c("ar1", "iid"), "noise")
  if (cost == "meanvar" && minseglen < 2L) {
    tb_abort(sprintf("`minseglen` must be at least 2 for `cost = \"meanvar\"`, not %d.",
                     minseglen))
  }
  n <- length(x)
  if (n < 2 * minseglen) {  # in double: 2L * minseglen can overflow
    tb_abort(sprintf("`x` must have at least 2 * `minseglen` = %.0f points, not %d.",
                     2 * minseglen, n))
  }
  # the default time needs no checks (and costs nothing at 1e6 points)
  time <- if (missing(time)) seq_len(n) else tb_check_phase_time(time, n)
  if (penalty == "manual") {
    if (is.null(pen_value)) {
      tb_abort("`pen_value` must be given when `penalty = \"manual\"`.")
    }
    pen <- tb_check_numeric(pen_value, "pen_value", len = 1L, min = 0,
                         allow_na = FALSE, finite = TRUE)
  } else {
    if (!is.null(pen_value)) {
      tb_abort(sprintf("`pen_value` is used only with `penalty = \"manual\"`, not \"%s\".",
                       penalty))
    }
    p <- if (cost == "mean") 1 else 2
    pen <- switch(penalty, BIC = (p + 1) * log(n), MBIC = (p + 2) * log(n),
                  AIC = 2 * (p + 1))
  }
  # centre = tb_phase_centre(x) and, under meanvar, tb_phase_dvar(x) for
  # tb_check_precision(), from C (the R versions are the tests' references);
  # smp[3] is 0 when x has NA, NaN or Inf: the full check then says where
  smp <- .Call(C_ffi_phase_sample, x, cost == "meanvar")
  if (!smp[3L]) tb_check_numeric(x, "x", allow_na = FALSE, finite = TRUE)
  centre <- smp[1L]
  scale <- 1
  if (standardize) scale <- tb_robust_scale(x, noise)
  # the C code searches xs = (x - centre) / scale without an n-long copy
  res <- .Call(C_ffi_pelt, x, if (cost == "mean") 1L else 2L, pen,
               penalty == "MBIC", minseglen, c(centre, scale))
  cp <- res$cpts
  if (cost == "meanvar") tb_check_ties(res$ties, minseglen)
  tb_check_precision(res$sumsq, scale, cost, pen, minseglen,
                     seg_ss = if (cost == "meanvar") (diff(c(0L, cp, n)) - 1L) * res$sd^2,
                     dvar = smp[2L])
  ends <- c(cp, n)
  starts <- c(1L, cp + 1L)
  # per-segment mean and sd of xs (from C), back on the scale of x
  seg_mean <- centre + scale * res$mean
  seg_sd <- scale * res$sd
  # built directly: data.frame() takes 0.3 ms, a tenth of a whole PELT run
  # at 1e4 points, to check columns that are known to be plain vectors of
  # one length
  segments <- structure(list(start = time[starts], end = time[ends],
                             n = ends - starts + 1L, mean = seg_mean, sd = seg_sd),
                        class = "data.frame", row.names = c(NA_integer_, -length(ends)))
  structure(list(changepoints = time[cp], segments = segments,
                 penalty = penalty, pen_value = pen, cost = cost,
                 objective = res$objective, scale = scale,
                 minseglen = minseglen, index = cp, x = x, time = time),
            class = "tb_phases")
}

# The costs come from cumulative sums of xs, as changepoint computes them,
# so any segment's sum of squares is known only to about 2.2e-16 *
# sum(xs^2). A classed warning when that rounding reaches a thousandth of
# the penalty (mean cost) or of the noise sum of squares of a shortest
# segment (meanvar, where a variance rounded to 0 is floored at 1e-11 and a
# two-point segment then gains about 50): levels about 1e5 or more noise sd
# apart. The noise variance is the median squared difference of about 1,000
# consecutive pairs spread over x (median of chi-squared(1) = 0.4549; within
# about 10% of the median of all pairs, ample for limits a factor 1000
# apart; 1e4 pairs took 0.55 ms at 1e4 points). Under meanvar, also when a
# segment found has a sum of squares about its mean (seg_ss, from the
# two-pass sd of the C code) above 0 but within a factor 1000 of that
# rounding: its cost, and the change points around it, are then set by
# rounding. A series whose noise level changed by up to e^10 between
# segments gave a result at least 137 above the optimum of its own costs,
# without a warning; and in 5 of 600 runs on ordinary series (six segments, noise sd
# varying by about e^0.7) a two-point segment of near-equal values had a
# sum of squares of 1e-11 to 1e-9 (runs of equal values, sum of squares 0,
# have their own warning). dvar: tb_phase_dvar(x), from C (ffi_phase_sample()).
tb_check_precision <- function(sumsq, scale, cost, pen, minseglen, seg_ss = NULL,
                               dvar = NULL) {
  err <- 2.2e-16 * sumsq                # sum(xs^2), from the C code
  small <- seg_ss[seg_ss > 0 & seg_ss < 1e3 * err]
  if (length(small)) {
    one <- length(small) == 1L
    tb_warn(sprintf(paste(
      "%d segment%s of `x` ha%s a sum of squares about %s mean (the smallest: %.2g)",
      "within a factor 1000 of the rounding of the cumulative sums the costs come",
      "from (about %.2g): such a cost is set by rounding, and the change points",
      "around it may be artefacts (of near-equal values, or of a noise level that",
      "changes by orders of magnitude between segments). Rescale or split the",
      "series, or use `cost = \"mean\"`."),
      length(small), if (one) "" else "s", if (one) "s" else "ve", if (one) "its" else "their",
      min(small), err),
      class = "precision")
    return(invisible())
  }
  limit <- if (cost == "mean") 1e-3 * max(pen, 1) else {
    v <- dvar / (2 * 0.4549) / scale^2
    if (!is.finite(v) || v <= 0) return(invisible())
    if (v < 1e-8) {
      tb_warn(sprintf(paste(
        "The noise variance of `x` as the costs see it (about %.2g) is within a",
        "factor 1000 of the floor 1e-11 that `cost = \"meanvar\"` puts on a segment's",
        "variance: the costs are then not those of the model, and change points may",
        "be artefacts. Use `standardize = TRUE` or rescale `x`."), v), class = "precision")
      return(invisible())
    }
    1e-3 * minseglen * v
  }
  if (err > limit) {
    tb_warn(sprintf(paste(
      "The levels of `x` are so far apart against its noise that the segment costs,",
      "computed from cumulative sums, are rounded by about %.2g (limit %.2g):",
      "change points may be rounding artefacts. Rescale or split the series."),
      err, limit), class = "precision")
  }
  invisible()
}

# Under the meanvar cost a segment of equal values has variance 0, which
# seg_cost() (as changepoint) floors at 1e-11 when the computed value is at
# most 0 and else takes from the rounding residue of the cumulative sums
# (1e-13 or less): such a segment gains 25 or more per point, and as the
# two cases differ, splitting can raise a cost, which the pruning (here and
# in changepoint) assumes never happens. A classed warning when x has a run
# of minseglen or more equal values in a row. ties: from the C code, the
# number of such runs and the longest run (of 2 or more) of equal values.
tb_check_ties <- function(ties, minseglen) {
  k <- ties[1L]
  if (k) {
    tb_warn(sprintf(paste(
      "`x` has %d run%s of %d or more equal values in a row (the longest: %d).",
      "Under `cost = \"meanvar\"` a segment of equal values has variance 0, whose",
      "cost is set by a floor or by rounding: such runs gain from becoming segments",
      "of their own, and the pruning (as changepoint's) may miss the optimum.",
      "Use `cost = \"mean\"`, or add noise below the resolution of `x`."),
      k, if (k == 1L) "" else "s", minseglen, ties[2L]), class = "ties")
  }
  invisible()
}

# Centred before the costs: a constant offset (x + 1e9) cannot change the
# change points, but in floating point its square would swamp the
# cumulative sums. The costs are invariant to the shift; any centre within
# the bulk of the data serves: the median of about 1,000 evenly spaced
# points (stats::median() of all 1e4 points took 0.3 ms, a tenth of a
# whole run of detect_phases()). detect_phases() takes it, and
# tb_phase_dvar(x), from C (ffi_phase_sample()); these R versions are the
# tests' references.
tb_phase_centre <- function(x) {
  n <- length(x)
  tb_median_lo(if (n > 2002L) x[seq.int(1L, n, by = n %/% 1001L)] else x)
}

# The noise statistic of tb_check_precision(): the lower median of the
# squared differences of about 1,000 consecutive pairs spread over x (n >= 2).
tb_phase_dvar <- function(x) {
  n <- length(x)
  i <- seq.int(1L, n - 1L, by = max(1L, (n - 1L) %/% 1001L))
  tb_median_lo((x[i + 1L] - x[i])^2)
}

# The median of x, the lower middle value for an even length, from a
# partial sort: 0.15 ms at 1e4 points against 0.26 for stats::median().
tb_median_lo <- function(x) {
  k <- (length(x) + 1L) %/% 2L
  sort.int(x, partial = k)[k]
}

# MAD of first differences / sqrt(2); sd(x) or 1 when that is zero.
# With noise = "ar1", the long-run standard deviation of AR(1) noise:
# sigma_LR = s_d * sqrt(1 + rho) / (1 - rho), where s_d = MAD(diff)/sqrt(2)
# estimates sigma * sqrt(1 - rho), and rho = 1 + 2 * rho_d from the lag-1
# autocorrelation rho_d of the first differences (winsorised at 3 MADs, so
# that the jumps of real level shifts do not bias it), clamped to [0, 0.9].
# White noise has rho_d = -0.5: rho = 0 and the iid scale. A random walk
# (rho_d = 0) or a smooth series (rho_d near 1) gets rho = 0.9: a scale
# 13.8 times the iid one, so drift is not cut into minimum-length pieces.
tb_robust_scale <- function(x, noise = "iid") {
  d <- diff(x)
  # the median m and MAD r of d, as stats::mad() computes them, computed
  # once for tb_noise_rho() too (each is a median of n values: at 1e5 points
  # the ar1 scale took 24 ms with four of them)
  m <- r <- 0
  if (length(x) > 2L) {
    m <- stats::median(d)
    r <- 1.4826 * stats::median(abs(d - m))
  }
  s <- r / sqrt(2)
  if (!is.finite(s) || s <= 0) s <- if (length(x) > 1L) stats::sd(x) else 0
  if (!is.finite(s) || s <= 0) return(1)
  if (noise == "ar1" && length(d) >= 4L) {
    rho <- tb_noise_rho(d, m, r)
    s <- s * sqrt(1 + rho) / (1 - rho)
  }
  s
}

# Lag-1 autocorrelation of the AR(1) noise behind a series, from its first
# differences d with median m and MAD r (see tb_robust_scale()).
tb_noise_rho <- function(d, m = stats::median(d), r = stats::mad(d)) {
  # standardised first: products of differences near 1e300 (or 1e-300)
  # would overflow (or underflow) in cor()
  if (is.finite(r) && r > 0) d <- pmin(pmax((d - m) / r, -3), 3)
  rd <- suppressWarnings(stats::cor(d[-1L], d[-length(d)]))
  if (!is.finite(rd)) rd <- 1  # constant differences: a straight line
  min(max(1 + 2 * rd, 0), 0.9)
}

tb_check_phase_time <- function(time, n) {
  is_date <- inherits(time, "Date")
  tv <- if (is_date) as.numeric(time) else tb_check_numeric(time, "time", allow_na = FALSE,
                                                          finite = TRUE)
  if (length(tv) != n) {
    tb_abort(sprintf("`time` must have the length of `x` (%d), not %d.", n, length(tv)))
  }
  if (anyNA(tv)) {
    tb_abort(sprintf("`time` must not contain NA (found at position %d).",
                     which(is.na(tv))[1L]))
  }
  d <- diff(tv)
  if (any(d == 0)) {
    tb_abort(sprintf("`time` must not contain duplicates; position %d repeats %s.",
                     which(d == 0)[1L] + 1L, format(time[which(d == 0)[1L] + 1L])))
  }
  if (any(d < 0)) {
    tb_abort(sprintf("`time` must be sorted in increasing order; position %d (%s) comes before position %d (%s).",
                     which(d < 0)[1L], format(time[which(d < 0)[1L]]),
                     which(d < 0)[1L] + 1L, format(time[which(d < 0)[1L] + 1L])))
  }
  time
}

#' @rdname detect_phases
#' @param ... Unused.
#' @export
print.tb_phases <- function(x, ...) {
  cat(sprintf("<tb_phases> %d observations, %d change point%s (PELT, cost \"%s\", penalty %s = %.4g per change)\n",
              length(x$x), length(x$changepoints),
              if (length(x$changepoints) == 1L) "" else "s", x$cost, x$penalty,
              x$pen_value))
  if (length(x$changepoints)) {
    cat("change points (last time of a segment):",
        paste(format(x$changepoints), collapse = ", "), "\n")
  }
  seg <- x$segments
  seg$mean <- signif(seg$mean, 4)
  seg$sd <- signif(seg$sd, 4)
  print(seg, row.names = FALSE)
  invisible(x)
}

#' @rdname detect_phases
#' @param y Unused.
#' @param main,xlab,ylab Plot title and axis labels.
#' @export
plot.tb_phases <- function(x, y, main = "Detected phases", xlab = "time",
                           ylab = "x", ...) {
  dots <- list(...)
  if (!length(x$x) || length(x$time) != length(x$x)) {
    tb_plot_empty(c(list(main = main), dots), "no series to plot")
    return(invisible(x))
  }
  args <- utils::modifyList(list(x = x$time, y = x$x, type = "l", col = "grey40",
                                 main = main, xlab = xlab, ylab = ylab), dots)
  do.call(graphics::plot, args)
  seg <- x$segments
  graphics::segments(seg$start, seg$mean, seg$end, seg$mean, col = "firebrick",
                     lwd = 2)
  if (length(x$changepoints)) {
    graphics::abline(v = x$changepoints, lty = 3, col = "steelblue")
  }
  invisible(x)
}

# Dates to decimal years (year + (day of year - 1) / days in year);
# numbers are returned as they are.
tb_to_years <- function(x, arg) {
  if (inherits(x, "Date")) {
    lt <- as.POSIXlt(x)
    y <- lt$year + 1900
    days <- ifelse((y %% 4 == 0 & y %% 100 != 0) | y %% 400 == 0, 366, 365)
    return(y + lt$yday / days)
  }
  if (inherits(x, "POSIXt")) return(tb_to_years(as.Date(x), arg))
  tb_check_numeric(x, arg)
}

# Reference boundaries: a numeric/Date vector, or a phases data frame of one
# relationship (the end of each phase but the last, in start order).
tb_reference_boundaries <- function(reference) {
  if (is.data.frame(reference)) {
    tb_check_data_frame(reference, "reference", c("start", "end"))
    if ("relationship" %in% names(reference) &&
        length(unique(reference$relationship)) > 1L) {
      tb_abort(sprintf("`reference` must hold the phases of one relationship, not %d (%s); filter it first.",
                       length(unique(reference$relationship)),
                       paste(unique(reference$relationship), collapse = ", ")))
    }
    st <- tb_to_years(reference$start, "reference$start")
    en <- tb_to_years(reference$end, "reference$end")
    o <- order(st)
    lab <- if ("label" %in% names(reference)) as.character(reference$label) else
      if ("phase" %in% names(reference)) as.character(reference$phase) else
        as.character(seq_len(nrow(reference)))
    if (nrow(reference) < 2L) {
      return(list(at = numeric(), label = character()))
    }
    o <- o[-length(o)]
    return(list(at = en[o], label = lab[o]))
  }
  at <- tb_to_years(reference, "reference")
  if (anyNA(at)) tb_abort("`reference` must not contain NA.")
  list(at = at, label = rep(NA_character_, length(at)))
}

#' Compare detected change points with a reference periodisation
#'
#' Matches each reference boundary one-to-one with a detected change point
#' within `tolerance` years, closest pairs first, and reports precision (the
#' share of detected change points that match a reference boundary) and
#' recall (the share of reference boundaries that are found).
#'
#' Dates are converted to decimal years. A `phases` data frame gives one
#' boundary per phase but the last: the phase's `end` (the detected change
#' points are also last times of a segment).
#'
#' @param detected A `tb_phases` object or a numeric (or `Date`) vector of
#'   change-point times.
#' @param reference The `phases` rows of one relationship (a data frame with
#'   `start` and `end`, as `Date`s or years, and optionally `label`), or a
#'   numeric (or `Date`) vector of boundary times.
#' @param tolerance Largest distance, in years, for a match.
#' @param span `NULL` or two numbers (or `Date`s): the first and last time of
#'   the series the change points were detected in. A boundary a series cannot
#'   show -- outside the span, or closer to its ends than one segment of the
#'   minimum length -- is marked `testable = FALSE` and left out of recall.
#'   When `detected` is a `tb_phases` object the span defaults to its time
#'   range (and its `minseglen`); for a plain vector, to no limit.
#' @return A list of class `tb_phase_comparison` (with a print method) with
#'   `matches` (a data frame: `boundary`, `label`,
#'   `detected` (the matched change point or NA), `distance`, `hit`,
#'   `testable`), `precision`, `recall` (over the testable boundaries; NA when
#'   there is nothing to divide by), `p_value`, `p_method`, `segmentations`,
#'   `null_mean_hits`, `tolerance` and `span`.
#'
#' @section How many hits would random boundaries get?:
#' Recall alone flatters a detector that cuts a series into many pieces: with
#' ten change points in 74 years, three reference boundaries are likely hit
#' by chance. When `detected` is a `tb_phases` object, `p_value` is the share
#' of all segmentations of the same series with as many change points, every
#' segment at least `minseglen` points long, that hit at least as many of the
#' testable boundaries (within `tolerance`, one change point per boundary):
#' exact (every segmentation) when there are at most `draws` of them, else
#' from `draws` uniform segmentations drawn with `seed` (the caller's random
#' stream is left as it was). `null_mean_hits` is the mean number of hits of
#' those segmentations. A small `p_value` says the detected boundaries sit
#' nearer the reference than chance would put them; for a plain vector of
#' change points it is NA.
#' @param draws Most segmentations enumerated for the exact p-value, and
#'   the number drawn beyond it (at most 1e6).
#' @param seed Seed of the draws.
#' @references
#' Killick, R., Fearnhead, P. and Eckley, I. A. (2012). Optimal detection of
#' changepoints with a linear computational cost. *Journal of the American
#' Statistical Association*, 107(500), 1590-1598.
#' @examples
#' compare_phases(c(1971, 1990, 2010), c(1972, 1989, 2002), tolerance = 2)
#' @export
compare_phases <- function(detected, reference, tolerance = 2, span = NULL,
                           draws = 10000, seed = 1) {
  tolerance <- tb_check_numeric(tolerance, "tolerance", len = 1L, min = 0,
                             allow_na = FALSE)
  draws <- tb_check_integerish(draws, "draws", len = 1L, min = 1, max = 1e6, allow_na = FALSE)
  seed <- tb_check_integerish(seed, "seed", len = 1L, allow_na = FALSE)
  edge <- 0
  if (is.null(span) && inherits(detected, "tb_phases") && length(detected$time)) {
    tm <- tb_to_years(detected$time, "detected")
    span <- range(tm)
    # a boundary needs a whole segment of minseglen points on each side
    if (length(tm) > 1L) edge <- (detected$minseglen - 1) * stats::median(diff(sort(tm)))
  } else if (!is.null(span)) {
    if (!(is.numeric(span) || inherits(span, "Date")) || length(span) != 2L || anyNA(span))
      tb_abort(sprintf("`span` must be NULL or two times (first and last), not %s.",
                       tb_describe(span)))
    span <- sort(tb_to_years(span, "span"))
  }
  det <- if (inherits(detected, "tb_phases")) detected$changepoints else detected
  det <- tb_to_years(det, "detected")
  if (anyNA(det)) tb_abort("`detected` must not contain NA.")
  ref <- tb_reference_boundaries(reference)
  nr <- length(ref$at); nd <- length(det)
  match_d <- rep(NA_integer_, nr)
  if (nr && nd) {
    # candidate pairs within the tolerance only (never the nr x nd table):
    # for each boundary, the detected points in a window of the sorted times
    od <- order(det)
    ds <- det[od]
    lo <- findInterval(ref$at - tolerance - 1e-9, ds, left.open = TRUE) + 1L
    hi <- findInterval(ref$at + tolerance + 1e-9, ds)
    cnt <- pmax(hi - lo + 1, 0)
    cnt[is.na(cnt)] <- 0  # NA boundaries match nothing
    if (sum(cnt) > 1e7) {
      tb_abort(sprintf("`detected` and `reference` give %.0f pairs within `tolerance` (at most 1e7); remove duplicated times or lower `tolerance`.",
                       sum(cnt)))
    }
    pr <- rep(seq_len(nr), cnt)
    pd <- od[rep(lo, cnt) + sequence(cnt) - 1L]
    dist <- abs(ref$at[pr] - det[pd])
    keep <- !is.na(dist) & dist <= tolerance + 1e-9  # Inf - Inf is NaN: no match
    pr <- pr[keep]; pd <- pd[keep]; dist <- dist[keep]
    if (length(pr)) {
      o <- order(dist, pr, pd)
      used_d <- logical(nd)
      for (k in o) {
        i <- pr[k]; j <- pd[k]
        if (is.na(match_d[i]) && !used_d[j]) { match_d[i] <- j; used_d[j] <- TRUE }
      }
    }
  }
  matched <- det[match_d]
  testable <- if (is.null(span)) rep(TRUE, nr)
              else !is.na(ref$at) & ref$at >= span[1L] + edge & ref$at < span[2L] - edge
  matches <- data.frame(boundary = ref$at, label = ref$label, detected = matched,
                        distance = abs(matched - ref$at), hit = !is.na(match_d),
                        testable = testable)
  nt <- sum(testable)
  perm <- if (inherits(detected, "tb_phases") && nt) {
    tb_phase_permutation(detected, ref$at, testable, tolerance, draws, seed,
                         observed = sum(!is.na(match_d) & testable))
  } else list(p_value = NA_real_, method = "none", segmentations = NA_real_,
              null_mean_hits = NA_real_)
  structure(list(matches = matches,
                 precision = if (nd) sum(!is.na(match_d)) / nd else NA_real_,
                 recall = if (nt) sum(!is.na(match_d) & testable) / nt else NA_real_,
                 p_value = perm$p_value, p_method = perm$method,
                 segmentations = perm$segmentations, null_mean_hits = perm$null_mean_hits,
                 tolerance = tolerance, span = span),
            class = "tb_phase_comparison")
}

# Permutation p-value of a phase comparison: the share of segmentations of
# the same series, with as many change points m and every segment at least
# minseglen (L) points long, that hit at least `observed` of the testable
# reference boundaries (within `tolerance`, one change point per boundary).
# Every admissible segmentation is equally likely. With n points, segment
# lengths minus (L - 1) are a composition of n' = n - (m + 1)(L - 1) into
# m + 1 positive parts, i.e. an m-subset c_1 < ... < c_m of 1..(n' - 1), and
# change point k is observation c_k + k(L - 1): all choose(n' - 1, m) of them
# when there are at most `draws` (exact), else `draws` uniform draws.
tb_phase_permutation <- function(detected, at, testable, tolerance, draws, seed, observed) {
  tm <- tb_to_years(detected$time, "detected")
  n <- length(tm); m <- length(detected$index); L <- detected$minseglen
  if (m == 0L) {
    return(list(p_value = if (observed <= 0) 1 else 0, method = "exact", segmentations = 1,
                null_mean_hits = 0))
  }
  n1 <- n - (m + 1L) * (L - 1L)
  total <- choose(n1 - 1, m)
  if (total <= draws) {
    cs <- utils::combn(n1 - 1L, m)
    method <- "exact"
  } else {
    cs <- tb_with_seed(seed, vapply(seq_len(draws), function(r)
      sort(sample.int(n1 - 1L, m)), integer(m)))
    method <- "monte carlo"
  }
  cs <- matrix(cs, nrow = m)
  cpt <- matrix(tm[cs + seq_len(m) * (L - 1L)], nrow = m)
  at <- at[testable]
  hits <- if (length(at) < 2L || min(diff(sort(at))) > 2 * tolerance) {
    # boundaries further apart than 2 * tolerance: no change point serves
    # two, so the one-to-one matching hits each boundary with one in reach
    Reduce(`+`, lapply(at, function(b) colSums(abs(cpt - b) <= tolerance + 1e-9) > 0), 0)
  } else {
    apply(cpt, 2L, function(t) tb_phase_hits(t, at, tolerance))
  }
  list(p_value = mean(hits >= observed), method = method, segmentations = total,
       null_mean_hits = mean(hits))
}

# Boundaries hit by change points t under the one-to-one matching, closest
# pairs first (the rule of compare_phases()).
tb_phase_hits <- function(t, at, tolerance) {
  d <- abs(outer(at, t, "-"))
  w <- which(d <= tolerance + 1e-9, arr.ind = TRUE)
  if (!nrow(w)) return(0L)
  hit <- logical(length(at)); used <- logical(length(t))
  for (r in order(d[w], w[, 1L], w[, 2L])) {
    i <- w[r, 1L]; j <- w[r, 2L]
    if (!hit[i] && !used[j]) { hit[i] <- TRUE; used[j] <- TRUE }
  }
  sum(hit)
}

#' Summarise a series by phase
#'
#' For each phase: the number of observations, their mean and standard
#' deviation, the least-squares linear trend (slope per unit of `time`, per
#' year for `Date`s) and the difference of the mean from the previous
#' phase's.
#'
#' An observation belongs to the phase with `start <= time <= end`; when two
#' phases share a boundary (a phase ending in the year the next begins), it
#' goes to the later one. Dates are converted to decimal years; a whole
#' year as `end` covers that whole year, for times given as years, decimal
#' years (`1999 + (0:11)/12`) or Dates alike. NA values of `x` are dropped within
#' each phase; phases without observations give NA statistics.
#'
#' @param x Numeric series.
#' @param time Times of `x` (numeric years or `Date`s), same length.
#' @param phases A data frame with `start` and `end` (`Date`s or years) and
#'   optionally `phase` and `label` (such as the `phases` rows of one
#'   relationship), or a `tb_phases` object (its segments).
#' @return A data frame with `phase`, `label`, `start`, `end`, `n`, `mean`,
#'   `sd`, `trend`, `diff_prev` (NA for the first phase).
#' @examples
#' ph <- data.frame(phase = 1:2, label = c("before", "after"),
#'                  start = c(1990, 2000), end = c(1999, 2010))
#' phase_summary(c(1:10, 21:31), 1990:2010, ph)
#' @export
phase_summary <- function(x, time, phases) {
  x <- tb_check_numeric(x, "x")
  if (inherits(time, "Date")) {
    tt <- tb_to_years(time, "time")
  } else {
    tt <- tb_check_numeric(time, "time", allow_na = FALSE, finite = TRUE)
  }
  if (length(tt) != length(x)) {
    tb_abort(sprintf("`time` must have the length of `x` (%d), not %d.",
                     length(x), length(tt)))
  }
  if (inherits(phases, "tb_phases")) {
    seg <- phases$segments
    phases <- data.frame(phase = seq_len(nrow(seg)), label = NA_character_,
                         start = seg$start, end = seg$end)
  }
  tb_check_data_frame(phases, "phases", c("start", "end"))
  if ("relationship" %in% names(phases) && length(unique(phases$relationship)) > 1L) {
    tb_abort(sprintf("`phases` must hold the phases of one relationship, not %d; filter it first.",
                     length(unique(phases$relationship))))
  }
  st <- tb_to_years(phases$start, "phases$start")
  en <- tb_to_years(phases$end, "phases$end")
  if (anyNA(st) || anyNA(en)) tb_abort("`phases` must have no NA in `start` or `end`.")
  # An end given as a whole year runs to the end of that year, whatever the
  # times are (years, decimal years or Dates); Date ends and fractional ends
  # are exact.
  whole <- !inherits(phases$end, "Date") & en == floor(en)
  en_cmp <- ifelse(whole, en + 1 - 1e-9, en)
  if (any(en < st)) {
    tb_abort(sprintf("`phases` row %d ends before it starts.", which(en < st)[1L]))
  }
  o <- order(st)
  k <- length(o)
  member <- rep(NA_integer_, length(tt))
  for (j in o) member[tt >= st[j] & tt <= en_cmp[j]] <- j
  lab <- if ("label" %in% names(phases)) as.character(phases$label) else rep(NA_character_, k)
  ph <- if ("phase" %in% names(phases)) phases$phase else seq_len(k)
  stat <- lapply(o, function(j) {
    keep <- which(member == j & !is.na(x))
    y <- x[keep]; u <- tt[keep]
    n <- length(y)
    trend <- if (n >= 2L && isTRUE(stats::var(u) > 0)) {
      sum((u - mean(u)) * (y - mean(y))) / sum((u - mean(u))^2)
    } else NA_real_
    c(n = n, mean = if (n) mean(y) else NA_real_,
      sd = if (n > 1L) stats::sd(y) else NA_real_, trend = trend)
  })
  stat <- do.call(rbind, stat)
  if (is.null(stat)) stat <- matrix(numeric(), 0, 4, dimnames = list(NULL, c("n", "mean", "sd", "trend")))
  out <- data.frame(phase = ph[o], label = lab[o], start = phases$start[o],
                    end = phases$end[o], n = as.integer(stat[, "n"]),
                    mean = stat[, "mean"], sd = stat[, "sd"], trend = stat[, "trend"])
  out$diff_prev <- out$mean - c(NA, utils::head(out$mean, -1L))
  rownames(out) <- NULL
  out
}

#' @export
print.tb_phase_comparison <- function(x, ...) {
  cat(sprintf("<phase comparison: %d reference boundar%s, tolerance %s years%s>\n",
              nrow(x$matches), if (nrow(x$matches) == 1L) "y" else "ies", format(x$tolerance),
              if (is.null(x$span)) "" else sprintf(", series %s-%s",
                                                   format(x$span[1L]), format(x$span[2L]))))
  print(x$matches, row.names = FALSE, digits = 4)
  cat(sprintf("precision %s, recall %s (over testable boundaries)\n",
              format(round(x$precision, 3)), format(round(x$recall, 3))))
  if (!is.null(x$p_value) && !is.na(x$p_value)) {
    cat(sprintf("permutation p = %s (%s over %s segmentations with as many change points; random boundaries hit %.2f on average)\n",
                format(signif(x$p_value, 3)), x$p_method,
                format(x$segmentations, big.mark = ",", scientific = 6), x$null_mean_hits))
  }
  invisible(x)
}
