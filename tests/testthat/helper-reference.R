# Pure-R references shared by the tests: ref_sim() and ref_matrix(), the
# similarity measures straight from their definitions (src/similarity.c).

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
