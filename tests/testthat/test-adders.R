# The add_*() verbs (R/adders.R and the adders of R/capability.R and
# R/distance.R): class, rows and attributes kept; NA outside coverage; values
# equal the underlying functions' joined by hand; directed and undirected
# frames; one key convention across the dyadic outputs (every output joins
# to dyad_years() and to the others without type errors or silent NA).

has_dplyr <- requireNamespace("dplyr", quietly = TRUE) && requireNamespace("tibble", quietly = TRUE)
has_dt <- requireNamespace("data.table", quietly = TRUE)
capabilities <- threatbalance::capabilities
disputes <- threatbalance::disputes
rivalries <- threatbalance::rivalries
icews_dyads <- threatbalance::icews_dyads

# a small directed frame with an odd row order, an NA key row, a same-state
# row and a non-member, plus attributes of the user's own
adders_frame <- function() {
  d <- data.frame(year = c(2000L, 1950L, 2000L, 2005L, NA, 2000L, 2000L, 1990L),
                  ccode1 = c(710L, 2L, 2L, 365L, 2L, 2L, 2L, 255L),
                  ccode2 = c(2L, 365L, 710L, 2L, 20L, 2L, 365L, 2L),
                  id = 8:1)
  attr(d, "note") <- "mine"
  d
}

# every adder with its arguments, on dyad-years
adders_calls <- list(
  threat = function(d, ...) add_threat(d, ...),
  similarity_alliance = function(d, ...) add_similarity(d, "alliance", c("s", "kappa"), ...),
  similarity_votes = function(d, ...) add_similarity(d, "votes", c("agree", "pi"), ...),
  rivalry = function(d, ...) add_rivalry(d, types = TRUE, ...),
  disputes = function(d, ...) add_disputes(d, ...),
  capabilities = function(d, ...) add_capabilities(d, c("cinc", "milex"), ...),
  capdist = function(d, ...) add_distance(d, "capital", ...),
  mindist = function(d, ...) add_distance(d, "minimum", ...),
  contiguity = function(d, ...) add_contiguity(d, ...)
)

quiet <- function(expr) suppressWarnings(expr)

test_that("every adder keeps rows, order, attributes and adds only new columns", {
  d <- adders_frame()
  for (nm in names(adders_calls)) {
    out <- quiet(adders_calls[[nm]](d))
    expect_identical(class(out), "data.frame", info = nm)
    expect_identical(nrow(out), nrow(d), info = nm)
    expect_identical(out[names(d)], d[names(d)], info = nm)
    expect_identical(attr(out, "note"), "mine", info = nm)
    expect_identical(.row_names_info(out), .row_names_info(d), info = nm)
    expect_identical(names(out)[seq_along(d)], names(d), info = nm)
    expect_gt(ncol(out), ncol(d))
    # NA keys, and for dyadic measures a state with itself: NA, never 0
    new <- setdiff(names(out), names(d))
    rows <- if (nm %in% c("capabilities", "capdist")) 5L else c(5L, 6L)
    for (v in new) expect_true(all(is.na(out[[v]][rows])), info = paste(nm, v))
  }
})

test_that("adders keep tibbles, grouped tibbles and data.tables", {
  skip_if_not(has_dplyr)
  d <- adders_frame()
  tb <- tibble::as_tibble(d)
  g <- dplyr::group_by(tb, ccode1)
  for (nm in names(adders_calls)) {
    o1 <- quiet(adders_calls[[nm]](tb))
    expect_identical(class(o1), class(tb), info = nm)
    expect_identical(o1[names(tb)], tb, info = nm)
    o2 <- quiet(adders_calls[[nm]](g))
    expect_identical(class(o2), class(g), info = nm)
    expect_identical(dplyr::group_vars(o2), "ccode1")
    expect_identical(attr(o2, "groups"), attr(g, "groups"))
    for (v in names(o1)) expect_identical(o2[[v]], o1[[v]], info = paste(nm, v))
  }
  skip_if_not(has_dt)
  dt <- data.table::as.data.table(d)
  data.table::setkeyv(dt, "id")
  before <- data.table::copy(dt)
  for (nm in names(adders_calls)) {
    o <- quiet(adders_calls[[nm]](dt))
    expect_true(data.table::is.data.table(o), info = nm)
    expect_identical(dt, before, info = nm)             # not modified by reference
    expect_identical(names(dt), names(before), info = nm)
    expect_identical(data.table::key(o), "id")
    # a valid selfref: `:=` (evaluated where data.table is aware) does not warn
    expect_no_warning(eval(quote(o[, extra := 1L]), list(o = o), globalenv()))
    expect_identical(ncol(dt), ncol(before))
  }
})

test_that("a name clash is a classed error unless replace = TRUE", {
  d <- data.frame(year = 2000L, ccode1 = 2L, ccode2 = 710L, conttype = "mine")
  expect_error(add_contiguity(d), class = "threatbalance_error_clash")
  out <- add_contiguity(d, replace = TRUE)
  expect_identical(out$conttype, 0L)
  expect_identical(names(out), names(d))
  s <- data.frame(year = 2000L, ccode = 2L, cinc = 1)
  expect_error(add_capabilities(s, "cinc"), class = "threatbalance_error_clash")
  # adding the same columns twice is a clash too
  t1 <- add_disputes(data.frame(year = 2000L, ccode1 = 2L, ccode2 = 710L))
  expect_error(add_disputes(t1), "`mid_onset`", class = "threatbalance_error_clash")
  expect_identical(add_disputes(t1, replace = TRUE), t1)
})

test_that("add_threat() equals threat_components() and threat_index() joined by hand", {
  d <- quiet(dyad_years(c(1990, 2010, 2022)))
  d <- d[sample(nrow(d), 3000), ]
  out <- quiet(add_threat(d, half_life = 5, reach = "none"))
  ref <- quiet(threat_components(c(1990, 2010, 2022), half_life = 5, reach = "none"))
  ref$threat <- threat_index(ref)
  m <- merge(d, as.data.frame(unclass(ref)), by = c("year", "ccode1", "ccode2"), all.x = TRUE,
             sort = FALSE)
  m <- m[match(paste(d$year, d$ccode1, d$ccode2), paste(m$year, m$ccode1, m$ccode2)), ]
  for (v in c("power", "proximity", "offense", "intent", "threat")) {
    expect_identical(out[[v]], m[[v]], info = v)
  }
  # weights and combine reach the index
  o2 <- quiet(add_threat(d[1:50, ], weights = c(power = 1), combine = "additive"))
  expect_equal(o2$threat, o2$power)
  # outside the power data: NA with a coverage warning
  far <- data.frame(year = c(2023L, 2010L), ccode1 = 2L, ccode2 = 710L)
  expect_warning(o3 <- add_threat(far), class = "threatbalance_warning_coverage")
  expect_true(all(is.na(o3[1L, c("power", "proximity", "offense", "intent", "threat")])))
  expect_false(anyNA(o3[2L, c("power", "proximity", "offense", "intent", "threat")]))
  expect_error(add_threat(d, bogus = 1), class = "threatbalance_error_input")
})

test_that("add_threat() detects undirected frames and gives both directions", {
  u <- dyad_years(2000, directed = FALSE)
  u <- u[u$ccode1 %in% c(2, 365, 710) | u$ccode2 %in% c(2, 365, 710), ]
  out <- quiet(add_threat(u))
  expect_true(all(c("threat", "threat_rev", "power", "intent_rev") %in% names(out)))
  dir <- quiet(add_threat(rbind(u, data.frame(year = u$year, ccode1 = u$ccode2,
                                              ccode2 = u$ccode1))))
  key <- paste(dir$ccode1, dir$ccode2)
  expect_identical(out$threat, dir$threat[match(paste(u$ccode1, u$ccode2), key)])
  expect_identical(out$threat_rev, dir$threat[match(paste(u$ccode2, u$ccode1), key)])
  expect_identical(out$offense_rev, dir$offense[match(paste(u$ccode2, u$ccode1), key)])
  # forced directed: one direction
  o2 <- quiet(add_threat(u, directed = TRUE))
  expect_identical(o2[names(o2)], out[names(o2)])
  expect_false("threat_rev" %in% names(o2))
  expect_error(add_threat(u, directed = NA), class = "threatbalance_error_input")
})

test_that("directed detection: ccode1 < ccode2 everywhere is undirected", {
  f <- asNamespace("threatbalance")$tb_frame_directed
  expect_false(f(list(ccode1 = c(2L, 2L, NA), ccode2 = c(20L, 710L, 5L))))
  expect_true(f(list(ccode1 = c(2L, 710L), ccode2 = c(710L, 2L))))
  expect_true(f(list(ccode1 = 710L, ccode2 = 2L)))
  expect_true(f(list(ccode1 = integer(), ccode2 = integer())))
  expect_true(f(list(ccode1 = 2L, ccode2 = 710L), directed = TRUE))
})

test_that("add_similarity() equals alliance_similarity() and vote_similarity(), both orientations", {
  d <- dyad_years(c(1960, 2000, 2015))
  d <- d[sample(nrow(d), 4000), ]
  a <- add_similarity(d, "alliance", c("s", "kappa", "pi", "taub", "agree"), coding = "binary")
  ref <- alliance_similarity(c(1960, 2000, 2015), coding = "binary",
                             method = c("s", "kappa", "pi", "taub", "agree"))
  key <- paste(d$year, pmin(d$ccode1, d$ccode2), pmax(d$ccode1, d$ccode2))
  i <- match(key, paste(ref$year, ref$ccode1, ref$ccode2))
  for (m in c("s", "kappa", "pi", "taub", "agree")) {
    expect_identical(a[[paste0("alliance_", m)]], ref[[m]][i], info = m)
  }
  expect_false(anyNA(a$alliance_s))            # every member pair is scored
  v <- quiet(add_similarity(d, "votes", c("agree", "s"), important = TRUE))
  vr <- vote_similarity(c(1960, 2000, 2015), method = c("agree", "s"), important = TRUE)
  j <- match(key, paste(vr$year, vr$ccode1, vr$ccode2))
  expect_identical(v$votes_agree, vr$agree[j])
  expect_identical(v$votes_s, vr$s[j])
  # outside coverage: NA with a warning
  expect_warning(o <- add_similarity(data.frame(year = 2019L, ccode1 = 2L, ccode2 = 710L)),
                 class = "threatbalance_warning_coverage")
  expect_identical(o$alliance_s, NA_real_)
  expect_error(add_similarity(d, "alliance", important = TRUE), class = "threatbalance_error_input")
  expect_error(add_similarity(d, "alliance", "ideal"), class = "threatbalance_error_input")
  expect_error(add_similarity(data.frame(year = 2000L, ccode = 2L)),
               class = "threatbalance_error_input")
})

test_that("add_similarity(method = 'ideal') adds ideal-point distances", {
  skip_on_cran()
  d <- data.frame(year = c(2010L, 2010L, 1940L), ccode1 = c(2L, 710L, 2L),
                  ccode2 = c(710L, 2L, 200L))
  o <- quiet(add_similarity(d, "votes", "ideal"))
  ref <- asNamespace("threatbalance")$tb_ideal_distance(2010L)
  expect_identical(o$votes_ideal[1:2], rep(ref$distance[ref$ccode1 == 2 & ref$ccode2 == 710], 2))
  expect_true(is.na(o$votes_ideal[3]))
})

test_that("add_rivalry() and add_disputes() agree with the datasets", {
  d <- dyad_years(c(1962, 1995, 2001, 2010))
  d <- d[sample(nrow(d)), ]
  r <- add_rivalry(d, types = TRUE)
  rv <- rivalries
  inr <- vapply(seq_len(nrow(d)), function(k) {
    any((rv$ccode1 == d$ccode1[k] & rv$ccode2 == d$ccode2[k] |
           rv$ccode1 == d$ccode2[k] & rv$ccode2 == d$ccode1[k]) &
          rv$start <= d$year[k] & rv$end >= d$year[k])
  }, NA)
  expect_identical(r$rivalry, as.integer(inr))
  expect_true(all(r$rivalry_principal <= r$rivalry))
  dp <- add_disputes(d)
  dk <- paste(disputes$year, disputes$ccode1, disputes$ccode2)
  k <- paste(d$year, d$ccode1, d$ccode2)
  expect_identical(dp$mid_ongoing, as.integer(k %in% dk))
  expect_identical(dp$mid_onset, as.integer(k %in% dk[disputes$onset == 1L]))
  hl <- tapply(disputes$hostlev1, dk, max)
  exp1 <- as.integer(hl[k]); exp1[is.na(exp1)] <- 0L
  expect_identical(dp$mid_hostlev1, exp1)
  # both orientations of a dispute: hostility levels swap
  a <- dp[dp$year == 2001 & dp$ccode1 == 2 & dp$ccode2 == 710, ]
  b <- dp[dp$year == 2001 & dp$ccode1 == 710 & dp$ccode2 == 2, ]
  expect_identical(c(a$mid_hostlev1, a$mid_hostlev2), c(b$mid_hostlev2, b$mid_hostlev1))
  expect_identical(a$mid_count, b$mid_count)
  # outside coverage and non-members: NA, not 0
  far <- data.frame(year = c(2011L, 1850L, 2005L), ccode1 = c(2L, 2L, 2L),
                    ccode2 = c(710L, 710L, 255L))
  expect_warning(o <- add_disputes(far), class = "threatbalance_warning_coverage")
  expect_identical(o$mid_ongoing, c(NA, NA, 0L))
  expect_identical(quiet(add_rivalry(data.frame(year = 2021L, ccode1 = 2L, ccode2 = 710L)))$rivalry,
                   NA_integer_)
})

test_that("monadic frames: capabilities, distance, contiguity, rivalries and disputes", {
  s <- data.frame(year = c(2001L, 2000L, 2000L, NA, 1850L), ccode = c(2L, 710L, 20L, 2L, 710L))
  cap <- add_capabilities(s, c("cinc", "milex"))
  i <- match(paste(s$year, s$ccode), paste(capabilities$year, capabilities$ccode))
  expect_identical(cap$cinc, capabilities$cinc[i])
  expect_identical(cap$milex, capabilities$milex[i])
  dp <- add_disputes(s)
  own <- disputes[paste(disputes$year, disputes$ccode1) == "2001 2", ]
  expect_identical(dp$mid_count[1], length(unique(own$dispnum)))
  expect_identical(dp$mid_hostlev[1], max(own$hostlev1))
  expect_true(is.na(dp$mid_ongoing[4]))
  expect_true(is.na(dp$mid_ongoing[5]))          # China not a member in 1850
  rv <- add_rivalry(s)
  expect_identical(rv$rivalries[2], sum(rivalries$start <= 2000 & rivalries$end >= 2000 &
                                          (rivalries$ccode1 == 710 | rivalries$ccode2 == 710)))
  ct <- add_contiguity(s)
  dy <- add_contiguity(dyad_years(2000))
  expect_identical(ct$land[2], sum(dy$ccode1 == 710 & dy$conttype == 1L))
  expect_identical(ct$sea[3], sum(dy$ccode1 == 20 & dy$conttype %in% 2:5))
  md <- add_distance(s[2:3, ], "minimum")
  dd <- add_distance(dyad_years(2000), "minimum")
  expect_identical(md$mindist[2], min(dd$mindist[dd$ccode1 == 20], na.rm = TRUE))
  cd <- add_distance(s[2:3, ], "capital")
  dc <- add_distance(dyad_years(2000), "capital")
  expect_equal(cd$mincapdist[1], min(dc$capdist[dc$ccode1 == 710], na.rm = TRUE))
  expect_error(add_threat(s), class = "threatbalance_error_input")
  expect_error(add_capabilities(data.frame(year = 2000L, ccode = 999L)),
               class = "threatbalance_error_unknown_state")
})

test_that("names = TRUE adds state names", {
  d <- data.frame(year = 2000L, ccode1 = 2L, ccode2 = 710L)
  o <- add_disputes(d, names = TRUE)
  expect_identical(o$state_name1, "United States of America")
  expect_identical(o$state_name2, "China")
  o2 <- add_capabilities(data.frame(year = 2000L, ccode = 365L), "cinc", names = TRUE)
  expect_identical(o2$state_name, "Russia")
  a <- alliance_similarity(2000, "valued", "s", names = TRUE)
  expect_identical(a$state_name2[a$ccode1 == 2 & a$ccode2 == 710], "China")
})

test_that("similarity with directed = TRUE gives both orientations, sorted", {
  a <- alliance_similarity(2000, method = "s")
  b <- alliance_similarity(2000, method = "s", directed = TRUE)
  expect_identical(nrow(b), 2L * nrow(a))
  expect_false(is.unsorted(b$year * 1e6 + b$ccode1 * 1e3 + b$ccode2))
  r <- b[b$ccode1 > b$ccode2, ]
  expect_identical(r$s[order(r$ccode2, r$ccode1)], a$s)
  v <- vote_similarity(2015, "agree", directed = TRUE)
  expect_identical(nrow(v), 2L * nrow(vote_similarity(2015, "agree")))
  expect_error(vote_similarity(2015, directed = "yes"), class = "threatbalance_error_input")
  d <- data.frame(year = rep(2000:2001, each = 6), state = rep(c("A", "B", "C"), 4),
                  rollcall = rep(rep(1:2, each = 3), 2),
                  vote = c(1, 1, 3, 1, 2, 3, 1, 3, 3, 2, 2, 1))
  u <- dyadic_similarity(d, "state", "rollcall", "vote", period = "year", method = "agree",
                         levels = 1:3)
  w <- dyadic_similarity(d, "state", "rollcall", "vote", period = "year", method = "agree",
                         levels = 1:3, directed = TRUE)
  expect_identical(nrow(w), 2L * nrow(u))
  expect_identical(w[w$actor1 < w$actor2, ], u, ignore_attr = TRUE)
  expect_identical(w$agree[w$period == 2000 & w$actor1 == "C" & w$actor2 == "A"],
                   u$agree[u$period == 2000 & u$actor1 == "A" & u$actor2 == "C"])
})

test_that("every dyadic output joins to dyad_years() and to the others without type errors or silent NA", {
  dy <- dyad_years(2005:2006)
  ud <- dyad_years(2005:2006, directed = FALSE)
  outs <- list(
    threat_components = as.data.frame(unclass(quiet(threat_components(2005:2006)))),
    alliance_similarity = alliance_similarity(2005:2006, directed = TRUE),
    vote_similarity = vote_similarity(2005:2006, directed = TRUE),
    relation_scores = relation_scores(icews_dyads[icews_dyads$year %in% 2005:2006, ],
                                      directed = TRUE),
    dyad_years = dy
  )
  undirected <- list(alliance_similarity = alliance_similarity(2005:2006),
                     vote_similarity = vote_similarity(2005:2006),
                     relation_scores = relation_scores(icews_dyads[icews_dyads$year %in% 2005:2006, ]))
  by <- c("year", "ccode1", "ccode2")
  for (nm in names(outs)) {
    o <- outs[[nm]]
    for (v in by) expect_type(o[[v]], "integer")
    expect_false(anyDuplicated(o[by]) > 0, info = nm)
    m <- merge(dy, o, by = by, all.x = TRUE)
    expect_identical(nrow(m), nrow(dy), info = nm)
    # every row of the output (dyads of system members) finds its dyad-year
    hit <- paste(o$year, o$ccode1, o$ccode2) %in% paste(dy$year, dy$ccode1, dy$ccode2)
    if (nm != "relation_scores") expect_true(all(hit), info = nm)  # ICEWS has non-members
    if (nm %in% c("threat_components", "alliance_similarity")) {
      # scored for every directed member dyad: no silent NA from the join
      expect_false(anyNA(m[[setdiff(names(o), by)[1L]]]), info = nm)
    }
  }
  for (nm in names(undirected)) {
    o <- undirected[[nm]]
    expect_true(all(o$ccode1 < o$ccode2), info = nm)
    m <- merge(ud, o, by = by, all.x = TRUE)
    expect_identical(nrow(m), nrow(ud), info = nm)
  }
  # outputs joined to each other
  j <- merge(outs$threat_components, outs$alliance_similarity, by = by)
  expect_identical(nrow(j), nrow(outs$alliance_similarity))
  j2 <- merge(j, outs$vote_similarity, by = by, all.x = TRUE)
  expect_identical(nrow(j2), nrow(j))
  # the adders on the same frame give the joined values
  a <- quiet(add_similarity(add_threat(dy), "alliance"))
  r <- outs$alliance_similarity
  expect_identical(a$alliance_s, r$s[match(paste(dy$year, dy$ccode1, dy$ccode2),
                                           paste(r$year, r$ccode1, r$ccode2))])
  expect_identical(a$threat, threat_index(outs$threat_components))
  skip_if_not(has_dplyr)
  for (nm in names(outs)) {
    o <- outs[[nm]]
    l <- dplyr::left_join(tibble::as_tibble(dy), o, by = by)
    expect_identical(nrow(l), nrow(dy), info = nm)
  }
  l2 <- dplyr::left_join(outs$threat_components, outs$relation_scores, by = by)
  expect_identical(nrow(l2), nrow(outs$threat_components))
  expect_gt(sum(!is.na(l2$n_events)), 1000)
})

test_that("relation_scores() and relation_level() follow the key convention", {
  rs <- relation_scores(icews_dyads[icews_dyads$year == 2010, ])
  expect_type(rs$ccode1, "integer")
  expect_identical(rs$ccode1, as.integer(rs$actor))
  ev <- data.frame(date = as.Date(c("2001-04-01", "2002-05-20")), actor = c("710", "NATO"),
                   target = c("2", "710"), cameo = c("112", "036"))
  expect_false("ccode1" %in% names(relation_scores(ev)))      # not all state codes
  expect_type(relation_scores(ev[1, ])$ccode2, "integer")
  lv <- relation_level(ev, "710", c("2", "NATO"), by = "year")
  expect_identical(lv$year, 2001:2002)
  lm <- relation_level(ev, "710", c("2", "NATO"))
  expect_identical(lm$month[1:3], 4:6)
  expect_identical(lm$year[1], 2001L)
})

test_that("adders: user-facing errors are pinned", {
  local_reproducible_output()
  d <- data.frame(year = 2000L, ccode1 = 2L, ccode2 = 710L, conttype = 1L)
  expect_snapshot(add_contiguity(d), error = TRUE)
  expect_snapshot(add_threat(data.frame(year = 2000L, ccode = 2L)), error = TRUE)
  expect_snapshot(add_similarity(d, "votes", weighted = TRUE), error = TRUE)
  expect_snapshot(add_rivalry(data.frame(year = 2000L, ccode = 1000L)), error = TRUE)
  expect_snapshot(add_disputes(data.frame(year = 2000L, state = 2L)), error = TRUE)
})
