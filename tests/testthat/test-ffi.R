# Direct .Call of every registered routine with malformed arguments (issue 9).
# The routines are enumerated from the DLL's registration table; each is
# called with argument lists of the right count made of garbage (NULL,
# character, lists, huge and long lengths, negative and NA integers, double
# and integer swaps, length-0 vectors, malformed list elements). Whenever an
# argument's type differs from what the routine takes, the call must signal
# an R error; with the right types it may error or return; it may never
# crash. The calls run in this process: a crash fails the run, which is the
# point. The vector heap is capped during the test so that a size the C code
# trusts turns into an R error instead of exhausting the machine's memory.

routines <- getDLLRegisteredRoutines("threatbalance")$.Call

# One valid argument list per routine, and for positions that take more than
# one type, the other types they accept (`alt`, by position).
m0 <- integer(1000)
threat_settings <- list(power_system = FALSE, decay_bdm = FALSE, scale_km = 1000, half_life = 10,
                        capital_fallback = FALSE, use_disputes = TRUE, use_rivalry = TRUE,
                        use_similarity = TRUE, disputes_last = 2010L, disputes_beyond = TRUE,
                        rivalry_first = 1494L, rivalry_last = 2020L, similarity_first = 1816L,
                        similarity_last = 2018L, reach_major = TRUE, reach_km = 3000,
                        dispute_scale = 1, use_alliance = TRUE, ally_discount = 0.5,
                        alliance_first = 1816L, alliance_last = 2018L, detail = FALSE)
# ideal points (src/ideal.c): 3 states in one session, an ordinal and a binary class
ffi_ideal <- list(
  design = list(ss = c(0L, 1L, 2L, 0L, 1L, 2L), item = c(0L, 0L, 0L, 1L, 1L, 1L),
                y = as.raw(c(1, 2, 3, 1, 3, 3)), state_start = 0:3, gap = c(0L, 0L, 0L),
                ordinal = c(1L, 0L)),
  par = list(m = c(0.5, 0, -0.5), v = c(0, 0, 0), beta = c(1, 1), cut1 = c(-0.5, 0),
             cut2 = c(0.5, 0), omega2 = 0.1),
  opts = list(maxit = 50L, tol = 1e-6, estimate_evolution = 1L, expand = 1L, accelerate = 5L,
              prior_var = 1, beta_var = 1, cut_var = 25, max_step = 2, pop_prec = 1,
              evolution_shape = 1, evolution_scale = 0.01, anchor = 0L))
ffi_valid <- list(
  ffi_cinc = list(args = list(list(c(1, 2, 3), c(3, 4, NA)), c(1L, 1L, 2L), 2L)),
  ffi_lsg = list(args = list(c(0.1, 0.2), c(100, 5000), 500, 1L)),
  ffi_mpd_year = list(args = list(c(1900L, 1930L, 2000L, NA))),
  ffi_distance_km = list(args = list(39.9, 116.4, c(38.9, 55.7), c(-77, 37.6))),
  ffi_sy_lookup = list(args = list(c(2000L, 2001L, NA), c(2L, 710L, 2L),
                                   c(2000L, 2000L, 2001L), c(2L, 710L, 2L))),
  ffi_dyad_years = list(args = list(c(1990L, 1991L), c(7305L, 7670L), c(7669L, 8034L),
                                    c(2L, 20L, 200L), c(0L, 0L, 7400L),
                                    c(20000L, 20000L, 20000L), TRUE)),
  ffi_similarity = list(args = list(c(0L, 1L, 1L, 1L, NA, 0L), 3L, 2L, c(0, 1), NULL, 2L,
                                    1:5, 1:3, 2000L, FALSE),
                        alt = list("5" = "double")),
  ffi_alliance_similarity = list(args = list(
    c(2000L, 2001L), list(c(2L, 365L, 710L), c(1816L, 1816L, 1950L), c(2024L, 2024L, 2024L)),
    list(c(2000L, 2001L), c(365L, 365L), c(710L, 710L), c(1L, 0L), c(0L, 0L), c(0L, 1L),
         c(0L, 0L), c(0L, 0L)),
    1L, c(1815L, 2018L), list(c(2000L, 2000L, 2001L), c(2L, 710L, 2L), c(0.1, 0.2, 0.1)),
    2L, 1:4),
    alt = list("6" = "NULL")),
  ffi_vote_similarity = list(args = list(
    c(2000L, 2001L), c(1L, 2L, 3L), c(1L, 1L, 2L),
    list(c(1L, 1L, 2L, 2L, 3L, 3L), c(2L, 710L, 2L, 710L, 2L, 710L), c(1L, 3L, 1L, 1L, 2L, NA)),
    2L, 1:5)),
  ffi_event_aggregate = list(args = list(c(2000L, 2000L, 2001L), c(1L, 2L, 1L), c(2L, 1L, 2L),
                                         0L, TRUE, c(1, 2, 3), c(1, -1, 2), NULL,
                                         list(c(1, 0, 1), c(0, 1, 0), c(0, 1, 1), c(0, 0, 1))),
                             alt = list("6" = "NULL", "7" = "NULL", "8" = "integer", "9" = "NULL")),
  ffi_relation_level = list(args = list(c(1L, 1L, 3L), c(3, -2, 1), 3L, 0.1, 0, 1L)),
  ffi_relation_level_resume = list(args = list(c(1L, 1L, 3L), c(3, -2, 1), 1L, 0, 4L, 0.1, 0,
                                                  1L)),
  ffi_pelt = list(args = list(c(rep(0, 10), rep(5, 10)) + sin(1:20), 1L, 3, FALSE, 2L, c(0, 1))),
  ffi_phase_sample = list(args = list(c(rep(0, 10), rep(5, 10)) + sin(1:20), TRUE)),
  ffi_threat_components = list(args = list(
    2000L,
    list(c(2000L, 2000L), c(2L, 710L), c(0.1, 0.2), c(0.1, 0.2), c(38.9, 39.9), c(-77, 116.4),
         c(1L, 1L)),
    list(2000L, 2L, 710L, 11000), list(integer(), integer(), integer()),
    list(2000L, 710L, 2L, 0.5), list(2L, 710L, 1990L, 2010L), list(2000L, 2L, 710L, 0.3),
    list(2000L, 2L, 710L, 1), m0 + 1L, m0 + 1L, threat_settings)),
  ffi_threat_sensitivity = list(args = list(matrix(0.5, 2, 4), matrix(0.25, 3, 4), TRUE,
                                            c(0.1, 0.9))),
  ffi_ideal_fit = list(args = list(ffi_ideal$design, ffi_ideal$par, ffi_ideal$opts)),
  ffi_ideal_boot = list(args = list(ffi_ideal$design, ffi_ideal$par, as.double(1:12),
                                    ffi_ideal$opts)),
  ffi_ideal_simulate = list(args = list(ffi_ideal$design, ffi_ideal$par, as.double(1:6))),
  ffi_ideal_design = list(args = list(
    list(pos = c(1L, 1L, 2L, 2L, NA), ccode = c(2L, 365L, 2L, 365L, 710L),
         vote = c(1L, 3L, 1L, 2L, 1L)),
    list(class = c(1L, 1L), session = c(70L, 71L)),
    list(binary = 0L, anchor = 2L, smin = 70L, nsess = 2L))),
  ffi_release_memory = list(args = list())
)

# Garbage for any argument position.
ffi_garbage <- function() {
  c(fuzz_generic(), list(
    "NA (logical)" = NA, "-.Machine$integer.max" = -.Machine$integer.max,
    "c(-1L, NA)" = c(-1L, NA), "1e6 zeros (integer)" = integer(1e6),
    "1e6 NA (double)" = rep(NA_real_, 1e6),
    "long ALTREP 1:(2^31 + 1)" = 1:(2^31 + 1),
    "ALTREP seq_len(integer.max)" = seq_len(.Machine$integer.max),
    "list(1:3, \"a\", NULL)" = list(1:3, "a", NULL), "list(list())" = list(list()),
    "pairlist" = pairlist(1, 2), "expression" = expression(1 + 1),
    "S4-like object" = structure(1, class = "zzz")))
}

# A mutated argument: for a list, sometimes one of its elements.
ffi_mutate <- function(v, garbage) {
  if (is.list(v) && length(v) && stats::runif(1) < 0.5) {
    k <- sample.int(length(v), 1L)
    p <- fuzz_pick(v[[k]], garbage)
    v[k] <- p$value
    return(list(label = sprintf("element %d <- %s", k, p$label), value = list(v)))
  }
  fuzz_pick(v, garbage)
}

ffi_call <- function(sym, args) {
  setTimeLimit(elapsed = 20, transient = TRUE)
  on.exit(setTimeLimit(elapsed = Inf))
  tryCatch({
    do.call(.Call, c(list(sym), args), quote = TRUE)
    NULL
  }, error = function(e) e)
}

test_that("every registered routine has a valid call, which succeeds", {
  expect_gt(length(routines), 0L)
  expect_equal(setdiff(names(routines), names(ffi_valid)), character(0),
               info = "add a valid argument list to ffi_valid for each new routine")
  for (r in names(routines)) {
    spec <- ffi_valid[[r]]
    if (is.null(spec)) next
    expect_equal(length(spec$args), routines[[r]]$numParameters, info = r)
    e <- ffi_call(routines[[r]], spec$args)
    expect_null(e, info = paste(r, if (!is.null(e)) conditionMessage(e)))
  }
})

test_that("malformed .Call arguments give R errors, never a crash", {
  old <- mem.maxVSize()
  mem.maxVSize(max(2048, ceiling(sum(gc()[, 2L])) + 1024))  # MB
  on.exit(mem.maxVSize(old), add = TRUE)
  withr::local_seed(as.integer(Sys.getenv("TB_FUZZ_SEED", "20240607")))
  garbage <- ffi_garbage()
  per <- max(200L, as.integer(fuzz_n(3000) / 10))
  calls <- 0L; errors <- 0L; typed <- 0L
  missed <- character()
  for (r in names(routines)) {
    sym <- routines[[r]]
    np <- sym$numParameters
    spec <- ffi_valid[[r]]
    base <- if (is.null(spec)) rep(list(NULL), np) else spec$args
    for (i in seq_len(per)) {
      args <- base
      # all arguments garbage in a quarter of the calls, else one or two
      pos <- if (stats::runif(1) < 0.25) seq_len(np) else
        sample.int(np, min(np, sample(1:2, 1L)))
      labels <- character()
      wrong_type <- FALSE
      for (p in pos) {
        m <- if (length(pos) == np && stats::runif(1) < 0.5) fuzz_pick(NULL, garbage) else
          ffi_mutate(base[[p]], garbage)
        args[p] <- m$value
        labels <- c(labels, sprintf("arg %d <- %s", p, m$label))
        v <- args[[p]]
        if (!is.null(spec) &&
            !typeof(v) %in% c(typeof(base[[p]]), spec$alt[[as.character(p)]])) {
          wrong_type <- TRUE
        }
      }
      e <- ffi_call(sym, args)
      calls <- calls + 1L
      if (!is.null(e)) errors <- errors + 1L
      if (wrong_type) {
        typed <- typed + 1L
        if (is.null(e)) missed <- c(missed, sprintf("%s(%s)", r, paste(labels, collapse = "; ")))
      }
    }
  }
  cat(sprintf("\nffi: %d malformed .Call calls of %d routines: %d errors, %d returned; %d had a wrong argument type, %d of those returned without error\n",
              calls, length(routines), errors, calls - errors, typed, length(missed)))
  expect(length(missed) == 0L,
         sprintf("routines returned without error on arguments of the wrong type:\n%s",
                 paste(utils::head(unique(missed), 10L), collapse = "\n")))
  expect_equal(calls, per * length(routines))
})

test_that("ffi_sy_lookup survives keys at the ends of the integer range", {
  f <- threatbalance:::C_ffi_sy_lookup
  # a table year near INT_MIN and a query year far from it: no overflow
  expect_identical(.Call(f, 2000L, 2L, -2147483647L, 1L), NA_integer_)
  expect_identical(.Call(f, -2147483647L, 2L, 2147483647L, 2L), NA_integer_)
  expect_error(.Call(f, 2000L, 2L, c(-2147483647L, 2147483647L), 1:2), "100000 years")
  expect_identical(.Call(f, c(2000L, 2001L), c(2L, 2L), 2000L, 2L), c(1L, NA))
})

test_that("ffi_threat_components reads its settings by name, not by position", {
  f <- threatbalance:::C_ffi_threat_components
  args <- ffi_valid$ffi_threat_components$args
  call <- function(st) do.call(.Call, c(list(f), args[-11L], list(st)))
  ref <- call(threat_settings)
  # order does not matter; a missing, mistyped or NA field is named
  expect_identical(call(rev(threat_settings)), ref)
  expect_identical(call(threat_settings[order(names(threat_settings))]), ref)
  expect_error(call(threat_settings[names(threat_settings) != "half_life"]),
               "ffi_threat_components.*setting `half_life` is missing")
  expect_error(call(unname(threat_settings)), "setting `power_system` is missing")
  expect_error(call(modifyList(threat_settings, list(disputes_last = 2010))),
               "setting `disputes_last` must be one integer value, not double")
  expect_error(call(modifyList(threat_settings, list(detail = NA))),
               "setting `detail` must be TRUE or FALSE")
  expect_error(call(modifyList(threat_settings, list(scale_km = -1))),
               "setting `scale_km` must be positive")
  expect_error(call(as.double(1:15)), "settings must be a named list")
  # a changed field changes the result: the field is read, not ignored
  expect_false(identical(call(modifyList(threat_settings, list(scale_km = 10))), ref))
})

# Elapsed seconds until a .Call stops at an elapsed time limit of `limit`
# seconds: time limits are checked where interrupts are (R_CheckUserInterrupt).
ffi_stop_time <- function(expr, limit = 0.25) {
  t0 <- proc.time()[[3L]]
  setTimeLimit(elapsed = limit, transient = TRUE)
  on.exit(setTimeLimit(elapsed = Inf))
  e <- tryCatch({
    expr
    NULL
  }, error = function(e) e)
  list(error = e, secs = proc.time()[[3L]] - t0)
}

test_that("long C loops check for interrupts by work done, not by rows", {
  # 300 rows of 1e6 weight draws take a minute: a check every 256 rows came
  # after the whole run, a check every 2^20 / draws rows comes each ~0.2 s
  r <- ffi_stop_time(.Call(threatbalance:::C_ffi_threat_sensitivity, matrix(0.5, 300, 4),
                           matrix(0.25, 1e6, 4), TRUE, 0.5))
  expect_match(conditionMessage(r$error), "time limit")
  expect_lt(r$secs, 5)
  # PELT with nothing to prune and no candidate asleep (a trend under a huge
  # penalty, mean and variance): O(n^2) candidate costs
  x <- seq_len(2e5) / 2e3 + stats::rnorm(2e5)
  r <- ffi_stop_time(.Call(threatbalance:::C_ffi_pelt, x, 2L, 1e9, FALSE, 1L, c(0, 1)))
  expect_match(conditionMessage(r$error), "time limit")
  expect_lt(r$secs, 5)
})

