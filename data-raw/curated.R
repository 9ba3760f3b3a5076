# Build the curated datasets `blocs`, `phases` and `events` from the
# human-readable CSVs in inst/extdata/, validate them, cross-check NATO
# membership against the Correlates of War IGO data, and write data/*.rda.
#
# Run from the package root:   Rscript data-raw/curated.R
#
# Inputs:  inst/extdata/{blocs,phases,events}.csv (the source of truth)
#          data/cameo.rda and data/states.rda if present, otherwise the raw
#          files in ../shared/data/raw/ (goldstein_mappings.rda, cow_states.rda)
#          ../shared/data/raw/igo_state_year_format3.rda (cross-check only)
# Outputs: data/blocs.rda, data/phases.rda, data/events.rda,
#          data-raw/curated-igo-check.md (the recorded cross-check)

# The raw files: ../shared/data/raw from the package root, or TB_RAW_DIR.
raw_dir <- Sys.getenv("TB_RAW_DIR", file.path("..", "shared", "data", "raw"))
stopifnot(file.exists("DESCRIPTION"), dir.exists("inst/extdata"))

fail <- function(...) stop(sprintf(...), call. = FALSE)
check <- function(ok, ...) if (!isTRUE(all(ok))) fail(...)

read_csv_chr <- function(name) {
  utils::read.csv(file.path("inst", "extdata", name), colClasses = "character",
                  na.strings = "", strip.white = TRUE, encoding = "UTF-8")
}

# ---- reference tables ------------------------------------------------------

if (file.exists("data/cameo.rda")) {
  env <- new.env(); load("data/cameo.rda", envir = env)
  cameo_ref <- data.frame(code = as.character(env$cameo$code),
                          goldstein = as.numeric(env$cameo$goldstein))
  cameo_from <- "data/cameo.rda"
} else {
  env <- new.env(); load(file.path(raw_dir, "goldstein_mappings.rda"), envir = env)
  cameo_ref <- data.frame(code = as.character(env$goldstein_mappings$code),
                          goldstein = as.numeric(env$goldstein_mappings$goldstein))
  cameo_from <- "raw goldstein_mappings.rda"
}

if (file.exists("data/states.rda")) {
  env <- new.env(); load("data/states.rda", envir = env)
  cow <- data.frame(ccode = as.integer(env$states$ccode),
                    start = as.Date(env$states$start), end = as.Date(env$states$end),
                    name = env$states$statenme)
  states_from <- "data/states.rda"
} else {
  env <- new.env(); load(file.path(raw_dir, "cow_states.rda"), envir = env)
  s <- as.data.frame(env$cow_states)
  cow <- data.frame(
    ccode = as.integer(s$ccode),
    start = as.Date(sprintf("%04d-%02d-%02d", s$styear, s$stmonth, s$stday)),
    end = as.Date(sprintf("%04d-%02d-%02d", s$endyear, s$endmonth, s$endday)),
    name = s$statenme)
  states_from <- "raw cow_states.rda"
}
# CoW v2016 closes surviving spells on 2016-12-31: treat them as open.
cow$end[cow$end >= as.Date("2016-12-31")] <- as.Date(NA)

# ---- blocs -----------------------------------------------------------------

b <- read_csv_chr("blocs.csv")
check(identical(names(b), c("bloc", "ccode", "name", "start", "end", "role",
                            "source", "note")), "blocs.csv: unexpected columns")
blocs <- data.frame(
  bloc = b$bloc,
  ccode = as.integer(b$ccode),
  name = b$name,
  start = as.Date(b$start),
  end = as.Date(b$end),
  role = b$role,
  source = b$source,
  note = ifelse(is.na(b$note), "", b$note),
  stringsAsFactors = FALSE)
check(!is.na(blocs$ccode) & !is.na(blocs$start) & !is.na(blocs$bloc) &
        !is.na(blocs$source), "blocs: missing ccode/start/bloc/source")
check(blocs$role %in% c("member", "partner", "observer"), "blocs: bad role")
check(is.na(blocs$end) | blocs$end >= blocs$start, "blocs: end before start")
check(blocs$ccode %in% cow$ccode, "blocs: ccode not in CoW: %s",
      paste(setdiff(blocs$ccode, cow$ccode), collapse = ", "))
# every spell lies inside a CoW membership spell of the state
in_cow <- vapply(seq_len(nrow(blocs)), function(i) {
  s <- cow[cow$ccode == blocs$ccode[i], ]
  e <- blocs$end[i]
  any(s$start <= blocs$start[i] &
        (is.na(s$end) | (!is.na(e) & s$end >= e)))
}, logical(1))
check(in_cow, "blocs: spells outside CoW membership: %s",
      paste(blocs$bloc[!in_cow], blocs$ccode[!in_cow], collapse = "; "))
# no overlapping spells for the same bloc and state
key <- paste(blocs$bloc, blocs$ccode)
for (k in unique(key[duplicated(key)])) {
  s <- blocs[key == k, ]
  s <- s[order(s$start), ]
  prev_end <- s$end[-nrow(s)]
  check(!is.na(prev_end) & prev_end < s$start[-1L],
        "blocs: overlapping spells for %s", k)
}
# NATO today: 32 members
nato_now <- blocs$ccode[blocs$bloc == "NATO" & blocs$role == "member" &
                          is.na(blocs$end)]
check(length(nato_now) == 32L, "blocs: NATO should have 32 current members, has %d",
      length(nato_now))
blocs <- blocs[order(blocs$bloc, blocs$role, blocs$start, blocs$ccode), ]
rownames(blocs) <- NULL

# ---- phases ----------------------------------------------------------------

p <- read_csv_chr("phases.csv")
check(identical(names(p), c("relationship", "phase", "label", "start", "end",
                            "characterisation", "source", "note")),
      "phases.csv: unexpected columns")
phases <- data.frame(
  relationship = p$relationship,
  phase = as.integer(p$phase),
  label = p$label,
  start = as.integer(p$start),
  end = as.integer(p$end),
  characterisation = p$characterisation,
  source = p$source,
  note = ifelse(is.na(p$note), "", p$note),
  stringsAsFactors = FALSE)
check(!is.na(phases$start) & !is.na(phases$end) & phases$start <= phases$end,
      "phases: bad years")
check(!duplicated(phases[c("relationship", "phase")]), "phases: duplicate phase")
# consecutive phases share their boundary year, as in the paper
for (r in unique(phases$relationship)) {
  s <- phases[phases$relationship == r, ]
  s <- s[order(s$phase), ]
  if (nrow(s) > 1L) check(s$end[-nrow(s)] == s$start[-1L],
                          "phases: %s phases are not contiguous", r)
}
rownames(phases) <- NULL

# ---- events ----------------------------------------------------------------

e <- read_csv_chr("events.csv")
check(identical(names(e), c("date", "precision", "actor", "target", "cameo",
                            "goldstein", "topic", "description", "source")),
      "events.csv: unexpected columns")
events <- data.frame(
  date = as.Date(e$date),
  precision = e$precision,
  actor = e$actor,
  target = e$target,
  cameo = e$cameo,
  goldstein = as.numeric(e$goldstein),
  topic = e$topic,
  description = e$description,
  source = e$source,
  stringsAsFactors = FALSE)
check(!is.na(events$date), "events: unparseable date")
check(events$date >= as.Date("1945-01-01") & events$date <= as.Date("2025-12-31"),
      "events: date outside 1945-2025")
check(events$precision %in% c("day", "month", "year"), "events: bad precision")
check(events$precision != "month" | format(events$date, "%d") == "01",
      "events: month-precision dates must be coded on the 1st")
check(events$precision != "year" | format(events$date, "%m-%d") == "01-01",
      "events: year-precision dates must be coded on 1 January")
check(events$cameo %in% cameo_ref$code, "events: unknown CAMEO code(s): %s",
      paste(setdiff(events$cameo, cameo_ref$code), collapse = ", "))
gw <- cameo_ref$goldstein[match(events$cameo, cameo_ref$code)]
check(abs(events$goldstein - gw) < 1e-9, "events: Goldstein weight differs from %s in rows %s",
      cameo_from, paste(which(abs(events$goldstein - gw) >= 1e-9), collapse = ", "))
resolves <- function(x) {
  is_code <- grepl("^[0-9]+$", x)
  ifelse(is_code, suppressWarnings(as.integer(x)) %in% cow$ccode,
         x %in% blocs$bloc)
}
check(resolves(events$actor), "events: unresolved actor(s): %s",
      paste(unique(events$actor[!resolves(events$actor)]), collapse = ", "))
check(resolves(events$target), "events: unresolved target(s): %s",
      paste(unique(events$target[!resolves(events$target)]), collapse = ", "))
check(!duplicated(events), "events: duplicate rows")
check(!duplicated(events[c("date", "actor", "target", "cameo")]),
      "events: duplicate date/actor/target/cameo")
check(nzchar(events$description) & nzchar(events$source), "events: empty text")
check(events$topic %in% c("China-NATO", "Russia-China", "Russia-NATO",
                          "Asian alignments"), "events: bad topic")
events <- events[order(events$date, events$actor, events$target, events$cameo), ]
rownames(events) <- NULL

# ---- IGO cross-check -------------------------------------------------------

env <- new.env(); load(file.path(raw_dir, "igo_state_year_format3.rda"), envir = env)
igo <- as.data.frame(env$state_year_format3)[, c("ccode", "year", "nato", "wpact",
                                                  "sco", "csto")]

members_on <- function(bl, date) {
  s <- blocs[blocs$bloc == bl & blocs$role == "member", ]
  s$ccode[s$start <= date & (is.na(s$end) | s$end >= date)]
}
members_during <- function(bl, year) {
  s <- blocs[blocs$bloc == bl & blocs$role == "member", ]
  y0 <- as.Date(sprintf("%d-01-01", year)); y1 <- as.Date(sprintf("%d-12-31", year))
  s$ccode[s$start <= y1 & (is.na(s$end) | s$end >= y0)]
}

# Compare one bloc with one IGO column year by year. `rule` = "dec31": a
# state counts as a member in year t if its spell is in force on 31 December
# of t; "any": if in force on any day of t.
igo_compare <- function(bl, col, years, rule = c("dec31", "any")) {
  rule <- match.arg(rule)
  out <- lapply(years, function(y) {
    g <- igo[igo$year == y & igo[[col]] >= 0, ]
    ours <- if (rule == "dec31") members_on(bl, as.Date(sprintf("%d-12-31", y)))
            else members_during(bl, y)
    theirs <- g$ccode[g[[col]] == 1]
    cc <- union(g$ccode, ours)
    data.frame(year = y, ccode = cc, ours = cc %in% ours, igo = cc %in% theirs,
               in_igo_rows = cc %in% g$ccode)
  })
  do.call(rbind, out)
}

nato_cmp <- igo_compare("NATO", "nato", 1949:2014, "dec31")
nato_any <- igo_compare("NATO", "nato", 1949:2014, "any")
dis <- nato_cmp[nato_cmp$ours != nato_cmp$igo, ]
dis_any <- nato_any[nato_any$ours != nato_any$igo, ]
cat(sprintf("IGO cross-check, NATO 1949-2014 (member on 31 December): %d state-years compared (%d states), %d member-years in blocs, %d in IGO, %d disagreements\n",
            nrow(nato_cmp), length(unique(nato_cmp$ccode)), sum(nato_cmp$ours),
            sum(nato_cmp$igo), nrow(dis)))
if (nrow(dis)) print(dis)
cat(sprintf("  (rule 'member on any day of the year': %d disagreements)\n", nrow(dis_any)))

# The other blocs the IGO data code (informative; not a test)
other <- list(c("Warsaw Pact", "wpact", 1955, 1991), c("SCO", "sco", 1996, 2014),
              c("CSTO", "csto", 2002, 2014))
other_res <- lapply(other, function(o) {
  cmp <- igo_compare(o[1], o[2], as.integer(o[3]):as.integer(o[4]), "dec31")
  d <- cmp[cmp$ours != cmp$igo, ]
  list(bloc = o[1], col = o[2], years = paste(o[3], o[4], sep = "-"),
       n = nrow(cmp), dis = d)
})
for (r in other_res) {
  cat(sprintf("  %s vs igo$%s %s: %d state-years, %d disagreements\n", r$bloc,
              r$col, r$years, r$n, nrow(r$dis)))
}

fmt_dis <- function(d) {
  if (!nrow(d)) return("none")
  d <- d[order(d$ccode, d$year), ]
  runs <- split(d, paste(d$ccode, d$ours, d$igo))
  vapply(runs, function(r) {
    yrs <- range(r$year)
    sprintf("ccode %d, %s: %s", r$ccode[1],
            if (yrs[1] == yrs[2]) yrs[1] else paste(yrs, collapse = "-"),
            if (r$ours[1]) "member in `blocs`, not in IGO" else "member in IGO, not in `blocs`")
  }, character(1))
}

md <- c(
  "# Cross-check of `blocs` against the CoW IGO data",
  "",
  "Generated by `Rscript data-raw/curated.R`; do not edit by hand.",
  "",
  "Reference: Pevehouse, J. C. W., Nordstrom, T., McManus, R. W. and Jamison, A. S. (2020).",
  "Tracking organizations in the world: The Correlates of War IGO Version 3.0 datasets.",
  "*Journal of Peace Research* 57(3), 492-503; state-year format as carried by the igoR package",
  "(`../shared/data/raw/igo_state_year_format3.rda`, column `nato`; 1 = full member,",
  "0 = not a member, -1 = state not in the system / before the IGO existed).",
  "",
  "## NATO, 1949-2014 (the test)",
  "",
  "Rule: a state is a member in year *t* if its `blocs` spell (role `member`) is in force",
  "on 31 December of *t*. Compared: every IGO state-year 1949-2014 with `nato` 0 or 1,",
  "plus any member-year of `blocs` whose state has no IGO row that year.",
  "",
  sprintf("- state-years compared: **%d** (%d years x up to %d states; %d distinct ccodes)",
          nrow(nato_cmp), length(1949:2014), max(table(nato_cmp$year)),
          length(unique(nato_cmp$ccode))),
  sprintf("- member-years: %d in `blocs`, %d in the IGO data", sum(nato_cmp$ours),
          sum(nato_cmp$igo)),
  sprintf("- disagreements: **%d**", nrow(dis)),
  "",
  paste0("  - ", fmt_dis(dis)),
  "",
  sprintf("With the looser rule 'in force on any day of the year' there are %d disagreements:",
          nrow(dis_any)),
  "",
  paste0("  - ", fmt_dis(dis_any)),
  "",
  "Explanation: the IGO data record one membership status per state-year as of the",
  "end of the year, and they key Germany as West Germany (260) to 1989 and as Germany (255)",
  "from 1990 (CoW system membership changes on 3 October 1990). Under the 31-December rule",
  "`blocs` reproduces that exactly. Under the any-day rule West Germany (260) is also counted",
  "in 1990, the year it ceased to exist as a CoW state; that is a property of the rule,",
  "not a disagreement about membership. Every accession date in `blocs` falls in the year",
  "the IGO data first code the state as a member.",
  "",
  "## Other blocs the IGO data code (informative only)",
  "")
for (r in other_res) {
  md <- c(md, sprintf("- %s vs `%s`, %s: %d state-years, %d disagreements", r$bloc, r$col,
                      r$years, r$n, nrow(r$dis)),
          paste0("  - ", fmt_dis(r$dis)))
}
md <- c(md, "",
  "Known reasons for these differences:",
  "",
  "- Warsaw Pact: the IGO data code every remaining member as a member in 1991, the year",
  "  the Pact was dissolved (protocol of 1 July 1991), and Albania (339) in 1968, the year it",
  "  withdrew (13 September 1968): the IGO convention counts a state in the year it leaves,",
  "  whereas the 31-December rule does not (with the any-day rule these agree). The IGO",
  "  data also code Ghana (452) as a member 1960-1964, which no Warsaw Treaty document",
  "  supports (an IGO coding error; Ghana was never a party). For the GDR (265) `blocs` ends",
  "  the spell on 24 September 1990 and the IGO data do not code 1990 either.",
  "- CSTO: the IGO data code Uzbekistan (704) as a member from 2002 to 2011, but it had left",
  "  the Collective Security Treaty in 1999 and rejoined the organisation only on 23 June",
  "  2006 (suspending again on 28 June 2012); `blocs` follows the CSTO decisions, so the",
  "  years 2002-2005 differ.",
  "- SCO: membership from the Shanghai Five (1996) for the five founders and from 2001 for",
  "  Uzbekistan, as in the IGO data.",
  "")
writeLines(md, "data-raw/curated-igo-check.md")

check(nrow(dis) == 0L, "NATO membership disagrees with the IGO data (see data-raw/curated-igo-check.md)")

# ---- write -----------------------------------------------------------------

dir.create("data", showWarnings = FALSE)
save(blocs, file = "data/blocs.rda", compress = "xz")
save(phases, file = "data/phases.rda", compress = "xz")
save(events, file = "data/events.rda", compress = "xz")
cat(sprintf("wrote data/blocs.rda (%d rows), data/phases.rda (%d rows), data/events.rda (%d rows); CAMEO checked against %s, ccodes against %s\n",
            nrow(blocs), nrow(phases), nrow(events), cameo_from, states_from))
