# Builds `major_powers` (data/major_powers.rda): Correlates of War major-power
# spells, v2016, from ../shared/data/raw/cow_majors.rda (carried by the
# peacesciencer package). Run from the package root:  Rscript data-raw/majors.R
raw_dir <- Sys.getenv("TB_RAW_DIR", file.path("..", "shared", "data", "raw"))
e <- new.env()
load(file.path(raw_dir, "cow_majors.rda"), envir = e)
m <- get(ls(e)[1L], envir = e)
ymd <- function(y, mo, d) as.Date(sprintf("%04d-%02d-%02d", as.integer(y), as.integer(mo), as.integer(d)))
major_powers <- data.frame(ccode = as.integer(m$ccode),
                           start = ymd(m$styear, m$stmonth, m$stday),
                           end = ymd(m$endyear, m$endmonth, m$endday),
                           source = "Correlates of War Project (2017), State System Membership List v2016, majors2016",
                           stringsAsFactors = FALSE)
major_powers <- major_powers[order(major_powers$ccode, major_powers$start), ]
rownames(major_powers) <- NULL
stopifnot(nrow(major_powers) == 14L, !anyNA(major_powers))
save(major_powers, file = "data/major_powers.rda", compress = "xz")
cat("data/major_powers.rda:", nrow(major_powers), "spells\n")
