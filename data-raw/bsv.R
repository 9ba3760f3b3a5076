# Builds data/bsv_ideal_points.rda: the published UN General Assembly ideal
# points of Bailey, Strezhnev & Voeten (June 2024 release), sessions 1-78,
# from ../shared/data/raw/bsv_idealpoints_jun2024.csv (see that folder's
# PROVENANCE.md), for comparison with ideal_points(). Rerunnable:
#   Rscript data-raw/bsv.R      (from the package root)
# Documented in R/data-ideal.R.
path <- file.path("..", "shared", "data", "raw", "bsv_idealpoints_jun2024.csv")
if (!file.exists(path)) stop("raw file not found: ", path)
raw <- utils::read.csv(path, check.names = FALSE, stringsAsFactors = FALSE)

bsv_ideal_points <- data.frame(
  ccode = as.integer(raw$ccode),
  session = as.integer(raw$session),
  year = as.integer(raw$session) + 1945L,   # session n opens in 1945 + n
  ideal = as.double(raw$IdealPointAll),
  lower = as.double(raw[["Q5%All"]]),        # 5% and 95% posterior quantiles
  upper = as.double(raw[["Q95%All"]]),
  n_votes = as.integer(raw$NVotesAll))
bsv_ideal_points <- bsv_ideal_points[order(bsv_ideal_points$ccode, bsv_ideal_points$session), ]
rownames(bsv_ideal_points) <- NULL

load(file.path("data", "states.rda"))
stopifnot(
  nrow(bsv_ideal_points) == 11238L,
  !anyNA(bsv_ideal_points),
  !anyDuplicated(bsv_ideal_points[c("ccode", "session")]),
  all(bsv_ideal_points$ccode %in% states$ccode),
  all(bsv_ideal_points$lower <= bsv_ideal_points$ideal),
  all(bsv_ideal_points$ideal <= bsv_ideal_points$upper))

f <- file.path("data", "bsv_ideal_points.rda")
save(bsv_ideal_points, file = f, compress = "xz", compression_level = 9)
cat(sprintf("bsv_ideal_points %d rows, %.1f kB\n", nrow(bsv_ideal_points), file.size(f) / 1024))
