# Checks every capital spell of `capitals` (as built from cow_capitals.rda)
# against an independent list of city coordinates, maps::world.cities (the
# maps package, used here only, never by the package), and writes
#   data-raw/capitals-fixes.csv   coordinates replaced (read by datasets.R)
#   data-raw/capitals-check.md    the check, capital by capital
# A capital more than 20 km from its world.cities position is corrected to it,
# unless noted below. Run from the package root:  Rscript data-raw/capitals-check.R

library(maps)
utils::data("world.cities", package = "maps", envir = environment())
wc <- world.cities
e <- new.env()
load(file.path("..", "shared", "data", "raw", "cow_capitals.rda"), envir = e)
cp <- as.data.frame(get(ls(e)[1L], envir = e), stringsAsFactors = FALSE)
cp <- data.frame(ccode = as.integer(cp$ccode), capital = cp$capital,
                 start = as.Date(cp$stdate), lat = cp$lat, lon = cp$lng,
                 stringsAsFactors = FALSE)
cp <- cp[order(cp$ccode, cp$start), ]

km <- function(lat1, lon1, lat2, lon2) {
  r <- pi / 180
  a <- sin((lat2 - lat1) * r / 2)^2 + cos(lat1 * r) * cos(lat2 * r) * sin((lon2 - lon1) * r / 2)^2
  2 * 6371.0088 * asin(pmin(1, sqrt(a)))
}
norm <- function(x) tolower(gsub("[^A-Za-z]", "", iconv(x, "UTF-8", "ASCII//TRANSLIT")))
# Names spelled otherwise in world.cities (capital as in the data -> name, country there)
alias <- read.csv(text = '
capital,wc_name,wc_country
Washington D.C.,Washington,USA
Havana,Havanna,Cuba
St. George\'s,Saint George\'s,Grenada
St. John\'s,Saint John\'s,Antigua and Barbuda
Guatemala City,Guatemala,Guatemala
Panama City,Panama,Panama
Luxembourg City,Luxemburg,Luxembourg
Monaco,Monaco-Ville,Monaco
Hannover,Hanover,Germany
East Berlin,Berlin,Germany
Torino,Turin,Italy
Nafplion,Nauplion,Greece
Zanzibar City,Zanzibar,Tanzania
Djibouti,Jibuti,Djibouti
Addis Ababa,Addis Abeba,Ethiopia
Beirut,Bayrut,Lebanon
Sanaa,San\'a,Yemen
Kuwait City,al-Kuwayt,Kuwait
Ashgabat,Asgabat,Turkmenistan
Bishkek,Biskek,Kyrgyzstan
New Delhi,Ni Dilli,India
Phnom Penh,Phnum Penh,Cambodia
Port Vila,Vila,Vanuatu
South Tarawa,Bairiki,Kiribati
Funafuti,Vaiaku,Tuvalu
', stringsAsFactors = FALSE, strip.white = TRUE)
# Where world.cities itself is off, the source is kept (checked against the
# coordinates given here: GeoNames / the cities' own published positions).
keep_source <- read.csv(text = '
capital,lat,lon,why
Abuja,9.0579,7.4951,"world.cities puts Abuja at 9.18 N 7.17 E, ~37 km north-west of the city centre; the source agrees with the city\'s published position (about 9.06 N 7.49 E; GeoNames, Wikipedia)"
Majuro,7.0897,171.3803,"world.cities has no Majuro; its Marshall Islands capital (Rita, 7.12 N 171.06 E) lies ~36 km west of the source; the source agrees with the published position of Delap-Uliga-Djarrit (about 7.09 N 171.38 E; GeoNames, Wikipedia)"
', stringsAsFactors = FALSE, strip.white = TRUE)

rows <- lapply(seq_len(nrow(cp)), function(i) {
  x <- cp[i, ]
  a <- match(x$capital, alias$capital)
  cand <- if (!is.na(a)) wc[wc$name == alias$wc_name[a] & wc$country.etc == alias$wc_country[a], ]
          else wc[norm(wc$name) == norm(x$capital), ]
  if (!nrow(cand)) return(data.frame(x, wc = NA, wc_lat = NA, wc_lon = NA, d = NA))
  d <- km(x$lat, x$lon, cand$lat, cand$long)
  pick <- if (any(cand$capital == 1L)) which(cand$capital == 1L)[which.min(d[cand$capital == 1L])]
          else which.min(d)
  data.frame(x, wc = paste0(cand$name[pick], " (", cand$country.etc[pick], ")"),
             wc_lat = cand$lat[pick], wc_lon = cand$long[pick], d = d[pick])
})
ck <- do.call(rbind, rows)
ck$status <- ifelse(is.na(ck$d), "not in world.cities",
                    ifelse(ck$d <= 20, "ok", "fixed"))
ks <- match(ck$capital, keep_source$capital)
ck$status[!is.na(ks) & (is.na(ck$d) | ck$d > 20)] <- "kept (world.cities off)"
ck$new_lat <- ifelse(ck$status == "fixed", ck$wc_lat, ck$lat)
ck$new_lon <- ifelse(ck$status == "fixed", ck$wc_lon, ck$lon)
ck$d_after <- ifelse(ck$status == "fixed", km(ck$new_lat, ck$new_lon, ck$wc_lat, ck$wc_lon),
                     ck$d)
ck$d_known <- ifelse(!is.na(ks), km(ck$lat, ck$lon, keep_source$lat[ks], keep_source$lon[ks]), NA)

fixes <- ck[ck$status == "fixed", c("ccode", "capital", "start", "new_lat", "new_lon")]
names(fixes)[4:5] <- c("lat", "lon")
fixes$source <- sprintf("maps::world.cities (maps %s): %s", utils::packageVersion("maps"),
                        ck$wc[ck$status == "fixed"])
utils::write.csv(fixes, file.path("data-raw", "capitals-fixes.csv"), row.names = FALSE)

f2 <- function(x) ifelse(is.na(x), "", sprintf("%.1f", x))
co <- function(a, b) sprintf("%.3f, %.3f", a, b)
md <- c(
  "# Capitals: check of the coordinates",
  "",
  sprintf("Every capital spell of `capitals` (%d, from `cow_capitals.rda`) against `maps::world.cities`", nrow(ck)),
  sprintf("(maps %s, Debian r-cran-maps; used in `data-raw/` only, not a dependency of the package).",
          utils::packageVersion("maps")),
  "Made by `data-raw/capitals-check.R`, which also writes `capitals-fixes.csv` (applied by `datasets.R`).",
  "The city is matched by name (spellings that differ are aliased in the script), preferring",
  "world.cities' current capital of that name; distances are great-circle km (mean Earth radius 6371 km).",
  "A capital more than 20 km from its world.cities position is replaced by that position.",
  "",
  sprintf("Result: %d within 20 km, %d fixed, %d kept where world.cities is off, %d not in world.cities.",
          sum(ck$status == "ok"), sum(ck$status == "fixed"),
          sum(ck$status == "kept (world.cities off)"), sum(ck$status == "not in world.cities")),
  "",
  "## Fixed (more than 20 km off)",
  "",
  "| ccode | capital | from | before (lat, lon) | km off before | after (lat, lon) | km off after |",
  "|---|---|---|---|---|---|---|",
  with(ck[ck$status == "fixed", ], sprintf("| %d | %s | %s | %s | %s | %s | %s |", ccode, capital,
       start, co(lat, lon), f2(d), co(new_lat, new_lon), f2(d_after))),
  "",
  "## Kept although world.cities disagrees",
  "",
  "| ccode | capital | source (lat, lon) | km from world.cities | km from the reference | why |",
  "|---|---|---|---|---|---|",
  with(ck[ck$status == "kept (world.cities off)", ], sprintf("| %d | %s | %s | %s | %s | %s |", ccode,
       capital, co(lat, lon), f2(d), f2(d_known), keep_source$why[match(capital, keep_source$capital)])),
  "",
  "## Not in world.cities (not checked against it)",
  "",
  "| ccode | capital | from | source (lat, lon) |",
  "|---|---|---|---|",
  with(ck[ck$status == "not in world.cities", ], sprintf("| %d | %s | %s | %s |", ccode, capital,
       start, co(lat, lon))),
  "",
  "## All spells",
  "",
  "| ccode | capital | from | source (lat, lon) | world.cities | km | status |",
  "|---|---|---|---|---|---|---|",
  with(ck, sprintf("| %d | %s | %s | %s | %s | %s | %s |", ccode, capital, start, co(lat, lon),
                   ifelse(is.na(wc), "", wc), f2(d), status)),
  "",
  "Notes: Palau's seat of government moved from Koror to Ngerulmud in October 2006; the source",
  "keeps Koror to the present (the coordinates of Koror are fixed here; the spell is not split).")
writeLines(md, file.path("data-raw", "capitals-check.md"))
print(table(ck$status))
print(ck[ck$status != "ok", c("ccode", "capital", "lat", "lon", "wc", "d", "status")])
