# Alliance and UN-vote portfolios built from the packaged tables
# (src/portfolio.c, R/portfolio.R): the C builders against the pure-R
# portfolios of helper-reference.R on random tables and on the packaged data;
# fpsim on real dyad-years; coverage; errors.

test_that("fpsim's srs(), cohenk() and taub() agree on real alliance dyad-years", {
  skip_if_not_installed("fpsim")
  # alliance portfolios of sampled years, every dyad of 12 sampled states
  set.seed(3)
  yrs <- c(1816, 1914, 1950, 1990, 2018)
  a <- alliance_similarity(yrs, method = c("s", "kappa", "taub"))
  ab <- alliance_similarity(yrs, method = "s", distance = "absolute")
  aw <- alliance_similarity(yrs, method = "s", distance = "absolute", weighted = TRUE)
  tab <- ref_packaged_alliances()
  pf <- ref_alliance_portfolios(yrs, tab$st, tab$al, "valued", c(1815L, 2018L), tab$cap)
  for (p in pf) {
    y <- p$year; cc <- p$ccode; V <- p$codes; w <- p$weights
    pick <- sort(sample(length(cc), min(12, length(cc))))
    for (i in pick) for (j in pick) if (i < j) {
      row <- which(a$year == y & a$ccode1 == cc[i] & a$ccode2 == cc[j])
      expect_length(row, 1)
      expect_equal(a$s[row], fpsim::srs(V[i, ], V[j, ], "squared", levels = 0:3))
      expect_equal(ab$s[row], fpsim::srs(V[i, ], V[j, ], "absolute", levels = 0:3))
      expect_equal(aw$s[row], fpsim::srs(V[i, ], V[j, ], "absolute", weights = w, levels = 0:3))
      expect_equal(a$kappa[row], fpsim::cohenk(V[i, ], V[j, ], levels = 0:3))
      tb <- suppressWarnings(fpsim::taub(V[i, ], V[j, ]))
      expect_equal(a$taub[row], tb)
    }
  }
})

test_that("alliance_similarity covers every dyad of system members with sorted integer codes", {
  a <- alliance_similarity(c(1816, 1900))
  expect_named(a, c("year", "ccode1", "ccode2", "s", "kappa", "pi", "taub"))
  expect_type(a$year, "integer"); expect_type(a$ccode1, "integer")
  expect_true(all(a$ccode1 < a$ccode2))
  st <- ref_packaged_alliances()$st
  expect_equal(nrow(a), sum(choose(lengths(lapply(c(1816, 1900), ref_members, st = st)), 2)))
  b <- alliance_similarity(1900, coding = "binary", method = "agree")
  expect_named(b, c("year", "ccode1", "ccode2", "agree"))
  expect_true(all(b$agree >= 0 & b$agree <= 1))
  # a state not a member all year but with a spell overlapping it counts
  a90 <- alliance_similarity(1990, method = "s")
  expect_true(any(a90$ccode1 == 265 | a90$ccode2 == 265))   # GDR, until October 1990
  expect_warning(x <- alliance_similarity(2018:2019, method = "s"),
                 class = "threatbalance_warning_coverage")
  expect_true(all(is.na(x$s[x$year == 2019])))
  expect_false(anyNA(x$s[x$year == 2018]))
})

test_that("vote_similarity matches a direct computation for sampled dyads", {
  v <- vote_similarity(c(1971, 2015), method = c("agree", "s", "kappa"))
  expect_named(v, c("year", "ccode1", "ccode2", "n", "agree", "s", "kappa"))
  expect_true(all(v$ccode1 < v$ccode2))
  rc <- threatbalance::unga_rollcalls
  uv <- threatbalance::unga_votes
  yrs <- c(1971L, 2015L)
  sel <- rc[rc$year %in% yrs, ]
  pf <- ref_vote_portfolios(yrs, sel$rcid, match(sel$year, yrs), uv)
  set.seed(5)
  for (r in sample(nrow(v), 25)) {
    p <- pf[[match(v$year[r], yrs)]]
    x <- p$codes[match(v$ccode1[r], p$ccode), ]
    y <- p$codes[match(v$ccode2[r], p$ccode), ]
    expect_equal(v$n[r], sum(!is.na(x) & !is.na(y)))
    expect_equal(v$agree[r], ref_similarity(x, y, "agree", levels = 1:3))
    expect_equal(v$s[r], ref_similarity(x, y, "s", levels = 1:3))
    expect_equal(v$kappa[r], ref_similarity(x, y, "kappa", levels = 1:3))
  }
  imp <- vote_similarity(2015, method = "agree", important = TRUE)
  expect_lte(max(imp$n), sum(rc$year == 2015 & rc$important == 1))
  hr <- vote_similarity(2015, method = "agree", issue = c("hr", "me"))
  expect_lte(max(hr$n), sum(rc$year == 2015 & (rc$hr | rc$me), na.rm = TRUE))
})

test_that("user errors are classed", {
  ei <- "threatbalance_error_input"
  expect_error(alliance_similarity(1900, coding = "ordinal"), class = ei)
  expect_error(alliance_similarity(1900, weighted = NA), class = ei)
  expect_error(alliance_similarity(1700), class = "threatbalance_error_coverage")
  expect_error(vote_similarity(2015, issue = "xx"), class = ei)
  expect_error(vote_similarity(1900), class = "threatbalance_error_coverage")
})

test_that("ffi_alliance_similarity matches the pure-R reference on random tables", {
  set.seed(7)
  mc <- unname(sim_method_codes[sim_methods])
  for (rep in 1:6) {
    ns <- 14
    st <- data.frame(cc = sample(c(2:30, 998:999), ns), sy = sample(1900:1905, ns, TRUE))
    st$ey <- st$sy + sample(0:6, ns, TRUE)
    st <- rbind(st, data.frame(cc = c(st$cc[1], NA, 1000L, 40L), sy = c(1908L, 1900L, 1900L, NA),
                               ey = c(1909L, 1910L, 1910L, 1910L)))
    na <- 300
    al <- data.frame(year = sample(c(1899:1910, NA), na, TRUE, prob = c(rep(1, 12), 0.1)),
                     c1 = sample(c(st$cc[1:ns], 5000L), na, TRUE),
                     c2 = sample(c(st$cc[1:ns], -3L), na, TRUE),
                     def = rbinom(na, 1, 0.2), off = rbinom(na, 1, 0.05),
                     neu = rbinom(na, 1, 0.1), non = rbinom(na, 1, 0.2), con = rbinom(na, 1, 0.1))
    al$c1[1] <- al$c2[1]                                   # self-tie ignored
    if (rep > 4) al$neu[2:3] <- NA                          # NA flags: missing codes
    al[] <- lapply(al, as.integer)
    cap <- if (rep %% 2 == 0) {
      cp <- expand.grid(ccode = st$cc[1:ns], year = 1899:1911)
      cp$cinc <- runif(nrow(cp))
      cp$cinc[sample(nrow(cp), 10)] <- NA
      cp[-sample(nrow(cp), 15), ]
    }
    years <- sort(sample(1899:1911, 6))
    coding <- if (rep %% 3 == 0) 2L else 1L
    dist <- if (rep %% 2) "squared" else "absolute"
    got <- .Call(C_ffi_alliance_similarity, as.integer(years),
                 list(as.integer(st$cc), as.integer(st$sy), as.integer(st$ey)),
                 unname(as.list(al)), coding, c(1900L, 1909L),
                 if (!is.null(cap)) list(as.integer(cap$year), as.integer(cap$ccode), cap$cinc),
                 if (dist == "absolute") 1L else 2L, mc)
    # every pair of every year's reference portfolios, scored by ref_similarity()
    lv <- if (coding == 1L) 0:3 else 0:1
    pf <- ref_alliance_portfolios(years, st, al, if (coding == 1L) "valued" else "binary",
                                  c(1900L, 1909L), cap)
    want <- NULL
    for (p in pf) {
      n <- length(p$ccode)
      if (n < 2) next
      V <- p$codes
      for (i in seq_len(n - 1)) for (j in (i + 1):n) {
        vals <- vapply(sim_methods,
                       function(m) ref_similarity(V[i, ], V[j, ], m, dist, p$weights, lv), 0)
        want <- rbind(want, c(p$year, p$ccode[i], p$ccode[j], vals))
      }
    }
    expect_equal(length(got[[1]]), NROW(want), info = paste("rep", rep))
    if (!NROW(want)) next
    expect_identical(got[[1]], as.integer(want[, 1]))
    expect_identical(got[[2]], as.integer(want[, 2]))
    expect_identical(got[[3]], as.integer(want[, 3]))
    for (m in seq_along(sim_methods)) {
      expect_equal(got[[3 + m]], unname(want[, 3 + m]), tolerance = 1e-10,
                   info = paste("rep", rep, sim_methods[m]))
    }
  }
})

test_that("alliance_similarity and vote_similarity equal the R-built portfolios through the engine", {
  yrs <- c(1816L, 1870L, 1914L, 1946L, 1990L, 2018L)
  tab <- ref_packaged_alliances()
  for (coding in c("valued", "binary")) for (weighted in c(FALSE, TRUE)) {
    pf <- ref_alliance_portfolios(yrs, tab$st, tab$al, coding, c(1815L, 2018L),
                                  if (weighted) tab$cap)
    p <- ref_engine_inputs(pf, if (coding == "valued") 0:3 else 0:1)
    want <- tb_sim_engine(p$codes, p$nactor, p$nitem, p$levels, p$weights, "absolute",
                       sim_methods, p$actor_id, p$period_id)
    got <- alliance_similarity(yrs, coding = coding, method = sim_methods,
                               distance = "absolute", weighted = weighted)
    expect_identical(got$year, want$period)
    expect_identical(got$ccode1, want$id1)
    expect_identical(got$ccode2, want$id2)
    for (m in sim_methods) expect_equal(got[[m]], want[[m]], tolerance = 1e-12, info = m)
  }
  rc <- threatbalance::unga_rollcalls
  uv <- threatbalance::unga_votes
  for (args in list(list(c(1946L, 1964L, 1971L, 2019L), FALSE, NULL),
                    list(1990:1992, TRUE, NULL), list(c(1980L, 2000L), FALSE, c("hr", "nu")))) {
    sel <- tb_sim_rollcalls(rc, args[[1]], args[[2]], args[[3]])
    pf <- ref_vote_portfolios(args[[1]], sel$rcid, match(sel$year, args[[1]]), uv)
    p <- ref_engine_inputs(pf, 1:3)
    want <- tb_sim_engine(p$codes, p$nactor, p$nitem, p$levels, NULL, "squared",
                       sim_methods, p$actor_id, p$period_id)
    got <- vote_similarity(args[[1]], method = sim_methods, important = args[[2]],
                           issue = args[[3]])
    expect_identical(got$year, want$period)
    expect_identical(got$ccode1, want$id1)
    expect_identical(got$n, want$n)
    for (m in sim_methods) expect_equal(got[[m]], want[[m]], tolerance = 1e-12, info = m)
  }
})

test_that("ffi_vote_similarity matches the engine on random votes with repeats and NAs", {
  set.seed(8)
  mc <- unname(sim_method_codes[sim_methods])
  nv <- 400
  v <- data.frame(rcid = sample(c(1:40, NA, 99L), nv, TRUE, prob = c(rep(1, 40), 0.2, 1)),
                  ccode = sample(c(2L, 20L, 200L, 365L, 710L, 999L, 0L), nv, TRUE),
                  vote = sample(c(1:3, NA), nv, TRUE))
  rcid <- c(5L, 1L, 9L, 17L, 3L, 30L, 31L, 40L)     # selected roll calls, sorted by period
  per <- c(1L, 1L, 1L, 2L, 2L, 4L, 4L, 4L)          # period 3 has none
  got <- .Call(C_ffi_vote_similarity, 2001:2004, rcid, per, unname(as.list(v)), 1L, mc)
  # reference: the R-built portfolios (last vote of a repeated pair), through the engine
  p <- ref_engine_inputs(ref_vote_portfolios(2001:2004, rcid, per, v), 1:3)
  want <- .Call(C_ffi_similarity, p$codes, p$nactor, p$nitem, c(1, 2, 3), NULL, 1L, mc,
                p$actor_id, p$period_id, FALSE)
  expect_identical(got, want)
})

test_that("the alliance and vote routines reject malformed calls instead of crashing", {
  fa <- function(...) .Call(C_ffi_alliance_similarity, ...)
  st <- list(c(2L, 20L), c(1900L, 1900L), c(1910L, 1910L))
  al <- rep(list(1900L), 8)
  ok <- list(1900L, st, al, 1L, c(1815L, 2018L), NULL, 2L, 1:4)
  expect_type(do.call(fa, ok), "list")
  bad <- function(k, v) { b <- ok; b[k] <- list(v); b }
  for (b in list(bad(1, 1900), bad(1, c(1901L, 1900L)), bad(1, NA_integer_), bad(2, st[1:2]),
                 bad(2, list(1, 2, 3)), bad(3, al[1:7]), bad(3, c(al[1:7], list(1:2))),
                 bad(4, 3L), bad(5, 1L), bad(6, list(1L, 2L, 3L)), bad(6, list(1L, 2L, 1:2 + 0)),
                 bad(7, 0L), bad(8, 6L), bad(8, integer()))) {
    expect_error(do.call(fa, b), "ffi_alliance_similarity")
  }
  fv <- function(...) .Call(C_ffi_vote_similarity, ...)
  vt <- list(c(1L, 2L), c(2L, 20L), c(1L, 3L))
  ok <- list(2000L, 1:2, c(1L, 1L), vt, 2L, 1:3)
  expect_type(do.call(fv, ok), "list")
  bad <- function(k, v) { b <- ok; b[k] <- list(v); b }
  for (b in list(bad(1, 2000), bad(2, c(1, 2)), bad(3, c(1L, 2L)), bad(3, 1L),
                 bad(3, c(2L, 1L)), bad(4, vt[1:2]), bad(4, list(1:2, 1:2, 1L)),
                 bad(4, list(1:2, c(2L, 2000L), 1:2)), bad(4, list(1:2, 1:2, c(1L, 4L))),
                 bad(2, c(-1L, 2L)), bad(5, 3L), bad(6, 0L))) {
    expect_error(do.call(fv, b), "ffi_vote_similarity")
  }
})

test_that("alliance_similarity gives NA rows after ATOP and nothing outside the state system", {
  a <- suppressWarnings(alliance_similarity(c(1700, 2018, 2019), method = "s"))
  expect_equal(sort(unique(a$year)), c(2018L, 2019L))
  expect_true(all(is.na(a$s[a$year == 2019])))
  expect_false(anyNA(a$s[a$year == 2018]))
  expect_warning(alliance_similarity(c(2018, 2019), method = "s"),
                 class = "threatbalance_warning_coverage")
})

test_that("vote_similarity warns about years with very few roll calls", {
  # the data end in June 2026, in the first months of session 80 (11 roll calls)
  expect_warning(v <- vote_similarity(2025:2026, method = "agree"),
                 "fewer than 20 roll calls \\(2026\\)", class = "threatbalance_warning_coverage")
  expect_true(all(v$n[v$year == 2026] <= 11L))
  expect_silent(vote_similarity(2018:2019, method = "agree"))
  # 2020 has the 90 roll calls of session 75 (November-December)
  expect_silent(vote_similarity(2019:2020, method = "agree"))
})

test_that("from, to and states restrict the dyads without changing the scores", {
  a <- alliance_similarity(c(1980, 2000), method = "s")
  s <- alliance_similarity(c(1980, 2000), method = "s", states = c("USA", "Germany", "Russia"))
  # "Germany" is West Germany (260) in 1980 and Germany (255) in 2000
  exp <- a[a$ccode1 %in% c(2, 255, 260, 365) & a$ccode2 %in% c(2, 255, 260, 365), ]
  rownames(exp) <- NULL
  expect_identical(s, exp)
  expect_identical(nrow(s), 6L)
  ft <- alliance_similarity(2000, method = "s", from = "China", to = c("USA", "RUS"))
  expect_identical(paste(ft$ccode1, ft$ccode2), c("2 710", "365 710"))
  expect_identical(ft$s, a$s[a$year == 2000 & a$ccode2 == 710 & a$ccode1 %in% c(2, 365)])
  expect_identical(attr(ft, "sources"), c("states", "alliances"))
  expect_identical(attr(alliance_similarity(2000, method = "s", weighted = TRUE,
                                            states = c(2, 20, 200)), "sources"),
                   c("states", "capabilities", "alliances"))
  v <- vote_similarity(2015, method = "agree")
  vs <- vote_similarity(2015, method = "agree", from = "USA")
  exp <- v[v$ccode1 == 2 | v$ccode2 == 2, ]
  rownames(exp) <- NULL
  expect_identical(vs, exp)
  expect_identical(attr(vs, "sources"), "votes")
  expect_identical(nrow(vote_similarity(2015, states = c("USA", "China", "Russia"))), 3L)
  expect_error(vote_similarity(2015, states = "Narnia"),
               class = "threatbalance_error_unknown_state")
  expect_error(alliance_similarity(2000, to = NA), class = "threatbalance_error")
})

# ---- method = "ideal": distances of the UN ideal points ---------------------
# One fit of ideal_points() per R session (the memo behind both calls here and
# the threat tests): about 2-3 CPU s the first time.

test_that("vote_similarity(method = \"ideal\") is |theta_i - theta_j| of ideal_points()", {
  fit <- threatbalance:::tb_ideal_default()
  yrs <- c(1965L, 1991L, 2019L)
  v <- vote_similarity(yrs, method = "ideal")
  expect_named(v, c("year", "ccode1", "ccode2", "n", "ideal_distance"))
  expect_true(all(v$ccode1 < v$ccode2))
  expect_true(all(v$ideal_distance >= 0, na.rm = TRUE))
  # the rows are those of the other methods: the year's voters
  a <- vote_similarity(yrs, method = "agree")
  expect_identical(v[c("year", "ccode1", "ccode2", "n")], a[c("year", "ccode1", "ccode2", "n")])
  # year = session + 1945, as in ideal_points()
  theta <- function(cc, y) {
    r <- fit$ideal[fit$ccode == cc & fit$session == y - 1945L]
    if (length(r)) r else NA_real_
  }
  set.seed(11)
  for (r in sample(nrow(v), 40)) {
    want <- abs(theta(v$ccode1[r], v$year[r]) - theta(v$ccode2[r], v$year[r]))
    expect_equal(v$ideal_distance[r], want, tolerance = 1e-12)
    # symmetric: the same distance whichever state is first
    expect_equal(v$ideal_distance[r],
                 abs(theta(v$ccode2[r], v$year[r]) - theta(v$ccode1[r], v$year[r])))
  }
  us_cn <- v$ideal_distance[v$year == 2019L & v$ccode1 == 2L & v$ccode2 == 710L]
  expect_equal(us_cn, abs(theta(2L, 2019L) - theta(710L, 2019L)))
  ru_cn <- v$ideal_distance[v$year == 2019L & v$ccode1 == 365L & v$ccode2 == 710L]
  expect_lt(ru_cn, us_cn)
})

test_that("method = \"ideal\" mixes with the others; NA where a state has no ideal point", {
  fit <- threatbalance:::tb_ideal_default()
  v1 <- vote_similarity(2019, method = "ideal")
  v2 <- vote_similarity(2019, method = c("kappa", "ideal", "agree"))
  expect_named(v2, c("year", "ccode1", "ccode2", "n", "kappa", "ideal_distance", "agree"))
  expect_identical(v2$ideal_distance, v1$ideal_distance)
  expect_equal(v2$agree, vote_similarity(2019, method = "agree")$agree)
  # a voter without an ideal point that session: NA, never 0
  have <- fit$ccode[fit$year == 2019L]
  no <- !(v2$ccode1 %in% have & v2$ccode2 %in% have)
  expect_identical(is.na(v2$ideal_distance), no)
  # 2026 (session 81 has not opened) has voters but no ideal points; no
  # thin-year warning for the ideal points alone, which rest on whole sessions
  expect_silent(v26 <- vote_similarity(2026, method = "ideal"))
  expect_gt(nrow(v26), 0L)
  expect_true(all(is.na(v26$ideal_distance)))
  expect_warning(vote_similarity(2026, method = c("agree", "ideal")), "fewer than 20",
                 class = "threatbalance_warning_coverage")
  # the selection of roll calls does not apply to ideal points
  ei <- "threatbalance_error_input"
  expect_error(vote_similarity(2019, method = "ideal", important = TRUE), "`important",
               class = ei)
  expect_error(vote_similarity(2019, method = c("agree", "ideal"), issue = "hr"), "`issue`",
               class = ei)
  expect_error(vote_similarity(2019, method = "ideals"), "`method`", class = ei)
})

test_that("user-facing errors of vote_similarity(method = \"ideal\") are pinned", {
  expect_snapshot(vote_similarity(2019, method = "ideal", important = TRUE), error = TRUE)
  expect_snapshot(vote_similarity(2019, method = c("s", "ideal"), issue = "me"), error = TRUE)
  expect_snapshot(vote_similarity(2019, method = "ideals"), error = TRUE)
})
