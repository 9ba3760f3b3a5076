# Walt's balance of threat: the four components for directed dyad-years
# (computed in src/threat.c), their index, blocs, balances and sensitivity.

tb_threat_components_names <- c("power", "proximity", "offense", "intent")

# Coverage of the sources behind each component, from the one coverage
# table (tb_coverage()). Alliance similarity needs system members, so it
# covers the ATOP years within the state system.
tb_threat_cov <- function() {
  al <- tb_cov("alliances")
  st <- tb_cov("states")
  list(capabilities = tb_cov("capabilities"), min_distance = tb_cov("min_distance"),
       contiguity = tb_cov("contiguity"), disputes = tb_cov("disputes"),
       rivalries = tb_cov("rivalries"),
       alliance = c(max(al[1L], st[1L]), min(al[2L], st[2L])), vote = tb_cov("votes"),
       ideal = tb_cov("votes"))
}

# The static inputs of the engine, built once per session from the shared
# tables (R/tables.R): state-years with CINC, military CINC and the capital
# in force on 31 December; minimum distances; land contiguity; directed
# dispute records; rivalry spells. All year-keyed tables sorted by year.
tb_threat_inputs <- function() tb_memo("threat_inputs", tb_build_threat_inputs())

tb_build_threat_inputs <- function() {
  cov <- tb_cov("capabilities")
  mem <- tb_member_years()
  keep <- mem$year >= cov[1L] & mem$year <= cov[2L]
  sy <- data.frame(year = mem$year[keep], ccode = mem$ccode[keep])
  sy <- unique(sy)
  sy <- sy[order(sy$year, sy$ccode), ]
  key <- tb_sy_key(sy$year, sy$ccode)
  cp <- tb_data("capabilities")
  ckey <- tb_sy_key(cp$year, cp$ccode)
  sy$cinc <- as.double(cp$cinc[match(key, ckey)])
  mil <- cinc(cp, components = c("milex", "milper"), by = "year")
  sy$mil <- as.double(mil[match(key, ckey)])
  cy <- tb_capital_years()
  m <- tb_sy_index(sy$year, sy$ccode, cy$year, cy$ccode)
  sy$lat <- as.double(cy$lat[m])
  sy$lon <- as.double(cy$lon[m])
  sy$major <- as.integer(key %in% tb_major_years())
  rownames(sy) <- NULL

  md <- tb_data("min_distance")
  if (is.unsorted(md$year)) md <- md[order(md$year), ]
  dist <- list(as.integer(md$year), as.integer(md$ccode1), as.integer(md$ccode2),
               as.double(md$mindist))
  ct <- tb_contiguity_years()
  land <- which(ct$type == 1L)
  cont <- list(as.integer(ct$key[land] %/% 1e6), as.integer(ct$key[land] %/% 1e3 %% 1e3),
               as.integer(ct$key[land] %% 1e3))

  dp <- tb_data("disputes")
  mid <- rbind(data.frame(dispnum = dp$dispnum, year = dp$year, src = dp$ccode1,
                          tgt = dp$ccode2, hostlev = dp$hostlev1),
               data.frame(dispnum = dp$dispnum, year = dp$year, src = dp$ccode2,
                          tgt = dp$ccode1, hostlev = dp$hostlev2))
  mid <- mid[!duplicated(mid[c("dispnum", "year", "src", "tgt")]) & !is.na(mid$hostlev), ]
  mid <- mid[order(mid$year, mid$src, mid$tgt), ]
  rownames(mid) <- NULL

  rv <- tb_data("rivalries")
  riv <- list(as.integer(rv$ccode1), as.integer(rv$ccode2), as.integer(rv$start),
              as.integer(rv$end))
  list(sy = sy, dist = dist, cont = cont, mid = mid, riv = riv, ally = tb_alliance_ties())
}

# Year-sorted records list(year, c1, c2, val) with the records of year `last`
# repeated for each of the `later` years (the carry policy).
tb_carry_recs <- function(recs, last, later) {
  if (!length(later)) return(recs)
  r <- which(recs[[1L]] == last)
  list(c(recs[[1L]], rep(as.integer(later), each = length(r))),
       c(recs[[2L]], rep(recs[[2L]][r], length(later))),
       c(recs[[3L]], rep(recs[[3L]][r], length(later))),
       c(recs[[4L]], rep(recs[[4L]][r], length(later))))
}

# Similarity S for the years asked, from the similarity engine, as a
# year-sorted list(year, ccode1, ccode2, s). Memoised per source and years.
# The engine reads S on [-1, 1] and takes (1 - S) / 2 as the dissimilarity:
# for ideal points, S = 1 - 2 * tb_ideal_dissimilarity(), so that the engine's
# dissimilarity is the ideal points' one.
tb_threat_similarity <- function(source, years) {
  cov <- tb_threat_cov()[[source]]
  years <- years[years >= cov[1L] & years <= cov[2L]]
  tb_memo_last("threat_similarity", paste(source, paste(years, collapse = ",")), {
  if (length(years)) {
    s <- switch(source,
                alliance = alliance_similarity(years, method = "s"),
                vote = vote_similarity(years, method = "s"),
                ideal = {
                  d <- tb_ideal_distance(years)
                  data.frame(year = d$year, ccode1 = d$ccode1, ccode2 = d$ccode2,
                             s = 1 - 2 * tb_ideal_dissimilarity(d))
                })
    if (is.unsorted(s$year)) s <- s[order(s$year), ]
    out <- list(as.integer(s$year), as.integer(s$ccode1), as.integer(s$ccode2),
                as.double(s$s))
  } else {
    out <- list(integer(), integer(), integer(), double())
  }
  out
  })
}

# Dissimilarity on [0, 1] of the ideal points of tb_ideal_distance(): the
# distance over the year's largest distance (the spread of that session's
# ideal points), 1 for the two states furthest apart. Documented, with the
# cases that chose it, at threat_components().
tb_ideal_dissimilarity <- function(d) {
  if (!nrow(d)) return(double())
  top <- stats::ave(d$distance, d$year, FUN = max)
  ifelse(top > 0, d$distance / top, 0)
}

# The years of the power data among `years` (coverage warning for the rest).
tb_threat_years <- function(years) {
  cov <- tb_cov("capabilities")
  years <- tb_check_years(years, "years", cov, "the NMC capabilities")
  years[years >= cov[1L] & years <= cov[2L]]
}

# Resolve a state argument to ccodes (NULL stays NULL).
# Names are resolved in each of `years` (state_ccode(x, year)), so "Germany"
# is West Germany (260) in 1970 and Germany (255) from 1991: a name whose code
# changed over the years gives every code it had. With by_year = TRUE, a
# matrix of codes, one row per name and one column per year.
tb_threat_states <- function(x, arg, years = NULL, by_year = FALSE) {
  if (is.null(x)) return(NULL)
  if (!length(x)) tb_abort(sprintf("`%s` must name at least one state, not %s.", arg, tb_describe(x)))
  if (is.null(years) || !length(years) || !(is.character(x) || is.factor(x))) {
    cc <- state_ccode(x, arg = arg)
    if (anyNA(cc)) tb_abort(sprintf("`%s` must not contain NA.", arg))
    if (by_year) return(matrix(cc, length(cc), max(length(years), 1L)))
    return(unique(cc))
  }
  if (anyNA(x)) tb_abort(sprintf("`%s` must not contain NA.", arg))
  x <- as.character(x)
  # resolved once per distinct year (years may repeat: rep_len(2000, 1e5))
  uy <- unique(years)
  cc <- state_ccode(rep(x, times = length(uy)), year = rep(uy, each = length(x)),
                    arg = arg)
  if (by_year) return(matrix(cc, length(x), length(uy))[, match(years, uy), drop = FALSE])
  unique(cc)
}

tb_threat_mask <- function(cc) {
  m <- integer(tb_ccode_max + 1L)
  if (is.null(cc)) m[] <- 1L else m[cc + 1L] <- 1L  # m[k + 1] is ccode k
  m
}

# Validated engine settings shared by threat_components(), bloc_threat() and
# threat_balance().
tb_threat_settings <- function(power, decay, scale, capital_fallback, carry_distance,
                               half_life, hostility_weights, intent_parts, similarity,
                               beyond, carry_intent = TRUE, reach = "major",
                               reach_scale = 3000, ally_discount = 0.8, dispute_scale = 3) {
  list(power = tb_check_choice(power, c("dyadic", "system"), "power"),
       decay = tb_check_choice(decay, c("exponential", "bdm"), "decay"),
       scale = tb_check_numeric(scale, "scale", len = 1L, min = .Machine$double.xmin,
                             allow_na = FALSE, finite = TRUE),
       capital_fallback = tb_check_flag(capital_fallback, "capital_fallback"),
       carry_distance = tb_check_flag(carry_distance, "carry_distance"),
       half_life = tb_check_numeric(half_life, "half_life", len = 1L,
                                 min = .Machine$double.xmin, allow_na = FALSE),
       hostility_weights = tb_check_numeric(hostility_weights, "hostility_weights", len = 5L,
                                         min = 0, allow_na = FALSE, finite = TRUE),
       intent_parts = if (is.character(intent_parts) && identical(unique(intent_parts), "alliance"))
         tb_abort("`intent_parts` = \"alliance\" discounts the other parts between allies and is nothing alone: add \"disputes\", \"rivalry\" or \"similarity\".")
         else if (is.character(intent_parts) && !length(intent_parts))
         tb_abort("`intent_parts` must name at least one of \"disputes\", \"rivalry\", \"similarity\", \"alliance\".")
         else tb_check_choice(intent_parts, c("disputes", "rivalry", "similarity", "alliance"),
                           "intent_parts", several = TRUE),
       similarity = tb_check_choice(similarity, c("alliance", "vote", "ideal"), "similarity"),
       beyond = tb_check_choice(beyond, c("conflicts", "decay", "na"), "beyond"),
       carry_intent = tb_check_flag(carry_intent, "carry_intent"),
       reach = tb_check_choice(reach, c("major", "none"), "reach"),
       reach_scale = tb_check_numeric(reach_scale, "reach_scale", len = 1L,
                                   min = .Machine$double.xmin, allow_na = FALSE, finite = TRUE),
       ally_discount = tb_check_numeric(ally_discount, "ally_discount", len = 1L, min = 0,
                                     max = 1, allow_na = FALSE),
       dispute_scale = tb_check_numeric(dispute_scale, "dispute_scale", len = 1L,
                                     min = .Machine$double.xmin, allow_na = FALSE, finite = TRUE))
}

# One short coverage warning per call: which sources are carried past their
# last year, which parts are NA, and how to change that.
tb_threat_warn_coverage <- function(years, s) {
  cv <- tb_threat_cov()
  parts <- s$intent_parts
  top <- max(years); low <- min(years)
  carried <- na <- character()
  md <- cv$min_distance
  if (top > md[2L]) {
    if (s$carry_distance) carried <- c(carried, sprintf("distances (%d)", md[2L]))
    else na <- c(na, sprintf("proximity and offense after %d", md[2L]))
  }
  if (low < md[1L] && !s$capital_fallback) {
    na <- c(na, sprintf("proximity and offense of non-contiguous pairs before %d (`capital_fallback = TRUE` fills them)", md[1L]))
  }
  intent_src <- list(rivalry = c("rivalries", "rivalry"), alliance = c("alliance", "alliance"))
  for (k in names(intent_src)) {
    cvk <- cv[[intent_src[[k]][1L]]]
    if (k %in% parts && top > cvk[2L]) {
      if (s$carry_intent) carried <- c(carried, sprintf("%s (%d)", if (k == "rivalry") "rivalries" else "alliances", cvk[2L]))
      else na <- c(na, sprintf("the %s part of intent after %d", k, cvk[2L]))
    }
  }
  sc <- cv[[s$similarity]]
  if ("similarity" %in% parts) {
    if (top > sc[2L]) {
      if (s$carry_intent) carried <- c(carried, sprintf("%s similarity (%d)", s$similarity, sc[2L]))
      else na <- c(na, sprintf("the similarity part of intent after %d", sc[2L]))
    }
    if (low < sc[1L]) na <- c(na, sprintf("the similarity part of intent before %d", sc[1L]))
  }
  if ("disputes" %in% parts) {
    last <- tb_dispute_last(s)
    if (top > last) {
      if (s$beyond == "na") na <- c(na, sprintf("the dispute part of intent after %d", last))
      else carried <- c(carried, sprintf("the dispute record (%d, decaying)", last))
    }
  }
  if (!length(carried) && !length(na)) return(invisible())
  msg <- c(if (length(carried)) sprintf("carried forward past their last year: %s (`carry_distance`/`carry_intent = FALSE` for NA).",
                                        paste(carried, collapse = ", ")),
           if (length(na)) sprintf("NA: %s.", paste(na, collapse = "; ")))
  tb_warn(paste("Threat sources end before some of `years`;", paste(msg, collapse = " ")))
}

# The last year with dispute information: the MID data's, or with
# beyond = "conflicts" the armed-conflict data's.
tb_dispute_last <- function(s) {
  cv <- tb_threat_cov()
  if (s$beyond == "conflicts") max(cv$disputes[2L], tb_cov("conflicts")[2L]) else cv$disputes[2L]
}

# Directed dispute records for the engine: MID dyad-years (hostility level of
# the source), and with beyond = "conflicts", for the years after the MID
# data end, UCDP/PRIO armed-conflict dyad-years in both directions (hostility
# level 5 for a war, 4 for a minor conflict: use of force).
tb_threat_disputes <- function(inp, s) {
  mid <- inp$mid
  rec <- data.frame(year = mid$year, src = mid$src, tgt = mid$tgt, hostlev = mid$hostlev)
  if (s$beyond == "conflicts") {
    ac <- tb_data("armed_conflicts")
    ac <- ac[ac$year > tb_threat_cov()$disputes[2L], ]
    lev <- ifelse(ac$intensity == "war", 5L, 4L)
    rec <- rbind(rec, data.frame(year = ac$year, src = ac$ccode1, tgt = ac$ccode2, hostlev = lev),
                 data.frame(year = ac$year, src = ac$ccode2, tgt = ac$ccode1, hostlev = lev))
    rec <- rec[order(rec$year, rec$src, rec$tgt), ]
  }
  list(as.integer(rec$year), as.integer(rec$src), as.integer(rec$tgt),
       as.double(s$hostility_weights[rec$hostlev]))
}

# The engine: a list of columns (with detail columns when detail = TRUE).
tb_threat_engine <- function(years, from, to, s, detail = FALSE) {
  inp <- tb_threat_inputs()
  years <- sort(unique(years))
  parts <- s$intent_parts
  use_sim <- "similarity" %in% parts
  sc0 <- tb_threat_cov()[[s$similarity]]
  # carrying needs the source's last year even when it is not among `years`
  sim_years <- if (s$carry_intent && any(years > sc0[2L])) sort(unique(c(years, sc0[2L]))) else years
  sim <- if (use_sim) tb_threat_similarity(s$similarity, sim_years)
         else list(integer(), integer(), integer(), double())
  mid <- tb_threat_disputes(inp, s)
  cv <- tb_threat_cov()
  sc <- cv[[s$similarity]]
  riv <- inp$riv
  ally <- if ("alliance" %in% parts) inp$ally else list(integer(), integer(), integer(), double())
  ac <- cv$alliance
  if (s$carry_intent && "alliance" %in% parts && any(years > ac[2L])) {
    ally <- tb_carry_recs(ally, ac[2L], years[years > ac[2L]])
    ac[2L] <- max(years)
  }
  if (s$carry_intent) {
    # Sources that end before `years` do: carry their last year forward so
    # that intent keeps the same parts (and stays comparable) in later years.
    top <- max(years)
    later <- years[years > sc[2L]]
    if (use_sim && length(later)) {
      sim <- tb_carry_recs(sim, sc[2L], later)
      sc[2L] <- top
    }
    if (top > cv$rivalries[2L]) {
      open <- riv[[4L]] >= cv$rivalries[2L]
      riv[[4L]][open] <- top
      cv$rivalries[2L] <- top
    }
  }
  # read by name in C (read_opts() in src/threat.c), each field of one exact type
  settings <- list(power_system = s$power == "system", decay_bdm = s$decay == "bdm",
                   scale_km = as.double(s$scale), half_life = as.double(s$half_life),
                   capital_fallback = s$capital_fallback,
                   use_disputes = "disputes" %in% parts, use_rivalry = "rivalry" %in% parts,
                   use_similarity = use_sim, disputes_last = as.integer(tb_dispute_last(s)),
                   disputes_beyond = s$beyond != "na",
                   rivalry_first = as.integer(cv$rivalries[1L]),
                   rivalry_last = as.integer(cv$rivalries[2L]),
                   similarity_first = as.integer(sc[1L]), similarity_last = as.integer(sc[2L]),
                   reach_major = s$reach == "major", reach_km = as.double(s$reach_scale),
                   dispute_scale = as.double(s$dispute_scale),
                   use_alliance = "alliance" %in% parts,
                   ally_discount = as.double(s$ally_discount),
                   alliance_first = as.integer(ac[1L]), alliance_last = as.integer(ac[2L]),
                   detail = isTRUE(detail))
  sy <- inp$sy
  dist <- inp$dist
  last <- cv$min_distance[2L]
  later <- years[years > last]
  if (s$carry_distance) dist <- tb_carry_recs(dist, last, later)
  out <- .Call(C_ffi_threat_components, as.integer(years),
               list(sy$year, sy$ccode, sy$cinc, sy$mil, sy$lat, sy$lon, sy$major),
               dist, inp$cont, mid, riv, sim, ally,
               tb_threat_mask(from), tb_threat_mask(to), settings)
  names(out) <- c("year", "ccode1", "ccode2", tb_threat_components_names,
                  if (detail) c("cinc1", "cinc2", "distance", "offense_raw",
                                "dispute_record", "rivalry", "dissimilarity", "allied"))
  out
}

tb_new_threat <- function(cols, settings, kind = "dyad", years = NULL) {
  x <- structure(cols, class = "data.frame", row.names = c(NA_integer_, -length(cols[[1L]])))
  attr(x, "settings") <- settings
  attr(x, "kind") <- kind
  class(x) <- c(if (kind == "bloc") "tb_bloc_threat", "tb_threat", "data.frame")
  if (!is.null(years)) x <- tb_with_sources(x, tb_threat_sources(settings, years))
  x
}

# The packaged sources the engine reads under settings `s` for `years`.
tb_threat_sources <- function(s, years) {
  parts <- s$intent_parts
  sim <- "similarity" %in% parts
  c("states", "capabilities", "min_distance", "contiguity",
    if (s$capital_fallback) "capitals",
    if (s$reach == "major") "majors",
    if ("disputes" %in% parts) "disputes",
    if ("disputes" %in% parts && s$beyond == "conflicts" && length(years) &&
        max(years) > tb_threat_cov()$disputes[2L]) "conflicts",
    if ("rivalry" %in% parts) "rivalries",
    if ("alliance" %in% parts || (sim && s$similarity == "alliance")) "alliances",
    if (sim && s$similarity == "vote") "votes")
}

#' Walt's threat components for directed dyad-years
#'
#' For every ordered pair of Correlates of War system members in each year,
#' the four sources of threat of Walt (1985, 1987) that state `ccode1` poses
#' to state `ccode2`, each on \[0, 1\]. Computed in C, one dense matrix per
#' year: all 2.1 million directed dyad-years of 1816-2022 take a few seconds.
#'
#' For the threat that j (`ccode1`) poses to i (`ccode2`) in year t:
#'
#' * `power`: aggregate capability. `power = "dyadic"` (default):
#'   \eqn{cinc_j / (cinc_i + cinc_j)}, j's share of the dyad's Composite
#'   Index of National Capability (NMC 7.0, 1816-2022); `"system"`:
#'   \eqn{cinc_j}, j's share of the system. NA when a CINC is missing or both
#'   are 0.
#' * `proximity`: how close j can bring force to i, from the minimum
#'   distance between the two states \eqn{d} in km (CShapes 2.0, 1886-2019;
#'   land contiguity, CoW direct contiguity type 1, 1816-2016, sets
#'   \eqn{d = 0}). `decay = "exponential"` (default):
#'   \eqn{\exp(-d / scale)}; `decay = "bdm"`: the Bueno de Mesquita (1981)
#'   gradient as coded in EUGene, read as the ratio of its exponent at 0 to
#'   its exponent at the distance, \eqn{\log_{10}(10 - e) /
#'   \log_{10}(m / mpd + 10 - e)}, \eqn{m} the distance in miles and
#'   \eqn{mpd} 250, 375 or 500 miles a day (to 1917, 1918-45, from 1946).
#'   With `capital_fallback = TRUE` the great-circle distance between
#'   capitals (in force on 31 December) fills in where minimum distance is
#'   unknown; with `carry_distance = TRUE` (default) the minimum distances of
#'   2019 are used for 2020-2022 (pairs of states that both existed in
#'   2019). Otherwise proximity is NA where no distance is known (before 1886
#'   except for land-contiguous pairs, and after 2019 with
#'   `carry_distance = FALSE`).
#'
#'   **Reach.** Walt's proximity is the ability to bring force to bear, and
#'   for a state with global reach it does not decay like a neighbour's
#'   (Boulding 1962; Bueno de Mesquita 1981; the politically relevant dyads
#'   of Maoz and Russett 1993 and Lemke and Reed 2001 join every major power
#'   to every state). With `reach = "major"` (default), a CoW major power
#'   ([major_powers]; the majors of 2016 stay majors after the list ends)
#'   loses strength on its own scale: its distances count
#'   `scale / reach_scale` times shorter in `proximity` and `offense`, so
#'   with the defaults the United States at 3,334 km from China has proximity
#'   \eqn{\exp(-3334/3000) = 0.33}, not \eqn{\exp(-3.3) = 0.04}.
#'   `reach = "none"` treats every state alike.
#' * `offense`: projectable force. j's military capability \eqn{mil_j} (the
#'   CINC of military expenditure and personnel only, [cinc()] with
#'   `components = c("milex", "milper")`) discounted by the same distance,
#'   \eqn{mil_j \exp(-d / scale)} or EUGene's \eqn{mil_j^{\log_{10}(m / mpd +
#'   10 - e)}}, divided by the year's total military capability of the
#'   system (about 1) so that it reads as the share of the world's military
#'   capability j can bring to i; values above 1 (possible only with `"bdm"`
#'   at short range) are set to 1.
#' * `intent`: j's record of hostility toward i, the mean of the parts
#'   available in `intent_parts`, discounted between allies:
#'   - `"disputes"`: \eqn{1 - \exp(-H / dispute\_scale)} with \eqn{H =
#'     \sum_{s \le t} w(h) 2^{-(t - s)/half\_life}}, summed over the
#'     militarised interstate dispute records (GML MID 2.2.1, 1816-2010) in
#'     which j faced i, with \eqn{w(h)} the weight of j's hostility level
#'     \eqn{h} (default 0, 0.25, 0.5, 0.75, 1 for levels 1 no militarised
#'     action, 2 threat, 3 display, 4 use of force, 5 war). After 2010, with
#'     `beyond = "conflicts"` (default), the record goes on with the UCDP/PRIO
#'     armed conflicts of 2011-2024 ([armed_conflicts]) in which j and i were
#'     on opposite sides, interstate or internationalised intrastate, counted
#'     as use of force (level 4) or, at war intensity, war (level 5): a
#'     different concept from a MID (government against government, at least
#'     25 battle deaths a year) that keeps the record informative to the
#'     present (Russia's intent toward Ukraine rises in 2014 and again in
#'     2022). `beyond = "decay"` lets the record decay with no new disputes
#'     after 2010 (a lower bound), `"na"` makes the part NA. `dispute_scale`
#'     (default 3) sets how many weighted dispute-years make the part
#'     \eqn{1 - e^{-1}}: with 1 the part saturates after a few disputes and
#'     a war on top of a long record no longer shows.
#'   - `"rivalry"`: 1 when a strategic rivalry between i and j (Thompson,
#'     Sakuwa and Suhas, to 2020) is in force in year t, else 0.
#'   - `"similarity"`: foreign-policy dissimilarity \eqn{(1 - S)/2}, with S
#'     the Signorino-Ritter score of the two states' alliance portfolios
#'     (ATOP 5.1, 1816-2018; [alliance_similarity()]) or UN General Assembly
#'     votes (1946-2025; [vote_similarity()]); NA where S is missing. With
#'     `similarity = "ideal"`, the distance of the two states' UN ideal points
#'     ([ideal_points()] at its defaults; `vote_similarity(method = "ideal")`)
#'     in the session that opens in year t (session \eqn{t - 1945}), divided
#'     by the largest distance of that year (the spread of the session's ideal
#'     points): \eqn{|\theta_i - \theta_j| / (\max_k \theta_k - \min_k
#'     \theta_k)}{|theta_i - theta_j| / (max_k theta_k - min_k theta_k)}, 0
#'     for the same position and 1 for the two states furthest
#'     apart that year; NA where either state has no ideal point (before 1946,
#'     or in a session in which it cast no vote; session 19, 1964, held a
#'     single roll call, in February 1965, so its ideal points rest on the
#'     random walk). The distance has no
#'     fixed upper bound and the spread of the ideal points changes over the
#'     decades (4.3 in 2000, 6.35 in 2021), hence the share of the year's
#'     spread rather than a fixed transformation. Against \eqn{1 -
#'     \exp(-d)}, on 2000-2022: the US to China 0.68-0.86 (0.71 in 2019),
#'     Russia and China 0.08-0.23 (0.10), the US and the UK 0.23-0.35 (0.31),
#'     near the vote dissimilarity \eqn{(1 - S)/2} (0.53-0.81, 0.05-0.13,
#'     0.14-0.43), whereas \eqn{1 - \exp(-d)} gives 0.97-0.99, 0.35-0.68 and
#'     0.68-0.86, making close allies nearly as dissimilar as rivals (the US
#'     and China are 3.4 to 4.9 apart, the US and the UK 1.1 to 2.0). Over all
#'     dyad-years of 2000-2022 the share of the spread correlates 0.82 with
#'     \eqn{(1 - S)/2}, \eqn{1 - \exp(-d)} 0.74; the five first threats to
#'     China in 2019 are those of the other two sources (the United States,
#'     India, Japan, Taiwan, Russia). The ideal points are fitted once per R
#'     session (2-3 CPU seconds) and reused.
#'   - `"alliance"`: allies apart from adversaries. When a defence or
#'     offence pact (ATOP, either direction) joins i and j in year t, intent
#'     is multiplied by \eqn{1 - ally\_discount} (default 0.8): a close ally
#'     with a large army near by is not a threat unless it fights its ally
#'     (Greece and Turkey keep their dispute record, a fifth of it).
#'
#'   **Carry policy.** Sources that end before the power data (minimum
#'   distance 2019, alliances 2018, rivalries 2020, similarity) have their
#'   last year carried forward by default (`carry_distance`, `carry_intent`),
#'   so that every year the power data cover (1816-2022) has values and
#'   intent is the mean of the same parts before and after a source ends;
#'   one coverage warning per call says what is carried.
#'
#'   **Defaults.** The defaults (`reach = "major"`, `reach_scale = 3000`,
#'   `ally_discount = 0.8`, `dispute_scale = 3`, and intent weighted 3 in
#'   [threat_index()]) were chosen with the validation suite in
#'   `bench/validity.R`: of 49 documented expert cases (the main threats to
#'   a state in a period, and allies that must not rank high) 31 hold in
#'   every year against 23 for the former defaults, and the index still
#'   predicts next-year MID initiation 1950-2010 with AUC 0.914 (0.919
#'   before) and new interstate armed conflicts 2011-2023 with AUC 0.964.
#'   See `vignette("threat-validity")`.
#'
#' System members are the states of [states] that are members on at least
#' one day of the year.
#'
#' @param years Whole-number years in 1816-2022 (NMC coverage). Years
#'   outside give an error if none is covered, a coverage warning otherwise.
#' @param from,to `NULL` (all states) or states (ccodes, names, ISO3 or CoW
#'   abbreviations, see [state_ccode()]) restricting the sources (`from`,
#'   `ccode1`) and targets (`to`, `ccode2`) of threat.
#' @param power `"dyadic"` or `"system"`, see Details.
#' @param decay `"exponential"` or `"bdm"` (Bueno de Mesquita's gradient).
#' @param scale Distance scale in km of the exponential decay (default 1000:
#'   proximity 0.37 at 1000 km).
#' @param reach `"major"` (default) or `"none"`: whether major powers' force
#'   decays on `reach_scale` instead of `scale` (see Details).
#' @param reach_scale Distance scale in km of a major power's decay
#'   (default 3000).
#' @param ally_discount Share of intent removed between allies, in \[0, 1\]
#'   (default 0.8; 0 ignores alliances, as does leaving `"alliance"` out of
#'   `intent_parts`).
#' @param dispute_scale Weighted dispute-years that bring the dispute part
#'   of intent to \eqn{1 - e^{-1}} (default 3).
#' @param capital_fallback `TRUE` to use capital-to-capital distance where
#'   minimum distance is unknown.
#' @param carry_distance `TRUE` (default) to carry the last year of minimum
#'   distance (2019) forward to later years; `FALSE` for NA proximity and
#'   offense after 2019.
#' @param carry_intent `TRUE` (default) to carry the last year of the
#'   similarity source (2018 for alliances, 2025 for votes and ideal
#'   points), the alliances of
#'   2018 (for the `"alliance"` part) and the rivalries
#'   in force in 2020 forward to later years, so that `intent` is the mean of
#'   the same parts before and after its sources end (a coverage warning says
#'   which values are carried). With `FALSE` those parts are NA after their
#'   sources end and `intent` is the mean of fewer parts, which makes it jump
#'   where a source ends (NATO's intent toward China: 0.67 in 2018, 0.89 in
#'   2019).
#' @param half_life Half-life in years of the dispute record (`Inf`: no decay).
#' @param hostility_weights Five non-negative weights for MID hostility
#'   levels 1-5.
#' @param intent_parts One or more of `"disputes"`, `"rivalry"`,
#'   `"similarity"`, `"alliance"` (all by default).
#' @param similarity `"alliance"`, `"vote"` or `"ideal"` (UN ideal points,
#'   see Details): the similarity behind the dissimilarity part of intent.
#' @param beyond `"conflicts"` (default), `"decay"` or `"na"`: how the
#'   dispute record goes on after the MID data end in 2010 (see Details).
#' @return A data frame of class `tb_threat` with columns `year`, `ccode1`
#'   (the source of threat), `ccode2` (the state threatened), `power`,
#'   `proximity`, `offense`, `intent`, sorted by year, ccode1, ccode2.
#'   Components whose data are missing are NA, never 0. It carries the keys
#'   of the packaged datasets it used (which depend on the settings) in
#'   `attr(, "sources")`; [sources()] prints their citations.
#' @references
#' Walt, S. M. (1985). Alliance formation and the balance of world power.
#' International Security 9(4), 3-43.
#'
#' Walt, S. M. (1987). The Origins of Alliances. Ithaca: Cornell University Press.
#'
#' Singer, J. D., Bremer, S. and Stuckey, J. (1972). Capability distribution,
#' uncertainty, and major power war, 1820-1965. In B. Russett (ed.), Peace,
#' War, and Numbers, 19-48. Beverly Hills: Sage. (National Material
#' Capabilities v7.0.)
#'
#' Bueno de Mesquita, B. (1981). The War Trap. New Haven: Yale University Press.
#'
#' Boulding, K. E. (1962). Conflict and Defense: A General Theory. New York:
#' Harper.
#'
#' Maoz, Z. and Russett, B. (1993). Normative and structural causes of
#' democratic peace, 1946-1986. American Political Science Review 87(3),
#' 624-638.
#'
#' Lemke, D. and Reed, W. (2001). The relevance of politically relevant
#' dyads. Journal of Conflict Resolution 45(1), 126-144.
#'
#' Leeds, B. A., Ritter, J. M., Mitchell, S. M. and Long, A. G. (2002).
#' Alliance Treaty Obligations and Provisions, 1815-1944. International
#' Interactions 28(3), 237-260.
#'
#' Davies, S., Pettersson, T. and Öberg, M. (2025). Organized violence
#' 1989-2024. Journal of Peace Research (UCDP); Gleditsch, N. P., Wallensteen,
#' P., Eriksson, M., Sollenberg, M. and Strand, H. (2002). Armed conflict
#' 1946-2001: A new dataset. Journal of Peace Research 39(5), 615-637.
#'
#' Schvitz, G., Girardin, L., Rüegger, S., Weidmann, N. B., Cederman, L.-E. and
#' Gleditsch, K. S. (2022). Mapping the international system, 1886-2019: the
#' CShapes 2.0 dataset. Journal of Conflict Resolution 66(1), 144-161.
#'
#' Stinnett, D. M., Tir, J., Schafer, P., Diehl, P. F. and Gochman, C. (2002).
#' The Correlates of War Project direct contiguity data, version 3.
#' Conflict Management and Peace Science 19(2), 59-67.
#'
#' Gibler, D. M., Miller, S. V. and Little, E. K. (2016). An analysis of the
#' Militarized Interstate Dispute (MID) dataset, 1816-2001. International
#' Studies Quarterly 60(4), 719-730.
#'
#' Thompson, W. R., Sakuwa, K. and Suhas, P. H. (2022). Analyzing Strategic
#' Rivalries in World Politics. Singapore: Springer.
#'
#' Signorino, C. S. and Ritter, J. M. (1999). Tau-b or not tau-b: measuring
#' the similarity of foreign policy positions. International Studies
#' Quarterly 43(1), 115-144.
#' @seealso [threat_index()], [bloc_threat()], [threat_balance()],
#'   [threat_sensitivity()]
#' @export
#' @examples
#' x <- threat_components(2000:2010, from = c("USA", "China"), to = "Russia")
#' x
#' summary(x)
#' threat_index(x)
threat_components <- function(years, from = NULL, to = NULL,
                              power = c("dyadic", "system"),
                              decay = c("exponential", "bdm"), scale = 1000,
                              capital_fallback = FALSE, carry_distance = TRUE,
                              half_life = 10,
                              hostility_weights = c(0, 0.25, 0.5, 0.75, 1),
                              intent_parts = c("disputes", "rivalry", "similarity", "alliance"),
                              similarity = c("alliance", "vote", "ideal"),
                              beyond = c("conflicts", "decay", "na"), carry_intent = TRUE,
                              reach = c("major", "none"), reach_scale = 3000,
                              ally_discount = 0.8, dispute_scale = 3) {
  if (missing(years)) tb_abort("`years` is missing: give the years to compute, e.g. 1946:2010.")
  s <- tb_threat_settings(power, decay, scale, capital_fallback, carry_distance,
                          half_life, hostility_weights, intent_parts, similarity, beyond,
                          carry_intent, reach, reach_scale, ally_discount, dispute_scale)
  years <- tb_threat_years(years)
  from <- tb_threat_states(from, "from", years)
  to <- tb_threat_states(to, "to", years)
  tb_threat_warn_coverage(years, s)
  tb_new_threat(tb_threat_engine(years, from, to, s), s, years = years)
}

# Weights: named, non-negative, finite, not all zero, names among the components.
tb_check_weights <- function(weights, arg = "weights") {
  w <- tb_check_numeric(weights, arg, min = 0, allow_na = FALSE, finite = TRUE)
  nm <- names(weights)
  if (is.null(nm) || any(!nzchar(nm)) || anyNA(nm)) {
    tb_abort(sprintf("`%s` must be named with components among %s.", arg,
                     paste0('"', tb_threat_components_names, '"', collapse = ", ")))
  }
  bad <- setdiff(nm, tb_threat_components_names)
  if (length(bad) || anyDuplicated(nm)) {
    tb_abort(sprintf("`%s` has names that are not components or are repeated: %s; use %s.", arg,
                     paste0('"', if (length(bad)) bad else nm[duplicated(nm)], '"', collapse = ", "),
                     paste0('"', tb_threat_components_names, '"', collapse = ", ")))
  }
  if (!length(w) || all(w == 0)) {
    tb_abort(sprintf("`%s` must have at least one positive weight.", arg))
  }
  out <- stats::setNames(numeric(4L), tb_threat_components_names)
  out[nm] <- w
  out / sum(out)
}

#' Combine threat components into one index
#'
#' The threat index of Walt's four components: geometric,
#' \eqn{T = \prod_k c_k^{w_k}}, or additive, \eqn{T = \sum_k w_k c_k}, with
#' the weights normalised to sum to 1. The geometric form makes the sources
#' complements (no threat without some of each); the additive form makes them
#' substitutes.
#'
#' @param x A data frame with columns `power`, `proximity`, `offense` and
#'   `intent` on \[0, 1\], such as [threat_components()] returns.
#' @param weights A named vector of non-negative weights, names among
#'   `power`, `proximity`, `offense`, `intent`; components not named get
#'   weight 0. At least one must be positive.
#' @param combine `"geometric"` (default) or `"additive"`.
#' @return A numeric vector, one index per row of `x`, on \[0, 1\]. A row
#'   with NA in a component of positive weight gives NA.
#' @references Walt, S. M. (1987). The Origins of Alliances. Ithaca: Cornell
#'   University Press.
#' @export
#' @examples
#' x <- threat_components(2000, from = "USA", to = c("Russia", "China"))
#' threat_index(x)
#' threat_index(x, weights = c(power = 2, intent = 1), combine = "additive")
threat_index <- function(x, weights = c(power = 1, proximity = 1, offense = 1, intent = 3),
                         combine = c("geometric", "additive")) {
  tb_check_data_frame(x, "x", tb_threat_components_names)
  w <- tb_check_weights(weights)
  combine <- tb_check_choice(combine, c("geometric", "additive"), "combine")
  n <- nrow(x)
  out <- if (combine == "geometric") rep(1, n) else numeric(n)
  for (k in tb_threat_components_names) {
    if (w[[k]] == 0) next
    v <- tb_check_numeric(x[[k]], sprintf("x$%s", k), min = 0, max = 1)
    out <- if (combine == "geometric") out * v^w[[k]] else out + w[[k]] * v
  }
  out
}

# Members of a bloc specification (tb_bloc_specs()) as of 31 December of
# each year, as a data frame year, ccode.
tb_bloc_year_members <- function(spec, years) {
  m <- tb_spec_members(spec, tb_as_dates(years), role = "member")
  data.frame(year = tb_year_of(m$date), ccode = as.integer(m$ccode))
}

# The targets of bloc_threat(): NULL when `to` names states (each its own
# target), else a list of bloc specifications (bloc against bloc).
tb_bloc_targets <- function(to) {
  if (is.data.frame(to) || (is.list(to) && !is.data.frame(to))) return(tb_bloc_specs(to, NULL, "to"))
  if (tb_has_bloc_name(to)) return(tb_bloc_specs(to, NULL, "to"))
  NULL
}

# The components of a bloc's threat to each (year, to) of `grid`, from the
# members `mem` (year, ccode; a target is never its own threat): a data
# frame year, to, members, power, proximity, offense, intent, and the
# target's CINC (cinc_to, for capability weights over target blocs).
tb_bloc_components <- function(mem, grid, years, s, member_weights) {
  gkey <- tb_sy_key(grid$year, grid$to)
  mkey <- tb_sy_key(mem$year, mem$ccode)
  # members per (year, to), without the target
  nmem <- vapply(seq_len(nrow(grid)), function(r)
    sum(mem$year == grid$year[r] & mem$ccode != grid$to[r]), integer(1))
  na <- rep(NA_real_, nrow(grid))
  res <- data.frame(year = grid$year, to = grid$to, members = nmem, power = na,
                    proximity = na, offense = na, intent = na)
  ctgt <- rep(NA_real_, nrow(grid))
  if (nrow(mem) && nrow(grid)) {
    e <- tb_threat_engine(years, unique(mem$ccode), unique(grid$to), s, detail = TRUE)
    # rows of members, against a target of that year's grid
    keep <- tb_sy_key(e$year, e$ccode1) %in% mkey & tb_sy_key(e$year, e$ccode2) %in% gkey
    d <- lapply(e, `[`, keep)
    g <- match(tb_sy_key(d$year, d$ccode2), gkey)
    ok <- function(v) !is.na(v)
    gsum <- function(v, use = ok(v)) {
      if (!length(g)) return(rep(NA_real_, nrow(grid)))
      s1 <- rowsum(as.double(ifelse(use, v, 0)), g, reorder = FALSE)
      n1 <- rowsum(as.double(use), g, reorder = FALSE)
      out <- rep(NA_real_, nrow(grid))
      idx <- as.integer(rownames(s1))
      out[idx] <- ifelse(n1[, 1] > 0, s1[, 1], NA_real_)
      out
    }
    # power: members' CINC summed against the target's
    csum <- gsum(d$cinc1)
    ctgt[g] <- d$cinc2
    res$power <- if (s$power == "system") csum else
      ifelse(!is.na(csum) & !is.na(ctgt) & csum + ctgt > 0, csum / (csum + ctgt), NA_real_)
    # member weights for means
    mw <- if (member_weights == "equal") rep(1, length(g)) else d$cinc1
    wmean <- function(v) {
      use <- ok(v) & ok(mw)
      num <- gsum(ifelse(use, v * mw, NA_real_))
      den <- gsum(ifelse(use, mw, NA_real_))
      ifelse(!is.na(den) & den > 0, num / den, NA_real_)
    }
    res$proximity <- wmean(d$proximity)
    off <- gsum(d$offense_raw)
    res$offense <- pmin(off, 1)
    hsum <- gsum(d$dispute_record)
    p_mid <- 1 - exp(-hsum)
    p_riv <- rep(NA_real_, nrow(grid))
    rr <- ok(d$rivalry)
    if (any(rr)) {
      mx <- tapply(d$rivalry[rr], g[rr], max)
      p_riv[as.integer(names(mx))] <- mx
    }
    p_dis <- wmean(d$dissimilarity)
    pm <- cbind(p_mid, p_riv, p_dis)
    cnt <- rowSums(!is.na(pm))
    res$intent <- ifelse(cnt > 0, rowSums(pm, na.rm = TRUE) / pmax(cnt, 1), NA_real_)
    # allies: the (member-weighted) share of members allied with the target
    # discounts the bloc's intent as a pact discounts a state's
    if ("alliance" %in% s$intent_parts) {
      share <- wmean(d$allied)
      res$intent <- ifelse(is.na(share), res$intent,
                           res$intent * (1 - s$ally_discount * share))
    }
    none <- res$members == 0L
    res[none, tb_threat_components_names] <- NA_real_
  }
  res$cinc_to <- ctgt
  res
}

# Bloc A's threat to bloc B per year: A's members that also belong to B are
# left out of A; the components toward each of B's members are averaged over
# B's members with equal or CINC weights (member_weights).
tb_bloc_vs_bloc <- function(memA, B, years, s, member_weights) {
  memB <- tb_bloc_year_members(B, years)
  memA <- memA[!tb_sy_key(memA$year, memA$ccode) %in% tb_sy_key(memB$year, memB$ccode), ,
               drop = FALSE]
  grid <- data.frame(year = memB$year, to = memB$ccode)
  r <- tb_bloc_components(memA, grid, years, s, member_weights)
  w <- if (member_weights == "equal") rep(1, nrow(r)) else r$cinc_to
  out <- data.frame(year = years, to = rep(B$label, length(years)),
                    members = tabulate(match(memA$year, years), length(years)),
                    to_members = tabulate(match(memB$year, years), length(years)),
                    stringsAsFactors = FALSE)
  gi <- match(r$year, years)
  for (k in tb_threat_components_names) {
    v <- r[[k]]
    use <- !is.na(v) & !is.na(w)
    num <- vapply(seq_along(years), function(i) sum((v * w)[use & gi == i]), 0)
    den <- vapply(seq_along(years), function(i) sum(w[use & gi == i]), 0)
    out[[k]] <- ifelse(den > 0, num / den, NA_real_)
  }
  out
}

#' Threat posed by a bloc to a state or to another bloc
#'
#' Walt's four components for the threat that a bloc of [blocs] (NATO,
#' Warsaw Pact, SCO, ...), or a bloc you define, poses to a state, with the
#' members as of 31 December of each year, so that the bloc grows and
#' shrinks as states join and leave (NATO counts 16 members in 1998 and 19
#' in 1999). The target itself is left out of the members when it belongs
#' to the bloc. From the members' directed dyad-years of
#' [threat_components()]:
#'
#' * `power`: the members' CINC summed, \eqn{\sum_m cinc_m / (\sum_m cinc_m +
#'   cinc_i)} (or \eqn{\sum_m cinc_m} with `power = "system"`).
#' * `proximity`: the mean of the members' proximities to the state, with
#'   equal weights (`member_weights = "equal"`) or CINC weights
#'   (`"capability"`); not the nearest member alone, which would hide every
#'   enlargement.
#' * `offense`: the members' projectable forces summed (each as a share of
#'   the year's world military capability), capped at 1.
#' * `intent`: the mean of the bloc's parts: disputes, \eqn{1 - \exp(-\sum_m
#'   H_m)} (the members' decayed records pooled); rivalry, 1 if any member is
#'   in a strategic rivalry with the state; dissimilarity, the members' mean
#'   \eqn{(1 - S)/2} (or the ideal-point dissimilarity with
#'   `similarity = "ideal"`) with the same weights as proximity.
#'
#' Members with a missing component are left out of that component's sum or
#' mean; a component with no member data is NA. Years in which the bloc has
#' no members have `members = 0` and NA components.
#'
#' **Custom blocs.** `bloc` may be a bloc name, a vector of states (names,
#' ISO3 codes, CoW abbreviations or ccodes, resolved in each year; states
#' outside the state system that year are left out), a data frame of spells
#' (`ccode`, `start`, `end`) or a one-element list naming either; see
#' [bloc_members()]. A custom bloc is labelled by `label`, the list's name,
#' or `"custom bloc"`.
#'
#' **Bloc against bloc.** `to` may be a bloc too: a bloc name, a data frame
#' of spells, or a list of blocs (a vector of states in `to` stays a set of
#' separate target states; wrap it in a list, `list("QUAD+" = c(...))`, to
#' make it one target bloc). The threat of bloc A to bloc B in a year is
#' then: A's members that also belong to B are left out of A; A's threat
#' to each of B's members is computed as above; and each component is the
#' mean over B's members of A's component toward them, with equal weights
#' (`member_weights = "equal"`) or the targets' CINC weights
#' (`"capability"`), members with a missing component left out. `threat` is
#' the index of these averaged components (so [threat_index()] of the result
#' gives it back). `members` counts A's members (without those of B) and
#' `to_members` B's members; a year with no member on either side has NA
#' components.
#'
#' @param bloc A bloc: a name as in [blocs] (e.g. `"NATO"`), a vector of
#'   states, a data frame of spells, or a list of one of these (see Details).
#' @param to One or more states threatened (see [state_ccode()]), each its
#'   own target; or one or more blocs (bloc names, a data frame of spells, or
#'   a list of blocs), each its own target bloc.
#' @param years Whole-number years in 1816-2022.
#' @param weights,combine Passed to [threat_index()] for the `threat` column.
#' @param member_weights `"equal"` or `"capability"`: how members' proximities
#'   and dissimilarities are averaged, and (bloc against bloc) how the
#'   components toward the target bloc's members are averaged.
#' @param ... Settings of [threat_components()] (`power`, `decay`, `scale`,
#'   `capital_fallback`, `carry_distance`, `carry_intent`, `half_life`, `hostility_weights`, `intent_parts`,
#'   `similarity`, `beyond`, `reach`, `reach_scale`, `ally_discount`,
#'   `dispute_scale`).
#' @param label `NULL`, or the label of the bloc for the `bloc` column
#'   (default: the bloc's name, the list's name, or `"custom bloc"`).
#' @return A data frame of class `tb_bloc_threat` (a `tb_threat`) with
#'   columns `year`, `bloc` (the bloc's label), `to` (the target's ccode, or
#'   the target bloc's label), `members` (the member count that year,
#'   without the target), `to_members` (bloc against bloc only), `power`,
#'   `proximity`, `offense`, `intent` and `threat`. It carries the sources it
#'   used in `attr(, "sources")` (see [sources()]).
#' @references Walt, S. M. (1987). The Origins of Alliances. Ithaca: Cornell
#'   University Press. See [threat_components()] for the data sources.
#' @export
#' @examples
#' nato <- bloc_threat("NATO", "Russia", 1995:2010)
#' nato[, c("year", "members", "proximity", "threat")]
#' # a custom bloc, and NATO frozen at its 1998 members
#' quad <- c("USA", "Japan", "India", "Australia", "Philippines", "Vietnam")
#' bloc_threat(quad, "China", 2015:2020, label = "QUAD+")
#' nato98 <- bloc_members("NATO", "1998-12-31")$ccode
#' bloc_threat(list("NATO as of 1998" = nato98), "Russia", 2000:2005)
#' # bloc against bloc
#' bloc_threat("NATO", "SCO", 2005:2010)
bloc_threat <- function(bloc, to, years, weights = c(power = 1, proximity = 1, offense = 1, intent = 3),
                        combine = c("geometric", "additive"),
                        member_weights = c("equal", "capability"), ..., label = NULL) {
  if (missing(bloc)) tb_abort("`bloc` is missing: give a bloc, e.g. \"NATO\".")
  spec <- tb_bloc_specs(bloc, label)
  if (length(spec) != 1L) {
    tb_abort(sprintf("`bloc` must be a single bloc, not %d (%s); call bloc_threat() once per bloc.",
                     length(spec), paste0('"', vapply(spec, `[[`, "", "label"), '"',
                                          collapse = ", ")))
  }
  spec <- spec[[1L]]
  if (missing(to)) tb_abort("`to` is missing: give the state(s) threatened, e.g. \"China\".")
  if (is.null(to)) tb_abort("`to` must name the state(s) threatened, not NULL.")
  if (missing(years)) tb_abort("`years` is missing: give the years to compute, e.g. 1990:2020.")
  if (!length(to)) tb_abort(sprintf("`to` must name at least one state, not %s.", tb_describe(to)))
  tb_check_weights(weights)
  combine <- tb_check_choice(combine, c("geometric", "additive"), "combine")
  member_weights <- tb_check_choice(member_weights, c("equal", "capability"), "member_weights")
  s <- do.call(tb_threat_settings, tb_threat_dots(list(...)), quote = TRUE)
  years <- sort(unique(tb_threat_years(years)))
  targets <- tb_bloc_targets(to)
  if (is.null(targets)) {
    # targets resolved in each year ("Germany" is 260 in 1970, 255 in 2000)
    tom <- tb_threat_states(to, "to", years, by_year = TRUE)
  }
  tb_threat_warn_coverage(years, s)
  mem <- tb_bloc_year_members(spec, years)
  if (is.null(targets)) {
    grid <- unique(data.frame(year = rep(years, each = nrow(tom)), to = as.vector(tom)))
    grid <- grid[order(grid$year, grid$to), ]
    r <- tb_bloc_components(mem, grid, years, s, member_weights)
    res <- data.frame(year = r$year, bloc = rep(spec$label, nrow(r)), to = r$to,
                      members = r$members, stringsAsFactors = FALSE)
  } else {
    r <- do.call(rbind, lapply(targets, tb_bloc_vs_bloc, memA = mem, years = years, s = s,
                               member_weights = member_weights))
    r <- r[order(r$year, match(r$to, vapply(targets, `[[`, "", "label"))), ]
    res <- data.frame(year = r$year, bloc = rep(spec$label, nrow(r)), to = r$to,
                      members = r$members, to_members = r$to_members,
                      stringsAsFactors = FALSE)
  }
  for (k in tb_threat_components_names) res[[k]] <- r[[k]]
  rownames(res) <- NULL
  res$threat <- threat_index(res, weights, combine)
  out <- tb_new_threat(as.list(res), c(s, list(member_weights = member_weights,
                                                weights = weights, combine = combine)),
                       kind = "bloc", years = years)
  tb_with_sources(out, tb_spec_sources(c(list(spec), targets)))
}

# Settings passed through `...`: only threat_components() arguments.
tb_threat_dots <- function(dots) {
  args <- c("power", "decay", "scale", "capital_fallback", "carry_distance", "half_life",
            "hostility_weights", "intent_parts", "similarity", "beyond", "carry_intent",
            "reach", "reach_scale", "ally_discount", "dispute_scale")
  nm <- names(dots)
  if (length(dots) && (is.null(nm) || any(!nzchar(nm)) || any(!nm %in% args))) {
    bad <- if (is.null(nm)) "(unnamed)" else ifelse(nzchar(nm), nm, "(unnamed)")[!nm %in% args | !nzchar(nm)]
    tb_abort(sprintf("`...` must hold named settings of threat_components() (%s); unknown: %s.",
                     paste(args, collapse = ", "), paste(bad, collapse = ", ")))
  }
  fm <- formals(threat_components)[args]
  fm <- lapply(fm, eval)
  fm[names(dots)] <- dots
  fm
}

#' Balance of threat between two states
#'
#' For each year, the threat each state poses to the other (the index of
#' [threat_index()] over [threat_components()]) and their difference
#' \eqn{T(b \to a) - T(a \to b)}: positive when `b` threatens `a` more than
#' `a` threatens `b`.
#'
#' @param a,b Single states (see [state_ccode()]).
#' @param years Whole-number years in 1816-2022.
#' @param weights,combine Passed to [threat_index()].
#' @param ... Settings of [threat_components()].
#' @return A data frame of class `tb_balance` with `year`, `a`, `b`
#'   (ccodes), `threat_ab` (a's threat to b), `threat_ba` (b's threat to a)
#'   and `balance` = `threat_ba - threat_ab`. NA where either index is NA.
#'   It carries the sources it used in `attr(, "sources")` (see [sources()]).
#'   [plot()][plot.tb_balance] draws both directions and the balance.
#' @references Walt, S. M. (1987). The Origins of Alliances. Ithaca: Cornell
#'   University Press.
#' @export
#' @examples
#' threat_balance("China", "Russia", 1990:2000)
threat_balance <- function(a, b, years, weights = c(power = 1, proximity = 1, offense = 1, intent = 3),
                           combine = c("geometric", "additive"), ...) {
  if (missing(a) || missing(b)) tb_abort("`a` and `b` must both be given.")
  if (missing(years)) tb_abort("`years` is missing: give the years to compute, e.g. 1990:2020.")
  if (length(a) != 1L) tb_abort(sprintf("`a` must be a single state, not %d states.", length(a)))
  if (length(b) != 1L) tb_abort(sprintf("`b` must be a single state, not %d states.", length(b)))
  tb_check_weights(weights)
  combine <- tb_check_choice(combine, c("geometric", "additive"), "combine")
  s <- do.call(tb_threat_settings, tb_threat_dots(list(...)), quote = TRUE)
  years <- sort(unique(tb_threat_years(years)))
  # each side in each year: a name follows its state across code changes
  ay <- tb_threat_states(a, "a", years, by_year = TRUE)[1L, ]
  by <- tb_threat_states(b, "b", years, by_year = TRUE)[1L, ]
  if (any(ay == by)) tb_abort("`a` and `b` must be different states.")
  tb_threat_warn_coverage(years, s)
  e <- tb_new_threat(tb_threat_engine(years, unique(c(ay, by)), unique(c(ay, by)), s), s)
  ti <- threat_index(e, weights, combine)
  ek <- tb_dy_key(e$year, e$ccode1, e$ccode2)
  ab <- ti[match(tb_dy_key(years, ay, by), ek)]
  ba <- ti[match(tb_dy_key(years, by, ay), ek)]
  out <- data.frame(year = years, a = ay, b = by,
                    threat_ab = ab, threat_ba = ba, balance = ba - ab)
  class(out) <- c("tb_balance", "data.frame")
  tb_with_sources(out, tb_threat_sources(s, years))
}

#' Sensitivity of the threat index to its weights
#'
#' Draws component weights from a Dirichlet distribution (by default uniform
#' over all weightings) and gives, for each row, quantiles of the threat
#' index over the draws: how much a conclusion depends on the weighting.
#' Computed in C.
#'
#' @param x A data frame with columns `power`, `proximity`, `offense`,
#'   `intent`, such as [threat_components()] or [bloc_threat()] return.
#' @param draws Number of weight draws, a whole number from 1 to 1e6.
#' @param seed `NULL` or a single whole number: the random seed for the
#'   draws (the global random state is restored afterwards).
#' @param probs Probabilities in \[0, 1\] of the quantiles (type 7, as
#'   [stats::quantile()]).
#' @param alpha Dirichlet concentration: a single positive number or four
#'   (named by component); 1 is uniform over the simplex.
#' @param combine `"geometric"` or `"additive"`, as in [threat_index()].
#' @return A data frame with the key columns of `x` (those of `year`,
#'   `ccode1`, `ccode2`, `bloc`, `to`, `members`, `to_members` present) and one column per
#'   probability, named `q5`, `q50`, `q95` for the defaults. A row with any NA
#'   component gives NA quantiles.
#' @references Walt, S. M. (1987). The Origins of Alliances. Ithaca: Cornell
#'   University Press.
#' @export
#' @examples
#' x <- threat_components(2000:2005, from = "USA", to = "China")
#' threat_sensitivity(x, draws = 200, seed = 1)
threat_sensitivity <- function(x, draws = 1000, seed = NULL, probs = c(0.05, 0.5, 0.95),
                               alpha = 1, combine = c("geometric", "additive")) {
  tb_check_data_frame(x, "x", tb_threat_components_names)
  # 1e6 draws of four weights: 32 MB; more buys no precision in a quantile
  draws <- tb_check_integerish(draws, "draws", len = 1L, min = 1, max = 1e6, allow_na = FALSE)
  probs <- tb_check_numeric(probs, "probs", min = 0, max = 1, allow_na = FALSE)
  if (!length(probs)) tb_abort("`probs` must hold at least one probability.")
  alpha <- tb_check_alpha(alpha)
  if (anyDuplicated(probs)) {
    tb_abort(sprintf("`probs` must not contain duplicates; %s repeats.",
                     format(probs[anyDuplicated(probs)])))
  }
  combine <- tb_check_choice(combine, c("geometric", "additive"), "combine")
  if (!is.null(seed)) seed <- tb_check_integerish(seed, "seed", len = 1L, allow_na = FALSE)
  comp <- vapply(tb_threat_components_names, function(k)
    tb_check_numeric(x[[k]], sprintf("x$%s", k), min = 0, max = 1), numeric(nrow(x)))
  comp <- matrix(as.double(comp), nrow = nrow(x), ncol = 4L)  # 4 columns also with 0 rows
  g <- tb_with_seed(seed, matrix(stats::rgamma(draws * 4L,
                                               shape = rep(rep_len(alpha, 4L), each = draws)),
                                 nrow = draws))
  w <- g / rowSums(g)
  w[!is.finite(w)] <- 0.25
  q <- .Call(C_ffi_threat_sensitivity, comp, w, combine == "geometric", probs)
  keys <- intersect(c("year", "ccode1", "ccode2", "bloc", "to", "members", "to_members"), names(x))
  out <- as.data.frame(unclass(x)[keys], stringsAsFactors = FALSE)
  if (!length(keys)) out <- data.frame(row = seq_len(nrow(x)))
  qn <- paste0("q", formatC(100 * probs, format = "g"))
  for (k in seq_along(probs)) out[[qn[k]]] <- q[, k]
  out
}

# Alpha of the Dirichlet: one value, or four matched to the components by
# name when named (in component order when not).
tb_check_alpha <- function(alpha) {
  nm <- names(alpha)
  alpha <- tb_check_numeric(alpha, "alpha", len = c(1L, 4L), min = .Machine$double.xmin,
                         allow_na = FALSE, finite = TRUE)
  if (length(alpha) == 4L && !is.null(nm)) {
    if (anyNA(nm) || !setequal(nm, tb_threat_components_names) || anyDuplicated(nm)) {
      tb_abort(sprintf("`alpha` names must be the four components (%s), not %s.",
                       paste(tb_threat_components_names, collapse = ", "),
                       paste0('"', nm, '"', collapse = ", ")))
    }
    alpha <- unname(alpha[match(tb_threat_components_names, nm)])
  }
  alpha
}

#' @export
print.tb_threat <- function(x, n = 10L, ...) {
  # `[` and dplyr verbs drop attributes and columns: describe what is there
  yrs <- if (nrow(x) && "year" %in% names(x) && any(!is.na(x$year))) {
    paste(range(x$year, na.rm = TRUE), collapse = "-")
  } else "none"
  bloc <- inherits(x, "tb_bloc_threat") || all(c("bloc", "to") %in% names(x))
  dyad <- !bloc && all(c("ccode1", "ccode2") %in% names(x))
  cat(sprintf("<threat %s: %d row%s, years %s>\n",
              if (bloc) "of a bloc" else if (dyad) "components, directed dyad-years"
              else "components", nrow(x), if (nrow(x) == 1L) "" else "s", yrs))
  if (dyad) cat("ccode1 is the source of threat, ccode2 the state threatened\n")
  if (bloc && all(c("bloc", "to") %in% names(x))) {
    cat(if ("to_members" %in% names(x)) "bloc is the source of threat, to the bloc threatened\n"
        else "bloc is the source of threat, to the state threatened\n")
  }
  df <- as.data.frame(unclass(x), stringsAsFactors = FALSE)
  print(utils::head(df, n), digits = 3)
  if (nrow(x) > n) cat(sprintf("... %d more rows\n", nrow(x) - n))
  invisible(x)
}

#' @export
summary.tb_threat <- function(object, ...) {
  cols <- intersect(c(tb_threat_components_names, "threat"), names(object))
  tab <- t(vapply(cols, function(k) {
    v <- object[[k]]
    u <- v[!is.na(v)]
    if (!length(u)) return(c(min = NA, median = NA, mean = NA, max = NA, `NA` = length(v)))
    c(min = min(u), median = stats::median(u), mean = mean(u), max = max(u),
      `NA` = sum(is.na(v)))
  }, numeric(5)))
  has_years <- nrow(object) && "year" %in% names(object) && any(!is.na(object$year))
  structure(list(table = tab, rows = nrow(object),
                 years = if (has_years) range(object$year, na.rm = TRUE) else c(NA, NA)),
            class = "summary.tb_threat")
}

#' @export
print.summary.tb_threat <- function(x, ...) {
  cat(sprintf("Threat components: %d rows, years %s\n", x$rows,
              if (anyNA(x$years)) "none" else paste(x$years, collapse = "-")))
  print(x$table, digits = 3)
  invisible(x)
}

#' Plot threat components over years
#'
#' Draws each component (and `threat`, when present) per year for a result
#' of [threat_components()] or [bloc_threat()], in base graphics: one line
#' per series (a directed dyad, or a bloc and target), with a legend naming
#' them. With one series and `panels = FALSE` the components share one panel
#' on \[0, 1\]. A result of [threat_balance()] has its own method, drawing
#' both directions and their balance.
#'
#' Graphical parameters in `...` (such as `main`, `ylim`, `col`, `lwd`,
#' `xlab`) replace the method's defaults; `col` and `lty` give one value per
#' series. A result with no rows draws an empty frame with a message.
#'
#' @param x A `tb_threat` object, or the `tb_balance` result of
#'   [threat_balance()].
#' @param y Ignored.
#' @param panels `TRUE` (default) for one panel per component, each with
#'   its own y axis (proximity and offense are often small next to power);
#'   `FALSE` for all components in one panel on \[0, 1\] (one series only).
#' @param ... Graphical parameters passed to [graphics::plot()] /
#'   [graphics::matplot()], replacing the defaults.
#' @return `x`, invisibly.
#' @examples
#' nr <- bloc_threat("NATO", "Russia", 1990:2010)
#' plot(nr)
#' plot(nr, panels = FALSE, main = "NATO and Russia")
#' plot(threat_components(2000:2010, from = c("USA", "India"), to = "China"))
#' plot(threat_balance("China", "Japan", 1960:2010))
#' @export
plot.tb_threat <- function(x, y, panels = TRUE, ...) {
  panels <- tb_check_flag(panels, "panels")
  dots <- list(...)
  cols <- intersect(c(tb_threat_components_names, "threat"), names(x))
  bloc <- all(c("bloc", "to") %in% names(x))
  keys <- if (bloc) c("bloc", "to") else c("ccode1", "ccode2")
  if (!nrow(x) || !"year" %in% names(x) || !length(cols) || !all(keys %in% names(x))) {
    tb_plot_empty(dots, if (!nrow(x)) "no rows to plot" else
      "nothing to plot: the result lacks its year, key or component columns")
    return(invisible(x))
  }
  sid <- interaction(x[[keys[1L]]], x[[keys[2L]]], drop = TRUE, lex.order = TRUE)
  lab <- if (bloc) {
    sprintf("%s to %s", levels(droplevels(factor(x$bloc)))[1L], "")
    vapply(levels(sid), function(l) {
      r <- match(l, as.character(sid))
      sprintf("%s to %s", x$bloc[r], tb_state_label(x$to[r]))
    }, character(1))
  } else {
    vapply(levels(sid), function(l) {
      r <- match(l, as.character(sid))
      sprintf("%s to %s", tb_state_label(x$ccode1[r]), tb_state_label(x$ccode2[r]))
    }, character(1))
  }
  yrs <- sort(unique(x$year))
  ns <- nlevels(sid)
  val <- function(k) {  # years x series
    m <- matrix(NA_real_, length(yrs), ns)
    m[cbind(match(x$year, yrs), as.integer(sid))] <- as.double(x[[k]])
    m
  }
  title <- if (ns == 1L) paste("Threat of", unname(lab)) else "Threat components"
  if (!panels && ns == 1L) {
    m <- vapply(cols, function(k) val(k)[, 1L], numeric(length(yrs)))
    m <- matrix(m, nrow = length(yrs), dimnames = list(NULL, cols))
    args <- utils::modifyList(list(x = yrs, y = m, type = "l", lty = 1,
                                   lwd = c(rep(1.5, 4), 2.5)[seq_along(cols)],
                                   col = seq_along(cols), ylim = c(0, 1), xlab = "year",
                                   ylab = "component (0-1)", main = title), dots)
    do.call(graphics::matplot, args)
    graphics::legend("topleft", legend = cols, col = args$col, lty = args$lty, bty = "n",
                     cex = 0.8)
    return(invisible(x))
  }
  op <- graphics::par(mfrow = c(2L, ceiling(length(cols) / 2)), mar = c(3, 3.5, 2, 0.5),
                      oma = c(0, 0, 2, 0), mgp = c(2, 0.6, 0))
  on.exit(graphics::par(op))
  outer <- if (is.null(dots$main)) title else dots$main
  dots$main <- NULL
  for (k in seq_along(cols)) {
    m <- val(cols[k])
    top <- if (all(is.na(m))) 1 else max(m, na.rm = TRUE)
    args <- utils::modifyList(list(x = yrs, y = m, type = "l", lty = 1, lwd = 2,
                                   col = if (ns == 1L) k else seq_len(ns),
                                   ylim = c(0, max(top, 1e-12) * 1.05), xlab = "year",
                                   ylab = cols[k], main = cols[k], las = 1), dots)
    do.call(graphics::matplot, args)
    if (k == 1L && ns > 1L) {
      graphics::legend("topleft", legend = unname(lab), col = rep_len(args$col, ns),
                       lty = rep_len(args$lty, ns), bty = "n", cex = 0.7)
    }
  }
  graphics::mtext(outer, outer = TRUE, cex = 1.1, font = 2)
  invisible(x)
}

#' @rdname plot.tb_threat
#' @export
plot.tb_balance <- function(x, y, ...) {
  dots <- list(...)
  if (!nrow(x) || !all(c("year", "threat_ab", "threat_ba", "balance") %in% names(x))) {
    tb_plot_empty(dots, if (!nrow(x)) "no rows to plot" else
      "nothing to plot: the result lacks its year or threat columns")
    return(invisible(x))
  }
  a <- tb_state_label(x$a[1L]); b <- tb_state_label(x$b[1L])
  m <- cbind(x$threat_ab, x$threat_ba, x$balance)
  rng <- range(c(0, m), na.rm = TRUE)
  if (!all(is.finite(rng))) rng <- c(-1, 1)
  args <- utils::modifyList(list(x = x$year, y = m, type = "l", lty = c(1, 1, 2),
                                 lwd = c(2, 2, 1.5), col = c("firebrick", "steelblue", "grey30"),
                                 ylim = rng, xlab = "year", ylab = "threat index",
                                 main = sprintf("Balance of threat: %s and %s", a, b)), dots)
  do.call(graphics::matplot, args)
  graphics::abline(h = 0, col = "grey70")
  graphics::legend("topleft", bty = "n", cex = 0.8, col = rep_len(args$col, 3L),
                   lty = rep_len(args$lty, 3L),
                   legend = c(sprintf("%s to %s", a, b), sprintf("%s to %s", b, a),
                              sprintf("balance (%s to %s minus %s to %s)", b, a, a, b)))
  invisible(x)
}

# An empty frame with a message in it, for results with nothing to draw.
tb_plot_empty <- function(dots, msg) {
  args <- utils::modifyList(list(x = 0, y = 0, type = "n", xlab = "", ylab = "",
                                 axes = FALSE, main = ""), dots)
  do.call(graphics::plot, args)
  graphics::text(0, 0, msg, col = "grey40")
}

# "China" for 710: state names for labels, the code where none is known.
tb_state_label <- function(cc) {
  st <- tb_data("states")
  out <- st$statenme[match(cc, st$ccode)]
  ifelse(is.na(out), as.character(cc), out)
}
