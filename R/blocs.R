# Membership of blocs (NATO, the Warsaw Pact, SCO, CSTO, BRICS, QUAD, AUKUS,
# the Five Eyes and NATO's partnership frameworks) on any date, from the
# curated `blocs` dataset.

# Full names of the blocs, in the order blocs_available() lists them.
tb_bloc_names <- c(
  "NATO" = "North Atlantic Treaty Organization",
  "Warsaw Pact" = "Warsaw Treaty Organization",
  "SCO" = "Shanghai Cooperation Organisation (from the Shanghai Five, 1996)",
  "CSTO" = "Collective Security Treaty Organization",
  "BRICS" = "BRICS (BRIC until 2010)",
  "QUAD" = "Quadrilateral Security Dialogue",
  "AUKUS" = "Australia-United Kingdom-United States security partnership",
  "Five Eyes" = "UKUSA intelligence alliance",
  "PfP" = "NATO Partnership for Peace / Euro-Atlantic Partnership Council",
  "Mediterranean Dialogue" = "NATO Mediterranean Dialogue",
  "ICI" = "NATO Istanbul Cooperation Initiative",
  "Partners across the globe" = "NATO partners across the globe"
)

# Dates given as Date, ISO "YYYY-MM-DD" strings or whole years (31 December).
tb_as_dates <- function(date, arg = "date") {
  if (inherits(date, "POSIXt")) date <- as.Date(date)
  if (inherits(date, "Date")) {
    if (!length(date)) tb_abort(sprintf("`%s` must hold at least one date.", arg))
    if (anyNA(date)) {
      tb_abort(sprintf("`%s` must not contain NA (found at position %d).",
                       arg, which(is.na(date))[1L]))
    }
    return(tb_check_date_range(date, arg))
  }
  if (is.character(date)) {
    if (!length(date)) tb_abort(sprintf("`%s` must hold at least one date.", arg))
    ok <- !is.na(date) & grepl("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", date)
    out <- rep(as.Date(NA), length(date))
    out[ok] <- as.Date(date[ok], format = "%Y-%m-%d")
    bad <- which(is.na(out))
    if (length(bad)) {
      tb_abort(sprintf("`%s` must hold dates as \"YYYY-MM-DD\"; position %d is %s.",
                       arg, bad[1L],
                       if (is.na(date[bad[1L]])) "NA" else sprintf("\"%s\"", date[bad[1L]])))
    }
    return(out)
  }
  if (is.numeric(date) && !is.object(date)) {
    years <- tb_check_integerish(date, arg, min = 1816, max = 2100, allow_na = FALSE)
    if (!length(years)) tb_abort(sprintf("`%s` must hold at least one date.", arg))
    return(as.Date(sprintf("%04d-12-31", years)))
  }
  tb_abort(sprintf("`%s` must be a Date, a \"YYYY-MM-DD\" string or a whole-number year, not %s.",
                   arg, tb_describe(date)))
}

tb_check_bloc <- function(bloc, known, arg = "bloc") {
  if (!is.character(bloc) || !length(bloc) || anyNA(bloc)) {
    tb_abort(sprintf("`%s` must be a character vector of bloc names, not %s. Known blocs: %s.",
                     arg, tb_describe(bloc), paste0('"', known, '"', collapse = ", ")))
  }
  hit <- match(tolower(trimws(bloc)), tolower(known))
  if (anyNA(hit)) {
    bad <- bloc[is.na(hit)]
    tb_abort(sprintf("Unknown bloc %s in `%s`. Known blocs: %s.",
                     paste0('"', unique(bad), '"', collapse = ", "), arg,
                     paste0('"', known, '"', collapse = ", ")))
  }
  unique(known[hit])
}

#' Members of a bloc on given dates
#'
#' Returns the states whose membership (or partnership, or observer status)
#' of a bloc was in force on each of the requested dates, from the curated
#' [blocs] spells. A spell is in force from its `start` to its `end`, both
#' days included; an `NA` end means still in force.
#'
#' Every combination of `bloc` and `date` is looked up. Germany appears as
#' West Germany (260) until 2 October 1990 and as Germany (255) from
#' 3 October 1990, as in the Correlates of War state list. France counts as a
#' NATO member throughout (its 1966-2009 absence from the integrated military
#' command did not end its membership).
#'
#' @param bloc Character vector of bloc names, matched ignoring case; see
#'   [blocs_available()] (`"NATO"`, `"Warsaw Pact"`, `"SCO"`, `"CSTO"`,
#'   `"BRICS"`, `"QUAD"`, `"AUKUS"`, `"Five Eyes"`, `"PfP"`,
#'   `"Mediterranean Dialogue"`, `"ICI"`, `"Partners across the globe"`).
#' @param date Dates to look up: a `Date` vector, `"YYYY-MM-DD"` strings, or
#'   whole-number years, which stand for 31 December of the year (the
#'   convention of the Correlates of War IGO data). Defaults to today.
#' @param role One or more of `"member"`, `"partner"` and `"observer"`.
#' @return A data frame with one row per bloc, date and state in force, sorted
#'   by bloc, date and `ccode`: `bloc`, `date` (`Date`), `ccode` (integer CoW
#'   code), `name` (state name) and `role`. It has zero rows when no state
#'   was in force (e.g. AUKUS before 2021).
#' @seealso [blocs] for the spells and their sources; [blocs_available()].
#' @examples
#' # NATO's members at the end of the Cold War and today
#' nrow(bloc_members("NATO", "1991-12-25"))
#' bloc_members("NATO", as.Date("2024-03-07"))$name
#' # SCO members and observers at the end of 2010
#' bloc_members("SCO", 2010, role = c("member", "observer"))
#' # Several blocs and years at once
#' table(bloc_members(c("QUAD", "AUKUS"), c(2007, 2015, 2022))[c("bloc", "date")])
#' @export
bloc_members <- function(bloc, date = Sys.Date(), role = "member") {
  spells <- tb_data("blocs")
  known <- unique(c(intersect(names(tb_bloc_names), spells$bloc), spells$bloc))
  bloc <- tb_check_bloc(bloc, known)
  date <- unique(tb_as_dates(date))
  role <- tb_check_choice(role, c("member", "partner", "observer"), "role",
                       several = TRUE)
  s <- spells[spells$bloc %in% bloc & spells$role %in% role, ]
  out <- lapply(bloc, function(b) {
    sb <- s[s$bloc == b, ]
    lapply(date, function(d) {
      on <- sb$start <= d & (is.na(sb$end) | sb$end >= d)
      if (!any(on)) return(NULL)
      data.frame(bloc = b, date = d, ccode = sb$ccode[on], name = sb$name[on],
                 role = sb$role[on], stringsAsFactors = FALSE)
    })
  })
  out <- do.call(rbind, unlist(out, recursive = FALSE))
  if (is.null(out)) {
    out <- data.frame(bloc = character(), date = as.Date(character()),
                      ccode = integer(), name = character(), role = character(),
                      stringsAsFactors = FALSE)
  }
  out <- out[order(match(out$bloc, bloc), out$date, out$ccode), ]
  rownames(out) <- NULL
  out
}

#' Blocs available in the curated membership data
#'
#' Lists the blocs of [blocs] with their full names, the first date any
#' state's spell starts, and the number of states in force today by role.
#'
#' @return A data frame with one row per bloc: `bloc` (the name to pass to
#'   [bloc_members()]), `full_name`, `first` (`Date` of the earliest spell),
#'   `members`, `partners` and `observers` (integer counts in force on the
#'   current date).
#' @examples
#' blocs_available()
#' @export
blocs_available <- function() {
  spells <- tb_data("blocs")
  known <- unique(c(intersect(names(tb_bloc_names), spells$bloc), spells$bloc))
  today <- Sys.Date()
  now <- spells$start <= today & (is.na(spells$end) | spells$end >= today)
  count <- function(b, r) sum(now & spells$bloc == b & spells$role == r)
  out <- data.frame(
    bloc = known,
    full_name = ifelse(known %in% names(tb_bloc_names),
                       unname(tb_bloc_names[known]), known),
    first = as.Date(vapply(known, function(b) as.numeric(min(spells$start[spells$bloc == b])),
                           numeric(1)), origin = "1970-01-01"),
    members = vapply(known, count, integer(1), r = "member"),
    partners = vapply(known, count, integer(1), r = "partner"),
    observers = vapply(known, count, integer(1), r = "observer"),
    stringsAsFactors = FALSE)
  rownames(out) <- NULL
  out
}
