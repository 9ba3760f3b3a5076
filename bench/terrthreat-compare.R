# Intent (and the threat index) against Miller's latent external territorial
# threat (JOGSS 2022), state-years 1816-2010. The raw file is not shipped with
# the package: it is read from ../shared/data/raw/terrthreat.rda.
#   Rscript bench/terrthreat-compare.R      (from the package root, after installing)
# Sourcing the file (as bench/validity.R does) defines the functions only.
suppressPackageStartupMessages(library(threatbalance))

# Miller's state-years (ccode, year, lterrthreat), or NULL when the raw file is absent.
terrthreat_load <- function(path = file.path("..", "shared", "data", "raw", "terrthreat.rda")) {
  if (!file.exists(path)) path <- "/work/shared/data/raw/terrthreat.rda"
  if (!file.exists(path)) return(NULL)
  e <- new.env(); load(path, envir = e)
  tt <- as.data.frame(e$terrthreat)
  data.frame(ccode = as.integer(tt$ccode), year = as.integer(tt$year),
             lterrthreat = tt$lterrthreat)
}

# Each state-year as a target: the threats it faces from all other states.
# `x` holds threat_components() rows and a `threat` column (threat_index()).
terrthreat_state_years <- function(x) {
  key <- x$year * 1000L + x$ccode2
  agg <- function(v, f) tapply(v, key, f)
  sy <- data.frame(key = as.integer(names(agg(x$intent, max))),
                   intent_max = as.numeric(agg(x$intent, max)),
                   intent_mean = as.numeric(agg(x$intent, mean)),
                   # hostility from states that can reach it: intent weighted by proximity
                   intent_near = as.numeric(tapply(x$intent * x$proximity, key, sum, na.rm = TRUE)),
                   threat_sum = as.numeric(tapply(x$threat, key, sum, na.rm = TRUE)),
                   threat_max = suppressWarnings(as.numeric(tapply(x$threat, key, max, na.rm = TRUE))))
  sy$threat_max[!is.finite(sy$threat_max)] <- NA  # no non-NA threat to the state that year
  sy$year <- sy$key %/% 1000L
  sy$ccode <- sy$key %% 1000L
  sy
}

# Pearson and Spearman correlations of each variable with lterrthreat over the
# state-years where both are finite; plus the within-state Pearson correlation
# (deviations from each state's mean), the year-to-year agreement.
terrthreat_correlations <- function(m, vars) {
  dm <- function(v, g) v - ave(v, g)
  do.call(rbind, lapply(vars, function(v) {
    ok <- is.finite(m[[v]]) & is.finite(m$lterrthreat)
    data.frame(measure = v, n = sum(ok),
               pearson = cor(m[[v]][ok], m$lterrthreat[ok]),
               spearman = cor(m[[v]][ok], m$lterrthreat[ok], method = "spearman"),
               within_pearson = cor(dm(m[[v]][ok], m$ccode[ok]), dm(m$lterrthreat[ok], m$ccode[ok])))
  }))
}

if (sys.nframe() == 0L) {
  tt <- terrthreat_load()
  if (is.null(tt)) {
    cat("terrthreat.rda not found; skipping the comparison\n")
    quit(save = "no")
  }
  # years before 1886 have distances only for land-contiguous pairs (coverage warning)
  x <- suppressWarnings(threat_components(1816:2010))
  x$threat <- threat_index(x)
  m <- merge(tt, terrthreat_state_years(x), by = c("ccode", "year"))
  cat(sprintf("state-years matched: %d of %d in terrthreat (1816-2010)\n", nrow(m), nrow(tt)))
  cat("correlation with Miller's latent territorial threat (lterrthreat):\n")
  r <- terrthreat_correlations(m, c("intent_max", "intent_mean", "intent_near", "threat_sum"))
  for (i in seq_len(nrow(r))) {
    cat(sprintf("  %-12s Pearson %.3f  Spearman %.3f  (n = %d)\n", r$measure[i],
                r$pearson[i], r$spearman[i], r$n[i]))
  }
  cat(sprintf("  within-state, intent_near: Pearson %.3f\n",
              r$within_pearson[r$measure == "intent_near"]))
}
