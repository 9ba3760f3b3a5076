# Builds the state-name dictionary used by state_ccode() (R/sysdata.rda,
# internal): the English, UN, ISO, CLDR, Polity, V-Dem and CoW spellings of
# every state with a Correlates of War code in the countrycode package's
# codelist, and its English regular expressions, which cover the World Bank
# and ICEWS spellings ("Lao PDR", "Iran, Islamic Rep.", "Korea, Rep.").
# Also writes tests/testthat/fixtures/raw-country-names.csv: every country
# name in the raw files, with the code the source itself gives where it has
# one, which the tests resolve with state_ccode().
#
#   Rscript data-raw/state-names.R      (from the package root; needs
#                                        countrycode and jsonlite)
# Source: Arel-Bundock, Enevoldsen & Yetman (2018), countrycode (GPL-3).
stopifnot(file.exists("DESCRIPTION"))
raw_dir <- Sys.getenv("TB_RAW_DIR", file.path("..", "shared", "data", "raw"))
cl <- countrycode::codelist
cl <- cl[!is.na(cl$cown), ]
cols <- c("country.name.en", "un.name.en", "iso.name.en", "cow.name", "p4.name",
          "vdem.name", "cldr.name.en", "cldr.short.en", "cldr.variant.en",
          "country.name.en_001", "cldr.name.en_001", "cldr.short.en_001")
cols <- intersect(cols, names(cl))
# the package's own normalisation of names (R/states.R), so keys match
pkg <- new.env()
sys.source("R/states.R", envir = pkg)
norm <- pkg$tb_norm_state
nm <- do.call(rbind, lapply(cols, function(col) {
  data.frame(name = cl[[col]], ccode = as.integer(cl$cown), column = col,
             stringsAsFactors = FALSE)
}))
nm <- nm[!is.na(nm$name) & nzchar(nm$name), ]
nm$key <- norm(nm$name)
nm <- nm[nzchar(nm$key), ]
# a key that names two states is left out (none today; checked)
amb <- tapply(nm$ccode, nm$key, function(v) length(unique(v)) > 1L)
if (any(amb)) message("left out, ambiguous: ", paste(names(amb)[amb], collapse = "; "))
nm <- nm[!nm$key %in% names(amb)[amb], ]
nm <- nm[!duplicated(nm$key), ]
tb_state_names <- data.frame(key = nm$key, ccode = nm$ccode, stringsAsFactors = FALSE)
rx <- cl[!is.na(cl$country.name.en.regex), c("country.name.en.regex", "cown")]
tb_state_regex <- data.frame(regex = rx$country.name.en.regex, ccode = as.integer(rx$cown),
                             stringsAsFactors = FALSE)
tb_state_names_version <- as.character(utils::packageVersion("countrycode"))
source(file.path("data-raw", "sysdata.R"))
save_sysdata(list(tb_state_names = tb_state_names, tb_state_regex = tb_state_regex,
                  tb_state_names_version = tb_state_names_version))
cat(sprintf("R/sysdata.rda: %d names, %d regexes (countrycode %s)\n", nrow(tb_state_names),
            nrow(tb_state_regex), tb_state_names_version))

# ---- every country name in the raw files, for the tests ----------------------
if (dir.exists(raw_dir)) {
  ld <- function(f) { e <- new.env(); load(file.path(raw_dir, f), envir = e); get(ls(e)[1L], e) }
  out <- list()
  uv <- ld("un_votes.rda")
  u <- unique(uv[c("country", "country_code")])
  out$un_votes <- data.frame(file = "un_votes.rda", name = u$country, year = NA_integer_,
                             iso3c = countrycode::countrycode(u$country_code, "iso2c", "iso3c",
                                                              warn = FALSE))
  ic <- ld("icews_dyadyears.rda")
  u <- unique(rbind(data.frame(n = ic$i, c = ic$i_iso3c), data.frame(n = ic$j, c = ic$j_iso3c)))
  out$icews <- data.frame(file = "icews_dyadyears.rda", name = u$n, year = NA_integer_, iso3c = u$c)
  cs <- ld("states_cowstates.rda")
  u <- unique(cs[c("country_name", "cowcode")])
  out$cowstates <- data.frame(file = "states_cowstates.rda", name = u$country_name,
                              year = NA_integer_, iso3c = NA_character_, ccode = u$cowcode)
  js <- list.files(file.path(raw_dir, "unga_dgacm"), "[.]json$", full.names = TRUE)
  dg <- unique(unlist(lapply(js, function(f) {
    lapply(readLines(f, warn = FALSE), function(l) {
      r <- jsonlite::fromJSON(l)
      c(r$MS_in_favour, r$MS_against, r$MS_abstaining)
    })
  })))
  out$dgacm <- data.frame(file = "unga_dgacm", name = dg, year = 2022L, iso3c = NA_character_)
  for (k in names(out)) if (is.null(out[[k]]$ccode)) out[[k]]$ccode <- NA_integer_
  all <- do.call(rbind, out)
  all <- all[!is.na(all$name) & nzchar(all$name), ]
  dir.create("tests/testthat/fixtures", showWarnings = FALSE)
  utils::write.csv(all, "tests/testthat/fixtures/raw-country-names.csv", row.names = FALSE,
                   fileEncoding = "UTF-8")
  cat(sprintf("tests/testthat/fixtures/raw-country-names.csv: %d names\n", nrow(all)))
}
