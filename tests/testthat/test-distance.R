# distance_km(), add_distance() and add_contiguity() against R references.

ref_hav <- function(lat1, lon1, lat2, lon2, r = 6371) {
  rad <- pi / 180
  a <- sin((lat2 - lat1) * rad / 2)^2 +
    cos(lat1 * rad) * cos(lat2 * rad) * sin((lon2 - lon1) * rad / 2)^2
  2 * r * asin(sqrt(pmin(1, a)))
}
caps <- threatbalance::capitals
cont <- threatbalance::contiguity
mind <- threatbalance::min_distance

test_that("distance_km() matches the haversine reference and is symmetric", {
  set.seed(51)
  n <- 500
  la1 <- runif(n, -90, 90); lo1 <- runif(n, -180, 180)
  la2 <- runif(n, -90, 90); lo2 <- runif(n, -180, 180)
  d <- distance_km(la1, lo1, la2, lo2)
  expect_equal(d, ref_hav(la1, lo1, la2, lo2), tolerance = 1e-12)
  expect_equal(d, distance_km(la2, lo2, la1, lo1), tolerance = 1e-14)
  expect_identical(distance_km(la1, lo1, la1, lo1), rep(0, n))
  expect_true(all(d >= 0 & d <= pi * 6371 + 1e-9))
  # one degree of the equator, a quarter meridian, antipodes
  expect_equal(distance_km(0, 0, 0, 1), 2 * pi * 6371 / 360)
  expect_equal(distance_km(0, 0, 90, 0), pi * 6371 / 2)
  expect_equal(distance_km(10, 20, -10, -160), pi * 6371)
  expect_equal(distance_km(0, 179.5, 0, -179.5), 2 * pi * 6371 / 360)
})

test_that("distance_km() reproduces known city pairs", {
  # published great-circle distances (mean-radius sphere), within 1 km
  expect_equal(distance_km(51.5074, -0.1278, 48.8566, 2.3522), 343.5, tolerance = 1 / 343.5)
  expect_equal(distance_km(40.7128, -74.0060, 34.0522, -118.2437), 3936, tolerance = 1 / 3936)
  expect_equal(distance_km(55.7558, 37.6173, 39.9042, 116.4074), 5794, tolerance = 2 / 5794)
})

test_that("distance_km() recycles, propagates NA and rejects bad input", {
  expect_equal(distance_km(0, 0, c(0, 0, 0), c(1, 2, 3)), ref_hav(0, 0, 0, 1:3))
  expect_identical(distance_km(numeric(), 0, 0, 0), numeric())
  expect_identical(distance_km(NA, 0, 0, 0), NA_real_)
  expect_identical(distance_km(c(0, NA), 0, 0, c(NA, 1)), c(NA_real_, NA_real_))
  expect_error(distance_km(91, 0, 0, 0), class = "threatbalance_error_input")
  expect_error(distance_km(0, 181, 0, 0), class = "threatbalance_error_input")
  expect_error(distance_km(0, 0, -91, 0), class = "threatbalance_error_input")
  expect_error(distance_km("0", 0, 0, 0), class = "threatbalance_error_input")
  expect_error(distance_km(c(0, 1, 2), 0, c(1, 2), 0), class = "threatbalance_error_input")
  f <- threatbalance:::C_ffi_distance_km
  expect_error(.Call(f, 1L, 1, 1, 1), "ffi_distance_km")
  expect_error(.Call(f, c(1, 2, 3), 1, c(1, 2), 1), "ffi_distance_km")
})

# the capital a state had on the last day of `year` it had one
ref_capital <- function(ccode, year) {
  c0 <- caps[caps$ccode == ccode & as.integer(format(caps$start, "%Y")) <= year &
               as.integer(format(caps$end, "%Y")) >= year, ]
  if (!nrow(c0)) return(c(NA, NA))
  c0 <- c0[order(c0$start), ]
  unlist(c0[nrow(c0), c("lat", "lon")])
}

test_that("add_distance('capital') matches a per-row reference and keeps row order", {
  set.seed(52)
  d <- dyad_years(c(1816, 1880, 1920, 1960, 1991, 2024))
  d <- d[sample(nrow(d), 150), ]
  d$year <- as.double(d$year)
  out <- add_distance(d)
  expect_identical(out[names(d)], d, ignore_attr = "sources")
  ref <- vapply(seq_len(nrow(d)), function(i) {
    a <- ref_capital(d$ccode1[i], d$year[i]); b <- ref_capital(d$ccode2[i], d$year[i])
    ref_hav(a[1], a[2], b[1], b[2])
  }, numeric(1))
  expect_equal(out$capdist, unname(ref), tolerance = 1e-12)
  # Washington to Moscow, and symmetry
  x <- add_distance(data.frame(ccode1 = c(2L, 365L), ccode2 = c(365L, 2L), year = 2000L))
  w <- caps[caps$ccode == 2, ]; m <- caps[caps$ccode == 365 & caps$capital == "Moscow", ]
  expect_equal(x$capdist, rep(ref_hav(w$lat, w$lon, m$lat[1], m$lon[1]), 2))
  expect_equal(x$capdist[1], 7830, tolerance = 5 / 7830)
  # Germany: Bonn for West Germany in 1980, Berlin for Germany in 2000
  g <- add_distance(data.frame(ccode1 = c(260L, 255L), ccode2 = 220L, year = c(1980L, 2000L)))
  expect_lt(g$capdist[1], g$capdist[2])
})

test_that("add_distance('minimum') matches min_distance, both directions", {
  set.seed(53)
  r <- mind[sample(nrow(mind), 500), ]
  d <- data.frame(ccode1 = r$ccode2, ccode2 = r$ccode1, year = r$year)
  d <- rbind(d, data.frame(ccode1 = r$ccode1, ccode2 = r$ccode2, year = r$year))
  out <- add_distance(d, "minimum")
  expect_identical(out$mindist, c(r$mindist, r$mindist))
  expect_warning(o2 <- add_distance(data.frame(ccode1 = 2, ccode2 = 70, year = c(1885, 1886)),
                                    "minimum"), class = "threatbalance_warning_coverage")
  expect_true(is.na(o2$mindist[1]))
  expect_false(is.na(o2$mindist[2]))
  expect_true(is.na(add_distance(data.frame(ccode1 = 2, ccode2 = 2, year = 1990), "minimum")$mindist))
})

test_that("add_distance() rejects bad input with classed errors", {
  expect_error(add_distance(1:3), class = "threatbalance_error_input")
  expect_error(add_distance(data.frame(ccode1 = 2, year = 2000)), class = "threatbalance_error_input")
  expect_error(add_distance(data.frame(ccode1 = 2, ccode2 = 20, year = 2000), "road"),
               class = "threatbalance_error_input")
  expect_error(add_distance(data.frame(ccode1 = 2, ccode2 = 1234, year = 2000)),
               class = "threatbalance_error_unknown_state")
  expect_warning(o <- add_distance(data.frame(ccode1 = 2, ccode2 = 20, year = 1700)),
                 class = "threatbalance_warning_coverage")
  expect_true(is.na(o$capdist))
  expect_error(add_distance(data.frame(ccode1 = "USA", ccode2 = 20, year = 2000)),
               class = "threatbalance_error_input")
})

# closest type in force (positive types first, then the explicit 0)
ref_cont <- function(c1, c2, year) {
  k <- cont[cont$ccode1 == c1 & cont$ccode2 == c2 &
              as.integer(format(cont$start, "%Y")) <= year &
              as.integer(format(cont$end, "%Y")) >= year, ]
  if (!nrow(k)) return(NA_integer_)
  if (any(k$conttype > 0)) min(k$conttype[k$conttype > 0]) else 0L
}

test_that("add_contiguity() matches a per-row reference", {
  set.seed(54)
  d <- dyad_years(c(1816, 1900, 1950, 1990, 2016))
  pos <- paste(cont$ccode1, cont$ccode2)
  d <- rbind(d[sample(nrow(d), 150), ],
             d[sample(which(paste(d$ccode1, d$ccode2) %in% pos), 150), ])
  out <- add_contiguity(d)
  ref <- vapply(seq_len(nrow(d)), function(i) ref_cont(d$ccode1[i], d$ccode2[i], d$year[i]),
                integer(1))
  ref[is.na(ref)] <- 0L   # members with no spell in force: not contiguous
  expect_identical(out$conttype, ref)
  expect_identical(out[names(d)], d, ignore_attr = "sources")
})

test_that("add_contiguity() codes known dyads and NA outside the data", {
  x <- add_contiguity(data.frame(ccode1 = c(2, 2, 2, 2, 2, 710, 2, 260, 255),
                                 ccode2 = c(20, 70, 365, 365, 200, 365, 2, 220, 260),
                                 year = c(2000, 2000, 2000, 1900, 2000, 2000, 2000, 1960, 1960)))
  expect_identical(x$conttype, c(1L, 1L, 2L, 0L, 0L, 1L, NA, 1L, NA))
  expect_warning(y <- add_contiguity(data.frame(ccode1 = 2L, ccode2 = 20L, year = 2016:2017)),
                 class = "threatbalance_warning_coverage")
  expect_identical(y$conttype, c(1L, NA))
  expect_warning(o <- add_contiguity(data.frame(ccode1 = 2L, ccode2 = 20L, year = 2020L)),
                 class = "threatbalance_warning_coverage")
  expect_identical(o$conttype, NA_integer_)
  expect_error(add_contiguity(data.frame(ccode1 = 2L, ccode2 = 21L, year = 2000L)),
               class = "threatbalance_error_unknown_state")
  expect_error(add_contiguity(list(ccode1 = 2L)), class = "threatbalance_error_input")
})

test_that("user-facing errors are pinned", {
  d <- data.frame(ccode1 = 2, ccode2 = 20, year = 2000)
  expect_snapshot(distance_km("a", 0, 0, 0), error = TRUE)
  expect_snapshot(distance_km(0, 0, 0, NULL), error = TRUE)
  expect_snapshot(distance_km(91, 0, 0, 0), error = TRUE)
  expect_snapshot(distance_km(0, 181, 0, 0), error = TRUE)
  expect_snapshot(distance_km(c(1, 2, 3), 0, c(1, 2), 0), error = TRUE)
  expect_snapshot(add_distance(d, "road"), error = TRUE)
  expect_snapshot(add_distance(1:3), error = TRUE)
  expect_snapshot(add_distance(d[1:2]), error = TRUE)
  expect_snapshot(add_distance(transform(d, ccode1 = 2.5)), error = TRUE)
  expect_snapshot(add_distance(transform(d, ccode1 = "USA")), error = TRUE)
  expect_snapshot(add_distance(transform(d, year = 1e10), "minimum"), error = TRUE)
  expect_snapshot(add_contiguity(as.list(d)), error = TRUE)
  expect_snapshot(add_contiguity(transform(d, year = 2000.5)), error = TRUE)
  # coverage warnings: some years outside, all years outside
  expect_snapshot(x <- add_distance(transform(d, year = 1815)))
  expect_snapshot(x <- add_distance(data.frame(ccode1 = 2, ccode2 = 20, year = c(2019, 2020)), "minimum"))
  expect_snapshot(x <- add_distance(transform(d, year = 2020), "minimum"))
  expect_snapshot(x <- add_contiguity(transform(d, year = 2020)))
})
