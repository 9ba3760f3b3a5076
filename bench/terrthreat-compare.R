# Intent (and the threat index) against Miller's latent external territorial
# threat (JOGSS 2022), state-years 1816-2010. The raw file is not shipped with
# the package: it is read from ../shared/data/raw/terrthreat.rda.
#   Rscript bench/terrthreat-compare.R      (from the package root, after installing)
suppressPackageStartupMessages(library(threatbalance))
path <- file.path("..", "shared", "data", "raw", "terrthreat.rda")
if (!file.exists(path)) path <- "/work/shared/data/raw/terrthreat.rda"
if (!file.exists(path)) {
  cat("terrthreat.rda not found; skipping the comparison\n")
  quit(save = "no")
}
e <- new.env(); load(path, envir = e)
tt <- as.data.frame(e$terrthreat)
tt <- data.frame(ccode = as.integer(tt$ccode), year = as.integer(tt$year),
                 lterrthreat = tt$lterrthreat)

# years before 1886 have distances only for land-contiguous pairs (coverage warning)
x <- suppressWarnings(threat_components(1816:2010))
x$threat <- threat_index(x)
# Each state-year as a target: the threats it faces from all other states.
key <- x$year * 1000L + x$ccode2
agg <- function(v, f) tapply(v, key, f)
sy <- data.frame(key = as.integer(names(agg(x$intent, max))),
                 intent_max = as.numeric(agg(x$intent, max)),
                 intent_mean = as.numeric(agg(x$intent, mean)),
                 # hostility from states that can reach it: intent weighted by proximity
                 intent_near = as.numeric(tapply(x$intent * x$proximity, key, sum, na.rm = TRUE)),
                 threat_sum = as.numeric(tapply(x$threat, key, sum, na.rm = TRUE)))
sy$year <- sy$key %/% 1000L
sy$ccode <- sy$key %% 1000L
m <- merge(tt, sy, by = c("ccode", "year"))
cat(sprintf("state-years matched: %d of %d in terrthreat (1816-2010)\n", nrow(m), nrow(tt)))
cat("correlation with Miller's latent territorial threat (lterrthreat):\n")
for (v in c("intent_max", "intent_mean", "intent_near", "threat_sum")) {
  ok <- is.finite(m[[v]]) & is.finite(m$lterrthreat)
  cat(sprintf("  %-12s Pearson %.3f  Spearman %.3f  (n = %d)\n", v,
              cor(m[[v]][ok], m$lterrthreat[ok]),
              cor(m[[v]][ok], m$lterrthreat[ok], method = "spearman"), sum(ok)))
}
# within-state (year-to-year) agreement: correlation of deviations from each state's mean
dm <- function(v, g) v - ave(v, g)
ok <- is.finite(m$intent_near)
cat(sprintf("  within-state, intent_near: Pearson %.3f\n",
            cor(dm(m$intent_near[ok], m$ccode[ok]), dm(m$lterrthreat[ok], m$ccode[ok]))))
