# How valid is the threat index? The validation suite of issue 13: face validity
# (documented expert cases), predictive validity (next-year MID initiation AUC),
# convergent validity (Miller's territorial threat) and phase tests (seed phase
# boundaries with a permutation p-value). It measures; it changes nothing.
#
#   Rscript bench/validity.R                     defaults, then decay = "bdm" for contrast
#   Rscript bench/validity.R decay=bdm scale=2000   one run with these threat_components() settings
#   Rscript bench/validity.R default             one run with the defaults
#   (from the package root, after installing; `make bench` runs the first form)
# or, in R at the package root:
#   source("bench/validity.R")                  # defines the functions, runs nothing
#   r <- validity_run(list(decay = "bdm"))      # settings = arguments of threat_components()
#   validity_print(r); validity_write(r)
#
# Writes out/validity/<label>/*.csv and *.png, out/validity/summary.csv (one row
# per run) and prints a compact summary. A failed case is a result, not an
# error: the script exits non-zero only if the script itself fails.
# The cases are in inst/extdata/validity-cases.csv; see bench/README-validity.md.
suppressPackageStartupMessages(library(threatbalance))

# ---- where things are ---------------------------------------------------------

# The package root: the parent of bench/ when run with Rscript, else the
# working directory (source() this file from the root).
validity_root <- function() {
  f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
  root <- if (length(f) == 1L) dirname(dirname(normalizePath(f))) else getwd()
  if (!file.exists(file.path(root, "DESCRIPTION"))) root <- getwd()
  root
}

# The expert cases: the work tree's copy first (edits count without a
# reinstall), the installed one otherwise.
validity_cases <- function(root = validity_root()) {
  path <- file.path(root, "inst", "extdata", "validity-cases.csv")
  if (!file.exists(path)) path <- system.file("extdata", "validity-cases.csv", package = "threatbalance")
  if (!nzchar(path) || !file.exists(path)) stop("validity-cases.csv not found")
  cs <- utils::read.csv(path, stringsAsFactors = FALSE, encoding = "UTF-8",
                        colClasses = c(threat = "character", years = "character"))
  need <- c("id", "target", "years", "threat", "check", "k", "claim", "source")
  miss <- setdiff(need, names(cs))
  if (length(miss)) stop("validity-cases.csv lacks columns: ", paste(miss, collapse = ", "))
  if (!"match" %in% names(cs)) cs$match <- "any"
  cs$match[is.na(cs$match) | !nzchar(cs$match)] <- "any"
  stopifnot(!anyDuplicated(cs$id), all(cs$check %in% c("top_k", "not_top_k")),
            all(cs$match %in% c("any", "all")), all(cs$k >= 1), all(nzchar(cs$source)))
  cs
}

# "2010-2022" or "1967" as integer years.
validity_years <- function(s) {
  p <- as.integer(strsplit(trimws(s), "-", fixed = TRUE)[[1L]])
  seq(p[1L], p[length(p)])
}

validity_state_name <- local({
  st <- NULL
  function(cc) {
    if (is.null(st)) st <<- getExportedValue("threatbalance", "states")
    nm <- st$statenme[match(cc, st$ccode)]
    ifelse(is.na(nm), as.character(cc), nm)
  }
})

# Optional packaged dataset (NULL when this version of the package lacks it).
validity_dataset <- function(name) {
  tryCatch(getExportedValue("threatbalance", name), error = function(e) NULL)
}

# ---- the threat data under the settings --------------------------------------

# Calls fun(args) with the run's settings, keeping the coverage warnings in
# `log` (an environment) instead of printing them each time.
validity_call <- function(fun, args, log) {
  withCallingHandlers(do.call(fun, args), warning = function(w) {
    log$warnings <- unique(c(log$warnings, conditionMessage(w)))
    invokeRestart("muffleWarning")
  })
}

# All directed dyad-years of `years` with the four components and the index.
validity_threat <- function(years, settings, index, log) {
  x <- validity_call(threat_components, c(list(years = years), settings), log)
  x <- as.data.frame(unclass(x))
  x$threat <- do.call(threat_index, c(list(x), index))
  x
}

# ---- 1. face validity ---------------------------------------------------------

# States named by a case in `year` (ccodes, or a bloc's members on 31 December),
# without the target itself.
validity_named <- function(threat, years, target) {
  if (grepl("^[0-9; ]+$", threat)) {
    cc <- as.integer(strsplit(gsub(" ", "", threat), ";", fixed = TRUE)[[1L]])
    out <- rep(list(setdiff(cc, target)), length(years))
  } else {
    m <- bloc_members(threat, years, role = "member")
    my <- as.integer(format(m$date, "%Y"))
    out <- lapply(years, function(y) setdiff(m$ccode[my == y], target))
  }
  names(out) <- years
  out
}

# Each case checked in each year of its range: the rank of the named threat(s)
# among all states' threat_index() to the target (1 = highest; ties share the
# best rank; a state whose index is NA has no rank). top_k passes when a named
# state (match = "any") or every named state ("all") ranks within k;
# not_top_k passes when that does not hold (with "any": no named state ranks
# within k). A year in which the target has no
# non-NA index at all ("no data") fails either check.
validity_face <- function(x, cases) {
  yrs <- lapply(cases$years, validity_years)
  need <- unique(unlist(Map(function(t, y) y * 1000L + t, cases$target, yrs)))
  key <- x$year * 1000L + x$ccode2
  sel <- which(key %in% need)
  rows <- split(sel, key[sel])
  per_year <- vector("list", nrow(cases))
  for (ci in seq_len(nrow(cases))) {
    cs <- cases[ci, ]
    years <- yrs[[ci]]
    named <- validity_named(cs$threat, years, cs$target)
    per_year[[ci]] <- do.call(rbind, lapply(seq_along(years), function(h) {
      y <- years[h]
      r <- rows[[as.character(y * 1000L + cs$target)]]
      s <- x$threat[r]; j <- x$ccode1[r]
      ok <- !is.na(s)
      nm <- named[[h]]
      rk <- vapply(nm, function(n) {
        v <- s[j == n]
        if (length(v) != 1L || is.na(v)) NA_integer_ else 1L + sum(s[ok] > v)
      }, integer(1))
      best <- if (any(!is.na(rk))) min(rk, na.rm = TRUE) else NA_integer_
      worst <- if (length(rk) && !anyNA(rk)) max(rk) else NA_integer_
      status <- if (!length(r)) "target not a state" else if (!any(ok)) "no data" else
        if (!length(nm)) "no named state" else "ranked"
      in_k <- if (cs$match == "all") !is.na(worst) && worst <= cs$k else !is.na(best) && best <= cs$k
      pass <- status == "ranked" && if (cs$check == "top_k") in_k else !in_k
      o <- order(-s[ok])[seq_len(min(3L, sum(ok)))]
      top <- paste(sprintf("%s %.3g", validity_state_name(j[ok][o]), s[ok][o]), collapse = "; ")
      data.frame(id = cs$id, year = y, status = status, rank_best = best,
                 rank_worst = worst, ranked = sum(ok), pass = pass, top3 = top,
                 stringsAsFactors = FALSE)
    }))
  }
  py <- do.call(rbind, per_year)
  ranges <- function(v) {  # 1990 1991 1992 1995 -> "1990-1992, 1995"
    if (!length(v)) return("")
    b <- cumsum(c(1, diff(v) != 1))
    paste(vapply(split(v, b), function(g) if (length(g) > 1L)
      sprintf("%d-%d", g[1L], g[length(g)]) else as.character(g), ""), collapse = ", ")
  }
  per_case <- do.call(rbind, lapply(split(py, factor(py$id, levels = cases$id)), function(d) {
    f <- d[!d$pass & d$status == "ranked", ]
    top1 <- sub(" [^ ]+$", "", sub(";.*", "", f$top3))  # first name of top3, without its value
    data.frame(id = d$id[1L], years = nrow(d), ranked = sum(d$status == "ranked"),
               passed = sum(d$pass), share = mean(d$pass), pass = all(d$pass),
               failed_years = ranges(f$year),
               nodata_years = ranges(d$year[d$status != "ranked"]),
               # in the failed years: the best rank of a named state, and who ranks first
               median_rank_failing = if (nrow(f)) stats::median(f$rank_best, na.rm = TRUE) else NA_real_,
               top_when_failing = if (nrow(f)) names(which.max(table(top1))) else "",
               stringsAsFactors = FALSE)
  }))
  names(per_case)[names(per_case) == "years"] <- "n_years"
  keep <- intersect(c("id", "target", "target_name", "threat", "threat_name", "check", "k",
                      "match", "years", "era", "region"), names(cases))
  per_case <- cbind(cases[keep], per_case[match(cases$id, per_case$id), -1L])
  rownames(per_case) <- NULL
  list(cases = per_case, years = py)
}

# ---- 2. predictive validity ---------------------------------------------------

# Area under the ROC curve by Mann-Whitney: the probability that a random
# positive scores above a random negative, ties counting one half. Rows with NA
# score are dropped. (Counted against the sorted negatives: the same number as
# (sum of the positives' average ranks - n1 (n1 + 1) / 2) / (n1 n0), faster.)
validity_auc_value <- function(score, y) {
  ok <- !is.na(score)
  pos <- score[ok & y]
  neg <- sort(score[ok & !y], method = "radix")
  n1 <- length(pos); n0 <- length(neg)
  if (n1 == 0L || n0 == 0L) return(NA_real_)
  below <- findInterval(pos, neg, left.open = TRUE)  # negatives < each positive
  upto <- findInterval(pos, neg)                     # negatives <= each positive
  sum(below + (upto - below) / 2) / (as.numeric(n1) * n0)
}

# ROC points (false and true positive rates at each distinct threshold),
# thinned to about `points` for drawing.
validity_roc <- function(score, y, points = 400L) {
  ok <- !is.na(score)
  s <- score[ok]; y <- y[ok]
  o <- order(-s)
  s <- s[o]; y <- y[o]
  last <- c(s[-1L] != s[-length(s)], TRUE)  # last row of each tie group
  tp <- cumsum(y)[last] / sum(y); fp <- cumsum(!y)[last] / sum(!y)
  keep <- unique(round(seq(1, length(tp), length.out = min(points, length(tp)))))
  data.frame(fpr = c(0, fp[keep]), tpr = c(0, tp[keep]))
}

validity_measures <- c("threat", "power", "proximity", "offense", "intent")

# AUC of each measure of j -> i in t - 1 for an outcome of (t, j, i). The
# universe is every directed dyad-year (j, i, t) of `years` in the threat data
# (both states system members in t); the predictor is the same directed dyad's
# value in t - 1 (NA when either state was not a member then, or a component
# is missing); each measure's AUC is over the dyad-years where it is not NA.
validity_predict <- function(x, onsets, years, roc = FALSE) {
  k <- function(t, j, i) t * 1e6 + j * 1e3 + i
  cur <- which(x$year %in% years)
  lag <- which(x$year %in% (years - 1L))
  m <- lag[match(k(x$year[cur] - 1L, x$ccode1[cur], x$ccode2[cur]),
                 k(x$year[lag], x$ccode1[lag], x$ccode2[lag]))]
  ok <- onsets$year %in% years
  ev <- k(onsets$year[ok], onsets$j[ok], onsets$i[ok])
  y <- k(x$year[cur], x$ccode1[cur], x$ccode2[cur]) %in% ev
  tab <- do.call(rbind, lapply(validity_measures, function(v) {
    s <- x[[v]][m]
    data.frame(measure = v, auc = validity_auc_value(s, y), dyad_years = sum(!is.na(s)),
               events = sum(y & !is.na(s)), na = sum(is.na(s)), na_events = sum(y & is.na(s)))
  }))
  attr(tab, "events_total") <- length(unique(ev))
  attr(tab, "events_outside") <- length(setdiff(unique(ev), k(x$year[cur], x$ccode1[cur], x$ccode2[cur])))
  out <- list(auc = tab)
  if (roc) out$roc <- lapply(stats::setNames(validity_measures, validity_measures),
                             function(v) validity_roc(x[[v]][m], y))
  out
}

# Next-year MID initiation (GML MID 2.2.1, `disputes`): j initiates against i
# in year t when, in a row of `disputes` with ccode1 = j and ccode2 = i (the
# data hold each dyad-year in both orders), j is on side A (sidea1 = 1) and an
# originator (orig1 = 1) of a dispute whose first year for the dyad is t
# (onset = 1). Joiners (orig1 = 0) and side B are not initiators.
validity_mid_onsets <- function() {
  dp <- getExportedValue("threatbalance", "disputes")
  s <- dp$sidea1 == 1L & dp$orig1 == 1L & dp$onset == 1L
  s[is.na(s)] <- FALSE
  unique(data.frame(year = dp$year[s], j = dp$ccode1[s], i = dp$ccode2[s]))
}

# New interstate armed-conflict dyads (UCDP/PRIO, `armed_conflicts` when the
# package has it): {j, i} on opposite sides of an interstate conflict in year t
# and in none in t - 1, as directed rows both ways. Reads dyad-year rows with
# ccode1/ccode2 (or side-a/side-b code columns, several codes separated by
# commas); keeps interstate rows when a conflict-type column says so.
validity_acd_onsets <- function(ac) {
  ac <- as.data.frame(ac)
  nm <- names(ac)
  pick <- function(cands) { h <- intersect(cands, nm); if (length(h)) h[1L] else NA_character_ }
  ca <- pick(c("ccode1", "ccode_a", "side_a_ccode", "ccodea", "ccode_side_a"))
  cb <- pick(c("ccode2", "ccode_b", "side_b_ccode", "ccodeb", "ccode_side_b"))
  if (is.na(ca) || is.na(cb) || !"year" %in% nm) {
    stop("armed_conflicts: expected columns year and ccode1/ccode2 (or ccode_a/ccode_b); found ",
         paste(nm, collapse = ", "))
  }
  ty <- pick(c("type_of_conflict", "type"))
  if (!is.na(ty)) {
    v <- tolower(as.character(ac[[ty]]))
    if (any(v %in% c("interstate", "2"))) ac <- ac[v %in% c("interstate", "2"), ]
  }
  codes <- function(v) lapply(strsplit(as.character(v), "[^0-9]+"), function(z) as.integer(z[nzchar(z)]))
  A <- codes(ac[[ca]]); B <- codes(ac[[cb]])
  pairs <- do.call(rbind, lapply(seq_len(nrow(ac)), function(r) {
    g <- expand.grid(a = A[[r]], b = B[[r]])
    if (!nrow(g)) return(NULL)
    data.frame(year = as.integer(ac$year[r]), lo = pmin(g$a, g$b), hi = pmax(g$a, g$b))
  }))
  pairs <- unique(pairs[pairs$lo != pairs$hi, ])
  pk <- function(t, lo, hi) t * 1e6 + lo * 1e3 + hi
  prev <- pk(pairs$year - 1L, pairs$lo, pairs$hi) %in% pk(pairs$year, pairs$lo, pairs$hi)
  new <- pairs[!prev & pairs$year > min(pairs$year), ]
  out <- rbind(data.frame(year = new$year, j = new$lo, i = new$hi),
               data.frame(year = new$year, j = new$hi, i = new$lo))
  attr(out, "years") <- range(pairs$year)
  out
}

# ---- 3. convergent validity ---------------------------------------------------

# Correlations with Miller's latent territorial threat through the functions of
# bench/terrthreat-compare.R (NULL, with a message, when terrthreat.rda is absent).
validity_convergent <- function(x, root, years = 1816:2010) {
  env <- new.env()
  sys.source(file.path(root, "bench", "terrthreat-compare.R"), envir = env)
  tt <- env$terrthreat_load(file.path(root, "..", "shared", "data", "raw", "terrthreat.rda"))
  if (is.null(tt)) {
    message("terrthreat.rda not found (../shared/data/raw): convergent validity skipped")
    return(NULL)
  }
  sy <- env$terrthreat_state_years(x[x$year %in% years, ])
  m <- merge(tt, sy, by = c("ccode", "year"))
  r <- env$terrthreat_correlations(m, c("threat_max", "threat_sum", "intent_max", "intent_near"))
  attr(r, "matched") <- c(matched = nrow(m), terrthreat = nrow(tt))
  list(cor = r, data = m)
}

# ---- 4. phase tests -----------------------------------------------------------

# Permutation p-value of a phase comparison, from compare_phases(): the
# share of segmentations of the same series with as many change points (each
# segment at least minseglen long) that hit at least as many of the testable
# reference boundaries as the detected change points do (exact when there
# are at most `draws` segmentations, else Monte Carlo with `seed`).
phase_p_value <- function(detected, reference, tolerance = 2, draws = 10000L, seed = 1L) {
  cmp <- compare_phases(detected, reference, tolerance = tolerance, draws = draws, seed = seed)
  p <- cmp$p_value
  list(hits = sum(cmp$matches$hit & cmp$matches$testable),
       testable = sum(cmp$matches$testable), changepoints = length(detected$index),
       precision = cmp$precision, recall = cmp$recall, p_value = p, method = cmp$p_method,
       segmentations = cmp$segmentations,
       se = if (identical(cmp$p_method, "monte carlo")) sqrt(p * (1 - p) / draws) else 0,
       null_mean_hits = cmp$null_mean_hits)
}

# The series tested against the seeds' phases. `reference`: a relationship of
# `phases` (its phase ends but the last; a one-phase relationship gives its
# start, the boundary the paper dates).
validity_phase_series <- list(
  list(id = "nato-china-threat", what = "NATO -> China threat index", bloc = "NATO",
       from = NULL, to = 710L, years = 1949:2022, column = "threat", relationship = "China-NATO"),
  list(id = "nato-china-intent", what = "NATO -> China intent", bloc = "NATO",
       from = NULL, to = 710L, years = 1949:2022, column = "intent", relationship = "China-NATO"),
  list(id = "russia-china-threat", what = "Russia -> China threat index", bloc = NULL,
       from = 365L, to = 710L, years = 1992:2022, column = "threat", relationship = "Russia-China"),
  list(id = "china-russia-threat", what = "China -> Russia threat index", bloc = NULL,
       from = 710L, to = 365L, years = 1992:2022, column = "threat", relationship = "Russia-China"),
  list(id = "nato-russia-threat", what = "NATO -> Russia threat index", bloc = "NATO",
       from = NULL, to = 365L, years = 1992:2022, column = "threat", relationship = "Russia-China")
)

validity_reference <- function(relationship) {
  ph <- getExportedValue("threatbalance", "phases")
  ph <- ph[ph$relationship == relationship, ]
  if (nrow(ph) >= 2L) ph else as.numeric(ph$start)
}

# One series under the settings: the longest run of consecutive years with a
# value (detect_phases() takes no NA).
validity_series <- function(sp, settings, index, log) {
  if (!is.null(sp$bloc)) {
    d <- validity_call(bloc_threat, c(list(sp$bloc, sp$to, sp$years), index, settings), log)
  } else {
    d <- validity_call(threat_components, c(list(years = sp$years, from = sp$from, to = sp$to),
                                            settings), log)
    d$threat <- do.call(threat_index, c(list(d), index))
  }
  v <- d[[sp$column]][match(sp$years, d$year)]
  ok <- !is.na(v)
  if (!any(ok)) return(NULL)
  run <- cumsum(c(TRUE, diff(ok) != 0))
  len <- tapply(ok, run, sum)
  best <- as.integer(names(len)[which.max(len)])
  keep <- run == best & ok
  list(time = sp$years[keep], x = v[keep], dropped = sp$years[!keep])
}

validity_phases <- function(settings, index, log, phase_args = list(), tolerance = 2,
                            draws = 10000L, seed = 1L) {
  res <- lapply(validity_phase_series, function(sp) {
    s <- validity_series(sp, settings, index, log)
    ref <- validity_reference(sp$relationship)
    refb <- if (is.data.frame(ref)) ref$end[order(ref$start)][-nrow(ref)] else ref
    base <- data.frame(series = sp$id, what = sp$what, relationship = sp$relationship,
                       reference = paste(refb, collapse = " "))
    if (is.null(s) || length(s$x) < 2L * max(2L, phase_args$minseglen %||% 2L)) {
      return(list(row = cbind(base, span = NA, dropped = "", changepoints = "", n_cp = NA,
                              hits = NA, testable = NA, precision = NA, recall = NA,
                              p_value = NA, method = "no series", se = NA), series = NULL))
    }
    ph <- do.call(detect_phases, c(list(s$x, time = s$time), phase_args))
    pv <- phase_p_value(ph, ref, tolerance = tolerance, draws = draws, seed = seed)
    list(row = cbind(base, span = sprintf("%d-%d", min(s$time), max(s$time)),
                     dropped = if (length(s$dropped)) paste(range(s$dropped), collapse = "-") else "",
                     changepoints = paste(ph$changepoints, collapse = " "),
                     n_cp = length(ph$changepoints), hits = pv$hits, testable = pv$testable,
                     precision = pv$precision, recall = pv$recall, p_value = pv$p_value,
                     method = pv$method, se = pv$se),
         series = list(time = s$time, x = s$x, phases = ph, reference = refb, what = sp$what))
  })
  tab <- do.call(rbind, lapply(res, `[[`, "row"))
  rownames(tab) <- NULL
  list(table = tab, series = stats::setNames(lapply(res, `[[`, "series"),
                                             vapply(validity_phase_series, `[[`, "", "id")))
}

`%||%` <- function(a, b) if (is.null(a)) b else a

# ---- the run ------------------------------------------------------------------

# One run of the suite. `settings`: arguments of threat_components() (and of
# bloc_threat()'s `...`), e.g. list(decay = "bdm", scale = 2000); `index`:
# arguments of threat_index() (weights, combine); `phase_args`: arguments of
# detect_phases(). Returns a list of tables (face, auc, auc_acd, convergent,
# phases) and the coverage warnings met.
validity_run <- function(settings = list(), index = list(), phase_args = list(),
                         label = validity_label(settings, index, phase_args),
                         root = validity_root(), tolerance = 2, draws = 10000L, seed = 1L) {
  log <- new.env()
  log$warnings <- character()
  t0 <- proc.time()[["elapsed"]]
  cases <- validity_cases(root)
  x <- validity_threat(1816:2022, settings, index, log)
  face <- validity_face(x, cases)
  pred <- validity_predict(x, validity_mid_onsets(), 1950:2010, roc = TRUE)
  ac <- validity_dataset("armed_conflicts")
  acd <- NULL
  if (is.null(ac)) {
    message("dataset `armed_conflicts` not in this version of the package: the 2011-2024 AUC is skipped")
  } else {
    on <- validity_acd_onsets(ac)
    yrs <- intersect(2011:2024, (min(x$year) + 1L):(max(x$year) + 1L))
    yrs <- yrs[yrs > attr(on, "years")[1L] & yrs <= attr(on, "years")[2L]]
    acd <- validity_predict(x, on, yrs)
    attr(acd$auc, "years") <- range(yrs)
  }
  conv <- validity_convergent(x, root)
  ph <- validity_phases(settings, index, log, phase_args, tolerance, draws, seed)
  list(label = label, settings = settings, index = index, phase_args = phase_args,
       face = face, auc = pred$auc, roc = pred$roc, auc_acd = if (!is.null(acd)) acd$auc,
       convergent = conv$cor, convergent_data = conv$data, phases = ph$table,
       phase_series = ph$series, warnings = log$warnings,
       seconds = proc.time()[["elapsed"]] - t0)
}

validity_label <- function(settings = list(), index = list(), phase_args = list()) {
  a <- c(settings, index, phase_args)
  if (!length(a)) return("default")
  gsub("[^A-Za-z0-9.=_,-]+", "_",
       paste(names(a), vapply(a, function(v) paste(format(v), collapse = ","), ""), sep = "=",
             collapse = "_"))
}

# One row per run, for comparing settings.
validity_summary_row <- function(r) {
  a <- stats::setNames(r$auc$auc, paste0("auc_", r$auc$measure))
  fc <- r$face$cases
  cv <- r$convergent
  cvv <- if (is.null(cv)) c(spearman_threat_max = NA, pearson_threat_max = NA,
                            spearman_threat_sum = NA, pearson_threat_sum = NA)
         else c(spearman_threat_max = cv$spearman[cv$measure == "threat_max"],
                pearson_threat_max = cv$pearson[cv$measure == "threat_max"],
                spearman_threat_sum = cv$spearman[cv$measure == "threat_sum"],
                pearson_threat_sum = cv$pearson[cv$measure == "threat_sum"])
  pv <- stats::setNames(r$phases$p_value, paste0("p_", r$phases$series))
  aa <- if (is.null(r$auc_acd)) c(auc_acd_threat = NA)
        else c(auc_acd_threat = r$auc_acd$auc[r$auc_acd$measure == "threat"])
  data.frame(label = r$label, cases_passed = sum(fc$pass), cases_total = nrow(fc),
             case_years_passed = sum(r$face$years$pass), case_years = nrow(r$face$years),
             t(a), t(aa), t(cvv), t(pv), check.names = FALSE)
}

# ---- output -------------------------------------------------------------------

validity_write <- function(r, dir = file.path(validity_root(), "out", "validity", r$label)) {
  dir.create(dir, recursive = TRUE, showWarnings = FALSE)
  w <- function(d, f) utils::write.csv(d, file.path(dir, f), row.names = FALSE)
  w(r$face$cases, "face-cases.csv")
  w(r$face$years, "face-years.csv")
  w(r$auc, "auc-mid-1950-2010.csv")
  if (!is.null(r$auc_acd)) w(r$auc_acd, "auc-acd.csv")
  if (!is.null(r$convergent)) w(r$convergent, "convergent-terrthreat.csv")
  w(r$phases, "phases.csv")
  w(validity_summary_row(r), "summary.csv")
  writeLines(r$warnings, file.path(dir, "coverage-warnings.txt"))

  # face validity: share of years passing, per case
  fc <- r$face$cases
  grDevices::png(file.path(dir, "face.png"), width = 900, height = 60 + 16 * nrow(fc))
  op <- graphics::par(mar = c(4, 15, 3, 1))
  o <- rev(seq_len(nrow(fc)))
  graphics::barplot(fc$share[o], names.arg = fc$id[o], horiz = TRUE, las = 1, cex.names = 0.7,
                    col = ifelse(fc$pass[o], "seagreen3", "firebrick2"), xlim = c(0, 1),
                    xlab = "share of years passing",
                    main = sprintf("Face validity (%s): %d of %d cases pass in every year",
                                   r$label, sum(fc$pass), nrow(fc)))
  graphics::par(op); grDevices::dev.off()

  # predictive validity: ROC curves
  grDevices::png(file.path(dir, "roc-mid.png"), width = 700, height = 700)
  graphics::plot(0:1, 0:1, type = "n", xlab = "false positive rate", ylab = "true positive rate",
                 main = sprintf("Next-year MID initiation 1950-2010 (%s)", r$label))
  graphics::abline(0, 1, lty = 3, col = "grey50")
  for (k in seq_along(r$roc)) {
    graphics::lines(r$roc[[k]]$fpr, r$roc[[k]]$tpr, col = k, lwd = if (k == 1L) 3 else 1.5)
  }
  graphics::legend("bottomright", bty = "n", col = seq_along(r$roc), lwd = 2,
                   legend = sprintf("%s AUC %.3f", r$auc$measure, r$auc$auc))
  grDevices::dev.off()

  # convergent validity: mean threat_max by decile of Miller's threat
  if (!is.null(r$convergent_data)) {
    m <- r$convergent_data
    m <- m[is.finite(m$threat_max) & is.finite(m$lterrthreat), ]
    q <- cut(m$lterrthreat, unique(stats::quantile(m$lterrthreat, 0:10 / 10)), include.lowest = TRUE)
    grDevices::png(file.path(dir, "convergent-terrthreat.png"), width = 800, height = 600)
    graphics::plot(m$lterrthreat, m$threat_max, pch = 16, cex = 0.3,
                   col = grDevices::adjustcolor("grey30", 0.15),
                   xlab = "Miller's latent territorial threat", ylab = "max threat_index() to the state",
                   main = sprintf("State-years 1816-2010 (%s): Spearman %.3f", r$label,
                                  r$convergent$spearman[r$convergent$measure == "threat_max"]))
    graphics::lines(tapply(m$lterrthreat, q, mean), tapply(m$threat_max, q, mean),
                    col = "firebrick", lwd = 3, type = "b", pch = 19)
    grDevices::dev.off()
  }

  # phase tests: each series, its detected change points and the reference
  ps <- Filter(Negate(is.null), r$phase_series)
  if (length(ps)) {
    grDevices::png(file.path(dir, "phases.png"), width = 900, height = 260 * length(ps))
    op <- graphics::par(mfrow = c(length(ps), 1L), mar = c(3, 4, 2.5, 1))
    for (id in names(ps)) {
      s <- ps[[id]]
      pr <- r$phases[r$phases$series == id, ]
      graphics::plot(s$time, s$x, type = "l", xlab = "", ylab = "",
                     main = sprintf("%s: %d change points, %d/%d reference boundaries hit, p = %.3f",
                                    s$what, pr$n_cp, pr$hits, pr$testable, pr$p_value))
      seg <- s$phases$segments
      graphics::segments(seg$start, seg$mean, seg$end, seg$mean, col = "firebrick", lwd = 2)
      graphics::abline(v = s$phases$changepoints, lty = 3, col = "steelblue")
      graphics::abline(v = s$reference, lty = 1, col = "orange", lwd = 2)
    }
    graphics::par(op); grDevices::dev.off()
  }
  invisible(dir)
}

validity_print <- function(r) {
  cat(sprintf("\n== validity: %s (%.0f s) ==\n", r$label, r$seconds))
  fc <- r$face$cases
  cat(sprintf("face validity: %d of %d cases pass in every year (%d of %d case-years); %d more fail only in years with no index\n",
              sum(fc$pass), nrow(fc), sum(r$face$years$pass), nrow(r$face$years),
              sum(!fc$pass & !nzchar(fc$failed_years))))
  f <- fc[!fc$pass, ]
  if (nrow(f)) {
    cat("  failing: share of years passing; years failed [median rank of the named threat in them; most frequent top threat in them]; years with no index\n")
    for (i in seq_len(nrow(f))) {
      cat(sprintf("    %-26s %4.2f  %s%s%s\n", f$id[i], f$share[i], f$failed_years[i],
                  if (nzchar(f$failed_years[i])) sprintf(" [rank %s; top %s]", format(f$median_rank_failing[i]),
                                                          f$top_when_failing[i]) else "",
                  if (nzchar(f$nodata_years[i])) sprintf("; no data %s", f$nodata_years[i]) else ""))
    }
  }
  a <- r$auc
  cat(sprintf("next-year MID initiation AUC, 1950-2010 (%d onsets): %s\n",
              attr(a, "events_total"),
              paste(sprintf("%s %.3f", a$measure, a$auc), collapse = ", ")))
  if (!is.null(r$auc_acd)) {
    b <- r$auc_acd
    cat(sprintf("new interstate armed-conflict dyad AUC, %s: %s (%d onsets)\n",
                paste(attr(b, "years"), collapse = "-"),
                paste(sprintf("%s %.3f", b$measure, b$auc), collapse = ", "),
                b$events[b$measure == "threat"]))
  } else cat("armed-conflict AUC 2011-2024: skipped (no `armed_conflicts` dataset)\n")
  if (!is.null(r$convergent)) {
    cv <- r$convergent
    cat(sprintf("convergent (Miller's territorial threat, %d state-years): %s\n",
                attr(cv, "matched")[["matched"]],
                paste(sprintf("%s Spearman %.3f / Pearson %.3f", cv$measure, cv$spearman, cv$pearson),
                      collapse = "; ")))
  } else cat("convergent: skipped (terrthreat.rda not found)\n")
  cat("phase tests (tolerance 2 years; p = share of random segmentations hitting as many):\n")
  p <- r$phases
  for (i in seq_len(nrow(p))) {
    cat(sprintf("  %-20s %-9s ref %-14s cp %-30s hits %s/%s  p %s (%s)\n", p$series[i], p$span[i],
                p$reference[i], p$changepoints[i], p$hits[i], p$testable[i],
                format(round(p$p_value[i], 4)), p$method[i]))
  }
  if (length(r$warnings)) {
    cat(sprintf("coverage warnings met (%d, see coverage-warnings.txt): %s\n", length(r$warnings),
                paste(substr(gsub("\\s+", " ", r$warnings), 1, 70), collapse = " | ")))
  }
  invisible(r)
}

# key=value arguments as threat_components() settings: numbers, TRUE/FALSE,
# comma-separated vectors; everything else a string.
validity_parse_args <- function(args) {
  if (!length(args) || identical(args, "default")) return(NULL)
  kv <- strsplit(args, "=", fixed = TRUE)
  if (any(lengths(kv) != 2L)) stop("arguments must be key=value, e.g. decay=bdm scale=2000")
  stats::setNames(lapply(kv, function(p) utils::type.convert(strsplit(p[2L], ",", fixed = TRUE)[[1L]],
                                                             as.is = TRUE)),
                  vapply(kv, `[`, "", 1L))
}

# ---- report (when run as a script) --------------------------------------------

if (sys.nframe() == 0L) {
  root <- validity_root()
  cli <- validity_parse_args(commandArgs(TRUE))
  runs <- if (identical(commandArgs(TRUE), "default")) list(list())
          else if (is.null(cli)) list(list(), list(decay = "bdm")) else list(cli)
  res <- lapply(runs, function(s) {
    r <- validity_run(s, root = root)
    validity_write(r)
    validity_print(r)
    r
  })
  summ <- do.call(rbind, lapply(res, validity_summary_row))
  dir <- file.path(root, "out", "validity")
  path <- file.path(dir, "summary.csv")
  old <- if (file.exists(path)) utils::read.csv(path, check.names = FALSE) else NULL
  if (!is.null(old) && identical(names(old), names(summ))) summ <- rbind(old[!old$label %in% summ$label, ], summ)
  utils::write.csv(summ, path, row.names = FALSE)
  cat(sprintf("\nresults in %s (one folder per run; summary.csv compares runs)\n", dir))
}
