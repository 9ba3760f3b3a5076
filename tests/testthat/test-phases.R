# detect_phases (src/phases.c): exact PELT against brute-force optimal
# partitioning, changepoint's PELT, and hand-checked cases; compare_phases,
# phase_summary; errors.

# Optimal partitioning by brute force (O(n^2)), the obviously-correct
# reference: F[t] = min_s F[s] + C(s+1..t) + pen over admissible s, with the
# costs (ref_segment_cost(), helper-reference.R) from cumulative sums as in the
# C code and ties to the smallest s.
op_reference <- function(x, cost, pen, mbic, m) {
  n <- length(x)
  S1 <- c(0, cumsum(x)); S2 <- c(0, cumsum(x^2))
  segc <- function(s, t) {
    ref_segment_cost(t - s, S1[t + 1] - S1[s + 1], S2[t + 1] - S2[s + 1], cost, mbic)
  }
  F <- c(-pen, rep(Inf, n)); last <- integer(n + 1)
  for (t in seq_len(n)) {
    if (t < m) next
    ss <- c(0, if (t - m >= m) m:(t - m))
    v <- vapply(ss, function(s) F[s + 1] + segc(s, t) + pen, numeric(1))
    F[t + 1] <- min(v); last[t + 1] <- ss[which.min(v)]
  }
  cp <- integer(); t <- last[n + 1]
  while (t > 0) { cp <- c(t, cp); t <- last[t + 1] }
  list(cpts = cp, objective = F[n + 1])
}

# detect_phases() without its warning about runs of equal values (meanvar),
# for the tests that use ties on purpose
quiet_ties <- function(expr) {
  withCallingHandlers(expr, threatbalance_warning_ties = function(w) invokeRestart("muffleWarning"))
}

random_series <- function(n, k = sample(0:4, 1), sd = 1) {
  k <- min(k, n - 1L)
  cuts <- sort(sample.int(n - 1L, k))
  rep(stats::rnorm(k + 1, sd = 3), diff(c(0L, cuts, n))) + stats::rnorm(n, sd = sd)
}

test_that("PELT finds the exact optimum of brute-force optimal partitioning", {
  set.seed(101)
  for (it in 1:100) {
    cost <- if (it %% 2) "mean" else "meanvar"
    m <- if (cost == "mean") sample(1:3, 1) else sample(2:3, 1)
    n <- sample(c(2 * m, 2 * m + 1, 8:40), 1)
    x <- random_series(n)
    if (it %% 7 == 0) x <- round(x)          # ties
    if (it %% 11 == 0) x <- rep(1.5, n)       # constant
    mbic <- it %% 3 == 0
    ph <- quiet_ties(if (mbic) {
      detect_phases(x, cost = cost, penalty = "MBIC", minseglen = m, standardize = FALSE)
    } else {
      detect_phases(x, cost = cost, penalty = "manual", pen_value = stats::runif(1, 0, 8),
                    minseglen = m, standardize = FALSE)
    })
    ref <- op_reference(x, cost, ph$pen_value, mbic, m)
    expect_equal(ph$objective, ref$objective, tolerance = 1e-9)
    expect_true(all(diff(c(0L, ph$index, n)) >= m))
    expect_equal(ph$objective,
                 ref_phase_objective(x, ph$index, cost, ph$pen_value, mbic),
                 tolerance = 1e-6)
    if (it %% 7 != 0 && it %% 11 != 0) expect_identical(ph$index, as.integer(ref$cpts))
  }
})

test_that("hand-checked cases: two levels, constant series, minimum length", {
  ph <- detect_phases(c(0, 0, 0, 10, 10, 10), penalty = "manual", pen_value = 1,
                      minseglen = 1, standardize = FALSE)
  expect_identical(ph$changepoints, 3L)
  expect_equal(ph$objective, 1)
  expect_equal(ph$segments$mean, c(0, 10))
  expect_equal(ph$segments$sd, c(0, 0))
  expect_identical(ph$segments$n, c(3L, 3L))
  # constant series: no change under any penalty
  for (cost in c("mean", "meanvar")) {
    expect_length(quiet_ties(detect_phases(rep(2, 12), cost = cost))$changepoints, 0)
  }
  # length exactly 2 * minseglen
  ph <- detect_phases(c(0, 0, 9, 9), minseglen = 2, penalty = "manual", pen_value = 0.5,
                      standardize = FALSE)
  expect_identical(ph$changepoints, 2L)
  expect_identical(detect_phases(c(1, 2), minseglen = 1, penalty = "manual",
                                 pen_value = 100)$changepoints, integer())
})

test_that("change points are reported on the time scale, with Dates too", {
  x <- c(rep(0, 10), rep(5, 10))
  ph <- detect_phases(x, time = 1951:1970, penalty = "BIC", standardize = FALSE)
  expect_identical(ph$changepoints, 1960L)
  expect_identical(ph$segments$start, c(1951L, 1961L))
  expect_identical(ph$segments$end, c(1960L, 1970L))
  d <- seq(as.Date("2000-01-01"), by = "month", length.out = 20)
  ph <- detect_phases(x, time = d, penalty = "BIC", standardize = FALSE)
  expect_identical(ph$changepoints, d[10])
  expect_s3_class(ph, "tb_phases")
  expect_output(print(ph), "1 change point")
  grDevices::pdf(NULL); on.exit(grDevices::dev.off())
  expect_invisible(plot(ph))
})

test_that("standardize rescales so the unit-variance cost fits any scale", {
  set.seed(3)
  x <- c(rnorm(50, 0, 1), rnorm(50, 3, 1))
  a <- detect_phases(x, penalty = "BIC")
  b <- detect_phases(1000 * x, penalty = "BIC")
  expect_identical(a$changepoints, b$changepoints)
  expect_equal(b$scale / a$scale, 1000)
  expect_equal(detect_phases(x, penalty = "BIC", noise = "iid")$scale,
               stats::mad(diff(x)) / sqrt(2))
  # the AR(1) scale of white noise with one shift stays near the iid one
  expect_lt(a$scale / (stats::mad(diff(x)) / sqrt(2)), 1.5)
  # unstandardised, the scaled series breaks into many segments
  expect_gt(length(detect_phases(1000 * x, penalty = "BIC", standardize = FALSE)$changepoints),
            length(b$changepoints))
  # meanvar: standardising does not move the change points
  y <- c(rnorm(60, 0, 1), rnorm(60, 0, 4))
  expect_identical(detect_phases(y, cost = "meanvar", penalty = "BIC")$changepoints,
                   detect_phases(y, cost = "meanvar", penalty = "BIC",
                                 standardize = FALSE)$changepoints)
  expect_identical(threatbalance:::tb_robust_scale(rep(3, 5)), 1)
})

test_that("change points are invariant to shifting and scaling the series", {
  set.seed(11)
  for (k in 1:5) {
    x <- c(rnorm(30), rnorm(25, 2.5), rnorm(30, -1))
    ref <- detect_phases(x)$changepoints
    for (cost in c("mean", "meanvar")) {
      ref <- detect_phases(x, cost = cost)$changepoints
      expect_identical(detect_phases(x + 1e9, cost = cost)$changepoints, ref)
      expect_identical(detect_phases(x - 1e12, cost = cost)$changepoints, ref)
      expect_identical(detect_phases(x * 1e300, cost = cost)$changepoints, ref)
      expect_identical(detect_phases(x * 1e-300, cost = cost)$changepoints, ref)
      expect_identical(detect_phases(1e6 + 1e-3 * x, cost = cost)$changepoints, ref)
    }
  }
})

test_that("long series, whose scratch comes from 2 MB-page slabs, give their planted changes", {
  # from 65,536 points the search's large blocks are carved from slabs
  # (memory.c, Linux); an overlap or a bad offset would garble F and last
  set.seed(14)
  n <- 70000L
  cuts <- seq(5000L, 65000L, by = 5000L)
  len <- diff(c(0L, cuts, n))
  mu <- rep(rep(c(0, 6), length.out = length(len)), len)
  sdv <- rep(rep(c(1, 3, 0.5), length.out = length(len)), len)
  e <- stats::rnorm(n)
  for (cost in c("mean", "meanvar")) {
    ms <- if (cost == "mean") 1L else 2L
    x <- mu + if (cost == "mean") e else sdv * e    # the mean cost has unit variance
    ph <- detect_phases(x, cost = cost, minseglen = ms, standardize = FALSE)
    expect_identical(ph$index, cuts)
    ref <- ref_phase_objective(x, ph$index, cost, ph$pen_value, mbic = TRUE)
    expect_equal(ph$objective, ref, tolerance = 1e-9)
    if (requireNamespace("changepoint", quietly = TRUE)) {
      f <- if (cost == "mean") changepoint::cpt.mean else changepoint::cpt.meanvar
      theirs <- as.integer(changepoint::cpts(f(x, method = "PELT", penalty = "MBIC",
                                               minseglen = ms)))
      expect_lte(ph$objective,
                 ref_phase_objective(x, theirs, cost, ph$pen_value, mbic = TRUE) + 1e-6)
    }
  }
})

test_that("a long series without a change costs the mean cost under a manual penalty no more than one with changes", {
  # without MBIC the mean cost used to let its candidates sleep in cones,
  # which in a long segment without a change broke and regrouped them all
  # again and again: 2e5 points of noise took 0.5 s with pen 25, 4e5 points
  # 12.8 s (a change every 1,000 points: 0.03 s); the functional test keeps
  # few candidates awake (a timing ratio in one process, not a bare time)
  skip_on_cran()
  set.seed(15)
  n <- 200000L
  flat <- stats::rnorm(n)
  steps <- flat + rep(stats::runif(n / 1000, -3, 3), each = 1000)
  run <- function(x) {
    detect_phases(x, penalty = "manual", pen_value = 25, minseglen = 1,
                  standardize = FALSE)
  }
  run(steps)
  t_steps <- min(replicate(3, system.time(run(steps))[["elapsed"]]))
  t_flat <- min(replicate(3, system.time(run(flat))[["elapsed"]]))
  ph <- run(flat)
  expect_length(ph$changepoints, 0L)
  expect_equal(ph$objective, ref_phase_objective(flat, integer(0), "mean", 25), tolerance = 1e-9)
  expect_lt(t_flat, 6 * t_steps + 0.05)
})

test_that("phase_summary() places decimal-year and Date times in whole-year phases", {
  ph <- data.frame(start = c(1999, 2000), end = c(1999, 2000))
  s <- phase_summary(1:24, 1999 + (0:23) / 12, ph)
  expect_identical(s$n, c(12L, 12L))
  d <- seq(as.Date("1999-01-15"), by = "month", length.out = 24)
  expect_identical(phase_summary(1:24, d, ph)$n, c(12L, 12L))
  expect_identical(phase_summary(1:2, c(1999, 2000), ph)$n, c(1L, 1L))
  # a fractional end is exact
  ph2 <- data.frame(start = 1999, end = 1999.5)
  expect_identical(phase_summary(1:24, 1999 + (0:23) / 12, ph2)$n, 7L)
})

test_that("the AR(1) noise scale: white noise unchanged, drift not cut into pieces", {
  set.seed(5)
  n_cp <- function(gen, noise) mean(replicate(40, length(detect_phases(gen(), noise = noise)$changepoints)))
  rw <- function() cumsum(rnorm(74))
  expect_lt(n_cp(rw, "ar1"), 1.5)
  expect_gt(n_cp(rw, "iid"), 4)
  expect_lt(n_cp(function() rnorm(74), "ar1"), 0.2)
  # a straight line or constant differences: no change points
  expect_length(detect_phases(1:50 + 0)$changepoints, 0L)
  expect_identical(threatbalance:::tb_noise_rho(rep(1, 10)), 0.9)
  expect_error(detect_phases(1:10, noise = "pink"), class = "threatbalance_error_input")
})

test_that("identical to changepoint::cpt.mean PELT under manual and BIC penalties", {
  skip_if_not_installed("changepoint")
  set.seed(2024)
  same <- 0L; tot <- 0L
  for (it in 1:150) {
    n <- sample(c(4:20, 100, 500), 1)
    x <- random_series(n)
    if (it %% 10 == 0) x <- round(x)
    pv <- stats::runif(1, 0, 10)
    ours <- detect_phases(x, penalty = "manual", pen_value = pv, minseglen = 1,
                          standardize = FALSE)$index
    theirs <- changepoint::cpts(changepoint::cpt.mean(x, method = "PELT", penalty = "Manual",
                                                      pen.value = pv, minseglen = 1))
    expect_identical(ours, as.integer(theirs))
    ours <- detect_phases(x, penalty = "BIC", minseglen = 1, standardize = FALSE)
    theirs <- changepoint::cpt.mean(x, method = "PELT", penalty = "BIC", minseglen = 1)
    expect_identical(ours$index, as.integer(changepoint::cpts(theirs)))
    expect_equal(ours$pen_value, changepoint::pen.value(theirs))
  }
})

test_that("mean-variance and minseglen > 1: never worse than changepoint, usually identical", {
  skip_if_not_installed("changepoint")
  set.seed(77)
  obj <- ref_phase_objective
  same <- 0L; tot <- 0L
  for (it in 1:120) {
    n <- sample(c(6:30, 200), 1)
    x <- random_series(n)
    pv <- if (it %% 2) 3 * log(n) else stats::runif(1, 0, 10)
    cost <- if (it %% 3) "meanvar" else "mean"
    ours <- detect_phases(x, cost = cost, penalty = "manual", pen_value = pv,
                          minseglen = 2, standardize = FALSE)
    f <- if (cost == "meanvar") changepoint::cpt.meanvar else changepoint::cpt.mean
    theirs <- as.integer(changepoint::cpts(f(x, method = "PELT", penalty = "Manual",
                                             pen.value = pv, minseglen = 2)))
    o_theirs <- obj(x, theirs, cost, pv)
    expect_lte(ours$objective, o_theirs + 1e-8 * abs(o_theirs))
    tot <- tot + 1L
    if (identical(ours$index, theirs)) same <- same + 1L
    else expect_lt(ours$objective, o_theirs)  # differ only where changepoint is suboptimal
  }
  expect_gt(same / tot, 0.6)
})

test_that("MBIC: exact optimum, never above changepoint's own objective", {
  skip_if_not_installed("changepoint")
  set.seed(5)
  obj <- ref_phase_objective
  for (it in 1:80) {
    n <- sample(c(10:40, 300), 1)
    x <- random_series(n)
    ours <- detect_phases(x, penalty = "MBIC", minseglen = 1, standardize = FALSE)
    theirs <- as.integer(changepoint::cpts(changepoint::cpt.mean(x, method = "PELT",
                                                                 penalty = "MBIC")))
    o_theirs <- obj(x, theirs, "mean", ours$pen_value, mbic = TRUE)
    expect_lte(ours$objective, o_theirs + 1e-8 * abs(o_theirs))
  }
})

# Brute force for long series, vectorised over the candidates at each t
# (O(n^2) arithmetic in n R-level steps), with op_reference()'s costs.
op_reference_long <- function(x, cost, pen, mbic, m) {
  n <- length(x)
  S1 <- c(0, cumsum(x)); S2 <- c(0, cumsum(x^2))
  F <- c(-pen, rep(Inf, n)); last <- integer(n + 1)
  for (t in m:n) {
    ss <- c(0, if (t - m >= m) m:(t - m))
    l <- t - ss; a <- S1[t + 1] - S1[ss + 1]; b <- S2[t + 1] - S2[ss + 1]
    c1 <- if (cost == "mean") b - a^2 / l else {
      v <- (b - a^2 / l) / l
      v[v <= 0] <- 1e-11
      l * (log(2 * pi) + log(v) + 1)
    }
    val <- F[ss + 1] + (c1 + if (mbic) log(l) else 0) + pen
    F[t + 1] <- min(val); last[t + 1] <- ss[which.min(val)]
  }
  cp <- integer(); t <- last[n + 1]
  while (t > 0) { cp <- c(t, cp); t <- last[t + 1] }
  list(cpts = cp, objective = F[n + 1])
}

# ph (detect_phases() on x with standardize = FALSE) has the brute-force
# optimum's objective and change points, on x as the search sees it
expect_brute_force <- function(ph, x, cost, pen, mbic, m, info = NULL) {
  ref <- op_reference_long(x - threatbalance:::tb_phase_centre(x), cost, pen, mbic, m)
  expect_equal(ph$objective, ref$objective, tolerance = 1e-12, info = info)
  expect_identical(ph$index, as.integer(ref$cpts), info = info)
}

test_that("long segments: candidates asleep in cones leave the exact optimum unchanged", {
  # the C code sees x less its centre; so does the reference, so that values
  # agree to the last bit and ties go the same way
  set.seed(77)
  pens <- c("MBIC", "BIC", "manual", "AIC")
  for (it in 1:16) {
    cost <- if (it %% 2) "mean" else "meanvar"
    m <- if (cost == "mean") sample(1:3, 1) else sample(2:3, 1)
    n <- sample(1200:2500, 1)
    k <- sample(0:5, 1)
    cuts <- sort(sample.int(n - 1L, k))
    len <- diff(c(0L, cuts, n))
    sdv <- if (cost == "meanvar") rep(exp(stats::rnorm(k + 1, sd = 0.7)), len) else 1
    x <- rep(stats::rnorm(k + 1, sd = 3), len) + stats::rnorm(n) * sdv
    if (it %% 5 == 0) x <- x + seq_len(n) / n * 20            # a trend breaks cones
    if (it %% 7 == 0) x <- round(2 * x) / 2                    # ties
    penalty <- pens[(it - 1) %% 4 + 1]
    ph <- quiet_ties(detect_phases(x, cost = cost, penalty = penalty,
                                   pen_value = if (penalty == "manual") 40 else NULL,
                                   minseglen = m, standardize = FALSE))
    expect_brute_force(ph, x, cost, ph$pen_value, penalty == "MBIC", m)
  }
})

test_that("meanvar cones: variance bounds per block and reverse cones leave the optimum unchanged", {
  skip_on_cran()   # brute force on six series of 1,100-2,400 points: about 3 s
  # Series on which a weaker bound gives a worse objective: the deviation of
  # the per-block sums of squares cut to 0.3 of its value (seeds 161, 210,
  # 238), or the reverse-cone ratio tripled (159, 219, 274).
  gen <- function(seed) {
    set.seed(seed)
    n <- sample(1000:4000, 1); k <- sample(0:6, 1)
    len <- diff(c(0L, sort(sample.int(n - 1L, k)), n))
    sdv <- rep(exp(stats::rnorm(k + 1, sd = 0.7)), len)
    x <- rep(stats::rnorm(k + 1, sd = 3), len) + stats::rnorm(n) * sdv
    if (seed %% 5 == 0) x <- x + seq_len(n) / n * 20
    if (seed %% 7 == 0) x <- round(2 * x) / 2
    list(x = x, m = sample(2:3, 1), mbic = seed %% 2 == 0,
         pen = if (seed %% 2 == 0) NULL else sample(c(10, 25, 40), 1))
  }
  for (seed in c(161, 210, 238, 159, 219, 274)) {
    g <- gen(seed)
    ph <- quiet_ties(detect_phases(g$x, cost = "meanvar",
                                   penalty = if (g$mbic) "MBIC" else "manual",
                                   pen_value = g$pen, minseglen = g$m, standardize = FALSE))
    expect_brute_force(ph, g$x, "meanvar", ph$pen_value, g$mbic, g$m)
  }
})

test_that("meanvar groups: a segment's sleepers checked together leave the optimum unchanged", {
  skip_on_cran()   # brute force on seven series of 3,000-10,000 points: about 12 s
  # Long segments, where the candidates of a segment sleep in one group
  # whose cone is that of t0 - 16 (group_form_var()), and the young in a
  # group checked at every T (group_form_young()). Series on which a weaker
  # group gives a worse objective: the group's bound tripled (seeds 6, 48,
  # 237; 48 under a manual penalty), or the MBIC bracket left out of h_s
  # (seeds 1248, 1279; of the young group's, 1071, 1192: 10,000 points,
  # changes in mean and variance).
  gen <- function(seed) {
    set.seed(seed)
    if (seed > 1000) {
      set.seed(seed - 1000)
      n <- 10000L; k <- sample(c(5, 20, 50), 1)
      len <- diff(c(0L, sort(sample.int(n - 1L, k)), n))
      mu <- cumsum(c(0, stats::rnorm(k, 0, sample(c(0.3, 0.6, 1.5), 1))))
      sdv <- exp(cumsum(c(0, stats::rnorm(k, 0, 0.2))))
      return(list(x = rep(mu, len) + stats::rnorm(n) * rep(sdv, len), m = sample(2:4, 1),
                  mbic = TRUE, pen = NULL))
    }
    n <- sample(2000:5000, 1); k <- sample(c(1, 3, 8, 20), 1)
    len <- diff(c(0L, sort(sample.int(n - 1L, k)), n))
    sdv <- rep(exp(stats::rnorm(k + 1, sd = 0.4)), len)
    x <- rep(stats::rnorm(k + 1, sd = sample(c(0.5, 1, 3), 1)), len) + stats::rnorm(n) * sdv
    if (seed %% 3 == 0) x <- x + sin(seq_len(n) / n * 8)
    list(x = x, m = sample(2:4, 1), mbic = seed %% 4 != 0, pen = if (seed %% 4 == 0) 25 else NULL)
  }
  for (seed in c(6, 48, 237, 1248, 1279, 1071, 1192)) {
    g <- gen(seed)
    ph <- detect_phases(g$x, cost = "meanvar", penalty = if (g$mbic) "MBIC" else "manual",
                        pen_value = g$pen, minseglen = g$m, standardize = FALSE)
    expect_brute_force(ph, g$x, "meanvar", ph$pen_value, g$mbic, g$m, info = seed)
  }
})

test_that("meanvar young groups: members woken against the optimum and the retired group leave it unchanged", {
  skip_on_cran()   # brute force on three series of 3,000 points
  # After a change, the members of the young group sleep while their bound
  # exceeds the optimum found among the awake (young_after()), and those
  # before the new tau sleep on in the retired group. Seeds on which a
  # weaker rule gives a worse objective: the surplus V_r(T) - best counted
  # 1.5 times (178, 10), or the woken not evaluated at T (178, 253).
  gen <- function(seed, n = 3000L) {
    set.seed(seed)
    nch <- sample(c(1, 5, 20, 100), 1); nch <- min(nch, n %/% 20)
    len <- diff(c(0L, sort(sample.int(n - 1L, nch)), n))
    mu <- cumsum(c(0, stats::rnorm(nch, 0, sample(c(0, 0.3, 0.6, 1.5, 3), 1))))
    sdv <- exp(pmin(3, pmax(-3, cumsum(c(0, stats::rnorm(nch, 0, sample(c(0, 0.2, 0.5, 1), 1)))))))
    x <- rep(mu, len) + stats::rnorm(n) * rep(sdv, len)
    kind <- seed %% 6
    if (kind == 1) x <- round(x * 4) / 4
    if (kind == 2) x <- x + sin(seq_len(n) / n * sample(2:20, 1)) * sample(c(0.5, 2), 1)
    if (kind == 3) x <- x * (1 + seq_len(n) / n)
    if (kind == 4) x[sample(n, max(1, n %/% 200))] <- stats::rnorm(max(1, n %/% 200), 0, 10)
    list(x = x, m = sample(2:5, 1), mbic = stats::runif(1) < 0.6)
  }
  quiet <- function(w) invokeRestart("muffleWarning")
  for (seed in c(178, 10, 253)) {
    g <- gen(seed)
    # 253 is rounded to quarters: ties, and a segment near the rounding
    ph <- withCallingHandlers(
      detect_phases(g$x, cost = "meanvar", penalty = if (g$mbic) "MBIC" else "manual",
                    pen_value = if (g$mbic) NULL else 25, minseglen = g$m, standardize = FALSE),
      threatbalance_warning_ties = quiet, threatbalance_warning_precision = quiet)
    expect_brute_force(ph, g$x, "meanvar", ph$pen_value, g$mbic, g$m, info = seed)
  }
})

test_that("sleepers in groups: drift, outliers, small jumps and minseglen > 1 leave the optimum unchanged", {
  # long segments, where the candidates of a segment sleep together (mean
  # cost, MBIC or pen >= 8); each kind of series makes groups wake early
  set.seed(2027)
  kinds <- c("small jumps", "slow drift", "outliers", "steps", "ties", "offset",
             rep("many changes", 3))
  for (it in seq_along(kinds)) {
    n <- sample(3000:4500, 1)
    k <- if (kinds[it] == "many changes") 40L else sample(8:16, 1)
    len <- diff(c(0L, sort(sample.int(n - 1L, k)), n))
    x <- switch(kinds[it],
      "small jumps" = rep(cumsum(stats::rnorm(k + 1, sd = 0.6)), len) + stats::rnorm(n),
      "many changes" = rep(cumsum(stats::rnorm(k + 1)), len) + stats::rnorm(n),
      "slow drift" = 3 * sin(seq_len(n) / n * 7) + stats::rnorm(n),
      "outliers" = rep(stats::rnorm(k + 1, sd = 3), len) + stats::rt(n, df = 2),
      "steps" = rep(stats::rnorm(k + 1, sd = 3), len) + stats::rnorm(n),
      "ties" = round(rep(stats::rnorm(k + 1, sd = 3), len) + stats::rnorm(n)),
      "offset" = 1e6 + 1e3 * (rep(stats::rnorm(k + 1, sd = 2), len) + stats::rnorm(n)))
    x <- x / stats::sd(diff(x)) * sqrt(2)
    for (m in c(1L, 3L)) for (penalty in c("MBIC", "manual")) {
      ph <- detect_phases(x, penalty = penalty, pen_value = if (penalty == "manual") 12 else NULL,
                          minseglen = m, standardize = FALSE)
      expect_brute_force(ph, x, "mean", ph$pen_value, penalty == "MBIC", m, info = kinds[it])
    }
  }
  # past the first 1,024 entries of the growing lists: ties everywhere keep
  # all 3,000 candidates active; a group of 6,000 regroups at a change
  set.seed(1)
  long <- c(stats::rnorm(6000), stats::rnorm(300) + 1)
  for (case in list(list(rep(c(0, 0.5), 1500), 0.25, 1:2), list(long, 12, 1L))) {
    x <- case[[1]]
    for (m in case[[3]]) {
      ph <- detect_phases(x, penalty = "manual", pen_value = case[[2]], minseglen = m,
                          standardize = FALSE)
      expect_brute_force(ph, x, "mean", case[[2]], FALSE, m)
    }
  }
})

test_that("functional pruning (mean, MBIC) keeps the brute-force optimum", {
  # prune_kill() drops a candidate once the later last change t and the
  # optimum tau cover every mean it could end with; segments of 20 to 3,000
  # points, jumps down to 0.3 sd (where the intervals are widest), ties,
  # drift and minseglen 1-3
  set.seed(4242)
  for (it in 1:8) {
    n <- sample(1500:3000, 1)
    k <- c(1L, 3L, 15L, 40L, 80L, 8L, 20L, 60L)[it]
    len <- diff(c(0L, sort(sample.int(n - 1L, k)), n))
    x <- rep(cumsum(stats::rnorm(k + 1, sd = c(0.3, 3, 1, 0.5, 2, 0.3, 1, 0.6)[it])), len) +
      stats::rnorm(n)
    if (it %in% c(3, 7)) x <- round(2 * x) / 2
    if (it == 8) x <- x + seq_len(n) / n * 4
    m <- 1L + it %% 3L
    ph <- detect_phases(x, penalty = "MBIC", minseglen = m, standardize = FALSE)
    expect_brute_force(ph, x, "mean", ph$pen_value, TRUE, m, info = it)
  }
})

test_that("candidates left uncomputed by their keys (mean, MBIC) never hide the optimum", {
  # values_mean_lazy() computes an earlier candidate only while its key (its
  # last value, less rounding) is at most the value of last[t - 1]: noise
  # with sd 0.05 keeps candidates uncomputed for thousands of points; with
  # sd 3 to 10, rounded or in plateaus of 7 equal values, values grow fast
  # and near-ties cross often (keys overstated by 5 changed the optimum in 5
  # of these 8 series)
  set.seed(9090)
  for (it in 1:8) {
    n <- c(1500, 2500, 1000, 2000, 1000, 2000, 1000, 1500)[it]
    m <- c(1L, 2L, 2L, 1L, 3L, 2L, 1L, 3L)[it]
    x <- if (it <= 2) {
      k <- c(3L, 10L)[it]
      len <- diff(c(0L, sort(sample.int(n - 1L, k)), n))
      rep(cumsum(c(0, stats::rnorm(k, 0, 0.15))), len) + stats::rnorm(n, 0, 0.05)
    } else if (it <= 5) {
      round(stats::rnorm(n) * c(3, 3, 10)[it - 2])
    } else {
      rep(stats::rnorm(ceiling(n / 7)), each = 7)[seq_len(n)] * c(1, 3.3, 3.3)[it - 5]
    }
    ph <- detect_phases(x, penalty = "MBIC", minseglen = m, standardize = FALSE)
    expect_brute_force(ph, x, "mean", ph$pen_value, TRUE, m, info = it)
  }
  # 40 short ones of the same kinds (keys overstated by 0.5 changed the
  # optimum in one of them)
  set.seed(1)
  for (it in 1:40) {
    sc <- c(3, 10)[1 + it %% 2]
    m <- c(1L, 2L, 3L)[1 + (it %/% 2) %% 3]
    x <- if (it %% 2) round(stats::rnorm(800) * sc) else
      rep(stats::rnorm(115), each = 7)[1:800] * sc / 3
    ph <- detect_phases(x, penalty = "MBIC", minseglen = m, standardize = FALSE)
    expect_brute_force(ph, x, "mean", ph$pen_value, TRUE, m, info = it)
  }
})

test_that("functional pruning without MBIC (mean, penalties of 8 or more) keeps the optimum", {
  # the same kinds of series as above (slow noise, rounded values, plateaus),
  # under BIC and manual penalties, against brute force
  set.seed(9191)
  for (it in 1:36) {
    n <- c(600, 900, 1200)[1 + it %% 3]
    m <- c(1L, 2L, 3L)[1 + (it %/% 3) %% 3]
    kind <- 1 + (it %/% 9) %% 4
    x <- switch(kind,
      rep(cumsum(c(0, stats::rnorm(4, 0, 0.15))), diff(c(0L, sort(sample.int(n - 1L, 4)), n))) +
        stats::rnorm(n, 0, 0.05),
      round(stats::rnorm(n) * 3),
      rep(stats::rnorm(ceiling(n / 7)), each = 7)[seq_len(n)] * 3.3,
      stats::rnorm(n) + rep(c(0, 1.5), c(n %/% 2, n - n %/% 2)))
    pen <- c(8, 12, 25, 40)[1 + it %% 4]
    ph <- if (it %% 5 == 0) {
      detect_phases(x, penalty = "BIC", minseglen = m, standardize = FALSE)
    } else {
      detect_phases(x, penalty = "manual", pen_value = pen, minseglen = m, standardize = FALSE)
    }
    expect_brute_force(ph, x, "mean", ph$pen_value, FALSE, m, info = it)
  }
})

test_that("functional pruning with sleepers in long segments (mean, MBIC) keeps the optimum", {
  # in a long segment more than TB_KILL_CROWD candidates stay active; those
  # older than TB_KILL_SLEEP then sleep in groups (cones set up on the way)
  skip_on_cran()   # brute force on six series of 4,000-8,000 points: about 10 s
  set.seed(515)
  for (cfg in list(c(4000, 0, 5, 0), c(6000, 1, 4, 0.5), c(8000, 0, 3, 0), c(5000, 2, 5, 0.5))) {
    n <- cfg[1]; k <- cfg[2]
    len <- diff(c(0L, sort(sample.int(n - 1L, k)), n))
    x <- rep(cumsum(c(0, stats::rnorm(k, 0, 0.5))), len) + stats::rnorm(n)
    if (cfg[4] > 0) x <- round(x / cfg[4]) * cfg[4]
    m <- as.integer(cfg[3])
    ph <- detect_phases(x, penalty = "MBIC", minseglen = m, standardize = FALSE)
    expect_brute_force(ph, x, "mean", ph$pen_value, TRUE, m, info = n)
  }
  # a late small shift and a slow drift break the groups: members wake (58
  # and 259 times here) with the intervals they had when they fell asleep
  n <- 7000
  for (kind in c("late shift", "drift")) {
    x <- if (kind == "late shift") c(stats::rnorm(n - 1500), stats::rnorm(1500, 0.6)) else
      sin(seq_len(n) / n * 6) * 0.8 + stats::rnorm(n)
    ph <- detect_phases(x, penalty = "MBIC", minseglen = 5, standardize = FALSE)
    expect_brute_force(ph, x, "mean", ph$pen_value, TRUE, 5L, info = kind)
  }
  # the same without MBIC (manual penalties, where functional pruning also
  # runs): a long flat segment, then the late shift
  for (pen in c(12, 30)) {
    x <- c(stats::rnorm(n - 1500), stats::rnorm(1500, 0.6))
    ph <- detect_phases(x, penalty = "manual", pen_value = pen, minseglen = 2,
                        standardize = FALSE)
    expect_brute_force(ph, x, "mean", pen, FALSE, 2L, info = pen)
  }
})

test_that("MBIC, both costs at changepoint's minimum lengths: the brute-force optimum, never above changepoint", {
  skip_if_not_installed("changepoint")
  set.seed(31)
  obj <- ref_phase_objective
  better <- 0L
  for (it in 1:60) {
    cost <- if (it %% 2) "mean" else "meanvar"
    m <- if (cost == "mean") 1L else 2L
    n <- sample(c(12:60, 150, 400), 1)
    x <- random_series(n, k = sample(0:5, 1), sd = if (cost == "meanvar") 0.5 else 1)
    if (cost == "meanvar") x <- x * rep(c(1, 3), length.out = n)[ceiling(seq_len(n) / 20)]
    ph <- detect_phases(x, cost = cost, penalty = "MBIC", minseglen = m, standardize = FALSE)
    expect_brute_force(ph, x, cost, ph$pen_value, TRUE, m)
    f <- if (cost == "mean") changepoint::cpt.mean else changepoint::cpt.meanvar
    theirs <- as.integer(changepoint::cpts(f(x, method = "PELT", penalty = "MBIC",
                                             minseglen = m)))
    o_theirs <- obj(x, theirs, cost, ph$pen_value, mbic = TRUE)
    o_ours <- obj(x, ph$index, cost, ph$pen_value, mbic = TRUE)
    expect_lte(o_ours, o_theirs + 1e-9 * abs(o_theirs))
    if (!identical(ph$index, theirs)) {
      expect_lt(o_ours, o_theirs)   # they differ only where changepoint is not optimal
      better <- better + 1L
    }
  }
  expect_lt(better, 30L)
})

test_that("levels far apart against the noise give a classed precision warning", {
  # the cumulative sums round a short segment's variance to 0 (floored at
  # 1e-11): meanvar finds spurious two-point segments, and says so
  set.seed(1)
  lev <- rep(stats::rnorm(6, sd = 2), each = 500)
  expect_warning(ph <- detect_phases(lev + 1e-6 * stats::rnorm(3000), cost = "meanvar"),
                 class = "threatbalance_warning_precision")
  expect_gt(length(ph$index), 20)
  expect_warning(detect_phases(lev + 1e-7 * stats::rnorm(3000)),
                 class = "threatbalance_warning_precision")
  # a thousand times more noise: exact costs, the 5 changes, no warning
  for (cost in c("mean", "meanvar")) {
    expect_no_warning(ph <- detect_phases(lev + 1e-3 * stats::rnorm(3000), cost = cost))
    expect_identical(ph$index, 500L * 1:5)
  }
  # piecewise-constant data (no noise to compare with): no precision warning
  expect_no_warning(detect_phases(rep(c(0, 10, 0), each = 20)))
  expect_no_warning(quiet_ties(detect_phases(rep(c(0, 10, 0), each = 20), cost = "meanvar")))
  # with standardize = FALSE, noise whose variance nears meanvar's floor of
  # 1e-11 warns; standardised, the same series does not
  x <- rep(c(0, 3, 0), each = 100) + stats::rnorm(300)
  expect_warning(detect_phases(x * 3e-6, cost = "meanvar", standardize = FALSE),
                 "floor 1e-11", class = "threatbalance_warning_precision")
  expect_no_warning(ph <- detect_phases(x * 3e-6, cost = "meanvar"))
  expect_identical(ph$index, detect_phases(x, cost = "meanvar")$index)
})

test_that("meanvar warns when a segment found has a sum of squares near the rounding", {
  # a noise level 3e6 times smaller in the middle segment: its sum of
  # squares (3e-8) is within a factor 1000 of the rounding of the
  # cumulative sums (1.3e-10), standardised or not
  set.seed(5)
  x <- c(stats::rnorm(300, 0, 30), 3 + stats::rnorm(300, 0, 1e-5), stats::rnorm(300, 10, 30))
  for (st in c(FALSE, TRUE)) {
    expect_warning(ph <- detect_phases(x, cost = "meanvar", standardize = st),
                   "sum of squares about its mean", class = "threatbalance_warning_precision")
    expect_identical(ph$index, c(300L, 600L))
  }
  # the same levels with ordinary noise: no warning
  x2 <- c(stats::rnorm(300, 0, 30), 3 + stats::rnorm(300, 0, 10), stats::rnorm(300, 10, 30))
  expect_no_warning(detect_phases(x2, cost = "meanvar"))
  # the mean cost does not use the variance
  expect_no_warning(detect_phases(x, cost = "mean"))
})

test_that("meanvar warns about runs of equal values, whose zero variance breaks the costs", {
  # counts: runs of equal values in a row
  set.seed(3)
  x <- stats::rpois(200, rep(c(2, 6), each = 100))
  expect_warning(ph <- detect_phases(x, cost = "meanvar"), "runs? of 2 or more equal values",
                 class = "threatbalance_warning_ties")
  # the mean cost has no variance to break: no warning
  expect_no_warning(detect_phases(x))
  # no run as long as minseglen: no warning
  y <- c(1, 1, 2, 2, 3, 3, 4, 5, 6, 7) + rep(c(0, 10), each = 5)
  expect_no_warning(detect_phases(y, cost = "meanvar", minseglen = 3))
  expect_warning(detect_phases(y, cost = "meanvar", minseglen = 2), "2 runs",
                 class = "threatbalance_warning_ties")
  # the counts (from the C code) against rle() in R, on rounded series
  ref <- function(x, m) {
    r <- rle(x[-1L] == x[-length(x)])
    runs <- r$lengths[r$values] + 1L
    c(sum(runs >= m), if (length(runs)) max(runs) else 0L)
  }
  set.seed(11)
  for (i in 1:60) {
    n <- sample(c(4:12, 50, 500), 1); m <- sample(1:4, 1)
    x <- round(stats::rnorm(n) * sample(c(0.5, 2, 8), 1))
    if (i %% 5 == 0) x[n] <- x[n - 1L]          # a run at the end
    if (n < 2 * m) next
    r <- .Call(threatbalance:::C_ffi_pelt, as.double(x), 1L, 10, FALSE, as.integer(m), c(0, 1))
    expect_identical(r$ties, as.integer(ref(x, m)), info = paste(i, n, m))
  }
})

test_that("bad input gives classed errors naming the argument", {
  err <- "threatbalance_error_input"
  expect_error(detect_phases(1:3), "2 \\* `minseglen`", class = err)
  expect_error(detect_phases(numeric()), class = err)
  expect_error(detect_phases(5, minseglen = 1), class = err)
  expect_error(detect_phases(c(1, NA, 3, 4, 5)), "`x`", class = err)
  expect_error(detect_phases(rep(NA_real_, 6)), "`x`", class = err)
  expect_error(detect_phases(c(1, Inf, 3, 4)), "`x`", class = err)
  expect_error(detect_phases(c(1, -Inf, Inf, 4)), "-Inf at position 2", class = err)
  # finite values whose sum overflows pass the finiteness check
  expect_identical(threatbalance:::tb_check_numeric(c(1e308, 1e308, 1), "x", finite = TRUE),
                   c(1e308, 1e308, 1))
  expect_error(threatbalance:::tb_check_numeric(c(1e308, 1e308, Inf), "x", finite = TRUE),
               "Inf at position 3", class = err)
  expect_error(detect_phases(letters[1:6]), "`x`", class = err)
  expect_error(detect_phases(1:6, time = c(1, 2, 3, 5, 4, 6)), "sorted", class = err)
  expect_error(detect_phases(1:6, time = c(1, 2, 2, 3, 4, 5)), "duplicates", class = err)
  expect_error(detect_phases(1:6, time = 1:5), "`time`", class = err)
  expect_error(detect_phases(1:6, time = c(1:5, NA)), "`time`", class = err)
  expect_error(detect_phases(1:6, penalty = "manual"), "`pen_value`", class = err)
  expect_error(detect_phases(1:6, penalty = "manual", pen_value = -1), "`pen_value`", class = err)
  expect_error(detect_phases(1:6, penalty = "manual", pen_value = NA), "`pen_value`", class = err)
  expect_error(detect_phases(1:6, penalty = "manual", pen_value = c(1, 2)), "`pen_value`",
               class = err)
  expect_error(detect_phases(1:6, pen_value = 3), "`pen_value`", class = err)
  expect_error(detect_phases(1:6, penalty = "SIC"), "`penalty`", class = err)
  expect_error(detect_phases(1:6, cost = "var"), "`cost`", class = err)
  expect_error(detect_phases(1:6, minseglen = 0), "`minseglen`", class = err)
  expect_error(detect_phases(1:6, minseglen = 1.5), "`minseglen`", class = err)
  expect_error(detect_phases(1:6, cost = "meanvar", minseglen = 1), "`minseglen`", class = err)
  expect_error(detect_phases(1:6, standardize = NA), "`standardize`", class = err)
})

test_that("the C routine rejects malformed calls without crashing", {
  pelt <- function(..., shift = c(0, 1)) .Call(threatbalance:::C_ffi_pelt, ..., shift)
  expect_error(pelt(1:6, 1L, 1, FALSE, 1L), "ffi_pelt")
  expect_error(pelt(as.double(1:6), 3L, 1, FALSE, 1L), "ffi_pelt")
  expect_error(pelt(as.double(1:3), 1L, 1, FALSE, 2L), "ffi_pelt")
  expect_error(pelt(as.double(1:6), 1L, -1, FALSE, 1L), "ffi_pelt")
  expect_error(pelt(c(1, NA, 3, 4), 1L, 1, FALSE, 1L), "ffi_pelt")
  expect_error(pelt(as.double(1:6), 1L, c(1, 2), FALSE, 1L), "ffi_pelt")
  expect_error(pelt(as.double(1:6), 1L, 1, NA, 1L), "ffi_pelt")
  expect_error(pelt(as.double(1:6), 1L, 1, FALSE, NA_integer_), "ffi_pelt")
  # the centre and scale: two finite numbers, the scale positive; the
  # shifted series finite
  expect_error(pelt(as.double(1:6), 1L, 1, FALSE, 1L, shift = 0), "ffi_pelt")
  expect_error(pelt(as.double(1:6), 1L, 1, FALSE, 1L, shift = c(0, 0)), "ffi_pelt")
  expect_error(pelt(as.double(1:6), 1L, 1, FALSE, 1L, shift = c(NA, 1)), "ffi_pelt")
  expect_error(pelt(c(1e308, -1e308, 1, 2), 1L, 1, FALSE, 1L, shift = c(0, 1e-10)), "ffi_pelt")
  # the search on (x - centre) / scale is the search on that copy
  x <- c(stats::rnorm(50), stats::rnorm(50, 3)) * 7 + 100
  a <- pelt(x, 1L, 10, TRUE, 2L, shift = c(100, 7))
  b <- pelt((x - 100) / 7, 1L, 10, TRUE, 2L)
  keep <- c("cpts", "objective", "mean", "sd", "sumsq")   # ties: of x itself
  expect_identical(a[keep], b[keep])
  expect_equal(a$sumsq, sum(((x - 100) / 7)^2))
})

test_that("the C sample statistics equal their R references", {
  # ffi_phase_sample() computes detect_phases()'s centre (tb_phase_centre())
  # and the noise statistic of tb_check_precision() (the lower median of
  # squared differences of about 1,000 pairs)
  sample_ref <- function(x) {
    c(threatbalance:::tb_phase_centre(x),
      if (length(x) >= 2L) threatbalance:::tb_phase_dvar(x) else NA)
  }
  set.seed(41)
  sizes <- c(1:20, 999:1003, 2001:2004, 3002, 3003, 4004, 1e4, 123457)
  for (n in sizes) for (kind in 1:4) {
    x <- switch(kind,
                stats::rnorm(n),
                round(stats::rnorm(n) * 2),              # many ties
                rep(c(5, -5, 0), length.out = n) + 1e9,  # few distinct values
                sort(stats::runif(n)) * 1e-300)          # sorted, tiny
    got <- .Call(threatbalance:::C_ffi_phase_sample, x, TRUE)
    expect_identical(got, c(sample_ref(x), 1), info = sprintf("n = %d, kind %d", n, kind))
    expect_identical(.Call(threatbalance:::C_ffi_phase_sample, x, FALSE),
                     c(sample_ref(x)[1L], NA, 1), info = sprintf("n = %d, kind %d", n, kind))
  }
  # the finiteness flag: 0 for NA, NaN, Inf or -Inf anywhere (the pass
  # goes in chunks of 2^22 points)
  for (bad in c(NA, NaN, Inf, -Inf)) for (at in c(1, 777, 2^22, 2^22 + 1, 5e6)) {
    x <- numeric(5e6)
    x[at] <- bad
    expect_identical(.Call(threatbalance:::C_ffi_phase_sample, x, FALSE)[3L], 0,
                     info = sprintf("%s at %d", bad, at))
  }
  expect_identical(.Call(threatbalance:::C_ffi_phase_sample, c(-.Machine$double.xmax,
                                                                .Machine$double.xmax), FALSE)[3L], 1)
  # detect_phases() turns it into the classed error, with the position
  err <- "threatbalance_error"
  expect_error(detect_phases(c(1, 2, NA, 4, 5, 6)), "position 3", class = err)
  expect_error(detect_phases(c(1, 2, 3, 4, Inf, 6)), "position 5", class = err)
  expect_error(detect_phases(c(1, 2, 3, 4, 5, -Inf), cost = "meanvar"), "position 6",
               class = err)
  # malformed calls fail cleanly; NaN and NA give a number or NaN, never a hang
  smp <- function(...) .Call(threatbalance:::C_ffi_phase_sample, ...)
  expect_error(smp(1:6, TRUE), "ffi_phase_sample")
  expect_error(smp(numeric(), TRUE), "ffi_phase_sample")
  expect_error(smp(as.double(1:6), NA), "ffi_phase_sample")
  expect_error(smp(as.double(1:6), c(TRUE, FALSE)), "ffi_phase_sample")
  expect_length(smp(c(NaN, 1, NA, 2, rep(NaN, 40)), TRUE), 3L)
  expect_length(smp(rep(NA_real_, 5000), TRUE), 3L)
})

test_that("compare_phases matches one-to-one within the tolerance", {
  cmp <- compare_phases(c(1971, 1990, 2010), c(1972, 1989, 2002), tolerance = 2)
  expect_identical(cmp$matches$hit, c(TRUE, TRUE, FALSE))
  expect_equal(cmp$matches$detected, c(1971, 1990, NA))
  expect_equal(cmp$matches$distance, c(1, 1, NA))
  expect_equal(cmp$precision, 2 / 3)
  expect_equal(cmp$recall, 2 / 3)
  # one detected point cannot serve two boundaries; the closer one wins
  cmp <- compare_phases(1980, c(1979, 1981.5), tolerance = 2)
  expect_identical(cmp$matches$hit, c(TRUE, FALSE))
  expect_equal(cmp$precision, 1)
  expect_equal(cmp$recall, 0.5)
  # a tb_phases object and a phases-shaped data frame with Dates
  ph <- detect_phases(c(rep(0, 10), rep(5, 10)), time = 1963:1982, penalty = "BIC",
                      standardize = FALSE)
  ref <- data.frame(relationship = "a", phase = 1:2, label = c("one", "two"),
                    start = as.Date(c("1960-01-01", "1973-01-01")),
                    end = as.Date(c("1973-01-01", "1990-12-31")))
  cmp <- compare_phases(ph, ref)
  expect_equal(cmp$matches$boundary, 1973)
  expect_identical(cmp$matches$label, "one")
  expect_true(cmp$matches$hit)
  expect_equal(compare_phases(ph, data.frame(start = c(1960, 1980), end = c(1980, 1990)),
                              tolerance = 0.5)$recall, 0)
  # nothing detected / nothing to find
  expect_true(is.na(compare_phases(numeric(), 1972)$precision))
  expect_equal(compare_phases(numeric(), 1972)$recall, 0)
  expect_true(is.na(compare_phases(1972, numeric())$recall))
  err <- "threatbalance_error_input"
  expect_error(compare_phases(1972, rbind(ref, transform(ref, relationship = "b"))),
               "one relationship", class = err)
  expect_error(compare_phases(1972, 1972, tolerance = -1), "`tolerance`", class = err)
  expect_error(compare_phases(1972, data.frame(from = 1)), "`reference`", class = err)
  expect_error(compare_phases("1972", 1972), "`detected`", class = err)
  expect_error(compare_phases(NA_real_, 1972), "`detected`", class = err)
  expect_error(compare_phases(1972, 1972, span = 1990), "`span`", class = err)
  expect_error(compare_phases(1972, 1972, span = c(NA, 1)), "`span`", class = err)
})

test_that("compare_phases leaves boundaries a series cannot show out of recall", {
  # a series of 1971-2019 cannot show 1972 (one point before it) nor 2025
  set.seed(3)
  x <- c(rnorm(19), rnorm(30, 4))
  ph <- detect_phases(x, time = 1971:2019, penalty = "BIC", minseglen = 3)
  cmp <- compare_phases(ph, c(1972, 1989, 2025))
  expect_identical(cmp$matches$testable, c(FALSE, TRUE, FALSE))
  expect_equal(cmp$span, c(1971, 2019))
  expect_equal(cmp$recall, sum(cmp$matches$hit[2]) / 1)
  # a plain vector has no span unless given
  v <- compare_phases(1989, c(1972, 1989, 2025))
  expect_equal(v$recall, 1 / 3)
  v <- compare_phases(1989, c(1972, 1989, 2025), span = c(1971, 2019))
  expect_identical(v$matches$testable, c(TRUE, TRUE, FALSE))
  expect_equal(v$recall, 1 / 2)
})

test_that("phase_summary agrees with lm() and handles shared boundaries", {
  set.seed(9)
  time <- 1950:2020
  x <- rnorm(length(time)) + (time > 1972) * 2 + (time > 1989) * (time - 1989) / 10
  ph <- data.frame(phase = 1:3, label = c("a", "b", "c"),
                   start = c(1950, 1972, 1989), end = c(1972, 1989, 2020))
  s <- phase_summary(x, time, ph)
  expect_identical(s$n, c(22L, 17L, 32L))   # 1972 and 1989 go to the later phase
  grp <- list(1950:1971, 1972:1988, 1989:2020)
  for (j in 1:3) {
    i <- match(grp[[j]], time)
    expect_equal(s$mean[j], mean(x[i]))
    expect_equal(s$sd[j], sd(x[i]))
    expect_equal(s$trend[j], unname(coef(lm(x[i] ~ time[i]))[2]))
  }
  expect_equal(s$diff_prev, c(NA, diff(s$mean)))
  # Dates for phases and for time; tb_phases input
  phd <- transform(ph, start = as.Date(paste0(start, "-01-01")),
                   end = as.Date(paste0(end, "-12-31")))
  expect_equal(phase_summary(x, time, phd)$mean, s$mean)
  d <- as.Date(paste0(time, "-07-01"))
  expect_equal(phase_summary(x, d, ph)$n, s$n)
  det <- detect_phases(x, time = time)
  ps <- phase_summary(x, time, det)
  expect_equal(ps$mean, det$segments$mean)
  expect_equal(sum(ps$n), length(x))
  # NA dropped within a phase; an empty phase gives NA
  x2 <- x; x2[1] <- NA
  expect_equal(phase_summary(x2, time, ph)$n[1], 21L)
  e <- phase_summary(x, time, data.frame(start = 2030, end = 2040))
  expect_identical(e$n, 0L)
  expect_true(is.na(e$mean))
  err <- "threatbalance_error_input"
  expect_error(phase_summary(x, time[-1], ph), "`time`", class = err)
  expect_error(phase_summary(x, time, list(1)), "`phases`", class = err)
  expect_error(phase_summary(x, time, data.frame(start = 2000, end = 1990)), "ends before",
               class = err)
  expect_error(phase_summary(x, time, data.frame(relationship = c("a", "b"),
                                                 start = 1, end = 2)),
               "one relationship", class = err)
})

test_that("the packaged phases work with compare_phases and phase_summary", {
  skip_if_not("phases" %in% utils::data(package = "threatbalance")$results[, "Item"])
  env <- new.env()
  utils::data("phases", package = "threatbalance", envir = env)
  phases <- env$phases
  rel <- unique(phases$relationship)[1]
  ref <- phases[phases$relationship == rel, ]
  cmp <- compare_phases(c(1972, 1989, 2002), ref, tolerance = 1)
  expect_identical(nrow(cmp$matches), nrow(ref) - 1L)
  expect_true(all(cmp$matches$hit %in% c(TRUE, FALSE)))
  st <- threatbalance:::tb_to_years(ref$start, "start")
  en <- threatbalance:::tb_to_years(ref$end, "end")
  yrs <- seq(floor(min(st)), floor(max(en)))
  s <- phase_summary(seq_along(yrs), yrs, ref)
  expect_identical(nrow(s), nrow(ref))
  expect_lte(sum(s$n), length(yrs))
})

test_that("compare_phases results print as a table with precision and recall", {
  cmp <- compare_phases(c(1971, 1990, 2010), c(1972, 1989, 2002), tolerance = 2)
  expect_s3_class(cmp, "tb_phase_comparison")
  expect_output(print(cmp), "3 reference boundaries, tolerance 2 years")
  expect_output(print(cmp), "precision 0.667, recall 0.667")
  expect_invisible(print(cmp))
})

test_that("user-facing errors are pinned", {
  ph <- data.frame(start = c(1990, 2000), end = c(1999, 2010))
  # detect_phases()
  expect_snapshot(detect_phases("a"), error = TRUE)
  expect_snapshot(detect_phases(c(1, NA, 3, 4)), error = TRUE)
  expect_snapshot(detect_phases(c(1, Inf, 3, 4)), error = TRUE)
  expect_snapshot(detect_phases(1:10, cost = "variance"), error = TRUE)
  expect_snapshot(detect_phases(1:10, penalty = "BIG"), error = TRUE)
  expect_snapshot(detect_phases(1:10, minseglen = 0), error = TRUE)
  expect_snapshot(detect_phases(1:10, minseglen = 1e10), error = TRUE)
  expect_snapshot(detect_phases(1:10, standardize = "yes"), error = TRUE)
  expect_snapshot(detect_phases(1:10, cost = "meanvar", minseglen = 1), error = TRUE)
  expect_snapshot(detect_phases(1:3), error = TRUE)
  expect_snapshot(detect_phases(1:10, time = letters[1:10]), error = TRUE)
  expect_snapshot(detect_phases(1:10, time = 1:9), error = TRUE)
  expect_snapshot(detect_phases(1:4, time = as.Date(c("2000-01-01", NA, "2000-01-03", "2000-01-04"))), error = TRUE)
  expect_snapshot(detect_phases(1:4, time = c(1, 2, 2, 3)), error = TRUE)
  expect_snapshot(detect_phases(1:4, time = c(1, 3, 2, 4)), error = TRUE)
  expect_snapshot(detect_phases(1:10, penalty = "manual"), error = TRUE)
  expect_snapshot(detect_phases(1:10, penalty = "manual", pen_value = -1), error = TRUE)
  expect_snapshot(detect_phases(1:10, pen_value = 3), error = TRUE)
  # compare_phases()
  expect_snapshot(compare_phases(1990, 1991, tolerance = -1), error = TRUE)
  expect_snapshot(compare_phases(1990, 1991, span = 1990), error = TRUE)
  expect_snapshot(compare_phases("1990", 1991), error = TRUE)
  expect_snapshot(compare_phases(c(1990, NA), 1991), error = TRUE)
  expect_snapshot(compare_phases(1990, c(1991, NA)), error = TRUE)
  expect_snapshot(compare_phases(1990, list(1991)), error = TRUE)
  expect_snapshot(compare_phases(1990, ph["start"]), error = TRUE)
  expect_snapshot(compare_phases(1990, transform(ph, relationship = c("a", "b"))), error = TRUE)
  expect_snapshot(compare_phases(1990, transform(ph, start = c("a", "b"))), error = TRUE)
  expect_snapshot(compare_phases(rep(2000, 4000), rep(2000, 4000)), error = TRUE)
  # phase_summary()
  expect_snapshot(phase_summary("a", 1, ph), error = TRUE)
  expect_snapshot(phase_summary(1:3, c(1, NA, 3), ph), error = TRUE)
  expect_snapshot(phase_summary(1:3, 1:2, ph), error = TRUE)
  expect_snapshot(phase_summary(1:3, 1:3, 1), error = TRUE)
  expect_snapshot(phase_summary(1:3, 1:3, ph["start"]), error = TRUE)
  expect_snapshot(phase_summary(1:3, 1:3, transform(ph, relationship = c("a", "b"))), error = TRUE)
  expect_snapshot(phase_summary(1:3, 1:3, transform(ph, start = c(1990, NA))), error = TRUE)
  expect_snapshot(phase_summary(1:3, 1:3, transform(ph, end = c(1980, 2010))), error = TRUE)
})
