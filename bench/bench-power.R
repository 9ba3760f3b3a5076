# Benchmark of the power and geography core: all directed dyad-years
# 1816-2022 with both sides' capabilities and capital distance, and cinc().
# Prints ratios against baselines run in this process (never a bare pass/fail):
# a straightforward base-R merge() implementation and, when installed,
# peacesciencer's create_dyadyears() |> add_nmc() |> add_capital_distance().
#   Rscript bench/bench-power.R
suppressPackageStartupMessages(library(threatbalance))

timed <- function(expr, reps = 3L) {
  f <- substitute(expr); env <- parent.frame()
  t <- vapply(seq_len(reps), function(i) {
    gc(FALSE)
    system.time(eval(f, env))[["elapsed"]]
  }, numeric(1))
  median(t)
}

years <- 1816:2022
caps <- threatbalance::capitals
nmc <- threatbalance::capabilities
st <- threatbalance::states

tb_pipeline <- function() {
  d <- dyad_years(years)
  d <- add_capabilities(d)
  add_distance(d, "capital")
}

# Base R: state-years, a self-merge by year, then merge() for capabilities and
# capitals, haversine in R.
base_pipeline <- function() {
  y0 <- as.integer(format(st$start, "%Y")); y1 <- pmin(as.integer(format(st$end, "%Y")), 2022L)
  sy <- do.call(rbind, lapply(seq_len(nrow(st)), function(i)
    if (y0[i] <= y1[i]) data.frame(ccode = st$ccode[i], year = y0[i]:y1[i])))
  sy <- unique(sy)
  d <- merge(setNames(sy, c("ccode1", "year")), setNames(sy, c("ccode2", "year")), by = "year")
  d <- d[d$ccode1 != d$ccode2, ]
  n1 <- nmc; names(n1)[-(1:2)] <- paste0(names(nmc)[-(1:2)], "1"); names(n1)[1] <- "ccode1"
  n2 <- nmc; names(n2)[-(1:2)] <- paste0(names(nmc)[-(1:2)], "2"); names(n2)[1] <- "ccode2"
  d <- merge(d, n1, by = c("ccode1", "year"), all.x = TRUE)
  d <- merge(d, n2, by = c("ccode2", "year"), all.x = TRUE)
  cy <- do.call(rbind, lapply(seq_len(nrow(caps)), function(i)
    data.frame(ccode = caps$ccode[i], year = as.integer(format(caps$start[i], "%Y")):
                 as.integer(format(caps$end[i], "%Y")), lat = caps$lat[i], lon = caps$lon[i])))
  cy <- cy[!duplicated(cy[c("ccode", "year")], fromLast = TRUE), ]
  d <- merge(d, setNames(cy, c("ccode1", "year", "lat1", "lon1")), all.x = TRUE)
  d <- merge(d, setNames(cy, c("ccode2", "year", "lat2", "lon2")), all.x = TRUE)
  r <- pi / 180
  a <- sin((d$lat2 - d$lat1) * r / 2)^2 +
    cos(d$lat1 * r) * cos(d$lat2 * r) * sin((d$lon2 - d$lon1) * r / 2)^2
  d$capdist <- 2 * 6371 * asin(sqrt(pmin(1, a)))
  d
}

cat("== dyad-years 1816-2022 + add_capabilities() + add_distance('capital') ==\n")
res <- tb_pipeline()
cat(sprintf("rows: %d directed dyad-years, %d columns\n", nrow(res), ncol(res)))
t_tb <- timed(tb_pipeline())
t_parts <- c(dyad_years = timed(d0 <- dyad_years(years)),
             add_capabilities = timed(d1 <- add_capabilities(d0)),
             add_distance = timed(add_distance(d1, "capital")),
             add_contiguity = timed(suppressWarnings(add_contiguity(d0))))
cat(sprintf("threatbalance: %.2f s  (%s)\n", t_tb,
            paste(sprintf("%s %.2f s", names(t_parts), t_parts), collapse = ", ")))
t_base <- timed(base_pipeline(), reps = 1L)
cat(sprintf("base-R merge() implementation: %.2f s  -> ratio %.1fx\n", t_base, t_base / t_tb))
if (requireNamespace("peacesciencer", quietly = TRUE)) {
  # its functions need the package attached (internal lazy data)
  suppressPackageStartupMessages(suppressMessages(library(peacesciencer)))
  ps <- function() {
    suppressMessages({
      d <- create_dyadyears(subset_years = years)
      d <- add_nmc(d)
      add_capital_distance(d)
    })
  }
  t_ps <- tryCatch(timed(pres <- ps(), reps = 1L), error = function(e) {
    cat("peacesciencer failed:", conditionMessage(e), "\n"); NA })
  if (!is.na(t_ps)) {
    cat(sprintf("peacesciencer %s: %.2f s  -> ratio %.1fx\n",
                format(utils::packageVersion("peacesciencer")), t_ps, t_ps / t_tb))
    pres <- as.data.frame(pres)
    key <- function(d) d$year * 1e6 + d$ccode1 * 1e3 + d$ccode2
    i <- match(key(res), key(pres))
    rel <- abs(res$capdist - pres$capdist[i]) / pmax(pres$capdist[i], 1)
    cat(sprintf(paste0("agreement: %d of %d dyad-years in both; cinc1 equal within 1e-12 in %.2f%% ",
                       "(peacesciencer ships its own NMC release); capdist (theirs: ellipsoid) ",
                       "within 0.5%% in %.2f%% of rows, median relative difference %.2g\n"),
                sum(!is.na(i)), nrow(res),
                100 * mean(abs(res$cinc1 - pres$cinc1[i]) < 1e-12, na.rm = TRUE),
                100 * mean(rel < 0.005, na.rm = TRUE), median(rel, na.rm = TRUE)))
  }
} else {
  cat("peacesciencer not installed: skipped\n")
}

cat("\n== cinc() over all of capabilities (17,121 state-years) ==\n")
comps <- c("milex", "milper", "irst", "pec", "tpop", "upop")
ave_cinc <- function(d) {
  shares <- vapply(comps, function(v) {
    x <- d[[v]]
    tot <- ave(x, d$year, FUN = function(z) sum(z, na.rm = TRUE))
    ifelse(is.na(x) | tot <= 0, NA, x / tot)
  }, numeric(nrow(d)))
  out <- rowMeans(shares, na.rm = TRUE)
  out[is.nan(out)] <- NA
  out
}
stopifnot(isTRUE(all.equal(ave_cinc(nmc), cinc(nmc))))
t_c <- timed(for (i in 1:20) cinc(nmc)) / 20
t_a <- timed(for (i in 1:5) ave_cinc(nmc)) / 5
cat(sprintf("cinc(): %.2f ms; ave() implementation: %.2f ms -> ratio %.1fx\n",
            1000 * t_c, 1000 * t_a, t_a / t_c))
