# Benchmark of the threat engine: ratios against base-R implementations of the
# same formulas, run in the same process.
#   Rscript bench/bench-threat.R        (after installing the package)
suppressPackageStartupMessages(library(threatbalance))
ds <- function(name) getExportedValue("threatbalance", name)
yr <- function(d) as.integer(format(d, "%Y"))
tm <- function(expr) unname(system.time(expr)["elapsed"])

# ---- base R: the same formulas, per year on dense matrices -------------------
# (exponential decay, dyadic power, disputes + rivalry + alliance dissimilarity;
# the alliance similarity comes from the package, as in the engine)
base_threat <- function(years, sim) {
  st <- ds("states"); cp <- ds("capabilities"); md <- ds("min_distance")
  co <- ds("contiguity"); co <- co[co$conttype == 1L, ]
  dp <- ds("disputes"); rv <- ds("rivalries")
  hw <- c(0, 0.25, 0.5, 0.75, 1)
  all_cc <- sort(unique(st$ccode))
  G <- matrix(0, length(all_cc), length(all_cc))
  out <- vector("list", length(years))
  for (t in min(dp$year):max(years)) {
    G <- G * 2^(-1 / 10)
    d <- dp[dp$year == t, ]
    if (nrow(d)) {
      ix <- cbind(match(d$ccode1, all_cc), match(d$ccode2, all_cc))
      for (r in seq_len(nrow(ix))) G[ix[r, 1], ix[r, 2]] <- G[ix[r, 1], ix[r, 2]] + hw[d$hostlev1[r]]
    }
    if (!t %in% years) next
    cc <- sort(unique(st$ccode[yr(st$start) <= t & yr(st$end) >= t]))
    n <- length(cc)
    c1 <- cp[cp$year == t, ]
    cinc <- c1$cinc[match(cc, c1$ccode)]
    sh <- cbind(c1$milex / sum(c1$milex, na.rm = TRUE), c1$milper / sum(c1$milper, na.rm = TRUE))
    mil <- rowMeans(sh, na.rm = TRUE)[match(cc, c1$ccode)]
    mil[is.nan(mil)] <- NA
    D <- matrix(NA_real_, n, n)
    m1 <- md[md$year == t, ]
    ij <- cbind(match(m1$ccode1, cc), match(m1$ccode2, cc)); ok <- !is.na(ij[, 1] + ij[, 2])
    D[ij[ok, , drop = FALSE]] <- m1$mindist[ok]; D[ij[ok, 2:1, drop = FALSE]] <- m1$mindist[ok]
    k1 <- co[yr(co$start) <= t & yr(co$end) >= t, ]
    ij <- cbind(match(k1$ccode1, cc), match(k1$ccode2, cc)); ok <- !is.na(ij[, 1] + ij[, 2])
    D[ij[ok, , drop = FALSE]] <- 0; D[ij[ok, 2:1, drop = FALSE]] <- 0
    R <- matrix(0, n, n)
    r1 <- rv[rv$start <= t & rv$end >= t, ]
    ij <- cbind(match(r1$ccode1, cc), match(r1$ccode2, cc)); ok <- !is.na(ij[, 1] + ij[, 2])
    R[ij[ok, , drop = FALSE]] <- 1; R[ij[ok, 2:1, drop = FALSE]] <- 1
    S <- matrix(NA_real_, n, n)
    s1 <- sim[sim$year == t, ]
    ij <- cbind(match(s1$ccode1, cc), match(s1$ccode2, cc)); ok <- !is.na(ij[, 1] + ij[, 2])
    S[ij[ok, , drop = FALSE]] <- s1$s[ok]; S[ij[ok, 2:1, drop = FALSE]] <- s1$s[ok]
    CJ <- matrix(cinc, n, n); CI <- t(CJ)
    power <- CJ / (CJ + CI)
    prox <- exp(-D / 1000)
    off <- pmin(1, matrix(mil, n, n) * prox / sum(mil, na.rm = TRUE))
    gi <- match(cc, all_cc)
    mid <- 1 - exp(-G[gi, gi])
    riv <- if (t <= 2020) R else NA * R
    dis <- (1 - S) / 2
    cnt <- (!is.na(mid)) + (!is.na(riv)) + (!is.na(dis))
    intent <- (ifelse(is.na(mid), 0, mid) + ifelse(is.na(riv), 0, riv) +
                 ifelse(is.na(dis), 0, dis)) / cnt
    keep <- row(power) != col(power)
    out[[match(t, years)]] <- data.frame(year = t, ccode1 = cc[row(power)[keep]],
                                         ccode2 = cc[col(power)[keep]], power = power[keep],
                                         proximity = prox[keep], offense = off[keep],
                                         intent = intent[keep])
  }
  x <- do.call(rbind, out)
  x[order(x$year, x$ccode1, x$ccode2), ]
}

cat("threat_components(1816:2022): all directed dyad-years\n")
t_cold <- tm(x <- suppressWarnings(threat_components(1816:2022)))
t_warm <- tm(x <- suppressWarnings(threat_components(1816:2022)))
cat(sprintf("  rows: %d\n  C engine, first call (builds inputs, alliance S): %.2f s; later calls: %.2f s\n",
            nrow(x), t_cold, t_warm))
sim <- alliance_similarity(1816:2018, method = "s")
t_base <- tm(b <- base_threat(1816:2022, sim))
cat(sprintf("  base R, same formulas, same S: %.2f s\n", t_base))
cat(sprintf("  ratio base R / C engine: %.1fx (first call), %.1fx (later calls)\n",
            t_base / t_cold, t_base / t_warm))
stopifnot(nrow(b) == nrow(x))
cat(sprintf("  max |difference| C vs base R: %s\n",
            paste(sprintf("%s %.1e", c("power", "proximity", "offense", "intent"),
                          vapply(c("power", "proximity", "offense", "intent"), function(k)
                            max(abs(x[[k]] - b[[k]]), na.rm = TRUE), 0)), collapse = ", ")))
cat(sprintf("  target < 5 s: %s\n", if (t_cold < 5) "met" else "NOT met"))

cat("\nthreat_sensitivity(): 1000 Dirichlet draws, NATO -> China 1949-2022\n")
nc <- suppressWarnings(bloc_threat("NATO", "China", 1949:2022, carry_distance = TRUE))
t_s <- tm(for (k in 1:10) s <- threat_sensitivity(nc, draws = 1000, seed = 1)) / 10
base_sens <- function(x, draws, seed, probs = c(0.05, 0.5, 0.95)) {
  set.seed(seed)
  g <- matrix(rgamma(draws * 4, 1), draws)
  w <- g / rowSums(g)
  comp <- as.matrix(x[, c("power", "proximity", "offense", "intent")])
  t(apply(comp, 1, function(r) {
    if (anyNA(r)) return(rep(NA_real_, length(probs)))
    v <- apply(w, 1, function(wk) prod(r^wk))
    quantile(v, probs, names = FALSE)
  }))
}
t_bs <- tm(bs <- base_sens(nc, 1000, 1))
cat(sprintf("  C: %.4f s per call (target < 1 s: %s); base R (apply): %.3f s; ratio %.0fx; max |diff| %.1e\n",
            t_s, if (t_s < 1) "met" else "NOT met", t_bs, t_bs / t_s,
            max(abs(as.matrix(s[, c("q5", "q50", "q95")]) - bs), na.rm = TRUE)))
