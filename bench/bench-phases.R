# Benchmark: detect_phases() (exact PELT in C) against changepoint's PELT on
# the same series, at changepoint's defaults (cpt.mean: minseglen 1,
# cpt.meanvar: minseglen 2) for every penalty, n = 1e4, 1e5, 1e6 with a change
# in mean every 1,000 points. Each cell: elapsed seconds per run, median of
# `reps` warm timings made alternately in this one process (a timing of n =
# 1e4 averages 10 runs), and the ratio ours/changepoint (below 0.5 is the
# goal). Then the MBIC objective gaps: changepoint's pruning can miss the
# optimum, ours cannot.
#   Rscript bench/bench-phases.R            (TB_BENCH_N = "1e4,1e5" to skip 1e6)
# Page faults: on this kind of virtual machine a first touch of a 4 kB page
# costs 12.5 us (a minor fault on real hardware costs well under 1 us), and
# glibc's malloc() hands large blocks back to the system between calls unless
# told not to. changepoint allocates its n-long work arrays at every call:
# cpt.meanvar() at 1e5 points took 4,334 page faults and 0.071-0.105 s a call
# here with glibc's defaults, 0 faults and 0.034-0.036 s with the settings
# below. So that the ratios measure the two searches and not the machine's
# paging, the script re-runs itself with malloc() keeping up to 32 MB blocks
# in its heap and never trimming it (TB_BENCH_MALLOC=default keeps glibc's
# defaults). Faults per timed call are reported for both packages.
tunables <- "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=4294967296"
script <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1L])
if (Sys.info()[["sysname"]] == "Linux" && Sys.getenv("TB_BENCH_MALLOC") != "default" &&
    !grepl("mmap_threshold", Sys.getenv("GLIBC_TUNABLES"), fixed = TRUE)) {
  if (is.na(script) || basename(script) != "bench-phases.R") {  # source()d
    message("bench-phases.R: run it with Rscript for page-fault-free timings")
  } else {
    old <- Sys.getenv("GLIBC_TUNABLES")
    Sys.setenv(GLIBC_TUNABLES = paste(c(if (nzchar(old)) old, tunables), collapse = ":"))
    status <- system2(file.path(R.home("bin"), "Rscript"), shQuote(script))
    quit(save = "no", status = status)
  }
}
suppressPackageStartupMessages(library(threatbalance))
if (!requireNamespace("changepoint", quietly = TRUE)) {
  stop("bench-phases.R compares with the changepoint package; install it first")
}
suppressPackageStartupMessages(library(changepoint))

series <- function(n, nchange, seed) {
  set.seed(seed)
  len <- diff(c(0L, sort(sample.int(n - 1L, nchange)), n))
  # levels move by 2 to 4 noise sd at each change, up or down at random
  mu <- cumsum(c(0, sample(c(-1, 1), nchange, TRUE) * runif(nchange, 2, 4)))
  rep(mu, len) + rnorm(n)
}
# seconds per run, warm: one untimed run first, then `inner` timed runs.
# Each package is timed in its own steady state, right after a call of its
# own: a call's time depends on the memory the call before left mapped
# (here mapping a 4 kB page costs 12.5 us). cpt.meanvar() at 1e5 points
# took 0.036 s after a call of its own, 0.052 s after gc() and 0.070 s
# after detect_phases() and gc() (2,900-4,300 page faults a call), so
# timing the two alternately, as this script once did, put much of
# changepoint's time at the mercy of what ran before it.
# (Runs known to take over 2 s skip the untimed run: page faults are then
# a small part of them, and changepoint's BIC runs at 1e6 points take 4-9 s.)
# Returns c(seconds, page faults) per run; faults are NA off Linux.
minflt <- function() {
  st <- tryCatch(readLines("/proc/self/stat", warn = FALSE), error = function(e) "")
  # the fields after the command name, which is in parentheses
  f <- strsplit(sub("^.*\\) ", "", st), " ", fixed = TRUE)[[1L]]
  if (length(f) >= 8L) as.numeric(f[8L]) else NA_real_
}
elapsed <- function(expr, inner = 1L, warm = TRUE) {
  f <- substitute(expr); e <- parent.frame()
  if (warm) eval(f, e)
  # a collection first, as system.time() makes by default (this script
  # used it until it timed with Sys.time(), to the microsecond: system.time()'s
  # elapsed comes in whole milliseconds, a tenth of a run of 1e5 points);
  # without it the timed call pays for collecting the untimed call's
  # garbage, which for changepoint came with up to 391 page faults a call
  invisible(gc(FALSE))
  m0 <- minflt()
  t0 <- Sys.time()
  for (i in seq_len(inner)) eval(f, e)
  s <- as.numeric(Sys.time()) - as.numeric(t0)
  c(s / inner, (minflt() - m0) / inner)
}
# the penalised objective of the tests' reference (run from the package root)
ref <- new.env(parent = asNamespace("threatbalance"))
sys.source(file.path("tests", "testthat", "helper-reference.R"), envir = ref)
obj <- ref$ref_phase_objective

sizes <- as.numeric(strsplit(Sys.getenv("TB_BENCH_N", "1e4,1e5,1e6"), ",")[[1]])
reps <- 3L
manual_pen <- 25
rows <- list()
for (n in sizes) {
  x <- series(n, n / 1000, seed = n)
  inner <- max(1L, as.integer(1e5 / n))
  for (cost in c("mean", "meanvar")) {
    ms <- if (cost == "mean") 1L else 2L
    f <- if (cost == "mean") cpt.mean else cpt.meanvar
    for (penalty in c("MBIC", "BIC", "AIC", "manual")) {
      pv <- if (penalty == "manual") manual_pen else NULL
      t <- pf <- matrix(NA_real_, 2L, reps)
      # the two packages alternate from run to run (the machine's speed
      # drifts), each run warm (see elapsed())
      for (r in seq_len(reps)) {
        warm <- r == 1L | t[, max(r - 1L, 1L)] < 2
        a <- elapsed(ours <- detect_phases(x, cost = cost, penalty = penalty,
                                           pen_value = pv, minseglen = ms,
                                           standardize = FALSE), inner, warm[1L])
        b <- elapsed(theirs <- if (penalty == "manual") {
          f(x, method = "PELT", penalty = "Manual", pen.value = pv, minseglen = ms)
        } else {
          f(x, method = "PELT", penalty = penalty, minseglen = ms)
        }, inner, warm[2L])
        t[, r] <- c(a[1L], b[1L]); pf[, r] <- c(a[2L], b[2L])
      }
      tc <- as.integer(cpts(theirs))
      gap <- obj(x, tc, cost, ours$pen_value, penalty == "MBIC") -
        obj(x, ours$index, cost, ours$pen_value, penalty == "MBIC")
      rows[[length(rows) + 1L]] <- data.frame(
        cost = cost, penalty = penalty, n = n, ours_s = stats::median(t[1, ]),
        changepoint_s = stats::median(t[2, ]),
        ratio = stats::median(t[1, ]) / stats::median(t[2, ]),
        faults = stats::median(pf[1, ]), faults_cp = stats::median(pf[2, ]),
        changes = length(ours$index), changes_cp = length(tc),
        same = identical(ours$index, tc), gap = gap)
      r <- rows[[length(rows)]]
      cat(sprintf("%-7s %-6s n = %7.0f  ours %7.4f s (%4.0f faults)  changepoint %7.4f s (%4.0f faults)  ratio %5.2f  changes %5d / %5d  same %-5s  objective gap %.3g\n",
                  cost, penalty, n, r$ours_s, r$faults, r$changepoint_s, r$faults_cp,
                  r$ratio, r$changes, r$changes_cp, r$same, r$gap))
    }
  }
}
tab <- do.call(rbind, rows)
cat("\n== ratio ours / changepoint (elapsed medians of", reps, "runs; goal < 0.5)\n")
wide <- stats::reshape(tab[c("cost", "penalty", "n", "ratio")], idvar = c("cost", "penalty"),
                       timevar = "n", direction = "wide")
names(wide) <- sub("ratio.", "n = ", names(wide), fixed = TRUE)
print(wide, row.names = FALSE, digits = 2)
cat("(objective gap = changepoint's penalised cost of its own change points minus",
    "ours; > 0 where changepoint missed the optimum)\n")

cat("\n== MBIC: exact optimum vs changepoint's pruning, 500 random series per cost\n")
for (cost in c("mean", "meanvar")) {
  set.seed(if (cost == "mean") 10 else 20)
  d <- numeric(0); differ <- 0L
  ms <- if (cost == "mean") 1L else 2L
  f <- if (cost == "mean") cpt.mean else cpt.meanvar
  for (it in 1:500) {
    n <- sample(c(20, 50, 100, 200, 500, 2000), 1)
    x <- series(n, sample(0:6, 1), seed = it + 1000 * (cost == "meanvar"))
    ours <- detect_phases(x, cost = cost, penalty = "MBIC", minseglen = ms,
                          standardize = FALSE)
    theirs <- as.integer(cpts(f(x, method = "PELT", penalty = "MBIC", minseglen = ms)))
    d <- c(d, obj(x, theirs, cost, ours$pen_value, TRUE) -
              obj(x, ours$index, cost, ours$pen_value, TRUE))
    if (!identical(theirs, ours$index)) differ <- differ + 1L
  }
  cat(sprintf("%-8s change points differ in %d/500 series; objective gap (changepoint - ours): min %.2g, median %.2g, mean %.3g, max %.3g; strictly smaller (gap > 1e-8) in %d, larger (gap < -1e-8) in %d\n",
              cost, differ, min(d), stats::median(d), mean(d), max(d), sum(d > 1e-8),
              sum(d < -1e-8)))
}
