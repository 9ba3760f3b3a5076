# Similarity engine (src/similarity.c, R/similarity.R): every method against
# the slow, obviously correct reference (ref_similarity(), helper-reference.R) on
# random portfolios; published values; fpsim; errors. Portfolios built from
# the alliance and vote tables: test-portfolio.R.

random_portfolios <- function(na, nk, levels, pna = 0.1) {
  m <- matrix(sample(levels, na * nk, replace = TRUE), na, nk)
  m[runif(na * nk) < pna] <- NA
  if (na >= 3) {
    m[1, ] <- levels[1]                 # constant row
    m[2, ] <- NA                        # all NA
    m[3, ] <- m[min(4, na), ]           # ties with another row
  }
  m
}

test_that("similarity_matrix matches the reference for every method on random portfolios", {
  set.seed(1)
  cases <- list(
    list(na = 6, nk = 20, levels = 0:3), list(na = 5, nk = 70, levels = c(1, 2, 3)),
    list(na = 4, nk = 1, levels = 0:3), list(na = 5, nk = 9, levels = c(0, 1)),
    list(na = 3, nk = 130, levels = c(-1, 0.5, 4)), list(na = 1, nk = 5, levels = 0:2),
    list(na = 4, nk = 12, levels = 1:20), list(na = 4, nk = 0, levels = 0:3)
  )
  for (cs in cases) {
    m <- random_portfolios(cs$na, cs$nk, cs$levels)
    for (meth in sim_methods) for (dist in c("squared", "absolute")) {
      got <- similarity_matrix(m, method = meth, distance = dist, levels = cs$levels)
      want <- ref_similarity_matrix(m, meth, dist, levels = cs$levels)
      expect_equal(unname(got), want, tolerance = 1e-10,
                   info = paste(meth, dist, cs$na, cs$nk, length(cs$levels)))
    }
  }
})

test_that("weighted scores match the reference, including NA and zero weights", {
  set.seed(2)
  for (rep in 1:4) {
    nk <- sample(c(1, 8, 40), 1)
    m <- random_portfolios(5, nk, 0:3)
    w <- runif(nk)
    w[sample(nk, max(1, nk %/% 5))] <- 0
    if (nk > 2) w[2] <- NA
    for (meth in sim_methods) for (dist in c("squared", "absolute")) {
      got <- similarity_matrix(m, method = meth, distance = dist, weights = w, levels = 0:3)
      want <- ref_similarity_matrix(m, meth, dist, weights = w, levels = 0:3)
      expect_equal(unname(got), want, tolerance = 1e-10, info = paste(meth, dist, nk))
    }
  }
})

test_that("degenerate inputs give NA, never a number", {
  expect_identical(similarity(c(NA, NA), c(1, 2), levels = 1:3), NA_real_)
  expect_identical(similarity(numeric(), numeric(), levels = 0:3), NA_real_)
  expect_identical(similarity(c(1, 1), c(1, 1)), NA_real_)           # a single level
  expect_identical(similarity(c(1, 1), c(1, 1), method = "kappa", levels = 1:3), NA_real_)
  expect_identical(similarity(c(1, 1), c(1, 1), method = "pi", levels = 1:3), NA_real_)
  expect_identical(similarity(c(1, 2), c(3, 3), method = "taub", levels = 1:3), NA_real_)
  expect_equal(similarity(c(1, 1), c(1, 1), levels = 1:3), 1)
  expect_equal(similarity(c(1, 3), c(3, 1), levels = 1:3), -1)
  expect_identical(similarity(1:2, 1:2, weights = c(0, 0), levels = 1:3), NA_real_)
})

test_that("agreement follows the vote convention: identical 1, one abstains 0.5, opposite 0", {
  expect_equal(similarity(1, 1, method = "agree", levels = 1:3), 1)
  expect_equal(similarity(1, 2, method = "agree", levels = 1:3), 0.5)
  expect_equal(similarity(3, 2, method = "agree", levels = 1:3), 0.5)
  expect_equal(similarity(1, 3, method = "agree", levels = 1:3), 0)
  expect_equal(similarity(c(1, 1, 3, NA), c(1, 2, 1, 3), method = "agree", levels = 1:3), 0.5)
})

test_that("Signorino and Ritter's Germany-Russia 1914 example is reproduced", {
  # Signorino & Ritter (1999, Table 6): 20 states, capabilities as weights
  syscap <- c(0.25, 0.21, 0.20, 0.08, 0.08, 0.05, 0.03, 0.03, 0.02, rep(0.01, 5), rep(0, 6))
  gmy <- c(3, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0)
  rus <- c(0, 3, 1, 3, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
  expect_equal(similarity(gmy, rus, distance = "absolute", levels = 0:3), 0.4)
  expect_equal(similarity(gmy, rus, distance = "absolute", weights = syscap, levels = 0:3), -0.46)
  expect_equal(similarity(gmy, rus, distance = "squared", levels = 0:3), 1 - 2 * 50 / 180)
  expect_equal(round(similarity(gmy, rus, method = "taub"), 2), 0.03)
  expect_equal(similarity(gmy, rus, method = "taub"), cor(gmy, rus, method = "kendall"))
})

test_that("fpsim's srs() and cohenk() agree on its own example", {
  skip_if_not_installed("fpsim")
  g <- fpsim::gmyrus14
  for (d in c("absolute", "squared")) {
    expect_equal(similarity(g$gmy, g$rus, distance = d, levels = 0:3),
                 fpsim::srs(g$gmy, g$rus, distances = d, levels = 0:3))
    expect_equal(similarity(g$gmy, g$rus, distance = d, weights = g$syscap, levels = 0:3),
                 fpsim::srs(g$gmy, g$rus, distances = d, weights = g$syscap, levels = 0:3))
  }
  expect_equal(similarity(g$gmy, g$rus, method = "kappa", levels = 0:3),
               fpsim::cohenk(g$gmy, g$rus, levels = 0:3))

})

test_that("dyadic_similarity matches the reference on random long data", {
  set.seed(4)
  d <- expand.grid(item = 1:15, actor = c("x", "b", "k", "a"), period = c(2001, 1999),
                   stringsAsFactors = FALSE)
  d$value <- sample(0:2, nrow(d), replace = TRUE)
  d <- d[-sample(nrow(d), 20), ]              # missing rows
  d$value[sample(nrow(d), 5)] <- NA
  d$w <- (d$item %% 4) / 3
  out <- dyadic_similarity(d, "actor", "item", "value", period = "period",
                           method = c("taub", "s", "agree", "kappa", "pi"),
                           weights = "w", levels = 0:2)
  expect_named(out, c("period", "actor1", "actor2", "n", "taub", "s", "agree", "kappa", "pi"))
  expect_true(all(out$actor1 < out$actor2))
  expect_equal(nrow(out), 2 * choose(4, 2))
  for (r in seq_len(nrow(out))) {
    p <- out$period[r]
    items <- sort(unique(d$item[d$period == p]))
    get <- function(a) {
      s <- d[d$period == p & d$actor == a, ]
      s$value[match(items, s$item)]
    }
    x <- get(out$actor1[r]); y <- get(out$actor2[r])
    w <- (items %% 4) / 3
    expect_equal(out$n[r], sum(!is.na(x) & !is.na(y)))
    for (meth in c("taub", "s", "agree", "kappa", "pi")) {
      expect_equal(out[[meth]][r], ref_similarity(x, y, meth, "squared", w, 0:2), tolerance = 1e-10)
    }
  }
  one <- dyadic_similarity(d[d$period == 1999, ], "actor", "item", "value", levels = 0:2)
  expect_named(one, c("actor1", "actor2", "n", "s", "kappa", "pi", "taub"))
})

test_that("user errors are classed", {
  ei <- "threatbalance_error_input"
  expect_error(similarity(1:3, 1:2), class = ei)
  expect_error(similarity("a", "b"), class = ei)
  expect_error(similarity(1:3, 1:3, method = "tau"), class = ei)
  expect_error(similarity(1:3, 1:3, distance = "euclid"), class = ei)
  expect_error(similarity(1:3, c(1, 2, 5), levels = 1:3), class = ei)
  expect_error(similarity(1:3, 1:3, weights = c(1, -1, 1)), class = ei)
  expect_error(similarity(1:3, 1:3, weights = 1:2), class = ei)
  expect_error(similarity(1:3, 1:3, levels = 1:300), class = ei)
  expect_error(similarity(1:3, 1:3, levels = numeric()), class = ei)
  expect_error(similarity_matrix(list(1, 2)), class = ei)
  d <- data.frame(a = c(1, 1, 2), i = c(1, 1, 1), v = c(1, 2, 1))
  expect_error(dyadic_similarity(d, "a", "i", "v"), class = ei)          # duplicate
  expect_error(dyadic_similarity(d, "a", "item", "v"), class = ei)       # missing column
  expect_error(dyadic_similarity(list(), "a", "i", "v"), class = ei)
  d2 <- data.frame(a = c(1, NA), i = 1:2, v = 1:2)
  expect_error(dyadic_similarity(d2, "a", "i", "v"), class = ei)
  d3 <- data.frame(a = c(1, 2), i = c(1, 1), v = 1:2, w = c(1, 2))
  expect_error(dyadic_similarity(d3, "a", "i", "v", weights = "w"), class = ei)
})

test_that("the C routine rejects malformed calls instead of crashing", {
  f <- function(...) .Call(C_ffi_similarity, ...)
  ok <- list(0L, 1L, 1L, c(0, 1), NULL, 2L, 1L, 1L, 1L, FALSE)
  expect_type(do.call(f, ok), "list")
  bad <- list(list(1, 1L, 1L, c(0, 1), NULL, 2L, 1L, 1L, 1L, FALSE),
              list(5L, 1L, 1L, c(0, 1), NULL, 2L, 1L, 1L, 1L, FALSE),
              list(0L, 2L, 1L, c(0, 1), NULL, 2L, 1L, 1L, 1L, FALSE),
              list(0L, 1L, 1L, c(1, 0), NULL, 2L, 1L, 1L, 1L, FALSE),
              list(0L, 1L, 1L, c(0, 1), 1:2, 2L, 1L, 1L, 1L, FALSE),
              list(0L, 1L, 1L, c(0, 1), NULL, 3L, 1L, 1L, 1L, FALSE),
              list(0L, 1L, 1L, c(0, 1), NULL, 2L, 9L, 1L, 1L, FALSE),
              list(0L, 1L, 1L, c(0, 1), NULL, 2L, 1L, 1:2, 1L, FALSE),
              list(0L, 1L, 1L, c(0, 1), NULL, 2L, 1L, 1L, 1L, NA),
              list(0L, -1L, 1L, c(0, 1), NULL, 2L, 1L, 1L, 1L, FALSE))
  for (b in bad) expect_error(do.call(f, b), "ffi_similarity")
})

test_that("the no-missing fast path matches the reference: sparse, dense, weighted, many levels", {
  set.seed(6)
  # portfolios without missing codes: rows mostly at one level (as in alliance
  # data), rows constant at a rare level, rows using every level
  sparse <- function(na, nk, levels, pz = 0.85) {
    m <- matrix(sample(levels, na * nk, replace = TRUE), na, nk)
    m[runif(na * nk) < pz] <- levels[1]
    if (na >= 3) { m[1, ] <- levels[length(levels)]; m[2, ] <- levels[1] }
    m
  }
  cases <- list(
    list(m = sparse(7, 30, 0:3), lv = 0:3), list(m = sparse(6, 70, 0:3, 0.3), lv = 0:3),
    list(m = sparse(5, 64, c(1, 2, 3), 0.5), lv = c(1, 2, 3)),
    list(m = sparse(5, 130, c(-1, 0.5, 4), 0.6), lv = c(-1, 0.5, 4)),
    list(m = sparse(6, 12, 0:1, 0.5), lv = 0:1), list(m = sparse(4, 25, 1:16, 0.2), lv = 1:16),
    list(m = sparse(4, 25, 1:20, 0.2), lv = 1:20), list(m = sparse(3, 1, 0:3), lv = 0:3),
    list(m = matrix(2, 3, 5), lv = 0:3)
  )
  for (cs in cases) {
    nk <- ncol(cs$m)
    w <- runif(nk)
    w[sample(nk, max(1, nk %/% 6))] <- 0
    if (nk > 3) w[3] <- NA
    for (ww in list(NULL, w)) for (meth in sim_methods) for (dist in c("squared", "absolute")) {
      got <- similarity_matrix(cs$m, method = meth, distance = dist, weights = ww, levels = cs$lv)
      want <- ref_similarity_matrix(cs$m, meth, dist, weights = ww, levels = cs$lv)
      expect_equal(unname(got), want, tolerance = 1e-10,
                   info = paste(meth, dist, nrow(cs$m), nk, length(cs$lv), is.null(ww)))
    }
  }
})

test_that("dyadic_similarity rejects list columns with a classed error", {
  d <- data.frame(a = 1:2, b = 1:2)
  d$v <- I(list(1, 2))
  expect_error(dyadic_similarity(d, "a", "b", "v"), "atomic",
               class = "threatbalance_error_input")
})

test_that("outputs too large for memory are refused before anything is computed", {
  tl <- "threatbalance_error_too_large"
  # 2e5 x 2e5 scores (over 1,000 GB with the engine's pair rows) from a 1.6 MB matrix
  expect_error(similarity_matrix(matrix(1, 2e5, 1)), "1,040 GB", class = tl)
  # 1e5 actors in one period: 5e9 pairs (and a 1e5 x 1e5 code table)
  d <- data.frame(a = 1:1e5, i = 1:1e5, v = 1)
  expect_error(dyadic_similarity(d, "a", "i", "v"), "limit is 8 GB", class = tl)
  # the limit is an option
  withr::local_options(threatbalance.max_gb = 1e-6)
  expect_error(similarity_matrix(matrix(1, 20, 1)), class = tl)
  withr::local_options(threatbalance.max_gb = 1024)
  expect_equal(dim(similarity_matrix(matrix(1, 20, 1))), c(20L, 20L))
  withr::local_options(threatbalance.max_gb = "a lot")
  expect_error(similarity_matrix(matrix(1, 2, 1)), "threatbalance.max_gb",
               class = "threatbalance_error_input")
})

test_that("duplicated columns that dyadic_similarity() reads are a classed error", {
  d <- data.frame(year = 2000, state = c("A", "B"), rollcall = 1, vote = c(1, 2), vote = 3,
                  check.names = FALSE)
  expect_error(dyadic_similarity(d, "state", "rollcall", "vote", "year"), "`vote`",
               class = "threatbalance_error_duplicate_column")
})

test_that("user-facing errors are pinned", {
  expect_snapshot(similarity_matrix(matrix(1, 2e5, 1)), error = TRUE)
  expect_snapshot(dyadic_similarity(data.frame(a = 1:1e5, i = 1:1e5, v = 1), "a", "i", "v"),
                  error = TRUE)
  expect_snapshot(dyadic_similarity(data.frame(a = 1:2, i = 1, v = 1, v = 2, check.names = FALSE),
                                    "a", "i", "v"), error = TRUE)
})
