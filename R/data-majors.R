#' Major powers of the Correlates of War state system
#'
#' The spells in which the Correlates of War project codes a state as a major
#' power: the United States from 1898, the United Kingdom, France (but
#' 1940-45), Germany (to 1918, 1925-45, from 1991), Austria-Hungary (to
#' 1918), Italy (1860-1943), Russia/the Soviet Union (but 1917-22), China
#' from 1950 and Japan (1895-1945, from 1991). The threat functions use it
#' for the reach of major powers (`reach = "major"` in
#' [threat_components()]).
#'
#' @format A data frame with 14 rows and 4 columns:
#' \describe{
#'   \item{ccode}{Correlates of War state code (integer).}
#'   \item{start, end}{First and last day of the spell (`Date`).}
#'   \item{source}{The list the spell comes from.}
#' }
#' @details Coverage 1816--2016: CoW's list (version 2016) ends every spell
#'   in force on 2016-12-31. The package treats the seven majors of 2016 as
#'   majors in later years too (the list has not been revised since), and
#'   says so where it does (the `reach` argument of [threat_components()]).
#' @source Correlates of War Project (2017). State System Membership List,
#'   v2016 (majors2016.csv), <https://correlatesofwar.org>, as carried by the
#'   peacesciencer R package (`cow_majors`, GPL-2). Free for scholarly use
#'   with citation.
#' @references Correlates of War Project (2017). State System Membership
#'   List, v2016. <https://correlatesofwar.org>.
#' @examples
#' major_powers
#' subset(major_powers, end >= as.Date("2016-12-31"))
"major_powers"
