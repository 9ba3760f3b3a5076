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
    tb_abort(sprintf("Unknown bloc %s in `%s`. Known blocs: %s. To define a bloc of states, give only states (names, ISO3 codes, CoW abbreviations or ccodes), spells or a named list.",
                     paste0('"', unique(bad), '"', collapse = ", "), arg,
                     paste0('"', known, '"', collapse = ", ")))
  }
  unique(known[hit])
}

# The blocs of the curated spells, in the order of tb_bloc_names.
tb_known_blocs <- function() {
  bl <- tb_data("blocs")$bloc
  unique(c(intersect(names(tb_bloc_names), bl), bl))
}

# TRUE when `x` is a character vector (or factor) holding a known bloc name.
tb_has_bloc_name <- function(x) {
  (is.character(x) || is.factor(x)) && length(x) &&
    any(tolower(trimws(as.character(x))) %in% tolower(tb_known_blocs()))
}

# A bloc argument as a list of specifications, one per bloc: list(label,
# type = "named", "states" or "spells", spells (named and spells: ccode,
# name, start, end, role) or states (the vector as given)). Forms: bloc
# names; one vector of states; one data frame of spells; a list of these
# (each element one bloc, named by the list's names). `label` names the
# blocs (one label per bloc).
tb_bloc_specs <- function(bloc, label = NULL, arg = "bloc") {
  known <- tb_known_blocs()
  if (is.list(bloc) && !is.data.frame(bloc)) {
    if (!length(bloc)) tb_abort(sprintf("`%s` must hold at least one bloc, not an empty list.", arg))
    nm <- names(bloc)
    specs <- lapply(seq_along(bloc), function(i) {
      el <- bloc[[i]]
      a <- sprintf("%s[[%d]]", arg, i)
      if ((is.character(el) || is.factor(el)) && length(el) == 1L && tb_has_bloc_name(el)) {
        return(tb_bloc_specs(el, NULL, a))
      }
      lab <- if (!is.null(nm) && !is.na(nm[i]) && nzchar(nm[i])) nm[i] else sprintf("bloc %d", i)
      tb_bloc_specs(el, lab, a)
    })
    specs <- unlist(specs, recursive = FALSE)
    if (!is.null(nm)) {
      for (i in seq_along(specs)) if (!is.na(nm[i]) && nzchar(nm[i])) specs[[i]]$label <- nm[i]
    }
  } else if (is.data.frame(bloc)) {
    specs <- list(list(label = "custom bloc", type = "spells", spells = tb_bloc_spells(bloc, arg)))
  } else if (tb_has_bloc_name(bloc)) {
    b <- tb_check_bloc(as.character(bloc), known, arg)
    spells <- tb_data("blocs")
    specs <- lapply(b, function(k) {
      list(label = k, type = "named",
           spells = spells[spells$bloc == k, c("ccode", "name", "start", "end", "role")])
    })
  } else if ((is.character(bloc) || is.factor(bloc) || is.numeric(bloc)) && length(bloc)) {
    if (anyNA(bloc)) tb_abort(sprintf("`%s` must not contain NA.", arg))
    # checked now (without a year); resolved in each year when used
    tryCatch(state_ccode(bloc, arg = arg), threatbalance_error_unknown_state = function(e) {
      tb_abort(sprintf("`%s` must be bloc names or states (names, ISO3 codes, CoW abbreviations or ccodes); %s Known blocs: %s.",
                       arg, sub(sprintf("`%s` has ", arg), "it has ", conditionMessage(e), fixed = TRUE),
                       paste0('"', known, '"', collapse = ", ")))
    })
    specs <- list(list(label = "custom bloc", type = "states",
                       states = if (is.factor(bloc)) as.character(bloc) else bloc))
  } else {
    tb_abort(sprintf("`%s` must be a bloc name, a vector of states, a data frame of spells (`ccode`, `start`, `end`) or a list of these, not %s. Known blocs: %s.",
                     arg, tb_describe(bloc), paste0('"', known, '"', collapse = ", ")))
  }
  if (!is.null(label)) {
    if (!is.character(label) || length(label) != length(specs) || anyNA(label) ||
        !all(nzchar(label))) {
      tb_abort(sprintf("`label` must be %d non-empty string%s (one per bloc), not %s.",
                       length(specs), if (length(specs) > 1L) "s" else "", tb_describe(label)))
    }
    for (i in seq_along(specs)) specs[[i]]$label <- label[[i]]
  }
  labs <- vapply(specs, `[[`, "", "label")
  if (anyDuplicated(labs)) {
    tb_abort(sprintf("`%s` holds two blocs labelled \"%s\"; give each its own label (list names or `label`).",
                     arg, labs[anyDuplicated(labs)]))
  }
  specs
}

# Spells of a custom bloc: ccode (any state identifier, resolved in the
# year of the spell's start), start and end (Dates, "YYYY-MM-DD" or years:
# a start year is its 1 January, an end year its 31 December; NA end: in
# force), optional role (member by default).
tb_bloc_spells <- function(x, arg) {
  tb_check_data_frame(x, arg, c("ccode", "start", "end"))
  if (!nrow(x)) tb_abort(sprintf("`%s` must hold at least one spell.", arg))
  day <- function(v, what, last) {
    a <- sprintf("%s$%s", arg, what)
    if (inherits(v, "POSIXt")) v <- as.Date(v)
    if (is.factor(v)) v <- as.character(v)
    if (inherits(v, "Date")) return(v)
    if (is.logical(v) && all(is.na(v))) return(as.Date(v))
    if (is.numeric(v) && !is.object(v)) {
      y <- tb_check_integerish(v, a, min = 1816, max = 2100)
      return(as.Date(ifelse(is.na(y), NA_character_,
                            sprintf("%04d-%s", y, if (last) "12-31" else "01-01"))))
    }
    if (is.character(v)) {
      d <- rep(as.Date(NA), length(v))
      iso <- !is.na(v) & grepl("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", v)
      d[iso] <- as.Date(v[iso], format = "%Y-%m-%d")
      bad <- which(is.na(d) & !is.na(v))
      if (length(bad)) {
        tb_abort(sprintf("`%s` must hold dates (Date, \"YYYY-MM-DD\" or years); row %d is \"%s\".",
                         a, bad[1L], v[bad[1L]]))
      }
      return(d)
    }
    tb_abort(sprintf("`%s` must hold dates (Date, \"YYYY-MM-DD\" or years), not %s.", a,
                     tb_describe(v)))
  }
  start <- day(x$start, "start", FALSE)
  end <- day(x$end, "end", TRUE)
  if (anyNA(start)) {
    tb_abort(sprintf("`%s$start` must not contain NA (found at row %d).", arg,
                     which(is.na(start))[1L]))
  }
  bad <- which(!is.na(end) & end < start)
  if (length(bad)) {
    tb_abort(sprintf("`%s`: spell %d ends (%s) before it starts (%s).", arg, bad[1L],
                     format(end[bad[1L]]), format(start[bad[1L]])))
  }
  if (anyNA(x$ccode)) tb_abort(sprintf("`%s$ccode` must not contain NA.", arg))
  cc <- state_ccode(if (is.factor(x$ccode)) as.character(x$ccode) else x$ccode,
                    year = tb_year_of(start), arg = sprintf("%s$ccode", arg))
  role <- if ("role" %in% names(x)) {
    tb_check_choice(as.character(x$role), c("member", "partner", "observer"),
                    sprintf("%s$role", arg), several = TRUE)
    as.character(x$role)
  } else rep("member", nrow(x))
  data.frame(ccode = cc, name = tb_state_label(cc), start = start, end = end, role = role,
             stringsAsFactors = FALSE)
}

# Members (and partners, observers) of one bloc specification on `dates`:
# data frame bloc, date, ccode, name, role. A bloc of states holds, on each
# date, the states resolved in its year that are system members that year.
tb_spec_members <- function(spec, dates, role) {
  out <- lapply(dates, function(d) {
    if (spec$type == "states") {
      if (!"member" %in% role) return(NULL)
      y <- tb_year_of(d)
      cc <- unique(state_ccode(spec$states, year = y, arg = "bloc"))
      cc <- cc[tb_is_member(cc, rep(y, length(cc)))]
      if (!length(cc)) return(NULL)
      return(data.frame(bloc = spec$label, date = d, ccode = cc, name = tb_state_label(cc),
                        role = "member", stringsAsFactors = FALSE))
    }
    sb <- spec$spells
    on <- sb$role %in% role & sb$start <= d & (is.na(sb$end) | sb$end >= d)
    if (!any(on)) return(NULL)
    data.frame(bloc = spec$label, date = d, ccode = sb$ccode[on], name = sb$name[on],
               role = sb$role[on], stringsAsFactors = FALSE)
  })
  out <- do.call(rbind, out)
  if (is.null(out)) {
    return(data.frame(bloc = character(), date = as.Date(character()),
                      ccode = integer(), name = character(), role = character(),
                      stringsAsFactors = FALSE))
  }
  if (spec$type == "named") return(out)
  # a state with two spells in force on a date (custom spells) counts once
  out[!duplicated(out[c("date", "ccode", "role")]), , drop = FALSE]
}

#' Members of a bloc on given dates
#'
#' Returns the states whose membership (or partnership, or observer status)
#' of a bloc was in force on each of the requested dates, from the curated
#' [blocs] spells, or of a bloc you define. A spell is in force from its
#' `start` to its `end`, both days included; an `NA` end means still in
#' force.
#'
#' Every combination of `bloc` and `date` is looked up. Germany appears as
#' West Germany (260) until 2 October 1990 and as Germany (255) from
#' 3 October 1990, as in the Correlates of War state list. France counts as a
#' NATO member throughout (its 1966-2009 absence from the integrated military
#' command did not end its membership).
#'
#' **Custom blocs.** `bloc` may also define a bloc:
#' * a vector of states (names, ISO3 codes, CoW abbreviations or ccodes, see
#'   [state_ccode()]), all members on every date. Names are resolved in the
#'   year of each date (`"Germany"` is West Germany, 260, in 1980), and
#'   states that are not members of the state system in that year are left
#'   out. A frozen membership, e.g. NATO as of 1998 for a counterfactual, is
#'   `bloc_members("NATO", "1998-12-31")$name` (or `$ccode`) fed back.
#' * a data frame of spells with columns `ccode` (any state identifier,
#'   resolved in the year of the spell's start), `start` and `end` (`Date`,
#'   `"YYYY-MM-DD"` or whole years: a start year means its 1 January, an end
#'   year its 31 December; `NA` end: still in force), and optionally `role`.
#' * a list of bloc names, vectors and data frames: one bloc per element,
#'   labelled by the list's names (`list("QUAD+" = c("USA", "Japan",
#'   "India", "Australia", "Philippines", "Vietnam"))`).
#'
#' A custom bloc is labelled by `label`, the list's names, or `"custom bloc"`.
#' A character vector is read as bloc names when it holds one; mixing bloc
#' names and states in one vector is an error (use a list).
#'
#' @param bloc Bloc names, matched ignoring case; see [blocs_available()]
#'   (`"NATO"`, `"Warsaw Pact"`, `"SCO"`, `"CSTO"`, `"BRICS"`, `"QUAD"`,
#'   `"AUKUS"`, `"Five Eyes"`, `"PfP"`, `"Mediterranean Dialogue"`, `"ICI"`,
#'   `"Partners across the globe"`); or a custom bloc: a vector of states, a
#'   data frame of spells, or a list of blocs (see Details).
#' @param date Dates to look up: a `Date` vector, `"YYYY-MM-DD"` strings, or
#'   whole-number years, which stand for 31 December of the year (the
#'   convention of the Correlates of War IGO data). Defaults to today.
#' @param role One or more of `"member"`, `"partner"` and `"observer"`.
#' @param label `NULL`, or one label per bloc for the `bloc` column (custom
#'   blocs are otherwise labelled by the list's names or `"custom bloc"`).
#' @return A data frame with one row per bloc, date and state in force, sorted
#'   by bloc, date and `ccode`: `bloc`, `date` (`Date`), `ccode` (integer CoW
#'   code), `name` (state name) and `role`. It has zero rows when no state
#'   was in force (e.g. AUKUS before 2021). It carries `attr(, "sources")`
#'   (see [sources()]).
#' @seealso [blocs] for the spells and their sources; [blocs_available()];
#'   [bloc_threat()].
#' @examples
#' # NATO's members at the end of the Cold War and today
#' nrow(bloc_members("NATO", "1991-12-25"))
#' bloc_members("NATO", as.Date("2024-03-07"))$name
#' # SCO members and observers at the end of 2010
#' bloc_members("SCO", 2010, role = c("member", "observer"))
#' # Several blocs and years at once
#' table(bloc_members(c("QUAD", "AUKUS"), c(2007, 2015, 2022))[c("bloc", "date")])
#' # A custom bloc, and NATO frozen at its 1998 members
#' quad <- c("USA", "Japan", "India", "Australia", "Philippines", "Vietnam")
#' bloc_members(quad, 2020, label = "QUAD+")
#' nato98 <- bloc_members("NATO", "1998-12-31")$ccode
#' nrow(bloc_members(list("NATO 1998" = nato98, NATO = "NATO"), 2020)) # 16 + 30
#' # spells: Finland and Sweden in a bloc from their NATO accession
#' bloc_members(data.frame(ccode = c("FIN", "SWD"), start = c("2023-04-04", "2024-03-07"),
#'                         end = NA), c(2023, 2024), label = "Nordic entrants")
#' @export
bloc_members <- function(bloc, date = Sys.Date(), role = "member", label = NULL) {
  specs <- tb_bloc_specs(bloc, label)
  date <- unique(tb_as_dates(date))
  role <- tb_check_choice(role, c("member", "partner", "observer"), "role",
                       several = TRUE)
  out <- do.call(rbind, lapply(specs, tb_spec_members, dates = date, role = role))
  labs <- vapply(specs, `[[`, "", "label")
  out <- out[order(match(out$bloc, labs), out$date, out$ccode), ]
  rownames(out) <- NULL
  tb_with_sources(out, tb_spec_sources(specs))
}

# Sources of bloc specifications: the curated spells for named blocs, the
# state list for blocs of states.
tb_spec_sources <- function(specs) {
  type <- vapply(specs, `[[`, "", "type")
  c(if (any(type == "named")) "blocs", if (any(type != "named")) "states")
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
  known <- tb_known_blocs()
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
