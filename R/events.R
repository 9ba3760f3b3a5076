# Event-based relation scores: a mergeable group-by of events into
# dyad-periods (src/events.c) and a bounded cumulative relation score.

quad_cols <- c("verb_coop", "matl_coop", "verb_conf", "matl_conf")
# every column of an events frame that relation_scores() or relation_level() reads
tb_event_cols <- c("date", "actor", "target", "ccode1", "ccode2", "cameo", "goldstein", "quad",
                   "year", "month", "n_events", "goldstein_sum", quad_cols)

# The packaged CAMEO codebook.
tb_cameo_table <- function() tb_data("cameo")

# Mean Goldstein weight of the CAMEO codes in each quad class (1..4).
tb_quad_weights <- function(cameo = tb_cameo_table()) {
  w <- tapply(cameo$goldstein, cameo$quad, mean)
  as.numeric(w[as.character(1:4)])
}

# Actor and target columns of an event table: actor/target or ccode1/ccode2.
tb_event_sides <- function(events) {
  if (all(c("actor", "target") %in% names(events))) return(c("actor", "target"))
  if (all(c("ccode1", "ccode2") %in% names(events))) return(c("ccode1", "ccode2"))
  tb_abort(sprintf("`events` must have columns `actor` and `target` (or `ccode1` and `ccode2`); it has %s.",
                   paste0("`", names(events), "`", collapse = ", ")))
}

# Events with the user's column names mapped to roles (`columns`, the roles
# and validation of db_events()): the mapped columns take the role names,
# replacing columns that already bore them; `ccode1`/`ccode2` stand for
# `actor`/`target` when those are not mapped.
tb_apply_columns <- function(events, columns) {
  columns <- tb_check_columns(columns)
  if (is.null(columns)) return(events)
  tb_check_data_frame(events, "events")
  miss <- setdiff(columns, names(events))
  if (length(miss)) {
    tb_abort(sprintf("`events` has no column%s %s (named in `columns`); its columns are %s.",
                     if (length(miss) > 1L) "s" else "", tb_db_quote(miss, "`"),
                     tb_db_quote(names(events), "`")))
  }
  roles <- names(columns)
  for (k in 1:2) {
    cc <- c("ccode1", "ccode2")[k]; side <- c("actor", "target")[k]
    if (cc %in% roles && !side %in% roles) roles[roles == cc] <- side
  }
  keep <- setdiff(names(events), c(roles, unname(columns)))
  cols <- c(lapply(keep, function(v) events[[v]]), lapply(unname(columns), function(v) events[[v]]))
  names(cols) <- c(keep, roles)
  structure(cols, class = "data.frame", row.names = .set_row_names(nrow(events)))
}

# State codes (integer, NA for actors that are no state, such as "NATO") of
# the event sides `idx` (indices into `keys`), each resolved in its event's
# year (state_ccode(x, year)): the events may code states by ccode, name,
# ISO3 or CoW abbreviation.
tb_event_ccodes <- function(keys, idx, year, arg) {
  pair <- as.double(idx) * 1e4 + year
  u <- unique(pair)
  cc <- tb_codes_in_year(keys[u %/% 1e4], as.integer(u %% 1e4), arg)
  cc[match(pair, u)]
}

# State codes of `x` in `year` (NA for what is no state): codes (numbers,
# or whole numbers written as text) as they are, names, ISO3 codes and CoW
# abbreviations resolved in the year (state_ccode(x, year)).
tb_codes_in_year <- function(x, year, arg) {
  if (is.numeric(x)) x <- as.character(x)
  code <- grepl("^\\s*[0-9]+\\s*$", x)
  out <- rep(NA_integer_, length(x))
  if (any(code)) {
    v <- suppressWarnings(as.integer(x[code]))
    out[code] <- ifelse(v %in% tb_state_lookup()$ccodes, v, NA_integer_)
  }
  if (any(!code)) {
    out[!code] <- tb_state_ccode(x[!code], year = rep_len(year, length(x))[!code], arg = arg,
                                 strict = FALSE)
  }
  out
}

# State-year keys (tb_sy_key) of the states a side of relation_level() or
# relation_scores() names, in each of `years`; values that are no state
# (bloc names, other actors) are matched literally only.
tb_side_sy <- function(side, years, arg) {
  if (is.null(side) || !length(years)) return(integer())
  cc <- tb_codes_in_year(rep(side, times = length(years)), rep(years, each = length(side)), arg)
  y <- rep(years, each = length(side))
  tb_sy_key(y[!is.na(cc)], cc[!is.na(cc)])
}

# Calendar years of Dates, as integer (faster than format() on long vectors).
tb_date_year <- function(d) as.POSIXlt(d)$year + 1900L

# Sources of an event result: the packaged events (or ICEWS counts) when the
# input is one of them, or the sources the input carries; the CAMEO codebook
# when it gave weights or classes; the blocs when members = TRUE reads them.
tb_event_sources <- function(events, cameo, blocs = FALSE) {
  c(if (is.data.frame(events)) tb_input_sources(events, c(events = "events", icews = "icews_dyads")),
    if (cameo) "cameo", if (blocs) "blocs")
}

# Keys of actors and targets: character, sorted numerically when every key
# is a whole number, otherwise in C-locale order.
tb_event_keys <- function(a, b, arga, argb) {
  for (v in list(list(a, arga), list(b, argb))) {
    if (!(is.character(v[[1]]) || is.numeric(v[[1]]) || is.factor(v[[1]]))) {
      tb_abort(sprintf("`events$%s` must be character or integer codes, not %s.",
                       v[[2]], tb_describe(v[[1]])))
    }
    if (anyNA(v[[1]])) {
      tb_abort(sprintf("`events$%s` must not contain NA (found at row %d).",
                       v[[2]], which(is.na(v[[1]]))[1L]))
    }
  }
  if (is.numeric(a) && is.numeric(b)) {
    # match on the numbers; only the few keys become character
    u <- sort(unique(c(unique(a), unique(b))))
    return(list(keys = as.character(u), a = match(a, u), b = match(b, u)))
  }
  # valid UTF-8 whatever the encoding ("bytes" and undeclared latin1 keys
  # cannot be sorted or translated otherwise)
  a <- tb_as_utf8(as.character(a)); b <- tb_as_utf8(as.character(b))
  keys <- unique(c(unique(a), unique(b)))
  num <- suppressWarnings(as.numeric(keys))
  keys <- if (!anyNA(num) && all(num == round(num))) keys[order(num)] else
    sort(keys, method = "radix")
  list(keys = keys, a = match(a, keys), b = match(b, keys))
}

# CAMEO codes to quad class and Goldstein weight; unknown codes are an error.
tb_cameo_lookup <- function(code) {
  if (!is.character(code)) {
    tb_abort(sprintf("`events$cameo` must be character CAMEO codes with their leading zeros (such as \"042\"), not %s.",
                     tb_describe(code)))
  }
  cam <- tb_cameo_table()
  i <- match(code, cam$code)
  bad <- which(is.na(i) & !is.na(code))
  if (length(bad)) {
    u <- unique(code[bad])
    tb_abort(sprintf("`events$cameo` holds %d code%s not in the CAMEO codebook (`cameo`): %s%s.",
                     length(u), if (length(u) > 1L) "s" else "",
                     paste0('"', utils::head(u, 5L), '"', collapse = ", "),
                     if (length(u) > 5L) ", ..." else ""))
  }
  list(quad = cam$quad[i], goldstein = cam$goldstein[i])
}

tb_event_dates <- function(d) {
  if (inherits(d, "POSIXt")) d <- as.Date(d)
  if (is.character(d)) {
    dd <- as.Date(d, optional = TRUE)
    bad <- which(is.na(dd) & !is.na(d))
    if (length(bad)) {
      tb_abort(sprintf("`events$date` must be dates (Date or \"YYYY-MM-DD\"); row %d is \"%s\".",
                       bad[1L], d[bad[1L]]))
    }
    d <- dd
  }
  if (!inherits(d, "Date")) {
    tb_abort(sprintf("`events$date` must be a Date vector, not %s.", tb_describe(d)))
  }
  if (anyNA(d)) {
    tb_abort(sprintf("`events$date` must not contain NA (found at row %d).",
                     which(is.na(d))[1L]))
  }
  tb_check_date_range(d, "events$date")
}

#' Relation scores per dyad and period from events
#'
#' Aggregates events into dyad-periods: number of events, sum and mean of
#' their Goldstein weights, counts by CAMEO quad class, net cooperation, the
#' cooperation share and a conflict-weighted score.
#'
#' `events` may take three shapes:
#' * **an event table** (the packaged `events`, ICEWS or GDELT-shaped data):
#'   `date` (a `Date`, or `"YYYY-MM-DD"`), `actor`, `target`, and a `cameo`
#'   code (character, with leading zeros) and/or a `goldstein` weight. The
#'   quad class comes from a `quad` column (1 verbal cooperation, 2 material
#'   cooperation, 3 verbal conflict, 4 material conflict) or from the CAMEO
#'   code through the packaged `cameo` codebook; the weight from `goldstein`
#'   or from the codebook. Codes absent from the codebook are an error.
#' * **quad-class counts** such as `icews_dyads`: `year` (and optionally
#'   `month`), `actor`/`target` or `ccode1`/`ccode2`, and the counts
#'   `verb_coop`, `matl_coop`, `verb_conf`, `matl_conf`; `n_events` and
#'   `goldstein_sum` are used when present (otherwise the number of events is
#'   the sum of the counts and the Goldstein sum is NA).
#' * **the output of `relation_scores()`** itself, which has the shape above:
#'   the aggregation is a mergeable group-by (sums and counts per dyad-period),
#'   so a file too large for memory can be aggregated chunk by chunk and the
#'   partial results combined:
#'   `relation_scores(do.call(rbind, lapply(chunks, relation_scores)))`,
#'   which gives exactly the result of one pass (to the last bit) when every
#'   Goldstein weight is a multiple of 0.1, as on the CAMEO Goldstein scale
#'   and in sums of such weights: those are summed as whole tenths, which is
#'   exact in any order. Other weights are summed as doubles, and the merged
#'   Goldstein sums and means can then differ from one pass by rounding (a
#'   relative \eqn{10^{-15}}). The same group-by runs in any
#'   SQL engine (DuckDB, Spark SQL), bringing only dyad-periods into R:
#'   \preformatted{SELECT year(date) AS year, LEAST(actor, target) AS actor,
#'        GREATEST(actor, target) AS target, COUNT(*) AS n_events,
#'        SUM(goldstein) AS goldstein_sum,
#'        SUM(CASE WHEN quad = 1 THEN 1 ELSE 0 END) AS verb_coop, ...
#' FROM events GROUP BY 1, 2, 3}
#'   whose result `relation_scores()` accepts as quad-class counts.
#'
#' Derived scores, for counts \eqn{v_c, m_c, v_k, m_k} (verbal and material
#' cooperation, verbal and material conflict):
#' * `net_coop` \eqn{= (v_c + m_c) - (v_k + m_k)}, net cooperation;
#' * `coop_share` \eqn{= (v_c + m_c) / (v_c + m_c + v_k + m_k)}, NA without
#'   events;
#' * `conflict_weighted` \eqn{= \sum_q w_q n_q / \sum_q n_q}, each quad class
#'   weighted by the mean Goldstein weight of its CAMEO codes in `cameo`
#'   (about 3.4, 6.9, -4.5 and -7.6): a Goldstein-scale score computable from
#'   counts alone in which a material conflict weighs more than twice a
#'   verbal cooperation.
#' * `goldstein_mean` \eqn{=} `goldstein_sum / n_events`.
#'
#' NA handling: an NA Goldstein weight or an NA (or missing) quad class makes
#' the sums of its dyad-period NA; NA dates, actors or targets are an error.
#'
#' @param events An event table, quad-class counts or a previous result (see
#'   Details).
#' @param by `"year"` or `"month"`.
#' @param directed If `FALSE` (default) events of A toward B and of B toward
#'   A are pooled, and each dyad is reported once with `actor` before
#'   `target` (numerically for state codes).
#' @param columns `NULL`, or a named character vector mapping roles to the
#'   column names of `events`, for event files with other column names, e.g.
#'   `c(date = "Event Date", actor = "Source Country", target = "Target
#'   Country", cameo = "CAMEO Code")` for an ICEWS file. The roles are those
#'   of `columns` in [db_events()] (`date`, `actor`, `target`, `ccode1`,
#'   `ccode2`, `cameo`, `goldstein`, `quad`, `year`, `month`, `verb_coop`,
#'   `matl_coop`, `verb_conf`, `matl_conf`, `n_events`, `goldstein_sum`);
#'   unmapped roles are read from columns of that name. For database tables,
#'   give `columns` to [db_events()].
#' @param actor,target `NULL` (default: every dyad), or states (names, ISO3
#'   codes, CoW abbreviations or ccodes, see [state_ccode()]) or other codes
#'   (such as `"NATO"`): only events from `actor` to `target` (either way
#'   round unless `directed = TRUE`) are aggregated. A side matches the codes
#'   of `events` literally, and as states resolved in the year of each event
#'   (or row of counts) however `events` codes them: `"China"`, `"CHN"` and
#'   `710` all select China's events in a file coded by ccodes or by names.
#'   Data frames only.
#' @return A data frame with `year`, `month` (when `by = "month"`), `actor`,
#'   `target` (character, as given), `ccode1` and `ccode2` (the same codes as
#'   integers, present when every actor and target is a whole number such as
#'   a CoW state code: the key convention of [dyad_years()] and the `add_*()`
#'   functions), `n_events`, `goldstein_sum`,
#'   `goldstein_mean`, `verb_coop`, `matl_coop`, `verb_conf`, `matl_conf`,
#'   `net_coop`, `coop_share`, `conflict_weighted`, sorted by period and dyad.
#'   It carries the sources it used in `attr(, "sources")` (the CAMEO
#'   codebook, `"cameo"`; the packaged `events` or `icews_dyads` when given
#'   them; see [sources()]).
#' @references
#' Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events
#' data. *Journal of Conflict Resolution*, 36(2), 369-385.
#' \doi{10.1177/0022002792036002007}
#'
#' Schrodt, P. A. (2012). *CAMEO Conflict and Mediation Event Observations
#' Event and Actor Codebook*, version 1.1b3. Pennsylvania State University.
#'
#' Boschee, E., Lautenschlager, J., O'Brien, S., Shellman, S., Starz, J. and
#' Ward, M. (2015). *ICEWS Coded Event Data*. Harvard Dataverse.
#' \doi{10.7910/DVN/28075}
#' @examples
#' ev <- data.frame(date = as.Date(c("2001-04-01", "2001-05-20", "2002-01-10")),
#'                  actor = c("710", "2", "710"), target = c("2", "710", "2"),
#'                  cameo = c("112", "036", "057"))
#' relation_scores(ev)
#' relation_scores(ev, by = "month", directed = TRUE)
#' # an ICEWS-style file: other column names, states by name
#' icews <- data.frame(`Event Date` = ev$date,
#'                     `Source Country` = c("China", "United States", "China"),
#'                     `Target Country` = c("United States", "China", "United States"),
#'                     `CAMEO Code` = ev$cameo, check.names = FALSE)
#' relation_scores(icews, columns = c(date = "Event Date", actor = "Source Country",
#'                                    target = "Target Country", cameo = "CAMEO Code"))
#' # the packaged events of China and the United States, selected by name
#' relation_scores(events, actor = "China", target = "USA")
#' @export
relation_scores <- function(events, by = c("year", "month"), directed = FALSE,
                            columns = NULL, actor = NULL, target = NULL) {
  if (tb_is_db_source(events)) {
    tb_db_no_frame_args(columns, actor, target)
    return(tb_with_sources(tb_db_relation_scores(events, by, directed), "cameo"))
  }
  src <- tb_event_sources(events, cameo = TRUE)
  events <- tb_apply_columns(events, columns)
  tb_check_data_frame(events, "events", character())
  tb_check_unique_cols(events, "events", tb_event_cols)
  by <- tb_check_choice(by, c("year", "month"), "by")
  directed <- tb_check_flag(directed, "directed")
  actor <- tb_level_side(actor, "actor"); target <- tb_level_side(target, "target")
  sides <- tb_event_sides(events)
  k <- tb_event_keys(events[[sides[1L]]], events[[sides[2L]]], sides[1L], sides[2L])
  counts_form <- all(quad_cols %in% names(events))
  if (!is.null(actor) || !is.null(target)) {
    # the dyads asked for, names resolved in the year of each row
    yr <- if (counts_form) {
      tb_check_data_frame(events, "events", "year")
      tb_check_integerish(events$year, "events$year", allow_na = FALSE)
    } else {
      if (!"date" %in% names(events)) {
        tb_abort(sprintf("`events` must have a `date` column (events) or the columns %s (quad-class counts).",
                         paste0("`", quad_cols, "`", collapse = ", ")))
      }
      tb_date_year(tb_event_dates(events$date))
    }
    on <- tb_event_on_sides(k, yr, actor, target, sides)
    keep <- on$ab | (!directed & on$ba)
    events <- events[keep, , drop = FALSE]
    k <- tb_event_keys(events[[sides[1L]]], events[[sides[2L]]], sides[1L], sides[2L])
  }
  if (counts_form) {
    tb_check_data_frame(events, "events", "year")
    year <- tb_check_integerish(events$year, "events$year", allow_na = FALSE)
    has_month <- "month" %in% names(events)
    if (by == "month" && !has_month) {
      tb_abort("`by = \"month\"` needs a `month` column; `events` holds yearly counts.")
    }
    period <- year
    if (by == "month") {
      month <- tb_check_integerish(events$month, "events$month", min = 1, max = 12,
                                allow_na = FALSE)
      period <- year * 12L + month - 1L
    }
    cnt <- lapply(quad_cols, function(v) tb_check_numeric(events[[v]],
                                                       paste0("events$", v), min = 0))
    nev <- if ("n_events" %in% names(events)) {
      tb_check_numeric(events$n_events, "events$n_events", min = 0)
    } else cnt[[1]] + cnt[[2]] + cnt[[3]] + cnt[[4]]
    gsum <- if ("goldstein_sum" %in% names(events)) {
      tb_check_numeric(events$goldstein_sum, "events$goldstein_sum")
    } else NULL
    tenths <- tb_goldstein_tenths(gsum)
    res <- .Call(C_ffi_event_aggregate, period, k$a, k$b, 0L, directed, nev,
                 if (is.null(tenths)) gsum else tenths, NULL, cnt)
    if (!is.null(tenths)) res[[5L]] <- res[[5L]] / 10
  } else {
    if (!"date" %in% names(events)) {
      tb_abort(sprintf("`events` must have a `date` column (events) or the columns %s (quad-class counts).",
                       paste0("`", quad_cols, "`", collapse = ", ")))
    }
    if (!any(c("cameo", "goldstein", "quad") %in% names(events))) {
      tb_abort("`events` must have a `cameo` code or a `goldstein` weight column.")
    }
    day <- as.integer(unclass(tb_event_dates(events$date)))
    lk <- if ("cameo" %in% names(events)) tb_cameo_lookup(events$cameo) else NULL
    gold <- if ("goldstein" %in% names(events)) {
      tb_check_numeric(events$goldstein, "events$goldstein", min = -10, max = 10)
    } else if (!is.null(lk)) as.double(lk$goldstein) else NULL
    quad <- if ("quad" %in% names(events)) {
      tb_check_integerish(events$quad, "events$quad", min = 1, max = 4)
    } else if (!is.null(lk)) as.integer(lk$quad) else NULL
    tenths <- tb_goldstein_tenths(gold)
    res <- .Call(C_ffi_event_aggregate, day, k$a, k$b,
                 if (by == "year") 1L else 2L, directed, NULL,
                 if (is.null(tenths)) gold else tenths, quad, NULL)
    if (!is.null(tenths)) res[[5L]] <- res[[5L]] / 10
  }
  tb_with_sources(tb_scores_frame(res, k$keys, by), src)
}

# Which rows of events (keys `k` of tb_event_keys(), years `yr`) go from a
# state of `actor` to one of `target` (ab) or the other way (ba): literal
# codes, or states resolved in each row's year. NULL sides take every actor.
tb_event_on_sides <- function(k, yr, actor, target, sides = c("actor", "target")) {
  ea <- k$keys[k$a]; et <- k$keys[k$b]
  ca <- tb_event_ccodes(k$keys, k$a, yr, sprintf("events$%s", sides[1L]))
  ct <- tb_event_ccodes(k$keys, k$b, yr, sprintf("events$%s", sides[2L]))
  uy <- unique(yr)
  on <- function(keys, cc, side, arg) {
    if (is.null(side)) return(rep(TRUE, length(keys)))
    keys %in% side | (!is.na(cc) & tb_sy_key(yr, cc) %in% tb_side_sy(side, uy, arg))
  }
  list(ab = on(ea, ca, actor, "actor") & on(et, ct, target, "target"),
       ba = on(et, ct, actor, "actor") & on(ea, ca, target, "target"))
}

# `columns`, `actor` and `target` of relation_scores() are for data frames.
tb_db_no_frame_args <- function(columns, actor = NULL, target = NULL) {
  if (!is.null(columns)) {
    tb_abort("`columns` maps the columns of a data frame; map a database table's columns with db_events(columns = ).")
  }
  if (!is.null(actor) || !is.null(target)) {
    tb_abort("`actor` and `target` select events of a data frame; on a database table, select them in SQL (a query as `table` of db_events()).")
  }
}

# Goldstein weights (or sums) as whole tenths, when every one is the double
# nearest a multiple of 0.1 (the CAMEO scale, and sums of it): sums of whole
# numbers below 2^53 are exact in any order, so chunked and one-pass
# aggregation agree to the bit. NULL when some weight is not (or for NULL).
tb_goldstein_tenths <- function(g) {
  if (!length(g)) return(g)
  t <- round(g * 10)
  if (!isTRUE(all(t / 10 == g, na.rm = TRUE))) return(NULL)
  # every partial sum of the whole tenths must stay below 2^53 (a bound)
  r <- suppressWarnings(range(t, na.rm = TRUE, finite = TRUE))
  if (!isTRUE(length(t) * max(abs(r), 0) < 2^53)) return(NULL)
  t
}

# A garbage collection, and (by default after a full one) its freed memory
# back to the system: glibc keeps the freed blocks of large vectors
# otherwise (src/memory.c). Not after each minor collection of a stream of
# chunks, whose memory the next chunk reuses: releasing it there made a
# streamed relation_level() of 13 M events from Parquet take 26 s, not 14.
tb_collect_garbage <- function(full = TRUE, release = full) {
  gc(verbose = FALSE, full = full)
  if (release) .Call(C_ffi_release_memory)
  invisible()
}

# Assemble the output of ffi_event_aggregate, sorted by period and dyad. On
# a large result (1e5 rows or more), the vectors of its length left behind
# by each step are collected at once (a minor collection), so that the peak
# stays near the result's own size: 20 M events from SQLite by month (1.26 M
# rows, 140 MB) peaked at 333 MB of resident memory, 268 MB with this.
tb_scores_frame <- function(res, keys, by) {
  o <- order(res[[1]], res[[2]], res[[3]])
  # rows already in order (relation_scores() on a database table sorts them
  # before the C merge) are not copied
  if (is.unsorted(o)) res <- lapply(res, `[`, o)
  rm(o)
  n <- length(res[[1L]])
  tidy <- if (n >= 1e5) function() tb_collect_garbage(full = FALSE, release = TRUE) else
    function() NULL
  p <- res[[1]]
  out <- if (by == "year") {
    list(year = p)
  } else {
    list(year = p %/% 12L, month = p %% 12L + 1L)
  }
  rm(p)
  out$actor <- keys[res[[2]]]
  out$target <- keys[res[[3]]]
  # state codes also as integer ccode1/ccode2, the key convention of the
  # package's dyad-year outputs (joins to dyad_years() and the adders)
  num <- suppressWarnings(as.numeric(keys))
  if (!anyNA(num) && all(num == round(num) & abs(num) <= .Machine$integer.max)) {
    num <- as.integer(num)
    out$ccode1 <- num[res[[2]]]
    out$ccode2 <- num[res[[3]]]
  }
  out$n_events <- res[[4]]
  out$goldstein_sum <- res[[5]]
  out$goldstein_mean <- res[[5]] / res[[4]]
  q <- res[6:9]
  rm(res)
  names(q) <- quad_cols
  for (v in quad_cols) out[[v]] <- q[[v]]
  coop <- q$verb_coop + q$matl_coop
  tot <- q$verb_conf + q$matl_conf
  out$net_coop <- coop - tot
  tot <- tot + coop
  tidy()
  # shares are NA without events (as ifelse(tot > 0, ..., NA), always double,
  # without ifelse()'s copies)
  none <- which(!(tot > 0) | is.na(tot))
  coop <- coop / tot
  coop[none] <- NA_real_
  out$coop_share <- coop
  rm(coop)
  tidy()
  w <- tb_quad_weights()
  cw <- w[1] * q$verb_coop
  cw <- cw + w[2] * q$matl_coop
  tidy()
  cw <- cw + w[3] * q$verb_conf
  cw <- cw + w[4] * q$matl_conf
  tidy()
  cw <- cw / tot
  rm(tot)
  cw[none] <- NA_real_
  out$conflict_weighted <- cw
  rm(cw)
  tidy()
  # attributes in data.frame()'s order (names, row.names, class): serialised
  # results are as before
  attr(out, "row.names") <- .set_row_names(n)
  class(out) <- "data.frame"
  out
}

#' Bounded cumulative relation level, in the style of Yan and Zhou (2004)
#'
#' A running score of the relation between two sides on \[-9, 9\], moved by
#' each event in date order and damped as it nears the bound it moves toward:
#' \deqn{s \leftarrow s + g\,\min(1, (9 - s)/9) \quad (g > 0), \qquad
#'       s \leftarrow s + g\,\min(1, (9 + s)/9) \quad (g < 0),}{s <- s + g min(1, (9 - s)/9) if g > 0, s + g min(1, (9 + s)/9) if g < 0,}
#' clamped to \[-9, 9\], where \eqn{g} is the event's Goldstein weight. The
#' score starts at `baseline`; at the start of each period after the first it
#' decays toward it: \eqn{s \leftarrow b + (s - b)(1 - \delta)}{s <- b + (s - b)(1 - delta)}. The level
#' label follows the Tsinghua scale: hostile \[-9, -6), tense \[-6, -3), bad
#' \[-3, 0), ordinary \[0, 3), good \[3, 6), friendly \[6, 9\].
#'
#' This formula is ours, written in the style of the Tsinghua University
#' measurement of China's bilateral relations (Yan and Zhou 2004); it is not
#' their method or their data, whose event weights and scoring rules differ.
#'
#' **Damping.** The damping factor \eqn{(9 - s)/9} (or \eqn{(9 + s)/9}) is
#' 1 at a score of 0 and shrinks toward the bound the event moves to. With
#' `damping = "capped"` (the default) it is capped at 1: an event moving the
#' score away from the bound it is at counts at its full weight, not more
#' (so a +7 apology at -9 lands at -2). With `damping = "linear"` (the only
#' form before version 0.2.0) the factor grows to 2 at the opposite bound and
#' the same apology lands at +5: on the packaged `events`, China and NATO
#' with `members = TRUE` then read "good" at the end of May 1999, the month
#' of the embassy bombing and of the US apology, under every decay (see
#' `data-raw/relation-level-defaults.md` in the package sources). Goldstein
#' weights run to +-10, so single events move the score a long way; scale
#' the `goldstein` column of `events` down (e.g. by 0.1) for a slower score.
#' Events of the same date are applied in the order of their rows.
#'
#' **Decay.** The default `decay = 0.005` per period (with the default
#' `by = "month"`) was chosen on the seeds' episodes: scoring each year's
#' December level against the phases of Yi and Yang (2023) for China and
#' NATO (with `members = TRUE` and `FALSE`) and the Russia-China cooperation
#' of 2011-2021 (Sadeghi et al. 2022), the capped damping agrees best at
#' 0.005 (mean agreement 0.72; 0.69 without decay, 0.70 at 0.02, 0.67 at
#' 0.05, 0.59 at 0.1): faster decays forget the few events of the 1950s-1970s
#' and let Russia-China drop to "ordinary" between its joint statements.
#' Under these defaults China-NATO (`members = TRUE`) reads "bad" at the end
#' of May and of December 1999, and "hostile" in 2008 and 2011-2020: the
#' chronology's Security Council vetoes of drafts sponsored by NATO members
#' (one event per sponsor) and the trade and technology measures from 2017; NATO
#' itself (`members = FALSE`) reads hostile in none of 2002-2020. The period is a month or a year: with
#' `by = "year"` give about `decay = 0.06` for the same forgetting.
#'
#' The relation is undirected: an event counts when one of its parties is in
#' `actor` and the other in `target` (either way round). Events before
#' `start` or after `end` are dropped; periods without events only decay. An
#' event with an NA weight makes that period's score and all later ones NA.
#'
#' @param events An event table: `date`, `actor`, `target` and a `cameo` code
#'   or a `goldstein` weight (see [relation_scores()]); or events in a
#'   database ([db_events()]).
#' @param actor,target The two sides: codes as in `events` (character or
#'   numeric, such as `"710"` and `"NATO"`) or states by name, ISO3 code or
#'   CoW abbreviation (`"China"`, `"CHN"`, `"USA"`), which match the events
#'   of that state however `events` codes it (ccodes or names), resolved in
#'   the year of each event (see [state_ccode()]); `NULL` for every actor or
#'   target in `events`. (On a database table, sides match literally.)
#' @param start,end First and last day (`Date` or `"YYYY-MM-DD"`) or year;
#'   `NULL` for the first and last selected event.
#' @param by `"month"` or `"year"`.
#' @param decay Share of the distance to `baseline` lost per period, in
#'   \[0, 1\]. The default, 0.005 per month (about 5.8% a year, a half-life
#'   of about 12 years), is the value under which the packaged `events` best
#'   match the phases of Yi and Yang (2023) for China and NATO and the
#'   Russia-China cooperation of 2011-2021 described by Sadeghi et al. (2022)
#'   (see Details and `data-raw/relation-level-defaults.md`); with
#'   `by = "year"` use about 0.06. (Was 0 before version 0.2.0.)
#' @param baseline Starting score and the value it decays toward, in
#'   \[-9, 9\].
#' @param members `FALSE` (default): `actor` and `target` match the codes in
#'   `events` literally. `TRUE`: a bloc name among them (as in [blocs], e.g.
#'   `"NATO"`) also matches events of the states that were members of the
#'   bloc on the event's date, so `target = "NATO", members = TRUE` scores
#'   China's relation with NATO and its member states together. Members are
#'   recognised by their state codes whether `events` codes them by ccode or
#'   by name.
#' @param damping `"capped"` (default): the damping factor is capped at 1, so
#'   no event counts for more than its weight; `"linear"`: the factor
#'   \eqn{(9 - s)/9} (or \eqn{(9 + s)/9}) uncapped, up to 2 for an event moving away from the
#'   bound the score is at (the formula before version 0.2.0). See Details.
#'   On a database with `level_method = "maps"` ([db_events()]) only
#'   `"linear"` can be computed.
#' @param columns `NULL`, or a named character vector mapping roles
#'   (`date`, `actor`, `target`, `cameo`, `goldstein`, ...) to the column
#'   names of `events`, as in [relation_scores()] and [db_events()].
#' @return A data frame with `period` (the first day of the period, a
#'   `Date`), `year` (integer, the period's year) and, with `by = "month"`,
#'   `month` (integer 1-12), `n_events`, `score` (after the period's events)
#'   and `level` (an ordered factor). It carries the sources it used in
#'   `attr(, "sources")` (see [sources()]).
#' @references
#' Yan, X. and Zhou, F. (2004). Quantitative measurement of China's relations
#' with major powers. *Journal of Tsinghua University (Philosophy and Social
#' Sciences)*, 19(6). See also Yan, X. et al. (2010), *Zhongwai guanxi
#' dingliang yuce* (Quantitative forecasts of China's foreign relations).
#'
#' Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events
#' data. *Journal of Conflict Resolution*, 36(2), 369-385.
#'
#' Yi, S. X. and Yang, C. (2023). China-NATO relations: history and reality.
#' *BRIQ Belt & Road Initiative Quarterly* 4(3), 26-37.
#'
#' Sadeghi, M., Keshishyan Siraki, G. and Ghaedi, M. R. (2022). Evaluation of
#' possibility assessment of Russia-China cooperation on Atlanticism
#' (2011-2021). See [phases] for both seed papers.
#' @examples
#' ev <- data.frame(date = as.Date(c("2001-04-01", "2001-06-20", "2001-09-12")),
#'                  actor = c("710", "2", "710"), target = c("2", "710", "2"),
#'                  cameo = c("112", "036", "057"))
#' relation_level(ev, "710", "2")
#' # a +7 event at the bound of -9: -2 with the capped factor, +5 with the linear one
#' ev2 <- data.frame(date = as.Date(c("1999-05-07", "1999-05-10")), actor = "2",
#'                   target = "710", goldstein = c(-10, 7))
#' relation_level(ev2)$score
#' relation_level(ev2, damping = "linear")$score
#' # China and NATO (with the member states) under the defaults, December levels
#' cn <- relation_level(events, "710", "NATO", start = 1949, end = 2024, members = TRUE)
#' dec <- cn[format(cn$period, "%m") == "12", ]
#' table(dec$level[format(dec$period, "%Y") %in% 1989:2001])
#' # names, ISO3 codes and CoW abbreviations on the packaged events
#' relation_level(events, "China", "NATO", by = "year", members = TRUE)
#' relation_level(events, "CHN", "USA", start = 2015, end = 2020, by = "year")
#' @export
relation_level <- function(events, actor = NULL, target = NULL, start = NULL,
                           end = NULL, by = "month", decay = 0.005, baseline = 0,
                           members = FALSE, damping = c("capped", "linear"),
                           columns = NULL) {
  damping <- tb_check_choice(damping, c("capped", "linear"), "damping")
  if (tb_is_db_source(events)) {
    tb_db_no_frame_args(columns)
    out <- tb_db_relation_level(events, actor, target, start, end, by, decay, baseline,
                                members, damping)
    cols <- if (inherits(events, "tb_db_events")) names(events$cols) else
      tryCatch(colnames(events), error = function(e) character())
    return(tb_with_sources(out, tb_level_sources(events, actor, target, members,
                                                 !"goldstein" %in% cols)))
  }
  src0 <- events
  events <- tb_apply_columns(events, columns)
  tb_check_data_frame(events, "events", c("date", "actor", "target"))
  tb_check_unique_cols(events, "events", tb_event_cols)
  members <- tb_check_flag(members, "members")
  by <- tb_check_choice(by, c("month", "year"), "by")
  decay <- tb_check_numeric(decay, "decay", len = 1L, min = 0, max = 1, allow_na = FALSE)
  baseline <- tb_check_numeric(baseline, "baseline", len = 1L, min = -9, max = 9,
                            allow_na = FALSE)
  if (!any(c("cameo", "goldstein") %in% names(events))) {
    tb_abort("`events` must have a `cameo` code or a `goldstein` weight column.")
  }
  actor <- tb_level_side(actor, "actor"); target <- tb_level_side(target, "target")
  k <- tb_event_keys(events$actor, events$target, "actor", "target")
  ea <- k$keys[k$a]; et <- k$keys[k$b]
  date <- tb_event_dates(events$date)
  w <- if ("goldstein" %in% names(events)) {
    tb_check_numeric(events$goldstein, "events$goldstein", min = -10, max = 10)
  } else as.double(tb_cameo_lookup(events$cameo)$goldstein)
  # sides match the codes literally, or as states resolved in the year of
  # each event (names, ISO3, CoW abbreviations or ccodes on either side)
  if (!is.null(actor) || !is.null(target)) {
    yr <- tb_date_year(date)
    ca <- tb_event_ccodes(k$keys, k$a, yr, "events$actor")
    ct <- tb_event_ccodes(k$keys, k$b, yr, "events$target")
    uy <- unique(yr)
    sy_a <- tb_side_sy(actor, uy, "actor"); sy_t <- tb_side_sy(target, uy, "target")
  }
  on_side <- function(keys, cc, side, sy) {
    if (is.null(side)) return(rep(TRUE, length(keys)))
    hit <- keys %in% side | (!is.na(cc) & tb_sy_key(yr, cc) %in% sy)
    # members by their state codes, however the events name them
    if (members) hit <- hit | tb_bloc_member_on(as.character(cc), date, side)
    hit
  }
  ina <- on_side(ea, ca, actor, sy_a)
  inb <- on_side(et, ct, target, sy_t)
  ina2 <- on_side(et, ct, actor, sy_a)
  inb2 <- on_side(ea, ca, target, sy_t)
  keep <- (ina & inb) | (ina2 & inb2)
  start <- tb_level_day(start, "start", FALSE); end <- tb_level_day(end, "end", TRUE)
  if (is.null(start) || is.null(end)) {
    if (!any(keep)) {
      tb_abort("No events between `actor` and `target`; give `start` and `end` to get a flat series.")
    }
    if (is.null(start)) start <- min(date[keep])
    if (is.null(end)) end <- max(date[keep])
  }
  if (end < start) {
    tb_abort(sprintf("`end` (%s) must not be before `start` (%s).", format(end), format(start)))
  }
  keep <- keep & date >= start & date <= end
  period <- tb_level_periods(start, end, by)
  np <- length(period)
  d <- date[keep]; wk <- w[keep]
  o <- order(d)
  d <- d[o]; wk <- wk[o]
  pidx <- tb_level_pidx(d, start, by)
  score <- .Call(C_ffi_relation_level, as.integer(pidx), as.double(wk),
                 as.integer(np), decay, baseline, tb_level_capped(damping))
  out <- tb_level_frame(period, tabulate(pidx, nbins = np), score, by)
  tb_with_sources(out, tb_level_sources(src0, actor, target, members,
                                        !"goldstein" %in% names(events)))
}

# Sources of relation_level(): the input's, the CAMEO codebook when the
# weights come from it, the blocs when members = TRUE reads a bloc's members.
tb_level_sources <- function(events, actor, target, members, cameo) {
  side <- c(as.character(actor), as.character(target))
  bl <- tb_known_blocs()
  tb_event_sources(events, cameo, blocs = isTRUE(members) && any(tolower(side) %in% tolower(bl)))
}

# The result of relation_level(): the period's first day, its year (and
# month), the number of events, the score and its level.
tb_level_frame <- function(period, n_events, score, by) {
  lt <- as.POSIXlt(period)
  out <- data.frame(period = period, year = as.integer(lt$year + 1900L))
  if (by == "month") out$month <- as.integer(lt$mon + 1L)
  out$n_events <- n_events
  out$score <- score
  out$level <- tb_relation_level_label(score)
  out
}

# The `capped` flag of the C scan for a checked `damping`.
tb_level_capped <- function(damping) if (identical(damping, "capped")) 1L else 0L

# `actor` or `target` of relation_level(): codes as character, or NULL.
tb_level_side <- function(v, arg) {
  if (is.null(v)) return(NULL)
  if (!(is.character(v) || is.numeric(v)) || !length(v) || anyNA(v)) {
    tb_abort(sprintf("`%s` must be a character or numeric vector of codes without NA, or NULL; not %s.",
                     arg, tb_describe(v)))
  }
  as.character(v)
}

# `start` or `end` of relation_level(): a Date (a year gives its first or
# last day), or NULL.
tb_level_day <- function(v, arg, last) {
  if (is.null(v)) return(NULL)
  if (inherits(v, "POSIXt")) v <- as.Date(v)
  if (is.numeric(v) && !is.object(v)) {
    y <- tb_check_integerish(v, arg, len = 1L, min = 1, max = 9999, allow_na = FALSE)
    return(as.Date(sprintf("%04d-%s", y, if (last) "12-31" else "01-01")))
  }
  d <- if (inherits(v, "Date")) v else if (is.character(v) && length(v) == 1L) {
    as.Date(v, optional = TRUE)
  } else NULL
  if (length(d) != 1L || is.na(d)) {
    tb_abort(sprintf("`%s` must be a single Date, \"YYYY-MM-DD\" string or year, not %s.",
                     arg, tb_describe(v)))
  }
  tb_check_date_range(d, arg)
}

# First days of the periods (months or years) from start to end.
tb_level_periods <- function(start, end, by) {
  lt0 <- as.POSIXlt(start); lt1 <- as.POSIXlt(end)
  if (by == "month") {
    first <- as.Date(sprintf("%04d-%02d-01", lt0$year + 1900, lt0$mon + 1))
    np <- (lt1$year - lt0$year) * 12L + (lt1$mon - lt0$mon) + 1L
    seq(first, by = "month", length.out = np)
  } else {
    first <- as.Date(sprintf("%04d-01-01", lt0$year + 1900))
    np <- lt1$year - lt0$year + 1L
    seq(first, by = "year", length.out = np)
  }
}

# Index (1 = the period of `start`) of the period of each date in `d`.
tb_level_pidx <- function(d, start, by) {
  lt0 <- as.POSIXlt(start); lt <- as.POSIXlt(d)
  if (by == "month") {
    (lt$year - lt0$year) * 12L + (lt$mon - lt0$mon) + 1L
  } else lt$year - lt0$year + 1L
}

tb_relation_level_label <- function(score) {
  cut(score, breaks = c(-9, -6, -3, 0, 3, 6, 9),
      labels = c("hostile", "tense", "bad", "ordinary", "good", "friendly"),
      right = FALSE, include.lowest = TRUE, ordered_result = TRUE)
}

# TRUE where `keys` (state codes as character) name a state that was a member
# (role "member") of one of the blocs in `sides` on `date`: one pass per
# membership spell of those blocs (a few dozen), not per date.
tb_bloc_member_on <- function(keys, date, sides) {
  known <- unique(tb_data("blocs")$bloc)
  b <- known[tolower(known) %in% tolower(sides)]
  if (!length(b) || !length(keys)) return(logical(length(keys)))
  sp <- tb_data("blocs")
  sp <- sp[sp$bloc %in% b & sp$role == "member", ]
  cc <- suppressWarnings(as.integer(keys))
  hit <- logical(length(keys))
  cand <- which(!is.na(cc) & !is.na(date) & cc %in% sp$ccode)
  if (!length(cand)) return(hit)
  cc <- cc[cand]; d <- date[cand]
  for (i in seq_len(nrow(sp))) {
    hit[cand] <- hit[cand] | (cc == sp$ccode[i] & d >= sp$start[i] &
                                (is.na(sp$end[i]) | d <= sp$end[i]))
  }
  hit
}
