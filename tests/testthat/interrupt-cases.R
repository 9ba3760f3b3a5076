# Long calls of every C loop for the interrupt-latency test (test-interrupt.R,
# helper-interrupt.R): name = list(setup, expr), R code run in a child
# process. Each must run well past the signal (several seconds); sizes are
# chosen so that the C loop, not R code, is running when SIGINT arrives.
tb_interrupt_cases <- list(
  "similarity_matrix (bit planes, one period)" = list(
    setup = "set.seed(1); m <- matrix(sample(0:3, 8000 * 400, TRUE), 8000)",
    expr = "similarity_matrix(m, levels = 0:3)"),
  "similarity_matrix (bit planes, missing codes)" = list(
    setup = "set.seed(1); m <- matrix(sample(c(0:3, NA), 8000 * 400, TRUE), 8000)",
    expr = "similarity_matrix(m, method = 'kappa', levels = 0:3)"),
  "similarity_matrix (direct kernel, 40 levels)" = list(
    setup = "set.seed(1); m <- matrix(sample(1:40, 5000 * 400, TRUE), 5000)",
    expr = "similarity_matrix(m, levels = 1:40)"),
  "dyadic_similarity (weighted, missing codes)" = list(
    setup = paste("set.seed(1); na <- 4000; nk <- 300;",
                  "d <- data.frame(a = rep(1:na, nk), i = rep(1:nk, each = na),",
                  "v = sample(c(1:3, NA), na * nk, TRUE), w = rep(runif(nk), each = na))"),
    expr = "dyadic_similarity(d, 'a', 'i', 'v', weights = 'w', levels = 1:3)"),
  # through the C entry point: R's rgamma() of the 4e6 weights, before it,
  # does not check for interrupts
  "threat_sensitivity (C, 1e6 draws)" = list(
    setup = paste("set.seed(1); comp <- matrix(runif(4e4), ncol = 4);",
                  "g <- matrix(rgamma(4e6, 1), ncol = 4); w <- g / rowSums(g)"),
    expr = ".Call(threatbalance:::C_ffi_threat_sensitivity, comp, w, TRUE, c(0.05, 0.5, 0.95))"),
  "threat_components (1816-2024)" = list(
    setup = "",
    # repeated: one call takes about 1 s, less than the parent's delay
    expr = "for (i in 1:10) suppressWarnings(threat_components(1816:2024))"),
  # the event routines and distance_km() through their C entry points: at
  # these sizes the R wrappers spend seconds in base R's own sort, match and
  # date conversion, which do not check for interrupts (see the report)
  "event aggregation (C, 3e7 events)" = list(
    setup = paste("set.seed(1); n <- 3e7; day <- sample.int(9000L, n, TRUE);",
                  "a <- sample.int(300L, n, TRUE); b <- sample.int(300L, n, TRUE); g <- rep(1.5, n)"),
    expr = paste(".Call(threatbalance:::C_ffi_event_aggregate, day, a, b, 2L, FALSE, NULL,",
                 "g, NULL, NULL)")),
  "detect_phases (3e6 points, meanvar, MBIC)" = list(
    setup = "set.seed(1); x <- rnorm(3e6) + rep(rnorm(3000, sd = 3), each = 1000)",
    expr = "detect_phases(x, cost = 'meanvar')"),
  # the mean cost, where the sleepers of a segment sleep in groups
  "detect_phases (2e7 points, mean, MBIC)" = list(
    setup = "set.seed(1); x <- rnorm(2e7) + rep(rnorm(2e4, sd = 3), each = 1000)",
    expr = "detect_phases(x, standardize = FALSE)"),
  "distance_km (C, 1e8 pairs)" = list(
    setup = "lat <- rep(c(10, 50), 5e7)",
    expr = ".Call(threatbalance:::C_ffi_distance_km, lat, 10, 20, 30)"),
  "alliance_similarity (1816-2018, weighted)" = list(
    setup = "",
    expr = "for (i in 1:50) alliance_similarity(1816:2018, method = c('s', 'kappa', 'pi', 'taub'), weighted = TRUE)"),
  "ideal_points (all sessions, bootstrap)" = list(
    setup = "",
    expr = "ideal_points(se = 'bootstrap', draws = 200)")
)
