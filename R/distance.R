# Proximity: great-circle distances, capital-to-capital and minimum
# distances and direct contiguity added to dyad-year frames.

#' Great-circle distance
#'
#' Distance in kilometres between points given in decimal degrees, along the
#' great circle of a sphere of radius 6,371 km (the mean Earth radius), by the
#' haversine formula. Vectorised, with recycling as in base R arithmetic.
#' Divide by 1.609344 for statute miles (as [lsg()] expects).
#'
#' NA in any coordinate gives NA.
#'
#' @param lat1,lon1 Latitude (in \[-90, 90\]) and longitude (in \[-180, 180\])
#'   of the first points.
#' @param lat2,lon2 Latitude and longitude of the second points.
#' @return A numeric vector of distances in km.
#' @references Sinnott, R. W. (1984). Virtues of the haversine. *Sky and
#'   Telescope* 68(2), 159.
#' @export
#' @examples
#' # Beijing to Washington, D.C., and to Moscow
#' distance_km(39.9042, 116.4074, c(38.8950, 55.7558), c(-77.0365, 37.6173))
distance_km <- function(lat1, lon1, lat2, lon2) {
  lat1 <- tb_check_numeric(lat1, "lat1", min = -90, max = 90)
  lon1 <- tb_check_numeric(lon1, "lon1", min = -180, max = 180)
  lat2 <- tb_check_numeric(lat2, "lat2", min = -90, max = 90)
  lon2 <- tb_check_numeric(lon2, "lon2", min = -180, max = 180)
  tb_recycled_length(c(length(lat1), length(lon1), length(lat2), length(lon2)),
                  c("lat1", "lon1", "lat2", "lon2"))
  .Call(C_ffi_distance_km, lat1, lon1, lat2, lon2)
}

#' Add distances to dyad-years
#'
#' Adds the distance between the two states of each row of any data frame
#' with columns `ccode1`, `ccode2` and `year` (integer or double), keeping
#' the rows in order.
#'
#' * `type = "capital"` adds `capdist`: the great-circle distance in km
#'   ([distance_km()]) between the capitals in force that year ([capitals];
#'   where a state moved its capital during a year, the capital that took
#'   office last in that year). Covers 1816-2024.
#' * `type = "minimum"` adds `mindist`: the minimum distance in km between
#'   the two states' territories from CShapes 2.0 ([min_distance]),
#'   non-directed, 1886-2019.
#'
#' NA: years outside the source's coverage (with a coverage warning), states
#' without a capital or a CShapes polygon that year, `ccode1 == ccode2` for
#' `"minimum"`, and `NA` keys.
#'
#' @param data A data frame with `ccode1`, `ccode2` and `year`.
#' @param type `"capital"` or `"minimum"`.
#' @return `data` with the column `capdist` or `mindist` added (replaced if
#'   present).
#' @references Gleditsch, K. S. and Ward, M. D. (2001). Measuring space: A
#'   minimum-distance database and applications to international studies.
#'   *Journal of Peace Research* 38(6), 739-758.
#'
#'   Schvitz, G., Girardin, L., Rüegger, S., Weidmann, N. B., Cederman, L.-E.
#'   and Gleditsch, K. S. (2022). Mapping the international system,
#'   1886-2019: The CShapes 2.0 dataset. *Journal of Conflict Resolution*
#'   66(1), 144-161.
#'
#'   Miller, S. V. (2022). peacesciencer: An R package for quantitative peace
#'   science research. *Conflict Management and Peace Science* 39(6),
#'   755-779.
#' @export
#' @examples
#' d <- dyad_years(2015, directed = FALSE)
#' d <- add_distance(d, "capital")
#' d <- add_distance(d, "minimum")
#' d[d$ccode1 == 2 & d$ccode2 %in% c(365, 710), ]
add_distance <- function(data, type = c("capital", "minimum")) {
  type <- tb_check_choice(type, c("capital", "minimum"), "type")
  if (type == "capital") {
    k <- tb_dyad_keys(data, "data", "capitals")
    cy <- tb_capital_years()
    i1 <- tb_sy_index(k$year, k$ccode1, cy$year, cy$ccode)
    i2 <- tb_sy_index(k$year, k$ccode2, cy$year, cy$ccode)
    data <- tb_add_cols(data, list(capdist = .Call(C_ffi_distance_km, cy$lat[i1], cy$lon[i1],
                                                   cy$lat[i2], cy$lon[i2])))
  } else {
    k <- tb_dyad_keys(data, "data", "min_distance")
    md <- tb_mindist_table()
    i <- match(tb_dy_key(k$year, pmin(k$ccode1, k$ccode2), pmax(k$ccode1, k$ccode2)), md$key)
    data <- tb_add_cols(data, list(mindist = md$km[i]))
  }
  data
}

#' Add direct contiguity to dyad-years
#'
#' Adds `conttype`, the closest Correlates of War direct contiguity type in
#' force between the two states in each row's year: 1 land or river border,
#' 2-5 separated by at most 12, 24, 150 or 400 miles of water, 0 not
#' contiguous. Works on any data frame with `ccode1`, `ccode2` and `year`
#' (integer or double) and keeps its rows in order. A spell is in force in
#' every year from the year of its start to the year of its end.
#'
#' NA: years outside 1816-2016 (with a coverage warning), rows where either
#' state was not a system member in that year (the data say nothing about
#' them), `ccode1 == ccode2`, and `NA` keys. 0 only where the data say not
#' contiguous: both states are members that year and no contiguity spell
#' (other than CoW's explicit type-0 rows) joins them.
#'
#' @param data A data frame with `ccode1`, `ccode2` and `year`.
#' @return `data` with the integer column `conttype` added (replaced if
#'   present).
#' @references Stinnett, D. M., Tir, J., Schafer, P., Diehl, P. F. and
#'   Gochman, C. (2002). The Correlates of War Project direct contiguity
#'   data, version 3. *Conflict Management and Peace Science* 19(2), 59-67.
#' @export
#' @examples
#' d <- add_contiguity(dyad_years(2000, directed = FALSE))
#' table(d$conttype)
#' d[d$ccode1 == 2 & d$ccode2 %in% c(20, 70, 365), ]
add_contiguity <- function(data) {
  k <- tb_dyad_keys(data, "data", "contiguity")
  cov <- tb_cov("contiguity")
  cy <- tb_contiguity_years()
  type <- cy$type[match(tb_dy_key(k$year, k$ccode1, k$ccode2), cy$key)]
  none <- which(is.na(type))
  if (length(none)) {
    yr <- k$year[none]
    mem <- tb_member_years()
    ok <- !is.na(yr) & yr >= cov[1L] & yr <= cov[2L] &
      k$ccode1[none] != k$ccode2[none] &
      !is.na(tb_sy_index(yr, k$ccode1[none], mem$year, mem$ccode)) &
      !is.na(tb_sy_index(yr, k$ccode2[none], mem$year, mem$ccode))
    type[none[ok]] <- 0L
  }
  tb_add_cols(data, list(conttype = type))
}
