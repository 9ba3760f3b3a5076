# Dynamic UN ideal points (Bailey, Strezhnev & Voeten 2017): the design built
# from the votes and roll calls (state-sessions, bridge classes, categories),
# the starting values, the call of the C EM and bootstrap (src/ideal.c), the
# tb_ideal methods, and the dyadic distance helper used by other measures.

#' Dynamic ideal points of states from UN General Assembly votes
#'
#' Estimates one ideal point per state and General Assembly session from every
#' recorded vote, with the dynamic ordinal model of Bailey, Strezhnev & Voeten
#' (2017): yes, abstain and no are three ordered answers, each state's position
#' follows a random walk across sessions, and roll calls with the same text in
#' different sessions share their parameters, which keeps the scale comparable
#' over time when the agenda changes.
#'
#' @section Model:
#' For state \eqn{i} in session \eqn{t} voting on roll call \eqn{j} of bridge
#' class \eqn{c(j)}, a latent \eqn{z = \beta_c \theta_{it} + \epsilon},
#' \eqn{\epsilon \sim N(0, 1)}, is read as yes when \eqn{z \le \tau_{1c}},
#' abstain when \eqn{\tau_{1c} < z \le \tau_{2c}} and no when
#' \eqn{z > \tau_{2c}}: two ordered cutpoints per class, so an abstention is
#' information, not a missing vote. A class in which only two of the three
#' answers occur (common before the 1960s, when few states abstained) has one
#' cutpoint, between the two answers it uses; a class with a single answer (a
#' unanimous vote) carries no information and is dropped (the count is
#' `attr(x, "fit")$dropped`). `model = "binary"` is the yes/no model of
#' emIRT's `dynIRT` (Imai, Lo & Olmsted 2016): abstentions are left out and
#' every class has one cutpoint.
#'
#' A state's ideal point follows a random walk over the sessions in which it
#' votes: \eqn{\theta_{i,first} \sim N(0, 1)} and \eqn{\theta_{it} \sim
#' N(\theta_{i,t'}, (t - t')\,\omega^2)} after its previous session \eqn{t'}
#' (a session without a vote widens the step). `evolution = "estimate"` (the
#' default) estimates \eqn{\omega^2} (inverse-gamma(1, 0.01) prior; about 0.03
#' on all votes); a number fixes it. Every ideal point also has a
#' \eqn{N(0,}`population`\eqn{)} prior (variance 1 by default; `Inf` turns it
#' off): with the item parameters free in each session, a random walk alone
#' leaves the location and scale of each session to the few roll calls bridged
#' across sessions, and they drift over decades (in our fits without it, the
#' mean of the later sessions drifted by more than a standard deviation and
#' extreme states ran off, away from the published estimates). Priors on the
#' items: \eqn{\beta \sim N(0, 1)}, cutpoints \eqn{N(0, 25)}. Bailey,
#' Strezhnev & Voeten do not publish these settings; they are our choices,
#' made on the UN data against the published estimates.
#'
#' @section Bridging:
#' `bridge = "text"` builds the classes from the roll-call descriptions. Only
#' votes on a whole resolution (not on an amendment or a paragraph: `amend` and
#' `para` not 1) are bridged. A text, upper-cased, reduced to its letters (so
#' that session numbers, years and punctuation do not matter) and without the
#' suffix ": resolution / adopted by the General Assembly", bridges when it
#' belongs to exactly one roll call in each of at least two sessions; a text
#' that occurs twice in one session (parts A and B of a resolution, separate
#' votes) does not, since the two resolutions differ. The description `descr`
#' (the resolution's title in most sessions) is tried first, then the short
#' title `short` (or `descr` where `short` is empty); every other roll call is
#' a class of its own. This is our reading of the paper's "identical
#' resolutions" from the texts the data carry. `bridge = "none"` makes every
#' roll call its own class; a data frame with columns `rcid` and `class` is a
#' map of your own (roll calls missing from it, or with an `NA` class, stand
#' alone).
#'
#' @section Identification:
#' The sign is fixed by `anchor`: the anchor state's mean ideal point is
#' positive (the United States by default, as in the published estimates, so
#' the US side of the scale is the positive one). Location and scale are fixed
#' by the priors (the \eqn{N(0, 1)} of a state's first session and of every
#' ideal point, the random walk), not by standardizing afterwards: compare
#' ideal points within one fit, or correlate across fits.
#'
#' @section Estimation:
#' An EM-type algorithm in C over the sparse list of votes (9 bytes a vote:
#' the state-session and class indices and the answer; no states x roll calls
#' matrix). Each iteration (1) takes every vote's truncated-normal moments at
#' the current values and, from them, one Newton step for each class's slope
#' and cutpoints (kept ordered by step halving); (2) takes the moments again
#' at the new items, which give the score and information of every
#' state-session, and one Newton step for each state's path, computed exactly
#' by a Kalman filter and smoother over its sessions (the smoother's variances
#' are the posterior variances of the ideal points); (3) moves along the one
#' direction the likelihood cannot see, \eqn{\theta \to k(\theta + c)} with
#' the items compensating, to the best value of the priors (a
#' parameter-expansion step, Liu, Rubin & Wu 1998); (4) updates
#' \eqn{\omega^2}. The moments use tail formulas that stay accurate far into
#' the tails: Mills ratios from polynomial pieces (relative error below 5e-15)
#' and never a difference of two probabilities near 1. The iterations are
#' accelerated by Anderson mixing of the last five (Walker & Ni 2011). They stop
#' when an iteration moves no ideal point by `tol` or more, or after `maxit`
#' (with a warning); the count and the convergence flag are in
#' `attr(x, "fit")`. Plain EM (the truncated-normal bound on the curvature of
#' every vote) was tried first: on all votes it had not converged after 2,000
#' iterations. Starting values: each state-session's agreement with the
#' anchor, standardized within the session. An iteration is never an error:
#' separated classes are held by their priors, states with one vote and
#' sessions without votes by the random walk.
#'
#' @section Standard errors:
#' `se = "bootstrap"` is a parametric bootstrap in C: each of `draws`
#' replicates draws every vote again from the fitted model (ideal points at
#' their estimates), refits warm-started from the fit, and fixes the sign by
#' the anchor; `se` is the standard deviation of each ideal point over the
#' replicates. Each replicate has its own stream of MRG32k3a (L'Ecuyer 1999),
#' a generator whose arithmetic is exact in doubles, so that the numbers are
#' the same on every machine; the six seed values of each stream are drawn
#' with R's generator (after `set.seed(seed)` when `seed` is given, leaving
#' the caller's random state as it was). The same `seed` gives the same
#' standard errors, and replicate \eqn{r} does not depend on `draws`.
#' Replicates stop at `max(tol, 1e-3)`: their spread (typically 0.05 to 0.3)
#' dwarfs that error, and 100 replicates of all votes take about two minutes.
#'
#' @param years years whose sessions to use (session \eqn{n} opens in year
#'   \eqn{1945 + n}); `NULL`, the default, for every session with votes.
#' @param model `"ordinal"` (yes / abstain / no) or `"binary"` (yes / no,
#'   abstentions left out).
#' @param bridge `"text"`, `"none"`, or a data frame with columns `rcid` and
#'   `class` (see Bridging).
#' @param anchor a state (name or CoW code) whose ideal point is made positive.
#' @param se `"none"` or `"bootstrap"`.
#' @param draws number of bootstrap replicates, 2 to 10,000.
#' @param seed `NULL` or a whole number: the seed of the bootstrap streams.
#' @param evolution `"estimate"`, or the random-walk variance \eqn{\omega^2}
#'   per session, a number in (0, 10].
#' @param population variance of the prior on every ideal point (`Inf`: none).
#' @param tol convergence threshold on the largest change of an ideal point in
#'   one iteration.
#' @param maxit the largest number of iterations (per bootstrap replicate
#'   too).
#' @param votes,rollcalls `NULL` for the packaged [unga_votes] and
#'   [unga_rollcalls], or data frames of the same form (`votes`: `rcid`,
#'   `ccode`, `vote` coded 1 yes, 2 abstain, 3 no; `rollcalls`: `rcid`,
#'   `session`, and for `bridge = "text"` the text columns `short` and
#'   `descr`, optionally `amend` and `para`).
#' @return A data frame of class `tb_ideal` (carrying `attr(, "sources")`,
#'   see [sources()]), one row per state-session with at
#'   least one vote used, sorted by `ccode` and `session`: `ccode`, `session`,
#'   `year` (1945 + session), `ideal` (posterior mean), `se` (bootstrap
#'   standard error, `NA` without the bootstrap) and `n_votes`. Its attribute
#'   `"fit"` holds the iterations, convergence flag, largest last change,
#'   random-walk variance, counts of votes, roll calls, classes (bridged and
#'   dropped), the anchor, the class parameters (`items`: `class`, `ordinal`,
#'   `n_rollcalls`, `n_votes`, `beta`, `cut1`, `cut2`), the posterior variances
#'   (`variance`, one per row) and, with the bootstrap, each replicate's
#'   iterations and convergence.
#'
#'   NA: absent members have no row for a roll call and an `NA` vote is treated
#'   as an absence; a state has no ideal point in a session in which it cast no
#'   vote the model uses (its path runs on through the gap).
#' @references
#' Bailey, M. A., Strezhnev, A. and Voeten, E. (2017). Estimating dynamic
#' state preferences from United Nations voting data. *Journal of Conflict
#' Resolution* 61(2), 430--456. \doi{10.1177/0022002715595700}
#'
#' Imai, K., Lo, J. and Olmsted, J. (2016). Fast estimation of ideal points
#' with massive data. *American Political Science Review* 110(4), 631--656.
#'
#' L'Ecuyer, P. (1999). Good parameters and implementations for combined
#' multiple recursive random number generators. *Operations Research* 47(1),
#' 159--164.
#'
#' Liu, C., Rubin, D. B. and Wu, Y. N. (1998). Parameter expansion to
#' accelerate EM: the PX-EM algorithm. *Biometrika* 85(4), 755--770.
#'
#' Walker, H. F. and Ni, P. (2011). Anderson acceleration for fixed-point
#' iterations. *SIAM Journal on Numerical Analysis* 49(4), 1715--1735.
#' @seealso [bsv_ideal_points], the published estimates; [plot.tb_ideal()].
#' @examples
#' x <- ideal_points(years = 2010:2015)
#' x
#' x[x$ccode %in% c(2, 365, 710) & x$year == 2015, ]
#' \donttest{
#' b <- ideal_points(years = 2012:2015, se = "bootstrap", draws = 20, seed = 1)
#' plot(b, states = c("United States", "Russia", "China", "India"))
#' }
#' @export
ideal_points <- function(years = NULL, model = c("ordinal", "binary"), bridge = "text",
                         anchor = "United States", se = c("none", "bootstrap"), draws = 100,
                         seed = NULL, evolution = "estimate", population = 1, tol = 1e-4,
                         maxit = 500L, votes = NULL, rollcalls = NULL) {
  model <- tb_check_choice(model, c("ordinal", "binary"), "model")
  se <- tb_check_choice(se, c("none", "bootstrap"), "se")
  draws <- tb_check_integerish(draws, "draws", len = 1L, min = 2, max = 10000, allow_na = FALSE)
  if (!is.null(seed)) seed <- tb_check_integerish(seed, "seed", len = 1L, allow_na = FALSE)
  tol <- tb_check_numeric(tol, "tol", len = 1L, min = 1e-12, max = 1, allow_na = FALSE)
  maxit <- tb_check_integerish(maxit, "maxit", len = 1L, min = 1, max = 1e5, allow_na = FALSE)
  est_evo <- identical(evolution, "estimate")
  if (!est_evo) {
    evolution <- tb_check_numeric(evolution, "evolution", len = 1L, min = 1e-8, max = 10,
                               allow_na = FALSE)
  }
  population <- tb_check_numeric(population, "population", len = 1L, min = 1e-4, max = Inf,
                              allow_na = FALSE)
  data <- tb_ideal_data(votes, rollcalls)
  rc <- tb_ideal_sessions(data$rollcalls, years)
  anchor_cc <- tb_ideal_anchor(anchor)
  classes <- tb_ideal_classes(rc, bridge)
  d <- tb_ideal_design(data$votes, rc, classes, model, anchor_cc)
  a_state <- match(anchor_cc, d$state_ccode)
  if (is.na(a_state)) {
    tb_abort(sprintf("The anchor state (ccode %d) casts no vote in the sessions selected; choose another `anchor`.",
                     anchor_cc))
  }
  opts <- tb_ideal_opts(maxit, tol, est_evo, population, a_state - 1L)
  start <- tb_ideal_start(d, if (est_evo) 0.05 else evolution)
  fit <- .Call(C_ffi_ideal_fit, d$design, start, opts)
  boot <- NULL
  sev <- rep(NA_real_, length(fit$m))
  if (se == "bootstrap") {
    # replicates stop at max(tol, 1e-3): their spread (the standard error,
    # typically 0.05 to 0.3) dwarfs an error of 1e-3
    bopts <- opts
    bopts$tol <- max(tol, 1e-3)
    boot <- .Call(C_ffi_ideal_boot, d$design, fit, tb_ideal_seeds(draws, seed), bopts)
    sev <- boot$se
  }
  tb_ideal_result(d, fit, sev, boot, model = model, bridge = bridge, anchor = anchor_cc,
                  est_evo = est_evo, draws = if (is.null(boot)) 0L else draws, seed = seed,
                  sources = if (is.null(votes)) "votes" else attr(votes, "sources", exact = TRUE))
}

# Settings of the C iterations (src/ideal.c reads them by name).
tb_ideal_opts <- function(maxit, tol, est_evo, population, anchor, accelerate = 5L) {
  list(maxit = as.integer(maxit), tol = as.double(tol),
       estimate_evolution = as.integer(est_evo), expand = 1L, accelerate = as.integer(accelerate),
       prior_var = 1, beta_var = 1, cut_var = 25, max_step = 2,
       pop_prec = if (is.finite(population)) 1 / population else 0,
       evolution_shape = 1, evolution_scale = 0.01, anchor = as.integer(anchor))
}

# The votes and roll calls, checked: the packaged tables by default.
tb_ideal_data <- function(votes, rollcalls) {
  packaged <- is.null(votes) && is.null(rollcalls)
  if (is.null(votes)) votes <- tb_data("unga_votes")
  if (is.null(rollcalls)) rollcalls <- tb_data("unga_rollcalls")
  if (packaged) {  # checked by the datasets' tests
    cols <- c("rcid", "session", "short", "descr", "resolution", "amend", "para")
    return(list(votes = list(rcid = votes$rcid, ccode = votes$ccode, vote = votes$vote),
                rollcalls = rollcalls[intersect(cols, names(rollcalls))]))
  }
  votes <- tb_check_data_frame(votes, "votes", c("rcid", "ccode", "vote"))
  rollcalls <- tb_check_data_frame(rollcalls, "rollcalls", c("rcid", "session"))
  rcid <- tb_check_integerish(votes$rcid, "votes$rcid")
  ccode <- tb_check_integerish(votes$ccode, "votes$ccode", min = 0, max = tb_ccode_max,
                            allow_na = FALSE)
  vote <- tb_check_integerish(votes$vote, "votes$vote", min = 1, max = 3)
  rrcid <- tb_check_integerish(rollcalls$rcid, "rollcalls$rcid", allow_na = FALSE)
  if (anyDuplicated(rrcid)) {
    tb_abort(sprintf("`rollcalls$rcid` must be unique; %d is repeated.",
                     rrcid[anyDuplicated(rrcid)]))
  }
  session <- tb_check_integerish(rollcalls$session, "rollcalls$session", min = 1, max = 5000)
  key <- rcid * 1000 + ccode  # doubles: exact
  if (anyDuplicated(key[!is.na(vote)])) {
    tb_abort("`votes` has more than one vote of a state on a roll call.")
  }
  rc <- data.frame(rcid = rrcid, session = session, stringsAsFactors = FALSE)
  for (col in c("short", "descr", "resolution")) {
    x <- rollcalls[[col]]
    rc[[col]] <- if (is.null(x)) NA_character_ else if (is.factor(x) || is.character(x))
      as.character(x) else tb_abort(sprintf("`rollcalls$%s` must be character.", col))
  }
  for (col in c("amend", "para")) {
    x <- rollcalls[[col]]
    rc[[col]] <- if (is.null(x)) NA_integer_ else
      tb_check_integerish(x, sprintf("rollcalls$%s", col))
  }
  list(votes = list(rcid = rcid, ccode = ccode, vote = vote), rollcalls = rc)
}

# Roll calls of the sessions opening in `years` (all with NULL).
tb_ideal_sessions <- function(rc, years) {
  rc <- rc[!is.na(rc$session), , drop = FALSE]
  if (!nrow(rc)) tb_abort("`rollcalls` has no roll call with a session.", class = "coverage")
  if (is.null(years)) return(rc)
  years <- tb_check_integerish(years, "years", allow_na = FALSE)
  if (!length(years)) tb_abort("`years` must hold at least one year.")
  have <- unique(rc$session) + 1945L
  miss <- setdiff(years, have)
  if (length(miss) == length(unique(years))) {
    tb_abort(sprintf("No General Assembly session with recorded votes opens in `years` (%s); sessions with votes open in %d-%d.",
                     paste(range(years), collapse = "-"), min(have), max(have)),
             class = "coverage")
  }
  if (length(miss)) {
    tb_warn(sprintf("%d of the years in `years` open no session with recorded votes (%s); they have no rows.",
                    length(miss), paste(utils::head(sort(miss), 5L), collapse = ", ")))
  }
  rc[(rc$session + 1945L) %in% years, , drop = FALSE]
}

tb_ideal_anchor <- function(anchor) {
  if (length(anchor) != 1L || is.list(anchor)) {
    tb_abort(sprintf("`anchor` must be one state (a name or a CoW code), not %s.",
                     tb_describe(anchor)))
  }
  cc <- state_ccode(anchor, arg = "anchor")
  if (is.na(cc)) tb_abort("`anchor` must be a state, not NA.", class = "unknown_state")
  cc
}

# Normalized text: upper case, letters only, without the suffix ": resolution
# / adopted by the General Assembly"; NA when empty.
tb_ideal_norm_text <- function(txt) {
  txt <- toupper(txt)
  txt <- sub(":\\s*RESOLUTION\\s*/\\s*ADOPTED BY THE GENERAL ASSEMBLY.*$", "", txt, perl = TRUE,
             useBytes = TRUE)
  txt <- gsub("^ | $", "", gsub("[^A-Z]+", " ", txt, perl = TRUE, useBytes = TRUE), perl = TRUE)
  txt[!is.na(txt) & !nzchar(txt)] <- NA_character_
  txt
}

# Keys that bridge: a key held by exactly one roll call in each session it
# occurs in, in at least two sessions; NA for the others.
tb_ideal_bridge_keys <- function(key, session) {
  ks <- paste(key, session, sep = "\r")
  key[ks %in% ks[duplicated(ks)]] <- NA_character_
  have <- which(!is.na(key))
  id <- match(key[have], unique(key[have]))
  nsess <- tabulate(id)  # sessions per key: each (key, session) is now unique
  key[have[nsess[id] < 2L]] <- NA_character_
  key
}

# Bridge class of each roll call, 1..K; attribute "bridged": the number of
# classes that span more than one session.
tb_ideal_classes <- function(rc, bridge) {
  n <- nrow(rc)
  if (is.character(bridge) && length(bridge) == 1L && !is.na(bridge) &&
      bridge %in% c("text", "none")) {
    if (bridge == "none") return(structure(seq_len(n), bridged = 0L))
    whole <- (is.na(rc$amend) | rc$amend != 1L) & (is.na(rc$para) | rc$para != 1L)
    # first the description (the resolution's title in most sessions), then
    # the short title (or the description where there is none)
    kd <- tb_ideal_norm_text(rc$descr)
    kd[!whole] <- NA_character_
    kd <- tb_ideal_bridge_keys(kd, rc$session)
    short <- rc$short
    short[is.na(short) | !nzchar(trimws(short))] <- rc$descr[is.na(short) | !nzchar(trimws(short))]
    kt <- tb_ideal_norm_text(short)
    kt[!whole | !is.na(kd)] <- NA_character_
    kt <- tb_ideal_bridge_keys(kt, rc$session)
    key <- ifelse(!is.na(kd), paste0("D:", kd), ifelse(!is.na(kt), paste0("T:", kt), NA_character_))
  } else if (is.data.frame(bridge)) {
    bridge <- tb_check_data_frame(bridge, "bridge", c("rcid", "class"))
    brc <- tb_check_integerish(bridge$rcid, "bridge$rcid")
    if (anyDuplicated(brc[!is.na(brc)])) tb_abort("`bridge$rcid` must not repeat a roll call.")
    cl <- bridge$class
    if (!is.atomic(cl) || is.object(cl) && !is.factor(cl)) {
      tb_abort(sprintf("`bridge$class` must be an atomic vector, not %s.", tb_describe(cl)))
    }
    key <- as.character(cl)[match(rc$rcid, brc)]
  } else {
    tb_abort(sprintf("`bridge` must be \"text\", \"none\" or a data frame with columns `rcid` and `class`, not %s.",
                     tb_describe(bridge)))
  }
  own <- is.na(key)
  key[own] <- paste0("\r", seq_len(n)[own])
  cls <- match(key, unique(key))
  nses <- tabulate(cls[!duplicated(as.double(cls) * 1e6 + rc$session)])
  structure(cls, bridged = sum(nses >= 2L))
}

# The sparse design (src/ideal.c, ffi_ideal_design): votes with state-session,
# class and answer; states' runs of state-sessions; classes' kinds; the
# starting ideal points. Classes with a single answer used are dropped, then
# state-sessions left without votes.
tb_ideal_design <- function(v, rc, classes, model, anchor_cc) {
  pos <- match(v$rcid, rc$rcid)
  smin <- min(rc$session)
  out <- .Call(C_ffi_ideal_design, list(pos = pos, ccode = v$ccode, vote = v$vote),
               list(class = as.integer(classes), session = rc$session),
               list(binary = as.integer(model == "binary"), anchor = as.integer(anchor_cc),
                    smin = smin, nsess = max(rc$session) - smin + 1L))
  if (!length(out$ss)) {
    tb_abort("No roll call in the sessions selected has two different answers: nothing to estimate.",
             class = "coverage")
  }
  list(design = out[c("ss", "item", "y", "state_start", "gap", "ordinal")],
       state_ccode = out$state_ccode, ss_ccode = out$ss_ccode, ss_session = out$ss_session,
       n_votes = out$n_votes, class_rc = out$class_rc, class_n = out$class_n,
       class_cat = matrix(out$class_cat, ncol = 3L, byrow = TRUE), m0 = out$m0,
       n_rollcalls = out$n_rollcalls, n_classes = length(out$ordinal),
       bridged = attr(classes, "bridged"), dropped = out$dropped)
}

# Starting values: the design's standardized agreement with the anchor for
# the ideal points; slopes 0; cuts at the normal quantiles of each class's
# answers.
tb_ideal_start <- function(d, omega2) {
  cat <- d$class_cat
  n <- rowSums(cat)
  ord <- d$design$ordinal == 1L
  lo <- max.col(cat > 0L, ties.method = "first")
  p1 <- ifelse(ord, cat[, 1L], cat[cbind(seq_along(lo), lo)]) / n
  p2 <- (cat[, 1L] + cat[, 2L]) / n
  q <- function(p) stats::qnorm(pmin(pmax(p, 0.01), 0.99))
  cut1 <- q(p1)
  cut2 <- ifelse(ord, pmax(q(p2), cut1 + 0.01), 0)
  K <- length(ord)
  list(m = d$m0, v = numeric(length(d$m0)), beta = numeric(K), cut1 = cut1, cut2 = cut2,
       omega2 = omega2)
}

# Six MRG32k3a seed values per replicate, in [1, 4294944442], from R's RNG.
tb_ideal_seeds <- function(draws, seed) {
  tb_with_seed(seed, floor(stats::runif(6L * draws) * 4294944442) + 1)
}

tb_ideal_result <- function(d, fit, sev, boot, model, bridge, anchor, est_evo, draws, seed,
                            sources = "votes") {
  out <- data.frame(ccode = d$ss_ccode, session = d$ss_session,
                    year = d$ss_session + 1945L, ideal = fit$m, se = sev,
                    n_votes = d$n_votes)
  ord <- d$design$ordinal == 1L
  items <- data.frame(class = seq_along(ord), ordinal = ord, n_rollcalls = d$class_rc,
                      n_votes = d$class_n, beta = fit$beta, cut1 = fit$cut1,
                      cut2 = ifelse(ord, fit$cut2, NA_real_))
  info <- list(model = model, variance = fit$v,
               bridge = if (is.character(bridge)) bridge else "user map",
               iterations = fit$iterations, converged = fit$converged, delta = fit$delta,
               evolution = fit$omega2, evolution_estimated = est_evo,
               anchor = anchor, n_votes = length(d$design$ss),
               n_rollcalls = d$n_rollcalls, n_classes = d$n_classes,
               bridged = d$bridged, dropped = d$dropped, items = items,
               draws = draws, seed = seed,
               boot_iterations = if (!is.null(boot)) boot$iterations,
               boot_converged = if (!is.null(boot)) boot$converged)
  if (!fit$converged) {
    tb_warn(sprintf("The EM stopped after %d iterations without converging (largest last change %.3g > tol); raise `maxit`.",
                    fit$iterations, fit$delta), class = "convergence")
  }
  structure(out, class = c("tb_ideal", "data.frame"), fit = info, sources = sources)
}

#' @export
print.tb_ideal <- function(x, n = 6L, ...) {
  f <- attr(x, "fit")
  if (is.null(f)) {
    print(structure(x, class = "data.frame"), ...)
    return(invisible(x))
  }
  cat(sprintf("<tb_ideal> UN ideal points (%s model, bridge: %s): %d state-sessions of %d states, years %d-%d\n",
              f$model, f$bridge, nrow(x), length(unique(x$ccode)),
              min(x$year), max(x$year)))
  cat(sprintf("  %s votes, %s roll calls in %s classes (%d bridged across sessions, %d dropped with one answer)\n",
              format(f$n_votes, big.mark = ","), format(f$n_rollcalls, big.mark = ","),
              format(f$n_classes, big.mark = ","), f$bridged, f$dropped))
  cat(sprintf("  EM: %d iterations, %s (largest last change %.2g); random-walk variance %.3g%s; anchor ccode %d\n",
              f$iterations, if (f$converged) "converged" else "NOT converged", f$delta,
              f$evolution, if (f$evolution_estimated) " (estimated)" else "", f$anchor))
  if (f$draws > 0L) {
    cat(sprintf("  se: parametric bootstrap, %d replicates (%d converged)\n", f$draws,
                sum(f$boot_converged)))
  }
  print(utils::head(structure(x, class = "data.frame"), n), ...)
  if (nrow(x) > n) cat(sprintf("  ... %d more rows\n", nrow(x) - n))
  invisible(x)
}

#' @export
summary.tb_ideal <- function(object, ...) {
  x <- structure(object, class = "data.frame")
  by_s <- split(seq_len(nrow(x)), x$session)
  sessions <- do.call(rbind, lapply(by_s, function(i) {
    xi <- x[i, ]
    data.frame(session = xi$session[1L], year = xi$year[1L], states = length(i),
               mean = mean(xi$ideal), sd = if (length(i) > 1L) stats::sd(xi$ideal) else NA_real_,
               lowest = xi$ccode[which.min(xi$ideal)], min = min(xi$ideal),
               highest = xi$ccode[which.max(xi$ideal)], max = max(xi$ideal))
  }))
  rownames(sessions) <- NULL
  structure(list(fit = attr(object, "fit"), sessions = sessions,
                 ideal = summary(x$ideal), se = if (any(!is.na(x$se))) summary(x$se)),
            class = "summary.tb_ideal")
}

#' @export
print.summary.tb_ideal <- function(x, ...) {
  f <- x$fit
  if (!is.null(f)) {
    cat(sprintf("UN ideal points, %s model: %d sessions; EM %d iterations (%s)\n", f$model,
                nrow(x$sessions), f$iterations, if (f$converged) "converged" else "not converged"))
  }
  cat("Ideal points:\n")
  print(x$ideal)
  if (!is.null(x$se)) {
    cat("Bootstrap standard errors:\n")
    print(x$se)
  }
  cat("By session (lowest and highest state by ccode):\n")
  print(x$sessions, digits = 3L, row.names = FALSE)
  invisible(x)
}

#' Plot ideal points over time
#'
#' Lines of the chosen states' ideal points by year, with bands of
#' \eqn{\pm} `z` bootstrap standard errors when the fit has them.
#'
#' @param x a `tb_ideal` result of [ideal_points()].
#' @param states states to draw (names or CoW codes); by default the anchor,
#'   Russia and China.
#' @param band draw the bands (when there are standard errors).
#' @param z half-width of a band in standard errors (1.96: 95%).
#' @param col colours, one per state.
#' @param legend draw a legend.
#' @param ... passed to [graphics::plot()].
#' @return `x`, invisibly.
#' @export
plot.tb_ideal <- function(x, states = NULL, band = TRUE, z = 1.96, col = NULL,
                          legend = TRUE, ...) {
  f <- attr(x, "fit")
  if (is.null(states)) states <- c(if (!is.null(f)) f$anchor else 2L, 365L, 710L)
  cc <- unique(state_ccode(states, arg = "states"))
  band <- tb_check_flag(band, "band")
  legend <- tb_check_flag(legend, "legend")
  z <- tb_check_numeric(z, "z", len = 1L, min = 0, max = 10, allow_na = FALSE)
  if (is.null(col)) col <- grDevices::hcl.colors(max(3L, length(cc)), "Dark 3")
  col <- rep_len(col, length(cc))
  xs <- x[x$ccode %in% cc, , drop = FALSE]
  if (!nrow(xs)) tb_abort("None of `states` has an ideal point in `x`.")
  has_se <- band && any(!is.na(xs$se))
  lo <- if (has_se) xs$ideal - z * xs$se else xs$ideal
  hi <- if (has_se) xs$ideal + z * xs$se else xs$ideal
  # the user's graphical parameters replace the defaults (no "matched by
  # multiple actual arguments" for xlab =, type = ...)
  args <- utils::modifyList(list(x = range(xs$year), y = range(c(lo, hi), na.rm = TRUE),
                                 type = "n", xlab = "year (session opening)",
                                 ylab = "ideal point"), list(...))
  do.call(graphics::plot, args)
  graphics::abline(h = 0, col = "grey80")
  for (k in seq_along(cc)) {
    s <- xs[xs$ccode == cc[k], , drop = FALSE]
    s <- s[order(s$year), , drop = FALSE]
    if (!nrow(s)) next
    if (has_se && any(!is.na(s$se))) {
      ok <- !is.na(s$se)
      graphics::polygon(c(s$year[ok], rev(s$year[ok])),
                        c(s$ideal[ok] - z * s$se[ok], rev(s$ideal[ok] + z * s$se[ok])),
                        col = grDevices::adjustcolor(col[k], 0.25), border = NA)
    }
    graphics::lines(s$year, s$ideal, col = col[k], lwd = 2)
  }
  if (legend) {
    graphics::legend("bottomleft", legend = as.character(cc), col = col, lwd = 2,
                     bty = "n", title = "ccode")
  }
  invisible(x)
}

# The default fit of ideal_points() (all sessions, default settings), fitted
# once per R session (2-3 CPU s on all votes) and kept in the session cache.
# The key names the data (counts and last roll call of the packaged votes)
# and the settings (the defaults of ideal_points()), so that a change to
# either is a new fit, never a stale one.
tb_ideal_default <- function() {
  v <- tb_data("unga_votes")
  rc <- tb_data("unga_rollcalls")
  settings <- paste(vapply(formals(ideal_points), function(a) paste(deparse(a), collapse = ""),
                           ""), collapse = ";")
  key <- sprintf("ideal_points_default:%d:%d:%.0f:%s", nrow(v), nrow(rc),
                 max(rc$rcid, na.rm = TRUE), settings)
  tb_memo(key, ideal_points())
}

# |theta_i - theta_j| for every pair of states with an ideal point in the
# same year (ccode1 < ccode2), from the default fit of ideal_points()
# (tb_ideal_default()): year = session + 1945, as in ideal_points(). For
# vote_similarity(method = "ideal") and the threat intent's
# similarity = "ideal".
tb_ideal_distance <- function(years) {
  years <- tb_check_integerish(years, "years", allow_na = FALSE)
  fit <- tb_ideal_default()
  f <- fit[fit$year %in% years, c("year", "ccode", "ideal")]
  f <- f[order(f$year, f$ccode), , drop = FALSE]
  rows <- split(seq_len(nrow(f)), f$year)
  rows <- rows[lengths(rows) >= 2L]
  ij <- lapply(rows, function(r) {
    n <- length(r)
    k <- (n - 1L):1L
    list(i = r[rep.int(seq_len(n - 1L), k)], j = r[sequence(k, from = seq_len(n - 1L) + 1L)])
  })
  i <- unlist(lapply(ij, `[[`, "i"), use.names = FALSE)
  j <- unlist(lapply(ij, `[[`, "j"), use.names = FALSE)
  if (is.null(i)) i <- j <- integer()
  data.frame(year = f$year[i], ccode1 = f$ccode[i], ccode2 = f$ccode[j],
             distance = abs(f$ideal[i] - f$ideal[j]))
}
