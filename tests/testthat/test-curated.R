# Curated datasets (blocs, phases, events) and bloc_members().

in_cow <- function(codes) codes %in% states$ccode

test_that("the curated datasets load with the documented columns and types", {
  expect_s3_class(blocs, "data.frame")
  expect_named(blocs, c("bloc", "ccode", "name", "start", "end", "role",
                        "source", "note"))
  expect_type(blocs$ccode, "integer")
  expect_s3_class(blocs$start, "Date")
  expect_s3_class(blocs$end, "Date")

  expect_named(phases, c("relationship", "phase", "label", "start", "end",
                         "characterisation", "source", "note"))
  expect_type(phases$start, "integer")

  expect_named(events, c("date", "precision", "actor", "target", "cameo",
                         "goldstein", "topic", "description", "source"))
  expect_s3_class(events$date, "Date")
  expect_type(events$cameo, "character")
  expect_type(events$goldstein, "double")
})

test_that("the CSV sources ship in inst/extdata and match the datasets", {
  for (nm in c("blocs", "phases", "events")) {
    f <- system.file("extdata", paste0(nm, ".csv"), package = "threatbalance")
    expect_true(nzchar(f), info = nm)
    csv <- utils::read.csv(f, colClasses = "character", na.strings = "")
    expect_equal(nrow(csv), nrow(get(nm)), info = nm)
  }
  csv <- utils::read.csv(system.file("extdata", "events.csv", package = "threatbalance"),
                         colClasses = "character")
  expect_setequal(paste(csv$date, csv$actor, csv$target, csv$cameo),
                  paste(format(events$date), events$actor, events$target, events$cameo))
})

test_that("bloc spells are well formed and keyed by CoW codes", {
  expect_true(all(blocs$role %in% c("member", "partner", "observer")))
  expect_false(anyNA(blocs$start))
  expect_true(all(is.na(blocs$end) | blocs$end >= blocs$start))
  expect_true(all(in_cow(blocs$ccode)))
  expect_true(all(nzchar(blocs$source)))
  expect_setequal(unique(blocs$bloc),
                  c("NATO", "Warsaw Pact", "SCO", "CSTO", "BRICS", "QUAD", "AUKUS",
                    "Five Eyes", "PfP", "Mediterranean Dialogue", "ICI",
                    "Partners across the globe"))
  # every spell starts after the state entered the CoW system
  first_cow <- tapply(states$start, states$ccode, min)
  expect_true(all(blocs$start >= as.Date(first_cow[as.character(blocs$ccode)],
                                         origin = "1970-01-01")))
})

test_that("NATO has 32 members with the accession waves of the record", {
  nato <- blocs[blocs$bloc == "NATO" & blocs$role == "member", ]
  expect_equal(sum(is.na(nato$end)), 32L)
  expect_equal(sum(nato$start == as.Date("1949-08-24")), 12L)
  n_end <- function(y) nrow(bloc_members("NATO", y))
  expect_equal(vapply(c(1949, 1952, 1955, 1982, 1990, 1999, 2004, 2009, 2017,
                        2020, 2023, 2024), n_end, integer(1)),
               c(12L, 14L, 15L, 16L, 16L, 19L, 26L, 28L, 29L, 30L, 31L, 32L))
  # West Germany hands over to Germany on 3 October 1990
  expect_true(260L %in% bloc_members("NATO", "1990-10-02")$ccode)
  expect_false(255L %in% bloc_members("NATO", "1990-10-02")$ccode)
  expect_true(255L %in% bloc_members("NATO", "1990-10-03")$ccode)
  expect_false(260L %in% bloc_members("NATO", "1990-10-03")$ccode)
  # France stays a member through its 1966-2009 absence from the command
  expect_true(all(vapply(1949:2024, function(y) 220L %in% bloc_members("NATO", y)$ccode,
                         logical(1))))
})

test_that("NATO membership agrees with the CoW IGO data, 1949-2014", {
  raw <- c(file.path("..", "..", "..", "shared", "data", "raw",
                     "igo_state_year_format3.rda"),
           "/work/shared/data/raw/igo_state_year_format3.rda")
  raw <- raw[file.exists(raw)]
  skip_if(length(raw) == 0L, "raw IGO data not available (the check is recorded in data-raw/curated-igo-check.md)")
  env <- new.env()
  load(raw[1], envir = env)
  igo <- env$state_year_format3
  for (y in 1949:2014) {
    theirs <- igo$ccode[igo$year == y & igo$nato == 1]
    expect_setequal(bloc_members("NATO", y)$ccode, theirs)
  }
})

test_that("bloc_members() answers for any bloc on any date", {
  ww <- bloc_members("Warsaw Pact", as.Date("1960-01-01"))
  expect_setequal(ww$ccode, c(365L, 290L, 315L, 310L, 360L, 355L, 339L, 265L))
  expect_equal(nrow(bloc_members("Warsaw Pact", "1991-07-02")), 0L)
  expect_setequal(bloc_members("SCO", "1997-01-01")$ccode, c(710L, 365L, 705L, 703L, 702L))
  expect_setequal(bloc_members("BRICS", "2024-06-01")$ccode,
                  c(140L, 365L, 750L, 710L, 560L, 651L, 530L, 630L, 696L))
  expect_equal(nrow(bloc_members("QUAD", 2012)), 0L)
  expect_equal(nrow(bloc_members("QUAD", 2018)), 4L)
  expect_setequal(bloc_members("AUKUS", "2021-09-15")$ccode, c(2L, 200L, 900L))
  expect_setequal(bloc_members("Five Eyes", 1950)$ccode, c(2L, 200L, 20L))
  expect_true(740L %in% bloc_members("Partners across the globe", 2020, role = "partner")$ccode)
  expect_equal(nrow(bloc_members("Partners across the globe", 2020)), 0L)
  # SCO observers and members
  s <- bloc_members("SCO", 2010, role = c("member", "observer"))
  expect_setequal(s$ccode[s$role == "observer"], c(712L, 750L, 770L, 630L))
})

test_that("bloc_members() is vectorised over blocs and dates", {
  x <- bloc_members(c("nato", "AUKUS"), c("2020-01-01", "2022-01-01"))
  expect_named(x, c("bloc", "date", "ccode", "name", "role"))
  expect_s3_class(x$date, "Date")
  expect_type(x$ccode, "integer")
  counts <- table(paste(x$bloc, x$date))
  expect_equal(as.integer(counts[c("NATO 2020-01-01", "NATO 2022-01-01",
                                   "AUKUS 2022-01-01")]), c(29L, 30L, 3L))
  expect_false("AUKUS 2020-01-01" %in% names(counts))
  expect_equal(unique(x$bloc), c("NATO", "AUKUS"))
  empty <- bloc_members("AUKUS", 2000)
  expect_equal(nrow(empty), 0L)
  expect_named(empty, names(x))
  expect_equal(bloc_members("NATO", 1999), bloc_members("NATO", as.Date("1999-12-31")))
})

test_that("bloc_members() rejects bad input with classed, informative errors", {
  expect_error(bloc_members("Nato+"), class = "threatbalance_error_input")
  expect_error(bloc_members("Nato+"), "Known blocs: .*\"NATO\".*\"Warsaw Pact\"")
  expect_error(bloc_members("Nato+"), "\"Nato\\+\"")
  expect_error(bloc_members(1), class = "threatbalance_error_input")
  expect_error(bloc_members(NA_character_), class = "threatbalance_error_input")
  expect_error(bloc_members("NATO", "31/12/1999"), class = "threatbalance_error_input")
  expect_error(bloc_members("NATO", "31/12/1999"), "YYYY-MM-DD")
  expect_error(bloc_members("NATO", "2020-02-30"), class = "threatbalance_error_input")
  expect_error(bloc_members("NATO", as.Date(NA)), class = "threatbalance_error_input")
  expect_error(bloc_members("NATO", 1999.5), class = "threatbalance_error_input")
  expect_error(bloc_members("NATO", TRUE), class = "threatbalance_error_input")
  expect_error(bloc_members("NATO", role = "ally"), class = "threatbalance_error_input")
})

test_that("blocs_available() lists every bloc", {
  b <- blocs_available()
  expect_setequal(b$bloc, unique(blocs$bloc))
  expect_equal(b$members[b$bloc == "NATO"], 32L)
  expect_s3_class(b$first, "Date")
})

test_that("phases keep the papers' boundary years", {
  cn <- phases[phases$relationship == "China-NATO", ]
  cn <- cn[order(cn$phase), ]
  expect_equal(cn$start, c(1949L, 1972L, 1989L, 2002L))
  expect_equal(cn$end, c(1972L, 1989L, 2002L, 2020L))
  expect_equal(cn$label, c("Isolation and hostility", "Strategic collaboration",
                           "Political opponents", "Engagement and dialogue"))
  rc <- phases[phases$relationship == "Russia-China", ]
  expect_equal(c(rc$start, rc$end), c(2011L, 2021L))
  expect_true(all(grepl("Yi & Yang 2023|Sadeghi", phases$source)))
})

test_that("events use known CAMEO codes with the table's Goldstein weights", {
  expect_true(all(events$cameo %in% cameo$code))
  expect_equal(events$goldstein, cameo$goldstein[match(events$cameo, cameo$code)])
})

test_that("every event actor and target resolves to a state or a bloc", {
  resolves <- function(x) {
    code <- suppressWarnings(as.integer(x))
    ifelse(grepl("^[0-9]+$", x), in_cow(code), x %in% blocs$bloc)
  }
  expect_true(all(resolves(events$actor)), info = paste(events$actor[!resolves(events$actor)]))
  expect_true(all(resolves(events$target)), info = paste(events$target[!resolves(events$target)]))
  # states are CoW members on the event's date, except the documented case of
  # Japan signing the 1951 Security Treaty under occupation
  in_system <- function(x, d) {
    if (!grepl("^[0-9]+$", x)) return(TRUE)
    s <- states[states$ccode == as.integer(x), ]
    any(s$start <= d & s$end >= d)
  }
  ok <- mapply(in_system, events$actor, events$date) &
    mapply(in_system, events$target, events$date)
  expect_equal(paste(events$date[!ok], events$actor[!ok], events$target[!ok]),
               "1951-09-08 2 740")
})

test_that("events are dated within 1945-2025, unique and sourced", {
  expect_true(all(events$date >= as.Date("1945-01-01") & events$date <= as.Date("2025-12-31")))
  expect_true(all(events$precision %in% c("day", "month", "year")))
  expect_true(all(format(events$date[events$precision == "year"], "%m-%d") == "01-01"))
  expect_true(all(format(events$date[events$precision == "month"], "%d") == "01"))
  expect_false(anyDuplicated(events) > 0)
  expect_false(anyDuplicated(events[c("date", "actor", "target", "cameo")]) > 0)
  expect_true(all(nzchar(events$description) & nzchar(events$source)))
  expect_setequal(unique(events$topic),
                  c("China-NATO", "Russia-China", "Russia-NATO", "Asian alignments"))
})

test_that("the events the seeds name are in the chronology", {
  has <- function(date, actor, target) {
    any(events$date == as.Date(date) & events$actor == actor & events$target == target)
  }
  expect_true(has("1952-01-01", "NATO", "710"))       # China Committee embargo
  expect_true(has("1957-05-30", "200", "710"))        # ... ended by the UK
  expect_true(has("1972-02-21", "2", "710"))          # Nixon in Beijing
  expect_true(has("1999-05-08", "NATO", "710"))       # Belgrade embassy
  expect_true(has("2002-05-28", "NATO", "365"))       # NATO-Russia Council
  expect_true(has("2002-11-21", "NATO", "NATO"))      # Prague summit
  expect_true(has("2014-05-21", "365", "710"))        # gas contract
  expect_true(has("2022-02-04", "365", "710"))        # joint statement
  for (d in c("2019-12-04", "2021-06-14", "2022-06-29", "2023-07-11", "2024-07-10")) {
    expect_true(has(d, "NATO", "710"), info = d)      # summit texts naming China
  }
  vetoes <- events[events$cameo == "129", ]
  joint <- intersect(vetoes$date[vetoes$actor == "365"], vetoes$date[vetoes$actor == "710"])
  expect_gte(length(joint), 8L)
})

test_that("Security Council vetoes match the UN veto list and target the draft's sponsors", {
  vetoes <- events[events$cameo == "129", ]
  expect_gte(nrow(vetoes), 60L)
  # a veto's counterpart is a state that sponsored the draft, never a bloc
  expect_false(any(vetoes$target %in% unique(blocs$bloc)))
  expect_true(all(grepl("^[0-9]+$", vetoes$target)))
  expect_true(all(vetoes$actor %in% c("2", "200", "220", "365", "710")))
  # every row cites exactly one draft symbol
  sym <- regmatches(vetoes$source, gregexpr("S/[0-9]{4}/[0-9]+", vetoes$source))
  expect_true(all(lengths(sym) >= 1L))
  draft <- vapply(sym, `[`, "", 1L)
  # Counterparts from the UN record: every sponsor when all the sponsors were
  # Council members; the penholder(s) of a text co-sponsored by non-members
  # (S/2008/447, S/2012/77, S/2014/189, S/2014/348, S/2022/155).
  sponsors <- list(
    "S/2007/14" = c(2L, 200L), "S/2008/447" = 2L,
    "S/2011/612" = c(220L, 255L, 235L, 200L), "S/2012/77" = 600L,
    "S/2012/538" = c(220L, 255L, 235L, 200L, 2L), "S/2014/189" = 2L,
    "S/2014/348" = 220L, "S/2016/1026" = c(651L, 920L, 230L),
    "S/2017/172" = c(220L, 200L, 2L), "S/2019/186" = 2L,
    "S/2019/756" = c(211L, 255L, 690L), "S/2019/961" = c(211L, 255L, 690L),
    "S/2020/654" = c(211L, 255L), "S/2020/667" = c(211L, 255L),
    "S/2022/155" = c(2L, 339L), "S/2022/431" = 2L)
  expect_true(all(draft %in% names(sponsors)),
              info = paste(setdiff(draft, names(sponsors)), collapse = ", "))
  # each vetoing state has one row per counterpart of the draft, no more
  key <- paste(draft, vetoes$actor, format(vetoes$date))
  for (k in unique(key)) {
    d <- strsplit(k, " ", fixed = TRUE)[[1]][1]
    expect_setequal(as.integer(vetoes$target[key == k]), sponsors[[d]])
    expect_false(anyDuplicated(vetoes$target[key == k]) > 0, info = k)
  }
  # ... and the draft was vetoed by that state on that date
  raw <- c(file.path("..", "..", "..", "shared", "data", "raw",
                     "unsc_vetoes_1946_sept2022.csv"),
           "/work/shared/data/raw/unsc_vetoes_1946_sept2022.csv")
  raw <- raw[file.exists(raw)]
  skip_if(length(raw) == 0L, "raw UN veto list not available")
  v <- utils::read.csv(raw[1], stringsAsFactors = FALSE)
  v$date <- as.Date(v$date, format = "%m/%d/%Y")
  v$draft <- trimws(v$draft)
  column <- function(actor, date) {
    switch(actor, "710" = "China", "2" = "USA", "200" = "UK", "220" = "France",
           "365" = if (date < as.Date("1991-12-25")) "USSR" else "Russia")
  }
  for (i in seq_len(nrow(vetoes))) {
    hit <- v[!is.na(v$date) & v$date == vetoes$date[i] & v$draft == draft[i], ]
    info <- paste(vetoes$date[i], vetoes$actor[i], draft[i])
    expect_equal(nrow(hit), 1L, info = info)
    if (nrow(hit) == 1L) {
      expect_equal(hit[[column(vetoes$actor[i], vetoes$date[i])]], 1L, info = info)
    }
  }
  # every joint Russia-China veto in the list from 2011 on is in the chronology
  joint <- v[v$China == 1L & v$Russia == 1L & v$date >= as.Date("2011-01-01"), ]
  for (d in joint$draft) {
    expect_true(all(c("710", "365") %in% vetoes$actor[draft == d]), info = d)
  }
})

test_that("NATO is coded as a party only where NATO itself acts or is addressed", {
  nato <- events[events$actor == "NATO" | events$target == "NATO", ]
  # no veto, no bilateral act of a single member state is coded as NATO's
  expect_false(any(nato$cameo == "129"))
  # the 1999 embassy bombing is NATO's; the apology is the United States'
  expect_true(any(events$date == as.Date("1999-05-08") & events$actor == "NATO" &
                    events$target == "710" & events$cameo == "195"))
  expect_true(any(events$date == as.Date("1999-05-10") & events$actor == "2" &
                    events$target == "710" & events$cameo == "055"))
  # phase IV engagement: China-NATO contacts from 2002 on, with their sources
  cn <- nato[(nato$actor == "710" | nato$target == "710") &
               nato$date >= as.Date("2002-01-01") & nato$date <= as.Date("2020-12-31"), ]
  expect_gte(sum(cn$goldstein > 0), 6L)
  expect_true(any(cn$date == as.Date("2002-10-10")))   # first ambassador-SG meeting
  expect_true(any(cn$date == as.Date("2009-11-09")))   # first DSG visit to Beijing
})

test_that("bloc_members() takes custom blocs: states, spells and lists", {
  quad <- c("USA", "Japan", "India", "Australia", "Philippines", "Vietnam")
  q <- bloc_members(quad, c(2010, 2020), label = "QUAD+")
  expect_identical(names(q), c("bloc", "date", "ccode", "name", "role"))
  expect_true(all(q$bloc == "QUAD+") && all(q$role == "member"))
  expect_identical(q$ccode[q$date == as.Date("2020-12-31")], c(2L, 740L, 750L, 816L, 840L, 900L))
  expect_identical(attr(q, "sources"), "states")
  # names resolved in the year of each date; states outside the system left out
  g <- bloc_members(c("Germany", "France", "Slovenia"), c(1980, 2000))
  expect_identical(g$ccode[g$date == as.Date("1980-12-31")], c(220L, 260L))
  expect_identical(g$ccode[g$date == as.Date("2000-12-31")], c(220L, 255L, 349L))
  expect_identical(unique(g$bloc), "custom bloc")
  # NATO frozen at its 1998 members, fed back as codes or names
  nato98 <- bloc_members("NATO", "1998-12-31")
  fz <- bloc_members(list("NATO 1998" = nato98$ccode, now = "NATO"), 2020)
  expect_identical(fz$ccode[fz$bloc == "NATO 1998"], sort(nato98$ccode))
  expect_identical(unique(fz$bloc), c("NATO 1998", "now"))
  expect_identical(fz[fz$bloc == "now", -1], bloc_members("NATO", 2020)[, -1],
                   ignore_attr = TRUE)
  expect_identical(attr(fz, "sources"), c("states", "blocs"))
  # NATO's own spells as a custom spells table give NATO's members
  sp <- blocs[blocs$bloc == "NATO", c("ccode", "start", "end", "role")]
  for (d in c("1955-05-09", "1990-10-03", "1999-03-12", "2024-03-07")) {
    expect_identical(bloc_members(sp, d)$ccode, bloc_members("NATO", d)$ccode, info = d)
  }
  # spells in years (start: 1 January; end: 31 December), NA end, names
  s2 <- data.frame(ccode = c("Finland", "SWD", "Finland"), start = c(2023, 2024, 2010),
                   end = c(NA, NA, 2012))
  m <- bloc_members(s2, c("2011-06-01", "2013-01-01", "2023-01-01", "2024-12-31"))
  expect_identical(split(m$ccode, format(m$date)),
                   list(`2011-06-01` = 375L, `2023-01-01` = 375L, `2024-12-31` = c(375L, 380L)))
  # overlapping spells of one state count once
  s3 <- data.frame(ccode = c(2, 2), start = as.Date(c("2000-01-01", "2001-01-01")), end = NA)
  expect_identical(nrow(bloc_members(s3, 2005)), 1L)
  # partners and observers from a role column
  s4 <- data.frame(ccode = c(2, 20), start = 2000, end = NA, role = c("member", "observer"))
  expect_identical(bloc_members(s4, 2001, role = c("member", "observer"))$role,
                   c("member", "observer"))
  expect_identical(nrow(bloc_members(quad, 2020, role = "partner")), 0L)
  # bloc names still read as blocs, case-insensitively
  expect_identical(bloc_members(c("quad", "AUKUS"), 2022)$bloc,
                   bloc_members(c("QUAD", "AUKUS"), 2022)$bloc)
})

test_that("custom blocs give classed errors", {
  ei <- "threatbalance_error_input"
  expect_error(bloc_members(c("NATO", "France")), "Unknown bloc", class = ei)
  expect_error(bloc_members(c("France", "Narnia")), "match neither|matches no state", class = ei)
  expect_error(bloc_members(list()), class = ei)
  expect_error(bloc_members(data.frame(ccode = 2, start = 2001, end = 2000)), "before", class = ei)
  expect_error(bloc_members(data.frame(ccode = 2, start = NA, end = 2000)), class = ei)
  expect_error(bloc_members(data.frame(ccode = 2, start = "2001/01/01", end = NA)), class = ei)
  expect_error(bloc_members(data.frame(ccode = 2, begin = 2001)), "start", class = ei)
  expect_error(bloc_members(data.frame(ccode = "Narnia", start = 2001, end = NA)),
               class = "threatbalance_error_unknown_state")
  expect_error(bloc_members(c("USA", "UK"), label = c("a", "b")), "label", class = ei)
  expect_error(bloc_members(list(a = "NATO", a = c(2, 20))), "labelled", class = ei)
  expect_error(bloc_members(TRUE), class = ei)
})

test_that("user-facing errors are pinned", {
  expect_snapshot(bloc_members(1), error = TRUE)
  expect_snapshot(bloc_members(c("NATO", "Atlantis Pact")), error = TRUE)
  expect_snapshot(bloc_members("NATO", as.Date(character())), error = TRUE)
  expect_snapshot(bloc_members("NATO", as.Date(c("2000-01-01", NA))), error = TRUE)
  expect_snapshot(bloc_members("NATO", character()), error = TRUE)
  expect_snapshot(bloc_members("NATO", "2000/01/01"), error = TRUE)
  expect_snapshot(bloc_members("NATO", "2000-02-30"), error = TRUE)
  expect_snapshot(bloc_members("NATO", c("2000-01-01", NA)), error = TRUE)
  expect_snapshot(bloc_members("NATO", numeric()), error = TRUE)
  expect_snapshot(bloc_members("NATO", 1700), error = TRUE)
  expect_snapshot(bloc_members("NATO", 2000.5), error = TRUE)
  expect_snapshot(bloc_members("NATO", TRUE), error = TRUE)
  expect_snapshot(bloc_members("NATO", 2000, role = "boss"), error = TRUE)
  expect_snapshot(bloc_members(c("France", "Narnia")), error = TRUE)
  expect_snapshot(bloc_members(TRUE), error = TRUE)
  expect_snapshot(bloc_members(data.frame(ccode = 2, start = 2001, end = 2000)), error = TRUE)
  expect_snapshot(bloc_members(data.frame(ccode = 2, start = "2001/01/01", end = NA)), error = TRUE)
  expect_snapshot(bloc_members(c("USA", "UK"), label = c("a", "b")), error = TRUE)
  expect_snapshot(bloc_members(list(a = "NATO", a = c(2, 20))), error = TRUE)
})
