# Checks dyad_years() against CoW's directed dyad-year frame (cow_ddy, as
# distributed with peacesciencer) for 1816-2016, the years of CoW's v2016
# state list, and reports 2017-2024, where both extend surviving members.
#   R_LIBS=<lib with threatbalance> Rscript data-raw/check-dyads.R
# Raw data: $THREATBALANCE_RAW, default ../shared/data/raw.
# Result recorded on 2026-11-24 (threatbalance 0.1.0):
#   1816-2016: cow_ddy 1912290 rows, dyad_years() 1912290 rows;
#              only in ours 0, only in cow_ddy 0 -> identical sets
#   2017-2024: cow_ddy 302640 rows, dyad_years() 302640 rows; only in ours 0,
#              only in cow_ddy 0 -> identical sets
library(threatbalance)
raw <- Sys.getenv("THREATBALANCE_RAW", file.path("..", "shared", "data", "raw"))
e <- new.env()
load(file.path(raw, "cow_ddy.rda"), envir = e)
ddy <- as.data.frame(e$cow_ddy)
key <- function(d) d$year * 1e6 + d$ccode1 * 1e3 + d$ccode2
compare <- function(from, to) {
  a <- ddy[ddy$year >= from & ddy$year <= to, ]
  b <- dyad_years(from:to)
  ka <- key(a); kb <- key(b)
  cat(sprintf("%d-%d: cow_ddy %d rows, dyad_years() %d rows; only in ours %d, only in cow_ddy %d%s\n",
              from, to, nrow(a), nrow(b), sum(!kb %in% ka), sum(!ka %in% kb),
              if (!anyDuplicated(ka) && setequal(ka, kb)) " -> identical sets" else ""))
}
compare(1816, 2016)
compare(2017, 2024)
