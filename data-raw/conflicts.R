# Armed conflicts between states, dyad-years, from the UCDP/PRIO Armed Conflict
# Dataset v25.1 (../shared/data/raw/ucdp_acd.rda, as carried by peacesciencer).
# Sourced by data-raw/datasets.R after `states`.
#
# The carrier stores a conflict-year with several states on a side as several
# rows, one per combination of gwno_a x gwno_a_2nd x gwno_b x gwno_b_2nd (the
# Korean War's 1951 has dozens). Here the rows of a conflict-year are pooled
# back into its sides: side A = primary states (gwno_a) and secondary states
# (gwno_a_2nd), side B likewise; every state of side A is paired with every
# state of side B.
# Gleditsch-Ward codes map to CoW codes through data-raw/gw-cow.csv (every GW
# code of the file, with year spans where the mapping changes over time).

acd <- raw("ucdp_acd.rda")
gwcow <- utils::read.csv(file.path("data-raw", "gw-cow.csv"), stringsAsFactors = FALSE,
                         na.strings = "")
stopifnot(identical(names(gwcow), c("gwno", "ccode", "from_year", "to_year", "name", "note")))
gw_to_cow <- function(gw, year) {
  out <- rep(NA_integer_, length(gw))
  found <- rep(FALSE, length(gw))
  for (k in seq_len(nrow(gwcow))) {
    hit <- !is.na(gw) & gw == gwcow$gwno[k] &
      (is.na(gwcow$from_year[k]) | year >= gwcow$from_year[k]) &
      (is.na(gwcow$to_year[k]) | year <= gwcow$to_year[k])
    if (any(hit & found)) stop("gw-cow.csv: overlapping rows for GW ", gwcow$gwno[k])
    out[hit] <- gwcow$ccode[k]
    found <- found | hit
  }
  if (any(!found & !is.na(gw))) stop("GW codes not in gw-cow.csv: ",
                                     paste(unique(gw[!found & !is.na(gw)]), collapse = ", "))
  out
}
all_gw <- unique(na.omit(c(acd$gwno_a, acd$gwno_a_2nd, acd$gwno_b, acd$gwno_b_2nd)))
invisible(gw_to_cow(all_gw, rep(2000L, length(all_gw))))   # every code is in the table

types <- c(interstate = "interstate", II = "internationalized intrastate")
ac <- acd[acd$type_of_conflict %in% names(types), ]
ac$year <- as.integer(ac$year)
both_sides <- list()
cy <- split(ac, list(ac$conflict_id, ac$year), drop = TRUE)
dy <- do.call(rbind, lapply(cy, function(d) {
  yr <- d$year[1L]
  m <- function(g) { g <- unique(g[!is.na(g)]); gw_to_cow(g, rep(yr, length(g))) }
  a1 <- m(d$gwno_a); a2 <- setdiff(m(d$gwno_a_2nd), a1)
  b1 <- m(d$gwno_b); b2 <- setdiff(m(d$gwno_b_2nd), b1)
  sa <- c(a1, a2); sb <- c(b1, b2)
  sa <- sa[!is.na(sa)]; sb <- sb[!is.na(sb)]   # states with no CoW code (Hyderabad)
  # A state listed on both sides of a conflict-year (Vietnam in Cambodia's
  # conflict 300 in 1979, for the government it overthrew and then for the
  # one it installed) is left out of that conflict-year's pairs.
  both <- intersect(sa, sb)
  if (length(both)) {
    both_sides[[length(both_sides) + 1L]] <<- data.frame(conflict_id = d$conflict_id[1L],
                                                         year = yr, ccode = both)
    sa <- setdiff(sa, both); sb <- setdiff(sb, both)
  }
  stopifnot(length(unique(d$intensity_level)) == 1L,
            length(unique(d$type_of_conflict)) == 1L)
  if (!length(sa) || !length(sb)) return(NULL)
  g <- expand.grid(a = sa, b = sb)
  data.frame(conflict_id = as.integer(d$conflict_id[1L]), year = yr,
             ccode1 = pmin(g$a, g$b), ccode2 = pmax(g$a, g$b),
             side_a = g$a < g$b,
             primary = g$a %in% a1 & g$b %in% b1,
             any_primary = g$a %in% a1 | g$b %in% b1,
             type = unname(types[d$type_of_conflict[1L]]),
             intensity = c("minor", "war")[d$intensity_level[1L]],
             start_date = as.Date(d$start_date[1L]),
             stringsAsFactors = FALSE)
}))
armed_conflicts <- dy[order(dy$year, dy$conflict_id, dy$ccode1, dy$ccode2), ]
stopifnot(!anyDuplicated(armed_conflicts[c("conflict_id", "year", "ccode1", "ccode2")]),
          !anyNA(armed_conflicts$intensity), !anyNA(armed_conflicts$start_date))
# every state a system member in the year
sp <- data.frame(ccode = states$ccode, f = as.integer(format(states$start, "%Y")),
                 l = as.integer(format(pmin(states$end, as.Date("2100-12-31")), "%Y")))
member <- function(cc, y) vapply(seq_along(cc), function(i)
  any(sp$ccode == cc[i] & sp$f <= y[i] & sp$l >= y[i]), logical(1))
nm <- !member(armed_conflicts$ccode1, armed_conflicts$year) |
  !member(armed_conflicts$ccode2, armed_conflicts$year)
if (any(nm)) { print(armed_conflicts[nm, ]); stop("non-members in armed_conflicts") }
both_sides <- do.call(rbind, both_sides)
cat("armed_conflicts: states on both sides, left out:\n"); print(both_sides)
cat(sprintf("armed_conflicts: %d dyad-years (%d interstate), %d-%d\n", nrow(armed_conflicts),
            sum(armed_conflicts$type == "interstate"), min(armed_conflicts$year),
            max(armed_conflicts$year)))
