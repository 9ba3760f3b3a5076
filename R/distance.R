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

#' Add distances to dyad-years or state-years
#'
#' Adds the distance between the two states of each row of any dyad-year
#' data frame with columns `year`, `ccode1` and `ccode2` (integer or double),
#' or the distance from each state to its nearest neighbour to a state-year
#' frame with `year` and `ccode`, keeping the rows in order and the frame's
#' class and attributes.
#'
#' * `type = "capital"` adds `capdist`: the great-circle distance in km
#'   ([distance_km()]) between the capitals in force that year ([capitals];
#'   where a state moved its capital during a year, the capital that took
#'   office last in that year). Covers 1816-2024. State-years get
#'   `mincapdist`, the distance to the nearest capital of another system
#'   member that year.
#' * `type = "minimum"` adds `mindist`: the minimum distance in km between
#'   the two states' territories from CShapes 2.0 ([min_distance]),
#'   non-directed, 1886-2019. State-years get `mindist`, the distance to the
#'   nearest other state (0 for a state with a land border).
#'
#' NA: years outside the source's coverage (with a coverage warning), states
#' without a capital or a CShapes polygon that year, `ccode1 == ccode2` for
#' `"minimum"`, and `NA` keys.
#'
#' @param data A data frame with `year` and `ccode1`, `ccode2` (dyad-years)
#'   or `ccode` (state-years).
#' @param type `"capital"` or `"minimum"`.
#' @inheritParams add_rivalry
#' @return `data` with the column `capdist`, `mincapdist` or `mindist` added.
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
#' add_distance(data.frame(year = 2015L, ccode = c(2L, 710L)), "capital")
add_distance <- function(data, type = c("capital", "minimum"), names = FALSE, replace = FALSE) {
  type <- tb_check_choice(type, c("capital", "minimum"), "type")
  k <- tb_frame_keys(data, if (type == "capital") "capitals" else "min_distance")
  state <- k$kind == "state"
  if (type == "capital") {
    cy <- tb_capital_years()
    if (state) {
      cols <- list(mincapdist = tb_nearest_capital(k$year, k$ccode, cy))
    } else {
      i1 <- tb_sy_index(k$year, k$ccode1, cy$year, cy$ccode)
      i2 <- tb_sy_index(k$year, k$ccode2, cy$year, cy$ccode)
      cols <- list(capdist = .Call(C_ffi_distance_km, cy$lat[i1], cy$lon[i1],
                                   cy$lat[i2], cy$lon[i2]))
    }
  } else {
    md <- tb_mindist_table()
    if (state) {
      yr <- md$key %/% 1e6
      c1 <- (md$key %/% 1e3) %% 1e3
      c2 <- md$key %% 1e3
      off <- c1 != c2
      sk <- tb_sy_key(as.integer(c(yr[off], yr[off])), as.integer(c(c1[off], c2[off])))
      m <- tapply(c(md$km[off], md$km[off]), sk, min)
      cols <- list(mindist = as.double(m[match(tb_sy_key(k$year, k$ccode), as.integer(names(m)))]))
    } else {
      i <- match(tb_dy_key(k$year, pmin(k$ccode1, k$ccode2), pmax(k$ccode1, k$ccode2)), md$key)
      cols <- list(mindist = md$km[i])
    }
  }
  tb_add_columns(data, cols, k, names, replace)
}

# Distance in km from each (year, ccode) to the nearest capital of another
# system member that year (NA without a capital, a member year or another
# member with one).
tb_nearest_capital <- function(year, ccode, cy) {
  key <- tb_sy_key(year, ccode)
  out <- rep(NA_real_, length(key))
  mem <- tb_is_member_year(cy$year, cy$ccode)
  keep <- which(mem & cy$year %in% year)
  for (y in tb_unique_int(year)) {
    r <- keep[cy$year[keep] == y]
    r <- r[!duplicated(cy$ccode[r], fromLast = TRUE)]  # the capital that took office last
    if (length(r) < 2L) next
    n <- length(r)
    d <- .Call(C_ffi_distance_km, rep(cy$lat[r], n), rep(cy$lon[r], n),
               rep(cy$lat[r], each = n), rep(cy$lon[r], each = n))
    d <- matrix(d, n, n)
    diag(d) <- NA_real_
    near <- suppressWarnings(apply(d, 2L, min, na.rm = TRUE))
    near[!is.finite(near)] <- NA_real_
    hit <- which(year == y)
    out[hit] <- near[match(ccode[hit], cy$ccode[r])]
  }
  out
}

#' Add direct contiguity to dyad-years or state-years
#'
#' Adds `conttype`, the closest Correlates of War direct contiguity type in
#' force between the two states in each row's year: 1 land or river border,
#' 2-5 separated by at most 12, 24, 150 or 400 miles of water, 0 not
#' contiguous. Works on any data frame with `year`, `ccode1` and `ccode2`
#' (integer or double) and keeps its rows in order and its class and
#' attributes. A spell is in force in every year from the year of its start
#' to the year of its end. State-years (`year`, `ccode`) get `land`, the
#' number of states with which the state shared a land or river border that
#' year, and `sea`, the number of states separated from it by at most 400
#' miles of water and not by land (peacesciencer's monadic columns).
#'
#' NA: years outside 1816-2016 (with a coverage warning), rows where either
#' state was not a system member in that year (the data say nothing about
#' them), `ccode1 == ccode2`, and `NA` keys. 0 only where the data say not
#' contiguous: both states are members that year and no contiguity spell
#' (other than CoW's explicit type-0 rows) joins them.
#'
#' @param data A data frame with `year` and `ccode1`, `ccode2` (dyad-years)
#'   or `ccode` (state-years).
#' @inheritParams add_rivalry
#' @return `data` with the integer column `conttype` (dyad-years) or `land`
#'   and `sea` (state-years) added.
#' @references Stinnett, D. M., Tir, J., Schafer, P., Diehl, P. F. and
#'   Gochman, C. (2002). The Correlates of War Project direct contiguity
#'   data, version 3. *Conflict Management and Peace Science* 19(2), 59-67.
#' @export
#' @examples
#' d <- add_contiguity(dyad_years(2000, directed = FALSE))
#' table(d$conttype)
#' d[d$ccode1 == 2 & d$ccode2 %in% c(20, 70, 365), ]
#' add_contiguity(data.frame(year = 2000L, ccode = c(2L, 365L, 710L)))
add_contiguity <- function(data, names = FALSE, replace = FALSE) {
  k <- tb_frame_keys(data, "contiguity")
  cov <- tb_cov("contiguity")
  cy <- tb_contiguity_years()
  known <- tb_known_rows(k, cov)
  if (k$kind == "state") {
    sk <- tb_sy_key(as.integer(cy$key %/% 1e6), as.integer((cy$key %/% 1e3) %% 1e3))
    key <- tb_sy_key(k$year, k$ccode)
    count <- function(sel) {
      n <- tabulate(match(sk[sel], key), length(key))
      n <- n[match(key, key)]
      n[!known] <- NA_integer_
      n
    }
    return(tb_add_columns(data, list(land = count(cy$type == 1L),
                                     sea = count(cy$type %in% 2:5)), k, names, replace))
  }
  type <- cy$type[match(tb_dy_key(k$year, k$ccode1, k$ccode2), cy$key)]
  type[is.na(type) & known] <- 0L
  tb_add_columns(data, list(conttype = type), k, names, replace)
}
