# Benchmark: relation_scores() on 10 million synthetic events, events per
# second and the ratio against a base-R rowsum() implementation in one run.
suppressPackageStartupMessages(library(threatbalance))
env <- new.env(); utils::data("cameo", package = "threatbalance", envir = env)
cameo <- env$cameo

n <- as.integer(Sys.getenv("TB_BENCH_EVENTS", "1e7"))
set.seed(1)
actors <- c(2L, 20L, 200L, 220L, 255L, 365L, 710L, 732L, 740L, 750L)
ev <- data.frame(date = as.Date("2000-01-01") + sample.int(365L * 15L, n, replace = TRUE),
                 actor = sample(actors, n, replace = TRUE),
                 target = sample(actors, n, replace = TRUE),
                 cameo = sample(cameo$code, n, replace = TRUE))

# base R: the same per dyad-month sums with rowsum() over a numeric key
base_scores <- function(ev) {
  i <- match(ev$cameo, cameo$code)
  g <- cameo$goldstein[i]; q <- cameo$quad[i]
  a <- pmin(ev$actor, ev$target); b <- pmax(ev$actor, ev$target)
  lt <- as.POSIXlt(ev$date)
  key <- ((lt$year + 1900) * 12 + lt$mon) * 1e6 + a * 1e3 + b
  s <- rowsum(cbind(1, g, q == 1, q == 2, q == 3, q == 4), key)
  s
}

t_ours <- system.time(ours <- relation_scores(ev, by = "month"))[["elapsed"]]
t_base <- system.time(base <- base_scores(ev))[["elapsed"]]
cat(sprintf("relation_scores(): %d events in %.2f s = %.1f million events/s (%d dyad-months)\n",
            n, t_ours, n / t_ours / 1e6, nrow(ours)))
cat(sprintf("base R rowsum():   %.2f s; ratio base/ours = %.1fx; same totals: %s\n",
            t_base, t_base / t_ours,
            isTRUE(all.equal(sum(ours$goldstein_sum), sum(base[, 2]))) &&
              nrow(base) == nrow(ours)))
# the C group-by alone, keys prepared
k <- threatbalance:::tb_event_keys(ev$actor, ev$target, "actor", "target")
day <- as.integer(ev$date); lk <- threatbalance:::tb_cameo_lookup(ev$cameo)
g <- as.double(lk$goldstein); q <- as.integer(lk$quad)
t_c <- system.time(.Call(threatbalance:::C_ffi_event_aggregate, day, k$a, k$b, 2L, FALSE,
                         NULL, g, q, NULL))[["elapsed"]]
cat(sprintf("C group-by alone:  %.2f s = %.0f million events/s\n", t_c, n / t_c / 1e6))
if (requireNamespace("stats", quietly = TRUE) && n <= 2e6) {
  t_agg <- system.time(stats::aggregate(cbind(n = 1, g = g) ~ day, data = data.frame(day = day %/% 30, g = g), FUN = sum))[["elapsed"]]
  cat(sprintf("aggregate() (formula, day key only): %.2f s; ratio %.1fx\n", t_agg, t_agg / t_ours))
}
