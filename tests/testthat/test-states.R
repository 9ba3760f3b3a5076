# state_ccode(): names, abbreviations, ISO3 codes and ccodes to ccodes.

st <- threatbalance::states

test_that("state_ccode() resolves ccodes, CoW abbreviations, ISO3 codes and names", {
  expect_identical(state_ccode(c(2, 365, 710)), c(2L, 365L, 710L))
  expect_identical(state_ccode(c("USA", "RUS", "CHN", "UKG", "GMY", "ROK", "PRK")),
                   c(2L, 365L, 710L, 200L, 255L, 732L, 731L))
  expect_identical(state_ccode(c("GBR", "DEU", "FRA", "JPN", "IND", "AUT")),
                   c(200L, 255L, 220L, 740L, 750L, 305L))
  expect_identical(state_ccode(c("Russia", "USSR", "China", "United States", "UK",
                                 "South Korea", "North Korea", "Germany", "West Germany")),
                   c(365L, 365L, 710L, 2L, 200L, 732L, 731L, 255L, 260L))
  expect_identical(state_ccode(c("russia", "  CHINA ", "the United Kingdom", "U.S.",
                                 "Soviet Union", "Côte d'Ivoire", "Antigua & Barbuda",
                                 "710", "East Germany", "Burma")),
                   c(365L, 710L, 200L, 2L, 365L, 437L, 58L, 710L, 265L, 775L))
  expect_identical(state_ccode(factor(c("Japan", "Japan", "Brazil"))), c(740L, 740L, 140L))
  expect_identical(state_ccode(c("China", NA)), c(710L, NA))
  expect_identical(state_ccode(character()), integer())
  expect_identical(state_ccode(NA), NA_integer_)
})

test_that("every country name in the raw files resolves, to the state its source codes", {
  f <- utils::read.csv(test_path("fixtures", "raw-country-names.csv"), encoding = "UTF-8",
                       stringsAsFactors = FALSE)
  expect_gt(nrow(f), 700L)
  st <- tb_data("states")
  got <- suppressWarnings(state_ccode(f$name))
  expect_false(anyNA(got))
  # the source's own code: a CoW code, or ICEWS's ISO3 code read as ISO3 (the
  # ISO2 codes of un_votes are not compared: defunct states' codes were reused)
  want <- ifelse(!is.na(f$ccode), f$ccode,
                 ifelse(f$file == "icews_dyadyears.rda", st$ccode[match(f$iso3c, st$iso3c)], NA))
  has <- !is.na(want)
  expect_gt(sum(has), 350L)
  expect_identical(got[has], as.integer(want[has]))
})

test_that("UN, World Bank and ICEWS spellings resolve", {
  x <- c("Iran (Islamic Republic of)", "Syrian Arab Republic", "Lao PDR", "Iran, Islamic Rep.",
         "Korea, Rep.", "Egypt, Arab Rep.", "Venezuela, RB", "Gambia, The",
         "NETHERLANDS (KINGDOM OF THE)", "BOLIVIA (PLURINATIONAL STATE OF)",
         "Micronesia, Fed. Sts.", "Congo, Dem. Rep.", "Congo, Rep.",
         "DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA", "Viet Nam", "Russian Federation",
         "United Republic of Tanzania", "Republic of Moldova", "T\u00fcrkiye")
  expect_identical(state_ccode(x), c(630L, 652L, 812L, 630L, 732L, 651L, 101L, 420L, 210L,
                                     145L, 987L, 490L, 484L, 731L, 816L, 365L, 510L, 359L, 640L))
  # a name no pattern or key knows still fails, with the classed error
  expect_error(state_ccode("Republic of Atlantis"), class = "threatbalance_error_unknown_state")
})

test_that("numbers written as text are whole ccodes or nothing; any declared encoding", {
  expect_identical(state_ccode(c("2.0", "710", " 002 ", "2e0", "+365")), c(2L, 710L, 2L, 2L, 365L))
  # the decimal point is not dropped: "7.10" is not 710, "2.0" is not 20
  expect_error(state_ccode("7.10"), class = "threatbalance_error_unknown_state")
  expect_error(state_ccode("2.5"), class = "threatbalance_error_unknown_state")
  expect_error(state_ccode("1e9"), class = "threatbalance_error_unknown_state")
  lat <- iconv("C\u00f4te d'Ivoire", "UTF-8", "latin1")
  expect_identical(Encoding(lat), "latin1")
  expect_identical(state_ccode(lat), 437L)
  expect_identical(state_ccode("C\u00f4te d\u2019Ivoire"), 437L)
  # "bytes" strings, and bytes that are not UTF-8 (latin1 read without a
  # declared encoding), match too instead of failing in iconv() or grepl()
  expect_identical(state_ccode(`Encoding<-`("C\u00f4te d'Ivoire", "bytes")), 437L)
  raw_latin1 <- rawToChar(as.raw(c(0x43, 0xf4, 0x74, 0x65, 0x20, 0x64, 0x27, 0x49, 0x76, 0x6f,
                                   0x69, 0x72, 0x65)))
  expect_false(validUTF8(raw_latin1))
  expect_identical(state_ccode(raw_latin1), 437L)
  expect_identical(threat_components(2000, from = raw_latin1, to = "France")$ccode1, 437L)
  expect_error(state_ccode(rawToChar(as.raw(c(0x5a, 0xff, 0xfe)))),
               class = "threatbalance_error_unknown_state")
  # as event and portfolio keys too (found by the 100,000-call fuzz run)
  ev <- data.frame(date = as.Date("2001-04-01") + 0:1, actor = c(raw_latin1, "2"),
                   target = "710", goldstein = 1)
  ev$actor[2] <- `Encoding<-`("2", "bytes")
  expect_equal(relation_scores(ev)$n_events, c(1, 1))
  d <- data.frame(state = c(`Encoding<-`("C\u00f4te", "bytes"), raw_latin1), item = 1, v = 1:2)
  expect_equal(nrow(dyadic_similarity(d, "state", "item", "v")), 1L)
})

test_that("long inputs with repeats are resolved once per distinct value and year", {
  # was 100 s (the year rule ran per element); threat_components() of 1e5
  # repeated years took 30 s under the sanitizer
  x <- rep(c("Germany", "USA"), 5e4)
  yr <- rep(c(1970, 2000), each = 5e4)
  t <- system.time(s <- state_ccode(x, year = yr))[["elapsed"]]
  expect_identical(s, ifelse(x == "USA", 2L, ifelse(yr == 1970, 260L, 255L)))
  expect_lt(t, 10)
  expect_identical(state_ccode(c("Germany", "Germany", "Germany"), year = c(1970, 2000, 1970)),
                   c(260L, 255L, 260L))
})

test_that("the ambiguity warning describes the reading after the year rule", {
  w <- NULL
  got <- withCallingHandlers(state_ccode("KOR", year = 1900), warning = function(c) {
    w <<- conditionMessage(c); invokeRestart("muffleWarning") })
  expect_identical(got, 730L)
  expect_match(w, "read as \"KOR\" = Korea \\(730\\), not South Korea \\(732\\)")
  expect_warning(expect_identical(state_ccode("KOR", year = 2000), 732L),
                 "South Korea \\(732\\), not Korea", class = "threatbalance_warning_ambiguous")
})

test_that("every state's own abbreviation, name and ccode resolve to its ccode", {
  s <- unique(st[, c("ccode", "stateabb", "statenme")])
  own <- !s$stateabb %in% c("CZE", "KOR")   # ISO3 codes of current states, see below
  # AUS, SWZ, MNG, SLV are also other states' ISO3 codes: read as CoW, with a warning
  expect_warning(a <- state_ccode(s$stateabb[own]), class = "threatbalance_warning_ambiguous")
  expect_identical(a, s$ccode[own])
  expect_identical(state_ccode(s$statenme), s$ccode)
  expect_identical(state_ccode(as.character(s$ccode)), s$ccode)
  expect_identical(state_ccode(as.double(s$ccode)), s$ccode)
  iso <- unique(st[!is.na(st$iso3c), c("ccode", "iso3c")])
  iso <- iso[!iso$iso3c %in% s$stateabb, ]   # codes that are not also CoW codes
  expect_identical(state_ccode(iso$iso3c), iso$ccode)
})

test_that("codes that are both CoW and ISO3 follow the documented precedence", {
  amb <- "threatbalance_warning_ambiguous"
  expect_warning(a <- state_ccode(c("AUS", "AUL", "SWZ", "MNG", "SLV")),
                 "\"AUS\" = Austria \\(305\\), not Australia \\(900\\)", class = amb)
  expect_identical(a, c(305L, 900L, 225L, 341L, 349L))
  expect_warning(a <- state_ccode(c("CZE", "KOR")), class = amb)
  expect_identical(a, c(316L, 732L))
  expect_warning(a <- state_ccode(c("CZE", "KOR"), year = c(1960, 1900)), class = amb)
  expect_identical(a, c(315L, 730L))
  # unambiguous codes and names stay silent
  expect_silent(state_ccode(c("AUL", "Australia", "Austria", "USA", "CHN")))
})

test_that("`year` picks the code in force for countries CoW splits over time", {
  expect_identical(state_ccode("Germany", year = c(1900, 1970, 2000)), c(255L, 260L, 255L))
  expect_identical(state_ccode("DEU", year = 1980), 260L)
  expect_identical(state_ccode(c("Yemen", "Yemen"), year = c(1980, 2000)), c(678L, 679L))
  expect_identical(state_ccode("Austria", year = 1900), 300L)
  expect_identical(state_ccode(c("Russia", "China"), year = 1960), c(365L, 710L))
  expect_identical(state_ccode(255, year = 1970), 255L)   # numbers are never changed
  expect_identical(state_ccode("Germany", year = NA), 255L)
})

test_that("state_ccode() lists everything it cannot match in a classed error", {
  err <- tryCatch(state_ccode(c("France", "Atlantis", NA, "Narnia", "Atlantis")),
                  error = identity)
  expect_s3_class(err, "threatbalance_error_unknown_state")
  expect_s3_class(err, "threatbalance_error")
  expect_match(conditionMessage(err), "Atlantis", fixed = TRUE)
  expect_match(conditionMessage(err), "Narnia", fixed = TRUE)
  expect_match(conditionMessage(err), "2 values", fixed = TRUE)
  expect_error(state_ccode(c(2, 999, 1000)), class = "threatbalance_error_unknown_state")
  expect_error(state_ccode("9999"), class = "threatbalance_error_unknown_state")
  expect_error(state_ccode("Narnia", arg = "from"), "`from`")
  expect_error(state_ccode(2.5), class = "threatbalance_error_input")
  expect_error(state_ccode(list("USA")), class = "threatbalance_error_input")
  expect_error(state_ccode(TRUE), class = "threatbalance_error_input")
  expect_error(state_ccode("USA", year = "1990"), class = "threatbalance_error_input")
  expect_error(state_ccode(c("USA", "RUS"), year = c(1990, 1991, 1992)),
               class = "threatbalance_error_input")
})

test_that("user-facing errors are pinned", {
  expect_snapshot(state_ccode(999), error = TRUE)
  expect_snapshot(state_ccode(c(2, 999, 998)), error = TRUE)
  expect_snapshot(state_ccode(2.5), error = TRUE)
  expect_snapshot(state_ccode(c(2, NA, 1e10)), error = TRUE)
  expect_snapshot(state_ccode(TRUE), error = TRUE)
  expect_snapshot(state_ccode(list("USA")), error = TRUE)
  expect_snapshot(state_ccode("Atlantis"), error = TRUE)
  expect_snapshot(state_ccode(c("France", "Atlantis", "Narnia")), error = TRUE)
  expect_snapshot(state_ccode("Atlantis", arg = "from"), error = TRUE)
  expect_snapshot(state_ccode("USA", arg = 1), error = TRUE)
  expect_snapshot(state_ccode("Germany", year = 1970.5), error = TRUE)
  expect_snapshot(state_ccode("Germany", year = "1970"), error = TRUE)
  expect_snapshot(state_ccode(c("USA", "China", "Russia"), year = c(2000, 2001)), error = TRUE)
  # codes that are a CoW abbreviation of one state and the ISO3 code of another
  expect_snapshot(state_ccode("KOR"))
  expect_snapshot(state_ccode(c("AUS", "CZE", "USA")))
})
