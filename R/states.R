# Resolving state identifiers (ccodes, CoW abbreviations, ISO3 codes, names)
# to Correlates of War state codes, and state-year membership lookups.

# Names and codes that are not in `states` but are in common use. Keys are
# normalised (see tb_norm_state()).
tb_state_aliases <- c(
  "united states" = 2L, "us" = 2L, "america" = 2L, "united states of america" = 2L,
  "uk" = 200L, "great britain" = 200L, "britain" = 200L, "england" = 200L,
  "united kingdom of great britain and northern ireland" = 200L,
  "russia" = 365L, "ussr" = 365L, "soviet union" = 365L, "russian federation" = 365L,
  "union of soviet socialist republics" = 365L,
  "china" = 710L, "prc" = 710L, "peoples republic of china" = 710L,
  "taiwan" = 713L, "republic of china" = 713L, "chinese taipei" = 713L,
  "south korea" = 732L, "republic of korea" = 732L, "korea republic of" = 732L,
  "korea south" = 732L, "rok" = 732L,
  "north korea" = 731L, "dprk" = 731L, "democratic peoples republic of korea" = 731L,
  "korea democratic peoples republic of" = 731L, "korea north" = 731L,
  "germany" = 255L, "prussia" = 255L, "german empire" = 255L,
  "west germany" = 260L, "federal republic of germany" = 260L, "frg" = 260L,
  "east germany" = 265L, "gdr" = 265L, "ddr" = 265L,
  "austria hungary" = 300L, "austria-hungary" = 300L,
  "czechia" = 316L, "czech republic" = 316L,
  "serbia" = 345L, "serbia and montenegro" = 345L,
  "bosnia" = 346L, "north macedonia" = 343L, "macedonia" = 343L,
  "moldova" = 359L, "iran" = 630L, "persia" = 630L, "turkey" = 640L,
  "turkiye" = 640L, "ottoman empire" = 640L, "syria" = 652L,
  "yemen" = 679L, "north yemen" = 678L, "south yemen" = 680L,
  "vietnam" = 816L, "viet nam" = 816L, "north vietnam" = 816L,
  "south vietnam" = 817L, "laos" = 812L, "burma" = 775L, "myanmar" = 775L,
  "siam" = 800L, "thailand" = 800L, "cambodia" = 811L, "kampuchea" = 811L,
  "ivory coast" = 437L, "cote divoire" = 437L, "zaire" = 490L, "drc" = 490L,
  "dr congo" = 490L, "congo kinshasa" = 490L, "congo brazzaville" = 484L,
  "republic of the congo" = 484L, "republic of congo" = 484L,
  "eswatini" = 572L, "swaziland" = 572L, "cabo verde" = 402L,
  "timor leste" = 860L, "east timor" = 860L, "uae" = 696L,
  "holland" = 210L, "netherlands" = 210L, "sardinia" = 325L, "piedmont" = 325L,
  "saint lucia" = 56L, "saint vincent and the grenadines" = 57L,
  "saint kitts and nevis" = 60L, "antigua and barbuda" = 58L,
  "micronesia" = 987L, "holy see" = 327L, "papal states" = 327L,
  "tanzania" = 510L, "bahamas" = 31L, "gambia" = 420L,
  # misspelt "TURKIYE" in the UN's machine-readable General Assembly extract
  "turkyye" = 640L
)

# Codes that changed over time for what a user would call one country: when
# `year` is given and the matched state was not a system member that year,
# the first member among these is used (e.g. "Germany" in 1970 -> 260).
tb_state_lineage <- list(c(255L, 260L), c(260L, 255L), c(679L, 678L), c(678L, 679L),
                         c(316L, 315L), c(315L, 316L), c(345L, 340L), c(340L, 345L),
                         c(305L, 300L), c(300L, 305L), c(732L, 730L), c(730L, 732L))

# Strings as valid UTF-8 whatever their encoding: declared latin1 and UTF-8
# translated, "bytes" and native strings kept when they are valid UTF-8 and
# otherwise read as latin1 (every byte sequence is valid latin1), so that
# "C\xf4te d'Ivoire" typed in a latin1 session or read without an encoding
# still matches, and no string makes iconv() or a regular expression fail.
tb_as_utf8 <- function(x) {
  x <- as.character(x)
  enc <- Encoding(x)
  dec <- enc %in% c("latin1", "UTF-8")
  if (any(dec)) x[dec] <- enc2utf8(x[dec])
  raw <- which(!dec & !is.na(x))
  if (length(raw)) {
    y <- x[raw]
    Encoding(y) <- "unknown"  # "bytes" cannot be translated; the bytes stay
    ok <- validUTF8(y)
    y[!ok] <- iconv(y[!ok], from = "latin1", to = "UTF-8")
    Encoding(y[ok]) <- "UTF-8"
    x[raw] <- y
  }
  x
}

tb_norm_state <- function(x) {
  # every encoding to UTF-8 first, then to ASCII
  x <- iconv(tb_as_utf8(x), from = "UTF-8", to = "ASCII//TRANSLIT", sub = "")
  x <- tolower(trimws(x))
  x <- gsub("&", " and ", x, fixed = TRUE)
  x <- gsub("[.'`\u2019^\"~]", "", x)
  x <- gsub("[^a-z0-9-]+", " ", x)
  x <- gsub("^the |, the$| the$", "", trimws(gsub(" +", " ", x)))
  trimws(x)
}

tb_state_lookup <- function() tb_memo("lookup", tb_build_state_lookup())

tb_build_state_lookup <- function() {
  st <- tb_data("states")
  last_end <- tapply(st$end, st$ccode, max)
  current <- as.integer(names(last_end))[last_end >= as.Date("2016-12-31")]
  abb <- unique(st[, c("ccode", "stateabb")])
  iso <- unique(st[!is.na(st$iso3c), c("ccode", "iso3c")])
  nme <- unique(st[, c("ccode", "statenme")])
  # A code that is both the CoW abbreviation of a defunct state and the ISO3
  # code of a current one ("CZE", "KOR") means the current state.
  clash <- intersect(abb$stateabb, iso$iso3c)
  clash <- clash[abb$ccode[match(clash, abb$stateabb)] != iso$ccode[match(clash, iso$iso3c)]]
  iso_wins <- clash[vapply(clash, function(code) {
    !(abb$ccode[abb$stateabb == code][1L] %in% current) &&
      iso$ccode[iso$iso3c == code][1L] %in% current
  }, logical(1))]
  # the dictionary (R/sysdata.rda, data-raw/state-names.R) comes last: the
  # package's own names and aliases win where they differ
  keys <- c(tb_norm_state(abb$stateabb), tb_norm_state(iso$iso3c),
            tb_norm_state(nme$statenme), names(tb_state_aliases), tb_state_names$key)
  vals <- c(abb$ccode, iso$ccode, nme$ccode, unname(tb_state_aliases), tb_state_names$ccode)
  pri <- c(ifelse(abb$stateabb %in% iso_wins, 2L, 1L), rep(1L, nrow(iso)),
           rep(3L, nrow(nme)), rep(4L, length(tb_state_aliases)),
           rep(5L, nrow(tb_state_names)))
  o <- order(pri)
  keys <- keys[o]; vals <- vals[o]
  keep <- !duplicated(keys)
  # ongoing spells end 9999-12-31 (as in the source): as years, they end in
  # the last year the package's functions cover
  spells <- data.frame(ccode = st$ccode,
                       first = tb_year_of(st$start),
                       last = pmin(tb_year_of(st$end), tb_cov("states")[2L]))
  list(keys = keys[keep], vals = vals[keep], ccodes = sort(unique(st$ccode)),
       spells = spells, clashes = clash)
}

# Names no key matches, by the dictionary's regular expressions (countrycode's
# English patterns): a name matched by the patterns of exactly one state.
tb_state_by_regex <- function(x) {
  u <- unique(x)
  txt <- tb_as_utf8(u)
  # one pass per pattern over all names (event files have many names): the
  # state of the first pattern that matches, NA when another state's matches too
  first <- rep(NA_integer_, length(txt))
  multi <- logical(length(txt))
  for (k in seq_along(tb_state_regex$regex)) {
    h <- grepl(tb_state_regex$regex[k], txt, ignore.case = TRUE, perl = TRUE)
    if (!any(h)) next
    cc <- tb_state_regex$ccode[k]
    multi <- multi | (h & !is.na(first) & first != cc)
    first[h & is.na(first)] <- cc
  }
  hit <- ifelse(multi, NA_integer_, first)
  hit[match(x, u)]
}

# TRUE where ccode was a system member at some time in year.
tb_is_member <- function(ccode, year) {
  # on the distinct (ccode, year) pairs: a key exact in double (ccode < 1000)
  key <- as.double(ccode) * 2^32 + (as.double(year) + 2^31)
  uk <- unique(key)
  if (length(uk) < length(key)) {
    i <- match(uk, key)
    return(tb_is_member(ccode[i], year[i])[match(key, uk)])
  }
  sp <- tb_state_lookup()$spells
  out <- logical(length(ccode))
  for (k in seq_len(nrow(sp))) {
    out <- out | (!is.na(ccode) & !is.na(year) & ccode == sp$ccode[k] &
                    year >= sp$first[k] & year <= sp$last[k])
  }
  out
}

#' Correlates of War state codes from names, abbreviations and ISO codes
#'
#' Turns state identifiers into Correlates of War (CoW) state codes
#' (`ccode`), so that any function taking a state can be given `"China"`,
#' `"RUS"`, `"USA"` or `710`. Numbers are taken as ccodes and checked against
#' [states]. Strings are matched, ignoring case, accents, punctuation and a
#' leading "the", against, in this order: CoW abbreviations (`"UKG"`,
#' `"RUS"`, `"GMY"`), ISO 3166 alpha-3 codes (`"GBR"`, `"DEU"`), the CoW
#' state names in [states], common aliases (`"Russia"`, `"USSR"`, `"China"`,
#' `"United States"`, `"UK"`, `"South Korea"`, `"North Korea"`, `"Germany"`,
#' `"West Germany"`, `"Burma"`, ...), the English, UN, ISO, CLDR, Polity
#' and V-Dem spellings of every state in the countrycode package's dictionary
#' (`"Syrian Arab Republic"`, `"Iran (Islamic Republic of)"`, built by
#' `data-raw/state-names.R`), and ccodes written as text (`"710"`, `"2.0"`;
#' `"7.10"` matches nothing). A name none of these knows is matched by
#' countrycode's English regular expressions when exactly one state's
#' pattern matches it, which covers the World Bank's and ICEWS's spellings
#' (`"Lao PDR"`, `"Korea, Rep."`, `"Egypt, Arab Rep."`). Every country name
#' in the UN vote, ICEWS and CoW files the package is built from resolves
#' (tested). Strings in any declared encoding (UTF-8, latin1) are read.
#'
#' Some three-letter codes are a CoW abbreviation of one state and the ISO3
#' code of another. The CoW meaning wins (`"AUS"` is Austria, 305; Australia
#' is `"AUL"`; `"SWZ"` is Switzerland; `"MNG"` Montenegro; `"SLV"` Slovenia),
#' except where the CoW state no longer exists and the ISO3 code names a
#' current one: `"CZE"` is the Czech Republic (316) and `"KOR"` South Korea
#' (732); give `year` to reach Czechoslovakia or the Korean Empire. Each
#' such code gives a warning of class `threatbalance_warning_ambiguous` that
#' says how it was read, so a column of ISO3 codes is not silently misread.
#'
#' With `year`, a name whose state was not a system member in that year is
#' resolved to its predecessor or successor code where CoW splits one country
#' over time: Germany (255) and the German Federal Republic (260), Yemen (679)
#' and the Yemen Arab Republic (678), the Czech Republic (316) and
#' Czechoslovakia (315), Yugoslavia (345) and Serbia (340), Austria (305) and
#' Austria-Hungary (300), South Korea (732) and Korea (730). So
#' `state_ccode("Germany", 1970)` is 260. Numeric ccodes are never changed.
#'
#' @param x A numeric vector of ccodes, or a character vector (or factor) of
#'   CoW abbreviations, ISO3 codes or state names.
#' @param year `NULL`, or a whole-number vector recycled with `x`: the year in
#'   which to resolve names that CoW codes differently over time.
#' @param arg The argument name to use in error messages (for functions that
#'   call `state_ccode()` to resolve their own arguments).
#' @return An integer vector of ccodes, as long as `x` (or `x` and `year`
#'   recycled to their common length). `NA` in `x` gives `NA`.
#'   Identifiers that match no state raise an error of class
#'   `threatbalance_error_unknown_state` (also `threatbalance_error`) that
#'   lists all of them.
#' @references Correlates of War Project (2017). State System Membership List,
#'   v2016. <https://correlatesofwar.org>.
#'
#'   ISO 3166-1 alpha-3 country codes, as mapped by the countrycode package:
#'   Arel-Bundock, V., Enevoldsen, N. and Yetman, C. J. (2018). countrycode:
#'   An R package to convert country names and country codes. Journal of Open
#'   Source Software 3(28), 848.
#' @export
#' @examples
#' state_ccode(c("USA", "Russia", "china", "GBR", "South Korea", "365"))
#' state_ccode("Germany", year = c(1900, 1970, 2000))
#' try(state_ccode(c("France", "Atlantis", "Narnia")))
state_ccode <- function(x, year = NULL, arg = "x") {
  arg <- tb_check_string(arg, "arg")
  tb_state_ccode(x, year, arg)
}

# state_ccode() with strict = FALSE: identifiers that match no state give NA
# instead of an error (for event codes such as "NATO" beside state names).
tb_state_ccode <- function(x, year = NULL, arg = "x", strict = TRUE) {
  if (is.factor(x)) x <- as.character(x)
  lk <- tb_state_lookup()
  if (is.null(x) || (is.logical(x) && all(is.na(x)))) {
    return(rep(NA_integer_, length(x)))
  }
  if (is.numeric(x)) {
    out <- tb_check_integerish(x, arg)
    bad <- !is.na(out) & !(out %in% lk$ccodes)
    if (!strict) out[bad] <- NA_integer_
    if (any(bad) && strict) {
      u <- unique(x[bad])
      tb_abort(sprintf("`%s` has %d value%s that %s not a CoW state code: %s.",
                       arg, length(u), if (length(u) > 1) "s" else "",
                       if (length(u) > 1) "are" else "is",
                       paste(format(u), collapse = ", ")),
               class = "unknown_state")
    }
    return(out)
  }
  if (!is.character(x)) {
    tb_abort(sprintf("`%s` must be a numeric vector of ccodes or a character vector of state names or codes, not %s.",
                     arg, tb_describe(x)))
  }
  x <- tb_as_utf8(x)  # latin1, "bytes" and invalid UTF-8 strings too
  ux <- unique(x)
  key <- tb_norm_state(ux)[match(x, ux)]
  # numbers written as text are ccodes when whole ("710", " 2.0", "002") and
  # match nothing otherwise ("7.10"): never read as names, whose
  # normalisation drops the decimal point
  num <- !is.na(x) & grepl("^\\s*[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?\\s*$", x)
  key[num] <- NA_character_
  out <- lk$vals[match(key, lk$keys)]
  if (any(num)) {
    cand <- suppressWarnings(as.numeric(x[num]))
    whole <- !is.na(cand) & cand == round(cand) & abs(cand) <= tb_ccode_max
    cand[!whole] <- NA_real_
    out[num] <- ifelse(cand %in% lk$ccodes, as.integer(cand), NA_integer_)
  }
  rest <- which(is.na(out) & !is.na(x) & !num)
  if (length(rest)) out[rest] <- tb_state_by_regex(x[rest])
  bad <- is.na(out) & !is.na(x)
  if (any(bad) && strict) {
    u <- unique(x[bad])
    tb_abort(sprintf("`%s` has %d value%s that match%s no state (by CoW abbreviation, ISO3 code, name or ccode): %s.",
                     arg, length(u), if (length(u) > 1) "s" else "",
                     if (length(u) > 1) "" else "es",
                     paste0('"', u, '"', collapse = ", ")),
             class = "unknown_state")
  }
  out <- as.integer(out)
  if (!is.null(year) && length(out)) {
    year <- tb_check_integerish(year, "year")
    n <- tb_recycled_length(c(length(out), length(year)), c(arg, "year"))
    out <- rep_len(out, n)
    x <- rep_len(x, n)
    year <- rep_len(year, n)
    lin_from <- vapply(tb_state_lineage, `[`, integer(1), 1L)
    miss <- which(!is.na(out) & !is.na(year) & out %in% lin_from &
                    !tb_is_member(out, year))
    # once per distinct (state, year), then copied to the repeats
    mkey <- as.double(out[miss]) * 2^32 + (as.double(year[miss]) + 2^31)
    first <- miss[!duplicated(mkey)]
    for (i in first) {
      alt <- tb_state_lineage[[match(out[i], lin_from)]][-1L]
      ok <- alt[tb_is_member(alt, rep(year[i], length(alt)))]
      if (length(ok)) out[i] <- ok[1L]
    }
    out[miss] <- out[first][match(mkey, mkey[!duplicated(mkey)])]
  }
  # after the year rule, so the warning describes the final reading
  tb_warn_clashes(x, out, lk$clashes, arg)
  out
}

# Codes that are a CoW abbreviation of one state and the ISO3 code of another
# ("AUS": Austria in CoW, Australia in ISO) are read by the documented rule;
# a warning says how each was read, so ISO3 data are not silently misread.
tb_warn_clashes <- function(x, out, clashes, arg) {
  code <- toupper(trimws(x))
  hit <- !is.na(code) & code %in% clashes
  if (!any(hit)) return(invisible())
  st <- tb_data("states")
  u <- unique(data.frame(code = code[hit], got = out[hit], stringsAsFactors = FALSE))
  abbc <- st$ccode[match(u$code, st$stateabb)]
  isoc <- st$ccode[match(u$code, st$iso3c)]
  alt <- ifelse(u$got == abbc, isoc, abbc)
  nm <- function(cc) st$statenme[match(cc, st$ccode)]
  tb_warn(sprintf("`%s` has codes that are a CoW abbreviation of one state and the ISO3 code of another; read as %s. Give names or ccodes to be explicit.",
                  arg, paste(sprintf("\"%s\" = %s (%d), not %s (%d)", u$code, nm(u$got), u$got,
                                     nm(alt), alt), collapse = "; ")),
          class = "ambiguous")
}
