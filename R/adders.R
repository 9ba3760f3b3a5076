# The add_*() verbs, peacesciencer-style: each adds columns to a user's
# state-year (`year`, `ccode`) or dyad-year (`year`, `ccode1`, `ccode2`)
# frame. One mechanism for all of them: tb_frame_keys() reads and checks the
# keys and says whether the frame is monadic, directed or undirected;
# tb_add_columns() adds the computed columns keeping the frame's class, row
# order, row count and attributes (tibbles, grouped tibbles, data.tables).

# Keys of an adder's `data`: list(kind = "dyad" or "state", year, ccode1,
# ccode2 (dyads) or ccode (states), directed), integer. Dyadic when `data` has
# ccode1 and ccode2, monadic when it has ccode and not both of those.
# `monadic = FALSE` for adders without a state-year meaning.
tb_frame_keys <- function(data, source, directed = NULL, monadic = TRUE, arg = "data") {
  tb_check_data_frame(data, arg)
  nm <- names(data)
  if (!any(c("ccode", "ccode1", "ccode2") %in% nm)) {
    tb_abort(sprintf("`%s` must have columns `year` and `ccode1`, `ccode2` (dyad-years) or `ccode` (state-years); it has %s.",
                     arg, if (length(nm)) paste0("`", nm, "`", collapse = ", ") else "no columns"))
  }
  dyadic <- all(c("ccode1", "ccode2") %in% nm) || !"ccode" %in% nm
  if (dyadic) {
    k <- tb_dyad_keys(data, arg, source)
    k$kind <- "dyad"
    k$directed <- tb_frame_directed(k, directed)
    return(k)
  }
  if (!monadic) {
    tb_abort(sprintf("`%s` must be a dyad-year frame with columns `year`, `ccode1` and `ccode2`; a state-year frame (`year`, `ccode`) has no dyads to add to.",
                     arg), class = "input")
  }
  k <- tb_frame_key_cols(data, arg, source, "ccode")
  k$kind <- "state"
  k
}

# Whether a dyad-year frame is directed: as given, or detected. A frame is
# taken as undirected when every row with both codes has ccode1 < ccode2
# (as dyad_years(directed = FALSE) and peacesciencer's non-directed frames
# have them), directed otherwise.
tb_frame_directed <- function(k, directed = NULL) {
  if (!is.null(directed)) return(tb_check_flag(directed, "directed"))
  ok <- !is.na(k$ccode1) & !is.na(k$ccode2)
  !(any(ok) && all(k$ccode1[ok] < k$ccode2[ok]))
}

# Adds the named list of columns `cols` (each as long as the frame) to
# `data`, keeping its class, attributes and rows. A column that exists is an
# error (class "clash") unless `replace = TRUE`. With `names = TRUE` the
# state names of the keys are added too (state_name1, state_name2 or
# state_name). A data.table comes back as a new data.table (the input is not
# modified by reference) that takes `:=` without a selfref warning.
tb_add_columns <- function(data, cols, k = NULL, names = FALSE, replace = FALSE) {
  names <- tb_check_flag(names, "names")
  replace <- tb_check_flag(replace, "replace")
  if (names) {
    cols <- c(cols, if (k$kind == "dyad") {
      list(state_name1 = tb_state_name(k$ccode1), state_name2 = tb_state_name(k$ccode2))
    } else list(state_name = tb_state_name(k$ccode)))
  }
  nm <- names(cols)
  clash <- nm[nm %in% names(data)]
  if (length(clash) && !replace) {
    tb_abort(sprintf("`data` already has column%s %s; rename %s or set `replace = TRUE` to overwrite.",
                     if (length(clash) > 1L) "s" else "", paste0("`", clash, "`", collapse = ", "),
                     if (length(clash) > 1L) "them" else "it"), class = "clash")
  }
  at <- attributes(data)
  x <- unclass(data)
  attributes(x) <- NULL
  x <- as.list(x)
  names(x) <- at$names
  for (v in nm) x[[v]] <- cols[[v]]
  at$names <- names(x)
  # attributes() expands automatic row names to 1:n; keep them automatic
  if (.row_names_info(data) < 0L) at$row.names <- .set_row_names(nrow(data))
  dt <- inherits(data, "data.table")
  if (dt) {
    at$.internal.selfref <- NULL
    # a replaced key or index column invalidates the data.table's sort key
    if (length(clash)) {
      if (any(clash %in% attr(data, "sorted"))) at$sorted <- NULL
      at$index <- NULL
    }
  }
  attributes(x) <- at
  if (dt) x <- data.table::setalloccol(x)
  x
}

# State names of ccodes (NA for NA codes).
tb_state_name <- function(cc) {
  st <- tb_data("states")
  st$statenme[match(cc, st$ccode)]
}

# The CoW system members of each (year, ccode): TRUE, FALSE, or NA for NA keys.
tb_is_member_year <- function(year, ccode) {
  mem <- tb_member_years()
  out <- !is.na(tb_sy_index(year, ccode, mem$year, mem$ccode))
  out[is.na(year) | is.na(ccode)] <- NA
  out
}

# Rows that can have a value in a source covering years `cov`: both codes
# (or the code) are system members that year and the year is covered. Where
# a source records nothing for such a row, its value is the source's "none"
# (0, no rivalry, no dispute); elsewhere NA.
tb_known_rows <- function(k, cov) {
  inside <- !is.na(k$year) & k$year >= cov[1L] & k$year <= cov[2L]
  if (k$kind == "state") return(inside & tb_is_member_year(k$year, k$ccode) %in% TRUE)
  inside & (k$ccode1 != k$ccode2) %in% TRUE & tb_is_member_year(k$year, k$ccode1) %in% TRUE &
    tb_is_member_year(k$year, k$ccode2) %in% TRUE
}

# Unknown ccodes are an error (class unknown_state).
tb_check_known_ccodes <- function(u, arg) {
  bad <- unique(u[!u %in% tb_state_lookup()$ccodes])
  if (length(bad)) {
    tb_abort(sprintf("`%s` has %d ccode%s that %s not a CoW state code: %s.",
                     arg, length(bad), if (length(bad) > 1) "s" else "",
                     if (length(bad) > 1) "are" else "is",
                     paste(sort(bad), collapse = ", ")), class = "unknown_state")
  }
  invisible(u)
}

#' Add Walt's threat components and index to dyad-years
#'
#' Adds the threat components of [threat_components()] and the index of
#' [threat_index()] to any dyad-year data frame with `year`, `ccode1` and
#' `ccode2` (integer or double), such as one from [dyad_years()] or
#' peacesciencer, keeping its rows, class and attributes. As in
#' [threat_components()], `ccode1` is the state posing the threat and
#' `ccode2` the state threatened.
#'
#' Every frame gets `power`, `proximity`, `offense`, `intent` and `threat`:
#' the threat `ccode1` poses to `ccode2`. An **undirected** frame (one row
#' per pair) also gets the other direction, the threat `ccode2` poses to
#' `ccode1`, as `power_rev`, `proximity_rev`, `offense_rev`, `intent_rev`
#' and `threat_rev`.
#'
#' `directed = NULL` (default) detects which: a frame in which every row has
#' `ccode1 < ccode2` is taken as undirected (as [dyad_years()] with `directed
#' = FALSE` and peacesciencer's non-directed frames), any other as directed.
#' A subset of directed dyad-years can have `ccode1 < ccode2` in every row
#' (the United States and Russia to China); it then gets the `_rev` columns
#' as well, which `directed = TRUE` leaves out.
#'
#' NA, never 0: years outside the power data (1816-2022; with a coverage
#' warning), states that were not system members that year, `ccode1 ==
#' ccode2`, `NA` keys, and components whose data are missing (see
#' [threat_components()]).
#'
#' @param data A data frame with `year`, `ccode1` and `ccode2`.
#' @param ... Settings of [threat_components()] (`power`, `decay`, `scale`,
#'   `reach`, `reach_scale`, `ally_discount`, `dispute_scale`,
#'   `capital_fallback`, `carry_distance`, `carry_intent`, `half_life`,
#'   `hostility_weights`, `intent_parts`, `similarity`, `beyond`), by name.
#' @param weights,combine Passed to [threat_index()] for the `threat` column.
#' @param directed `NULL` (detect), `TRUE` or `FALSE`: see Details.
#' @param names `TRUE` to add the states' names as `state_name1` and
#'   `state_name2`.
#' @param replace `FALSE` (default): a new column whose name `data` already
#'   has is an error (class `threatbalance_error_clash`); `TRUE` overwrites
#'   it.
#' @return `data` with the columns added.
#' @references Walt, S. M. (1987). The Origins of Alliances. Ithaca: Cornell
#'   University Press. See [threat_components()] for the data sources.
#'
#'   Miller, S. V. (2022). peacesciencer: An R package for quantitative peace
#'   science research. *Conflict Management and Peace Science* 39(6),
#'   755-779.
#' @seealso [threat_components()], [add_similarity()], [add_capabilities()]
#' @export
#' @examples
#' d <- data.frame(year = 2015L, ccode1 = c(2L, 710L, 365L), ccode2 = c(710L, 2L, 710L))
#' add_threat(d)
#' # undirected: both directions
#' u <- subset(dyad_years(2015, directed = FALSE), ccode1 == 2 & ccode2 %in% c(365, 710))
#' x <- add_threat(u, intent_parts = c("disputes", "rivalry"))
#' x[, c("ccode1", "ccode2", "threat", "threat_rev")]
add_threat <- function(data, ..., weights = c(power = 1, proximity = 1, offense = 1, intent = 3),
                       combine = c("geometric", "additive"), directed = NULL, names = FALSE,
                       replace = FALSE) {
  k <- tb_frame_keys(data, "capabilities", directed, monadic = FALSE)
  tb_check_weights(weights)
  combine <- tb_check_choice(combine, c("geometric", "additive"), "combine")
  s <- do.call(tb_threat_settings, tb_threat_dots(list(...)), quote = TRUE)
  cov <- tb_cov("capabilities")
  yrs <- tb_unique_int(k$year)
  yrs <- yrs[yrs >= cov[1L] & yrs <= cov[2L]]
  codes <- tb_unique_int(c(k$ccode1, k$ccode2))
  e <- NULL
  if (length(yrs) && length(codes)) {
    tb_threat_warn_coverage(yrs, s)
    e <- tb_new_threat(tb_threat_engine(yrs, codes, codes, s), s)
    e$threat <- threat_index(e, weights, combine)
  }
  comp <- c(tb_threat_components_names, "threat")
  pick <- function(c1, c2) {
    i <- if (is.null(e)) rep(NA_integer_, length(c1))
         else match(tb_dy_key(k$year, c1, c2), tb_dy_key(e$year, e$ccode1, e$ccode2))
    lapply(stats::setNames(comp, comp), function(v) if (is.null(e)) rep(NA_real_, length(c1))
                                                      else e[[v]][i])
  }
  cols <- pick(k$ccode1, k$ccode2)
  if (!k$directed) {
    rev <- pick(k$ccode2, k$ccode1)
    names(rev) <- paste0(comp, "_rev")
    cols <- c(cols, rev)
  }
  tb_add_columns(data, cols, k, names, replace)
}

#' Add alliance or UN-vote similarity to dyad-years
#'
#' Adds the foreign-policy similarity of the two states of each row of any
#' dyad-year data frame with `year`, `ccode1` and `ccode2` (directed or
#' undirected: similarity is symmetric, so both orientations get the same
#' value), keeping its rows, class and attributes.
#'
#' * `source = "alliance"`: ATOP alliance portfolios, 1816-2018, scored by
#'   [alliance_similarity()] (settings `coding`, `distance`, `weighted` in
#'   `...`); columns `alliance_s`, `alliance_kappa`, ... one per method.
#' * `source = "votes"`: UN General Assembly votes, 1946-2025, scored by
#'   [vote_similarity()] (settings `important`, `issue`, `distance` in
#'   `...`); columns `votes_agree`, `votes_s`, ...; method `"ideal"` adds
#'   `votes_ideal`, the distance between the two states' UN ideal points of
#'   that year, \eqn{|\theta_i - \theta_j|} from the default fit of
#'   [ideal_points()] (computed once per session, about a minute).
#'
#' NA, never 0: years outside the source (with a coverage warning), states
#' that were not system members (alliances) or did not vote (votes) that
#' year, `ccode1 == ccode2`, `NA` keys, and the NA cases of [similarity()].
#'
#' @param data A data frame with `year`, `ccode1` and `ccode2`.
#' @param source `"alliance"` or `"votes"`.
#' @param method One or more of `"s"`, `"kappa"`, `"pi"`, `"taub"`,
#'   `"agree"` (and `"ideal"` for votes).
#' @param ... Settings of [alliance_similarity()] or [vote_similarity()], by
#'   name.
#' @inheritParams add_threat
#' @return `data` with one column per method added.
#' @references Signorino, C. S. and Ritter, J. M. (1999). Tau-b or not
#'   tau-b: Measuring the similarity of foreign policy positions.
#'   *International Studies Quarterly* 43(1), 115-144.
#'
#'   Häge, F. M. (2011). Choice or circumstance? Adjusting measures of
#'   foreign policy similarity for chance agreement. *Political Analysis*
#'   19(3), 287-305.
#'
#'   Bailey, M. A., Strezhnev, A. and Voeten, E. (2017). Estimating dynamic
#'   state preferences from United Nations voting data. *Journal of Conflict
#'   Resolution* 61(2), 430-456.
#' @seealso [alliance_similarity()], [vote_similarity()], [add_threat()]
#' @export
#' @examples
#' d <- data.frame(year = 2010L, ccode1 = c(2L, 2L, 710L), ccode2 = c(200L, 710L, 365L))
#' add_similarity(d, "alliance", method = c("s", "kappa"))
#' add_similarity(d, "votes", method = "agree", names = TRUE)
add_similarity <- function(data, source = c("alliance", "votes"), method = "s", ...,
                           names = FALSE, replace = FALSE) {
  source <- tb_check_choice(source, c("alliance", "votes"), "source")
  methods <- c(sim_methods, if (source == "votes") "ideal")
  method <- tb_check_choice(method, methods, "method", several = TRUE)
  dots <- list(...)
  allowed <- if (source == "alliance") c("coding", "distance", "weighted")
             else c("important", "issue", "distance")
  nm <- names(dots)
  if (length(dots) && (is.null(nm) || any(!nm %in% allowed))) {
    bad <- if (is.null(nm)) "(unnamed)" else ifelse(nzchar(nm), nm, "(unnamed)")[!nm %in% allowed]
    tb_abort(sprintf("`...` must hold named settings of %s (%s); unknown: %s.",
                     if (source == "alliance") "alliance_similarity()" else "vote_similarity()",
                     paste(allowed, collapse = ", "), paste(bad, collapse = ", ")))
  }
  cov_src <- if (source == "alliance") "alliances" else "votes"
  k <- tb_frame_keys(data, cov_src, monadic = FALSE)
  cov <- if (source == "alliance") tb_threat_cov()$alliance else tb_cov("votes")
  yrs <- tb_unique_int(k$year)
  yrs <- yrs[yrs >= cov[1L] & yrs <= cov[2L]]
  key <- tb_dy_key(k$year, pmin(k$ccode1, k$ccode2), pmax(k$ccode1, k$ccode2))
  res <- NULL
  if (length(yrs)) {
    fn <- if (source == "alliance") alliance_similarity else vote_similarity
    res <- do.call(fn, c(list(years = yrs, method = method), dots), quote = TRUE)
  }
  # vote_similarity() names the ideal-point distance `ideal_distance`
  cols <- lapply(stats::setNames(method, paste0(source, "_", method)), function(m) {
    if (is.null(res)) return(rep(NA_real_, length(key)))
    res[[if (m == "ideal") "ideal_distance" else m]][
      match(key, tb_dy_key(res$year, res$ccode1, res$ccode2))]
  })
  tb_add_columns(data, cols, k, names, replace)
}

#' Add strategic rivalries to dyad-years or state-years
#'
#' Adds whether the two states of each row were strategic rivals that year
#' ([rivalries]: Thompson, Sakuwa and Suhas, in force from the year of a
#' rivalry's start to the year of its end, to 2020), to any dyad-year frame
#' (`year`, `ccode1`, `ccode2`, directed or not: a rivalry joins both
#' orientations) or state-year frame (`year`, `ccode`), keeping its rows,
#' class and attributes.
#'
#' * Dyad-years get `rivalry`: 1 in a rivalry, 0 not. With `types = TRUE`
#'   also `rivalry_positional`, `rivalry_spatial`, `rivalry_ideological`,
#'   `rivalry_interventionary` and `rivalry_principal` (1 when a rivalry in
#'   force that year has the type; principal includes asymmetric principal).
#' * State-years get `rivalries`: the number of rivalries the state was in.
#'
#' NA, never a silent 0: 0 only where the data say "no rivalry" (both states,
#' or the state, system members in a year the data cover); NA after 2020
#' (with a coverage warning), for non-members not in a rivalry, `ccode1 ==
#' ccode2` and `NA` keys.
#'
#' @param data A data frame with `year` and `ccode1`, `ccode2` (dyad-years)
#'   or `ccode` (state-years).
#' @param types `TRUE` to add the rivalry types (dyad-years only).
#' @param names `TRUE` to add the states' names (`state_name1`,
#'   `state_name2`, or `state_name` for state-years).
#' @inheritParams add_threat
#' @return `data` with the columns added.
#' @references Thompson, W. R., Sakuwa, K. and Suhas, P. H. (2022).
#'   *Analyzing Strategic Rivalries in World Politics*. Singapore: Springer.
#' @export
#' @examples
#' d <- data.frame(year = c(1962L, 1995L, 2010L), ccode1 = c(2L, 2L, 710L),
#'                 ccode2 = c(365L, 365L, 750L))
#' add_rivalry(d, types = TRUE)
#' add_rivalry(data.frame(year = 2000L, ccode = c(2L, 710L, 20L)))
add_rivalry <- function(data, types = FALSE, names = FALSE, replace = FALSE) {
  types <- tb_check_flag(types, "types")
  k <- tb_frame_keys(data, "rivalries")
  rv <- tb_data("rivalries")
  sy <- tb_spell_years(as.Date(sprintf("%04d-01-01", rv$start)),
                       as.Date(sprintf("%04d-01-01", pmax(rv$end, rv$start))))
  r <- rv[sy$row, ]
  known <- tb_known_rows(k, tb_cov("rivalries"))
  if (k$kind == "state") {
    n <- tabulate(match(tb_sy_key(c(sy$year, sy$year), c(r$ccode1, r$ccode2)),
                        tb_sy_key(k$year, k$ccode)), length(k$year))
    # tabulate counts matches to the first row of each key; spread to all rows
    key <- tb_sy_key(k$year, k$ccode)
    n <- n[match(key, key)]
    hit <- n > 0L
    n[!known & !hit] <- NA_integer_
    n[is.na(key)] <- NA_integer_
    return(tb_add_columns(data, list(rivalries = n), k, names, replace))
  }
  rkey <- tb_dy_key(sy$year, pmin(r$ccode1, r$ccode2), pmax(r$ccode1, r$ccode2))
  key <- tb_dy_key(k$year, pmin(k$ccode1, k$ccode2), pmax(k$ccode1, k$ccode2))
  flag <- function(v) {
    m <- tapply(v, rkey, max)
    out <- as.integer(m[match(key, as.double(names(m)))])
    out[is.na(out) & known] <- 0L
    out
  }
  cols <- list(rivalry = flag(rep(1L, length(rkey))))
  if (types) {
    cols$rivalry_positional <- flag(r$positional)
    cols$rivalry_spatial <- flag(r$spatial)
    cols$rivalry_ideological <- flag(r$ideological)
    cols$rivalry_interventionary <- flag(r$interventionary)
    cols$rivalry_principal <- flag(pmax(r$principal, r$aprin))
  }
  tb_add_columns(data, cols, k, names, replace)
}

#' Add militarized interstate disputes to dyad-years or state-years
#'
#' Adds dispute onset, ongoing disputes and hostility levels from [disputes]
#' (GML MID 2.2.1, 1816-2010) to any dyad-year frame (`year`, `ccode1`,
#' `ccode2`; the data hold both orientations, so directed and undirected
#' frames work alike) or state-year frame (`year`, `ccode`), keeping its
#' rows, class and attributes.
#'
#' Dyad-years get:
#' * `mid_onset`: 1 when a dispute between the two states began that year
#'   (for the dyad), else 0;
#' * `mid_ongoing`: 1 when they were on opposite sides of a dispute that
#'   year, else 0;
#' * `mid_count`: the number of their disputes that year;
#' * `mid_hostlev`: the highest hostility level of those disputes (1 no
#'   militarized action, 2 threat, 3 display, 4 use of force, 5 war; 0 no
#'   dispute);
#' * `mid_hostlev1`, `mid_hostlev2`: the highest hostility level reached by
#'   `ccode1` and by `ccode2` in them (0 no dispute).
#'
#' State-years get `mid_onset`, `mid_ongoing`, `mid_count` (disputes the
#' state was in that year, any opponent) and `mid_hostlev` (its own highest
#' hostility level in them).
#'
#' NA, never a silent 0: 0 only where the data say "no dispute" (both states,
#' or the state, system members in 1816-2010); NA after 2010 (with a coverage
#' warning: see [armed_conflicts] for a later, different record), for
#' non-members, `ccode1 == ccode2` and `NA` keys.
#'
#' @param data A data frame with `year` and `ccode1`, `ccode2` (dyad-years)
#'   or `ccode` (state-years).
#' @inheritParams add_rivalry
#' @return `data` with the columns added.
#' @references Gibler, D. M., Miller, S. V. and Little, E. K. (2016). An
#'   analysis of the Militarized Interstate Dispute (MID) dataset,
#'   1816-2001. *International Studies Quarterly* 60(4), 719-730.
#' @export
#' @examples
#' d <- data.frame(year = c(1999L, 2001L, 2001L), ccode1 = c(2L, 2L, 710L),
#'                 ccode2 = c(345L, 710L, 2L))
#' add_disputes(d)
#' add_disputes(data.frame(year = 2001L, ccode = c(2L, 710L, 20L)))
add_disputes <- function(data, names = FALSE, replace = FALSE) {
  k <- tb_frame_keys(data, "disputes")
  dp <- tb_data("disputes")
  state <- k$kind == "state"
  # one key per record: the state (state-years) or the directed dyad
  rkey <- if (state) tb_sy_key(dp$year, dp$ccode1) else tb_dy_key(dp$year, dp$ccode1, dp$ccode2)
  key <- if (state) tb_sy_key(k$year, k$ccode) else tb_dy_key(k$year, k$ccode1, k$ccode2)
  u <- unique(rkey)
  g <- match(rkey, u)
  agg <- function(v, f) as.integer(vapply(split(v, g), f, numeric(1)))
  first <- !duplicated(data.frame(g, dp$dispnum))
  tab <- list(mid_onset = agg(dp$onset, function(x) max(x, na.rm = TRUE) > 0),
              mid_ongoing = rep(1L, length(u)),
              mid_count = tabulate(g[first], length(u)),
              mid_hostlev = if (state) agg(dp$hostlev1, function(x) max(c(0, x), na.rm = TRUE))
                            else agg(dp$hostlev, function(x) max(c(0, x), na.rm = TRUE)))
  if (!state) {
    tab$mid_hostlev1 <- agg(dp$hostlev1, function(x) max(c(0, x), na.rm = TRUE))
    tab$mid_hostlev2 <- agg(dp$hostlev2, function(x) max(c(0, x), na.rm = TRUE))
  }
  i <- match(key, u)
  known <- tb_known_rows(k, tb_cov("disputes"))
  cols <- lapply(tab, function(v) {
    out <- v[i]
    out[is.na(out) & known] <- 0L
    out
  })
  tb_add_columns(data, cols, k, names, replace)
}
