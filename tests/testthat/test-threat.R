# Threat engine (src/threat.c, R/threat.R) against a slow pure-R reference
# built directly from the packaged datasets.

ds <- function(name) getExportedValue("threatbalance", name)
yr <- function(d) as.integer(format(d, "%Y"))

# ---- pure-R reference ------------------------------------------------------
ref_env <- new.env()
ref_members <- function(t) {
  st <- ds("states")
  sort(unique(st$ccode[yr(st$start) <= t & yr(st$end) >= t]))
}
ref_mil <- function(t) {
  cp <- ds("capabilities")
  cp <- cp[cp$year == t, ]
  sh <- cbind(cp$milex / sum(cp$milex, na.rm = TRUE), cp$milper / sum(cp$milper, na.rm = TRUE))
  m <- rowMeans(sh, na.rm = TRUE)
  m[is.nan(m)] <- NA
  stats::setNames(m, cp$ccode)
}
ref_km <- function(t, j, i, capital_fallback = FALSE, carry_distance = FALSE) {
  co <- ds("contiguity")
  land <- co$conttype == 1L & yr(co$start) <= t & yr(co$end) >= t &
    ((co$ccode1 == j & co$ccode2 == i) | (co$ccode1 == i & co$ccode2 == j))
  if (any(land)) return(0)
  md <- ds("min_distance")
  tm <- if (carry_distance && t > max(md$year)) max(md$year) else t  # the last year carried
  r <- md$year == tm & md$ccode1 == min(i, j) & md$ccode2 == max(i, j)
  if (any(r)) return(md$mindist[r][1L])
  if (!capital_fallback) return(NA_real_)
  ca <- ds("capitals")
  cap <- function(cc) {
    s <- ca[ca$ccode == cc & yr(ca$start) <= t & yr(ca$end) >= t, ]
    s <- s[order(s$start), ]
    if (!nrow(s)) return(c(NA, NA))
    c(s$lat[nrow(s)], s$lon[nrow(s)])
  }
  a <- cap(j) * pi / 180
  b <- cap(i) * pi / 180
  h <- sin((b[1] - a[1]) / 2)^2 + cos(a[1]) * cos(b[1]) * sin((b[2] - a[2]) / 2)^2
  2 * 6371 * asin(sqrt(min(1, h)))
}
ref_mpd <- function(t) if (t <= 1917) 250 else if (t <= 1945) 375 else 500
# the ideal-point dissimilarity of j and i in year t (session t - 1945): the
# distance over the session's spread, from the memoised default fit
ref_ideal_dis <- function(t, j, i) {
  fit <- threatbalance:::tb_ideal_default()
  f <- fit[fit$session == t - 1945L, ]
  tj <- f$ideal[f$ccode == j]
  ti <- f$ideal[f$ccode == i]
  if (!length(tj) || !length(ti)) return(NA_real_)
  abs(tj - ti) / diff(range(f$ideal))
}
ref_sim <- function(t, source) {
  key <- paste(source, t)
  if (is.null(ref_env[[key]])) {
    ref_env[[key]] <- if (source == "alliance") alliance_similarity(t, method = "s")
                      else vote_similarity(t, method = "s")
  }
  ref_env[[key]]
}
# a major power in year t: a CoW spell, those in force at the list's end
# (2016-12-31) running on
ref_major <- function(j, t) {
  mp <- ds("major_powers")
  any(mp$ccode == j & yr(mp$start) <= t & (yr(mp$end) >= t | mp$end == as.Date("2016-12-31")))
}
# a defence or offence pact in force between j and i (either direction) in t
ref_allied <- function(j, i, t) {
  al <- ds("alliances")
  any(al$year == t & ((al$ccode1 == j & al$ccode2 == i) | (al$ccode1 == i & al$ccode2 == j)) &
        (al$defense == 1L | al$offense == 1L))
}
tc_default <- function(name) eval(formals(threat_components)[[name]])[1L]
ref_one <- function(t, j, i, power = "dyadic", decay = "exponential", scale = 1000,
                    capital_fallback = FALSE, half_life = 10,
                    hw = c(0, 0.25, 0.5, 0.75, 1),
                    parts = c("disputes", "rivalry", "similarity", "alliance"),
                    similarity = "alliance", beyond = "conflicts", carry_intent = TRUE,
                    carry_distance = TRUE, reach = "major",
                    reach_scale = tc_default("reach_scale"),
                    ally_discount = tc_default("ally_discount"),
                    dispute_scale = tc_default("dispute_scale")) {
  cp <- ds("capabilities")
  cinc <- function(cc) { v <- cp$cinc[cp$year == t & cp$ccode == cc]; if (length(v)) v else NA }
  cj <- cinc(j); ci <- cinc(i)
  pw <- if (power == "system") cj else if (is.na(cj + ci) || cj + ci == 0) NA else cj / (cj + ci)
  km <- ref_km(t, j, i, capital_fallback, carry_distance)
  if (reach == "major" && ref_major(j, t)) km <- km * scale / reach_scale
  miles <- km / 1.609344
  ex <- log10(miles / ref_mpd(t) + 10 - exp(1))
  px <- if (decay == "exponential") exp(-km / scale) else log10(10 - exp(1)) / ex
  mil <- ref_mil(t)
  mm <- mil[as.character(ref_members(t))]
  tot <- sum(mm, na.rm = TRUE)
  mj <- mil[as.character(j)]
  proj <- if (decay == "exponential") mj * exp(-km / scale) else mj^ex
  off <- unname(min(1, proj / tot))
  # intent
  p <- c()
  if ("disputes" %in% parts) {
    dp <- ds("disputes")
    if (t > 2010 && beyond == "na") p["mid"] <- NA else {
      r <- dp[dp$ccode1 == j & dp$ccode2 == i & dp$year <= t, ]
      r <- r[!duplicated(r[c("dispnum", "year")]) & !is.na(r$hostlev1), ]
      H <- sum(hw[r$hostlev1] * 2^(-(t - r$year) / half_life))
      if (beyond == "conflicts") {  # UCDP armed conflict after the MID data end
        ac <- ds("armed_conflicts")
        a <- ac[ac$year > 2010 & ac$year <= t &
                  ((ac$ccode1 == j & ac$ccode2 == i) | (ac$ccode1 == i & ac$ccode2 == j)), ]
        H <- H + sum(hw[ifelse(a$intensity == "war", 5L, 4L)] * 2^(-(t - a$year) / half_life))
      }
      p["mid"] <- 1 - exp(-H / dispute_scale)
    }
  }
  if ("rivalry" %in% parts) {
    rv <- ds("rivalries")
    on <- ((rv$ccode1 == j & rv$ccode2 == i) | (rv$ccode1 == i & rv$ccode2 == j)) &
      rv$start <= t & rv$end >= t
    if (t > 2020 && carry_intent) {  # rivalries in force in 2020 go on
      on <- ((rv$ccode1 == j & rv$ccode2 == i) | (rv$ccode1 == i & rv$ccode2 == j)) &
        rv$start <= 2020 & rv$end >= 2020
    }
    p["riv"] <- if (t > 2020 && !carry_intent) NA else as.numeric(any(on))
  }
  if ("similarity" %in% parts) {
    # votes: years with at least 20 roll calls (2026 has 11 and is outside coverage)
    cov <- if (similarity == "alliance") c(1816, 2018) else c(1946, 2025)
    s <- NA
    ts <- if (carry_intent && t > cov[2]) cov[2] else t  # the last year carried forward
    if (similarity == "ideal") {
      p["dis"] <- if (ts >= cov[1] && ts <= cov[2]) ref_ideal_dis(ts, j, i) else NA
    } else {
      if (ts >= cov[1] && ts <= cov[2]) {
        sm <- ref_sim(ts, similarity)
        v <- sm$s[sm$ccode1 == min(i, j) & sm$ccode2 == max(i, j)]
        if (length(v)) s <- v
      }
      p["dis"] <- (1 - s) / 2
    }
  }
  it <- if (all(is.na(p))) NA else mean(p, na.rm = TRUE)
  if ("alliance" %in% parts) {
    ta <- if (carry_intent && t > 2018) 2018 else t
    if (ta <= 2018 && ref_allied(j, i, ta)) it <- it * (1 - ally_discount)
  }
  c(power = pw, proximity = px, offense = off, intent = unname(it))
}
ref_check <- function(x, rows, ...) {
  for (r in rows) {
    want <- ref_one(x$year[r], x$ccode1[r], x$ccode2[r], ...)
    got <- unlist(x[r, c("power", "proximity", "offense", "intent")])
    expect_equal(unname(got), unname(want), tolerance = 1e-9,
                 label = sprintf("%d: %d -> %d", x$year[r], x$ccode1[r], x$ccode2[r]))
  }
}

# ---- components against the reference ------------------------------------
test_that("all directed dyad-years 1816-2022 match the pure-R reference on a sample", {
  x <- suppressWarnings(threat_components(1816:2022))
  expect_s3_class(x, "tb_threat")
  expect_named(x, c("year", "ccode1", "ccode2", "power", "proximity", "offense", "intent"))
  n <- table(ds("capabilities")$year)
  expect_equal(nrow(x), sum(n * (n - 1)))
  expect_false(any(x$ccode1 == x$ccode2))
  for (k in c("power", "proximity", "offense", "intent")) {
    v <- x[[k]][!is.na(x[[k]])]
    expect_true(all(v >= 0 & v <= 1), label = k)
  }
  set.seed(42)
  rows <- c(sample(nrow(x), 30), which(x$year == 2000 & x$ccode1 == 2 & x$ccode2 == 365),
            which(x$year == 1850 & x$ccode1 == 200 & x$ccode2 == 220),  # before mindist
            which(x$year == 1866 & x$ccode1 == 255 & x$ccode2 == 300),  # land contiguity, war
            which(x$year == 2021 & x$ccode1 == 710 & x$ccode2 == 365),  # beyond several sources
            which(x$year == 1962 & x$ccode1 == 365 & x$ccode2 == 2))
  ref_check(x, rows)
  # no distance known: NA, never 0
  x0 <- suppressWarnings(threat_components(2021, from = 2, to = 710, carry_distance = FALSE))
  expect_true(is.na(x0$proximity))
  expect_true(is.na(x$offense[x$year == 1850 & x$ccode1 == 2 & x$ccode2 == 200]))
})

test_that("options match the reference: bdm, system power, capitals, half-life, parts, votes", {
  yrs <- c(1870, 1914, 1938, 1950, 1979, 1995, 2005, 2012, 2020)
  x <- suppressWarnings(threat_components(yrs, decay = "bdm", power = "system",
                                          capital_fallback = TRUE, half_life = 3,
                                          similarity = "vote", beyond = "na"))
  set.seed(7)
  ref_check(x, sample(nrow(x), 25), decay = "bdm", power = "system",
            capital_fallback = TRUE, half_life = 3, similarity = "vote", beyond = "na")
  x2 <- suppressWarnings(threat_components(yrs, from = c("USA", "RUS", "CHN", "IND", "PAK"),
                                           to = c("RUS", "CHN", "USA", "JPN", "ISR"),
                                           scale = 300, half_life = Inf,
                                           intent_parts = "disputes",
                                           hostility_weights = c(1, 1, 2, 3, 4) / 4))
  ref_check(x2, seq_len(nrow(x2)), scale = 300, half_life = Inf, parts = "disputes",
            hw = c(1, 1, 2, 3, 4) / 4)
  x3 <- threat_components(1990, from = 2, to = 365, intent_parts = c("rivalry", "similarity"))
  ref_check(x3, 1, parts = c("rivalry", "similarity"))
  # reach, allies, conflicts, dispute scale and carry switched on and off
  x4 <- suppressWarnings(threat_components(c(1962, 1999, 2014, 2021, 2022),
                                           from = c("USA", "RUS", "CHN", "GBR", "CAN"),
                                           to = c("UKR", "CHN", "USA", "CAN", "FRN"),
                                           reach = "none", ally_discount = 1,
                                           beyond = "decay", dispute_scale = 3,
                                           carry_distance = FALSE))
  ref_check(x4, seq_len(nrow(x4)), reach = "none", ally_discount = 1, beyond = "decay",
            dispute_scale = 3, carry_distance = FALSE)
  x5 <- suppressWarnings(threat_components(c(1962, 2014, 2022), from = c("USA", "RUS", "CAN"),
                                           to = c("UKR", "CHN", "USA"), reach_scale = 9000,
                                           ally_discount = 0.3))
  ref_check(x5, seq_len(nrow(x5)), reach_scale = 9000, ally_discount = 0.3)
})

test_that("plot methods: one line per series, ... replaces defaults, zero rows draw a frame", {
  pdf(NULL)
  on.exit(grDevices::dev.off())
  x <- suppressWarnings(threat_components(2000:2003, from = c("USA", "India"), to = "China"))
  expect_invisible(plot(x))
  expect_silent(plot(x, main = "m", ylim = c(0, 1), col = 3:4, lwd = 1, xlab = "yr"))
  one <- x[x$ccode1 == 2, ]
  expect_silent(plot(one, panels = FALSE, main = "m", col = 1:4, ylim = c(0, 2)))
  expect_silent(plot(x[0, ]))
  expect_silent(plot(x[c("power")]))
  b <- suppressWarnings(bloc_threat("NATO", c("Russia", "China"), 2000:2003))
  expect_silent(plot(b, main = "NATO", col = c("red", "blue")))
  tb <- suppressWarnings(threat_balance("China", "Japan", 1990:1995))
  expect_s3_class(tb, c("tb_balance", "data.frame"))
  expect_silent(plot(tb, main = "x", col = 1:3, ylim = c(-1, 1)))
  expect_silent(plot(tb[0, ]))
  ph <- detect_phases(c(rep(0, 10), rep(3, 10)) + sin(1:20) / 10)
  expect_silent(plot(ph, col = "red", main = "y", ylim = c(-5, 5)))
})

test_that("column subsets print and summarise without warnings", {
  x <- suppressWarnings(threat_components(2000:2001, from = "USA", to = "China"))
  expect_silent(out <- capture.output(print(x[c("power")])))
  expect_match(out[1L], "years none")
  expect_silent(out <- capture.output(print(summary(x[c("power", "intent")]))))
  expect_match(out[1L], "years none")
  b <- suppressWarnings(bloc_threat("NATO", "China", 2000:2001))
  out <- capture.output(print(b[c("year", "power")]))
  expect_false(any(grepl("ccode1", out)))
})

test_that("threat_sensitivity matches alpha by name and refuses duplicate probs", {
  x <- suppressWarnings(threat_components(2000, from = "USA", to = "China"))
  a <- threat_sensitivity(x, draws = 4000, seed = 2,
                          alpha = c(intent = 50, power = 1, proximity = 1, offense = 1))
  b <- threat_sensitivity(x, draws = 4000, seed = 2, alpha = c(1, 1, 1, 50))
  expect_identical(a, b)
  expect_error(threat_sensitivity(x, alpha = c(intent = 1, power = 1, prox = 1, offense = 1)),
               class = "threatbalance_error_input")
  expect_error(threat_sensitivity(x, probs = c(0.5, 0.5)), "duplicates",
               class = "threatbalance_error_input")
})

test_that("bloc_threat: custom blocs equal the named bloc with the same members", {
  cols <- c("year", "to", "members", tb_threat_components_names, "threat")
  nato <- suppressWarnings(bloc_threat("NATO", "Russia", 1995:2002))
  expect_s3_class(nato, c("tb_bloc_threat", "tb_threat", "data.frame"))
  # NATO's own spells as a custom spells table (crosses the 1999 enlargement)
  sp <- blocs[blocs$bloc == "NATO", c("ccode", "start", "end")]
  cs <- suppressWarnings(bloc_threat(sp, "Russia", 1995:2002, label = "NATO"))
  expect_identical(as.data.frame(unclass(cs)), as.data.frame(unclass(nato)))
  expect_identical(attr(cs, "sources"), setdiff(attr(nato, "sources"), "blocs"))
  expect_true("blocs" %in% attr(nato, "sources"))
  # NATO's 2000 members as a vector: the same as NATO while membership is unchanged
  m00 <- bloc_members("NATO", 2000)$ccode
  v <- suppressWarnings(bloc_threat(m00, "Russia", 1999:2002))
  expect_identical(unique(v$bloc), "custom bloc")
  expect_equal(as.data.frame(unclass(v))[cols], as.data.frame(unclass(nato))[5:8, cols],
               ignore_attr = TRUE)
  # ... and frozen: in 2005 it still has 19 members where NATO has 26
  fz <- suppressWarnings(bloc_threat(list("NATO 2000" = m00), "Russia", 2005))
  expect_identical(fz$bloc, "NATO 2000")
  expect_identical(fz$members, 19L)
  # a vector of names, resolved in each year: Germany is West Germany in 1980
  g <- bloc_threat(c("Germany", "France"), "Russia", c(1980, 2000), label = "core")
  expect_identical(g$members, c(2L, 2L))
  cp <- tb_data("capabilities")[tb_data("capabilities")$year == 1980, ]
  s <- sum(cp$cinc[cp$ccode %in% c(220, 260)])
  expect_equal(g$power[1], s / (s + cp$cinc[cp$ccode == 365]))
  expect_error(bloc_threat(list(a = "NATO", b = "SCO"), "China", 2000), "single bloc",
               class = "threatbalance_error_input")
  expect_error(bloc_threat(c("NATO", "Russia"), "China", 2000), "Unknown bloc",
               class = "threatbalance_error_input")
})

test_that("bloc_threat: bloc against bloc is the member-weighted mean over the target bloc", {
  cmp <- tb_threat_components_names
  two <- c("Russia", "China")
  bb <- suppressWarnings(bloc_threat("NATO", list(RC = two), 2000:2003))
  expect_s3_class(bb, "tb_bloc_threat")
  expect_identical(names(bb), c("year", "bloc", "to", "members", "to_members", cmp, "threat"))
  expect_identical(bb$to, rep("RC", 4L))
  expect_identical(bb$to_members, rep(2L, 4L))
  each <- suppressWarnings(bloc_threat("NATO", two, 2000:2003))
  for (k in cmp) {
    expect_equal(bb[[k]], as.vector(tapply(each[[k]], each$year, mean)), info = k)
  }
  expect_equal(bb$threat, threat_index(bb))
  expect_identical(bb$members, each$members[each$to == 365])
  # capability weights: the targets' CINC
  bc <- suppressWarnings(bloc_threat("NATO", list(RC = two), 2000:2003,
                                     member_weights = "capability"))
  eachc <- suppressWarnings(bloc_threat("NATO", two, 2000:2003, member_weights = "capability"))
  cp <- tb_data("capabilities")[tb_data("capabilities")$year %in% 2000:2003 & tb_data("capabilities")$ccode %in% c(365, 710), ]
  w <- cp$cinc[match(paste(eachc$year, eachc$to), paste(cp$year, cp$ccode))]
  for (k in cmp) {
    expect_equal(bc[[k]], as.vector(tapply(eachc[[k]] * w, eachc$year, sum) /
                                      tapply(w, eachc$year, sum)), info = k)
  }
  # members of both blocs are left out of the source bloc
  ov <- bloc_threat(c("USA", "Turkey", "Japan"), list(T = c("Turkey", "China")), 2000)
  ref <- bloc_threat(c("USA", "Japan"), c("Turkey", "China"), 2000)
  expect_identical(ov$members, 2L)
  for (k in cmp) expect_equal(ov[[k]], mean(ref[[k]]), info = k)
  # a bloc name as the target, several target blocs
  ns <- suppressWarnings(bloc_threat("NATO", c("SCO", "BRICS"), 2010))
  expect_identical(ns$to, c("SCO", "BRICS"))
  expect_identical(ns$to_members, c(6L, 5L))
  expect_true("blocs" %in% attr(ns, "sources"))
  # a target bloc without members that year: NA components
  au <- bloc_threat("NATO", "AUKUS", 2015)
  expect_identical(au$to_members, 0L)
  expect_true(all(is.na(unlist(au[cmp]))))
})

test_that("bloc results print as a bloc after columns are dropped", {
  b <- suppressWarnings(bloc_threat("NATO", "SCO", 2005:2006))
  out <- capture.output(print(b[c("year", "threat")]))
  expect_match(out[1L], "of a bloc")
  expect_false(any(grepl("ccode", out)))
  skip_if_not_installed("dplyr")
  out <- capture.output(print(dplyr::select(b, year, threat)))
  expect_match(out[1L], "of a bloc")
  expect_false(any(grepl("ccode", out)))
  expect_identical(attr(dplyr::filter(b, year == 2005), "sources"), attr(b, "sources"))
})

test_that("bloc_threat on a target with no engine rows gives NA, not a base error", {
  b <- suppressWarnings(bloc_threat("NATO", "Ukraine", 1985:1990))
  expect_identical(nrow(b), 6L)
  expect_true(all(is.na(b$power)))
})

test_that("from/to restrict the dyads and accept names; 0 rows when none", {
  x <- threat_components(2000:2001, from = c("USA", "China"), to = "Russia")
  expect_equal(nrow(x), 4L)
  expect_setequal(x$ccode1, c(2L, 710L))
  expect_true(all(x$ccode2 == 365L))
  y <- threat_components(2000:2001)
  key <- paste(y$year, y$ccode1, y$ccode2)
  m <- match(paste(x$year, x$ccode1, x$ccode2), key)
  expect_equal(as.data.frame(unclass(x))[4:7], as.data.frame(unclass(y))[m, 4:7], ignore_attr = TRUE)
  z <- threat_components(2000, from = "USA", to = "USA")
  expect_equal(nrow(z), 0L)
  # a state not in the system that year gives no rows
  expect_equal(nrow(threat_components(1950, from = "Russia", to = "Estonia")), 0L)
})

test_that("coverage: years after the sources warn, years outside error", {
  expect_warning(threat_components(2021, from = 2, to = 365),
                 class = "threatbalance_warning_coverage")
  expect_no_warning(threat_components(2000, from = 2, to = 365))
  cls <- list()
  withCallingHandlers(threat_components(c(1850, 2021), from = 2, to = 365, carry_distance = TRUE),
                      warning = function(w) { cls[[length(cls) + 1L]] <<- class(w)
                        invokeRestart("muffleWarning") })
  expect_length(cls, 1L)
  expect_true("threatbalance_warning_coverage" %in% cls[[1L]])
  expect_error(threat_components(1700:1800), class = "threatbalance_error_coverage")
  expect_warning(x <- threat_components(2010:2011, from = 2, to = 365, beyond = "na"),
                 class = "threatbalance_warning_coverage")
  x5 <- suppressWarnings(threat_components(2011, from = 2, to = 365, beyond = "na",
                                           intent_parts = "disputes"))
  expect_true(is.na(x5$intent))
  c1 <- suppressWarnings(threat_components(2020:2022, from = 2, to = 365, carry_distance = TRUE))
  c0 <- suppressWarnings(threat_components(2019, from = 2, to = 365))
  expect_equal(c1$proximity, rep(c0$proximity, 3))
})

# ---- index, balance, sensitivity ----------------------------------------------
test_that("threat_index: geometric and additive against hand computation", {
  x <- data.frame(power = c(0.5, 0.2, NA, 0), proximity = c(1, 0.3, 0.4, 0.5),
                  offense = c(0.1, 0.9, 0.5, 0.5), intent = c(0.25, 0.7, 0.2, 0.5))
  # the default weights: intent 3, the others 1
  g <- (x$power * x$proximity * x$offense * x$intent^3)^(1 / 6)
  expect_equal(threat_index(x), g)
  a <- (x$power + x$proximity + x$offense + 3 * x$intent) / 6
  expect_equal(threat_index(x, combine = "additive"), a)
  eq <- c(power = 1, proximity = 1, offense = 1, intent = 1)
  expect_equal(threat_index(x, eq), (x$power * x$proximity * x$offense * x$intent)^(1 / 4))
  w <- c(power = 2, intent = 1)
  expect_equal(threat_index(x, w), x$power^(2 / 3) * x$intent^(1 / 3))
  expect_equal(threat_index(x, w, "additive"), (2 * x$power + x$intent) / 3)
  # an NA component with weight 0 does not matter
  expect_equal(threat_index(x[3, ], c(proximity = 1)), 0.4)
  expect_equal(threat_index(x[0, ]), numeric())
})

test_that("threat_balance is T(b->a) - T(a->b) of the two directed rows", {
  b <- threat_balance("China", "Russia", 1995:2000)
  x <- threat_components(1995:2000, from = c(710, 365), to = c(710, 365))
  ti <- threat_index(x)
  expect_equal(b$threat_ab, ti[x$ccode1 == 710])
  expect_equal(b$threat_ba, ti[x$ccode1 == 365])
  expect_equal(b$balance, b$threat_ba - b$threat_ab)
  b2 <- threat_balance("China", "Russia", 1995, weights = c(power = 1), combine = "additive")
  expect_equal(b2$balance, x$power[x$year == 1995 & x$ccode1 == 365] -
                 x$power[x$year == 1995 & x$ccode1 == 710])
})

test_that("threat_sensitivity matches Dirichlet draws and quantiles computed in R", {
  x <- data.frame(year = 1:5, power = c(0.5, 0.2, NA, 0, 1), proximity = c(1, 0.3, 0.4, 0.5, 1),
                  offense = c(0.1, 0.9, 0.5, 0.5, 1), intent = c(0.25, 0.7, 0.2, 0.5, 1))
  for (combine in c("geometric", "additive")) {
    s <- threat_sensitivity(x, draws = 500, seed = 3, probs = c(0, 0.1, 0.5, 1),
                            alpha = c(1, 2, 3, 4), combine = combine)
    set.seed(3)
    g <- matrix(rgamma(2000, shape = rep(1:4, each = 500)), 500)
    w <- g / rowSums(g)
    comp <- as.matrix(x[, 2:5])
    v <- if (combine == "geometric") exp(suppressWarnings(log(comp)) %*% t(w)) else comp %*% t(w)
    want <- t(apply(v, 1, function(r) if (anyNA(r)) rep(NA_real_, 4) else
      quantile(r, probs = c(0, 0.1, 0.5, 1), names = FALSE, type = 7)))
    expect_equal(unname(as.matrix(s[, -1])), want)
    expect_named(s, c("year", "q0", "q10", "q50", "q100"))
  }
  expect_true(all(is.na(unlist(s[3, -1]))))
  # constant components: every weighting gives the same index
  k <- threat_sensitivity(data.frame(power = 0.3, proximity = 0.3, offense = 0.3, intent = 0.3),
                          draws = 1, seed = 1)
  expect_equal(unlist(k[c("q5", "q50", "q95")], use.names = FALSE), rep(0.3, 3))
  # the seed does not disturb the caller's random stream
  set.seed(10); a <- runif(1); set.seed(10)
  threat_sensitivity(x, draws = 10, seed = 99); b <- runif(1)
  expect_identical(a, b)
})

# ---- blocs -----------------------------------------------------------------------
test_that("bloc_threat: NATO member counts follow accession history", {
  r <- suppressWarnings(bloc_threat("NATO", "Russia", 1949:2022, carry_distance = TRUE))
  hist <- c(rep(12, 3), rep(14, 3), rep(15, 27), rep(16, 17), rep(19, 5), rep(26, 5),
            rep(28, 8), rep(29, 3), rep(30, 3))
  expect_equal(r$members, hist)
  expect_equal(r$members[r$year == 1999], 19)
  ch <- suppressWarnings(bloc_threat("nato", "China", 1949:2022, carry_distance = TRUE))
  dR <- diff(r$proximity); dC <- diff(ch$proximity)
  at <- function(y) which(r$year[-1] == y)
  # enlargement brings the bloc nearer to Russia, not materially to China
  expect_gt(dR[at(1999)], 0.02)
  expect_gt(dR[at(2004)], 0.02)
  expect_true(dR[at(2017)] != 0 && dR[at(2020)] != 0)
  # (with the reach of its major powers, new small members far from China
  # dilute the members' mean proximity to China: never nearer)
  for (y in c(1999, 2004, 2017, 2020)) expect_lt(dC[at(y)], 0.005)
  # proximity is the members' mean proximity from the dyadic engine
  x <- threat_components(2004, from = bloc_members("NATO", 2004)$ccode, to = 365)
  expect_equal(r$proximity[r$year == 2004], mean(x$proximity))
  expect_equal(r$offense[r$year == 2004],
               min(1, sum(x$offense)))
  cp <- ds("capabilities"); cp <- cp[cp$year == 2004, ]
  sc <- sum(cp$cinc[cp$ccode %in% x$ccode1])
  expect_equal(r$power[r$year == 2004], sc / (sc + cp$cinc[cp$ccode == 365]))
  expect_equal(r$threat, threat_index(r))
})

test_that("bloc_threat: intent pools the members' records; capability weights", {
  r <- bloc_threat("NATO", "Russia", 2000, member_weights = "capability",
                   intent_parts = c("disputes", "rivalry"))
  m <- bloc_members("NATO", 2000)$ccode
  x <- threat_components(2000, from = m, to = 365, intent_parts = c("disputes", "rivalry"))
  cp <- ds("capabilities"); cp <- cp[cp$year == 2000, ]
  w <- cp$cinc[match(x$ccode1, cp$ccode)]
  expect_equal(r$proximity, sum(w * x$proximity) / sum(w))
  H <- 0
  dp <- ds("disputes")
  for (j in m) {
    d <- dp[dp$ccode1 == j & dp$ccode2 == 365 & dp$year <= 2000, ]
    H <- H + sum(c(0, .25, .5, .75, 1)[d$hostlev1] * 2^(-(2000 - d$year) / 10))
  }
  rv <- ds("rivalries")
  riv <- any(((rv$ccode1 %in% m & rv$ccode2 == 365) | (rv$ccode2 %in% m & rv$ccode1 == 365)) &
               rv$start <= 2000 & rv$end >= 2000)
  expect_equal(r$intent, mean(c(1 - exp(-H), riv)))
  # a member as target is left out of its own bloc
  t <- bloc_threat("NATO", "Turkey", 2000)
  expect_equal(t$members, 18L)
  # years before the bloc: no members, NA components
  pre <- bloc_threat("NATO", "Russia", 1946:1949)
  expect_equal(pre$members, c(0L, 0L, 0L, 12L))
  expect_true(all(is.na(pre$threat[1:3])))
})

# ---- methods ---------------------------------------------------------------------
test_that("print, summary and plot methods work", {
  x <- threat_components(1990:1995, from = "USA", to = "Russia")
  expect_output(print(x), "directed dyad-years")
  s <- summary(x)
  expect_s3_class(s, "summary.tb_threat")
  expect_equal(s$table["power", "mean"], mean(x$power))
  expect_output(print(s), "Threat components")
  pdf(NULL)
  on.exit(grDevices::dev.off())
  expect_invisible(plot(x))
  b <- bloc_threat("NATO", "Russia", 1990:1995)
  expect_output(print(b), "of a bloc")
  expect_invisible(plot(b))
  expect_invisible(plot(threat_components(1990:1991, from = c(2, 200), to = 365)))
})

# ---- bad input --------------------------------------------------------------------
test_that("bad input gives classed errors naming the argument", {
  expect_error(threat_components(2000, from = "Atlantis"), class = "threatbalance_error_unknown_state")
  expect_error(threat_components(2000, to = 1234), class = "threatbalance_error_unknown_state")
  expect_error(threat_components("2000"), class = "threatbalance_error_input")
  expect_error(threat_components(2000.5), class = "threatbalance_error_input")
  expect_error(threat_components(), class = "threatbalance_error_input")
  expect_error(threat_components(2000, decay = "linear"), "`decay`", class = "threatbalance_error_input")
  expect_error(threat_components(2000, scale = -1), "`scale`", class = "threatbalance_error_input")
  expect_error(threat_components(2000, half_life = 0), "`half_life`", class = "threatbalance_error_input")
  expect_error(threat_components(2000, hostility_weights = 1:3), "`hostility_weights`",
               class = "threatbalance_error_input")
  expect_error(threat_components(2000, intent_parts = character()), "`intent_parts`",
               class = "threatbalance_error_input")
  expect_error(threat_components(2000, intent_parts = "mood"), class = "threatbalance_error_input")
  expect_error(threat_components(2000, capital_fallback = NA), class = "threatbalance_error_input")
  expect_error(threat_components(2000, from = character()), "`from`", class = "threatbalance_error_input")
  x <- data.frame(power = 0.5, proximity = 0.5, offense = 0.5, intent = 0.5)
  expect_error(threat_index(x, c(power = -1, intent = 1)), "`weights`", class = "threatbalance_error_input")
  expect_error(threat_index(x, c(1, 1, 1, 1)), "`weights`", class = "threatbalance_error_input")
  expect_error(threat_index(x, c(power = 0, intent = 0)), "`weights`", class = "threatbalance_error_input")
  expect_error(threat_index(x, c(power = 1, size = 1)), "`weights`", class = "threatbalance_error_input")
  expect_error(threat_index(x, c(power = NA)), "`weights`", class = "threatbalance_error_input")
  expect_error(threat_index(x, combine = "max"), "`combine`", class = "threatbalance_error_input")
  expect_error(threat_index(x[-1]), "`x`", class = "threatbalance_error_input")
  expect_error(threat_index(transform(x, power = 2)), "power", class = "threatbalance_error_input")
  expect_error(threat_sensitivity(x, draws = 0), "`draws`", class = "threatbalance_error_input")
  expect_error(threat_sensitivity(x, draws = NA), "`draws`", class = "threatbalance_error_input")
  expect_error(threat_sensitivity(x, probs = 1.5), "`probs`", class = "threatbalance_error_input")
  expect_error(threat_sensitivity(x, alpha = 0), "`alpha`", class = "threatbalance_error_input")
  expect_error(threat_sensitivity(x, seed = "a"), "`seed`", class = "threatbalance_error_input")
  expect_error(bloc_threat("Hanseatic League", "Russia", 2000), "`bloc`", class = "threatbalance_error_input")
  expect_error(bloc_threat("NATO", "Narnia", 2000), class = "threatbalance_error_unknown_state")
  expect_error(bloc_threat("NATO", "Russia", 1700), class = "threatbalance_error_coverage")
  expect_error(bloc_threat("NATO", "Russia", 2000, weights = c(power = -1)),
               class = "threatbalance_error_input")
  expect_error(bloc_threat("NATO", "Russia", 2000, member_weights = "gdp"),
               class = "threatbalance_error_input")
  expect_error(bloc_threat("NATO", "Russia", 2000, colour = "red"), "`...`",
               class = "threatbalance_error_input")
  expect_error(threat_balance("China", "China", 2000), class = "threatbalance_error_input")
  expect_error(threat_balance(c("China", "USA"), "Russia", 2000), "`a`",
               class = "threatbalance_error_input")
  expect_error(threat_balance("China", "Russia", 3000), class = "threatbalance_error_coverage")
})

test_that("the C routines reject malformed arguments without crashing", {
  f <- getFromNamespace("C_ffi_threat_components", "threatbalance")
  s <- getFromNamespace("C_ffi_threat_sensitivity", "threatbalance")
  e4 <- list(integer(), integer(), integer(), double())
  sy <- list(2000L, 2L, 0.1, 0.1, 0, 0, 0L)
  m <- integer(1000)
  p <- list(power_system = FALSE, decay_bdm = FALSE, scale_km = 1000, half_life = 10,
            capital_fallback = FALSE, use_disputes = TRUE, use_rivalry = TRUE,
            use_similarity = TRUE, disputes_last = 2010L, disputes_beyond = TRUE,
            rivalry_first = 1494L, rivalry_last = 2020L, similarity_first = 1816L,
            similarity_last = 2018L, reach_major = TRUE, reach_km = 3000, dispute_scale = 1,
            use_alliance = TRUE, ally_discount = 0.5, alliance_first = 1816L,
            alliance_last = 2018L, detail = FALSE)
  expect_error(.Call(f, 2000, sy, e4, e4[1:3], e4, list(integer(), integer(), integer(), integer()), e4, e4, m, m, p),
               "ffi_threat_components")
  expect_error(.Call(f, 2000L, sy[1:5], e4, e4[1:3], e4, list(1L, 2L, 3L, 4L), e4, e4, m, m, p),
               "ffi_threat_components")
  expect_error(.Call(f, 2000L, sy, e4, e4[1:3], e4, list(1L, 2L, 3L, 4L), e4, e4, m[1:10], m, p),
               "ffi_threat_components")
  expect_error(.Call(f, 2000L, sy, e4, e4[1:3], e4, list(1L, 2L, 3L, 4L), e4, e4, m, m, p[1:3]),
               "ffi_threat_components")
  expect_error(.Call(f, c(2001L, 2000L), sy, e4, e4[1:3], e4, list(1L, 2L, 3L, 4L), e4, e4, m, m, p),
               "ffi_threat_components")
  expect_error(.Call(f, 2000L, list(2000L, 5000L, 0.1, 0.1, 0, 0, 0L), e4, e4[1:3], e4,
                     list(1L, 2L, 3L, 4L), e4, e4, m, m, p), "ffi_threat_components")
  ok <- .Call(f, 2000L, sy, e4, e4[1:3], e4, list(1L, 2L, 3L, 4L), e4, e4, m + 1L, m + 1L, p)
  expect_equal(length(ok[[1]]), 0L)
  expect_error(.Call(s, 1, matrix(1, 1, 4), TRUE, 0.5), "ffi_threat_sensitivity")
  expect_error(.Call(s, matrix(0.5, 1, 4), matrix(1, 1, 3), TRUE, 0.5), "ffi_threat_sensitivity")
  expect_error(.Call(s, matrix(0.5, 1, 4), matrix(1, 1, 4), NA, 0.5), "ffi_threat_sensitivity")
  expect_error(.Call(s, matrix(0.5, 1, 4), matrix(1, 1, 4), TRUE, 2), "ffi_threat_sensitivity")
  expect_error(.Call(s, matrix(0.5, 1, 4), matrix(-1, 1, 4), TRUE, 0.5), "ffi_threat_sensitivity")
  expect_equal(.Call(s, matrix(0.5, 0, 4), matrix(0.25, 2, 4), TRUE, 0.5), matrix(0, 0, 1))
})

test_that("carry_intent keeps intent's parts after the sources end", {
  a <- suppressWarnings(threat_components(2017:2022, from = "USA", to = "Russia",
                                          carry_intent = FALSE))
  b <- suppressWarnings(threat_components(2017:2022, from = "USA", to = "Russia",
                                          carry_intent = TRUE))
  expect_equal(a$intent[a$year <= 2018], b$intent[b$year <= 2018])
  # without carrying, intent is the mean of fewer parts after 2018 and 2020
  expect_false(isTRUE(all.equal(a$intent[a$year == 2019], b$intent[b$year == 2019])))
  # with carrying and no new disputes after 2010, intent only decays
  expect_true(all(diff(b$intent) <= 1e-12))
  # the carried dissimilarity equals the 2018 one: recompute from the parts
  s18 <- alliance_similarity(2018, method = "s")
  s18 <- s18$s[s18$ccode1 == 2 & s18$ccode2 == 365]
  c1 <- suppressWarnings(threat_components(c(2018, 2021), from = 2, to = 365,
                                           intent_parts = "similarity", carry_intent = TRUE))
  expect_equal(c1$intent, rep((1 - s18) / 2, 2))
  expect_error(threat_components(2000, from = 2, to = 365, carry_intent = NA),
               class = "threatbalance_error_input")
  n <- suppressWarnings(bloc_threat("NATO", "Russia", 2018:2022, carry_intent = TRUE))
  expect_false(anyNA(n$intent))
})

test_that("plot titles name the states", {
  pdf(NULL)
  on.exit(dev.off())
  x <- threat_components(2000:2002, from = "USA", to = "China")
  expect_invisible(plot(x))
  expect_invisible(plot(x, panels = FALSE))
  expect_error(plot(x, panels = "yes"), class = "threatbalance_error_input")
})

test_that("vote similarity coverage ends in 2025 and bloc subsets print as blocs", {
  expect_equal(threatbalance:::tb_threat_cov()$vote, c(1946L, 2025L))
  b <- suppressWarnings(bloc_threat("NATO", "China", 2000:2003))
  expect_output(print(b[b$year > 2001, ]), "of a bloc")
  expect_warning(threat_components(2020, from = 2, to = 365, similarity = "vote"),
                 class = "threatbalance_warning_coverage")
})

test_that("similarity = \"ideal\": the ideal-point distance over the year's spread", {
  # one fit of the ideal points per R session (the memo), shared with
  # test-portfolio.R and test-ideal.R
  x <- suppressWarnings(threat_components(2019, to = "China", similarity = "ideal"))
  idx <- threat_index(x)
  expect_true(all(x$intent >= 0 & x$intent <= 1, na.rm = TRUE))
  us <- which(x$ccode1 == 2L)
  expect_true(all(is.finite(unlist(x[us, c("power", "proximity", "offense", "intent")]))))
  # the US first, as with the other sources; Russia below India and Japan
  rk <- rank(-idx, ties.method = "min", na.last = "keep")
  expect_identical(as.integer(rk[us]), 1L)
  expect_gt(idx[us], idx[x$ccode1 == 365L])
  # against the pure-R reference, the dissimilarity part alone and all parts
  yrs <- c(1945, 1950, 1964, 1991, 2005, 2019, 2022)
  st <- c("USA", "RUS", "CHN", "GBR", "IND")
  x1 <- suppressWarnings(threat_components(yrs, from = st, to = st, similarity = "ideal",
                                           intent_parts = "similarity"))
  ref_check(x1, seq_len(nrow(x1)), similarity = "ideal", parts = "similarity")
  set.seed(3)
  x2 <- suppressWarnings(threat_components(yrs, similarity = "ideal"))
  ref_check(x2, sample(nrow(x2), 15), similarity = "ideal")
  # symmetric, NA before the UN (1945), 1 for the year's two furthest states;
  # 1964 is session 19 and its single roll call (February 1965)
  key <- paste(x1$year, x1$ccode1, x1$ccode2)
  expect_equal(x1$intent, x1$intent[match(paste(x1$year, x1$ccode2, x1$ccode1), key)])
  expect_true(all(is.na(x1$intent[x1$year == 1945])))
  expect_true(any(!is.na(x1$intent[x1$year == 1964])))
  expect_false(anyNA(x1$intent[x1$year == 2019]))
  d <- threatbalance:::tb_ideal_distance(2019L)
  far <- d[which.max(d$distance), ]
  xf <- threat_components(2019, from = far$ccode1, to = far$ccode2, similarity = "ideal",
                          intent_parts = "similarity")
  expect_equal(xf$intent, 1)
  # coverage: votes years; before 1946 the part is NA with a warning
  expect_identical(threatbalance:::tb_threat_cov()$ideal, threatbalance:::tb_cov("votes"))
  expect_warning(threat_components(1940:1946, from = 2, to = 365, similarity = "ideal"),
                 "similarity part of intent before 1946", class = "threatbalance_warning_coverage")
  # blocs and balances take it through `...`
  b <- suppressWarnings(bloc_threat("NATO", "China", 2019, similarity = "ideal"))
  expect_true(is.finite(b$threat))
  expect_equal(attr(b, "settings")$similarity, "ideal")
})

test_that("threat_sensitivity on zero rows and settings passed as symbols", {
  x <- threat_components(2000, from = "USA", to = "China")
  s0 <- threat_sensitivity(x[0, ], draws = 5, seed = 1)
  expect_equal(nrow(s0), 0L)
  expect_named(s0, c("year", "ccode1", "ccode2", "q5", "q50", "q95"))
  expect_error(bloc_threat("NATO", "China", 2000, half_life = quote(x)),
               class = "threatbalance_error_input")
})

test_that("bloc_threat needs `to`; threat_sensitivity bounds `draws`", {
  expect_error(bloc_threat("NATO", NULL, 2000), "`to`", class = "threatbalance_error_input")
  x <- threat_components(2000, from = "USA", to = "China")
  expect_error(threat_sensitivity(x, draws = .Machine$integer.max), "`draws`",
               class = "threatbalance_error_input")
  expect_equal(nrow(threat_sensitivity(x, draws = 1, seed = 1)), 1L)
})

test_that("user-facing errors are pinned", {
  comp <- data.frame(power = 0.5, proximity = 0.5, offense = 0.5, intent = 0.5)
  # threat_components(): its arguments, its settings (shared with bloc_threat()
  # and threat_balance()) and its years
  expect_snapshot(threat_components(), error = TRUE)
  expect_snapshot(threat_components(2000, from = character()), error = TRUE)
  expect_snapshot(threat_components(2000, from = NA), error = TRUE)
  expect_snapshot(threat_components(2000, from = "Atlantis"), error = TRUE)
  expect_snapshot(threat_components(2000, to = 2.5), error = TRUE)
  expect_snapshot(threat_components(2000, power = "relative"), error = TRUE)
  expect_snapshot(threat_components(2000, decay = c("bdm", "linear")), error = TRUE)
  expect_snapshot(threat_components(2000, scale = 0), error = TRUE)
  expect_snapshot(threat_components(2000, scale = "a"), error = TRUE)
  expect_snapshot(threat_components(2000, capital_fallback = "yes"), error = TRUE)
  expect_snapshot(threat_components(2000, carry_distance = NA), error = TRUE)
  expect_snapshot(threat_components(2000, carry_intent = c(TRUE, FALSE)), error = TRUE)
  expect_snapshot(threat_components(2000, half_life = -1), error = TRUE)
  expect_snapshot(threat_components(2000, hostility_weights = 1:4), error = TRUE)
  expect_snapshot(threat_components(2000, hostility_weights = c(0, 0, 0, 0, NA)), error = TRUE)
  expect_snapshot(threat_components(2000, hostility_weights = c(0, 0, 0, 0, Inf)), error = TRUE)
  expect_snapshot(threat_components(2000, intent_parts = character()), error = TRUE)
  expect_snapshot(threat_components(2000, intent_parts = "alliances"), error = TRUE)
  expect_snapshot(threat_components(2000, similarity = c("vote", "alliance", "x")), error = TRUE)
  expect_snapshot(threat_components(2000, similarity = "ideal points"), error = TRUE)
  expect_snapshot(threat_components(2000, beyond = "carry"), error = TRUE)
  expect_snapshot(threat_components("2000"), error = TRUE)
  expect_snapshot(threat_components(integer()), error = TRUE)
  expect_snapshot(threat_components(c(2000, NA)), error = TRUE)
  expect_snapshot(threat_components(2000.5), error = TRUE)
  expect_snapshot(threat_components(1700), error = TRUE)
  # threat_index()
  expect_snapshot(threat_index(1), error = TRUE)
  expect_snapshot(threat_index(comp[1:3]), error = TRUE)
  expect_snapshot(threat_index(transform(comp, power = 2)), error = TRUE)
  expect_snapshot(threat_index(comp, weights = c(1, 1)), error = TRUE)
  expect_snapshot(threat_index(comp, weights = c(power = 1, size = 1)), error = TRUE)
  expect_snapshot(threat_index(comp, weights = c(power = 1, power = 1)), error = TRUE)
  expect_snapshot(threat_index(comp, weights = c(power = 0)), error = TRUE)
  expect_snapshot(threat_index(comp, weights = c(power = -1)), error = TRUE)
  expect_snapshot(threat_index(comp, combine = "mean"), error = TRUE)
  # bloc_threat()
  expect_snapshot(bloc_threat(c("NATO", "SCO"), "China", 2000), error = TRUE)
  expect_snapshot(bloc_threat("Atlantis", "China", 2000), error = TRUE)
  expect_snapshot(bloc_threat("NATO", NULL, 2000), error = TRUE)
  expect_snapshot(bloc_threat("NATO", "China"), error = TRUE)
  expect_snapshot(bloc_threat("NATO", "China", 2000, member_weights = "gdp"), error = TRUE)
  expect_snapshot(bloc_threat("NATO", "China", 2000, speed = 1), error = TRUE)
  expect_snapshot(bloc_threat(c("NATO", "Russia"), "China", 2000), error = TRUE)
  expect_snapshot(bloc_threat(list(a = "NATO", b = "SCO"), "China", 2000), error = TRUE)
  expect_snapshot(bloc_threat("NATO", list(c("China", "Narnia")), 2000), error = TRUE)
  # threat_balance()
  expect_snapshot(threat_balance("USA"), error = TRUE)
  expect_snapshot(threat_balance(c("USA", "Russia"), "China", 2000), error = TRUE)
  expect_snapshot(threat_balance("USA", c("China", "Russia"), 2000), error = TRUE)
  expect_snapshot(threat_balance(NULL, "China", 2000), error = TRUE)
  expect_snapshot(threat_balance("USA", "United States", 2000), error = TRUE)
  expect_snapshot(threat_balance("USA", "China"), error = TRUE)
  expect_snapshot(threat_balance("USA", "China", 2000, 1), error = TRUE)
  expect_snapshot(threat_balance("USA", "China", 2000, combine = "mean"), error = TRUE)
  expect_snapshot(threat_balance("USA", "China", 2000, speed = 1), error = TRUE)
  expect_snapshot(threat_balance("USA", "China", 1700), error = TRUE)
  # threat_sensitivity()
  expect_snapshot(threat_sensitivity(comp[-1]), error = TRUE)
  expect_snapshot(threat_sensitivity(transform(comp, power = "a")), error = TRUE)
  expect_snapshot(threat_sensitivity(comp, draws = 0), error = TRUE)
  expect_snapshot(threat_sensitivity(comp, draws = 2.5), error = TRUE)
  expect_snapshot(threat_sensitivity(comp, seed = "a"), error = TRUE)
  expect_snapshot(threat_sensitivity(comp, probs = numeric()), error = TRUE)
  expect_snapshot(threat_sensitivity(comp, probs = 1.5), error = TRUE)
  expect_snapshot(threat_sensitivity(comp, alpha = c(1, 2)), error = TRUE)
  expect_snapshot(threat_sensitivity(comp, alpha = 0), error = TRUE)
  expect_snapshot(threat_sensitivity(comp, combine = "mean"), error = TRUE)
  # coverage warnings
  expect_snapshot(x <- threat_components(2021, from = "USA", to = "China"))
  expect_snapshot(x <- threat_components(1850, from = "UKG", to = "FRN"))
  expect_snapshot(x <- threat_components(c(1815, 2000), from = "USA", to = "China"))
  # methods
  x <- threat_components(2000, from = "USA", to = "China")
  expect_snapshot(plot(x, panels = "yes"), error = TRUE)
})

test_that("bloc_threat: a named label is used as a plain string (fuzz walk regression)", {
  w4 <- c(power = 1, proximity = 1, offense = 1, intent = 1)
  expect_no_warning(
    r <- bloc_threat(c("USA", "Japan"), to = list(RC = c("Russia", "China")), years = 2000,
                     weights = w4, label = c(x = "pair"))
  )
  expect_equal(unique(r$bloc), "pair")
  expect_equal(bloc_members(c("USA", "Japan"), 2000, label = c(a = "pair"))$bloc,
               c("pair", "pair"))
})
