# One source of truth for the derived tables every measure is built on:
# the session cache and its memo helper, the state-year and dyad-year keys,
# the table of source coverage, and the state-year / dyad-year tables derived
# from the packaged data (membership, capitals, contiguity, minimum distance).
# Everything here is built once per session, on first use.

# Package datasets, read through the namespace so internal code never depends
# on the search path.
tb_data <- function(name) {
  getExportedValue("threatbalance", name)
}

# The session cache of derived tables.
tb_cache <- new.env(parent = emptyenv())

# The value cached under `key`, evaluating `expr` (lazily, once) when absent.
tb_memo <- function(key, expr) {
  val <- get0(key, envir = tb_cache, inherits = FALSE)
  if (is.null(val)) {
    val <- expr
    assign(key, val, envir = tb_cache)
  }
  val
}

# A one-slot memo: the value for `key` if it is the last one computed under
# `slot`, else `expr` (which then replaces it). For results that depend on
# arguments, where keeping every variant would grow without bound.
tb_memo_last <- function(slot, key, expr) {
  hit <- get0(slot, envir = tb_cache, inherits = FALSE)
  if (!is.null(hit) && identical(hit$key, key)) return(hit$value)
  val <- expr
  assign(slot, list(key = key, value = val), envir = tb_cache)
  val
}

# Correlates of War state codes are 0..tb_ccode_max (TB_NCCODE - 1 in C).
tb_ccode_max <- 999L

# State-year key: year * 1000 + ccode, an integer (years up to 2,147,482).
tb_sy_key <- function(year, ccode) year * 1000L + ccode

# Dyad-year key as a double: year * 1e6 + ccode1 * 1e3 + ccode2, exact.
# Codes outside 0..tb_ccode_max give NA.
tb_dy_key <- function(year, ccode1, ccode2) {
  ccode1[ccode1 < 0L | ccode1 > tb_ccode_max] <- NA_integer_
  ccode2[ccode2 < 0L | ccode2 > tb_ccode_max] <- NA_integer_
  as.double(year) * 1e6 + ccode1 * 1e3 + ccode2
}

# Calendar year of Dates, as integer.
tb_year_of <- function(d) as.integer(format(d, "%Y"))

# Years touched by each [start, end] spell of Dates, expanded: the row of the
# spell and the year, in spell order (years ascending within a spell).
tb_spell_years <- function(start, end) {
  y0 <- tb_year_of(start)
  len <- pmax(tb_year_of(end) - y0 + 1L, 0L)
  row <- rep(seq_along(y0), len)
  list(row = row, year = y0[row] + sequence(len) - 1L)
}

# ---- coverage ---------------------------------------------------------------

# The years each packaged source covers, read from the data. Every coverage
# check, warning and C call takes its years from here (tests/testthat/
# test-tables.R pins them and checks the datasets' docs against them).
# `label` is how warnings name the source.
tb_coverage <- function() {
  tb_memo("coverage", {
    span <- function(x) as.integer(range(x, na.rm = TRUE))
    st <- tb_data("states")
    ca <- tb_data("capitals")
    co <- tb_data("contiguity")
    rv <- tb_data("rivalries")
    # UN votes: years with a full session of roll calls (at least 20), so a
    # year holding the first roll call of a session only is not "covered".
    n <- table(tb_data("unga_rollcalls")$year)
    full <- as.integer(names(n))[n >= 20L]
    # the state list leaves current members open-ended (9999-12-31): member
    # years run to the last year any other packaged source covers
    rc_years <- span(tb_data("unga_rollcalls")$year)
    ends <- c(span(tb_data("capabilities")$year)[2L], span(tb_year_of(ca$end))[2L],
              rc_years[2L], span(tb_data("alliances")$year)[2L],
              span(tb_data("disputes")$year)[2L], span(tb_data("armed_conflicts")$year)[2L])
    cv <- rbind(
      states = c(min(tb_year_of(st$start)), max(ends)),
      capabilities = span(tb_data("capabilities")$year),
      capitals = span(tb_year_of(c(ca$start, ca$end))),
      min_distance = span(tb_data("min_distance")$year),
      contiguity = span(tb_year_of(c(co$start, co$end))),
      alliances = span(tb_data("alliances")$year),
      disputes = span(tb_data("disputes")$year),
      rivalries = span(c(rv$start, rv$end)),
      votes = span(full),
      majors = span(tb_year_of(c(tb_data("major_powers")$start, tb_data("major_powers")$end))),
      conflicts = span(tb_data("armed_conflicts")$year))
    data.frame(source = rownames(cv), first = cv[, 1L], last = cv[, 2L],
               label = c("the CoW state system list", "NMC v7.0", "the capitals data",
                         "CShapes 2.0 (min_distance)", "CoW direct contiguity",
                         "ATOP 5.1 alliances", "disputes (GML MID)", "rivalries (TSS)",
                         "UN General Assembly votes", "CoW major powers",
                         "UCDP/PRIO armed conflict"),
               row.names = NULL, stringsAsFactors = FALSE)
  })
}

# First and last year of a source, as an integer pair.
tb_cov <- function(source) {
  cv <- tb_coverage()
  i <- match(source, cv$source)
  if (is.na(i)) tb_abort(sprintf("unknown coverage source \"%s\"", source), class = "internal")
  c(cv$first[i], cv$last[i])
}

# The label of a source for messages.
tb_cov_label <- function(source) {
  cv <- tb_coverage()
  cv$label[match(source, cv$source)]
}

# ---- state-year tables --------------------------------------------------------

# All state-years of system membership (a state is a member in a year when
# one of its spells touches that year), in spell order.
tb_member_years <- function() {
  tb_memo("member_years", {
    sp <- tb_state_lookup()$spells
    len <- sp$last - sp$first + 1L
    row <- rep(seq_len(nrow(sp)), len)
    list(year = sp$first[row] + sequence(len) - 1L, ccode = sp$ccode[row])
  })
}

# State-year table of capital coordinates: for each year a capital's
# validity touches, the capital that took office last in that year. Rows are
# in order of the capitals' start, so tb_sy_index() (later rows win) and
# "last by start" pick the same capital.
tb_capital_years <- function() {
  tb_memo("capital_years", {
    cp <- tb_data("capitals")
    cp <- cp[order(cp$start), ]
    sy <- tb_spell_years(cp$start, cp$end)
    list(year = sy$year, ccode = cp$ccode[sy$row],
         lat = cp$lat[sy$row], lon = cp$lon[sy$row])
  })
}

# ---- dyad-year tables ---------------------------------------------------------

# Directed dyad-year table of the closest contiguity type in force: 1-5, or
# 0 where the only spells in force are CoW's explicit "not contiguous" (0).
tb_contiguity_years <- function() {
  tb_memo("contiguity_years", {
    ct <- tb_data("contiguity")
    sy <- tb_spell_years(ct$start, ct$end)
    row <- sy$row
    year <- sy$year
    c1 <- c(ct$ccode1[row], ct$ccode2[row])
    c2 <- c(ct$ccode2[row], ct$ccode1[row])
    type <- rep(ct$conttype[row], 2L)
    type[type == 0L] <- 99L
    key <- tb_dy_key(c(year, year), c1, c2)
    o <- order(key, type)
    key <- key[o]; type <- type[o]
    keep <- !duplicated(key)
    type <- type[keep]
    type[type == 99L] <- 0L
    list(key = key[keep], type = type)
  })
}

# Non-directed minimum distances keyed by dyad-year (ccode1 < ccode2).
tb_mindist_table <- function() {
  tb_memo("mindist", {
    md <- tb_data("min_distance")
    list(key = tb_dy_key(md$year, pmin(md$ccode1, md$ccode2), pmax(md$ccode1, md$ccode2)),
         km = md$mindist)
  })
}

# State-years of major-power status (CoW). Spells in force at the end of the
# list (2016-12-31) run on to the last year of the state system: the list has
# not been revised since (documented at ?major_powers and the `reach`
# argument of threat_components()).
tb_major_years <- function() {
  tb_memo("major_years", {
    mp <- tb_data("major_powers")
    last <- tb_cov("majors")[2L]
    open <- tb_year_of(mp$end) == last
    end <- mp$end
    end[open] <- as.Date(sprintf("%04d-12-31", tb_cov("states")[2L]))
    sy <- tb_spell_years(mp$start, end)
    key <- unique(tb_sy_key(sy$year, mp$ccode[sy$row]))
    sort(key)
  })
}

# Defence or offence pacts in force (ATOP, either direction), as year-sorted
# records list(year, ccode1, ccode2, 1) with ccode1 < ccode2.
tb_alliance_ties <- function() {
  tb_memo("alliance_ties", {
    al <- tb_data("alliances")
    al <- al[(al$defense == 1L | al$offense == 1L) & al$ccode1 != al$ccode2, ]
    key <- unique(tb_dy_key(al$year, pmin(al$ccode1, al$ccode2), pmax(al$ccode1, al$ccode2)))
    key <- sort(key)
    list(as.integer(key %/% 1e6), as.integer(key %/% 1e3 %% 1e3), as.integer(key %% 1e3),
         rep(1, length(key)))
  })
}
