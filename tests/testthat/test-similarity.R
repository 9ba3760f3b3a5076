# Similarity engine: every method against a slow, obviously correct R
# reference; published values; fpsim on real dyad-years; errors.

# Reference: one pair, straight from the definitions.
ref_sim <- function(x, y, method, distance = "squared", weights = NULL, levels) {
  ok <- !is.na(x) & !is.na(y)
  if (!is.null(weights)) ok <- ok & !is.na(weights)
  w <- if (is.null(weights)) rep(1, length(x)) else weights
  x <- x[ok]; y <- y[ok]; w <- w[ok]
  if (!length(x) || sum(w) == 0) return(NA_real_)
  rng <- max(levels) - min(levels)
  q <- if (distance == "squared") 2 else 1
  if (method == "taub") {
    num <- tx <- ty <- 0
    n <- length(x)
    for (k in seq_len(n)) for (l in seq_len(n)) {
      if (k < l) {
        ww <- w[k] * w[l]
        num <- num + ww * sign(x[k] - x[l]) * sign(y[k] - y[l])
        tx <- tx + ww * (x[k] != x[l])
        ty <- ty + ww * (y[k] != y[l])
      }
    }
    return(if (tx == 0 || ty == 0) NA_real_ else num / sqrt(tx * ty))
  }
  if (rng == 0) return(NA_real_)
  if (method == "s") return(1 - 2 * sum(w * (abs(x - y) / rng)^q) / sum(w))
  if (method == "agree") return(1 - sum(w * abs(x - y) / rng) / sum(w))
  P <- matrix(0, length(levels), length(levels))
  for (k in seq_along(x)) {
    a <- match(x[k], levels); b <- match(y[k], levels)
    P[a, b] <- P[a, b] + w[k]
  }
  P <- P / sum(P)
  D <- outer(levels, levels, function(a, b) (abs(a - b) / rng)^q)
  E <- if (method == "kappa") {
    outer(rowSums(P), colSums(P))
  } else {
    m <- (rowSums(P) + colSums(P)) / 2
    outer(m, m)
  }
  de <- sum(D * E)
  if (de == 0) NA_real_ else 1 - sum(D * P) / de
}

ref_matrix <- function(m, method, distance = "squared", weights = NULL, levels) {
  n <- nrow(m)
  out <- matrix(NA_real_, n, n)
  for (i in seq_len(n)) for (j in seq_len(n)) {
    out[i, j] <- ref_sim(m[i, ], m[j, ], method, distance, weights, levels)
  }
  out
}

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
      want <- ref_matrix(m, meth, dist, levels = cs$levels)
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
      want <- ref_matrix(m, meth, dist, weights = w, levels = 0:3)
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

test_that("fpsim's srs(), cohenk() and taub() agree on its own example and on real dyad-years", {
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

  # alliance portfolios of sampled years, every dyad of 12 sampled states
  set.seed(3)
  yrs <- c(1816, 1914, 1950, 1990, 2018)
  a <- alliance_similarity(yrs, method = c("s", "kappa", "taub"))
  ab <- alliance_similarity(yrs, method = "s", distance = "absolute")
  aw <- alliance_similarity(yrs, method = "s", distance = "absolute", weighted = TRUE)
  al <- threatbalance::alliances
  cap <- threatbalance::capabilities
  mem <- sim_members(yrs)
  for (y in yrs) {
    cc <- mem$ccode[mem$year == y]
    V <- matrix(0L, length(cc), length(cc))
    diag(V) <- 3L
    r <- al[al$year == y & al$ccode1 %in% cc & al$ccode2 %in% cc, ]
    code <- ifelse(r$defense | r$offense, 3L, ifelse(r$neutral | r$consul, 2L,
                                                     ifelse(r$nonagg == 1, 1L, 0L)))
    V[cbind(match(r$ccode1, cc), match(r$ccode2, cc))] <- code
    w <- cap$cinc[match(paste(y, cc), paste(cap$year, cap$ccode))]
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
      expect_equal(out[[meth]][r], ref_sim(x, y, meth, "squared", w, 0:2), tolerance = 1e-10)
    }
  }
  one <- dyadic_similarity(d[d$period == 1999, ], "actor", "item", "value", levels = 0:2)
  expect_named(one, c("actor1", "actor2", "n", "s", "kappa", "pi", "taub"))
})

test_that("alliance_similarity covers every dyad of system members with sorted integer codes", {
  a <- alliance_similarity(c(1816, 1900))
  expect_named(a, c("year", "ccode1", "ccode2", "s", "kappa", "pi", "taub"))
  expect_type(a$year, "integer"); expect_type(a$ccode1, "integer")
  expect_true(all(a$ccode1 < a$ccode2))
  mem <- sim_members(c(1816, 1900))
  expect_equal(nrow(a), sum(choose(table(mem$year), 2)))
  b <- alliance_similarity(1900, coding = "binary", method = "agree")
  expect_named(b, c("year", "ccode1", "ccode2", "agree"))
  expect_true(all(b$agree >= 0 & b$agree <= 1))
  # a state not a member all year but with a spell overlapping it counts
  expect_true(any(sim_members(1990)$ccode == 265))   # GDR, until October 1990
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
  set.seed(5)
  for (r in sample(nrow(v), 25)) {
    ids <- rc$rcid[rc$year == v$year[r]]
    x <- uv$vote[uv$ccode == v$ccode1[r]][match(ids, uv$rcid[uv$ccode == v$ccode1[r]])]
    y <- uv$vote[uv$ccode == v$ccode2[r]][match(ids, uv$rcid[uv$ccode == v$ccode2[r]])]
    expect_equal(v$n[r], sum(!is.na(x) & !is.na(y)))
    expect_equal(v$agree[r], ref_sim(x, y, "agree", levels = 1:3))
    expect_equal(v$s[r], ref_sim(x, y, "s", levels = 1:3))
    expect_equal(v$kappa[r], ref_sim(x, y, "kappa", levels = 1:3))
  }
  imp <- vote_similarity(2015, method = "agree", important = TRUE)
  expect_lte(max(imp$n), sum(rc$year == 2015 & rc$important == 1))
  hr <- vote_similarity(2015, method = "agree", issue = c("hr", "me"))
  expect_lte(max(hr$n), sum(rc$year == 2015 & (rc$hr | rc$me), na.rm = TRUE))
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
  expect_error(alliance_similarity(1900, coding = "ordinal"), class = ei)
  expect_error(alliance_similarity(1900, weighted = NA), class = ei)
  expect_error(alliance_similarity(1700), class = "threatbalance_error_coverage")
  expect_error(vote_similarity(2015, issue = "xx"), class = ei)
  expect_error(vote_similarity(1900), class = "threatbalance_error_coverage")
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
      want <- ref_matrix(cs$m, meth, dist, weights = ww, levels = cs$lv)
      expect_equal(unname(got), want, tolerance = 1e-10,
                   info = paste(meth, dist, nrow(cs$m), nk, length(cs$lv), is.null(ww)))
    }
  }
})

# Pure-R reference for ffi_alliance_similarity(): per year, the members (spell
# overlapping the year), their code matrix, and every pair scored by ref_sim().
ref_alliance <- function(years, st, al, coding, cover, cap, methods, distance) {
  lv <- if (coding == 1L) 0:3 else 0:1
  out <- NULL
  for (y in years) {
    cc <- sort(unique(st$cc[!is.na(st$cc) & !is.na(st$sy) & !is.na(st$ey) &
                              st$sy <= y & st$ey >= y & st$cc >= 0 & st$cc < 1000]))
    n <- length(cc)
    if (n < 2) next
    V <- matrix(0L, n, n)
    diag(V) <- max(lv)
    r <- al[!is.na(al$year) & al$year == y & al$c1 %in% cc & al$c2 %in% cc & al$c1 != al$c2, ]
    for (k in seq_len(nrow(r))) {
      f <- unlist(r[k, c("def", "off", "neu", "non", "con")])
      v <- if (coding == 1L) {
        pmax(3L * (f[1] | f[2]), 2L * (f[3] | f[5]), as.integer(f[4] > 0))
      } else {
        as.integer(f[1] | f[2] | f[3] | f[4] | f[5])
      }
      i <- match(r$c1[k], cc); j <- match(r$c2[k], cc)
      V[i, j] <- max(V[i, j], v)
    }
    if (y < cover[1] || y > cover[2]) V[] <- NA
    w <- if (!is.null(cap)) cap$cinc[match(paste(y, cc), paste(cap$year, cap$ccode))]
    for (i in seq_len(n - 1)) for (j in (i + 1):n) {
      vals <- vapply(methods, function(m) ref_sim(V[i, ], V[j, ], m, distance, w, lv), 0)
      out <- rbind(out, c(y, cc[i], cc[j], vals))
    }
  }
  out
}

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
    want <- ref_alliance(years, st, al, coding, c(1900L, 1909L), cap, sim_methods, dist)
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
  mc <- unname(sim_method_codes[sim_methods])
  yrs <- c(1816L, 1870L, 1914L, 1946L, 1990L, 2018L)
  for (coding in c("valued", "binary")) for (weighted in c(FALSE, TRUE)) {
    p <- sim_alliance_prep(yrs, coding, weighted)
    want <- sim_engine(p$codes, p$nactor, p$nitem, p$levels, p$weights, "absolute",
                       sim_methods, p$actor_id, p$period_id)
    got <- alliance_similarity(yrs, coding = coding, method = sim_methods,
                               distance = "absolute", weighted = weighted)
    expect_identical(got$year, want$period)
    expect_identical(got$ccode1, want$id1)
    expect_identical(got$ccode2, want$id2)
    for (m in sim_methods) expect_equal(got[[m]], want[[m]], tolerance = 1e-12, info = m)
  }
  rc <- threatbalance::unga_rollcalls
  for (args in list(list(c(1946L, 1964L, 1971L, 2019L), FALSE, NULL),
                    list(1990:1992, TRUE, NULL), list(c(1980L, 2000L), FALSE, c("hr", "nu")))) {
    p <- sim_vote_prep(rc, args[[1]], args[[2]], args[[3]])
    want <- sim_engine(p$codes, p$nactor, p$nitem, p$levels, NULL, "squared",
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
  # reference: dense codes per period (last vote of a repeated pair), through the engine
  codes <- integer(); na <- nk <- integer(); ids <- integer()
  for (t in 1:4) {
    r <- rcid[per == t]
    s <- v[!is.na(v$rcid) & v$rcid %in% r & !is.na(v$vote), ]
    cc <- sort(unique(s$ccode))
    X <- matrix(NA_integer_, length(cc), length(r))
    X[cbind(match(s$ccode, cc), match(s$rcid, r))] <- s$vote - 1L
    codes <- c(codes, as.vector(X)); na <- c(na, length(cc)); nk <- c(nk, length(r))
    ids <- c(ids, cc)
  }
  want <- .Call(C_ffi_similarity, codes, na, nk, c(1, 2, 3), NULL, 1L, mc, ids, 2001:2004, FALSE)
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

test_that("dyadic_similarity rejects list columns with a classed error", {
  d <- data.frame(a = 1:2, b = 1:2)
  d$v <- I(list(1, 2))
  expect_error(dyadic_similarity(d, "a", "b", "v"), "atomic",
               class = "threatbalance_error_input")
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
