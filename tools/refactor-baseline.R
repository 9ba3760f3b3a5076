# Record the results of a fixed set of calls (every exported function on a
# few years), to compare bit for bit before and after a refactor.
#   Rscript tools/refactor-baseline.R record  FILE   # with the old build on R_LIBS
#   Rscript tools/refactor-baseline.R compare FILE   # with the new build on R_LIBS
# Warnings and errors are recorded with their class and message.
args <- commandArgs(trailingOnly = TRUE)
mode <- args[1L]; file <- args[2L]
suppressPackageStartupMessages(library(threatbalance))
run <- function(expr) {
  w <- list()
  val <- withCallingHandlers(
    tryCatch(expr, error = function(e) structure(list(class = class(e), msg = conditionMessage(e)),
                                                 class = "recorded_error")),
    warning = function(c) { w[[length(w) + 1L]] <<- list(class = class(c), msg = conditionMessage(c))
                            invokeRestart("muffleWarning") })
  list(value = val, warnings = w)
}
set.seed(1)
ev <- threatbalance::events
m <- matrix(sample(1:3, 60, TRUE), 12, 5)
tc <- suppressWarnings(threat_components(c(1962, 1999, 2015), to = c("China", "Russia")))
calls <- list(
  cinc = quote(cinc(subset(capabilities, year %in% c(1900, 2000)))),
  lsg = quote(lsg(c(0.1, 0.2, 0.05), c(100, 3000, 8000), year = c(1900, 1940, 2000))),
  lsg_exp = quote(lsg(c(0.1, 0.2), c(100, 3000), method = "exponential", rate = 1000)),
  add_capabilities = quote(add_capabilities(dyad_years(2000:2001, directed = FALSE))),
  add_contiguity = quote(add_contiguity(dyad_years(c(1950, 2010)))),
  add_distance_cap = quote(add_distance(dyad_years(c(1900, 2015)), "capital")),
  add_distance_min = quote(add_distance(dyad_years(c(1900, 2015)), "minimum")),
  distance_km = quote(distance_km(39.9, 116.4, c(38.9, 55.7), c(-77, 37.6))),
  dyad_years = quote(dyad_years(c(1816, 1946, 2020, 2024))),
  bloc_members = quote(bloc_members("NATO", as.Date(c("1960-01-01", "2023-06-01")))),
  blocs_available = quote(blocs_available()),
  state_ccode = quote(state_ccode(c("China", "RUS", "USA", "Germany", "710", "Korea"), year = 1970)),
  alliance_similarity = quote(alliance_similarity(c(1950, 1990, 2018))),
  alliance_similarity_all = quote(alliance_similarity(2000, method = c("s", "kappa", "pi", "taub"))),
  vote_similarity = quote(vote_similarity(c(1960, 1990, 2019))),
  vote_similarity_all = quote(vote_similarity(2015, method = c("agree", "s", "kappa", "pi"))),
  similarity = quote(lapply(c("s", "kappa", "pi", "taub"), function(mm) similarity(c(1, 2, 3, 1), c(1, 3, 3, 2), method = mm))),
  similarity_matrix = quote(lapply(c("s", "kappa", "pi"), function(mm) similarity_matrix(m, method = mm))),
  dyadic_similarity = quote(dyadic_similarity(data.frame(a = rep(1:4, each = 5), i = rep(1:5, 4),
                                                         v = c(m)[1:20]), "a", "i", "v")),
  threat_components = quote(threat_components(c(1962, 1999, 2015), to = c("China", "Russia"))),
  threat_components_all = quote(threat_components(c(1900, 2019))),
  threat_components_bdm = quote(threat_components(1990:1992, to = 2, decay = "bdm", power = "system")),
  threat_components_vote = quote(threat_components(2005:2021, to = 710, similarity = "vote")),
  threat_index = quote(threat_index(tc)),
  threat_index_add = quote(threat_index(tc, combine = "additive")),
  threat_sensitivity = quote(threat_sensitivity(tc, draws = 200, seed = 3)),
  bloc_threat = quote(bloc_threat("NATO", "China", 1990:2022)),
  bloc_threat2 = quote(bloc_threat("SCO", "United States", 2001:2010)),
  threat_balance = quote(threat_balance("China", "United States", 1950:2022)),
  relation_scores = quote(relation_scores(ev)),
  relation_scores_m = quote(relation_scores(ev, by = "month", directed = TRUE)),
  relation_level = quote(relation_level(ev, "710", "NATO", members = TRUE)),
  relation_level2 = quote(relation_level(ev, "365", "710")),
  errors = quote(lapply(list(quote(threat_components(1800)), quote(state_ccode("Atlantis")),
                             quote(similarity(1:3, 1:2)), quote(detect_phases("a")),
                             quote(bloc_threat("NOPE", "China", 2000))),
                        function(e) tryCatch(eval(e), error = function(c) class(c)))),
  detect_phases = quote(detect_phases(c(rnorm(50), rnorm(50, 3)), cost = "mean")),
  detect_phases_mv = quote(detect_phases(c(rnorm(60), rnorm(60, 0, 4)), cost = "meanvar")),
  compare_phases = quote(compare_phases(detect_phases(c(rep(0, 20), rep(5, 20)) + sin(1:40) / 10, time = 1960:1999),
                                        c(1970, 1980))),
  phase_summary = quote(phase_summary(1:30 + 0, 1971:2000, phases[phases$relationship == phases$relationship[1], ]))
)
res <- lapply(calls, function(cl) { set.seed(42); run(eval(cl)) })
if (mode == "record") {
  saveRDS(res, file)
  cat("recorded", length(res), "calls to", file, "\n")
} else {
  old <- readRDS(file)
  bad <- character()
  for (nm in union(names(old), names(res))) {
    if (!identical(old[[nm]], res[[nm]])) {
      bad <- c(bad, nm)
      cat("DIFFERS:", nm, "\n"); print(all.equal(old[[nm]], res[[nm]]))
    }
  }
  cat(length(res) - length(bad), "of", length(res), "calls bit-identical\n")
  if (length(bad)) quit(status = 1)
}
