# Pure-R references shared by the tests (and sourced by bench/): one per
# measure, slow where that keeps them obviously correct.
#   ref_similarity(), ref_similarity_matrix()
#                                  the similarity measures (src/similarity.c)
#   ref_members(), ref_alliance_portfolios(), ref_vote_portfolios(),
#   ref_engine_inputs()            portfolios built from raw tables (src/portfolio.c)
#   ref_segment_cost(), ref_phase_objective()
#                                  the penalised cost of a segmentation (src/changepoint.c)
#   ref_relation_level()           the bounded cumulative event level (src/events.c)

# ---- similarity measures ----

# One pair, straight from the definitions.
ref_similarity <- function(x, y, method, distance = "squared", weights = NULL, levels) {
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

# Every pair of rows of m.
ref_similarity_matrix <- function(m, method, distance = "squared", weights = NULL, levels) {
  n <- nrow(m)
  out <- matrix(NA_real_, n, n)
  for (i in seq_len(n)) for (j in seq_len(n)) {
    out[i, j] <- ref_similarity(m[i, ], m[j, ], method, distance, weights, levels)
  }
  out
}

# ---- portfolios from raw tables ----

# System members in year y: the sorted ccodes (0..999) with a spell of st
# (data frame cc, sy, ey: ccode, first and last year) overlapping y.
ref_members <- function(st, y) {
  ok <- !is.na(st$cc) & !is.na(st$sy) & !is.na(st$ey) & st$cc >= 0 & st$cc < 1000
  sort(unique(st$cc[ok & st$sy <= y & st$ey >= y]))
}

# Alliance portfolios of each year of `years`: list(year, ccode, codes, weights)
# with codes the members x members matrix (row = the state, column = the
# partner) of alliance codes, the top code on the diagonal; all NA in years
# outside cover. st: as in ref_members(); al: data frame of alliance rows year,
# c1, c2 and the flags def, off, neu, non, con; coding "valued" (0:3: defense
# or offense 3, neutrality or consultation 2, non-aggression 1) or "binary"
# (any obligation 1); cap: NULL or data frame year, ccode, cinc, the weight of
# each partner (its first row of the year; NA when none).
ref_alliance_portfolios <- function(years, st, al, coding, cover, cap = NULL) {
  valued <- coding == "valued"
  lapply(years, function(y) {
    cc <- ref_members(st, y)
    V <- matrix(0L, length(cc), length(cc))
    diag(V) <- if (valued) 3L else 1L
    r <- al[!is.na(al$year) & al$year == y, ]
    i <- match(r$c1, cc); j <- match(r$c2, cc)
    ok <- !is.na(i) & !is.na(j) & i != j
    r <- r[ok, ]; i <- i[ok]; j <- j[ok]
    v <- if (valued) {
      pmax(3L * (r$def | r$off), 2L * (r$neu | r$con), as.integer(r$non > 0L))
    } else {
      as.integer(r$def | r$off | r$neu | r$non | r$con)
    }
    # a cell takes the largest code of its rows, NA when one of them is NA:
    # assigned in increasing order with the NA last, the last assignment wins
    o <- order(v, na.last = TRUE)
    V[cbind(i[o], j[o])] <- v[o]
    if (y < cover[1L] || y > cover[2L]) V[] <- NA_integer_
    w <- if (!is.null(cap)) cap$cinc[match(paste(y, cc), paste(cap$year, cap$ccode))]
    list(year = y, ccode = cc, codes = V, weights = w)
  })
}

# The packaged tables in the form ref_alliance_portfolios() takes.
ref_packaged_alliances <- function() {
  sp <- tb_state_lookup()$spells
  al <- tb_data("alliances")
  list(st = data.frame(cc = sp$ccode, sy = sp$first, ey = sp$last),
       al = data.frame(year = al$year, c1 = al$ccode1, c2 = al$ccode2, def = al$defense,
                       off = al$offense, neu = al$neutral, non = al$nonagg, con = al$consul),
       cap = tb_data("capabilities"))
}

# UN vote portfolios of each period t of `years`: list(year, ccode, codes)
# with codes the voters x roll calls matrix of votes (1 yes, 2 abstain, 3 no,
# NA absent). The roll calls of period t are rcid[period == t]; its voters the
# states with a vote (not NA) in them; a repeated (rcid, ccode) keeps its last
# vote. votes: data frame rcid, ccode, vote.
ref_vote_portfolios <- function(years, rcid, period, votes) {
  lapply(seq_along(years), function(t) {
    r <- rcid[period == t]
    s <- votes[!is.na(votes$rcid) & votes$rcid %in% r & !is.na(votes$vote), ]
    cc <- sort(unique(s$ccode))
    X <- matrix(NA_integer_, length(cc), length(r))
    X[cbind(match(s$ccode, cc), match(s$rcid, r))] <- s$vote
    list(year = years[t], ccode = cc, codes = X)
  })
}

# Engine inputs (tb_sim_engine(), ffi_similarity()) from portfolios whose codes
# take values among `levels`.
ref_engine_inputs <- function(pf, levels) {
  list(codes = unlist(lapply(pf, function(p) match(as.vector(p$codes), levels) - 1L)),
       nactor = vapply(pf, function(p) length(p$ccode), 1L),
       nitem = vapply(pf, function(p) ncol(p$codes), 1L),
       levels = levels,
       weights = if (!is.null(pf[[1L]]$weights)) unlist(lapply(pf, `[[`, "weights")),
       actor_id = unlist(lapply(pf, `[[`, "ccode")),
       period_id = vapply(pf, `[[`, 1L, "year"))
}

# ---- change points ----

# Cost of one segment of length len with sum s1 and sum of squares s2: normal
# mean ("mean") or mean and variance ("meanvar"), plus log(len) under MBIC.
ref_segment_cost <- function(len, s1, s2, cost, mbic = FALSE) {
  c1 <- if (cost == "mean") s2 - s1^2 / len else {
    v <- (s2 - s1^2 / len) / len
    if (v <= 0) v <- 1e-11
    len * (log(2 * pi) + log(v) + 1)
  }
  c1 + if (mbic) log(len) else 0
}

# Penalised cost of a segmentation of x: the sum of its segment costs plus
# pen per change point. cpts are indices (last index of each segment but the
# final one).
ref_phase_objective <- function(x, cpts, cost = "mean", pen, mbic = FALSE) {
  ends <- c(cpts, length(x))
  starts <- c(1L, cpts + 1L)
  total <- 0
  for (j in seq_along(ends)) {
    y <- x[starts[j]:ends[j]]
    total <- total + ref_segment_cost(length(y), sum(y), sum(y^2), cost, mbic)
  }
  total + length(cpts) * pen
}

# ---- relation level ----

# The bounded cumulative score of relation_level(): weights `w` of events in
# periods `pidx` (sorted, within a period in row order), `np` periods. Each
# period after the first decays toward the baseline; each event moves the
# score by g times the damping factor (9 - s)/9 (g > 0) or (9 + s)/9
# (g < 0), capped at 1 with damping = "capped"; clamped to [-9, 9]. An NA
# makes the rest NA.
ref_relation_level <- function(w, pidx, np, decay, baseline, damping = "capped") {
  cap <- if (damping == "capped") 1 else Inf
  s <- baseline; out <- numeric(np)
  for (p in seq_len(np)) {
    if (p > 1) s <- baseline + (s - baseline) * (1 - decay)
    for (g in w[pidx == p]) {
      if (is.na(s) || is.na(g)) { s <- NA; next }
      if (g > 0) s <- s + g * min(cap, (9 - s) / 9)
      if (g < 0) s <- s + g * min(cap, (9 + s) / 9)
      s <- min(9, max(-9, s))
    }
    out[p] <- s
  }
  out
}
