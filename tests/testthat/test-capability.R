# cinc(), lsg() and add_capabilities() against slow R references and NMC.

nmc <- threatbalance::capabilities

ref_cinc <- function(data, components, by) {
  g <- if (length(by)) interaction(data[by], drop = TRUE) else factor(rep(1, nrow(data)))
  out <- rep(NA_real_, nrow(data))
  for (i in seq_len(nrow(data))) {
    if (is.na(g[i])) next
    shares <- c()
    for (v in components) {
      x <- data[[v]][i]
      tot <- sum(data[[v]][!is.na(g) & g == g[i]], na.rm = TRUE)
      if (!is.na(x) && tot > 0) shares <- c(shares, x / tot)
    }
    if (length(shares)) out[i] <- mean(shares)
  }
  out
}

rand_caps <- function(n, ngroups, p_na = 0.2, zero_comp = FALSE) {
  d <- data.frame(year = sample(seq_len(ngroups), n, TRUE) + 1900L,
                  a = round(runif(n, 0, 100)), b = runif(n), c = sample(0:3, n, TRUE))
  for (v in c("a", "b", "c")) d[[v]][runif(n) < p_na] <- NA
  if (zero_comp) d$c[d$year == d$year[1L]] <- 0
  d
}

test_that("cinc() reproduces the published NMC v7.0 cinc for every row", {
  x <- cinc(nmc)
  expect_length(x, 17121L)
  expect_identical(is.na(x), is.na(nmc$cinc))
  expect_lt(max(abs(x - nmc$cinc), na.rm = TRUE), 1e-7)
  # component order does not matter
  y <- cinc(nmc, rev(c("milex", "milper", "irst", "pec", "tpop", "upop")))
  expect_equal(x, y, tolerance = 1e-14)
})

test_that("cinc() matches the R reference on random inputs", {
  set.seed(41)
  for (n in c(0L, 1L, 2L, 7L, 60L)) {
    for (zc in c(FALSE, TRUE)) {
      d <- rand_caps(n, ngroups = max(1L, n %/% 5L), zero_comp = zc && n > 0)
      expect_equal(cinc(d, c("a", "b", "c")), ref_cinc(d, c("a", "b", "c"), "year"),
                   tolerance = 1e-12)
      expect_equal(cinc(d, c("a", "c"), by = NULL), ref_cinc(d, c("a", "c"), NULL),
                   tolerance = 1e-12)
    }
  }
  # all NA, constant, ties, one-state groups, NA group key, two by columns
  d <- data.frame(year = c(1L, 1L, 2L, 3L, 3L, NA), era = c(1L, 1L, 1L, 1L, 2L, 1L),
                  a = c(NA, NA, NA, NA, NA, NA), b = c(5, 5, 2, 0, 0, 1))
  expect_equal(cinc(d, c("a", "b")), ref_cinc(d, c("a", "b"), "year"))
  expect_equal(cinc(d, c("a", "b")), c(0.5, 0.5, 1, NA, NA, NA))
  expect_true(all(is.na(cinc(d, "a"))))
  expect_equal(cinc(d, "b", by = c("year", "era")), c(0.5, 0.5, 1, NA, NA, NA))
  d2 <- d[!is.na(d$year), ]
  expect_equal(cinc(d2, "b", by = c("year", "era")), ref_cinc(d2, "b", c("year", "era")))
  # shares of each complete component sum to one per group
  cap10 <- nmc[nmc$year == 2010, ]
  expect_equal(sum(cinc(cap10, "tpop")), 1)
  # military-only subset against the reference on one year
  cap1900 <- nmc[nmc$year == 1900, ]
  expect_equal(cinc(cap1900, c("milex", "milper")),
               ref_cinc(cap1900, c("milex", "milper"), "year"), tolerance = 1e-12)
})

test_that("cinc() rejects bad input with classed errors", {
  expect_error(cinc(1:3), class = "threatbalance_error_input")
  expect_error(cinc(nmc, "gdp"), class = "threatbalance_error_input")
  expect_error(cinc(nmc, 1), class = "threatbalance_error_input")
  expect_error(cinc(nmc, by = "decade"), class = "threatbalance_error_input")
  expect_error(cinc(nmc, by = 1), class = "threatbalance_error_input")
  bad <- data.frame(year = 1L, a = -1)
  expect_error(cinc(bad, "a"), class = "threatbalance_error_input")
  expect_error(cinc(data.frame(year = 1L, a = "x"), "a"), class = "threatbalance_error_input")
  expect_error(cinc(bad, "a"), "data\\$a")
})

test_that("the C routine guards its arguments", {
  expect_error(.Call(threatbalance:::C_ffi_cinc, 1, 1L, 1L), "ffi_cinc")
  expect_error(.Call(threatbalance:::C_ffi_cinc, list(1), 1.0, 1L), "ffi_cinc")
  expect_error(.Call(threatbalance:::C_ffi_cinc, list(c(1, 2)), 1L, 1L), "ffi_cinc")
  expect_error(.Call(threatbalance:::C_ffi_cinc, list(1), 2L, 1L), "ffi_cinc")
  expect_error(.Call(threatbalance:::C_ffi_lsg, 1L, 1, 1, 1L), "ffi_lsg")
  expect_error(.Call(threatbalance:::C_ffi_lsg, 1, 1, 1, 4L), "ffi_lsg")
  expect_error(.Call(threatbalance:::C_ffi_lsg, c(1, 2, 3), c(1, 2), 1, 1L), "ffi_lsg")
  expect_error(.Call(threatbalance:::C_ffi_mpd_year, 1917), "ffi_mpd_year")
})

ref_lsg <- function(cap, miles, mpd) cap^log10(miles / mpd + (10 - exp(1)))

test_that("lsg() follows EUGene's Bueno de Mesquita gradient", {
  set.seed(42)
  cap <- c(runif(20), 0, 1, NA)
  miles <- c(runif(20, 0, 12000), 100, 100, 100)
  yrs <- sample(1816:2022, 23, TRUE)
  mpd <- ifelse(yrs <= 1917, 250, ifelse(yrs <= 1945, 375, 500))
  expect_equal(lsg(cap, miles, yrs), ref_lsg(cap, miles, mpd), tolerance = 1e-14)
  expect_equal(.Call(threatbalance:::C_ffi_mpd_year, c(1816L, 1917L, 1918L, 1945L, 1946L, NA)),
               c(250, 250, 375, 375, 500, NA))
  # the exponent is 1 at miles = e * mpd: no discount
  expect_equal(lsg(cap[1:20], exp(1) * 375, mpd = 375), cap[1:20], tolerance = 1e-12)
  expect_equal(lsg(0.3, exp(1) * c(250, 375, 500), year = c(1900, 1930, 2000)), rep(0.3, 3))
  # nearer than e * mpd raises a share below 1, farther lowers it
  expect_gt(lsg(0.3, 0, 2000), 0.3)
  expect_lt(lsg(0.3, 5000, 2000), 0.3)
  # mpd overrides year; recycling; NA in, NA out
  expect_equal(lsg(0.5, 1000, year = 1800, mpd = 500), ref_lsg(0.5, 1000, 500))
  expect_equal(lsg(c(0.1, 0.2), 1000, 2000), ref_lsg(c(0.1, 0.2), 1000, 500))
  expect_identical(lsg(0.1, NA, 2000), NA_real_)
  expect_identical(lsg(0.1, 10, NA), NA_real_)
  expect_identical(lsg(numeric(), 10, 2000), numeric())
})

test_that("lsg() exponential decay and no discount", {
  set.seed(43)
  cap <- runif(10); miles <- runif(10, 0, 5000)
  expect_equal(lsg(cap, miles, method = "exponential", rate = 1e-3), cap * exp(-1e-3 * miles))
  expect_equal(lsg(cap, miles, method = "exponential", rate = 0), cap)
  expect_equal(lsg(cap, miles, method = "none"), cap)
  expect_equal(lsg(0.2, c(1, 2, 3), method = "none"), rep(0.2, 3))
  expect_identical(lsg(NA, 1, method = "none"), NA_real_)
  expect_identical(lsg(0.1, 10, method = "exponential", rate = NA), NA_real_)
})

test_that("lsg() rejects bad input with classed errors", {
  expect_error(lsg(-0.1, 10, 2000), class = "threatbalance_error_input")
  expect_error(lsg(0.1, -10, 2000), class = "threatbalance_error_input")
  expect_error(lsg("a", 10, 2000), class = "threatbalance_error_input")
  expect_error(lsg(0.1, 10), class = "threatbalance_error_input")
  expect_error(lsg(0.1, 10, 2000.5), class = "threatbalance_error_input")
  expect_error(lsg(0.1, 10, mpd = 0), class = "threatbalance_error_input")
  expect_error(lsg(0.1, 10, method = "exponential"), class = "threatbalance_error_input")
  expect_error(lsg(0.1, 10, method = "linear"), class = "threatbalance_error_input")
  expect_error(lsg(c(0.1, 0.2, 0.3), c(1, 2), 2000), class = "threatbalance_error_input")
  expect_error(lsg(c(0.1, 0.2, 0.3), c(1, 2), method = "none"), class = "threatbalance_error_input")
  expect_error(lsg(0.1, 10, 2000), NA)
})

test_that("add_capabilities() matches a merge() reference and keeps row order", {
  set.seed(44)
  d <- dyad_years(c(1816, 1900, 1950, 2022))
  d <- d[sample(nrow(d), 3000), ]
  d$ccode1 <- as.double(d$ccode1)          # double keys work
  d$year[1:3] <- NA
  out <- add_capabilities(d)
  expect_identical(out[names(d)], d, ignore_attr = "sources")
  expect_identical(attr(out, "sources"), "states")   # add_capabilities() keeps attributes
  expect_identical(names(out), c(names(d), paste0(rep(c("cinc", "milex", "milper", "irst",
                                                         "pec", "tpop", "upop"), each = 2), 1:2)))
  d$row <- seq_len(nrow(d))
  m <- merge(d, setNames(nmc, c("ccode1", "year", paste0(names(nmc)[-(1:2)], "1"))),
             all.x = TRUE, sort = FALSE)
  m <- merge(m, setNames(nmc, c("ccode2", "year", paste0(names(nmc)[-(1:2)], "2"))),
             all.x = TRUE, sort = FALSE)
  m <- m[order(m$row), ]
  for (v in c("cinc1", "cinc2", "milex1", "upop2")) expect_identical(out[[v]], m[[v]])
  expect_true(all(is.na(out$cinc1[1:3])))
  china_us <- add_capabilities(data.frame(ccode1 = 710L, ccode2 = 2L, year = 2010L), "cinc")
  expect_equal(china_us$cinc1, nmc$cinc[nmc$ccode == 710 & nmc$year == 2010])
  expect_equal(ncol(china_us), 5L)
})

test_that("add_capabilities() reports unknown states and uncovered years", {
  d <- data.frame(ccode1 = c(2L, 2L), ccode2 = c(200L, 20L), year = c(2022L, 2023L))
  expect_warning(out <- add_capabilities(d), class = "threatbalance_warning_coverage")
  expect_true(is.na(out$cinc1[2]))
  # no year covered: NA columns with a warning, as peacesciencer users expect
  expect_warning(o2 <- add_capabilities(data.frame(ccode1 = 2L, ccode2 = 200L, year = 2030L)),
                 class = "threatbalance_warning_coverage")
  expect_true(is.na(o2$cinc1) && is.na(o2$cinc2))
  expect_error(add_capabilities(data.frame(ccode1 = 2L, ccode2 = 999L, year = 2000L)),
               class = "threatbalance_error_unknown_state")
  expect_error(add_capabilities(data.frame(ccode1 = 2L, year = 2000L)),
               class = "threatbalance_error_input")
  expect_error(add_capabilities(data.frame(ccode1 = 2.5, ccode2 = 200, year = 2000)),
               class = "threatbalance_error_input")
  expect_error(add_capabilities(data.frame(ccode1 = 2, ccode2 = 200, year = 2000), "gdp"),
               class = "threatbalance_error_input")
})

test_that("user-facing errors are pinned", {
  cap <- threatbalance::capabilities
  d <- data.frame(ccode1 = 2, ccode2 = 20, year = 2000)
  expect_snapshot(cinc(1:3), error = TRUE)
  expect_snapshot(cinc(cap, components = 1), error = TRUE)
  expect_snapshot(cinc(cap, components = character()), error = TRUE)
  expect_snapshot(cinc(cap, by = 1), error = TRUE)
  expect_snapshot(cinc(cap, components = "gdp"), error = TRUE)
  expect_snapshot(cinc(cap, by = "region"), error = TRUE)
  expect_snapshot(cinc(data.frame(year = 2000, milex = "a"), components = "milex"), error = TRUE)
  expect_snapshot(cinc(data.frame(year = 2000, milex = -1), components = "milex"), error = TRUE)
  expect_snapshot(cinc(data.frame(year = 2000, milex = Inf), components = "milex"), error = TRUE)
  expect_snapshot(lsg(0.1, 100, method = "linear"), error = TRUE)
  expect_snapshot(lsg(0.1, 100, method = c("bdm", "none")), error = TRUE)
  expect_snapshot(lsg("a", 100, year = 2000), error = TRUE)
  expect_snapshot(lsg(-1, 100, year = 2000), error = TRUE)
  expect_snapshot(lsg(0.1, -100, year = 2000), error = TRUE)
  expect_snapshot(lsg(0.1, 100), error = TRUE)
  expect_snapshot(lsg(0.1, 100, year = 2000.5), error = TRUE)
  expect_snapshot(lsg(0.1, 100, mpd = 0), error = TRUE)
  expect_snapshot(lsg(0.1, 100, mpd = -1), error = TRUE)
  expect_snapshot(lsg(c(0.1, 0.2, 0.3), c(100, 200), mpd = 500), error = TRUE)
  expect_snapshot(lsg(0.1, 100, method = "exponential"), error = TRUE)
  expect_snapshot(lsg(0.1, 100, method = "exponential", rate = -1), error = TRUE)
  expect_snapshot(lsg(c(0.1, 0.2), c(100, 200, 300), method = "none"), error = TRUE)
  expect_snapshot(add_capabilities(d, vars = "gdp"), error = TRUE)
  expect_snapshot(add_capabilities(d, vars = NA), error = TRUE)
  expect_snapshot(add_capabilities(as.matrix(d)), error = TRUE)
  expect_snapshot(add_capabilities(d[-3]), error = TRUE)
  expect_snapshot(add_capabilities(transform(d, year = "2000")), error = TRUE)
  # coverage warning
  expect_snapshot(x <- add_capabilities(data.frame(ccode1 = 2, ccode2 = 20, year = c(2022, 2023))))
})
