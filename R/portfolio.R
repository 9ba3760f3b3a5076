# Alliance and UN-vote portfolios from the packaged tables, scored by the
# similarity engine: alliance_similarity() passes ATOP alliance rows and the
# state spells, vote_similarity() the selected roll calls and the votes, to
# src/portfolio.c, which builds each year's portfolios and hands them to the
# engine of src/similarity.c (measures and method codes: R/similarity.R).

#' Alliance-portfolio similarity of every dyad-year
#'
#' Scores how alike the alliance portfolios of every pair of system members
#' are, year by year, from ATOP obligations ([alliances]). The portfolio of a
#' state in a year is its alliance code with every system member of that year
#' (from [states]: a member in year t if a spell overlaps t), itself included
#' at the top code. Valued coding: 3 = defense or offense pact, 2 =
#' neutrality or consultation only, 1 = non-aggression only, 0 = none; binary
#' coding: 1 = any obligation. The measures are those of [similarity()], with
#' levels 0:3 (valued) or 0:1 (binary).
#'
#' NA behaviour: years outside ATOP's coverage (1815–2018) are NA with a
#' coverage warning. With `weighted = TRUE`, items (partners) without a CINC
#' that year are dropped.
#'
#' @param years Integer years; `NULL` (default) for every year ATOP covers
#'   within the state system, 1816-2018.
#' @param coding `"valued"` (default) or `"binary"`.
#' @param method One or more of `"s"`, `"kappa"`, `"pi"`, `"taub"`, `"agree"`.
#' @param distance `"squared"` (default) or `"absolute"`. Signorino and
#'   Ritter's original S, as EUGene computes it, uses absolute distance: set
#'   `distance = "absolute"` to compare with it.
#' @param weighted If `TRUE`, weight each partner by its CINC that year
#'   ([capabilities]).
#' @param directed `FALSE` (default): one row per pair, `ccode1 < ccode2`;
#'   `TRUE`: both orientations, (a, b) and (b, a) with the same scores, for
#'   joins to directed dyad-years.
#' @param names `TRUE` to add the states' names as `state_name1` and
#'   `state_name2`.
#' @param from,to,states `NULL` (default: every dyad) or states (names, ISO3
#'   codes, CoW abbreviations or ccodes, see [state_ccode()]; names resolved
#'   in each of `years`) restricting the dyads returned: with `states`, both
#'   states of a dyad are among them; with `from` and `to`, one is in `from`
#'   and the other in `to` (either way round; with `directed = TRUE`, the
#'   rows whose `ccode1` is in `from` and `ccode2` in `to`).
#'   The portfolios and scores are those of all system members: restricting
#'   the dyads does not change a dyad's score.
#' @return A data frame `year`, `ccode1`, `ccode2` (integers, `ccode1 <
#'   ccode2` unless `directed = TRUE`, every pair of system members, or those
#'   selected) and one column per method, sorted by year, `ccode1` and
#'   `ccode2`. It carries the sources it used in `attr(, "sources")` (see
#'   [sources()]).
#' @references
#' Signorino, C. S. and Ritter, J. M. (1999). Tau-b or not tau-b: Measuring
#' the similarity of foreign policy positions. *International Studies
#' Quarterly* 43(1), 115–144. \doi{10.1111/0020-8833.00113}
#'
#' Häge, F. M. (2011). Choice or circumstance? Adjusting measures of foreign
#' policy similarity for chance agreement. *Political Analysis* 19(3),
#' 287–305. \doi{10.1093/pan/mpr023}
#'
#' Bueno de Mesquita, B. (1975). Measuring systemic polarity. *Journal of
#' Conflict Resolution* 19(2), 187–216. \doi{10.1177/002200277501900201}
#'
#' Leeds, B. A., Ritter, J. M., Mitchell, S. M. and Long, A. G. (2002).
#' Alliance treaty obligations and provisions, 1815–1944. *International
#' Interactions* 28(3), 237–260. \doi{10.1080/03050620212098}
#' @examples
#' a <- alliance_similarity(2000)
#' a[a$ccode1 == 2 & a$ccode2 %in% c(200, 365, 710), ]
#' # both orientations, with names, for a join to directed dyad-years
#' b <- alliance_similarity(2000, method = "s", directed = TRUE, names = TRUE)
#' b[b$ccode1 == 710 & b$ccode2 == 2, ]
#' alliance_similarity(2000, from = "USA", to = c("UK", "Russia", "China"))
#' @export
alliance_similarity <- function(years = NULL, coding = c("valued", "binary"),
                                method = c("s", "kappa", "pi", "taub"),
                                distance = c("squared", "absolute"), weighted = FALSE,
                                directed = FALSE, names = FALSE,
                                from = NULL, to = NULL, states = NULL) {
  # ATOP years within the state system (the coverage table)
  al_cov <- tb_cov("alliances")
  st_cov <- tb_cov("states")
  cov <- c(max(al_cov[1L], st_cov[1L]), al_cov[2L])
  if (is.null(years)) years <- cov[1L]:cov[2L]
  years <- tb_check_years(years, "years", cov, tb_cov_label("alliances"))
  # no dyads outside the state system; later member years give NA rows
  years <- years[years >= st_cov[1L] & years <= st_cov[2L]]
  coding <- tb_check_choice(coding, c("valued", "binary"), "coding")
  method <- tb_check_choice(method, sim_methods, "method", several = TRUE)
  distance <- tb_check_choice(distance, c("squared", "absolute"), "distance")
  weighted <- tb_check_flag(weighted, "weighted")
  al <- tb_data("alliances")
  cap <- if (weighted) {
    cp <- tb_data("capabilities")
    list(cp$year, cp$ccode, as.double(cp$cinc))
  }
  # portfolios are built in C from the alliance rows and the state spells
  out <- .Call(C_ffi_alliance_similarity, sort(unique(years)), tb_sim_state_years(),
               list(al$year, al$ccode1, al$ccode2, al$defense, al$offense, al$neutral,
                    al$nonagg, al$consul),
               if (coding == "valued") 1L else 2L, al_cov, cap,
               if (distance == "absolute") 1L else 2L, unname(sim_method_codes[method]))
  names(out) <- c("year", "ccode1", "ccode2", method)
  out <- tb_sim_select(tb_dyad_output(out, directed, names), from, to, states, years,
                       directed)
  tb_with_sources(out, c("states", "alliances", if (weighted) "capabilities"))
}

# Both orientations of an undirected result (a list of columns, one row per
# pair): the rows with the two key columns swapped added, sorted by period
# and keys.
tb_both_orientations <- function(cols, period, k1, k2) {
  swap <- cols
  swap[[k1]] <- cols[[k2]]
  swap[[k2]] <- cols[[k1]]
  cols <- Map(c, cols, swap)
  o <- order(cols[[period]], cols[[k1]], cols[[k2]])
  lapply(cols, `[`, o)
}

# A dyad-year result (list of columns year, ccode1, ccode2, ..., one row per
# pair with ccode1 < ccode2, sorted) as a data frame: with directed = TRUE
# both orientations (sorted again), with names = TRUE the states' names.
tb_dyad_output <- function(cols, directed = FALSE, names = FALSE) {
  directed <- tb_check_flag(directed, "directed")
  names <- tb_check_flag(names, "names")
  if (directed) cols <- tb_both_orientations(cols, "year", "ccode1", "ccode2")
  if (names) {
    cols$state_name1 <- tb_state_name(cols$ccode1)
    cols$state_name2 <- tb_state_name(cols$ccode2)
  }
  tb_sim_as_df(cols)
}

# Rows of a similarity result whose dyad has both states in `states`, and one
# state in `from` and the other in `to` (either way round for an undirected
# result, ccode1 in `from` and ccode2 in `to` for a directed one); NULL keeps
# all. States by name are resolved in each of `years` (every code a name had
# in them).
tb_sim_select <- function(x, from, to, states, years, directed = FALSE) {
  if (is.null(from) && is.null(to) && is.null(states)) return(x)
  yrs <- sort(unique(years))
  f <- tb_threat_states(from, "from", yrs)
  t <- tb_threat_states(to, "to", yrs)
  s <- tb_threat_states(states, "states", yrs)
  inn <- function(cc, set) if (is.null(set)) rep(TRUE, length(cc)) else cc %in% set
  a <- x$ccode1; b <- x$ccode2
  ft <- inn(a, f) & inn(b, t)
  keep <- inn(a, s) & inn(b, s) & (if (isTRUE(directed)) ft else ft | (inn(b, f) & inn(a, t)))
  if (all(keep)) return(x)
  out <- x[keep, , drop = FALSE]
  rownames(out) <- NULL
  out
}

# State spells as list(ccode, first year, last year), integer: the spells
# table of the state lookup (R/states.R), computed once per session.
tb_sim_state_years <- function() {
  sp <- tb_state_lookup()$spells
  list(as.integer(sp$ccode), sp$first, sp$last)
}

#' UN General Assembly vote similarity of every dyad-year
#'
#' Scores how alike the votes of every pair of states are in the roll calls
#' of each calendar year ([unga_votes], [unga_rollcalls]), with votes coded 1
#' yes, 2 abstain, 3 no (levels 1:3). The actors of a year are the states
#' that voted at least once in its selected roll calls. Agreement counts
#' identical votes 1, one abstention 0.5 and opposite votes 0.
#'
#' NA behaviour: absences are missing and dropped pairwise; `n` counts the
#' roll calls on which both states voted; scores are NA when `n` is 0.
#' Years without roll calls (1964) have no rows.
#'
#' @section Ideal-point distance:
#' `method = "ideal"` adds the column `ideal_distance`, \eqn{|\theta_i -
#' \theta_j|}{|theta_i - theta_j|}, the distance between the two states' dynamic ideal points
#' ([ideal_points()], Bailey, Strezhnev & Voeten 2017) in the General
#' Assembly session that opens in that year: session \eqn{n} is year
#' \eqn{1945 + n}, as in [ideal_points()] (a session opens in September and
#' most of its votes fall before the new year). It is a **distance, not a
#' similarity in \[0, 1\]**: 0 for states with the same ideal point, larger for
#' states further apart, with no fixed upper bound (the largest distance of a
#' year, the spread of its ideal points, grew from 4.3 in 2000 to 6.35 in
#' 2021; the United States and China were 4.3 apart in 2019, Russia and China
#' 0.6). The ideal points are those of [ideal_points()] at its defaults,
#' fitted once on every session with votes (2-3 CPU seconds) and kept for the
#' rest of the R session, so repeated calls are instant; `important`,
#' `issue` and `distance` do not apply to them (`important` and `issue` are
#' an error with `"ideal"`). The rows are those of the other methods (the
#' states voting in the year's roll calls); `ideal_distance` is NA when
#' either state has no ideal point in that session (it cast no vote the model
#' uses, or no session opens that year, as for 2026). `"ideal"`
#' mixes with the other methods: one more column.
#'
#' @param years Integer years (calendar year of the roll call); `NULL`
#'   (default) for every year with a full session of roll calls, 1946-2025.
#'   The data end in June 2026, in the first months of session 80: 2026 (11
#'   roll calls) gives a warning and scores on few votes. Years without roll
#'   calls have no rows and cost nothing. From session 75 (2020) on, the
#'   roll calls come from the UN's machine-readable extract, which has no
#'   `important` flag or issue tags: with `important = TRUE` or `issue`,
#'   2020-2026 have no rows.
#' @param method One or more of `"agree"`, `"s"`, `"kappa"`, `"pi"`, `"taub"`,
#'   `"ideal"` (the distance of ideal points, see the section below).
#' @param important If `TRUE`, only roll calls flagged important by the US
#'   State Department.
#' @param issue `NULL` or one or more issue tags (`"me"` Middle East, `"nu"`
#'   nuclear weapons, `"di"` disarmament, `"hr"` human rights, `"co"`
#'   colonialism, `"ec"` economic development): roll calls with any of them.
#' @param distance `"squared"` (default) or `"absolute"`, for S, kappa and pi.
#' @inheritParams alliance_similarity
#' @return A data frame `year`, `ccode1`, `ccode2` (integers, `ccode1 <
#'   ccode2` unless `directed = TRUE`), `n` and one column per method, in
#'   the order of `method`, named as the method (`ideal_distance` for
#'   `"ideal"`), sorted by year, `ccode1` and `ccode2`. It carries the
#'   sources it used in `attr(, "sources")` (see [sources()]).
#' @references
#' Voeten, E., Strezhnev, A. and Bailey, M. (2009). United Nations General
#' Assembly Voting Data. Harvard Dataverse. \doi{10.7910/DVN/LEJUQZ}
#'
#' Lijphart, A. (1963). The analysis of bloc voting in the General Assembly:
#' A critique and a proposal. *American Political Science Review* 57(4),
#' 902–917. \doi{10.2307/1952608}
#'
#' Signorino, C. S. and Ritter, J. M. (1999). Tau-b or not tau-b: Measuring
#' the similarity of foreign policy positions. *International Studies
#' Quarterly* 43(1), 115–144. \doi{10.1111/0020-8833.00113}
#'
#' Häge, F. M. (2011). Choice or circumstance? Adjusting measures of foreign
#' policy similarity for chance agreement. *Political Analysis* 19(3),
#' 287–305. \doi{10.1093/pan/mpr023}
#'
#' Bailey, M. A., Strezhnev, A. and Voeten, E. (2017). Estimating dynamic
#' state preferences from United Nations voting data. *Journal of Conflict
#' Resolution* 61(2), 430--456. \doi{10.1177/0022002715595700}
#' @seealso [ideal_points()] for the ideal points behind `"ideal"`.
#' @examples
#' v <- vote_similarity(2015, method = c("agree", "kappa"))
#' v[v$ccode1 == 2 & v$ccode2 %in% c(200, 365, 710), ]
#' vote_similarity(2015, method = "agree", directed = TRUE, names = TRUE)[1:3, ]
#' vote_similarity(2015, method = "agree", states = c("USA", "China", "Russia"))
#' \donttest{
#' # ideal-point distance (fits the ideal points once: a few seconds)
#' d <- vote_similarity(2019, method = c("agree", "ideal"))
#' d[d$ccode1 == 2 & d$ccode2 %in% c(200, 365, 710), ]
#' }
#' @export
vote_similarity <- function(years = NULL, method = c("agree", "s", "kappa", "pi"),
                            important = FALSE, issue = NULL,
                            distance = c("squared", "absolute"),
                            directed = FALSE, names = FALSE,
                            from = NULL, to = NULL, states = NULL) {
  rc <- tb_data("unga_rollcalls")
  if (is.null(years)) years <- seq(tb_cov("votes")[1L], tb_cov("votes")[2L])
  years <- tb_check_years(years, "years", range(rc$year), tb_cov_label("votes"))
  method <- tb_check_choice(method, c(sim_methods, "ideal"), "method", several = TRUE)
  important <- tb_check_flag(important, "important")
  issues <- c("me", "nu", "di", "hr", "co", "ec")
  if (!is.null(issue)) issue <- tb_check_choice(issue, issues, "issue", several = TRUE)
  if ("ideal" %in% method && (important || !is.null(issue))) {
    what <- if (important) "`important = TRUE`" else "`issue`"
    tb_abort(sprintf("`method = \"ideal\"` is the distance of ideal points fitted on all votes and cannot be restricted by %s; ask for \"ideal\" in a call without %s.",
                     what, what))
  }
  distance <- tb_check_choice(distance, c("squared", "absolute"), "distance")
  # only years with roll calls reach the C code (the output has no rows for
  # the others), so a long vector of years costs nothing
  yrs <- tb_unique_int(years[years %in% rc$year])
  # flag thin years (the data end in the first months of a session)
  nrc <- tabulate(match(rc$year, yrs), nbins = length(yrs))
  thin <- yrs[nrc > 0L & nrc < 20L]
  # (the ideal points of a session rest on all its votes: no warning for them)
  if (length(thin) && any(method != "ideal")) {
    tb_warn(sprintf("`years` includes %s with fewer than 20 roll calls (%s): similarity there rests on very few votes; see column `n`.",
                    if (length(thin) > 1L) "years" else "a year", paste(thin, collapse = ", ")))
  }
  rc <- tb_sim_rollcalls(rc, yrs, important, issue)
  v <- tb_data("unga_votes")
  # votes are grouped by year and coded in C; the rows (the year's voters)
  # come from there also for method = "ideal" alone ("agree" computed and
  # dropped)
  sim <- setdiff(method, "ideal")
  run <- if (length(sim)) sim else "agree"
  out <- .Call(C_ffi_vote_similarity, yrs, rc$rcid, match(rc$year, yrs),
               list(v$rcid, v$ccode, v$vote), if (distance == "absolute") 1L else 2L,
               unname(sim_method_codes[run]))
  names(out) <- c("year", "ccode1", "ccode2", "n", run)
  if ("ideal" %in% method) {
    d <- tb_ideal_distance(yrs)
    out$ideal_distance <- d$distance[match(tb_dy_key(out$year, out$ccode1, out$ccode2),
                                           tb_dy_key(d$year, d$ccode1, d$ccode2))]
  }
  cols <- ifelse(method == "ideal", "ideal_distance", method)
  out <- tb_sim_select(tb_dyad_output(out[c("year", "ccode1", "ccode2", "n", cols)],
                                      directed, names),
                       from, to, states, years, directed)
  tb_with_sources(out, c("votes", if ("ideal" %in% method) "ideal"))
}

# The selected roll calls of the sorted years yrs (rcid, year), sorted by year
# then rcid.
tb_sim_rollcalls <- function(rc, yrs, important, issue) {
  sel <- rc$year %in% yrs
  if (important) sel <- sel & !is.na(rc$important) & rc$important == 1L
  if (!is.null(issue)) {
    tag <- Reduce(`|`, lapply(rc[issue], function(x) !is.na(x) & x))
    sel <- sel & tag
  }
  rc <- list(rcid = rc$rcid[sel], year = rc$year[sel])
  o <- order(rc$year, rc$rcid)
  list(rcid = rc$rcid[o], year = rc$year[o])
}
