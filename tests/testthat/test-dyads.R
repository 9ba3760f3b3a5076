# dyad_years() against a pure-R reference on the states list and against
# the CoW dyad-year frame distributed with peacesciencer.

st <- threatbalance::states

ref_dyads <- function(y) {
  jan1 <- as.Date(sprintf("%d-01-01", y)); dec31 <- as.Date(sprintf("%d-12-31", y))
  s <- st[st$start <= dec31 & st$end >= jan1, ]
  s$lo <- pmax(s$start, jan1); s$hi <- pmin(s$end, dec31)
  p <- expand.grid(i = seq_len(nrow(s)), j = seq_len(nrow(s)))
  ok <- s$ccode[p$i] != s$ccode[p$j] &
    pmax(s$lo[p$i], s$lo[p$j]) <= pmin(s$hi[p$i], s$hi[p$j])
  out <- unique(data.frame(year = as.integer(y), ccode1 = as.integer(s$ccode[p$i[ok]]),
                           ccode2 = as.integer(s$ccode[p$j[ok]])))
  out <- out[order(out$ccode1, out$ccode2), ]
  rownames(out) <- NULL
  out
}

test_that("dyad_years() equals the day-overlap reference in chosen years", {
  for (y in c(1816L, 1871L, 1918L, 1940L, 1945L, 1990L, 1991L, 2016L, 2024L)) {
    expect_identical(dyad_years(y), ref_dyads(y), ignore_attr = "sources")
  }
  expect_identical(attr(dyad_years(2000), "sources"), "states")
})

test_that("dyad_years() follows the same-time membership rule", {
  d90 <- dyad_years(1990)
  expect_false(any(d90$ccode1 == 255 & d90$ccode2 == 260))
  expect_true(any(d90$ccode1 == 255 & d90$ccode2 == 220))
  expect_true(any(d90$ccode1 == 260 & d90$ccode2 == 220))
  expect_true(any(d90$ccode1 == 265 & d90$ccode2 == 260))
  # North and South Yemen ended 1990-05-21, unified Yemen began the next day
  expect_false(any(d90$ccode1 == 679 & d90$ccode2 %in% c(678, 680)))
  # n members all year long give n * (n - 1) directed dyads
  n1816 <- sum(st$start <= as.Date("1816-01-01") & st$end >= as.Date("1816-12-31"))
  expect_equal(nrow(dyad_years(1816)), n1816 * (n1816 - 1))
  expect_equal(nrow(dyad_years(1816, directed = FALSE)), n1816 * (n1816 - 1) / 2)
})

test_that("dyad_years() returns integer columns in order, undirected halves directed", {
  d <- dyad_years(c(2000, 1950, 2000))
  expect_identical(names(d), c("year", "ccode1", "ccode2"))
  expect_true(all(vapply(d, is.integer, logical(1))))
  expect_identical(unique(d$year), c(1950L, 2000L))
  expect_false(is.unsorted(d$year * 1e6 + d$ccode1 * 1e3 + d$ccode2, strictly = TRUE))
  u <- dyad_years(c(1950, 2000), directed = FALSE)
  expect_true(all(u$ccode1 < u$ccode2))
  expect_equal(2L * nrow(u), nrow(d))
  both <- rbind(u, setNames(u[c(1, 3, 2)], names(u)))
  both <- both[order(both$year, both$ccode1, both$ccode2), ]
  rownames(both) <- NULL
  expect_identical(both, d)
  expect_false(anyNA(d))
  expect_equal(nrow(dyad_years(1816:2022)), 2139270)
})

test_that("dyad_years() for 1816-2016 equals CoW's dyad-years (cow_ddy)", {
  # The raw file is not shipped; point THREATBALANCE_RAW at shared/data/raw.
  raw <- Sys.getenv("THREATBALANCE_RAW", "")
  cands <- c(raw, file.path(c("../../../shared/data/raw", "../../shared/data/raw",
                              "../shared/data/raw", "/work/shared/data/raw")))
  f <- file.path(cands[nzchar(cands)], "cow_ddy.rda")
  f <- f[file.exists(f)]
  skip_if(length(f) == 0L, "cow_ddy.rda not found (set THREATBALANCE_RAW)")
  e <- new.env()
  load(f[1L], envir = e)
  ddy <- as.data.frame(e$cow_ddy)
  ddy <- ddy[ddy$year <= 2016, ]
  ours <- dyad_years(1816:2016)
  k_cow <- ddy$year * 1e6 + ddy$ccode1 * 1e3 + ddy$ccode2
  k_ours <- ours$year * 1e6 + ours$ccode1 * 1e3 + ours$ccode2
  expect_equal(nrow(ours), 1912290)
  expect_equal(nrow(ddy), nrow(ours))
  expect_false(anyDuplicated(k_cow) > 0)
  expect_false(anyDuplicated(k_ours) > 0)
  expect_equal(sum(!k_cow %in% k_ours), 0)   # with equal counts, the sets are equal
})

test_that("dyad_years() rejects bad input with classed errors", {
  expect_error(dyad_years(1700), class = "threatbalance_error_coverage")
  expect_error(dyad_years(1700), class = "threatbalance_error")
  expect_warning(d <- dyad_years(c(1815, 1816)), class = "threatbalance_warning_coverage")
  expect_identical(d, dyad_years(1816))
  expect_error(dyad_years("1990"), class = "threatbalance_error_input")
  expect_error(dyad_years(1990.5), class = "threatbalance_error_input")
  expect_error(dyad_years(NA), class = "threatbalance_error_input")
  expect_error(dyad_years(integer()), class = "threatbalance_error_input")
  expect_error(dyad_years(1990, directed = NA), class = "threatbalance_error_input")
})

test_that("the C routine guards its arguments", {
  f <- threatbalance:::C_ffi_dyad_years
  expect_error(.Call(f, 1990, 1L, 1L, 2L, 1L, 1L, TRUE), "ffi_dyad_years")
  expect_error(.Call(f, 1990L, 1L, 1L, 2L, 1L, 1L, 1L), "ffi_dyad_years")
  expect_error(.Call(f, 1990L, 1:2, 1L, 2L, 1L, 1L, TRUE), "ffi_dyad_years")
  expect_error(.Call(f, 1990L, 1L, 1L, 2:3, 1L, 1L, TRUE), "ffi_dyad_years")
  expect_error(.Call(f, 1990L, 1L, 1L, 3:2, 1:2, 1:2, TRUE), "ffi_dyad_years")
  expect_identical(.Call(f, 1990L, 1L, 5L, c(2L, 20L), c(1L, NA), c(9L, 9L), TRUE),
                   list(integer(), integer(), integer()))
})

test_that("the state-year lookup matches match() on keys, later rows winning", {
  set.seed(61)
  ty <- sample(c(1990:1999, NA), 200, TRUE); tc <- sample(c(0:30, 998L, 999L, NA), 200, TRUE)
  qy <- sample(c(1985:2004, NA), 1000, TRUE); qc <- sample(c(-5:35, 999L, 1000L, NA), 1000, TRUE)
  f <- threatbalance:::C_ffi_sy_lookup
  key <- function(y, c) ifelse(is.na(y) | is.na(c) | c < 0 | c > 999, NA, y * 1e4 + c)
  tk <- key(ty, tc)
  last <- length(tk) + 1L - match(key(qy, qc), rev(tk), incomparables = NA)
  expect_identical(.Call(f, qy, qc, ty, tc), as.integer(last))
  expect_identical(.Call(f, 1L, 1L, integer(), integer()), NA_integer_)
  expect_identical(.Call(f, integer(), integer(), 1L, 1L), integer())
  expect_error(.Call(f, 1, 1L, 1L, 1L), "ffi_sy_lookup")
  expect_error(.Call(f, 1L, 1:2, 1L, 1L), "ffi_sy_lookup")
  expect_error(.Call(f, 1L, 1L, c(1L, 200000L), 1:2), "ffi_sy_lookup")
})

test_that("adders on a data.table return one that takes `:=` without a selfref warning", {
  skip_if_not_installed("data.table")
  dt <- data.table::as.data.table(dyad_years(2000)[1:6, ])
  tl <- data.table::truelength(dt)
  for (f in list(function(d) add_capabilities(d, "cinc"), function(d) add_distance(d),
                 function(d) add_distance(d, "minimum"), add_contiguity)) {
    r <- f(dt)
    expect_s3_class(r, "data.table")
    # `:=` as a user calls it (from the global environment, where data.table
    # is in force): by reference, with neither a copy nor a selfref warning
    e <- new.env(parent = globalenv())
    e$r <- r
    expect_no_warning(evalq(r[, zz := 1], e))
    expect_true("zz" %in% names(e$r))
  }
  # the input is untouched
  expect_identical(names(dt), c("year", "ccode1", "ccode2"))
  expect_identical(data.table::truelength(dt), tl)
  r <- add_capabilities(add_contiguity(dt), "cinc")
  expect_equal(as.data.frame(r), add_capabilities(add_contiguity(as.data.frame(dt)), "cinc"),
               ignore_attr = TRUE)
})

test_that("duplicated key columns are a classed error, not the first one silently", {
  d <- data.frame(ccode1 = 2, ccode2 = 20, year = 2000, year = 1990, check.names = FALSE)
  for (f in list(add_capabilities, add_contiguity, add_distance)) {
    expect_error(f(d), "`year` appears more than once", class = "threatbalance_error_duplicate_column")
  }
  # duplicated columns the function does not read are left alone
  d <- data.frame(ccode1 = 2, ccode2 = 20, year = 2000, x = 1, x = 2, check.names = FALSE)
  expect_equal(add_contiguity(d)$conttype, 1L)
})

test_that("user-facing errors are pinned", {
  expect_snapshot(dyad_years("2000"), error = TRUE)
  expect_snapshot(dyad_years(integer()), error = TRUE)
  expect_snapshot(dyad_years(c(2000, NA)), error = TRUE)
  expect_snapshot(dyad_years(2000.5), error = TRUE)
  expect_snapshot(dyad_years(1e10), error = TRUE)
  expect_snapshot(dyad_years(1700), error = TRUE)
  expect_snapshot(dyad_years(2000, directed = NA), error = TRUE)
  # the ccode check of tb_dyad_keys(), behind the add_*() functions
  expect_snapshot(add_contiguity(data.frame(ccode1 = 2, ccode2 = 999, year = 2000)), error = TRUE)
  expect_snapshot(add_capabilities(data.frame(ccode1 = c(2, 999), ccode2 = c(20, 998), year = 2000)), error = TRUE)
  # a key column read twice
  expect_snapshot(add_contiguity(data.frame(ccode1 = 2, ccode2 = 20, year = 2000, year = 1990,
                                            check.names = FALSE)), error = TRUE)
  # coverage warning
  expect_snapshot(x <- dyad_years(1815:1816))
})
