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
#' @return A data frame with `year`, `month` (when `by = "month"`), `actor`,
#'   `target` (character, as given), `n_events`, `goldstein_sum`,
#'   `goldstein_mean`, `verb_coop`, `matl_coop`, `verb_conf`, `matl_conf`,
#'   `net_coop`, `coop_share`, `conflict_weighted`, sorted by period and dyad.
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
#' @export
relation_scores <- function(events, by = c("year", "month"), directed = FALSE) {
  if (tb_is_db_source(events)) return(tb_db_relation_scores(events, by, directed))
  tb_check_data_frame(events, "events", character())
  tb_check_unique_cols(events, "events", tb_event_cols)
  by <- tb_check_choice(by, c("year", "month"), "by")
  directed <- tb_check_flag(directed, "directed")
  sides <- tb_event_sides(events)
  k <- tb_event_keys(events[[sides[1L]]], events[[sides[2L]]], sides[1L], sides[2L])
  counts_form <- all(quad_cols %in% names(events))
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
  tb_scores_frame(res, k$keys, by)
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

# Assemble the output of ffi_event_aggregate, sorted by period and dyad.
tb_scores_frame <- function(res, keys, by) {
  o <- order(res[[1]], res[[2]], res[[3]])
  # rows already in order (relation_scores() on a database table sorts them
  # before the C merge) are not copied
  if (is.unsorted(o)) res <- lapply(res, `[`, o)
  rm(o)
  p <- res[[1]]
  out <- if (by == "year") {
    data.frame(year = p)
  } else {
    data.frame(year = p %/% 12L, month = p %% 12L + 1L)
  }
  rm(p)
  out$actor <- keys[res[[2]]]
  out$target <- keys[res[[3]]]
  out$n_events <- res[[4]]
  out$goldstein_sum <- res[[5]]
  out$goldstein_mean <- out$goldstein_sum / out$n_events
  q <- res[6:9]
  names(q) <- quad_cols
  for (v in quad_cols) out[[v]] <- q[[v]]
  coop <- q$verb_coop + q$matl_coop
  conf <- q$verb_conf + q$matl_conf
  tot <- coop + conf
  out$net_coop <- coop - conf
  rm(conf)
  # shares are NA without events (as ifelse(tot > 0, ..., NA), always double,
  # without ifelse()'s copies)
  none <- which(!(tot > 0) | is.na(tot))
  share <- coop / tot
  rm(coop)
  share[none] <- NA_real_
  out$coop_share <- share
  rm(share)
  w <- tb_quad_weights()
  cw <- w[1] * q$verb_coop
  cw <- cw + w[2] * q$matl_coop
  cw <- cw + w[3] * q$verb_conf
  cw <- cw + w[4] * q$matl_conf
  cw <- cw / tot
  cw[none] <- NA_real_
  out$conflict_weighted <- cw
  out
}

#' Bounded cumulative relation level, in the style of Yan and Zhou (2004)
#'
#' A running score of the relation between two sides on \[-9, 9\], moved by
#' each event in date order and damped as it nears the bound it moves toward:
#' \deqn{s \leftarrow s + g\,(9 - s)/9 \quad (g > 0), \qquad
#'       s \leftarrow s + g\,(9 + s)/9 \quad (g < 0),}{s <- s + g (9 - s)/9 if g > 0, s + g (9 + s)/9 if g < 0,}
#' clamped to \[-9, 9\], where \eqn{g} is the event's Goldstein weight. The
#' score starts at `baseline`; at the start of each period after the first it
#' decays toward it: \eqn{s \leftarrow b + (s - b)(1 - \delta)}. The level
#' label follows the Tsinghua scale: hostile \[-9, -6), tense \[-6, -3), bad
#' \[-3, 0), ordinary \[0, 3), good \[3, 6), friendly \[6, 9\].
#'
#' This formula is ours, written in the style of the Tsinghua University
#' measurement of China's bilateral relations (Yan and Zhou 2004); it is not
#' their method or their data, whose event weights and scoring rules differ.
#'
#' The damping factor \eqn{(9 - s)/9} (or \eqn{(9 + s)/9}) is 1 at a score of
#' 0, shrinks toward the bound the event moves to and grows to 2 at the
#' opposite bound: a single +7 event at a score of -9 lands at +5. Goldstein
#' weights run to +-10, so single events move the score a long way; scale
#' the `goldstein` column of `events` down (e.g. by 0.1) for a slower score.
#' Events of the same date are applied in the order of their rows.
#'
#' The relation is undirected: an event counts when one of its parties is in
#' `actor` and the other in `target` (either way round). Events before
#' `start` or after `end` are dropped; periods without events only decay. An
#' event with an NA weight makes that period's score and all later ones NA.
#'
#' @param events An event table: `date`, `actor`, `target` and a `cameo` code
#'   or a `goldstein` weight (see [relation_scores()]).
#' @param actor,target Codes of the two sides (character or numeric, such as
#'   `"710"` and `"NATO"`); `NULL` for every actor or target in `events`.
#' @param start,end First and last day (`Date` or `"YYYY-MM-DD"`) or year;
#'   `NULL` for the first and last selected event.
#' @param by `"month"` or `"year"`.
#' @param decay Share of the distance to `baseline` lost per period, in
#'   \[0, 1\].
#' @param baseline Starting score and the value it decays toward, in
#'   \[-9, 9\].
#' @param members `FALSE` (default): `actor` and `target` match the codes in
#'   `events` literally. `TRUE`: a bloc name among them (as in [blocs], e.g.
#'   `"NATO"`) also matches events of the states that were members of the
#'   bloc on the event's date, so `target = "NATO", members = TRUE` scores
#'   China's relation with NATO and its member states together.
#' @return A data frame with `period` (the first day of the period, a
#'   `Date`), `n_events`, `score` (after the period's events) and `level` (an
#'   ordered factor).
#' @references
#' Yan, X. and Zhou, F. (2004). Quantitative measurement of China's relations
#' with major powers. *Journal of Tsinghua University (Philosophy and Social
#' Sciences)*, 19(6). See also Yan, X. et al. (2010), *Zhongwai guanxi
#' dingliang yuce* (Quantitative forecasts of China's foreign relations).
#'
#' Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events
#' data. *Journal of Conflict Resolution*, 36(2), 369-385.
#' @examples
#' ev <- data.frame(date = as.Date(c("2001-04-01", "2001-06-20", "2001-09-12")),
#'                  actor = c("710", "2", "710"), target = c("2", "710", "2"),
#'                  cameo = c("112", "036", "057"))
#' relation_level(ev, "710", "2", decay = 0.05)
#' @export
relation_level <- function(events, actor = NULL, target = NULL, start = NULL,
                           end = NULL, by = "month", decay = 0, baseline = 0,
                           members = FALSE) {
  if (tb_is_db_source(events)) {
    return(tb_db_relation_level(events, actor, target, start, end, by, decay, baseline,
                                members))
  }
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
  on_side <- function(keys, side) {
    if (is.null(side)) return(rep(TRUE, length(keys)))
    hit <- keys %in% side
    if (members) hit <- hit | tb_bloc_member_on(keys, date, side)
    hit
  }
  ina <- on_side(ea, actor)
  inb <- on_side(et, target)
  ina2 <- on_side(et, actor)
  inb2 <- on_side(ea, target)
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
                 as.integer(np), decay, baseline)
  data.frame(period = period,
             n_events = tabulate(pidx, nbins = np),
             score = score,
             level = tb_relation_level_label(score))
}

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
# (role "member") of one of the blocs in `sides` on `date`.
tb_bloc_member_on <- function(keys, date, sides) {
  known <- unique(tb_data("blocs")$bloc)
  b <- known[tolower(known) %in% tolower(sides)]
  if (!length(b) || !length(keys)) return(logical(length(keys)))
  ok <- !is.na(date)
  m <- bloc_members(b, unique(date[ok]), role = "member")
  ok & paste(keys, as.integer(date)) %in% paste(m$ccode, as.integer(m$date))
}
