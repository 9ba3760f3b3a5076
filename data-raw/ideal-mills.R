# Writes src/ideal-mills.h: polynomial pieces of the normal Mills ratio
# R(x) = (1 - Phi(x)) / phi(x) for x >= 0, used by src/ideal.c for the
# truncated-normal moments of every vote (an evaluation per vote and pass:
# about 13 ns against 30 for erfc and exp, which dominated the pass).
# Reference values: pnorm(x, lower.tail = FALSE) / dnorm(x) (relative error
# about 2e-16 each) for x <= 37, the asymptotic series beyond (where its
# terms fall below 1e-30). The pieces agree with the reference to about
# 3e-15 relative (printed, and written into the header). Run from the
# package root:
#   Rscript data-raw/ideal-mills.R
mills_ref <- function(x) {
  out <- numeric(length(x))
  small <- x <= 37
  out[small] <- stats::pnorm(x[small], lower.tail = FALSE) / stats::dnorm(x[small])
  xb <- x[!small]
  u <- 1 / xb^2
  s <- 1
  term <- 1
  for (n in 1:12) {
    term <- -term * (2 * n - 1) * u
    s <- s + term
  }
  out[!small] <- s / xb
  out
}

# Chebyshev coefficients of f on [a, b], degree n, from the n + 1 Chebyshev nodes.
cheb_fit <- function(f, a, b, n) {
  k <- 0:n
  t <- cos(pi * (k + 0.5) / (n + 1))
  fx <- f((a + b) / 2 + (b - a) / 2 * t)
  cf <- vapply(0:n, function(j) 2 / (n + 1) * sum(fx * cos(j * pi * (k + 0.5) / (n + 1))), 0)
  cf[1] <- cf[1] / 2  # stored halved: f = sum_j c_j T_j
  cf
}

cheb_eval <- function(cf, t) {
  b1 <- 0
  b2 <- 0
  for (j in length(cf):2) {
    b0 <- cf[j] + 2 * t * b1 - b2
    b2 <- b1
    b1 <- b0
  }
  cf[1] + t * b1 - b2
}

# [0, 8]: 64 pieces of width 1/8, each a polynomial of degree 8 in the
# scaled s = 16 x - (2 i + 1) in [-1, 1] (power basis, evaluated by Estrin's
# scheme in C: a short dependency chain), fitted by relative least squares on
# 200 Chebyshev points of the piece.
piece_fit <- function(a, b, d = 8L) {
  s <- cos(pi * (0:199 + 0.5) / 200)
  x <- (a + b) / 2 + (b - a) / 2 * s
  X <- outer(s, 0:d, `^`)
  y <- mills_ref(x)
  qr.solve(X / y, rep(1, length(y)))
}
starts <- seq(0, 8 - 1 / 8, by = 1 / 8)
pieces <- lapply(starts, function(a) piece_fit(a, a + 1 / 8))
# [8, Inf): x R(x) in u = 1/x^2, Chebyshev of degree 16 on [0, 1/64] (rare:
# only votes far on the wrong side of a cut reach it).
deg <- 16L
tail_f <- function(u) { x <- 1 / sqrt(u); x * mills_ref(x) }
tail_cf <- cheb_fit(tail_f, 0, 1 / 64, deg)

err <- max(vapply(seq_along(starts), function(i) {
  x <- seq(starts[i], starts[i] + 1 / 8, length.out = 501)
  s <- 16 * x - (2 * (i - 1) + 1)
  max(abs(drop(outer(s, 0:8, `^`) %*% pieces[[i]]) / mills_ref(x) - 1))
}, 0))
u <- seq(0, 1 / 64, length.out = 5001)[-1]
err_tail <- max(abs(cheb_eval(tail_cf, 128 * u - 1) / tail_f(u) - 1))
cat(sprintf("largest relative error: [0, 8] %.2e, [8, Inf) %.2e\n", err, err_tail))

fmt <- function(v, per = 3L) {
  v <- sprintf("%.17e", v)
  rows <- split(v, ceiling(seq_along(v) / per))
  paste(vapply(rows, paste, "", collapse = ", "), collapse = ",\n     ")
}
out <- c(
  "/* ideal-mills.h: polynomial pieces of the normal Mills ratio R(x) = (1 - Phi(x)) / phi(x),",
  " * written by data-raw/ideal-mills.R (do not edit). For 0 <= x < 8, piece i = floor(8 x) is",
  " * sum_j TB_MILLS_PIECE[i][j] s^j with s = 16 x - (2 i + 1); for x >= 8, x R(x) is the",
  " * Chebyshev series TB_MILLS_TAIL in t = 128 / x^2 - 1 (first coefficient halved).",
  sprintf(" * Largest relative error against the reference: %.1e on [0, 8], %.1e beyond. */",
          err, err_tail),
  "#ifndef THREATBALANCE_IDEAL_MILLS_H",
  "#define THREATBALANCE_IDEAL_MILLS_H",
  sprintf("#define TB_MILLS_NTAIL %d", deg + 1L),
  "static const double TB_MILLS_PIECE[64][9] = {",
  paste0("    {", vapply(pieces, fmt, ""), "}", c(rep(",", 63), "")),
  "};",
  "static const double TB_MILLS_TAIL[TB_MILLS_NTAIL] = {",
  paste0("    ", fmt(tail_cf)),
  "};",
  "#endif")
writeLines(out, "src/ideal-mills.h")
