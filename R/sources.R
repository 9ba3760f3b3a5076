# Provenance: the packaged sources each result was computed from, keyed as
# the coverage table (tb_coverage()) keys them, with their citations (those
# of the datasets' help pages), and the exported sources() helper.

# One row per source key: the dataset(s) it stands for and how to cite it.
# Keys of the coverage table come first, in its order; then the sources that
# have no coverage row (events, CAMEO, blocs, ...).
tb_source_table <- function() {
  tb_memo("source_table", data.frame(
    source = c("states", "capabilities", "capitals", "min_distance", "contiguity",
               "alliances", "disputes", "rivalries", "votes", "majors", "conflicts",
               "events", "icews", "cameo", "blocs", "ideal", "vetoes", "gdp_pop"),
    dataset = c("states", "capabilities", "capitals", "min_distance", "contiguity",
                "alliances", "disputes", "rivalries", "unga_votes, unga_rollcalls",
                "major_powers", "armed_conflicts", "events", "icews_dyads", "cameo",
                "blocs", "bsv_ideal_points", "unsc_vetoes", "gdp_pop"),
    citation = c(
      "Correlates of War Project (2017). State System Membership List, v2016. https://correlatesofwar.org",
      paste("Singer, J. D., Bremer, S. and Stuckey, J. (1972). Capability distribution, uncertainty, and major power war, 1820-1965.",
            "In B. Russett (ed.), Peace, War, and Numbers, 19-48. Sage.",
            "Greig, J. M. and Enterline, A. J. (2021). National Material Capabilities (NMC) Data Documentation, Version 7.0. Correlates of War Project."),
      "Miller, S. V. (2022). peacesciencer: An R package for quantitative peace science research. Conflict Management and Peace Science 39(6), 755-779 (capitals).",
      "Schvitz, G., Girardin, L., Ruegger, S., Weidmann, N. B., Cederman, L.-E. and Gleditsch, K. S. (2022). Mapping the international system, 1886-2019: The CShapes 2.0 dataset. Journal of Conflict Resolution 66(1), 144-161.",
      "Stinnett, D. M., Tir, J., Schafer, P., Diehl, P. F. and Gochman, C. (2002). The Correlates of War Project direct contiguity data, version 3. Conflict Management and Peace Science 19(2), 58-66.",
      "Leeds, B. A., Ritter, J. M., Mitchell, S. M. and Long, A. G. (2002). Alliance Treaty Obligations and Provisions, 1815-1944. International Interactions 28(3), 237-260. ATOP version 5.1.",
      "Gibler, D. M., Miller, S. V. and Little, E. K. (2016). An analysis of the Militarized Interstate Dispute (MID) dataset, 1816-2001. International Studies Quarterly 60(4), 719-730.",
      "Thompson, W. R., Sakuwa, K. and Suhas, P. H. (2022). Analyzing Strategic Rivalries in World Politics. Springer.",
      paste("Voeten, E., Strezhnev, A. and Bailey, M. (2009). United Nations General Assembly Voting Data. Harvard Dataverse, doi:10.7910/DVN/LEJUQZ.",
            "Sessions 75-80: United Nations, General Assembly resolutions, machine-readable extract (DGACM)."),
      "Correlates of War Project (2017). State System Membership List, v2016 (majors2016.csv). https://correlatesofwar.org",
      paste("Gleditsch, N. P., Wallensteen, P., Eriksson, M., Sollenberg, M. and Strand, H. (2002). Armed conflict 1946-2001: A new dataset. Journal of Peace Research 39(5), 615-637.",
            "Davies, S., Pettersson, T. and Oberg, M. (2025). Organized violence 1989-2024. Journal of Peace Research 62(4). UCDP/PRIO Armed Conflict Dataset version 25.1."),
      "threatbalance's curated event chronology (events): Yi and Yang (2023), Sadeghi, Keshishyan Siraki and Ghaedi (2022) and the primary documents in its `source` column.",
      "Boschee, E., Lautenschlager, J., O'Brien, S., Shellman, S., Starz, J. and Ward, M. (2015). ICEWS Coded Event Data. Harvard Dataverse, doi:10.7910/DVN/28075.",
      paste("Schrodt, P. A. (2012). CAMEO: Conflict and Mediation Event Observations Event and Actor Codebook, version 1.1b3.",
            "Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events data. Journal of Conflict Resolution 36(2), 369-385."),
      "threatbalance's curated bloc membership spells (blocs): the treaties, accession protocols and partner lists in its `source` column; cross-checked against Pevehouse, J. C. W. et al. (2020), the Correlates of War IGO Version 3.0 datasets, Journal of Peace Research 57(3), 492-503.",
      "Bailey, M. A., Strezhnev, A. and Voeten, E. (2017). Estimating dynamic state preferences from United Nations voting data. Journal of Conflict Resolution 61(2), 430-456.",
      "United Nations Dag Hammarskjold Library, Security Council - Veto List. https://research.un.org/en/docs/sc/quick/veto",
      "Anders, T., Fariss, C. J. and Markowitz, J. N. (2020). Bread before guns or butter: Introducing Surplus Domestic Product (SDP). International Studies Quarterly 64(2), 392-405."),
    stringsAsFactors = FALSE))
}

# Attach the sources `keys` (plus those `x` already carries) to a result.
tb_with_sources <- function(x, keys) {
  keys <- unique(c(attr(x, "sources", exact = TRUE), keys))
  keys <- keys[!is.na(keys)]
  st <- tb_source_table()$source
  attr(x, "sources") <- if (length(keys)) keys[order(match(keys, st))] else NULL
  x
}

# Sources of a user's input: those it carries, or the key of the packaged
# dataset it is (`candidates`: dataset names by key).
tb_input_sources <- function(data, candidates) {
  have <- attr(data, "sources", exact = TRUE)
  if (!is.null(have)) return(have)
  for (k in names(candidates)) {
    # the recorded shape rules most data frames out without loading the dataset
    shape <- tb_data_shapes[[candidates[[k]]]]
    if (!is.data.frame(data) || nrow(data) != shape$nrow || !identical(names(data), shape$names)) next
    if (identical(data, tb_data(candidates[[k]]))) return(k)
  }
  NULL
}

#' Sources a result was computed from, with their citations
#'
#' Results of the package's measures ([threat_components()],
#' [bloc_threat()], [threat_balance()], [alliance_similarity()],
#' [vote_similarity()], [relation_scores()], [relation_level()],
#' [ideal_points()], [dyad_years()], [cinc()], ...) carry the keys of the
#' packaged datasets they used in `attr(x, "sources")`, such as
#' `"capabilities"`, `"alliances"`, `"votes"` or `"events"` (keyed as the
#' coverage table of the package). `sources()` lists them with the
#' citation of each, so that a paper can cite exactly what went in.
#'
#' The attribute survives row subsetting (`x[rows, ]`, [utils::head()], dplyr
#' verbs) but not column subsetting with `[` (`x[c("year", "s")]`), which
#' drops attributes in base R; take the sources before.
#'
#' Which keys a result carries depends on its settings: [threat_components()]
#' lists the rivalry, alliance or vote data only when the intent parts use
#' them, the armed-conflict data only when `beyond = "conflicts"` reaches
#' past the dispute data, and so on. A result computed from the user's own
#' data (events of a file, capabilities of one's own) lists the packaged
#' sources used on the way (the CAMEO codebook, the state list to resolve
#' names) and the sources the input carried, if any.
#'
#' @param x A result carrying `attr(x, "sources")`, or a character vector of
#'   source keys; `NULL` (default) for every source of the package.
#' @return A data frame of class `tb_sources` with `source` (the key),
#'   `dataset` (the packaged dataset(s)) and `citation`, one row per source;
#'   it prints as a list of references.
#' @seealso [utils::citation()] for the package itself.
#' @examples
#' x <- threat_components(2000, from = "USA", to = "China")
#' attr(x, "sources")
#' sources(x)
#' sources(vote_similarity(2015, method = "agree"))
#' sources()
#' @export
sources <- function(x = NULL) {
  tab <- tb_source_table()
  keys <- if (is.null(x)) tab$source
          else if (is.character(x) && is.null(attr(x, "sources", exact = TRUE))) x
          else attr(x, "sources", exact = TRUE)
  if (is.null(keys)) {
    tb_abort(sprintf("`x` carries no sources (attribute \"sources\"); give a result of the package's measures (column subsetting with `[` drops attributes), or source keys among %s.",
                     paste0('"', tab$source, '"', collapse = ", ")), class = "input")
  }
  if (!is.character(keys) || anyNA(keys)) {
    tb_abort(sprintf("`x` must be a result carrying sources or a character vector of source keys, not %s.",
                     tb_describe(keys)))
  }
  bad <- setdiff(keys, tab$source)
  if (length(bad)) {
    tb_abort(sprintf("Unknown source%s %s; the sources are %s.", if (length(bad) > 1L) "s" else "",
                     paste0('"', bad, '"', collapse = ", "),
                     paste0('"', tab$source, '"', collapse = ", ")))
  }
  out <- tab[tab$source %in% keys, , drop = FALSE]
  rownames(out) <- NULL
  class(out) <- c("tb_sources", "data.frame")
  out
}

#' @export
print.tb_sources <- function(x, ...) {
  cat(sprintf("<%d source%s>\n", nrow(x), if (nrow(x) == 1L) "" else "s"))
  for (i in seq_len(nrow(x))) {
    cat(sprintf("[%s] (%s)\n", x$source[i], x$dataset[i]))
    cat(strwrap(x$citation[i], indent = 2L, exdent = 2L), sep = "\n")
  }
  invisible(x)
}
