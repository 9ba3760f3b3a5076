# relation_scores and relation_level (src/events.c) against pure-R
# references on synthetic events, icews_dyads, the packaged events; errors.

load_data <- function(name) {
  env <- new.env()
  utils::data(list = name, package = "threatbalance", envir = env)
  env[[name]]
}

synthetic_events <- function(n, actors = c("2", "710", "365", "NATO", "740")) {
  cam <- load_data("cameo")
  data.frame(date = as.Date("1999-11-15") + sample.int(1200, n, replace = TRUE) - 1L,
             actor = sample(actors, n, replace = TRUE),
             target = sample(actors, n, replace = TRUE),
             cameo = sample(cam$code, n, replace = TRUE),
             stringsAsFactors = FALSE)
}

# Obviously-correct reference: loop over the groups with split().
scores_reference <- function(ev, by, directed) {
  cam <- load_data("cameo")
  i <- match(ev$cameo, cam$code)
  g <- if ("goldstein" %in% names(ev)) ev$goldstein else cam$goldstein[i]
  q <- cam$quad[i]
  a <- as.character(ev$actor); b <- as.character(ev$target)
  if (!directed) {
    num <- suppressWarnings(as.numeric(c(a, b)))
    lt <- function(x, y) {
      nx <- suppressWarnings(as.numeric(x)); ny <- suppressWarnings(as.numeric(y))
      if (!anyNA(num)) nx < ny else x < y
    }
    sw <- lt(b, a)
    tmp <- a[sw]; a[sw] <- b[sw]; b[sw] <- tmp
  }
  y <- as.integer(format(ev$date, "%Y")); m <- as.integer(format(ev$date, "%m"))
  key <- if (by == "year") paste(y, a, b) else paste(y, m, a, b)
  rows <- lapply(split(seq_along(key), key), function(ix) {
    data.frame(year = y[ix[1]], month = m[ix[1]], actor = a[ix[1]], target = b[ix[1]],
               n_events = length(ix), goldstein_sum = sum(g[ix]),
               verb_coop = sum(q[ix] == 1), matl_coop = sum(q[ix] == 2),
               verb_conf = sum(q[ix] == 3), matl_conf = sum(q[ix] == 4))
  })
  out <- do.call(rbind, rows)
  if (by == "year") out$month <- NULL
  num <- !anyNA(suppressWarnings(as.numeric(c(a, b))))
  ka <- if (num) as.numeric(out$actor) else out$actor
  kb <- if (num) as.numeric(out$target) else out$target
  out <- out[if (by == "year") order(out$year, ka, kb) else order(out$year, out$month, ka, kb), ]
  rownames(out) <- NULL
  out
}

test_that("relation_scores matches a pure-R group-by on random events", {
  set.seed(11)
  for (it in 1:12) {
    n <- sample(c(1, 2, 50, 400), 1)
    actors <- if (it %% 3 == 0) c(2L, 710L, 365L, 20L, 200L) else c("2", "710", "NATO", "365")
    ev <- synthetic_events(n, actors)
    for (by in c("year", "month")) for (directed in c(TRUE, FALSE)) {
      got <- relation_scores(ev, by = by, directed = directed)
      ref <- scores_reference(ev, by, directed)
      cols <- names(ref)
      expect_equal(got[cols], ref, ignore_attr = TRUE)
      expect_type(got$actor, "character")
      expect_equal(got$goldstein_mean, got$goldstein_sum / got$n_events)
      expect_equal(got$net_coop, got$verb_coop + got$matl_coop - got$verb_conf - got$matl_conf)
      tot <- got$verb_coop + got$matl_coop + got$verb_conf + got$matl_conf
      expect_equal(got$coop_share, (got$verb_coop + got$matl_coop) / tot)
      expect_equal(tot, got$n_events)
    }
  }
})

test_that("dates outside the years 1-9999 are classed errors, not overflow", {
  ev <- data.frame(date = as.Date(c("2001-04-01", "2001-06-20")), actor = c("710", "2"),
                   target = c("2", "710"), cameo = c("112", "036"))
  o <- "1970-01-01"
  expect_error(relation_level(ev, "710", "2", start = as.Date(-800000, o)),
               "years 1-9999", class = "threatbalance_error_input")
  far <- ev
  far$date[2L] <- as.Date(1e9, o)
  expect_error(relation_scores(far), "events\\$date", class = "threatbalance_error_input")
  expect_error(relation_level(far), "events\\$date", class = "threatbalance_error_input")
  expect_error(bloc_members("NATO", as.Date(5e6, o)), class = "threatbalance_error_input")
  # the edges are fine
  edge <- ev
  edge$date <- as.Date(c("0001-01-01", "9999-12-31"))
  expect_identical(nrow(relation_scores(edge, by = "year")), 2L)
})

test_that("integer actors sort numerically and stay character; zero rows work", {
  ev <- data.frame(date = as.Date(c("2001-01-01", "2001-02-01")), actor = c(710L, 20L),
                   target = c(2L, 710L), cameo = c("042", "173"))
  got <- relation_scores(ev)
  expect_identical(got$actor, c("2", "20"))
  expect_identical(got$target, c("710", "710"))
  z <- relation_scores(ev[0, ])
  expect_identical(nrow(z), 0L)
  expect_named(z, names(got))
})

test_that("conflict_weighted uses the mean Goldstein weight of each quad class", {
  cam <- load_data("cameo")
  w <- tapply(cam$goldstein, cam$quad, mean)
  ev <- data.frame(date = as.Date("2005-03-01"), actor = c("2", "2", "2"),
                   target = "710", cameo = c("010", "0831", "190"))
  got <- relation_scores(ev)
  q <- cam$quad[match(ev$cameo, cam$code)]
  expect_equal(got$conflict_weighted, mean(w[q]), ignore_attr = TRUE)
  expect_equal(got$goldstein_sum, sum(cam$goldstein[match(ev$cameo, cam$code)]))
})

test_that("chunked aggregation merges to the single-pass result", {
  set.seed(12)
  ev <- synthetic_events(3000)
  for (by in c("year", "month")) {
    whole <- relation_scores(ev, by = by)
    chunks <- split(ev, rep(1:4, length.out = nrow(ev)))
    parts <- do.call(rbind, lapply(chunks, relation_scores, by = by, directed = TRUE))
    merged <- relation_scores(parts, by = by)
    rownames(merged) <- NULL
    expect_identical(merged, whole)  # to the bit: CAMEO weights are summed as tenths
    expect_identical(relation_scores(ev[sample(nrow(ev)), ], by = by), whole)
    # any order of the rows and chunks, and weights off the tenths grid
    ev2 <- transform(ev, goldstein = round(runif(nrow(ev), -10, 10), 3))
    whole <- relation_scores(ev2, by = by)
    perm <- relation_scores(ev2[sample(nrow(ev2)), ], by = by)
    expect_equal(perm, whole, tolerance = 1e-14)
    parts <- do.call(rbind, lapply(split(ev2, rep(1:3, length.out = nrow(ev2))),
                                   relation_scores, by = by, directed = TRUE))
    merged <- relation_scores(parts, by = by)
    rownames(merged) <- NULL
    expect_equal(merged, whole, tolerance = 1e-14)
  }
  # monthly partials can be merged to years, but not yearly ones to months
  monthly <- relation_scores(ev, by = "month")
  expect_equal(relation_scores(monthly, by = "year"), relation_scores(ev, by = "year"))
  expect_error(relation_scores(relation_scores(ev), by = "month"), "`month`",
               class = "threatbalance_error_input")
})

test_that("icews_dyads: directed aggregation reproduces the counts, undirected pools them", {
  icews <- load_data("icews_dyads")
  got <- relation_scores(icews, directed = TRUE)
  expect_identical(nrow(got), nrow(icews))
  key <- paste(icews$year, icews$ccode1, icews$ccode2)
  i <- match(paste(got$year, got$actor, got$target), key)
  expect_false(anyNA(i))
  for (v in c("verb_coop", "matl_coop", "verb_conf", "matl_conf")) {
    expect_equal(got[[v]], as.numeric(icews[[v]][i]))
  }
  expect_true(all(is.na(got$goldstein_sum)))
  # USA-China 2002, both directions pooled, by hand from the rows
  und <- relation_scores(icews[icews$year == 2002, ])
  r <- und[und$actor == "2" & und$target == "710", ]
  s <- icews[icews$year == 2002 & ((icews$ccode1 == 2 & icews$ccode2 == 710) |
                                     (icews$ccode1 == 710 & icews$ccode2 == 2)), ]
  expect_equal(r$verb_coop, sum(s$verb_coop))
  expect_equal(r$net_coop, sum(s$verb_coop + s$matl_coop - s$verb_conf - s$matl_conf))
  expect_equal(r$n_events, sum(s$verb_coop + s$matl_coop + s$verb_conf + s$matl_conf))
  expect_identical(sum(und$n_events), sum(as.numeric(unlist(icews[icews$year == 2002, 4:7]))))
})

test_that("NA weights and codes propagate to their dyad-period only", {
  ev <- data.frame(date = as.Date(c("2001-01-01", "2001-02-01", "2002-01-01")),
                   actor = "2", target = "710", cameo = c("042", NA, "042"))
  got <- relation_scores(ev)
  expect_true(is.na(got$goldstein_sum[1]) && is.na(got$verb_coop[1]))
  expect_equal(got$goldstein_sum[2], 1.9)
  expect_equal(got$n_events, c(2, 1))
  # goldstein weights without codes: quad counts are NA, sums are not
  ev2 <- data.frame(date = ev$date, actor = "2", target = "710", goldstein = c(1, -2, 3))
  got <- relation_scores(ev2)
  expect_equal(got$goldstein_sum, c(-1, 3))
  expect_true(all(is.na(got$net_coop)))
  # an explicit quad column is used
  ev2$quad <- c(1L, 4L, 2L)
  expect_equal(relation_scores(ev2)$net_coop, c(0, 1))
})

test_that("relation_level matches the pure-R bounded cumulative score (both dampings)", {
  set.seed(13)
  for (it in 1:12) {
    ev <- synthetic_events(sample(c(1, 5, 200), 1))
    decay <- if (it %% 2) 0 else stats::runif(1)
    baseline <- stats::runif(1, -9, 9)
    damping <- if (it %% 4 < 2) "capped" else "linear"
    for (by in c("month", "year")) {
      got <- relation_level(ev, actor = "710", target = c("2", "NATO"), by = by,
                            decay = decay, baseline = baseline,
                            start = "1999-11-01", end = "2003-06-30", damping = damping)
      keep <- (ev$actor == "710" & ev$target %in% c("2", "NATO")) |
        (ev$target == "710" & ev$actor %in% c("2", "NATO"))
      e <- ev[keep, ]; e <- e[order(e$date), ]
      fmt <- if (by == "month") "%Y-%m-01" else "%Y-01-01"
      period <- seq(as.Date(format(as.Date("1999-11-01"), fmt)), as.Date("2003-06-30"),
                    by = by)
      pidx <- match(format(e$date, fmt), format(period, fmt))
      cam <- load_data("cameo")
      w <- cam$goldstein[match(e$cameo, cam$code)]
      expect_equal(got$period, period)
      expect_equal(got$score, ref_relation_level(w, pidx, length(period), decay, baseline,
                                                 damping))
      expect_equal(got$n_events, tabulate(pidx, length(period)))
    }
  }
})

test_that("relation_level: damping, clamping, decay and labels by hand", {
  ev <- data.frame(date = as.Date(c("2000-01-05", "2000-01-20", "2000-03-01")),
                   actor = "a", target = "b", goldstein = c(9, 10, -10))
  # linear damping (before 0.2.0), no decay: 0 + 9 * 9/9 = 9; then
  # 9 + 10 * 0 = 9; February decays nothing; March: 9 - 10 * 18/9 = -11,
  # clamped to -9
  got <- relation_level(ev, decay = 0, damping = "linear")
  expect_equal(got$score, c(9, 9, -9))
  expect_equal(as.character(got$level), c("friendly", "friendly", "hostile"))
  # capped damping: the factor (9 + 9)/9 = 2 of March is capped at 1:
  # 9 - 10 * 1 = -1
  got <- relation_level(ev, decay = 0)
  expect_equal(got$score, c(9, 9, -1))
  expect_equal(as.character(got$level), c("friendly", "friendly", "bad"))
  # the defaults: capped, decay 0.005 per month; February: 9 * 0.995 =
  # 8.955; March: 8.955 * 0.995 = 8.910225, then - 10 * 1 = -1.089775
  got <- relation_level(ev)
  expect_equal(got$score, c(9, 9 * 0.995, 9 * 0.995^2 - 10))
  # a +7 apology at the bound of -9: -2 capped, +5 linear (7 * 18/9 = 14)
  ap <- data.frame(date = as.Date(c("1999-05-07", "1999-05-10")), actor = "2",
                   target = "710", goldstein = c(-10, 7))
  expect_equal(relation_level(ap)$score, -2)
  expect_equal(relation_level(ap, damping = "linear")$score, 5)
  # below the bound it pushes toward, capped and linear agree: from -3 a
  # -3 event moves by -3 * 6/9 = -2 under both
  dn <- data.frame(date = as.Date(c("2000-01-05", "2000-01-06")), actor = "a",
                   target = "b", goldstein = c(-3, -3))
  expect_equal(relation_level(dn)$score, -5)
  expect_equal(relation_level(dn, damping = "linear")$score, -5)
  got <- relation_level(ev[1, ], start = 2000, end = 2000, decay = 0.5, baseline = 1)
  expect_identical(nrow(got), 12L)
  s1 <- 1 + 9 * 8 / 9
  expect_equal(got$score[1:3], c(s1, 1 + (s1 - 1) / 2, 1 + (s1 - 1) / 4))
  lv <- threatbalance:::tb_relation_level_label(c(-9, -6.01, -6, -3, -0.001, 0, 2.99, 3, 6, 9, NA))
  expect_identical(as.character(lv), c("hostile", "hostile", "tense", "bad", "bad", "ordinary",
                                       "ordinary", "good", "friendly", "friendly", NA))
  expect_true(is.ordered(lv))
  # an NA weight makes the rest of the series NA
  ev$goldstein[2] <- NA
  expect_equal(is.na(relation_level(ev)$score), c(TRUE, TRUE, TRUE))
  # events outside start/end are dropped
  expect_equal(relation_level(ev, start = "2000-02-01")$score, c(0, -9))
})

test_that("the packaged events score and level", {
  skip_if_not("events" %in% utils::data(package = "threatbalance")$results[, "Item"])
  ev <- load_data("events")
  got <- relation_scores(ev)
  expect_equal(sum(got$n_events), nrow(ev))
  cn <- relation_level(ev, actor = "710", target = "NATO", by = "year")
  expect_true(all(cn$score >= -9 & cn$score <= 9, na.rm = TRUE))
  expect_identical(sum(cn$n_events), sum((ev$actor == "710" & ev$target == "NATO") |
                                           (ev$actor == "NATO" & ev$target == "710")))
})

test_that("bad input gives classed errors naming the argument", {
  err <- "threatbalance_error_input"
  ev <- data.frame(date = as.Date("2001-01-01"), actor = "2", target = "710", cameo = "042")
  expect_error(relation_scores(list(1)), "`events`", class = err)
  expect_error(relation_scores(transform(ev, cameo = "999")), "\"999\"", class = err)
  expect_error(relation_scores(transform(ev, cameo = 42)), "leading zeros", class = err)
  expect_error(relation_scores(ev[, c("date", "actor", "target")]), "`cameo`", class = err)
  expect_error(relation_scores(ev[, c("actor", "target", "cameo")]), "`date`", class = err)
  expect_error(relation_scores(ev[, c("date", "actor", "cameo")]), "`actor`", class = err)
  expect_error(relation_scores(transform(ev, actor = NA_character_)), "`events\\$actor`",
               class = err)
  expect_error(relation_scores(transform(ev, date = "2001-13-45")), "`events\\$date`",
               class = err)
  expect_error(relation_scores(transform(ev, date = as.Date(NA))), "`events\\$date`",
               class = err)
  expect_error(relation_scores(transform(ev, goldstein = 12)), "`events\\$goldstein`",
               class = err)
  expect_error(relation_scores(transform(ev, quad = 5L)), "`events\\$quad`", class = err)
  expect_error(relation_scores(ev, by = "week"), "`by`", class = err)
  expect_error(relation_scores(ev, directed = NA), "`directed`", class = err)
  cnt <- data.frame(year = 2002, ccode1 = 2, ccode2 = 710, verb_coop = 1, matl_coop = -1,
                    verb_conf = 0, matl_conf = 0)
  expect_error(relation_scores(cnt), "`events\\$matl_coop`", class = err)
  expect_error(relation_scores(cnt[, -1]), "`year`", class = err)
  expect_error(relation_level(ev, decay = 2), "`decay`", class = err)
  expect_error(relation_level(ev, baseline = -10), "`baseline`", class = err)
  expect_error(relation_level(ev, by = "week"), "`by`", class = err)
  expect_error(relation_level(ev, damping = "cap"), "`damping`", class = err)
  expect_error(relation_level(ev, damping = NA), "`damping`", class = err)
  expect_error(relation_level(ev, actor = "365"), "No events", class = err)
  expect_error(relation_level(ev, start = "2002-01-01", end = "2001-01-01"), "`end`",
               class = err)
  expect_error(relation_level(ev, start = "soon"), "`start`", class = err)
  expect_error(relation_level(ev, actor = NA), "`actor`", class = err)
  expect_error(relation_level(ev[, -4]), "`cameo`", class = err)
  expect_error(relation_level(transform(ev, cameo = "999")), "\"999\"", class = err)
})

test_that("the C routines reject malformed calls without crashing", {
  agg <- function(...) .Call(threatbalance:::C_ffi_event_aggregate, ...)
  expect_error(agg(1, 1L, 1L, 0L, TRUE, NULL, NULL, NULL, NULL), "ffi_event_aggregate")
  expect_error(agg(1L, 1:2, 1L, 0L, TRUE, NULL, NULL, NULL, NULL), "ffi_event_aggregate")
  expect_error(agg(1L, NA_integer_, 1L, 0L, TRUE, NULL, NULL, NULL, NULL), "ffi_event_aggregate")
  expect_error(agg(1L, 1L, 1L, 3L, TRUE, NULL, NULL, NULL, NULL), "ffi_event_aggregate")
  expect_error(agg(1L, 1L, 1L, 0L, NA, NULL, NULL, NULL, NULL), "ffi_event_aggregate")
  expect_error(agg(1L, 1L, 1L, 0L, TRUE, 1:2, NULL, NULL, NULL), "ffi_event_aggregate")
  expect_error(agg(1L, 1L, 1L, 0L, TRUE, NULL, "a", NULL, NULL), "ffi_event_aggregate")
  expect_error(agg(1L, 1L, 1L, 0L, TRUE, NULL, NULL, 1, NULL), "ffi_event_aggregate")
  expect_error(agg(1L, 1L, 1L, 0L, TRUE, NULL, NULL, NULL, list(1, 1, 1)), "ffi_event_aggregate")
  lev <- function(...) .Call(threatbalance:::C_ffi_relation_level, ...)
  expect_error(lev(1L, 1L, 1L, 0, 0), "ffi_relation_level")
  expect_error(lev(c(2L, 1L), c(1, 1), 2L, 0, 0), "ffi_relation_level")
  expect_error(lev(3L, 1, 2L, 0, 0), "ffi_relation_level")
  expect_error(lev(1L, 1, NA_integer_, 0, 0), "ffi_relation_level")
  expect_error(lev(1L, 1, 1L, 0L, 0), "ffi_relation_level")
})

test_that("relation_level(members = TRUE) counts bloc members' events on their dates", {
  ev <- data.frame(date = as.Date(c("1998-06-01", "1999-06-01", "2005-06-01", "2005-07-01")),
                   actor = c("710", "710", "290", "2"),
                   target = c("290", "NATO", "710", "710"),
                   goldstein = c(5, -4, 3, 2))
  # Poland (290) joined NATO on 1999-03-12: its 1998 event is not NATO's
  lit <- relation_level(ev, "710", "NATO", by = "year")
  mem <- relation_level(ev, "710", "NATO", by = "year", members = TRUE)
  expect_equal(sum(lit$n_events), 1L)
  expect_equal(sum(mem$n_events), 3L)
  expect_equal(mem$n_events[format(mem$period, "%Y") == "2005"], 2L)
  # reference: the same events listed by hand
  ref <- relation_level(ev[2:4, ], by = "year")
  expect_equal(mem$score, ref$score)
  expect_error(relation_level(ev, "710", "NATO", members = NA),
               class = "threatbalance_error_input")
})

# The packaged events with the states named as CoW names them (NATO stays).
named_events <- function() {
  st <- states[!duplicated(states$ccode), ]
  nm <- function(k) ifelse(k %in% st$ccode, st$statenme[match(k, st$ccode)], k)
  ev <- events
  ev$actor <- nm(ev$actor); ev$target <- nm(ev$target)
  ev
}

test_that("relation_level() takes names, ISO3 codes and abbreviations, on code- or name-coded events", {
  ref <- relation_level(events, "710", "NATO", by = "year", members = TRUE)
  expect_identical(attr(ref, "sources"), c("events", "blocs"))
  for (side in list("China", "CHN", 710, "PRC")) {
    expect_identical(relation_level(events, side, "NATO", by = "year", members = TRUE), ref,
                     info = format(side))
  }
  ev <- named_events()
  expect_true(any(ev$actor == "China"))
  for (side in list("710", "China", "CHN", 710)) {
    got <- relation_level(ev, side, "NATO", by = "year", members = TRUE)
    expect_identical(got, ref, ignore_attr = "sources", info = format(side))
    expect_identical(attr(got, "sources"), "blocs")
  }
  # members = TRUE counts members' events in name-coded data (not only "NATO")
  lit <- relation_level(ev, "China", "NATO", by = "year")
  expect_lt(sum(lit$n_events), sum(ref$n_events))
  # both sides by name; "Russia" before 1991 is the USSR (365 throughout)
  us <- relation_level(events, "2", "710", by = "year")
  expect_identical(relation_level(ev, "United States", "China", by = "year"), us,
                   ignore_attr = "sources")
  expect_identical(relation_level(events, "USA", "CHN", by = "year"), us)
  # a year-dependent name: "Germany" is West Germany (260) before 1990
  gev <- data.frame(date = as.Date(c("1980-05-01", "1995-05-01", "1995-06-01")),
                    actor = c("260", "255", "260"), target = "710", goldstein = c(1, 2, 4))
  g <- relation_level(gev, "Germany", "China", by = "year")
  expect_identical(g$n_events[c(1, 16)], c(1L, 1L))
  expect_identical(sum(g$n_events), 2L)
  # codes are never re-read: "260" is West Germany in every year
  expect_identical(sum(relation_level(gev, "260", "China", by = "year")$n_events), 2L)
})

test_that("relation_scores() and relation_level() map columns by role", {
  ev <- named_events()
  icews <- data.frame(`Event Date` = ev$date, `Source Country` = ev$actor,
                      `Target Country` = ev$target, `CAMEO Code` = ev$cameo,
                      check.names = FALSE)
  cols <- c(date = "Event Date", actor = "Source Country", target = "Target Country",
            cameo = "CAMEO Code")
  ref <- relation_scores(ev[c("date", "actor", "target", "cameo")], by = "month")
  expect_identical(relation_scores(icews, by = "month", columns = cols), ref)
  lref <- relation_level(ev[c("date", "actor", "target", "cameo")], "China", "NATO",
                         members = TRUE)
  expect_identical(relation_level(icews, "China", "NATO", members = TRUE, columns = cols), lref)
  expect_identical(attr(lref, "sources"), c("cameo", "blocs"))
  # ccode1/ccode2 roles stand for actor/target; a mapped column replaces one of the role's name
  cc <- data.frame(day = events$date, ccode1 = events$actor, ccode2 = events$target,
                   date = "junk", cameo = events$cameo)
  expect_identical(relation_scores(cc, columns = c(date = "day")),
                   relation_scores(events[c("date", "actor", "target", "cameo")]))
  expect_identical(relation_level(cc, "710", "2", columns = c(date = "day", actor = "ccode1",
                                                               target = "ccode2")),
                   relation_level(events[c("date", "actor", "target", "cameo")], "710", "2"))
  ei <- "threatbalance_error_input"
  expect_error(relation_scores(icews, columns = c(when = "Event Date")), "unknown role", class = ei)
  expect_error(relation_scores(icews, columns = c(date = "Date")), "no column", class = ei)
  expect_error(relation_scores(icews, columns = "Event Date"), "named character", class = ei)
  expect_error(relation_level(icews, columns = c(date = 1)), class = ei)
})

test_that("relation_scores() selects dyads by name in the year of each row", {
  all <- relation_scores(events)
  sel <- relation_scores(events, actor = "China", target = "United States")
  # the selected rows have whole-number codes only, so they get ccode1/ccode2
  expect_identical(sel$ccode1, as.integer(sel$actor))
  expect_identical(sel$ccode2, as.integer(sel$target))
  expect_equal(sel[setdiff(names(sel), c("ccode1", "ccode2"))], ignore_attr = "sources", {
    x <- all[all$actor == "2" & all$target == "710", ]
    rownames(x) <- NULL
    x
  })
  # directed: only events from actor to target
  d <- relation_scores(events, directed = TRUE, actor = "CHN", target = "USA")
  expect_true(all(d$actor == "710" & d$target == "2"))
  dall <- relation_scores(events, directed = TRUE)
  expect_identical(sum(d$n_events), sum(dall$n_events[dall$actor == "710" & dall$target == "2"]))
  # one side only: every dyad of China's
  one <- relation_scores(events, actor = "China")
  expect_true(all(one$actor == "710" | one$target == "710"))
  expect_identical(sum(one$n_events), sum(all$n_events[all$actor == "710" | all$target == "710"]))
  # quad-class counts, name-coded, by year
  cnt <- data.frame(year = c(2000, 2000, 2001), actor = c("China", "Russia", "China"),
                    target = c("Japan", "China", "USA"), verb_coop = 1, matl_coop = 0,
                    verb_conf = 0, matl_conf = 0)
  expect_identical(relation_scores(cnt, actor = 710)$target, c("Japan", "Russia", "USA"))
  expect_identical(nrow(relation_scores(cnt, actor = "RUS", target = "PRC")), 1L)
  expect_identical(attr(relation_scores(cnt), "sources"), "cameo")
  expect_identical(attr(relation_scores(icews_dyads[1:10, ]), "sources"), "cameo")
  expect_identical(attr(relation_scores(events), "sources"), c("events", "cameo"))
})

test_that("user-facing errors are pinned", {
  ev <- data.frame(date = c("2001-04-01", "2001-06-20", "2001-09-12"),
                   actor = c("710", "2", "710"), target = c("2", "710", "2"),
                   cameo = c("112", "036", "057"))
  cnt <- data.frame(year = 2000, actor = "2", target = "710", verb_coop = 1,
                    matl_coop = 0, verb_conf = 0, matl_conf = 0)
  # relation_scores() on events
  expect_snapshot(relation_scores(list(ev)), error = TRUE)
  expect_snapshot(relation_scores(ev, by = "week"), error = TRUE)
  expect_snapshot(relation_scores(ev, directed = "no"), error = TRUE)
  expect_snapshot(relation_scores(ev[c("date", "cameo")]), error = TRUE)
  expect_snapshot(relation_scores(transform(ev, actor = TRUE)), error = TRUE)
  expect_snapshot(relation_scores(transform(ev, target = c("2", NA, "2"))), error = TRUE)
  expect_snapshot(relation_scores(ev[c("actor", "target", "cameo")]), error = TRUE)
  expect_snapshot(relation_scores(ev[c("date", "actor", "target")]), error = TRUE)
  expect_snapshot(relation_scores(transform(ev, cameo = 42)), error = TRUE)
  expect_snapshot(relation_scores(transform(ev, cameo = c("042", "999", "42"))), error = TRUE)
  expect_snapshot(relation_scores(transform(ev, date = c("2001-04-01", "2001-13-45", "2001-09-12"))), error = TRUE)
  expect_snapshot(relation_scores(transform(ev, date = 20010401)), error = TRUE)
  expect_snapshot(relation_scores(transform(ev, date = as.Date(c("2001-04-01", NA, "2001-09-12")))), error = TRUE)
  expect_snapshot(relation_scores(transform(ev, goldstein = 11)), error = TRUE)
  expect_snapshot(relation_scores(transform(ev, quad = 5)), error = TRUE)
  expect_snapshot(relation_scores(transform(ev, quad = 1.5)), error = TRUE)
  # relation_scores() on quad-class counts
  expect_snapshot(relation_scores(cnt[-1]), error = TRUE)
  expect_snapshot(relation_scores(transform(cnt, year = 2000.5)), error = TRUE)
  expect_snapshot(relation_scores(cnt, by = "month"), error = TRUE)
  expect_snapshot(relation_scores(transform(cnt, month = 13), by = "month"), error = TRUE)
  expect_snapshot(relation_scores(transform(cnt, verb_coop = -1)), error = TRUE)
  expect_snapshot(relation_scores(transform(cnt, n_events = "1")), error = TRUE)
  # relation_level()
  expect_snapshot(relation_level(ev[c("actor", "target", "cameo")]), error = TRUE)
  expect_snapshot(relation_level(ev[c("date", "actor", "target")]), error = TRUE)
  expect_snapshot(relation_level(ev, members = NA), error = TRUE)
  expect_snapshot(relation_level(ev, by = "day"), error = TRUE)
  expect_snapshot(relation_level(ev, decay = 2), error = TRUE)
  expect_snapshot(relation_level(ev, damping = "cap"), error = TRUE)
  expect_snapshot(relation_level(ev, baseline = -10), error = TRUE)
  expect_snapshot(relation_level(ev, actor = NA), error = TRUE)
  expect_snapshot(relation_level(ev, target = character()), error = TRUE)
  expect_snapshot(relation_level(transform(ev, goldstein = 20)), error = TRUE)
  expect_snapshot(relation_level(ev, "710", "2", start = "soon"), error = TRUE)
  expect_snapshot(relation_level(ev, "710", "2", end = as.Date(c("2001-01-01", "2002-01-01"))), error = TRUE)
  expect_snapshot(relation_level(ev, "710", "2", start = 0), error = TRUE)
  expect_snapshot(relation_level(ev, "710", "365"), error = TRUE)
  expect_snapshot(relation_level(ev, "710", "2", start = 2002, end = 2001), error = TRUE)
  # column maps
  expect_snapshot(relation_scores(ev, columns = c(when = "date")), error = TRUE)
  expect_snapshot(relation_scores(ev, columns = c(date = "Event Date")), error = TRUE)
  expect_snapshot(relation_level(ev, columns = "date"), error = TRUE)
})
