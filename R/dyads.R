# Dyad-year frames of the CoW state system, and the key handling shared by
# the add_*() functions that extend any ccode1/ccode2/year data frame.

# Row of the state-year table (tyear, tccode) for each (year, ccode), NA when
# absent; a later table row wins over an earlier one with the same key.
tb_sy_index <- function(year, ccode, tyear, tccode) {
  .Call(C_ffi_sy_lookup, year, ccode, tyear, tccode)
}

# Sorted distinct non-NA values of an integer vector; by tabulate() when the
# range is small (ccodes, years), which is much faster than unique().
tb_unique_int <- function(x) {
  if (!length(x)) return(integer())
  r <- suppressWarnings(c(min(x, na.rm = TRUE), max(x, na.rm = TRUE)))
  if (!all(is.finite(r))) return(integer())
  if (as.double(r[2L]) - r[1L] < 1e6) {  # in double: the integer difference can overflow
    return(which(tabulate(x - r[1L] + 1L, r[2L] - r[1L] + 1L) > 0L) + r[1L] - 1L)
  }
  sort(unique(x[!is.na(x)]))
}

# A key column as integer: integers pass through, doubles must be whole.
tb_key_col <- function(x, arg) {
  if (is.integer(x) && !is.object(x)) return(x)
  tb_check_integerish(x, arg)
}

# Validates the ccode1/ccode2/year columns of `data` and returns them as
# integers. Unknown ccodes raise an unknown_state error; years outside the
# coverage of `source` (a row of tb_coverage()) give a coverage warning (the
# adders' answer for them is NA).
tb_dyad_keys <- function(data, arg, source) tb_frame_key_cols(data, arg, source, c("ccode1", "ccode2"))

# The integer key columns `codes` (ccode columns) and `year` of a user's
# frame, as a list in that order: codes checked against the state list,
# years against the coverage of `source` (a warning when none is covered).
tb_frame_key_cols <- function(data, arg, source, codes) {
  tb_check_data_frame(data, arg, c(codes, "year"))
  keys <- c(codes, "year")
  k <- lapply(stats::setNames(keys, keys), function(v) tb_key_col(data[[v]], paste0(arg, "$", v)))
  tb_check_known_ccodes(unlist(lapply(k[codes], tb_unique_int), use.names = FALSE), arg)
  uy <- tb_unique_int(k$year)
  if (length(uy)) tb_check_years(uy, paste0(arg, "$year"), tb_cov(source), tb_cov_label(source),
                              none = "warn")
  k
}

#' Dyad-years of the Correlates of War state system
#'
#' All pairs of states that were members of the CoW state system ([states])
#' at the same time during each year: two states form a dyad in a year when
#' their membership spells overlap on at least one day of that year. So West
#' Germany (260, to 1990-10-02) and unified Germany (255, from 1990-10-03) are
#' not a dyad in 1990, while each is a dyad with France that year. For
#' 1816-2016 the directed frame equals the CoW dyad-year frame distributed
#' with peacesciencer (1,912,290 rows in both, no row in one and not the
#' other; see `data-raw/check-dyads.R`). Spells of states that survive CoW's
#' v2016 list are extended to 2024, so years to 2024 are covered (and equal
#' peacesciencer's extension, 302,640 rows for 2017-2024).
#'
#' @param years Whole-number years in 1816-2024; duplicates are dropped and
#'   the result is ordered by year. Years outside the range give a coverage
#'   warning (an error if none is inside).
#' @param directed `TRUE` for both (a, b) and (b, a); `FALSE` for one row per
#'   pair, with `ccode1 < ccode2`.
#' @return A data frame with integer columns `year`, `ccode1` and `ccode2`,
#'   ordered by year, `ccode1` and `ccode2`. No NA. It carries
#'   `attr(, "sources")` = `"states"` (see [sources()]).
#' @references Correlates of War Project (2017). State System Membership
#'   List, v2016. <https://correlatesofwar.org>.
#'
#'   Miller, S. V. (2022). peacesciencer: An R package for quantitative peace
#'   science research. *Conflict Management and Peace Science* 39(6),
#'   755-779.
#' @export
#' @examples
#' d <- dyad_years(1990, directed = FALSE)
#' nrow(d)
#' any(d$ccode1 == 255 & d$ccode2 == 260)   # FALSE: never members together
#' nrow(dyad_years(1816:2022))
dyad_years <- function(years, directed = TRUE) {
  directed <- tb_check_flag(directed, "directed")
  cov <- tb_cov("states")
  years <- tb_check_years(years, "years", cov, tb_cov_label("states"))
  years <- sort(unique(years[years >= cov[1L] & years <= cov[2L]]))
  st <- tb_data("states")
  st <- st[order(st$ccode, st$start), ]
  jan1 <- as.integer(as.Date(sprintf("%04d-01-01", years)))
  dec31 <- as.integer(as.Date(sprintf("%04d-12-31", years)))
  out <- .Call(C_ffi_dyad_years, years, jan1, dec31, as.integer(st$ccode),
               as.integer(st$start), as.integer(st$end), directed)
  names(out) <- c("year", "ccode1", "ccode2")
  attr(out, "row.names") <- .set_row_names(length(out[[1L]]))
  class(out) <- "data.frame"
  tb_with_sources(out, "states")
}
