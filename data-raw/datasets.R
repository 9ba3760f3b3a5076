# Builds the package's datasets in data/ from the raw files in
# ../shared/data/raw (see that folder's PROVENANCE.md). Rerunnable:
#   Rscript data-raw/datasets.R      (from the package root)
# Needs countrycode at build time only (ISO codes <-> CoW codes), and jsonlite
# (UN General Assembly extract, data-raw/unga.R).
# The curated datasets (blocs, phases, events) are built by data-raw/curated.R.

raw <- function(file) {
  path <- file.path("..", "shared", "data", "raw", file)
  if (!file.exists(path)) stop("raw file not found: ", path)
  e <- new.env()
  load(path, envir = e)
  x <- get(ls(e)[1L], envir = e)
  as.data.frame(x, stringsAsFactors = FALSE)
}
ymd <- function(y, m, d) as.Date(sprintf("%04d-%02d-%02d", as.integer(y), as.integer(m), as.integer(d)))
save_data <- function(name, value) {
  rownames(value) <- NULL
  assign(name, value)
  f <- file.path("data", paste0(name, ".rda"))
  save(list = name, file = f, compress = "xz", compression_level = 9)
  cat(sprintf("%-16s %9d rows  %7.1f kB\n", name, nrow(value), file.size(f) / 1024))
}
dir.create("data", showWarnings = FALSE)

# ---- states ---------------------------------------------------------------
# CoW state system membership (v2016) as carried by the states package, with
# current members open-ended: their spells end 9999-12-31, as in the source.
st <- raw("states_cowstates.rda")
states <- data.frame(
  ccode = as.integer(st$cowcode), stateabb = st$cowc, statenme = st$country_name,
  iso3c = NA_character_, start = as.Date(st$start), end = as.Date(st$end),
  stringsAsFactors = FALSE)
# The same spells as the CoW list of peacesciencer (cow_states.rda), but for
# the end of the ongoing ones (2016-12-31 there).
local({
  cw <- raw("cow_states.rda")
  k_cw <- paste(cw$ccode, ymd(cw$styear, cw$stmonth, cw$stday), cw$stateabb, cw$statenme)
  k_st <- paste(states$ccode, states$start, states$stateabb, states$statenme)
  stopifnot(setequal(k_cw, k_st),
            all(states$end[states$end != as.Date("9999-12-31")] <= as.Date("2016-12-31")))
})
iso_custom <- c("260" = NA, "265" = NA, "255" = "DEU", "347" = "XKX",
                "345" = "SRB", "678" = NA, "680" = NA, "679" = "YEM",
                "315" = NA, "316" = "CZE", "817" = NA, "816" = "VNM",
                "365" = "RUS", "730" = NA, "731" = "PRK", "732" = "KOR",
                "713" = "TWN", "710" = "CHN", "511" = NA, "510" = "TZA")
states$iso3c <- suppressWarnings(countrycode::countrycode(
  states$ccode, "cown", "iso3c", custom_match = iso_custom))
# Historical states with no ISO code (Bavaria, Papal States, ...) stay NA.
states$iso3c[states$end < as.Date("1945-01-01")] <- NA
states <- states[order(states$ccode, states$start), ]
save_data("states", states)

# ---- capabilities (NMC 7.0) ----------------------------------------------
nmc <- raw("cow_nmc.rda")
capabilities <- data.frame(ccode = as.integer(nmc$ccode), year = as.integer(nmc$year),
                           milex = nmc$milex, milper = nmc$milper, irst = nmc$irst,
                           pec = nmc$pec, tpop = nmc$tpop, upop = nmc$upop,
                           cinc = nmc$cinc)
for (v in c("milex", "milper", "irst", "pec", "tpop", "upop"))
  capabilities[[v]][!is.na(capabilities[[v]]) & capabilities[[v]] < 0] <- NA
capabilities <- capabilities[order(capabilities$year, capabilities$ccode), ]
save_data("capabilities", capabilities)

# ---- gdp_pop --------------------------------------------------------------
gp <- raw("cw_gdppop.rda")
gdp_pop <- data.frame(ccode = as.integer(gp$ccode), year = as.integer(gp$year),
                      gdp = gp$pwtrgdp, gdp_sd = gp$sd_pwtrgdp,
                      gdppc = gp$mrgdppc, gdppc_sd = gp$sd_mrgdppc,
                      pop = gp$pwtpop, pop_sd = gp$sd_pwtpop)
gdp_pop <- gdp_pop[order(gdp_pop$year, gdp_pop$ccode), ]
save_data("gdp_pop", gdp_pop)

# ---- capitals -------------------------------------------------------------
cp <- raw("cow_capitals.rda")
capitals <- data.frame(ccode = as.integer(cp$ccode), capital = cp$capital,
                       start = as.Date(cp$stdate), end = as.Date(cp$enddate),
                       lat = cp$lat, lon = cp$lng, stringsAsFactors = FALSE)
# Coordinates more than 20 km from the city (country centroids for Brasilia,
# Tunis, Riyadh, ...) are corrected: see data-raw/capitals-check.md, made by
# data-raw/capitals-check.R (maps::world.cities, used at check time only).
cfix <- utils::read.csv(file.path("data-raw", "capitals-fixes.csv"), stringsAsFactors = FALSE)
m <- match(paste(cfix$ccode, cfix$capital, cfix$start),
           paste(capitals$ccode, capitals$capital, capitals$start))
stopifnot(!anyNA(m))
capitals$lat[m] <- cfix$lat
capitals$lon[m] <- cfix$lon
capitals <- capitals[order(capitals$ccode, capitals$start), ]
save_data("capitals", capitals)

# ---- contiguity -----------------------------------------------------------
cd <- raw("cow_contdir.rda")
contiguity <- data.frame(ccode1 = as.integer(cd$ccode1), ccode2 = as.integer(cd$ccode2),
                         conttype = as.integer(cd$conttype),
                         start = as.Date(cd$stdate), end = as.Date(cd$enddate))
contiguity <- contiguity[order(contiguity$ccode1, contiguity$ccode2, contiguity$start), ]
save_data("contiguity", contiguity)

# ---- min_distance ---------------------------------------------------------
md <- raw("cow_mindist.rda")
min_distance <- data.frame(ccode1 = as.integer(md$ccode1), ccode2 = as.integer(md$ccode2),
                           year = as.integer(md$year), mindist = md$mindist)
min_distance <- min_distance[order(min_distance$year, min_distance$ccode1, min_distance$ccode2), ]
save_data("min_distance", min_distance)

# ---- alliances (ATOP 5.1) -------------------------------------------------
at <- raw("atop_alliance.rda")
alliances <- data.frame(ccode1 = as.integer(at$ccode1), ccode2 = as.integer(at$ccode2),
                        year = as.integer(at$year),
                        defense = as.integer(at$atop_defense), offense = as.integer(at$atop_offense),
                        neutral = as.integer(at$atop_neutral), nonagg = as.integer(at$atop_nonagg),
                        consul = as.integer(at$atop_consul))
alliances <- alliances[order(alliances$year, alliances$ccode1, alliances$ccode2), ]
save_data("alliances", alliances)

# ---- disputes (GML MID 2.2.1 dispute dyad-years) --------------------------
# Every dispute record: the directed dispute-dyad-years of GML (gml_dirdisp),
# both orientations of each pair. (The carrier's gml_mid_ddydisps keeps one
# dispute per dyad-year where GML has several: 496 records fewer.)
gm <- raw("gml_dirdisp.rda")
disputes <- data.frame(dispnum = as.integer(gm$dispnum),
                       ccode1 = as.integer(gm$ccode1), ccode2 = as.integer(gm$ccode2),
                       year = as.integer(gm$year), onset = as.integer(gm$midonset),
                       sidea1 = as.integer(gm$sidea1), sidea2 = as.integer(gm$sidea2),
                       orig1 = as.integer(gm$orig1), orig2 = as.integer(gm$orig2),
                       hostlev1 = as.integer(gm$hostlev1), hostlev2 = as.integer(gm$hostlev2),
                       hostlev = as.integer(gm$hostlev),
                       hiact1 = as.integer(gm$hiact1), hiact2 = as.integer(gm$hiact2),
                       fatality = as.integer(gm$fatality))
for (v in names(disputes)) disputes[[v]][!is.na(disputes[[v]]) & disputes[[v]] < 0] <- NA
stopifnot(!anyDuplicated(disputes[c("dispnum", "year", "ccode1", "ccode2")]))
# each record in both orientations, with the 1/2 columns swapped
rev_key <- paste(disputes$dispnum, disputes$year, disputes$ccode2, disputes$ccode1)
fwd_key <- paste(disputes$dispnum, disputes$year, disputes$ccode1, disputes$ccode2)
r <- match(rev_key, fwd_key)
stopifnot(!anyNA(r), identical(disputes$hostlev1, disputes$hostlev2[r]),
          identical(disputes$sidea1, disputes$sidea2[r]))
# The one-per-dyad-year file agrees with these records where both have them.
local({
  dd <- raw("gml_mid_ddydisps.rda")
  m <- match(paste(dd$dispnum, dd$year, dd$ccode1, dd$ccode2), fwd_key)
  stopifnot(!anyNA(m), identical(as.integer(dd$hostlev1), disputes$hostlev1[m]),
            identical(as.integer(dd$gmlmidonset), disputes$onset[m]),
            identical(as.integer(dd$sidea1), disputes$sidea1[m]))
  cat(sprintf("disputes: %d directed records (%d dispute-dyad-years), %d more than gml_mid_ddydisps\n",
              nrow(disputes), nrow(disputes) / 2, nrow(disputes) - nrow(dd)))
})
disputes <- disputes[order(disputes$year, disputes$ccode1, disputes$ccode2, disputes$dispnum), ]
save_data("disputes", disputes)

# ---- rivalries (Thompson, Sakuwa & Suhas) ---------------------------------
rv <- raw("tss_rivalries.rda")
flag <- function(x) as.integer(!is.na(x) & x == 1)   # blank in the source = type not assigned
rivalries <- data.frame(rivalry_id = as.integer(rv$tssr_id), rivalry = rv$rivalry,
                        ccode1 = as.integer(rv$ccode1), ccode2 = as.integer(rv$ccode2),
                        start = as.integer(rv$start), end = as.integer(rv$end),
                        positional = flag(rv$positional), spatial = flag(rv$spatial),
                        ideological = flag(rv$ideological),
                        interventionary = flag(rv$interventionary),
                        principal = flag(rv$principal), aprin = flag(rv$aprin),
                        stringsAsFactors = FALSE)
save_data("rivalries", rivalries)

# ---- UN General Assembly --------------------------------------------------
uv <- raw("un_votes.rda")
rc <- raw("un_roll_calls.rda")
ri <- raw("un_roll_call_issues.rda")
iso2_custom <- c(TW = 713L, CN = 710L, RU = 365L, DD = 265L, DE = 255L, YD = 680L,
                 YE = 679L, YU = 345L, CS = 315L, CZ = 316L, VN = 816L, BY = 370L,
                 UA = 369L, KP = 731L, KR = 732L, ME = 341L, SS = 626L, TL = 860L,
                 RS = 345L, MK = 343L)
name_custom <- c("Federal Republic of Germany" = 260L, "Yemen Arab Republic" = 678L,
                 "Zanzibar" = 511L)
cc <- suppressWarnings(countrycode::countrycode(uv$country_code, "iso2c", "cown"))
cc[uv$country_code %in% names(iso2_custom)] <- iso2_custom[uv$country_code[uv$country_code %in% names(iso2_custom)]]
nm <- is.na(uv$country_code) & uv$country %in% names(name_custom)
cc[nm] <- name_custom[uv$country[nm]]
unmapped <- unique(uv[is.na(cc), c("country", "country_code")])
cat("UN votes: unmapped country codes:", if (nrow(unmapped)) paste(unmapped$country, unmapped$country_code) else "none", "\n")
stopifnot(nrow(unmapped) == 0L, all(cc %in% states$ccode))
unga_votes <- data.frame(rcid = as.integer(uv$rcid), ccode = as.integer(cc),
                         vote = as.integer(uv$vote))   # factor levels yes, abstain, no -> 1, 2, 3
stopifnot(identical(levels(uv$vote), c("yes", "abstain", "no")))
stopifnot(!anyDuplicated(unga_votes[, c("rcid", "ccode")]))
unga_votes <- unga_votes[order(unga_votes$rcid, unga_votes$ccode), ]

unga_rollcalls <- data.frame(rcid = as.integer(rc$rcid), session = as.integer(rc$session),
                             date = as.Date(rc$date), year = as.integer(format(rc$date, "%Y")),
                             important = as.integer(rc$importantvote),
                             resolution = rc$unres, amend = as.integer(rc$amend),
                             para = as.integer(rc$para), short = rc$short,
                             descr = rc$descr, stringsAsFactors = FALSE)
for (iss in c("me", "nu", "di", "hr", "co", "ec"))
  unga_rollcalls[[iss]] <- unga_rollcalls$rcid %in% ri$rcid[ri$short_name == iss]
unga_rollcalls <- unga_rollcalls[order(unga_rollcalls$rcid), ]
# Sessions 75-80 and emergency special sessions 10-11 (DGACM extract).
source(file.path("data-raw", "unga.R"))
save_data("unga_votes", unga_votes)
save_data("unga_rollcalls", unga_rollcalls)

# ---- UN Security Council vetoes -------------------------------------------
source(file.path("data-raw", "vetoes.R"))
save_data("unsc_vetoes", unsc_vetoes)

# ---- armed conflicts (UCDP/PRIO ACD 25.1) --------------------------------
source(file.path("data-raw", "conflicts.R"))
save_data("armed_conflicts", armed_conflicts)

# ---- CAMEO with Goldstein weights ----------------------------------------
cc0 <- raw("cameo_codes.rda")
gs <- raw("goldstein_mappings.rda")
quads <- c("verbal cooperation", "material cooperation", "verbal conflict", "material conflict")
cameo <- data.frame(code = cc0$cameo_code, name = cc0$name, level = as.integer(cc0$level),
                    stringsAsFactors = FALSE)
cameo$goldstein <- gs$goldstein[match(cameo$code, gs$code)]
cameo$quad <- match(cc0$quad_category, quads)
cameo$quad_label <- cc0$quad_category
stopifnot(!anyNA(cameo$goldstein), !anyNA(cameo$quad), !anyDuplicated(cameo$code))
save_data("cameo", cameo)

# ---- ICEWS dyad-years -----------------------------------------------------
ic <- raw("icews_dyadyears.rda")
iso_year_to_ccode <- function(iso, year) {
  out <- rep(NA_integer_, length(iso))
  for (k in seq_len(nrow(states))) {
    if (is.na(states$iso3c[k])) next
    hit <- iso == states$iso3c[k] &
      year >= as.integer(format(states$start[k], "%Y")) &
      year <= as.integer(format(states$end[k], "%Y"))
    out[hit & is.na(out)] <- states$ccode[k]
  }
  out
}
c1 <- iso_year_to_ccode(ic$i_iso3c, ic$year)
c2 <- iso_year_to_ccode(ic$j_iso3c, ic$year)
bad <- is.na(c1) | is.na(c2)
um <- unique(c(ic$i_iso3c[is.na(c1)], ic$j_iso3c[is.na(c2)]))
cat(sprintf("ICEWS: %d of %d dyad-years dropped, unmapped ISO3: %s\n", sum(bad), nrow(ic),
            if (length(um)) paste(um, collapse = ", ") else "none"))
icews_dyads <- data.frame(year = as.integer(ic$year), ccode1 = c1, ccode2 = c2,
                          verb_coop = as.integer(ic$verbCoop), matl_coop = as.integer(ic$matlCoop),
                          verb_conf = as.integer(ic$verbConf), matl_conf = as.integer(ic$matlConf))[!bad, ]
icews_dyads <- icews_dyads[order(icews_dyads$year, icews_dyads$ccode1, icews_dyads$ccode2), ]
stopifnot(!anyDuplicated(icews_dyads[, 1:3]))
save_data("icews_dyads", icews_dyads)

cat(sprintf("data/ total: %.2f MB\n", sum(file.size(list.files("data", full.names = TRUE))) / 2^20))
