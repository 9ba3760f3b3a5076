# Writes inst/extdata/validity-results.csv, the small table the vignette
# "How valid is the threat index?" reads: the validation suite (bench/validity.R)
# under the package defaults and under the former defaults (no reach, no ally
# discount, dispute scale 1, equal weights), in one long table.
#   Rscript bench/validity-results.R        (from the package root, after installing)
# About a minute of CPU.
source("bench/validity.R")
suppressPackageStartupMessages(library(threatbalance))
runs <- list(
  defaults = list(settings = list(), index = list()),
  former = list(settings = list(reach = "none", ally_discount = 0, dispute_scale = 1),
                index = list(weights = c(power = 1, proximity = 1, offense = 1, intent = 1))))
rows <- list()
add <- function(run, part, key, value, pass = NA, detail = "", n = NA)
  rows[[length(rows) + 1L]] <<- data.frame(run = run, part = part, key = key, value = value,
                                            pass = pass, n = n, detail = detail)
for (nm in names(runs)) {
  r <- validity_run(runs[[nm]]$settings, runs[[nm]]$index, label = nm)
  validity_print(r)
  fc <- r$face$cases
  for (i in seq_len(nrow(fc)))
    add(nm, "face", fc$id[i], fc$share[i], fc$pass[i], n = fc$n_years[i],
        detail = if (fc$pass[i]) "" else trimws(paste0(
          fc$failed_years[i],
          if (nzchar(fc$failed_years[i])) sprintf(" (rank %s; top: %s)", format(fc$median_rank_failing[i]),
                                                 fc$top_when_failing[i]) else "",
          if (nzchar(fc$nodata_years[i])) paste0("; no data ", fc$nodata_years[i]) else "")))
  a <- r$auc
  for (i in seq_len(nrow(a))) add(nm, "auc_mid_1950_2010", a$measure[i], a$auc[i],
                                  n = a$events[i])
  if (!is.null(r$auc_acd)) {
    b <- r$auc_acd
    for (i in seq_len(nrow(b))) add(nm, "auc_acd", b$measure[i], b$auc[i], n = b$events[i],
                                    detail = paste(attr(b, "years"), collapse = "-"))
  }
  if (!is.null(r$convergent)) {
    cv <- r$convergent
    for (i in seq_len(nrow(cv))) add(nm, "convergent_spearman", cv$measure[i], cv$spearman[i])
  }
  p <- r$phases
  for (i in seq_len(nrow(p)))
    add(nm, "phases", p$series[i], p$p_value[i], n = p$n_cp[i],
        detail = sprintf("%s; cp %s; ref %s; hits %s/%s", p$span[i], p$changepoints[i],
                         p$reference[i], p$hits[i], p$testable[i]))
}
out <- do.call(rbind, rows)
out$value <- signif(out$value, 5)
utils::write.csv(out, file.path("inst", "extdata", "validity-results.csv"), row.names = FALSE)
cat("wrote inst/extdata/validity-results.csv:", nrow(out), "rows\n")
