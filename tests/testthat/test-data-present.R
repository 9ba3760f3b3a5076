# Data to the present (issue 12): UN votes to 2026, Security Council vetoes,
# UCDP armed conflicts, the open-ended state system, capitals, disputes.

# Raw files and data-raw/ are beside the source tree, not in an installed
# package: the tests that read them skip elsewhere (R CMD check).
raw_dir <- function(...) test_path("..", "..", "..", "shared", "data", "raw", ...)
data_raw <- function(...) test_path("..", "..", "data-raw", ...)

votes_on <- function(resolution) {
  rcid <- unga_rollcalls$rcid[unga_rollcalls$resolution == resolution]
  expect_length(rcid, 1L)
  unga_votes[unga_votes$rcid == rcid, ]
}

test_that("UN votes run to 2026 with the same shape and codes", {
  expect_equal(range(unga_rollcalls$year), c(1946L, 2026L))
  expect_equal(max(unga_rollcalls$date), as.Date("2026-06-04"))
  expect_equal(nrow(unga_rollcalls), 6843L)
  expect_equal(nrow(unga_votes), 982334L)
  expect_false(anyDuplicated(unga_rollcalls$rcid) > 0)
  expect_false(anyDuplicated(unga_rollcalls$resolution[unga_rollcalls$session >= 75]) > 0)
  expect_type(unga_rollcalls$session, "integer")
  expect_type(unga_votes$vote, "integer")
  new <- unga_rollcalls[unga_rollcalls$rcid > 9147L, ]
  expect_equal(nrow(new), 640L)
  expect_true(all(new$session %in% 75:80))
  # rcids follow the unvotes ones in date order
  expect_equal(new$rcid, 9148L + seq_len(nrow(new)) - 1L)
  expect_false(is.unsorted(new$date))
  # the extract has no importance or issue coding: NA, never FALSE
  expect_true(all(is.na(new$important)))
  for (iss in c("me", "nu", "di", "hr", "co", "ec")) expect_true(all(is.na(new[[iss]])), info = iss)
  expect_true(all(new$amend == 0L & new$para == 0L))
  # every session 75-80 has its recorded votes; 2020 has a full session again
  expect_equal(as.vector(table(new$session)), c(99L, 83L, 91L, 87L, 114L, 166L))
  expect_gte(sum(unga_rollcalls$year == 2020L), 90L)
  # keys and codes
  expect_false(anyDuplicated(unga_votes[c("rcid", "ccode")]) > 0)
  expect_true(all(unga_votes$vote %in% 1:3))
  expect_true(all(unga_votes$rcid %in% unga_rollcalls$rcid))
  expect_true(all(unga_votes$ccode %in% states$ccode))
})

test_that("General Assembly votes on Ukraine: ES-11/1 and ES-11/3", {
  r1 <- unga_rollcalls[unga_rollcalls$resolution == "A/RES/ES-11/1", ]
  expect_equal(r1$date, as.Date("2022-03-02"))
  expect_equal(r1$session, 76L)   # the regular session in progress
  v <- votes_on("A/RES/ES-11/1")
  expect_equal(as.vector(table(factor(v$vote, 1:3))), c(141L, 35L, 5L))
  expect_equal(v$vote[v$ccode == 710], 2L)   # China abstains
  expect_equal(v$vote[v$ccode == 365], 3L)   # Russia no
  expect_equal(v$vote[v$ccode == 2], 1L)     # United States yes
  expect_equal(v$vote[v$ccode == 369], 1L)   # Ukraine yes
  r3 <- unga_rollcalls[unga_rollcalls$resolution == "A/RES/ES-11/3", ]
  expect_equal(r3$date, as.Date("2022-04-07"))
  v <- votes_on("A/RES/ES-11/3")
  expect_equal(as.vector(table(factor(v$vote, 1:3))), c(93L, 58L, 24L))
  expect_equal(v$vote[v$ccode %in% c(365, 710)], c(3L, 3L))
  expect_equal(unga_rollcalls$session[unga_rollcalls$resolution == "A/RES/ES-10/21"], 78L)
})

test_that("the extract's defects are handled as documented", {
  expect_false(any(grepl("^A/RES/75/254", unga_rollcalls$resolution)))
  v <- votes_on("A/RES/75/290 A")
  expect_equal(as.vector(table(factor(v$vote, 1:3))), c(90L, 47L, 0L))
  v <- votes_on("A/RES/77/293")
  expect_equal(as.vector(table(factor(v$vote, 1:3))), c(100L, 58L, 9L))
  expect_false(any(grepl("^A/RES/79/259|^A/RES/80/(84|236|244)", unga_rollcalls$resolution)))
})

test_that("every member name of the extract maps, and counts match the source", {
  skip_if_not_installed("jsonlite")
  dir <- raw_dir("unga_dgacm")
  alias_file <- data_raw("unga-member-aliases.csv")
  skip_if_not(dir.exists(dir) && file.exists(alias_file), "raw files not at hand")
  al <- utils::read.csv(alias_file, encoding = "UTF-8", stringsAsFactors = FALSE)
  expect_named(al, c("name", "ccode"))
  expect_false(anyDuplicated(al$name) > 0)
  expect_true(all(al$ccode %in% states$ccode))
  files <- file.path(dir, c(paste0(75:80, ".json"), "ES-10.json", "ES-11.json"))
  res <- do.call(c, lapply(files, function(f)
    lapply(readLines(f, encoding = "UTF-8", warn = FALSE), jsonlite::fromJSON)))
  res <- res[vapply(res, function(x) identical(x$adoption_type, "By a recorded vote"), NA)]
  names_used <- unique(unlist(lapply(res, function(x)
    c(x$MS_in_favour, x$MS_against, x$MS_abstaining))))
  expect_length(setdiff(names_used, al$name), 0L)
  sym <- vapply(res, `[[`, "", "symbol")
  res <- res[!duplicated(sym)]
  sym <- sym[!duplicated(sym)]
  defects <- c("A/RES/75/254 A-C", "A/RES/77/293")
  k <- which(!sym %in% defects)
  expect_length(k, 639L)
  rcid <- unga_rollcalls$rcid[match(sym[k], unga_rollcalls$resolution)]
  expect_false(anyNA(rcid))
  nv <- unga_votes[unga_votes$rcid %in% rcid, ]
  got <- unclass(table(factor(nv$rcid, levels = rcid), factor(nv$vote, levels = 1:3)))
  stated <- t(vapply(res[k], function(x) as.integer(c(x$MS_in_favour_count,
                                                     x$MS_abstaining_count,
                                                     x$MS_against_count)), integer(3)))
  bad <- which(rowSums(got != stated) > 0)
  expect_equal(sym[k][bad], character())
})

test_that("unsc_vetoes: one row per member per vetoed draft, known vetoes", {
  v <- unsc_vetoes
  expect_s3_class(v$date, "Date")
  expect_type(v$ccode, "integer")
  expect_named(v, c("veto_id", "date", "draft", "meeting", "ccode", "member", "agenda",
                    "topic", "source"))
  expect_false(anyDuplicated(v[c("veto_id", "ccode")]) > 0)
  expect_true(all(v$ccode %in% c(2L, 200L, 220L, 365L, 710L, 713L)))
  expect_false(anyNA(v$source))
  expect_false(anyNA(v$date))
  expect_equal(length(unique(v$veto_id)), 229L)
  expect_equal(nrow(v), 282L)
  # one date per draft
  expect_true(all(tapply(v$date, v$veto_id, function(d) length(unique(d))) == 1L))
  # the USSR's vetoes under 365; China after 1971 under 710
  expect_true(all(v$ccode[v$member == "USSR"] == 365L))
  expect_true(all(v$date[v$ccode == 710L] > as.Date("1971-10-25")))
  # Russia alone on S/2022/155 (25 February 2022)
  x <- v[v$draft %in% "S/2022/155", ]
  expect_equal(x$ccode, 365L)
  expect_equal(x$date, as.Date("2022-02-25"))
  expect_equal(x$meeting, "S/PV.8979")
  # joint Russia-China vetoes from 2011: 12 to 2022 in the list, 14 to 2025
  joint <- tapply(v$ccode, v$veto_id, function(cc) all(c(365L, 710L) %in% cc))
  jdate <- as.Date(tapply(v$date, v$veto_id, min), origin = "1970-01-01")
  expect_equal(sum(joint & jdate >= as.Date("2011-01-01") & jdate <= as.Date("2022-12-31")), 12L)
  expect_equal(sum(joint & jdate >= as.Date("2011-01-01")), 14L)
  expect_equal(as.vector(table(format(jdate[joint & jdate >= as.Date("2019-01-01")], "%Y"))),
               c(3L, 2L, 1L, 1L, 1L))
  # hand-added rows start on 30 September 2022
  hand <- v[v$veto_id > 214L, ]
  expect_equal(min(hand$date), as.Date("2022-09-30"))
  expect_true(all(grepl("research.un.org/en/docs/sc/quick/veto", hand$source, fixed = TRUE)))
  expect_equal(v$ccode[v$draft %in% "S/2022/720"], 365L)
  expect_equal(sort(v$ccode[v$draft %in% c("S/2023/792", "S/2024/239")]), c(365L, 365L, 710L, 710L))
  expect_equal(v$ccode[v$draft %in% c("S/2023/773", "S/2023/970", "S/2024/173", "S/2024/312",
                                      "S/2024/835", "S/2025/353")], rep(2L, 6L))
  expect_equal(sum(v$ccode == 2L & format(v$date, "%Y") == "2025"), 2L)
})

test_that("events that record vetoes agree with unsc_vetoes", {
  e <- events[grepl("vetoes", events$description, fixed = TRUE), ]
  expect_gt(nrow(e), 0L)
  k <- paste(e$date, e$actor)
  expect_true(all(k %in% paste(unsc_vetoes$date, unsc_vetoes$ccode)))
})

test_that("armed_conflicts: keys, types, and what UCDP says about known pairs", {
  a <- armed_conflicts
  expect_named(a, c("conflict_id", "year", "ccode1", "ccode2", "side_a", "primary",
                    "any_primary", "type", "intensity", "start_date"))
  expect_false(anyDuplicated(a[c("conflict_id", "year", "ccode1", "ccode2")]) > 0)
  expect_true(all(a$ccode1 < a$ccode2))
  expect_equal(range(a$year), c(1946L, 2024L))
  expect_true(all(a$intensity %in% c("minor", "war")))
  expect_true(all(a$type %in% c("interstate", "internationalized intrastate")))
  expect_false(any(a$primary & a$type != "interstate"))
  expect_true(all(a$any_primary[a$primary]))
  expect_s3_class(a$start_date, "Date")
  expect_true(all(a$ccode1 %in% states$ccode & a$ccode2 %in% states$ccode))
  # Russia-Ukraine: interstate war 2022-2024 only; 2014-2022 Russia on the
  # rebels' side of Ukraine's internationalized intrastate conflicts
  ru <- a[a$ccode1 == 365 & a$ccode2 == 369, ]
  inter <- ru[ru$type == "interstate", ]
  expect_equal(inter$year, 2022:2024)
  expect_true(all(inter$intensity == "war" & inter$primary & inter$side_a))
  expect_equal(unique(inter$start_date), as.Date("2014-03-18"))
  ii <- ru[ru$type != "interstate", ]
  expect_equal(sort(unique(ii$year)), 2014:2022)
  expect_true(all(!ii$side_a & ii$any_primary))   # Russia (ccode1) on side B
  expect_equal(unique(ii$intensity[ii$year == 2014]), "war")
  # North Korea on Russia's side in 2024
  expect_true(any(a$year == 2024 & a$ccode1 == 369 & a$ccode2 == 731 & a$conflict_id == 13243))
  # India-Pakistan
  ip <- a[a$ccode1 == 750 & a$ccode2 == 770 & a$type == "interstate", ]
  expect_equal(ip$year[ip$intensity == "war"], c(1948L, 1965L, 1971L))
  expect_true(all(2013:2020 %in% ip$year))
  expect_false(any(ip$year > 2020))
  # Korean War: China and the US, both secondary parties, on opposite sides
  k <- a[a$ccode1 == 2 & a$ccode2 == 710 & a$year == 1951, ]
  expect_equal(nrow(k), 1L)
  expect_false(k$primary)
  # GW 678 after 1990 is Yemen, CoW 679 (US and UK against Yemen, 2024)
  expect_true(all(c(2L, 200L) %in% a$ccode1[a$year == 2024 & a$ccode2 == 679 &
                                              a$type == "interstate"]))
  expect_false(any(a$ccode1 == 678 & a$year > 1990 | a$ccode2 == 678 & a$year > 1990))
})

test_that("the Gleditsch-Ward to CoW table: every code of UCDP, and the codes that differ", {
  f <- data_raw("gw-cow.csv")
  skip_if_not(file.exists(f), "data-raw/ not at hand")
  gc <- utils::read.csv(f, stringsAsFactors = FALSE, na.strings = "")
  expect_named(gc, c("gwno", "ccode", "from_year", "to_year", "name", "note"))
  map <- function(gw, year) {
    hit <- gc$gwno == gw & (is.na(gc$from_year) | year >= gc$from_year) &
      (is.na(gc$to_year) | year <= gc$to_year)
    expect_equal(sum(hit), 1L, label = paste("rows for GW", gw, "in", year))
    gc$ccode[hit][1L]
  }
  expect_equal(map(260, 1980), 260L)   # West Germany
  expect_equal(map(260, 1990), 260L)
  expect_equal(map(260, 1999), 255L)   # Germany
  expect_equal(map(678, 1979), 678L)   # North Yemen
  expect_equal(map(678, 1990), 679L)   # Yemen
  expect_equal(map(678, 2024), 679L)
  expect_equal(map(340, 2010), 345L)   # Serbia
  expect_equal(map(345, 1999), 345L)   # Yugoslavia
  expect_equal(map(816, 1970), 816L)   # (North) Vietnam: same code
  expect_equal(map(817, 1970), 817L)   # South Vietnam
  expect_equal(map(972, 2005), 955L)   # Tonga
  expect_equal(map(970, 2005), 946L)   # Kiribati (CoW 970 is Nauru)
  expect_equal(map(971, 2005), 970L)   # Nauru
  expect_equal(map(973, 2005), 947L)   # Tuvalu
  expect_true(is.na(map(751, 1948)))   # Hyderabad: no CoW code
  expect_equal(map(365, 2022), 365L)
  expect_equal(map(710, 1950), 710L)
  mapped <- gc$ccode[!is.na(gc$ccode)]
  expect_true(all(mapped %in% states$ccode))
  expect_false(anyNA(gc$name) || anyNA(gc$note))
  rf <- raw_dir("ucdp_acd.rda")
  skip_if_not(file.exists(rf), "raw files not at hand")
  e <- new.env()
  load(rf, envir = e)
  acd <- as.data.frame(e$ucdp_acd)
  gw <- unique(stats::na.omit(c(acd$gwno_a, acd$gwno_a_2nd, acd$gwno_b, acd$gwno_b_2nd)))
  expect_length(setdiff(gw, gc$gwno), 0L)
})

test_that("capitals lie within 20 km of the cities' known coordinates", {
  km <- function(lat1, lon1, lat2, lon2) {
    r <- pi / 180
    a <- sin((lat2 - lat1) * r / 2)^2 + cos(lat1 * r) * cos(lat2 * r) * sin((lon2 - lon1) * r / 2)^2
    2 * 6371.0088 * asin(pmin(1, sqrt(a)))
  }
  known <- data.frame(
    ccode = c(2L, 200L, 220L, 255L, 365L, 369L, 710L, 740L, 750L, 140L, 670L, 616L,
              475L, 522L, 20L, 900L, 986L),
    capital = c("Washington D.C.", "London", "Paris", "Berlin", "Moscow", "Kiev", "Beijing",
                "Tokyo", "New Delhi", "Brasilia", "Riyadh", "Tunis", "Abuja", "Djibouti",
                "Ottawa", "Canberra", "Koror"),
    lat = c(38.90, 51.51, 48.86, 52.52, 55.76, 50.45, 39.90, 35.68, 28.61, -15.79, 24.71,
            36.81, 9.07, 11.59, 45.42, -35.28, 7.34),
    lon = c(-77.04, -0.13, 2.35, 13.40, 37.62, 30.52, 116.40, 139.69, 77.21, -47.88, 46.68,
            10.18, 7.49, 43.15, -75.70, 149.13, 134.48),
    stringsAsFactors = FALSE)
  cur <- capitals[capitals$end == max(capitals$end), ]
  for (i in seq_len(nrow(known))) {
    row <- cur[cur$ccode == known$ccode[i], ]
    expect_equal(nrow(row), 1L, label = known$capital[i])
    d <- km(row$lat, row$lon, known$lat[i], known$lon[i])
    expect_lt(d, 20, label = paste(known$capital[i], round(d, 1), "km"))
  }
  f <- data_raw("capitals-fixes.csv")
  skip_if_not(file.exists(f), "data-raw/ not at hand")
  fx <- utils::read.csv(f, stringsAsFactors = FALSE)
  expect_equal(sort(fx$capital), sort(c("Brasilia", "Parma", "Djibouti", "Tunis", "Riyadh",
                                        "Beijing", "Koror")))
  m <- match(paste(fx$ccode, fx$start), paste(capitals$ccode, capitals$start))
  expect_equal(capitals$lat[m], fx$lat)
  expect_equal(capitals$lon[m], fx$lon)
})

test_that("disputes keep every GML dispute record, in both orientations", {
  d <- disputes
  expect_equal(nrow(d), 10276L)
  expect_false(anyDuplicated(d[c("dispnum", "year", "ccode1", "ccode2")]) > 0)
  # each record also appears reversed, with the 1/2 columns swapped
  r <- match(paste(d$dispnum, d$year, d$ccode2, d$ccode1),
             paste(d$dispnum, d$year, d$ccode1, d$ccode2))
  expect_false(anyNA(r))
  expect_identical(d$hostlev1, d$hostlev2[r])
  expect_identical(d$sidea1, d$sidea2[r])
  expect_identical(d$hiact1, d$hiact2[r])
  nd <- d[d$ccode1 < d$ccode2, ]
  expect_equal(nrow(nd), 5138L)
  # pairs with several disputes in a year keep them all (496 more than one per dyad-year)
  expect_equal(nrow(nd) - nrow(unique(nd[c("ccode1", "ccode2", "year")])), 496L)
  expect_equal(range(d$year), c(1816L, 2010L))
})
