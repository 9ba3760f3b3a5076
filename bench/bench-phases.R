# Benchmark: detect_phases() (exact PELT in C) against changepoint's PELT on
# the same series, ratios in one run; scaling from 1e4 to 1e6 points; and the
# MBIC objective gap between changepoint's pruning and the exact optimum.
suppressPackageStartupMessages(library(threatbalance))
has_cp <- requireNamespace("changepoint", quietly = TRUE)
if (has_cp) suppressPackageStartupMessages(library(changepoint))

series <- function(n, nchange, seed) {
  set.seed(seed)
  len <- diff(c(0L, sort(sample.int(n - 1L, nchange)), n))
  # levels move by 2 to 4 noise sd at each change, up or down at random
  mu <- cumsum(c(0, sample(c(-1, 1), nchange, TRUE) * runif(nchange, 2, 4)))
  rep(mu, len) + rnorm(n)
}
best_of <- function(expr, reps = 3L) {
  f <- substitute(expr); e <- parent.frame()
  min(vapply(seq_len(reps), function(i) system.time(eval(f, e))[["elapsed"]], 0))
}

cat("== detect_phases vs changepoint::cpt.mean(method = 'PELT'), manual penalty\n")
pen <- 2 * log(1e6)
for (n in c(1e4, 1e5, 1e6)) {
  x <- series(n, n / 1000, seed = n)
  t_ours <- best_of(ours <- detect_phases(x, penalty = "manual", pen_value = pen,
                                         minseglen = 1, standardize = FALSE))
  line <- sprintf("n = %7.0f: ours %.3f s (%.2f us/point), %d change points", n, t_ours,
                  1e6 * t_ours / n, length(ours$changepoints))
  if (has_cp) {
    t_cp <- best_of(cp <- cpt.mean(x, method = "PELT", penalty = "Manual",
                                   pen.value = pen, minseglen = 1))
    line <- paste0(line, sprintf("; changepoint %.3f s; speed-up %.1fx; identical: %s",
                                 t_cp, t_cp / t_ours,
                                 identical(ours$index, as.integer(cpts(cp)))))
  }
  cat(line, "\n")
  if (n == 1e4) t_small <- t_ours
  if (n == 1e6) cat(sprintf("scaling 1e4 -> 1e6 (x100 points): time x%.0f (linear = 100)\n",
                            t_ours / t_small))
}

cat("\n== mean and variance, n = 1e5, minseglen 2\n")
x <- series(1e5, 100, seed = 1)
x <- x * rep(c(1, 2), length.out = 1e5)[ceiling(seq_len(1e5) / 1000)]
t_ours <- best_of(ours <- detect_phases(x, cost = "meanvar", penalty = "BIC",
                                       standardize = FALSE))
if (has_cp) {
  t_cp <- best_of(cp <- cpt.meanvar(x, method = "PELT", penalty = "BIC"))
  cat(sprintf("ours %.3f s, changepoint %.3f s, speed-up %.1fx, identical: %s\n",
              t_ours, t_cp, t_cp / t_ours, identical(ours$index, as.integer(cpts(cp)))))
} else cat(sprintf("ours %.3f s (changepoint not installed)\n", t_ours))

if (has_cp) {
  cat("\n== MBIC: exact optimum vs changepoint's pruning, 500 random series per cost\n")
  # the penalised objective of the tests' reference (run from the package root)
  ref <- new.env(parent = asNamespace("threatbalance"))
  sys.source(file.path("tests", "testthat", "helper-reference.R"), envir = ref)
  obj <- ref$ref_phase_objective
  for (cost in c("mean", "meanvar")) {
    set.seed(if (cost == "mean") 10 else 20)
    d <- numeric(0); differ <- 0L
    for (it in 1:500) {
      n <- sample(c(20, 50, 100, 200, 500), 1)
      x <- series(n, sample(0:6, 1), seed = it + 1000 * (cost == "meanvar"))
      ms <- if (cost == "mean") 1L else 2L
      ours <- detect_phases(x, cost = cost, penalty = "MBIC", minseglen = ms,
                            standardize = FALSE)
      f <- if (cost == "mean") cpt.mean else cpt.meanvar
      theirs <- as.integer(cpts(f(x, method = "PELT", penalty = "MBIC", minseglen = ms)))
      gap <- obj(x, theirs, cost, ours$pen_value, TRUE) - ours$objective
      d <- c(d, gap)
      if (!identical(theirs, ours$index)) differ <- differ + 1L
    }
    cat(sprintf("%-8s change points differ in %d/500 series; objective gap (changepoint - exact): min %.2g, median %.2g, mean %.3g, max %.3g; gap > 1e-8 in %d\n",
                cost, differ, min(d), stats::median(d), mean(d), max(d), sum(d > 1e-8)))
  }
}
