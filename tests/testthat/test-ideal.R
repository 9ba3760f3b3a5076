# ideal_points() (R/ideal.R, src/ideal.c): a slow pure-R reference of every
# step of the C iterations (items, Kalman smoother, expansion, Anderson
# acceleration, the MRG32k3a bootstrap), compared iteration by iteration on
# small simulated data; recovery of simulated ideal points; the published
# estimates; sanity on the UN votes; errors; methods; tb_ideal_distance().

ns <- asNamespace("threatbalance")

# ---- simulated data -------------------------------------------------------

# Votes from the model: `nstate` states (real CoW codes, the US first and
# positive), `nsess` sessions, `nitem` roll calls a session of which `nbridge`
# repeat the same text (and parameters) every session; late entrants, a state
# absent from one session, random absences, one unanimous roll call.
ip_sim <- function(nstate = 20, nsess = 6, nitem = 15, nbridge = 4, omega2 = 0.05,
                   seed = 1, absent = 0.05, first_session = 10L) {
  withr::local_seed(seed)
  cc <- sort(unique(states$ccode))
  cc <- c(2L, setdiff(cc, 2L)[seq_len(nstate - 1L)])
  entry <- rep(1L, nstate)
  entry[nstate - 0:2] <- c(2L, 3L, 3L)  # late entrants
  th <- matrix(NA_real_, nstate, nsess)
  th[, 1] <- stats::rnorm(nstate)
  th[1, 1] <- abs(th[1, 1]) + 1
  for (t in 2:nsess) th[, t] <- th[, t - 1] + stats::rnorm(nstate, 0, sqrt(omega2))
  for (i in seq_len(nstate)) if (entry[i] > 1L) th[i, seq_len(entry[i] - 1L)] <- NA
  th[4, min(3L, nsess)] <- NA  # absent for a session: a gap of 2
  nb <- nbridge
  bpar <- list(beta = stats::rnorm(nb, 0, 1.2), t1 = stats::rnorm(nb, -0.3, 0.6))
  bpar$t2 <- bpar$t1 + stats::runif(nb, 0.3, 1.2)
  rc <- vt <- vector("list", nsess)
  for (t in seq_len(nsess)) {
    nn <- nitem - nb
    b <- c(bpar$beta, stats::rnorm(nn, 0, 1.2))
    t1 <- c(bpar$t1, stats::rnorm(nn, -0.3, 0.6))
    t2 <- t1 + c(bpar$t2 - bpar$t1, stats::runif(nn, 0.3, 1.2))
    txt <- c(sprintf("BRIDGED TEXT %s", LETTERS[seq_len(nb)]),
             sprintf("ITEM %s %s", LETTERS[(t - 1L) %% 26L + 1L], seq_len(nn) + nb))
    if (t == 1L) { b[nitem] <- 0; t1[nitem] <- 50; t2[nitem] <- 60 }  # everybody yes
    here <- which(!is.na(th[, t]))
    z <- outer(b, th[here, t]) + matrix(stats::rnorm(nitem * length(here)), nitem)
    y <- ifelse(z <= t1, 1L, ifelse(z <= t2, 2L, 3L))
    keep <- matrix(stats::runif(length(z)) > absent, nitem)
    rcid <- (t - 1L) * nitem + seq_len(nitem)
    rc[[t]] <- data.frame(rcid = rcid, session = first_session + t - 1L, short = txt,
                          descr = NA_character_, amend = 0L, para = 0L,
                          stringsAsFactors = FALSE)
    vt[[t]] <- data.frame(rcid = rep(rcid, length(here))[keep],
                          ccode = rep(cc[here], each = nitem)[keep], vote = y[keep])
  }
  truth <- data.frame(ccode = rep(cc, nsess), session = rep(first_session + seq_len(nsess) - 1L,
                                                           each = nstate),
                      theta = as.vector(th))
  list(votes = do.call(rbind, vt), rollcalls = do.call(rbind, rc),
       truth = truth[!is.na(truth$theta), ])
}

# The design, starting values and settings ideal_points() hands to C.
ip_setup <- function(sim, model = "ordinal", bridge = "text", est = TRUE, population = 1,
                     accelerate = 5L) {
  data <- ns$tb_ideal_data(sim$votes, sim$rollcalls)
  rc <- ns$tb_ideal_sessions(data$rollcalls, NULL)
  d <- ns$tb_ideal_design(data$votes, rc, ns$tb_ideal_classes(rc, bridge), model, 2L)
  list(d = d, start = ns$tb_ideal_start(d, 0.05),
       opts = ns$tb_ideal_opts(100L, 0, est, population, match(2L, d$state_ccode) - 1L,
                               accelerate = accelerate))
}

# ---- the pure-R reference ---------------------------------------------------

# log(Phi(hi) - Phi(lo)) without cancellation.
ip_logz <- function(lo, hi) {
  out <- numeric(length(lo))
  up <- lo >= 0
  dn <- !up & hi <= 0
  mid <- !up & !dn
  lq <- function(x) stats::pnorm(x, lower.tail = FALSE, log.p = TRUE)
  lp <- function(x) stats::pnorm(x, log.p = TRUE)
  out[up] <- lq(lo[up]) + log1p(-exp(lq(hi[up]) - lq(lo[up])))
  out[dn] <- lp(hi[dn]) + log1p(-exp(lp(lo[dn]) - lp(hi[dn])))
  out[mid] <- log(stats::pnorm(hi[mid]) - stats::pnorm(lo[mid]))
  out
}

# Per vote: densities at the bounds over the probability, the bounds (0 when
# infinite), and which cut is the lower / upper bound (1 t1, 2 t2, 0 none).
ip_tn <- function(mu, t1, t2, ord, y) {
  lo_i <- ifelse(y == 1L, 0L, ifelse(y == 2L, 1L, ifelse(ord == 1L, 2L, 1L)))
  hi_i <- ifelse(y == 1L, 1L, ifelse(y == 2L, 2L, 0L))
  cut <- function(i) ifelse(i == 1L, t1, ifelse(i == 2L, t2, NA_real_))
  lo <- ifelse(lo_i == 0L, -Inf, cut(lo_i) - mu)
  hi <- ifelse(hi_i == 0L, Inf, cut(hi_i) - mu)
  lz <- ip_logz(lo, hi)
  pa <- ifelse(lo_i == 0L, 0, exp(stats::dnorm(lo, log = TRUE) - lz))
  pb <- ifelse(hi_i == 0L, 0, exp(stats::dnorm(hi, log = TRUE) - lz))
  al <- ifelse(lo_i == 0L, 0, lo); be <- ifelse(hi_i == 0L, 0, hi)
  # second derivatives of log P in the bounds; one-sided: -h (h - x), with
  # h - x from the continued fraction beyond x = 8
  excess <- function(x, h) {
    out <- h - x
    far <- x >= 8
    t <- x[far]
    for (k in 40:2) t <- x[far] + k / t
    out[far] <- 1 / t
    out
  }
  Hll <- ifelse(hi_i == 0L, -pa * excess(al, pa), al * pa - pa^2)
  Huu <- ifelse(lo_i == 0L, -pb * excess(-be, pb), -be * pb - pb^2)
  Hll[lo_i == 0L] <- 0; Huu[hi_i == 0L] <- 0
  list(pa = pa, pb = pb, al = al, be = be, Hll = Hll, Huu = Huu, lo = lo_i, hi = hi_i)
}

# One iteration G of the C code, written out plainly.
ip_step <- function(d, p, o, y) {
  des <- d$design
  ss <- des$ss + 1L; it <- des$item + 1L; ord <- des$ordinal
  K <- length(ord); nss <- length(des$gap)
  # items: gradient and Hessian in (t1, t2, beta), one Newton step per class
  th <- p$m[ss]
  r <- ip_tn(p$beta[it] * th, p$cut1[it], p$cut2[it], ord[it], y)
  Hll <- r$Hll; Huu <- r$Huu; Hlu <- r$pa * r$pb
  lam <- r$pa - r$pb; Hmm <- Hll + 2 * Hlu + Huu
  g <- matrix(0, length(y), 3); H <- array(0, c(length(y), 3, 3))
  g[, 3] <- th * lam; H[, 3, 3] <- th^2 * Hmm
  for (k in 1:2) {
    l <- r$lo == k; h <- r$hi == k
    g[l, k] <- g[l, k] - r$pa[l]; g[h, k] <- g[h, k] + r$pb[h]
    H[l, k, k] <- H[l, k, k] + Hll[l]; H[h, k, k] <- H[h, k, k] + Huu[h]
    H[l, k, 3] <- H[l, k, 3] - th[l] * (Hll[l] + Hlu[l])
    H[h, k, 3] <- H[h, k, 3] - th[h] * (Hlu[h] + Huu[h])
  }
  both <- r$lo == 1L & r$hi == 2L
  H[both, 1, 2] <- H[both, 1, 2] + Hlu[both]
  H[, 2, 1] <- H[, 1, 2]; H[, 3, 1] <- H[, 1, 3]; H[, 3, 2] <- H[, 2, 3]
  n_c <- tabulate(it, K)
  G <- rowsum(g, it, reorder = TRUE)
  HH <- rowsum(matrix(H, length(y), 9), it, reorder = TRUE)
  at <- as.integer(rownames(G))
  for (q in seq_along(at)) {
    c <- at[q]
    gc <- G[q, ] - c(p$cut1[c], if (ord[c] == 1L) p$cut2[c] else 0, 0) / o$cut_var -
      c(0, 0, p$beta[c] / o$beta_var)
    Hc <- matrix(HH[q, ], 3, 3) - diag(c(1 / o$cut_var, 1 / o$cut_var, 1 / o$beta_var))
    idx <- if (ord[c] == 1L) 1:3 else c(1L, 3L)
    x <- numeric(3)
    x[idx] <- solve(-Hc[idx, idx], gc[idx])
    f <- min(1, o$max_step / max(abs(x)))
    if (ord[c] == 1L) {
      k <- 0L
      while (k < 60L && (p$cut2[c] + f * x[2]) - (p$cut1[c] + f * x[1]) < 1e-6) {
        f <- f / 2; k <- k + 1L
      }
      if (k == 60L) next
      p$cut2[c] <- p$cut2[c] + f * x[2]
    }
    p$cut1[c] <- p$cut1[c] + f * x[1]
    p$beta[c] <- p$beta[c] + f * x[3]
  }
  # theta: score and information at the new items, Kalman filter and smoother
  r <- ip_tn(p$beta[it] * th, p$cut1[it], p$cut2[it], ord[it], y)
  lam <- r$pa - r$pb
  info <- pmax(-(r$Hll + 2 * r$pa * r$pb + r$Huu), 0)
  b <- p$beta[it]
  S <- as.vector(tapply(b * lam, factor(ss, levels = seq_len(nss)), sum))
  P <- as.vector(tapply(b^2 * info, factor(ss, levels = seq_len(nss)), sum))
  S[is.na(S)] <- 0; P[is.na(P)] <- 0
  S <- S + P * p$m; P <- P + o$pop_prec
  step2 <- 0; nstep <- 0
  st <- des$state_start
  for (s in seq_len(length(st) - 1L)) {
    ks <- (st[s] + 1L):st[s + 1L]
    mf <- vf <- vp <- numeric(length(ks))
    for (a in seq_along(ks)) {
      k <- ks[a]
      mprd <- if (a == 1L) 0 else mf[a - 1L]
      vprd <- if (a == 1L) o$prior_var else vf[a - 1L] + des$gap[k] * p$omega2
      vp[a] <- vprd
      vf[a] <- 1 / (1 / vprd + P[k])
      mf[a] <- vf[a] * (mprd / vprd + S[k])
    }
    n <- length(ks)
    p$m[ks[n]] <- mf[n]; p$v[ks[n]] <- vf[n]
    for (a in rev(seq_len(n - 1L))) {
      J <- vf[a] / vp[a + 1L]
      p$m[ks[a]] <- mf[a] + J * (p$m[ks[a + 1L]] - mf[a])
      p$v[ks[a]] <- vf[a] + J^2 * (p$v[ks[a + 1L]] - vp[a + 1L])
      dm <- p$m[ks[a + 1L]] - p$m[ks[a]]
      step2 <- step2 + (dm^2 + p$v[ks[a + 1L]] + p$v[ks[a]] - 2 * J * p$v[ks[a + 1L]]) /
        des$gap[ks[a + 1L]]
      nstep <- nstep + 1
    }
  }
  # expansion along theta -> k (theta + c)
  first <- st[-length(st)] + 1L
  n1 <- length(first); s1 <- sum(p$m[first]); q1 <- sum(p$m[first]^2 + p$v[first])
  sa <- sum(p$m); qa <- sum(p$m^2 + p$v); N <- nss
  has <- n_c > 0
  bb <- sum(p$beta[has]^2)
  nbb <- sum(ifelse(ord == 1L, 2, 1)[has] * p$beta[has]^2)
  tb <- sum(p$beta[has] * (p$cut1[has] + ifelse(ord == 1L, p$cut2, 0)[has]))
  B <- bb / (2 * o$beta_var)
  u <- 1; sh <- 0
  for (k in 1:8) {
    A <- (q1 + 2 * sh * s1 + n1 * sh^2) / (2 * o$prior_var) + step2 / (2 * p$omega2) +
      o$pop_prec * (qa + 2 * sh * sa + N * sh^2) / 2
    u <- (N + sqrt(N^2 + 16 * A * B)) / (4 * A)
    sh <- -(u * (s1 / o$prior_var + o$pop_prec * sa) + tb / o$cut_var) /
      (u * (n1 / o$prior_var + o$pop_prec * N) + nbb / o$cut_var)
  }
  p$m <- sqrt(u) * (p$m + sh); p$v <- p$v * u
  p$cut1 <- p$cut1 + p$beta * sh
  p$cut2 <- p$cut2 + ifelse(ord == 1L, p$beta * sh, 0)
  p$beta <- p$beta / sqrt(u)
  step2 <- step2 * u
  if (o$estimate_evolution == 1L) {
    p$omega2 <- (step2 + 2 * o$evolution_scale) / (nstep + 2 * o$evolution_shape + 2)
  }
  p
}

ip_pack <- function(p) c(p$m, p$beta, p$cut1, p$cut2)
ip_unpack <- function(x, p, d) {
  nss <- length(p$m); K <- length(p$beta); ord <- d$design$ordinal
  p$m <- x[seq_len(nss)]; p$beta <- x[nss + seq_len(K)]
  c1 <- x[nss + K + seq_len(K)]; c2 <- x[nss + 2 * K + seq_len(K)]
  bad <- ord == 1L & c2 - c1 < 1e-6
  p$cut1 <- ifelse(bad, p$cut1, c1); p$cut2 <- ifelse(bad, p$cut2, c2)
  p
}

# The iterations: G, then Anderson mixing of the last `depth` differences;
# `maxit` iterations or until max |change of m| < tol. Returns the last G
# value, oriented by the anchor, with each iteration's delta.
ip_fit <- function(d, start, o, y = as.integer(d$design$y)) {
  p <- start; dG <- dF <- list(); gprev <- fprev <- NULL
  p$cut2[d$design$ordinal == 0L] <- 0  # unused by binary classes
  nss <- length(p$m); deltas <- numeric(); conv <- FALSE
  a <- match(2L, d$state_ccode)
  ks <- (d$design$state_start[a] + 1L):d$design$state_start[a + 1L]
  orient <- function(p) {
    if (sum(p$m[ks]) < 0) { p$m <- -p$m; p$beta <- -p$beta }
    p
  }
  trace <- list()
  for (k in seq_len(o$maxit)) {
    x <- ip_pack(p)
    p <- ip_step(d, p, o, y)
    trace[[k]] <- orient(p)
    g <- ip_pack(p); f <- g - x
    deltas[k] <- max(abs(f[seq_len(nss)]))
    if (deltas[k] < o$tol) { conv <- TRUE; break }
    if (k == o$maxit) break
    if (o$accelerate > 0L && !is.null(gprev)) {
      dG <- c(dG, list(g - gprev)); dF <- c(dF, list(f - fprev))
      if (length(dG) > o$accelerate) { dG <- dG[-1L]; dF <- dF[-1L] }
    }
    gprev <- g; fprev <- f
    if (length(dF)) {
      Fm <- do.call(cbind, dF); Gm <- do.call(cbind, dG)
      A <- crossprod(Fm)
      A <- A + diag(1e-10 * max(diag(A)), ncol(A))
      gam <- solve(A, crossprod(Fm, f))
      p <- ip_unpack(as.vector(g - Gm %*% gam), p, d)
    }
  }
  p <- orient(p)
  p$iterations <- k; p$converged <- conv; p$deltas <- deltas; p$trace <- trace
  p
}

ip_c_fit <- function(s, maxit, tol = 0, y = NULL) {
  o <- s$opts; o$maxit <- as.integer(maxit); o$tol <- tol
  des <- s$d$design
  if (!is.null(y)) des$y <- as.raw(y)
  .Call(ns$C_ffi_ideal_fit, des, s$start, o)
}

ip_compare <- function(cf, rf, tol = 1e-8, info = "") {
  for (nm in c("m", "v", "beta", "cut1", "cut2", "omega2")) {
    expect_equal(cf[[nm]], rf[[nm]], tolerance = tol, info = paste(info, nm))
  }
}

# MRG32k3a in doubles, as in src/ideal.c.
ip_mrg <- function(seed, n) {
  x <- seed; u <- numeric(n)
  m1 <- 4294967087; m2 <- 4294944443
  for (i in seq_len(n)) {
    p1 <- 1403580 * x[2] - 810728 * x[1]
    p1 <- p1 - trunc(p1 / m1) * m1; if (p1 < 0) p1 <- p1 + m1
    x[1:3] <- c(x[2:3], p1)
    p2 <- 527612 * x[6] - 1370589 * x[4]
    p2 <- p2 - trunc(p2 / m2) * m2; if (p2 < 0) p2 <- p2 + m2
    x[4:6] <- c(x[5:6], p2)
    u[i] <- (if (p1 > p2) p1 - p2 else p1 - p2 + m1) * 2.328306549295727688e-10
  }
  u
}

ip_simulate <- function(d, p, seed) {
  des <- d$design
  it <- des$item + 1L
  mu <- p$beta[it] * p$m[des$ss + 1L]
  u <- ip_mrg(seed, length(mu))
  ifelse(u <= stats::pnorm(p$cut1[it] - mu), 1L,
         ifelse(des$ordinal[it] == 1L & u <= stats::pnorm(p$cut2[it] - mu), 2L, 3L))
}

# The design in plain R: used votes, classes with two answers or more, state-
# sessions in ccode-major order, recoded answers, starting agreement rates.
ip_ref_design <- function(v, rc, classes, model, anchor_cc) {
  pos <- match(v$rcid, rc$rcid)
  keep <- !is.na(pos) & !is.na(v$vote)
  if (model == "binary") keep <- keep & v$vote != 2L
  pos <- pos[keep]; cc <- v$ccode[keep]; y <- v$vote[keep]
  K <- max(c(0L, classes))
  cls <- classes[pos]
  cat <- matrix(tabulate(cls + K * (y - 1L), 3L * K), K, 3L)
  ncat <- rowSums(cat > 0L)
  ok <- ncat >= 2L
  dropped <- sum(ncat == 1L)
  ok_v <- ok[cls]
  pos <- pos[ok_v]; cc <- cc[ok_v]; y <- y[ok_v]; cls <- cls[ok_v]
  newid <- cumsum(ok)
  item <- newid[cls] - 1L
  ordinal <- as.integer(ncat[ok] == 3L & model == "ordinal")
  lo <- max.col(cat[ok, , drop = FALSE] > 0L, ties.method = "first")
  bin <- ordinal[item + 1L] == 0L
  y2 <- y
  y2[bin] <- ifelse(y[bin] == lo[item[bin] + 1L], 1L, 3L)
  rc_used <- logical(nrow(rc)); rc_used[pos] <- TRUE
  sess <- rc$session[pos]
  smin <- min(rc$session); ns <- max(rc$session) - smin + 1L
  key <- cc * ns + (sess - smin)
  cnt <- tabulate(key + 1L, 1000L * ns)
  present <- which(cnt > 0L)
  rank <- integer(length(cnt)); rank[present] <- seq_along(present)
  ss <- rank[key + 1L] - 1L
  ss_cc <- as.integer((present - 1L) %/% ns)
  ss_sess <- as.integer((present - 1L) %% ns + smin)
  runs <- rle(ss_cc)
  first <- c(TRUE, ss_cc[-1L] != ss_cc[-length(ss_cc)])
  gap <- c(0L, diff(ss_sess)); gap[first] <- 0L
  # starting values: agreement with the anchor, standardized by session
  nss <- length(present)
  av <- rep(NA_integer_, nrow(rc))
  is_a <- cc == anchor_cc
  av[pos[is_a]] <- y[is_a]
  agree <- 1 - abs(y - av[pos]) / 2
  okg <- !is.na(agree)
  rate <- as.vector(tapply(agree[okg], factor(ss[okg] + 1L, levels = seq_len(nss)), mean))
  m0 <- ave(rate, ss_sess, FUN = function(r) (r - mean(r, na.rm = TRUE)) / stats::sd(r, na.rm = TRUE))
  m0[!is.finite(m0)] <- 0
  list(design = list(ss = ss, item = item, y = as.raw(y2),
                     state_start = c(0L, cumsum(runs$lengths)), gap = as.integer(gap),
                     ordinal = ordinal),
       state_ccode = runs$values, ss_ccode = ss_cc, ss_session = ss_sess, n_votes = cnt[present],
       class_rc = tabulate(newid[classes[rc_used]], sum(ok)),
       class_n = tabulate(item + 1L, sum(ok)), class_cat = unname(cat[ok, , drop = FALSE]),
       m0 = m0, n_rollcalls = sum(rc_used), n_classes = sum(ok),
       bridged = attr(classes, "bridged"), dropped = dropped)
}

test_that("the C design equals the plain-R one", {
  check <- function(votes, rollcalls, model, bridge = "text", years = NULL, anchor = 2L) {
    data <- ns$tb_ideal_data(votes, rollcalls)
    rc <- ns$tb_ideal_sessions(data$rollcalls, years)
    cl <- ns$tb_ideal_classes(rc, bridge)
    expect_equal(ns$tb_ideal_design(data$votes, rc, cl, model, anchor),
                 ip_ref_design(data$votes, rc, cl, model, anchor), tolerance = 1e-12)
  }
  sim <- ip_sim(seed = 13)
  sim$votes$vote[c(5, 50, 500)] <- NA          # NA answers are absences
  check(sim$votes, sim$rollcalls, "ordinal")
  check(sim$votes, sim$rollcalls, "binary")
  check(sim$votes, sim$rollcalls, "ordinal", bridge = "none", years = 1956:1957)
  un <- function(years) {
    rc <- unga_rollcalls[unga_rollcalls$year %in% years, ]
    list(votes = unga_votes[unga_votes$rcid %in% rc$rcid, ], rollcalls = rc)
  }
  u <- un(2000:2003)
  check(u$votes, u$rollcalls, "ordinal")
  u <- un(1946:1950)
  check(u$votes, u$rollcalls, "binary", anchor = 365L)
})

# ---- the C iterations against the reference ------------------------------

test_that("each iteration of the C code equals the pure-R reference (1e-8)", {
  sim <- ip_sim()
  s <- ip_setup(sim)
  expect_gt(sum(s$d$design$ordinal == 0L), 0L)   # binary classes present
  expect_gt(sum(s$d$design$ordinal == 1L), 0L)
  expect_equal(s$d$dropped, 1L)                   # the unanimous roll call
  expect_true(any(s$d$design$gap == 2L))          # a state skipping a session
  o <- s$opts
  o$maxit <- 12L; o$tol <- 0
  ref <- ip_fit(s$d, s$start, o)$trace
  for (k in 1:12) ip_compare(ip_c_fit(s, k), ref[[k]], info = sprintf("iteration %d", k))
  # without acceleration and with omega2 fixed, 25 iterations
  s0 <- ip_setup(sim, est = FALSE, accelerate = 0L, population = 4)
  o0 <- s0$opts; o0$maxit <- 25L; o0$tol <- 0
  ip_compare(ip_c_fit(s0, 25), ip_fit(s0$d, s0$start, o0), info = "plain")
  # binary model
  sb <- ip_setup(sim, model = "binary")
  ob <- sb$opts; ob$maxit <- 6L; ob$tol <- 0
  expect_true(all(sb$d$design$ordinal == 0L))
  ip_compare(ip_c_fit(sb, 6), ip_fit(sb$d, sb$start, ob), info = "binary")
})

test_that("convergence: iterations, flag and delta agree with the reference", {
  # plain iterations: Anderson mixing near convergence amplifies rounding
  # differences (both codes then converge, to points within tol)
  s <- ip_setup(ip_sim(seed = 2), accelerate = 0L)
  o <- s$opts; o$maxit <- 200L; o$tol <- 1e-6
  rf <- ip_fit(s$d, s$start, o)
  cf <- ip_c_fit(s, 200, tol = 1e-6)
  expect_true(cf$converged)
  expect_identical(cf$iterations, rf$iterations)
  expect_equal(cf$delta, rf$deltas[rf$iterations], tolerance = 1e-6)
  ip_compare(cf, rf, tol = 1e-8)
  expect_true(all(cf$cut2[s$d$design$ordinal == 1L] > cf$cut1[s$d$design$ordinal == 1L]))
  expect_true(all(cf$v > 0))
})

test_that("simulated votes and bootstrap standard errors equal the reference", {
  s <- ip_setup(ip_sim(seed = 3, nstate = 12, nsess = 3, nitem = 10))
  fit <- ip_c_fit(s, 200, tol = 1e-7)
  seeds <- ns$tb_ideal_seeds(3L, 11L)
  expect_length(seeds, 18L)
  expect_true(all(seeds >= 1 & seeds <= 4294944442 & seeds == round(seeds)))
  ysim <- .Call(ns$C_ffi_ideal_simulate, s$d$design, fit, seeds[1:6])
  expect_identical(as.integer(ysim), ip_simulate(s$d, fit, seeds[1:6]))
  # the generator is R's own "L'Ecuyer-CMRG" (seeds below 2^31 fit its integers)
  seed6 <- c(12345, 67890, 13579, 24680, 11111, 22222)
  u <- withr::with_preserve_seed({
    RNGkind("L'Ecuyer-CMRG")
    assign(".Random.seed", c(10407L, as.integer(seed6)), envir = globalenv())
    stats::runif(5)
  })
  expect_equal(ip_mrg(seed6, 5), u, tolerance = 1e-15)
  o <- s$opts; o$tol <- 1e-4; o$maxit <- 500L; o$accelerate <- 0L
  boot <- .Call(ns$C_ffi_ideal_boot, s$d$design, fit, seeds, o)
  reps <- sapply(1:3, function(r) {
    y <- ip_simulate(s$d, fit, seeds[6 * (r - 1) + 1:6])
    ip_fit(s$d, fit[c("m", "v", "beta", "cut1", "cut2", "omega2")], o, y)$m
  })
  expect_equal(boot$se, apply(reps, 1, stats::sd), tolerance = 1e-7)
  expect_true(all(boot$converged))
  # one stream per replicate: replicate r does not depend on the number drawn
  b2 <- .Call(ns$C_ffi_ideal_boot, s$d$design, fit, seeds[1:12], o)
  expect_equal(b2$se, apply(reps[, 1:2], 1, stats::sd), tolerance = 1e-7)
})

test_that("extreme inputs: separated classes, one-vote states, tails stay finite", {
  sim <- ip_sim(seed = 4)
  v <- sim$votes
  # a perfectly separating roll call, and a state with a single vote
  r1 <- v$rcid == 1L
  v$vote[r1] <- ifelse(v$ccode[r1] == 2L, 3L, 1L)
  extra <- data.frame(rcid = 2L, ccode = 900L, vote = 3L)
  sim$votes <- rbind(v, extra)
  x <- ideal_points(votes = sim$votes, rollcalls = sim$rollcalls, anchor = 2)
  expect_true(all(is.finite(x$ideal)))
  expect_true(attr(x, "fit")$converged)
  expect_equal(x$n_votes[x$ccode == 900L], 1L)
  it <- attr(x, "fit")$items
  expect_true(all(is.finite(it$beta)) && all(it$cut2 > it$cut1, na.rm = TRUE))
  # parameters far out: every vote far on the wrong side of its cut
  s <- ip_setup(ip_sim(seed = 5, nstate = 8, nsess = 3, nitem = 6))
  st <- s$start
  st$m <- st$m * 40
  st$beta <- rep(3, length(st$beta))
  st$cut1 <- rep(-200, length(st$cut1)); st$cut2 <- rep(200, length(st$cut2))
  o <- s$opts; o$maxit <- 3L; o$tol <- 0
  cf <- .Call(ns$C_ffi_ideal_fit, s$d$design, st, o)
  rf <- ip_fit(s$d, st, o)
  expect_true(all(is.finite(unlist(cf[c("m", "v", "beta", "cut1", "cut2")]))))
  ip_compare(cf, rf, tol = 1e-7, info = "far tails")
})

test_that("recovery: simulated ideal points come back (r >= 0.98)", {
  sim <- ip_sim(nstate = 120, nsess = 12, nitem = 60, nbridge = 10, seed = 6, omega2 = 0.05)
  x <- ideal_points(votes = sim$votes, rollcalls = sim$rollcalls, anchor = 2)
  m <- merge(x, sim$truth, by = c("ccode", "session"))
  expect_equal(nrow(m), nrow(sim$truth))
  expect_gte(stats::cor(m$ideal, m$theta), 0.98)
  it <- attr(x, "fit")$items
  expect_true(all(it$cut2 > it$cut1, na.rm = TRUE))
  expect_true(attr(x, "fit")$converged)
})

test_that("recovery at UN size (r >= 0.98, ordered cutpoints)", {
  skip_on_cran()
  sim <- ip_sim(nstate = 190, nsess = 75, nitem = 80, nbridge = 15, seed = 7, omega2 = 0.03)
  expect_gt(nrow(sim$votes), 1e6)
  x <- ideal_points(votes = sim$votes, rollcalls = sim$rollcalls, anchor = 2)
  m <- merge(x, sim$truth, by = c("ccode", "session"))
  expect_gte(stats::cor(m$ideal, m$theta), 0.98)
  it <- attr(x, "fit")$items
  expect_true(all(it$cut2 > it$cut1, na.rm = TRUE))
  expect_true(attr(x, "fit")$converged)
})

test_that("invariances: vote order, extra roll calls outside `years`", {
  sim <- ip_sim(seed = 8)
  # to a tight tolerance: the order of the sums changes the last digits, and
  # with them the path (not the fixed point)
  x1 <- ideal_points(votes = sim$votes, rollcalls = sim$rollcalls, anchor = 2, tol = 1e-10,
                     maxit = 5000)
  withr::local_seed(1)
  perm <- sim$votes[sample(nrow(sim$votes)), ]
  x2 <- ideal_points(votes = perm, rollcalls = sim$rollcalls[nrow(sim$rollcalls):1, ], anchor = 2,
                     tol = 1e-10, maxit = 5000)
  expect_equal(x2$ideal, x1$ideal, tolerance = 1e-6)
  # years picks sessions: session 10 opens in 1955
  x3 <- ideal_points(years = 1955:1956, votes = sim$votes, rollcalls = sim$rollcalls, anchor = 2)
  expect_setequal(unique(x3$session), 10:11)
  expect_true(all(x3$year == x3$session + 1945L))
})

# ---- the UN votes ------------------------------------------------------------

# the session's memoised default fit (shared with vote_similarity() and the
# threat intent)
ip_default <- function() ns$tb_ideal_default()

test_that("on all UN votes: published estimates, US, Russia and China", {
  x <- ip_default()
  f <- attr(x, "fit")
  expect_true(f$converged)
  expect_false(is.unsorted(x$ccode * 1000 + x$session))
  b <- bsv_ideal_points
  m <- merge(x, b, by = c("ccode", "session"), suffixes = c("", "_bsv"))
  expect_gt(nrow(m), 10000L)
  expect_gte(stats::cor(m$ideal, m$ideal_bsv), 0.95)
  within <- vapply(split(m, m$session), function(d) stats::cor(d$ideal, d$ideal_bsv), 0)
  expect_gte(stats::median(within), 0.98)
  # the US at the positive end after 1991: among the three highest every session
  post <- x[x$year >= 1992, ]
  rank_us <- vapply(split(post, post$session), function(d) {
    sum(d$ideal > d$ideal[d$ccode == 2L])
  }, 0)
  expect_true(all(rank_us <= 2))
  # Russia and China on the other side of the scale, closer after 2014
  us <- x[x$ccode == 2L, c("year", "ideal")]
  ru <- x[x$ccode == 365L, c("year", "ideal")]
  cn <- x[x$ccode == 710L, c("year", "ideal")]
  yrs <- intersect(intersect(us$year, ru$year), cn$year)
  yrs <- yrs[yrs >= 1992]
  at <- function(d) d$ideal[match(yrs, d$year)]
  expect_true(all(at(ru) < at(us) & at(cn) < at(us)))
  gap <- abs(at(ru) - at(cn))
  expect_lt(mean(gap[yrs >= 2015]), mean(gap[yrs >= 1995 & yrs <= 2005]))
})

test_that("tb_ideal_distance(): one row per dyad-year, |theta_i - theta_j|", {
  x <- ip_default()
  dd <- ns$tb_ideal_distance(c(2000L, 2015L, 1800L))
  expect_named(dd, c("year", "ccode1", "ccode2", "distance"))
  expect_true(all(dd$ccode1 < dd$ccode2))
  expect_setequal(unique(dd$year), c(2000L, 2015L))
  for (yr in c(2000L, 2015L)) {
    xi <- x[x$year == yr, ]
    expect_equal(sum(dd$year == yr), nrow(xi) * (nrow(xi) - 1) / 2)
  }
  i <- which(dd$year == 2015L & dd$ccode1 == 2L & dd$ccode2 == 365L)
  expect_length(i, 1L)
  expect_equal(dd$distance[i], abs(x$ideal[x$ccode == 2L & x$year == 2015L] -
                                     x$ideal[x$ccode == 365L & x$year == 2015L]))
  expect_false(anyDuplicated(dd[c("year", "ccode1", "ccode2")]) > 0)
  expect_identical(nrow(ns$tb_ideal_distance(1800L)), 0L)
  expect_error(ns$tb_ideal_distance("a"), class = "threatbalance_error_input")
})

# ---- arguments, errors and methods ------------------------------------------

test_that("user errors are classed and name the argument", {
  sim <- ip_sim(seed = 9, nstate = 8, nsess = 2, nitem = 5)
  ip <- function(...) ideal_points(votes = sim$votes, rollcalls = sim$rollcalls, anchor = 2, ...)
  ei <- "threatbalance_error_input"
  expect_error(ip(model = "probit"), "`model`", class = ei)
  expect_error(ip(se = TRUE), "`se`", class = ei)
  expect_error(ip(draws = 1), "`draws`", class = ei)
  expect_error(ip(draws = 1e6), "`draws`", class = ei)
  expect_error(ip(seed = "a"), "`seed`", class = ei)
  expect_error(ip(tol = 0), "`tol`", class = ei)
  expect_error(ip(maxit = 0), "`maxit`", class = ei)
  expect_error(ip(evolution = -1), "`evolution`", class = ei)
  expect_error(ip(evolution = "fixed"), "`evolution`", class = ei)
  expect_error(ip(population = 0), "`population`", class = ei)
  expect_error(ip(bridge = 3), "`bridge`", class = ei)
  expect_error(ip(bridge = data.frame(rcid = c(1, 1), class = 1:2)), "`bridge\\$rcid`",
               class = ei)
  expect_error(ip(years = 1800), "No General Assembly session",
               class = "threatbalance_error_coverage")
  expect_warning(ip(years = c(1955, 1800)), "open no session",
                 class = "threatbalance_warning_coverage")
  expect_error(ideal_points(votes = sim$votes, rollcalls = sim$rollcalls, anchor = "Atlantis"),
               class = "threatbalance_error_unknown_state")
  expect_error(ideal_points(votes = sim$votes, rollcalls = sim$rollcalls, anchor = NA),
               "`anchor`")
  expect_error(ideal_points(votes = sim$votes, rollcalls = sim$rollcalls, anchor = c(2, 20)),
               "`anchor`", class = ei)
  expect_error(ideal_points(votes = sim$votes, rollcalls = sim$rollcalls, anchor = 710),
               "anchor state", class = ei)
  v <- sim$votes
  expect_error(ip_v <- ideal_points(votes = v[-3], rollcalls = sim$rollcalls), "`votes`",
               class = ei)
  v$vote[1] <- 4L
  expect_error(ideal_points(votes = v, rollcalls = sim$rollcalls, anchor = 2), "`votes\\$vote`",
               class = ei)
  expect_error(ideal_points(votes = rbind(sim$votes, sim$votes[1, ]),
                            rollcalls = sim$rollcalls, anchor = 2),
               "more than one vote", class = ei)
  expect_error(ideal_points(votes = sim$votes, rollcalls = rbind(sim$rollcalls, sim$rollcalls[1, ]),
                            anchor = 2), "`rollcalls\\$rcid`", class = ei)
  unanimous <- sim$votes
  unanimous$vote <- 1L
  expect_error(ideal_points(votes = unanimous, rollcalls = sim$rollcalls, anchor = 2),
               "two different answers", class = "threatbalance_error_coverage")
  expect_error(ideal_points(votes = sim$votes[0, ], rollcalls = sim$rollcalls, anchor = 2),
               class = "threatbalance_error")
  expect_warning(ip(maxit = 1), "without converging", class = "threatbalance_warning_convergence")
  e <- tryCatch(ip(model = "probit"), error = identity)
  expect_identical(conditionCall(e), quote(ideal_points()))
})

test_that("bridging: text classes, none, a map of one's own", {
  sim <- ip_sim(seed = 10, nstate = 10, nsess = 3, nitem = 6, nbridge = 2)
  rc <- ns$tb_ideal_data(sim$votes, sim$rollcalls)$rollcalls
  cl <- ns$tb_ideal_classes(rc, "text")
  expect_identical(attr(cl, "bridged"), 2L)
  bridged <- grepl("^BRIDGED", rc$short)
  expect_length(unique(cl[bridged]), 2L)
  expect_false(any(cl[!bridged] %in% cl[bridged]))
  # a text twice in one session does not bridge; amendments do not bridge
  rc2 <- rc
  rc2$short[rc2$session == 10L & rc2$short == "ITEM A 3"] <- "BRIDGED TEXT A"
  cl2 <- ns$tb_ideal_classes(rc2, "text")
  twice <- rc2$session == 10L & rc2$short == "BRIDGED TEXT A"
  later <- rc2$session > 10L & rc2$short == "BRIDGED TEXT A"
  expect_length(unique(cl2[twice]), 2L)
  expect_false(any(cl2[twice] %in% cl2[later]))
  expect_length(unique(cl2[later]), 1L)
  rc3 <- rc
  rc3$amend[rc3$short == "BRIDGED TEXT B"] <- 1L
  expect_identical(attr(ns$tb_ideal_classes(rc3, "text"), "bridged"), 1L)
  # the description is tried first, session numbers do not matter
  rc4 <- rc
  rc4$descr <- ifelse(rc4$short == "ITEM A 4", "Question of X : resolution / adopted by the General Assembly",
                      ifelse(rc4$short == "ITEM B 4", "Question of X (2)", NA))
  cl4 <- ns$tb_ideal_classes(rc4, "text")
  expect_identical(cl4[rc4$short == "ITEM A 4"], cl4[rc4$short == "ITEM B 4"])
  expect_identical(attr(ns$tb_ideal_classes(rc, "none"), "bridged"), 0L)
  map <- data.frame(rcid = rc$rcid[1:2], class = c("x", "x"))
  cm <- ns$tb_ideal_classes(rc, map)
  expect_identical(cm[1], cm[2])
  expect_length(unique(cm), nrow(rc) - 1L)
  x <- ideal_points(votes = sim$votes, rollcalls = sim$rollcalls, anchor = 2, bridge = map)
  expect_identical(attr(x, "fit")$bridge, "user map")
})

test_that("bootstrap through ideal_points(): reproducible, caller's RNG untouched", {
  sim <- ip_sim(seed = 11, nstate = 10, nsess = 3, nitem = 8)
  ip <- function(...) ideal_points(votes = sim$votes, rollcalls = sim$rollcalls, anchor = 2,
                                   se = "bootstrap", ...)
  set.seed(99)
  before <- .Random.seed
  a <- ip(draws = 4, seed = 5)
  expect_identical(.Random.seed, before)
  b <- ip(draws = 4, seed = 5)
  expect_identical(a$se, b$se)
  expect_true(all(a$se > 0))
  expect_false(identical(ip(draws = 4, seed = 6)$se, a$se))
  expect_length(attr(a, "fit")$boot_iterations, 4L)
  expect_true(all(is.na(ideal_points(votes = sim$votes, rollcalls = sim$rollcalls,
                                     anchor = 2)$se)))
})

test_that("print, summary and plot", {
  sim <- ip_sim(seed = 12, nstate = 10, nsess = 3, nitem = 8)
  x <- ideal_points(votes = sim$votes, rollcalls = sim$rollcalls, anchor = 2, se = "bootstrap",
                    draws = 3, seed = 1)
  expect_output(print(x), "tb_ideal")
  expect_output(print(x), "bootstrap")
  expect_output(print(x, n = 2), "more rows")
  expect_output(print(x[1:3, ]), "ccode")
  sm <- summary(x)
  expect_s3_class(sm, "summary.tb_ideal")
  expect_equal(nrow(sm$sessions), 3L)
  expect_output(print(sm), "By session")
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off(), add = TRUE)
  expect_identical(plot(x, states = c(2, 20, 40)), x)
  expect_identical(plot(x, states = "United States", band = FALSE, legend = FALSE), x)
  expect_error(plot(x, states = 710), "None of `states`", class = "threatbalance_error_input")
  expect_error(plot(x, z = -1), "`z`", class = "threatbalance_error_input")
  # graphical parameters the method sets itself are replaced, not doubled
  expect_identical(plot(x, states = 2, xlab = "session", ylab = "y", type = "p",
                        main = "t"), x)
  expect_error(plot(x, states = 2, legend = "yes"), "`legend`",
               class = "threatbalance_error_input")
})

test_that("bsv_ideal_points: the published estimates as shipped", {
  b <- bsv_ideal_points
  expect_named(b, c("ccode", "session", "year", "ideal", "lower", "upper", "n_votes"))
  expect_false(anyDuplicated(b[c("ccode", "session")]) > 0)
  expect_equal(range(b$session), c(1L, 78L))
  expect_true(all(b$year == b$session + 1945L))
  expect_true(all(b$lower <= b$ideal & b$ideal <= b$upper))
  expect_equal(b$ideal[b$ccode == 2L & b$session == 1L], 1.67635)
  expect_true(all(b$ccode %in% states$ccode))
})
