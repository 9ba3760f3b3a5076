# Keys, types, coverage and published values of the packaged datasets.

key_unique <- function(d, keys) !anyDuplicated(d[, keys, drop = FALSE])

test_that("states: spells, types, current members open-ended", {
  expect_s3_class(states$start, "Date")
  expect_s3_class(states$end, "Date")
  expect_type(states$ccode, "integer")
  expect_true(all(states$start <= states$end))
  expect_true(key_unique(states, c("ccode", "start")))
  open_end <- as.Date("9999-12-31")
  expect_equal(sum(states$end == open_end), 195L)
  expect_true(all(states$end[states$end != open_end] <= as.Date("2016-12-31")))
  expect_false(any(states$end == as.Date("2016-12-31")))
  expect_false(anyNA(states$end))
  # Germany: West Germany ends on reunification day eve, Germany restarts
  expect_equal(states$end[states$ccode == 260], as.Date("1990-10-02"))
  expect_equal(max(states$end[states$ccode == 255]), open_end)
  # Members in 2025 are the current members
  jan1 <- as.Date("2025-01-01")
  expect_equal(sum(states$start <= jan1 & states$end >= jan1), 195L)
  expect_equal(states$iso3c[states$ccode == 710], "CHN")
  expect_equal(states$iso3c[states$ccode == 365], "RUS")
})

test_that("capabilities: NMC 7.0 rows, keys and published CINC", {
  capabilities <- threatbalance::capabilities  # base R has a capabilities() function
  expect_equal(nrow(capabilities), 17121L)
  expect_true(key_unique(capabilities, c("ccode", "year")))
  expect_equal(range(capabilities$year), c(1816L, 2022L))
  expect_type(capabilities$year, "integer")
  for (v in c("milex", "milper", "irst", "pec", "tpop", "upop", "cinc"))
    expect_true(all(capabilities[[v]] >= 0, na.rm = TRUE), info = v)
  c22 <- capabilities[capabilities$year == 2022, ]
  # Published NMC 7.0 values for 2022
  expect_equal(c22$cinc[c22$ccode == 710], 0.23409663, tolerance = 1e-7)
  expect_equal(c22$cinc[c22$ccode == 2], 0.12356574, tolerance = 1e-7)
  expect_equal(c22$cinc[c22$ccode == 365], 0.03819699, tolerance = 1e-7)
  expect_equal(c22$milex[c22$ccode == 2], 838814000)
})

test_that("gdp_pop, capitals, contiguity, min_distance", {
  expect_true(key_unique(gdp_pop, c("ccode", "year")))
  expect_equal(range(gdp_pop$year), c(1816L, 2019L))
  expect_true(all(capitals$start <= capitals$end))
  expect_true(all(abs(capitals$lat) <= 90 & abs(capitals$lon) <= 180))
  expect_true(all(contiguity$conttype %in% 0:5))
  expect_true(max(contiguity$end) <= as.Date("2016-12-31"))
  expect_true(key_unique(min_distance, c("ccode1", "ccode2", "year")))
  expect_true(all(min_distance$ccode1 < min_distance$ccode2))
  expect_equal(range(min_distance$year), c(1886L, 2019L))
  expect_true(all(min_distance$mindist >= 0))
  # Russia and China share a land border
  expect_equal(min_distance$mindist[min_distance$ccode1 == 365 &
                                      min_distance$ccode2 == 710 &
                                      min_distance$year == 2000], 0)
})

test_that("alliances, disputes, rivalries", {
  expect_true(key_unique(alliances, c("ccode1", "ccode2", "year")))
  expect_equal(range(alliances$year), c(1815L, 2018L))
  flags <- c("defense", "offense", "neutral", "nonagg", "consul")
  expect_true(all(unlist(alliances[flags]) %in% 0:1))
  # 170 dyad-years record an alliance with none of the five obligations
  expect_equal(sum(rowSums(alliances[flags]) == 0), 170L)
  # The North Atlantic Treaty: US-UK defence pact in force in 1950
  expect_equal(alliances$defense[alliances$ccode1 == 2 & alliances$ccode2 == 200 &
                                   alliances$year == 1950], 1L)
  expect_true(key_unique(disputes, c("dispnum", "ccode1", "ccode2", "year")))
  expect_equal(range(disputes$year), c(1816L, 2010L))
  expect_true(all(disputes$hostlev1 %in% 1:5 & disputes$hostlev2 %in% 1:5))
  expect_true(all(rivalries$start <= rivalries$end))
  expect_true(any(rivalries$ccode1 == 2 & rivalries$ccode2 == 365 |
                    rivalries$ccode1 == 365 & rivalries$ccode2 == 2))
})

test_that("UN votes: codes, keys and the China seat", {
  expect_true(key_unique(unga_votes, c("rcid", "ccode")))
  expect_true(all(unga_votes$vote %in% 1:3))
  expect_true(all(unga_votes$ccode %in% states$ccode))
  expect_true(all(unga_votes$rcid %in% unga_rollcalls$rcid))
  expect_true(key_unique(unga_rollcalls, "rcid"))
  expect_equal(range(unga_rollcalls$year), c(1946L, 2026L))
  v <- merge(unga_votes[unga_votes$ccode %in% c(710, 713), ],
             unga_rollcalls[, c("rcid", "session", "date")])
  # ROC votes end with resolution 2758 (25 October 1971), PRC votes start after
  expect_true(all(v$date[v$ccode == 713] <= as.Date("1971-10-25")))
  expect_true(all(v$date[v$ccode == 710] > as.Date("1971-10-25")))
  expect_true(all(v$session[v$ccode == 710] >= 26))
  expect_true(all(c(260L, 265L, 255L) %in% unga_votes$ccode))
})

test_that("cameo and icews_dyads", {
  expect_true(key_unique(cameo, "code"))
  expect_true(all(cameo$goldstein >= -10 & cameo$goldstein <= 10))
  expect_true(all(cameo$quad %in% 1:4))
  expect_equal(cameo$goldstein[cameo$code == "190"], -10)
  expect_true(key_unique(icews_dyads, c("year", "ccode1", "ccode2")))
  expect_equal(range(icews_dyads$year), c(2002L, 2014L))
  expect_equal(length(unique(icews_dyads$ccode1)), 152L)
  expect_true(all(icews_dyads[, 4:7] >= 0))
})

test_that("data/ stays small", {
  dd <- system.file("data", package = "threatbalance")
  skip_if(dd == "")
  expect_lt(sum(file.size(list.files(dd, full.names = TRUE))), 5 * 2^20)
})
