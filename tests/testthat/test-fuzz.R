# Fuzzing every exported function (issue 9): starting from one valid call per
# function, one or two arguments at a time are replaced by hostile values
# (helper-fuzz.R). Each call must return a valid result or signal an error of
# class `threatbalance_error`; any other error, a base R warning, or a result
# that fails the function's check is a failure, reported with the function,
# the mutation and the message. TB_FUZZ_N sets the number of calls (default
# 3000 here; `make fuzz` runs 100,000); TB_FUZZ_SEED the random seed.

ns <- asNamespace("threatbalance")
tbf <- function(name) get(name, envir = ns)

# Results within [lo, hi] or NA.
in_range <- function(x, lo, hi) is.numeric(x) && all(is.na(x) | (x >= lo & x <= hi))
is_df <- function(x) is.data.frame(x)

fuzz_dyads <- data.frame(ccode1 = c(2L, 710L, 365L, 2L), ccode2 = c(710L, 2L, 2L, 365L),
                         year = c(2000L, 2001L, 2000L, 1950L))
fuzz_events <- data.frame(date = as.Date(c("2001-04-01", "2001-06-20", "2001-09-12")),
                          actor = c("710", "2", "710"), target = c("2", "710", "2"),
                          cameo = c("112", "036", "057"), stringsAsFactors = FALSE)
fuzz_bloc_events <- data.frame(date = as.Date(c("1999-05-08", "2000-03-01", "2001-07-16")),
                               actor = c("710", "255", "710"), target = c("2", "710", "365"),
                               goldstein = c(-7, 3, 8), stringsAsFactors = FALSE)
fuzz_counts <- data.frame(year = c(2002L, 2002L, 2003L), ccode1 = c(2L, 710L, 2L),
                          ccode2 = c(710L, 2L, 710L), verb_coop = c(10, 4, 7),
                          matl_coop = c(1, 0, 2), verb_conf = c(3, 5, 1), matl_conf = c(0, 1, 0))
fuzz_votes <- data.frame(year = rep(2000:2001, each = 6), state = rep(c("A", "B", "C"), 4),
                         rollcall = rep(rep(1:2, each = 3), 2),
                         vote = c(1, 1, 3, 1, 2, 3, 1, 3, 3, 2, 2, 1), stringsAsFactors = FALSE)
fuzz_phases <- data.frame(phase = 1:2, label = c("before", "after"),
                          start = c(1990, 2000), end = c(1999, 2010), stringsAsFactors = FALSE)
fuzz_cap <- local({
  cap <- getExportedValue("threatbalance", "capabilities")
  cap <- cap[cap$year %in% 2000:2001, ]
  cap[c(1:20, which(cap$year == 2001)[1:20]), ]
})
w4 <- c(power = 1, proximity = 1, offense = 1, intent = 1)
fuzz_tc <- suppressWarnings(tbf("threat_components")(2000:2001, from = "USA",
                                                      to = c("China", "Russia")))

# One valid call per exported function (a few have two shapes), with a check
# of the result. Expensive functions get one or two years.
fuzz_baselines <- list(
  add_capabilities = list(args = list(data = fuzz_dyads, vars = c("cinc", "milex")),
                          check = function(r, a) is_df(r) && nrow(r) == NROW(a$data) &&
                            in_range(r$cinc1, 0, 1)),
  add_disputes = list(args = list(data = fuzz_dyads, names = FALSE, replace = FALSE),
                      check = function(r, a) is_df(r) && all(r$mid_hostlev %in% c(0:5, NA))),
  add_rivalry = list(args = list(data = fuzz_dyads, types = TRUE, names = FALSE, replace = FALSE),
                     check = function(r, a) is_df(r) && all(r$rivalry %in% c(0:1, NA))),
  add_similarity = list(args = list(data = fuzz_dyads, source = "alliance", method = c("s", "pi"),
                                    coding = "valued", names = FALSE, replace = FALSE),
                        check = function(r, a) is_df(r) && nrow(r) == NROW(a$data)),
  add_threat = list(args = list(data = fuzz_dyads, half_life = 10, weights = w4,
                                combine = "geometric", directed = NULL, names = FALSE,
                                replace = FALSE),
                    check = function(r, a) is_df(r) && nrow(r) == NROW(a$data)),
  add_contiguity = list(args = list(data = fuzz_dyads),
                        check = function(r, a) is_df(r) && all(r$conttype %in% c(0:5, NA))),
  add_distance = list(args = list(data = fuzz_dyads, type = "capital"),
                      check = function(r, a) is_df(r) && in_range(r[[ncol(r)]], 0, 20040)),
  alliance_similarity = list(args = list(years = 2000, coding = "valued",
                                         method = c("s", "kappa"), distance = "squared",
                                         weighted = FALSE),
                             check = function(r, a) is_df(r) && in_range(r$s, -1, 1)),
  bloc_members = list(args = list(bloc = "NATO", date = c(1990, 2000), role = "member"),
                      check = function(r, a) is_df(r) && is.integer(r$ccode)),
  bloc_threat = list(args = list(bloc = "NATO", to = "Russia", years = 2000:2001,
                                 weights = w4, combine = "geometric",
                                 member_weights = "equal", half_life = 10),
                     check = function(r, a) is_df(r) && in_range(r$threat, 0, 1)),
  "bloc_threat (bloc against bloc)" = list(fn = "bloc_threat",
    args = list(bloc = c("USA", "Japan"), to = list(RC = c("Russia", "China")), years = 2000,
                weights = w4, combine = "geometric", member_weights = "capability",
                half_life = 10, label = "pair"),
    check = function(r, a) is_df(r) && in_range(r$threat, 0, 1)),
  blocs_available = list(args = list(), check = function(r, a) is_df(r)),
  sources = list(args = list(x = c("votes", "alliances")),
                 check = function(r, a) is_df(r) && (is.null(a$x) || all(r$source %in% a$x))),
  cinc = list(args = list(data = fuzz_cap,
                          components = c("milex", "milper", "irst", "pec", "tpop", "upop"),
                          by = "year"),
              check = function(r, a) in_range(r, 0, 1) && length(r) == NROW(a$data)),
  compare_phases = list(args = list(detected = c(1971, 1990, 2010),
                                    reference = c(1972, 1989, 2002), tolerance = 2,
                                    span = c(1960, 2020)),
                        check = function(r, a) is.list(r) && in_range(r$precision, 0, 1) &&
                          in_range(r$recall, 0, 1)),
  detect_phases = list(args = list(x = c(rep(0, 15), rep(3, 10), rep(-1, 15)) + sin(1:40),
                                   time = 1961:2000, cost = "mean", penalty = "MBIC",
                                   pen_value = NULL, minseglen = 2, standardize = TRUE),
                       check = function(r, a) inherits(r, "tb_phases")),
  distance_km = list(args = list(lat1 = c(39.9, 10), lon1 = c(116.4, 20), lat2 = 38.9,
                                 lon2 = -77),
                     check = function(r, a) in_range(r, 0, 20040)),
  dyad_years = list(args = list(years = c(1990, 1991), directed = TRUE),
                    check = function(r, a) is_df(r) && !anyNA(r$ccode1)),
  dyadic_similarity = list(args = list(data = fuzz_votes, actor = "state", item = "rollcall",
                                       value = "vote", period = "year",
                                       method = c("agree", "s"), distance = "squared",
                                       weights = NULL, levels = 1:3),
                           check = function(r, a) is_df(r)),
  ideal_points = list(args = list(years = 1946, model = "ordinal", bridge = "text",
                                  anchor = "United States", se = "none", draws = 2, seed = NULL,
                                  evolution = "estimate", population = 1, tol = 1e-3,
                                  maxit = 50),
                      check = function(r, a) inherits(r, "tb_ideal") && nrow(r) > 0L &&
                        all(is.finite(r$ideal))),
  lsg = list(args = list(capability = c(0.1, 0.2), miles = c(100, 5000), year = c(1990, 2000),
                         method = "bdm", mpd = NULL, rate = NULL),
             check = function(r, a) is.numeric(r) && all(is.na(r) | r >= 0)),
  phase_summary = list(args = list(x = c(1:10, 21:31), time = 1990:2010, phases = fuzz_phases),
                       check = function(r, a) is_df(r)),
  relation_level = list(args = list(events = fuzz_events, actor = "710", target = "2",
                                    start = NULL, end = NULL, by = "month", decay = 0.05,
                                    baseline = 0, members = FALSE, damping = "capped"),
                        check = function(r, a) is_df(r) && in_range(r$score, -9, 9)),
  "relation_level (bloc members)" = list(fn = "relation_level",
                                         args = list(events = fuzz_bloc_events, actor = "710",
                                                     target = "NATO", start = 1999, end = 2001,
                                                     by = "year", decay = 0, baseline = 0,
                                                     members = TRUE),
                                         check = function(r, a) is_df(r) && in_range(r$score, -9, 9)),
  relation_scores = list(args = list(events = fuzz_events, by = "year", directed = FALSE),
                         check = function(r, a) is_df(r)),
  "relation_scores (counts)" = list(fn = "relation_scores",
                                    args = list(events = fuzz_counts, by = "year",
                                                directed = TRUE),
                                    check = function(r, a) is_df(r)),
  similarity = list(args = list(x = c(3, 0, 0, 0, 3, 3, 0, 1), y = c(0, 3, 1, 3, 0, 1, 0, 1),
                                method = "s", distance = "absolute", weights = NULL,
                                levels = 0:3),
                    check = function(r, a) length(r) == 1L && in_range(r, -1, 1)),
  similarity_matrix = list(args = list(m = rbind(a = c(1, 1, 3, 2), b = c(1, 3, 3, 2),
                                                 c = c(3, 3, 1, NA)),
                                       method = "kappa", distance = "squared",
                                       weights = NULL, levels = 1:3),
                           check = function(r, a) is.matrix(r) && in_range(r, -1, 1)),
  state_ccode = list(args = list(x = c("USA", "Russia", "710"), year = 2000, arg = "x"),
                     check = function(r, a) is.integer(r)),
  threat_balance = list(args = list(a = "China", b = "Russia", years = 2000:2001,
                                    weights = w4, combine = "geometric", half_life = 10),
                        check = function(r, a) is_df(r) && in_range(r$balance, -1, 1)),
  threat_components = list(args = list(years = 2000:2001, from = "USA",
                                       to = c("China", "Russia"), power = "dyadic",
                                       decay = "exponential", scale = 1000,
                                       capital_fallback = FALSE, carry_distance = FALSE,
                                       half_life = 10,
                                       hostility_weights = c(0, 0.25, 0.5, 0.75, 1),
                                       intent_parts = c("disputes", "rivalry", "similarity"),
                                       similarity = "alliance", beyond = "decay"),
                           check = function(r, a) is_df(r) && in_range(r$power, 0, 1) &&
                             in_range(r$proximity, 0, 1) && in_range(r$offense, 0, 1) &&
                             in_range(r$intent, 0, 1)),
  threat_index = list(args = list(x = fuzz_tc, weights = w4, combine = "geometric"),
                      check = function(r, a) in_range(r, 0, 1)),
  threat_robustness = list(args = list(years = 2000, to = "China", from = "USA",
                                       vary = list(reach = c("major", "none")),
                                       weights = w4, combine = "geometric"),
                           check = function(r, a) is_df(r) && in_range(r$threat, 0, 1)),
  threat_sensitivity = list(args = list(x = fuzz_tc, draws = 50, seed = 1,
                                        probs = c(0.05, 0.5, 0.95), alpha = 1,
                                        combine = "geometric"),
                            check = function(r, a) is_df(r)),
  vote_similarity = list(args = list(years = 2015, method = c("agree", "kappa"),
                                     important = FALSE, issue = NULL, distance = "squared"),
                         check = function(r, a) is_df(r) && in_range(r$agree, 0, 1))
)

# Events in an SQLite table (db_events(), R/events-db.R) when RSQLite is
# installed: db_events() itself and the two functions on such a table.
fuzz_db <- NULL
if (requireNamespace("DBI", quietly = TRUE) && requireNamespace("RSQLite", quietly = TRUE)) {
  fuzz_db <- DBI::dbConnect(RSQLite::SQLite(), ":memory:")
  withr::defer(DBI::dbDisconnect(fuzz_db), teardown_env())
  DBI::dbWriteTable(fuzz_db, "events", fuzz_events)
  fuzz_baselines$db_events <- list(
    args = list(x = fuzz_db, table = "events", columns = c(date = "date", cameo = "cameo"),
                order = "actor", dialect = "sqlite", chunk_size = 2, level_method = "stream"),
    check = function(r, a) inherits(r, "tb_db_events"))
  fuzz_baselines[["relation_scores (database)"]] <- list(
    fn = "relation_scores",
    args = list(events = tbf("db_events")(fuzz_db, "events"), by = "month", directed = FALSE),
    check = function(r, a) is_df(r))
  fuzz_baselines[["relation_level (database)"]] <- list(
    fn = "relation_level",
    args = list(events = tbf("db_events")(fuzz_db, "events", chunk_size = 1), actor = "710",
                target = "2", start = NULL, end = NULL, by = "month", decay = 0.05,
                baseline = 0, members = FALSE, damping = "linear"),
    check = function(r, a) is_df(r) && in_range(r$score, -9, 9))
}

# Functions whose owners are still fixing fuzz failures: their failures are
# reported through a labelled skip() listing every failing case instead of
# failing the run. Remove a name as soon as its fix is in. Known cases (100,000
# calls, R/threat.R being edited): bloc_threat(to = NULL) fails in
# expand.grid() ("argument 2 is not a vector"); threat_sensitivity(draws =
# .Machine$integer.max) tries to allocate 64 Gb ("cannot allocate vector").
fuzz_pending <- character()

fuzz_fn <- function(key) if (is.null(fuzz_baselines[[key]]$fn)) key else fuzz_baselines[[key]]$fn

test_that("every exported function has a fuzz baseline, and each baseline is valid", {
  exports <- getNamespaceExports("threatbalance")
  exports <- sort(exports[vapply(exports, function(f) is.function(tbf(f)), logical(1))])
  covered <- unique(vapply(names(fuzz_baselines), fuzz_fn, character(1)))
  if (is.null(fuzz_db)) covered <- c(covered, "db_events")  # needs RSQLite
  expect_equal(setdiff(exports, covered), character(0),
               info = "add a baseline to fuzz_baselines for each new export")
  for (key in names(fuzz_baselines)) {
    b <- fuzz_baselines[[key]]
    r <- fuzz_run(tbf(fuzz_fn(key)), b$args, b$check)
    expect_identical(r$outcome, "valid", info = paste(key, r$message))
  }
})

fuzz_state <- new.env()

test_that("fuzz: hostile inputs give valid results or threatbalance errors", {
  n <- fuzz_n(3000)
  withr::local_seed(as.integer(Sys.getenv("TB_FUZZ_SEED", "20240607")))
  keys <- names(fuzz_baselines)[lengths(lapply(fuzz_baselines, `[[`, "args")) > 0L]
  generic <- fuzz_generic()
  fns <- lapply(keys, function(k) tbf(fuzz_fn(k)))
  names(fns) <- keys
  outcome <- character(n)
  fn <- character(n)
  mutation <- character(n)
  message <- character(n)
  t0 <- proc.time()[["elapsed"]]
  for (i in seq_len(n)) {
    key <- keys[(i - 1L) %% length(keys) + 1L]
    b <- fuzz_baselines[[key]]
    args <- b$args
    k <- if (length(args) > 1L && stats::runif(1) < 0.3) 2L else 1L
    which_args <- names(args)[sample.int(length(args), k)]
    labels <- character()
    for (a in which_args) {
      p <- fuzz_pick(args[[a]], generic)
      args[a] <- p$value
      labels <- c(labels, sprintf("%s <- %s", a, p$label))
    }
    r <- fuzz_run(fns[[key]], args, b$check)
    fn[i] <- key
    outcome[i] <- r$outcome
    mutation[i] <- paste(labels, collapse = "; ")
    message[i] <- r$message
  }
  elapsed <- proc.time()[["elapsed"]] - t0
  res <- data.frame(fn = fn, outcome = outcome, mutation = mutation, message = message,
                    stringsAsFactors = FALSE)
  fuzz_state$res <- res
  cat(sprintf("\nfuzz: %d calls in %.1f s: %d valid results, %d threatbalance errors, %d failures\n",
              n, elapsed, sum(outcome == "valid"), sum(outcome == "classed"),
              sum(outcome == "failure")))
  fail <- res[res$outcome == "failure", ]
  if (nrow(fail)) {
    cat("fuzz: failures by function (distinct messages, with one mutation each):\n")
    for (f in sort(unique(fail$fn))) {
      ff <- fail[fail$fn == f, ]
      u <- ff[!duplicated(ff$message), ]
      cat(sprintf("  %s: %d failure%s\n", f, nrow(ff), if (nrow(ff) > 1L) "s" else ""))
      for (j in seq_len(min(nrow(u), 8L))) {
        cat(sprintf("    [%s] %s\n", u$mutation[j], substr(u$message[j], 1L, 160L)))
      }
    }
  }
  expect_equal(nrow(res), n)
})

for (key in names(fuzz_baselines)[lengths(lapply(fuzz_baselines, `[[`, "args")) > 0L]) {
  local({
    key <- key
    test_that(sprintf("fuzz: %s", key), {
      res <- fuzz_state$res
      skip_if(is.null(res), "the fuzz run did not complete")
      mine <- res[res$fn == key, ]
      fail <- mine[mine$outcome == "failure", ]
      u <- fail[!duplicated(fail$message), ]
      cases <- sprintf("[%s] %s", u$mutation, u$message)
      f <- fuzz_fn(key)
      if (nrow(fail) && f %in% names(fuzz_pending)) {
        skip(sprintf("KNOWN FUZZ FAILURES, pending validation fixes in %s (file being edited by its owner): %s",
                     fuzz_pending[[f]], paste(cases, collapse = " | ")))
      }
      expect(nrow(fail) == 0L,
             sprintf("%d of %d fuzz calls of %s failed:\n%s", nrow(fail), nrow(mine), key,
                     paste(utils::head(cases, 10L), collapse = "\n")))
      expect_gt(nrow(mine), 0L)
    })
  })
}

test_that("inputs the fuzzer broke now give classed errors", {
  ei <- "threatbalance_error_input"
  # 2L * minseglen overflowed to NA
  expect_error(detect_phases(c(1, 5, 2, 7, 3), minseglen = 2e9), "`minseglen`", class = ei)
  # compare_phases() built the full length(reference) x length(detected)
  # distance table (74.5 Gb for 1e5 x 1e5); now only pairs within tolerance
  expect_error(compare_phases(rep(1990, 1e4), rep(1990, 1e4)), "pairs", class = ei)
  cmp <- compare_phases(c(1990, 1990.5, 1991), c(1990, 1990, 2000), tolerance = 1)
  expect_equal(cmp$matches$detected, c(1990, 1990.5, NA))
  expect_equal(c(cmp$precision, cmp$recall), c(2 / 3, 2 / 3))
  cmp <- compare_phases(c(1990, Inf), c(Inf, 1991), tolerance = 2)
  expect_equal(cmp$matches$detected, c(NA, 1990))
  # phase_summary(): infinite times made var() NaN inside an if()
  ph <- data.frame(start = c(1990, 2000), end = c(1999, Inf))
  expect_error(phase_summary(1:3, c(1990, 2000, Inf), ph), "`time`", class = ei)
  expect_equal(phase_summary(1:3, c(1990, 2000, 2001), ph)$n, c(1L, 2L))
  # key columns spanning the whole integer range overflowed tb_unique_int()
  d <- data.frame(ccode1 = c(2L, 2L), ccode2 = c(710L, 710L),
                  year = c(-1L, 1L) * .Machine$integer.max)
  r <- fuzz_run(add_capabilities, list(data = d))  # a coverage error or NA with a warning
  expect_true(r$outcome %in% c("valid", "classed"), info = r$message)
  d$year <- c(2000L, 2000L)
  d$ccode1 <- c(-1L, 1L) * .Machine$integer.max
  expect_error(add_distance(d), class = "threatbalance_error_unknown_state")
  # relation_level(): years that do not make a date, and non-date objects
  ev <- fuzz_events
  expect_error(relation_level(ev, "710", "2", end = -1), "`end`", class = ei)
  expect_error(relation_level(ev, "710", "2", start = 1e6), "`start`", class = ei)
  expect_error(relation_level(ev, "710", "2", end = data.frame(a = 1)), "`end`", class = ei)
  expect_error(relation_level(ev, "710", "2", start = quote(x)), "`start`", class = ei)
  expect_error(relation_level(ev, "710", "2", end = list("2001-12-31")), "`end`", class = ei)
  expect_equal(relation_level(ev, "710", "2", start = as.POSIXct("2001-01-01", tz = "UTC"),
                              end = 2001, by = "year")$n_events, 3L)
})

# ---- directions the hostile fuzzer never took (issue 16) -------------------
# Valid but odd values, invariances, every S3 method with its documented `...`,
# and output-size bombs. Each direction is a generator of one call: list(fn,
# args, check) run by fuzz_run() (a valid result that passes `check`, or a
# threatbalance error; anything else, including an unclassed warning, is a
# failure). Invariance directions compute a reference inside `check`. The
# number of calls is TB_FUZZ_N / 20 (150 by default; 5,000 in `make fuzz`),
# shared round-robin by the directions; the counts are printed by direction.

odd_rng <- function(x) x[[sample.int(length(x), 1L)]]
# states that did not exist in the years asked (or no longer did)
odd_gone <- list(list("Soviet Union", 2000), list("Yugoslavia", 2010), list("South Sudan", 1990),
                 list("German Federal Republic", 1930), list("Zanzibar", 1980),
                 list("Czechoslovakia", 2001), list("Russia", 1830), list("USA", 1800),
                 list("Bavaria", 1900), list("Kosovo", 1950), list("Vietnam", 1960))
# numeric codes written oddly, with the code they mean
odd_codes <- c("2.0" = 2L, " 2" = 2L, "002" = 2L, "710 " = 710L, "7.10e2" = 710L,
               "365.00" = 365L, "2e0" = 2L, "0710" = 710L)
odd_strings <- function() {
  civ <- "C\u00f4te d'Ivoire"
  list(latin1 = iconv(civ, "UTF-8", "latin1"), bytes = `Encoding<-`(civ, "bytes"),
       invalid = "C\xf4te d'Ivoire", nul_like = "USA\u200b", tab = "\tUSA\n",
       emoji = "USA \U0001F1FA\U0001F1F8", long = strrep("x", 1e4))
}
odd_series <- function(n = sample(30:120, 1L)) {
  k <- sample(1:3, 1L)
  mu <- rep(stats::rnorm(k + 1L, sd = 4), diff(round(seq(0, n, length.out = k + 2L))))
  mu + stats::rnorm(n)
}
odd_cps <- function(r) r$changepoints
fuzz_graphical <- c("main", "ylim", "col", "xlab", "ylab", "type", "lwd", "lty")

# One object of every class with S3 methods, odd ones included (zero rows, a
# column subset, a one-point series), built once.
odd_s3_objects <- local({
  cache <- NULL
  function() {
    if (is.null(cache)) {
      cache <<- list(
        threat = fuzz_tc, threat0 = fuzz_tc[0, ], threat_cols = fuzz_tc[, c(1:3, 5)],
        balance = suppressWarnings(threat_balance("China", "Japan", 2000:2003)),
        phases = detect_phases(c(rep(0, 20), rep(5, 20)) + sin(1:40)), phases1 = detect_phases(c(1, 2, 1, 2), minseglen = 1),
        cmp = compare_phases(c(1971, 1990), c(1972, 1989)),
        ideal = ideal_points(years = 1946, maxit = 50, tol = 1e-3),
        db = if (!is.null(fuzz_db)) db_events(fuzz_db, "events"))
      cache <<- cache[!vapply(cache, is.null, NA)]
    }
    cache
  }
})

fuzz_directions <- list(
  "states that did not exist that year" = function() {
    g <- odd_rng(odd_gone); h <- odd_rng(odd_gone)
    switch(sample.int(5L, 1L),
      list(fn = "state_ccode", args = list(x = g[[1]], year = g[[2]])),
      list(fn = "threat_components", args = list(years = g[[2]], from = g[[1]], to = "USA")),
      list(fn = "threat_balance", args = list(a = g[[1]], b = h[[1]], years = g[[2]])),
      list(fn = "bloc_threat", args = list(bloc = "NATO", to = g[[1]], years = g[[2]])),
      list(fn = "add_capabilities",
           args = list(data = data.frame(ccode1 = state_ccode(g[[1]]), ccode2 = 2L,
                                         year = g[[2]]))))
  },
  "decimal and padded numeric strings" = function() {
    s <- odd_rng(names(odd_codes))
    switch(sample.int(3L, 1L),
      list(fn = "state_ccode", args = list(x = s, year = 2000),
           check = function(r, a) is.na(r) || r == odd_codes[[s]]),
      list(fn = "threat_components", args = list(years = 2000, from = s, to = "China"),
           check = function(r, a) all(r$ccode1 == odd_codes[[s]])),
      list(fn = "dyad_years", args = list(years = odd_rng(c("2000", " 2000", "2000.0", "2e3")))))
  },
  "non-UTF-8 and odd strings" = function() {
    s <- odd_rng(odd_strings())
    ev <- fuzz_events; ev$actor[1] <- s
    switch(sample.int(5L, 1L),
      list(fn = "state_ccode", args = list(x = s, year = 2000)),
      list(fn = "relation_scores", args = list(events = ev), check = function(r, a) is_df(r)),
      list(fn = "dyadic_similarity",
           args = list(data = transform(fuzz_votes, state = replace(state, 1L, s)),
                       actor = "state", item = "rollcall", value = "vote", period = "year"),
           check = function(r, a) is_df(r)),
      list(fn = "phase_summary",
           args = list(x = 1:21, time = 1990:2010, phases = transform(fuzz_phases, label = s))),
      list(fn = "threat_components", args = list(years = 2000, from = s)))
  },
  "named vectors in the wrong order" = function() {
    w <- stats::setNames(stats::runif(4, 0.1, 2), names(w4))
    p <- w[sample.int(4L)]
    switch(sample.int(3L, 1L),
      list(fn = "threat_index", args = list(x = fuzz_tc, weights = p),
           check = function(r, a) isTRUE(all.equal(r, threat_index(fuzz_tc, weights = w)))),
      list(fn = "threat_sensitivity",
           args = list(x = fuzz_tc, draws = 200, seed = 3, alpha = p * 10),
           check = function(r, a) isTRUE(all.equal(
             r, threat_sensitivity(fuzz_tc, draws = 200, seed = 3, alpha = w * 10)))),
      list(fn = "threat_balance", args = list(a = "China", b = "Japan", years = 2000, weights = p),
           check = function(r, a) isTRUE(all.equal(
             r, threat_balance("China", "Japan", 2000, weights = w), check.attributes = FALSE))))
  },
  "decimal-year and Date times" = function() {
    n <- 40L
    tt <- switch(sample.int(4L, 1L), 1999 + (0:(n - 1)) / 12,
                 as.Date("2000-01-15") + 30 * (0:(n - 1)),
                 as.POSIXct("2000-01-01", tz = "UTC") + 86400 * (0:(n - 1)),
                 1e9 + (0:(n - 1)) * 1e-3)
    x <- odd_series(n)
    switch(sample.int(3L, 1L),
      list(fn = "detect_phases", args = list(x = x, time = tt),
           check = function(r, a) inherits(r, "tb_phases")),
      list(fn = "phase_summary",
           args = list(x = x, time = tt,
                       phases = data.frame(start = c(tt[1], tt[20]), end = c(tt[19], tt[n]))),
           check = function(r, a) is_df(r) && sum(r$n) == n),
      list(fn = "relation_level",
           args = list(events = fuzz_events, actor = "710", target = "2",
                       start = odd_rng(list(2000.5, as.Date("2001-02-03"), 2001)),
                       end = odd_rng(list(2001.99, as.Date("2001-12-31"), 2002)), by = "month")))
  },
  "huge offsets and tiny scales (detect_phases invariance)" = function() {
    x <- odd_series()
    b <- 10^stats::runif(1, -150, 150) * odd_rng(c(-1, 1))
    a <- stats::runif(1, -1e4, 1e4) * abs(b) * stats::sd(x)
    cost <- odd_rng(c("mean", "meanvar"))
    list(fn = "detect_phases", args = list(x = a + b * x, cost = cost),
         check = function(r, a2) {
           ref <- detect_phases(x, cost = cost)
           isTRUE(all.equal(odd_cps(r), odd_cps(ref))) ||
             sprintf("%d change points, %d without offset %g and scale %g",
                     length(odd_cps(r)), length(odd_cps(ref)), a, b)
         })
  },
  "permutation of input rows" = function() {
    if (stats::runif(1) < 0.5) {
      ev <- fuzz_events[sample.int(3L, 12L, replace = TRUE), ]
      ev$date <- ev$date + sample.int(400L, 12L) - 200L
      ref <- relation_scores(ev, by = "month")
      list(fn = "relation_scores", args = list(events = ev[sample.int(nrow(ev)), ], by = "month"),
           check = function(r, a) identical(r, ref))
    } else {
      d <- fuzz_votes
      d$vote[sample.int(nrow(d), 2L)] <- NA
      ref <- dyadic_similarity(d, "state", "rollcall", "vote", "year", method = c("s", "taub"))
      list(fn = "dyadic_similarity",
           args = list(data = d[sample.int(nrow(d)), ], actor = "state", item = "rollcall",
                       value = "vote", period = "year", method = c("s", "taub")),
           check = function(r, a) isTRUE(all.equal(r, ref, tolerance = 1e-14)))
    }
  },
  "chunking of events" = function() {
    ev <- fuzz_events[sample.int(3L, 30L, replace = TRUE), ]
    ev$date <- ev$date + sample.int(900L, 30L) - 450L
    by <- odd_rng(c("year", "month"))
    ref <- relation_scores(ev, by = by)
    k <- sample(2:6, 1L)
    parts <- do.call(rbind, lapply(split(ev, sample.int(k, 30L, replace = TRUE)),
                                   relation_scores, by = by, directed = TRUE))
    list(fn = "relation_scores", args = list(events = parts, by = by),
         check = function(r, a) {
           rownames(r) <- NULL
           identical(r, ref) || "chunked result differs from one pass"
         })
  },
  "subsetting of years (threat_components)" = function() {
    ys <- sort(sample(1960:2015, 3L))
    y <- ys[sample.int(3L, 1L)]
    whole <- suppressWarnings(threat_components(ys, from = "USA", to = c("China", "Russia")))
    list(fn = "threat_components", args = list(years = y, from = "USA", to = c("China", "Russia")),
         check = function(r, a) {
           w <- whole[whole$year == y, ]
           isTRUE(all.equal(as.data.frame(r), as.data.frame(w), check.attributes = FALSE)) ||
             sprintf("year %d alone differs from it among %s", y, paste(ys, collapse = ", "))
         })
  },
  "output-size bombs" = function() {
    n <- round(10^stats::runif(1, 5.2, 6.3))
    switch(sample.int(3L, 1L),
      list(fn = "similarity_matrix", args = list(m = matrix(1, n, 1))),
      list(fn = "dyadic_similarity",
           args = list(data = data.frame(a = seq_len(n), i = 1L, v = 1), actor = "a",
                       item = "i", value = "v")),
      list(fn = "vote_similarity", args = list(years = seq_len(n))))
  },
  "S3 methods with each documented ..." = function() {
    objs <- odd_s3_objects()
    o <- odd_rng(names(objs))
    # the generics with a method for the object (plot() of a class without
    # one is base R's business)
    gen <- odd_rng(c("print", "summary", "plot"))
    if (gen == "plot" && is.null(utils::getS3method("plot", class(objs[[o]])[1L], optional = TRUE))) {
      gen <- "print"
    }
    dots <- odd_rng(list(list(), list(main = "t"), list(ylim = c(0, 1)), list(col = "red"),
                         list(xlab = "x", ylab = "y"), list(type = "p"), list(n = 2L),
                         list(lwd = 3, lty = 2), list(panels = FALSE), list(main = NA)))
    # only the method's documented arguments: its own, and graphical
    # parameters for plot methods
    m <- utils::getS3method(gen, class(objs[[o]])[1L], optional = TRUE)
    if (length(dots) && (is.null(m) || !all(names(dots) %in% names(formals(m)) |
                                            (gen == "plot" & names(dots) %in% fuzz_graphical)))) {
      dots <- list()
    }
    f <- function(x, ...) {
      if (gen == "plot") {
        grDevices::pdf(NULL)
        on.exit(grDevices::dev.off())
      }
      res <- utils::capture.output(r <- do.call(gen, c(list(x), list(...))))
      r
    }
    list(fn = f, label = sprintf("%s(<%s>, %s)", gen, o, fuzz_show(dots)),
         args = c(list(objs[[o]]), dots))
  }
)

test_that("fuzz directions: odd values, invariances, S3 methods and size bombs", {
  n <- max(length(fuzz_directions), round(fuzz_n(3000) / 20))
  withr::local_seed(as.integer(Sys.getenv("TB_FUZZ_SEED", "20240607")) + 16L)
  dirs <- names(fuzz_directions)
  res <- data.frame(direction = character(n), outcome = character(n), call = character(n),
                    message = character(n), stringsAsFactors = FALSE)
  t0 <- proc.time()[["elapsed"]]
  for (i in seq_len(n)) {
    d <- dirs[(i - 1L) %% length(dirs) + 1L]
    g <- fuzz_directions[[d]]()
    f <- if (is.function(g$fn)) g$fn else tbf(g$fn)
    lab <- if (!is.null(g$label)) g$label else
      sprintf("%s(%s)", g$fn, paste(names(g$args), vapply(g$args, fuzz_show, ""), sep = " = ",
                                    collapse = ", "))
    r <- fuzz_run(f, g$args, g$check, time_limit = 60)
    res[i, ] <- list(d, r$outcome, lab, r$message)
  }
  elapsed <- proc.time()[["elapsed"]] - t0
  tab <- do.call(rbind, lapply(dirs, function(d) {
    x <- res$outcome[res$direction == d]
    data.frame(direction = d, calls = length(x), valid = sum(x == "valid"),
               classed = sum(x == "classed"), failures = sum(x == "failure"))
  }))
  fuzz_state$directions <- res
  # TB_FUZZ_DUMP=file.rds keeps every call and outcome for a closer look
  if (nzchar(Sys.getenv("TB_FUZZ_DUMP"))) saveRDS(res, Sys.getenv("TB_FUZZ_DUMP"))
  cat(sprintf("\nfuzz directions: %d calls in %.1f s\n", n, elapsed))
  cat(sprintf("  %-56s %6s %6s %8s %8s\n", "direction", "calls", "valid", "classed", "failures"))
  cat(sprintf("  %-56s %6d %6d %8d %8d\n", tab$direction, tab$calls, tab$valid, tab$classed,
              tab$failures), sep = "")
  fail <- res[res$outcome == "failure", ]
  u <- fail[!duplicated(paste(fail$direction, fail$message)), ]
  expect(nrow(fail) == 0L,
         sprintf("%d of %d calls failed:\n%s", nrow(fail), n,
                 paste(utils::head(sprintf("[%s] %s: %s", u$direction, u$call,
                                           substr(u$message, 1L, 200L)), 15L),
                       collapse = "\n")))
  # the size bombs of the quadratic functions must be refused, not computed
  # (vote_similarity() drops the years without votes and answers)
  bombs <- res[res$direction == "output-size bombs" & !startsWith(res$call, "vote_similarity"), ]
  expect_true(all(bombs$outcome == "classed"), info = paste(bombs$message, collapse = "; "))
})

# Odd but valid variants of a valid value: the same meaning written another
# way (names reversed, integer/double, padded or re-encoded strings, a tibble
# or data.table, factor or re-encoded key columns, shuffled rows), or the
# extremes of the valid range (tiny and huge scales).
fuzz_odd <- function(v) {
  if (is.null(v) || is.function(v) || is.environment(v)) return(list())
  if (is.data.frame(v)) {
    out <- list("rows shuffled" = v[sample.int(nrow(v)), , drop = FALSE],
                "tibble class" = structure(v, class = c("tbl_df", "tbl", "data.frame")),
                "odd row names" = `rownames<-`(v, paste0("r", rev(seq_len(nrow(v))))))
    if (requireNamespace("data.table", quietly = TRUE)) {
      out[["data.table"]] <- data.table::as.data.table(v)
    }
    for (col in names(v)) {
      x <- v[[col]]
      if (is.character(x)) {
        e <- v; e[[col]] <- factor(x); out[[sprintf("`%s` as factor", col)]] <- e
        e <- v; e[[col]] <- iconv(x, "UTF-8", "latin1"); out[[sprintf("`%s` latin1", col)]] <- e
      }
      if (is.numeric(x) && all(x == round(x), na.rm = TRUE)) {
        e <- v; e[[col]] <- as.double(x); out[[sprintf("`%s` as double", col)]] <- e
        e <- v; e[[col]] <- as.integer(x); out[[sprintf("`%s` as integer", col)]] <- e
      }
    }
    return(out)
  }
  if (inherits(v, "Date")) {
    return(list("as.POSIXct(d)" = as.POSIXct(v), "d + 0.25" = v + 0.25, "rev(d)" = rev(v)))
  }
  if (is.logical(v)) return(list("as.integer(v)" = as.integer(v), "named" = c(flag = v[1])))
  if (is.numeric(v) && !is.matrix(v)) {
    out <- list("as.double/integer" = if (is.integer(v)) as.double(v) else
                  if (all(v == round(v)) && all(abs(v) < 1e9)) as.integer(v) else v,
                "named in reverse" = if (!is.null(names(v))) rev(v) else
                  stats::setNames(v, rev(seq_along(v))),
                "v * (1 + 1e-15)" = v * (1 + 1e-15),
                "as.array(v)" = as.array(v))
    if (all(abs(v) < 1e6) && any(v != 0)) {
      out[["v * 1e-300"]] <- v * 1e-300
      out[["v * 1e300"]] <- v * 1e300
    }
    return(out)
  }
  if (is.matrix(v) && is.numeric(v)) {
    return(list("storage integer" = `storage.mode<-`(v, "integer"),
                "unnamed" = unname(v), "as.data.frame" = as.data.frame(v)))
  }
  if (is.character(v)) {
    return(list("latin1" = iconv(v, "UTF-8", "latin1"), "bytes" = `Encoding<-`(v, "bytes"),
                "padded" = paste0("  ", v, " "), "upper case" = toupper(v),
                "named" = stats::setNames(v, paste0("n", seq_along(v))),
                "as.factor" = factor(v)))
  }
  if (is.list(v)) return(list("named list" = stats::setNames(v, paste0("e", seq_along(v)))))
  list()
}

test_that("walk: every exported function and argument with odd-but-valid values", {
  withr::local_seed(as.integer(Sys.getenv("TB_FUZZ_SEED", "20240607")) + 17L)
  # one odd variant per argument by default, up to 10 in `make fuzz`
  reps <- max(1L, round(fuzz_n(3000) / 10000))
  out <- list()
  for (key in names(fuzz_baselines)) {
    b <- fuzz_baselines[[key]]
    f <- tbf(fuzz_fn(key))
    for (a in names(b$args)) {
      odd <- fuzz_odd(b$args[[a]])
      if (!length(odd)) next
      for (k in sample.int(length(odd), min(reps, length(odd)))) {
        args <- b$args
        args[a] <- list(odd[[k]])
        # only classes matter here (odd values may mean other things)
        r <- fuzz_run(f, args, NULL)
        out[[length(out) + 1L]] <- data.frame(fn = key, call = sprintf("%s <- %s", a, names(odd)[k]),
                                              outcome = r$outcome, message = r$message)
      }
    }
  }
  res <- do.call(rbind, out)
  cat(sprintf("\nwalk with odd values: %d calls, %d valid, %d threatbalance errors, %d failures\n",
              nrow(res), sum(res$outcome == "valid"), sum(res$outcome == "classed"),
              sum(res$outcome == "failure")))
  fail <- res[res$outcome == "failure", ]
  expect(nrow(fail) == 0L,
         paste(utils::head(sprintf("%s [%s]: %s", fail$fn, fail$call, fail$message), 20L),
               collapse = "\n"))
  expect_setequal(unique(vapply(unique(res$fn), fuzz_fn, "")),
                  unique(vapply(names(fuzz_baselines)[lengths(lapply(fuzz_baselines, `[[`, "args")) > 0L],
                                fuzz_fn, "")))
})

test_that("walk: every S3 method with each documented `...` on odd objects", {
  objs <- odd_s3_objects()
  dots <- list(list(), list(main = "t"), list(ylim = c(0, 1)), list(col = "red"),
               list(xlab = "x", ylab = "y"), list(type = "p"), list(n = 2L),
               list(lwd = 3, lty = 2), list(panels = FALSE), list(main = NA),
               list(states = c("USA", "Russia")), list(band = FALSE, legend = FALSE))
  out <- list()
  for (o in names(objs)) {
    for (gen in c("print", "summary", "plot", "format")) {
      if (is.null(utils::getS3method(gen, class(objs[[o]])[1L], optional = TRUE)) &&
          gen %in% c("plot", "format")) next
      m <- utils::getS3method(gen, class(objs[[o]])[1L], optional = TRUE)
      for (d in dots) {
        # the method's own arguments, and graphical parameters for plot
        # methods (their documented `...`); others are not its interface
        ok <- if (is.null(m)) !length(d) else
          all(names(d) %in% names(formals(m)) | (gen == "plot" & names(d) %in% fuzz_graphical))
        if (!ok) next
        f <- function(x, ...) {
          grDevices::pdf(NULL)
          on.exit(grDevices::dev.off())
          utils::capture.output(r <- do.call(gen, c(list(x), list(...))))
          r
        }
        r <- fuzz_run(f, c(list(objs[[o]]), d), NULL)
        out[[length(out) + 1L]] <- data.frame(call = sprintf("%s(<%s>, %s)", gen, o, fuzz_show(d)),
                                              outcome = r$outcome, message = r$message)
      }
    }
  }
  res <- do.call(rbind, out)
  cat(sprintf("\nS3 walk: %d calls, %d valid, %d threatbalance errors, %d failures\n",
              nrow(res), sum(res$outcome == "valid"), sum(res$outcome == "classed"),
              sum(res$outcome == "failure")))
  fail <- res[res$outcome == "failure", ]
  expect(nrow(fail) == 0L,
         paste(utils::head(sprintf("%s: %s", fail$call, fail$message), 20L), collapse = "\n"))
})
