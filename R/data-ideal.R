# Documentation of the dataset built by data-raw/bsv.R.

#' Published UN General Assembly ideal points (Bailey, Strezhnev & Voeten)
#'
#' The dynamic ideal points of Bailey, Strezhnev & Voeten (2017), June 2024
#' release, for every state and General Assembly session 1--78 (1946--2023):
#' the published estimates that [ideal_points()] is validated against.
#'
#' @format A data frame with 11,238 rows, one per state and session, sorted by
#'   `ccode` and `session`:
#' \describe{
#'   \item{ccode}{CoW state code (integer).}
#'   \item{session}{General Assembly session, 1--78 (integer).}
#'   \item{year}{the year the session opens, 1945 + `session` (1946--2023).}
#'   \item{ideal}{the ideal point from all votes (`IdealPointAll`): the
#'     posterior mean; positive is the side of the United States.}
#'   \item{lower, upper}{its 5% and 95% posterior quantiles (`Q5%All`,
#'     `Q95%All`).}
#'   \item{n_votes}{the number of votes the state cast in the session
#'     (`NVotesAll`).}
#' }
#' @details Coverage: sessions 1--78 (the 19th, 1964--65, had one recorded
#'   vote and has no estimates), 199 states. The published estimates are
#'   normalized to mean 0 over all state-sessions; [ideal_points()] fixes its
#'   scale by its priors instead, so compare the two by correlation (overall and
#'   within sessions), not value by value. Codes are as published (Germany 255
#'   and 260, Yemen 678 and 679); no row is missing a value. The agreement
#'   columns of the release (with the US, Russia, Brazil, China, India and
#'   Israel) are not kept: [vote_similarity()] computes agreement.
#' @source Bailey, M. A., Strezhnev, A. and Voeten, E. (2017). Estimating
#'   dynamic state preferences from United Nations voting data. *Journal of
#'   Conflict Resolution* 61(2), 430--456. \doi{10.1177/0022002715595700}.
#'   Data: Voeten, E., Strezhnev, A. and Bailey, M., *United Nations General
#'   Assembly Voting Data*, Harvard Dataverse, \doi{10.7910/DVN/LEJUQZ} (file
#'   `IdealpointestimatesAll_Jun2024`), released under CC0; copied unchanged
#'   from a public repository that carries the file. Cite the article when you
#'   use these estimates.
#' @examples
#' head(bsv_ideal_points)
#' bsv_ideal_points[bsv_ideal_points$ccode %in% c(2, 365, 710) &
#'                    bsv_ideal_points$session == 78, ]
"bsv_ideal_points"
