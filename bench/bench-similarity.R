# Benchmark of the similarity engine: alliance_similarity(1816:2018) and
# vote_similarity(1946:2019), end to end and bare kernel, against a vectorised
# base-R implementation (Gram matrices of stacked one-hot indicators, on the
# portfolios built by the tests' references, whose building is not timed) and
# fpsim's per-dyad functions, all in the same process. Prints ratios of elapsed
# and of CPU times (user + system; the machine is shared). fpsim is timed in
# CPU seconds on a sample of dyad-years and extrapolated to all of them.
# Run: Rscript bench/bench-similarity.R (with threatbalance installed).

suppressPackageStartupMessages(library(threatbalance))
ns <- asNamespace("threatbalance")
# the pure-R portfolio builders of the tests (run from the package root)
ref <- new.env(parent = ns)
sys.source(file.path("tests", "testthat", "helper-reference.R"), envir = ref)
set.seed(20)
reps <- as.integer(Sys.getenv("BENCH_REPS", "7"))

# Median elapsed time over k runs; attribute "cpu": median user + system CPU
# time (the machine is shared, so elapsed time depends on the load).
med_time <- function(f, k = reps) {
  f()                                         # warm-up (lazy data, caches)
  t <- vapply(seq_len(k), function(i) {
    s <- system.time(f())
    c(s[["elapsed"]], s[["user.self"]] + s[["sys.self"]])
  }, c(0, 0))
  structure(median(t[1L, ]), cpu = median(t[2L, ]))
}
cpu_time <- function(expr) {
  s <- system.time(expr)
  structure(s[["elapsed"]], cpu = s[["user.self"]] + s[["sys.self"]])
}
peak_mb <- function(f) {
  invisible(gc(reset = TRUE))
  before <- sum(gc()[, 2L])
  f()
  sum(gc()[, 6L]) - before
}
fmt <- function(x) formatC(x, digits = 3, format = "g")

# ---- vectorised base R: joint tables for all pairs from Gram matrices ----
# X: actors x items integer codes (NA missing); levels: code values. Returns
# the upper-triangle vectors of every measure.
base_measures <- function(X, levels, q = 2, methods) {
  L <- length(levels)
  rng <- max(levels) - min(levels)
  H <- do.call(rbind, lapply(levels, function(a) {
    m <- X == a
    m[is.na(m)] <- FALSE
    m * 1
  }))
  na <- nrow(X)
  G <- tcrossprod(H)                          # (L na) x (L na): block (a, b) = I_a I_b'
  blk <- function(a, b) G[(a - 1) * na + seq_len(na), (b - 1) * na + seq_len(na)]
  Tt <- lapply(seq_len(L), function(a) lapply(seq_len(L), function(b) blk(a, b)))
  N <- Reduce(`+`, lapply(Tt, function(r) Reduce(`+`, r)))
  r <- lapply(seq_len(L), function(a) Reduce(`+`, Tt[[a]]))
  cc <- lapply(seq_len(L), function(b) Reduce(`+`, lapply(Tt, `[[`, b)))
  d <- outer(levels, levels, function(a, b) (abs(a - b) / rng)^q)
  d1 <- outer(levels, levels, function(a, b) abs(a - b) / rng)
  Do <- D1 <- Dek <- Dep <- 0
  for (a in seq_len(L)) for (b in seq_len(L)) {
    Do <- Do + d[a, b] * Tt[[a]][[b]]
    D1 <- D1 + d1[a, b] * Tt[[a]][[b]]
    Dek <- Dek + d[a, b] * r[[a]] * cc[[b]]
    Dep <- Dep + d[a, b] * (r[[a]] + cc[[a]]) * (r[[b]] + cc[[b]])
  }
  Do <- Do / N; D1 <- D1 / N; Dek <- Dek / N^2; Dep <- Dep / (4 * N^2)
  # pairs i < j in the engine's order (i outer, j inner)
  lo <- lower.tri(N)
  up <- function(M) t(M)[lo]
  out <- list(n = up(N))
  if ("s" %in% methods) out$s <- up(1 - 2 * Do)
  if ("agree" %in% methods) out$agree <- up(1 - D1)
  if ("kappa" %in% methods) out$kappa <- up(ifelse(Dek > 0, 1 - Do / Dek, NA))
  if ("pi" %in% methods) out$pi <- up(ifelse(Dep > 0, 1 - Do / Dep, NA))
  if ("taub" %in% methods) {
    cd <- 0
    for (a in seq_len(L)) for (b in seq_len(L)) {
      conc <- disc <- 0
      for (a2 in seq_len(L)) for (b2 in seq_len(L)) if (a2 > a) {
        if (b2 > b) conc <- conc + Tt[[a2]][[b2]]
        if (b2 < b) disc <- disc + Tt[[a2]][[b2]]
      }
      cd <- cd + Tt[[a]][[b]] * (conc - disc)
    }
    px <- py <- 0
    for (a in seq_len(L)) for (a2 in seq_len(L)) if (a < a2) {
      px <- px + r[[a]] * r[[a2]]
      py <- py + cc[[a]] * cc[[a2]]
    }
    out$taub <- up(ifelse(px > 0 & py > 0, cd / sqrt(px * py), NA))
  }
  out
}

# The R-built portfolios of the tests: per year list(year, ccode, codes).
alliance_portfolios <- function(years) {
  tab <- ref$ref_packaged_alliances()
  ref$ref_alliance_portfolios(years, tab$st, tab$al, "valued", c(1815L, 2018L))
}
vote_portfolios <- function(years) {
  rc <- ns$sim_rollcalls(threatbalance::unga_rollcalls, years, FALSE, NULL)
  ref$ref_vote_portfolios(years, rc$rcid, match(rc$year, years), threatbalance::unga_votes)
}

base_alliances <- function(pf, methods) {
  lapply(pf, function(p) base_measures(p$codes, 0:3, 2, methods))
}

base_votes <- function(pf, methods) {
  lapply(pf, function(p) if (length(p$ccode)) base_measures(p$codes, 1:3, 2, methods))
}

# fpsim's CPU time on k sampled dyad-years of out (score: fpsim's functions on
# two portfolios), extrapolated to every row of out. The portfolios (pf, one
# per year of years) are taken outside the timing: only fpsim's work counts.
fpsim_time <- function(out, pf, years, k, score) {
  rows <- sort(sample(nrow(out), k))
  pairs <- lapply(rows, function(r) {
    p <- pf[[match(out$year[r], years)]]
    list(p$codes[match(out$ccode1[r], p$ccode), ], p$codes[match(out$ccode2[r], p$ccode), ])
  })
  s <- system.time(for (p in pairs) score(p[[1]], p[[2]]))
  list(total = (s[["user.self"]] + s[["sys.self"]]) / k * nrow(out), k = k)
}

cpu <- function(x) attr(x, "cpu")
report <- function(label, e2e, kern, base, fp, peak, ndyad, extra = NULL) {
  cat(sprintf("\n== %s (%s dyad-years) ==\n", label, format(ndyad, big.mark = ",")))
  cat(sprintf("  threatbalance end to end (median of %d): %s s elapsed, %s s CPU\n",
              reps, fmt(e2e), fmt(cpu(e2e))))
  cat(sprintf("  bare C kernel on prebuilt code matrices: %s s elapsed, %s s CPU\n",
              fmt(kern), fmt(cpu(kern))))
  if (!is.null(extra)) cat(extra)
  cat(sprintf("  peak R memory during the call: %s MB\n", fmt(peak)))
  cat(sprintf("  vectorised base R (tcrossprod of stacked one-hot, prebuilt portfolios): %s s elapsed, %s s CPU   ratio base/threatbalance: %s elapsed, %s CPU\n",
              fmt(base), fmt(cpu(base)), fmt(base / e2e), fmt(cpu(base) / cpu(e2e))))
  if (!is.null(fp)) {
    cat(sprintf("  fpsim per-dyad functions: %s s CPU (extrapolated from %d sampled dyad-years)   ratio fpsim/threatbalance: %s elapsed, %s CPU\n",
                fmt(fp$total), fp$k, fmt(fp$total / e2e), fmt(fp$total / cpu(e2e))))
  } else {
    cat("  fpsim not installed: per-dyad comparison skipped\n")
  }
}

# ---- alliances ----
ay <- 1816:2018
am <- c("s", "kappa", "pi", "taub")
a_e2e <- med_time(function() alliance_similarity(ay, method = am))
apf <- alliance_portfolios(ay)
ap <- ref$ref_engine_inputs(apf, 0:3)
a_kern <- med_time(function() .Call(ns$C_ffi_similarity, ap$codes, ap$nactor, ap$nitem,
                                    as.double(ap$levels), NULL, 2L, 1:4, ap$actor_id,
                                    ap$period_id, FALSE))
a_peak <- peak_mb(function() alliance_similarity(ay, method = am))
a_out <- alliance_similarity(ay, method = am)
a_w <- med_time(function() alliance_similarity(ay, method = am, weighted = TRUE), k = max(3L, reps %/% 2L))
a_base_t <- cpu_time(a_base <- base_alliances(apf, am))
bs <- unlist(lapply(a_base, `[[`, "s")); bt <- unlist(lapply(a_base, `[[`, "taub"))
cat(sprintf("alliances: max |difference| from base R, S %s, tau-b %s\n",
            fmt(max(abs(bs - a_out$s))), fmt(max(abs(bt - a_out$taub), na.rm = TRUE))))

a_fp <- if (requireNamespace("fpsim", quietly = TRUE)) {
  fpsim_time(a_out, apf, ay, 200, function(x1, x2) {
    fpsim::srs(x1, x2, "squared", levels = 0:3)
    fpsim::cohenk(x1, x2, levels = 0:3)
    fpsim::spi(x1, x2, levels = 0:3)
    suppressWarnings(fpsim::taub(x1, x2))
  })
}
report("alliance_similarity(1816:2018), s kappa pi taub", a_e2e, a_kern, a_base_t, a_fp,
       a_peak, nrow(a_out),
       sprintf("  weighted = TRUE (partner CINC) end to end: %s s elapsed, %s s CPU\n",
               fmt(a_w), fmt(cpu(a_w))))

# ---- UN votes ----
vy <- 1946:2019
vm <- c("agree", "s", "kappa", "pi")
v_e2e <- med_time(function() vote_similarity(vy, method = vm))
vpf <- vote_portfolios(vy)
vp <- ref$ref_engine_inputs(vpf, 1:3)
v_kern <- med_time(function() .Call(ns$C_ffi_similarity, vp$codes, vp$nactor, vp$nitem,
                                    as.double(vp$levels), NULL, 2L, c(5L, 1L, 2L, 3L),
                                    vp$actor_id, vp$period_id, FALSE))
v_peak <- peak_mb(function() vote_similarity(vy, method = vm))
v_out <- vote_similarity(vy, method = vm)
v_base_t <- cpu_time(v_base <- base_votes(vpf, vm))
bag <- unlist(lapply(v_base, `[[`, "agree"))
cat(sprintf("votes: max |difference| from base R, agreement %s\n",
            fmt(max(abs(bag - v_out$agree), na.rm = TRUE))))

v_fp <- if (requireNamespace("fpsim", quietly = TRUE)) {
  fpsim_time(v_out, vpf, vy, 200, function(x1, x2) {
    fpsim::srs(x1, x2, "squared", levels = 1:3)
    fpsim::cohenk(x1, x2, levels = 1:3)
    fpsim::spi(x1, x2, levels = 1:3)
    ok <- !is.na(x1) & !is.na(x2)
    mean(1 - abs(x1[ok] - x2[ok]) / 2)
  })
}
report("vote_similarity(1946:2019), agree s kappa pi", v_e2e, v_kern, v_base_t, v_fp,
       v_peak, nrow(v_out))
cat(sprintf("\nload average at the end: %s (2 cores shared)\n",
            paste(tryCatch(strsplit(readLines("/proc/loadavg"), " ")[[1]][1:3],
                           error = function(e) "?"), collapse = " ")))
