# Documentation of the datasets built by data-raw/datasets.R. The curated
# datasets (blocs, phases, events) are documented in R/data-curated.R.

#' Correlates of War state system membership
#'
#' Membership spells of the Correlates of War (CoW) interstate system, with
#' ISO 3166-1 alpha-3 codes for the states that have one.
#'
#' @format A data frame with 243 rows (one per membership spell):
#' \describe{
#'   \item{ccode}{CoW state code (integer).}
#'   \item{stateabb}{CoW three-letter abbreviation.}
#'   \item{statenme}{CoW state name.}
#'   \item{iso3c}{ISO 3166-1 alpha-3 code (from the countrycode package at build
#'     time); `NA` for states that ended before 1945 or have no ISO code (e.g.
#'     West Germany 260, East Germany 265, North Yemen 678, Czechoslovakia 315,
#'     South Vietnam 817). Kosovo is `"XKX"`.}
#'   \item{start, end}{first and last day of the spell (`Date`). **A spell
#'     that is still going on ends `9999-12-31`** (195 spells: the current
#'     members).}
#' }
#' @details Coverage 1816-01-01 to the present. The CoW list (version 2016)
#'   records the spells that ended before 2017; the spells of the states that
#'   were members at its end are open-ended, as in the states package (no
#'   state has left the system since). A state's spells can be several (e.g.
#'   Austria 305, Poland 290). The package's functions use membership up to
#'   the last year their sources cover; to list the members of a year `y`,
#'   compare with `start` and `end` as usual
#'   (`states$start <= as.Date(sprintf("%d-12-31", y)) & states$end >= as.Date(sprintf("%d-01-01", y))`),
#'   which works for any `y`.
#' @source Correlates of War Project (2017). *State System Membership List,
#'   v2016*. <https://correlatesofwar.org/data-sets/state-system-membership/>,
#'   as carried by the states package (Beger, MIT licence), whose `cowstates`
#'   leaves current members open-ended; the spells are checked at build time
#'   to be those of the peacesciencer copy (Miller 2022, GPL-2).
#' @examples
#' head(states)
#' states[states$ccode %in% c(255, 260, 265), ]
#' sum(states$end == as.Date("9999-12-31"))   # current members
"states"

#' National Material Capabilities, version 7.0
#'
#' The six components of the Composite Index of National Capability (CINC)
#' and the published CINC for every state-year 1816--2022.
#'
#' @format A data frame with 17,121 rows and 9 columns:
#' \describe{
#'   \item{ccode, year}{CoW state code and year (integer).}
#'   \item{milex}{military expenditure, thousands of current US dollars
#'     (thousands of current British pounds before 1914).}
#'   \item{milper}{military personnel, thousands.}
#'   \item{irst}{iron and steel production, thousands of tons.}
#'   \item{pec}{primary energy consumption, thousands of coal-ton equivalents.}
#'   \item{tpop}{total population, thousands.}
#'   \item{upop}{urban population (cities over 100,000), thousands.}
#'   \item{cinc}{the published CINC: the mean of the state's shares of the
#'     system totals over the components it reports.}
#' }
#' @details Missing components are `NA` (the NMC codes -9 are converted).
#'   Inside functions of your own package, write `threatbalance::capabilities`:
#'   base R also has a function called `capabilities()`.
#'   [cinc()] recomputes the index from the components.
#' @source Singer, J. D., Bremer, S. and Stuckey, J. (1972). Capability
#'   distribution, uncertainty, and major power war, 1820--1965. In B. Russett
#'   (ed.), *Peace, War, and Numbers*, 19--48. Sage. Greig, J. M. and
#'   Enterline, A. J. (2021). *National Material Capabilities (NMC) Data
#'   Documentation, Version 6.0/7.0*. Correlates of War Project. Carried by the
#'   peacesciencer package (GPL-2).
#' @examples
#' capabilities[capabilities$year == 2022 & capabilities$ccode %in% c(2, 365, 710), ]
"capabilities"

#' GDP and population estimates, 1816--2019
#'
#' Latent-variable estimates of GDP, GDP per capita and population (means and
#' standard deviations of simulations anchored on the Penn World Table and the
#' Maddison Project), keyed by CoW state code.
#'
#' @format A data frame with 16,536 rows:
#' \describe{
#'   \item{ccode, year}{CoW state code and year.}
#'   \item{gdp, gdp_sd}{real GDP on the Penn World Table scale (millions of
#'     US dollars, constant prices) and its simulation standard deviation.}
#'   \item{gdppc, gdppc_sd}{GDP per capita on the Maddison scale (US dollars,
#'     constant prices) and its standard deviation.}
#'   \item{pop, pop_sd}{population (millions) and its standard deviation.}
#' }
#' @details 43 state-years have no estimate (`NA`).
#' @source Anders, T., Fariss, C. J. and Markowitz, J. N. (2020). Bread before
#'   guns or butter: Introducing Surplus Domestic Product (SDP).
#'   *International Studies Quarterly* 64(2), 392--405. Carried by the isard
#'   package (Miller, GPL-2).
"gdp_pop"

#' Capital cities with coordinates and validity dates
#'
#' @format A data frame with 242 rows:
#' \describe{
#'   \item{ccode}{CoW state code.}
#'   \item{capital}{capital city.}
#'   \item{start, end}{dates between which the city was the capital (`Date`),
#'     ending 2024-12-31 for current capitals.}
#'   \item{lat, lon}{latitude and longitude, decimal degrees (WGS84).}
#' }
#' @details A state with a moved capital has several rows (e.g. Brazil: Rio
#'   de Janeiro to 1960, Brasilia after; Germany: Bonn for West Germany 260,
#'   Berlin for Germany 255).
#'
#'   Every spell was checked against the city coordinates of
#'   `maps::world.cities` (maps 3.4.1; at build time only, see
#'   `data-raw/capitals-check.md`): 230 lie within 20 km. Seven that were
#'   more than 20 km off, mostly country centroids, carry the world.cities
#'   position instead: Brasilia (834 km off), Tunis (341 km), Riyadh (207
#'   km), Koror (44 km), Djibouti (44 km), Beijing (29 km) and Parma (22 km).
#'   Abuja and Majuro keep the source's coordinates, which agree with the
#'   cities' published positions where world.cities does not; Ludwigslust,
#'   Naypyidaw and Quezon City are not in world.cities. Current capitals end
#'   2024-12-31, the end of the source.
#' @source Compiled by S. Miller for the peacesciencer package (GPL-2):
#'   Miller, S. V. (2022). peacesciencer: An R package for quantitative peace
#'   science research. *Conflict Management and Peace Science* 39(6), 755--779.
#'   Seven coordinates corrected from `world.cities` of the maps package
#'   (Becker, Wilks, Brownrigg, Minka and Deckmyn; GPL-2).
"capitals"

#' Direct contiguity spells (CoW Direct Contiguity v3.2)
#'
#' @format A data frame with 1,874 rows (directed: each pair appears both
#'   ways):
#' \describe{
#'   \item{ccode1, ccode2}{CoW state codes.}
#'   \item{conttype}{1 land or river border; 2, 3, 4, 5 separated by 12, 24,
#'     150, 400 miles of water or less; 0 a spell in which a previous
#'     contiguity relation is recorded as lapsed (not contiguous).}
#'   \item{start, end}{first and last month of the spell (`Date`, first day of
#'     the month).}
#' }
#' @details Coverage 1816--2016: the last spells end 2016-12-01. Outside this
#'   range contiguity is unknown; functions return `NA`, not 0.
#' @source Stinnett, D. M., Tir, J., Schafer, P., Diehl, P. F. and Gochman, C.
#'   (2002). The Correlates of War Project direct contiguity data, version 3.
#'   *Conflict Management and Peace Science* 19(2), 58--66. Carried by
#'   peacesciencer (GPL-2).
"contiguity"

#' Minimum distance between states, 1886--2019
#'
#' @format A data frame with 952,244 rows (non-directed, `ccode1 < ccode2`):
#' \describe{
#'   \item{ccode1, ccode2, year}{CoW state codes and year.}
#'   \item{mindist}{minimum distance between the two states' territories on 1
#'     January of the year, km (0 for states that share a land border).}
#' }
#' @details Computed from CShapes 2.0 boundaries. Coverage 1886--2019; outside
#'   it functions return `NA`.
#' @source Schvitz, G., Girardin, L., Rüegger, S., Weidmann, N. B., Cederman,
#'   L.-E. and Gleditsch, K. S. (2022). Mapping the international system,
#'   1886--2019: The CShapes 2.0 dataset. *Journal of Conflict Resolution*
#'   66(1), 144--161. Carried by peacesciencer (GPL-2).
"min_distance"

#' ATOP alliance obligations, directed dyad-years (ATOP 5.1)
#'
#' @format A data frame with 273,296 rows, one per directed dyad-year with at
#'   least one alliance obligation:
#' \describe{
#'   \item{ccode1, ccode2, year}{CoW state codes and year.}
#'   \item{defense, offense, neutral, nonagg, consul}{1 if an alliance in force
#'     commits `ccode1` to defense, offense, neutrality, non-aggression or
#'     consultation toward `ccode2`, else 0.}
#' }
#' @details Coverage 1815--2018. 170 dyad-years (mostly 1830s--1840s) record
#'   an alliance in force with none of the five obligations; their valued
#'   alliance code is 0. A dyad-year absent from the table had no
#'   alliance obligation (0) if both states were system members that year;
#'   outside 1815--2018 nothing is known.
#' @source Leeds, B. A., Ritter, J. M., Mitchell, S. M. and Long, A. G.
#'   (2002). Alliance Treaty Obligations and Provisions, 1815--1944.
#'   *International Interactions* 28(3), 237--260. ATOP version 5.1,
#'   <http://www.atopdata.org>. Carried by peacesciencer (GPL-2).
"alliances"

#' Militarized interstate disputes, dispute dyad-years (GML MID 2.2.1)
#'
#' @format A data frame with 10,276 rows, one per dispute, year and ordered
#'   pair of states: every non-directed dispute dyad-year (5,138) appears
#'   twice, as (`ccode1`, `ccode2`) and as (`ccode2`, `ccode1`), with the
#'   columns ending in 1 and 2 swapped. A pair involved in several disputes
#'   in a year has a row for each dispute:
#' \describe{
#'   \item{dispnum}{dispute number.}
#'   \item{ccode1, ccode2, year}{CoW state codes and year.}
#'   \item{onset}{1 in the dispute's first year for the dyad.}
#'   \item{sidea1, sidea2}{1 if the state was on side A (the side that took
#'     the first militarized action).}
#'   \item{orig1, orig2}{1 if the state was an originator of the dispute.}
#'   \item{hostlev1, hostlev2}{each state's highest hostility level: 1 no
#'     militarized action, 2 threat, 3 display, 4 use of force, 5 war.}
#'   \item{hostlev}{the dispute's highest hostility level.}
#'   \item{hiact1, hiact2}{each state's highest action (0--21, CoW MID codes).}
#'   \item{fatality}{fatality level of the dispute (0 none ... 6 over 999;
#'     `NA` when unknown).}
#' }
#' @details The Gibler--Miller--Little (GML) revision of the CoW MID data,
#'   version 2.2.1, covering 1816--2010, as directed dispute dyad-years
#'   (`gml_dirdisp`). The key is (`dispnum`, `year`, `ccode1`, `ccode2`).
#'   Every dispute record is kept: the one-dispute-per-dyad-year version of
#'   the carrier (`gml_mid_ddydisps`, used by earlier versions of this
#'   package) drops 496 dispute dyad-years of pairs with several disputes in
#'   a year; the records both have agree. To count each dispute dyad-year
#'   once, keep the rows with `ccode1 < ccode2`. Disputes after 2010 are not
#'   in these data: functions that use them treat later years as unknown
#'   (see [armed_conflicts] for a different, later record).
#' @source Gibler, D. M., Miller, S. V. and Little, E. K. (2016). An analysis
#'   of the Militarized Interstate Dispute (MID) dataset, 1816--2001.
#'   *International Studies Quarterly* 60(4), 719--730. Carried by
#'   peacesciencer (GPL-2).
#' @examples
#' d <- disputes[disputes$ccode1 < disputes$ccode2, ]   # each dispute dyad-year once
#' nrow(d)
#' d[d$ccode1 == 2 & d$ccode2 == 710 & d$year >= 1995, c("dispnum", "year", "hostlev")]
"disputes"

#' Strategic rivalries (Thompson, Sakuwa and Suhas)
#'
#' @format A data frame with 264 rows, one per rivalry:
#' \describe{
#'   \item{rivalry_id, rivalry}{identifier and name.}
#'   \item{ccode1, ccode2}{CoW codes of the rivals.}
#'   \item{start, end}{first and last year of the rivalry (integer).}
#'   \item{positional, spatial, ideological, interventionary}{1 if the rivalry
#'     is of that type; 0 where the source leaves the type blank.}
#'   \item{principal, aprin}{1 for principal rivalries and for asymmetric
#'     principal rivalries, 0 otherwise.}
#' }
#' @details Coverage 1494--2020.
#' @source Thompson, W. R., Sakuwa, K. and Suhas, P. H. (2022). *Analyzing
#'   Strategic Rivalries in World Politics: Types of Rivalry, Regional
#'   Variation, and Escalation/De-escalation*. Springer. Carried by
#'   peacesciencer (GPL-2).
"rivalries"

#' UN General Assembly roll-call votes, 1946--2026
#'
#' @format A data frame with 982,334 rows, one per state and roll call in
#'   which the state voted:
#' \describe{
#'   \item{rcid}{roll-call identifier (see [unga_rollcalls]).}
#'   \item{ccode}{CoW state code.}
#'   \item{vote}{1 yes, 2 abstain, 3 no.}
#' }
#' @details Absence is not a row (it is not a vote). Two sources:
#'
#'   **Sessions 1--74 (1946 to 14 January 2020)**, 870,109 votes in 6,203 roll
#'   calls, from the Voeten--Strezhnev--Bailey data (unvotes). The ISO2 codes
#'   of the source are mapped to CoW codes at build time (countrycode plus a
#'   table of our own); none is left unmapped. China's seat: the Republic of
#'   China's votes until resolution 2758 of 25 October 1971 (sessions 1--25 and
#'   the first weeks of the 26th) are keyed to Taiwan, 713; the People's
#'   Republic's, 710, after it (26th session on). The
#'   USSR's votes are keyed to Russia, 365. The Ukrainian and Byelorussian
#'   SSRs had their own seats from 1945 and are keyed to 369 and 370 although
#'   CoW counts them as states only from 1991. The Federal Republic of Germany
#'   is 260 until 1990 and Germany 255 after; the German Democratic Republic
#'   265; North Yemen 678, South Yemen 680, Yemen 679; Zanzibar 511.
#'
#'   **Sessions 75--80 and the tenth and eleventh emergency special sessions
#'   (5 November 2020 to 4 June 2026)**, 112,225 votes in 640 roll calls, from
#'   the UN's machine-readable extract of General Assembly resolutions
#'   (DGACM): every resolution adopted by a recorded vote, with the member
#'   states listed in favour, against and abstaining. Only the vote on each
#'   resolution as a whole is in the extract (no separate votes on
#'   amendments or paragraphs, no decisions). Member names, written in
#'   several spellings (TURKEY, TURKIYE, TÜRKİYE, ...; NETHERLANDS and
#'   NETHERLANDS (KINGDOM OF THE)), are mapped to CoW codes through one
#'   explicit table (`data-raw/unga-member-aliases.csv`, 199 names, all
#'   mapped). The per-roll-call numbers of yes, no and abstain votes equal the
#'   counts the source states, except for the source's defects, handled so:
#'   * `A/RES/75/254 A-C` (31 December 2020, 168--2--0) has counts but no
#'     member lists: left out (no member's vote is known).
#'   * `A/RES/75/290 A` (25 June 2021) has each list written twice: each
#'     member is kept once, which gives the stated 90--0--47.
#'   * `A/RES/77/293` (7 June 2023) lists 58 abstainers against a stated 59:
#'     the 58 listed are kept; the 59th cannot be identified.
#'   * 21 resolutions (19 of session 79, 2 of session 80) are recorded twice
#'     with the same votes: kept once.
#'   * 4 multi-part resolutions (`A/RES/79/259 A-C`, `80/84 A-B`,
#'     `80/236 A-B`, `80/244 A-C`) have no adoption type, zero counts and no
#'     lists: not included.
#'
#'   Not in either source: the recorded votes of session 74 after 14 January
#'   2020 (the extract's session-74 file ends in December 2019), and emergency
#'   special session resolutions the extract does not carry (it has
#'   `ES-10/21`, `22`, `24` and `ES-11/1` to `6` only). The session in
#'   progress when the data end (80) is covered to 4 June 2026.
#' @source Voeten, E., Strezhnev, A. and Bailey, M. (2009). *United Nations
#'   General Assembly Voting Data*. Harvard Dataverse,
#'   \doi{10.7910/DVN/LEJUQZ}. As carried by the unvotes package (Robinson,
#'   MIT licence). Sessions 75--80 and ES-10, ES-11: United Nations, General
#'   Assembly resolutions, machine-readable extract, Department for General
#'   Assembly and Conference Management (DGACM), as published in the
#'   UNxml/GAresolutions repository (`data_extract/`). Unofficial copies,
#'   provided by the United Nations without warranty; source: the United
#'   Nations.
#' @seealso [vote_similarity()]
#' @examples
#' es11 <- unga_rollcalls$rcid[unga_rollcalls$resolution == "A/RES/ES-11/1"]
#' v <- unga_votes[unga_votes$rcid == es11, ]
#' table(v$vote)                      # 141 yes, 35 abstain, 5 no
#' v[v$ccode %in% c(2, 365, 710), ]   # US yes, Russia no, China abstains
"unga_votes"

#' UN General Assembly roll calls
#'
#' @format A data frame with 6,843 rows:
#' \describe{
#'   \item{rcid}{roll-call identifier. Those of the DGACM extract (sessions
#'     75 on) follow the last unvotes identifier (9147), from 9148, in order
#'     of date.}
#'   \item{session}{General Assembly session (integer). An emergency special
#'     session's votes carry the regular session in progress at the date of
#'     the vote (as unvotes does for `A/RES/ES-10/19`, in session 72): e.g.
#'     `A/RES/ES-11/1` of 2 March 2022 is in session 76, `A/RES/ES-10/21` of
#'     27 October 2023 in session 78. Regular sessions open on the Tuesday of
#'     the third week of September (75th: 15 September 2020, ..., 80th: 9
#'     September 2025).}
#'   \item{date, year}{date of the vote (the adoption date) and its calendar
#'     year.}
#'   \item{important}{1 if the US State Department classified the vote as
#'     important (from 1983; `NA` where not classified). `NA` for every vote
#'     from session 75 on: the extract does not say.}
#'   \item{resolution}{resolution symbol (`"A/RES/ES-11/1"`; older rows
#'     use the source's codes such as `"R/1/66"`).}
#'   \item{amend, para}{1 if the vote was on an amendment / a paragraph. 0
#'     from session 75 on: the extract records only the vote on each
#'     resolution as a whole.}
#'   \item{short, descr}{short title and description. From session 75 on,
#'     `short` is the resolution's title and `descr` its agenda item
#'     (`"Agenda item 5: ..."`).}
#'   \item{me, nu, di, hr, co, ec}{issue flags: Palestinian conflict, nuclear
#'     weapons, arms control and disarmament, human rights, colonialism,
#'     economic development. `NA` from session 75 on: the extract has no such
#'     coding (and `NA`, not `FALSE`, for a roll call never coded).}
#' }
#' @details Coverage 1946 to 4 June 2026: the unvotes data to 14 January
#'   2020 (session 74), the DGACM extract from 5 November 2020 (session 75).
#'   Calendar year 2020 thus has the one January roll call of session 74 and
#'   the 90 of session 75 (November--December); 2026 has the first months of
#'   session 80 only (11 roll calls). See [unga_votes] for the sources and
#'   their defects.
#' @source As [unga_votes].
"unga_rollcalls"

#' UN Security Council vetoes, 1946--2025
#'
#' One row per vetoing permanent member per vetoed draft resolution.
#'
#' @format A data frame with 282 rows (229 vetoed drafts):
#' \describe{
#'   \item{veto_id}{identifier of the vetoed draft (integer); a draft vetoed
#'     by two or three members has one row for each, with the same
#'     `veto_id`.}
#'   \item{date}{date of the vote (`Date`).}
#'   \item{draft}{symbol of the vetoed draft (`"S/2022/155"`). For early
#'     vetoes the list gives the meeting record instead (`"S/PV.49"`); `NA`
#'     for two hand-added vetoes whose draft symbol is not recorded here.}
#'   \item{meeting}{meeting record (`"S/PV.8979"`); for the vetoes of 2020,
#'     cast in writing during the COVID-19 pandemic, the letters recording the
#'     vote; `NA` for the hand-added rows.}
#'   \item{ccode}{CoW code of the vetoing member: United States 2, United
#'     Kingdom 200, France 220, the USSR and Russia 365, China 710. The
#'     Republic of China held China's seat until 25 October 1971 (resolution
#'     2758): a veto by "China" before that date is keyed to Taiwan, 713 (none
#'     is in the list; see below).}
#'   \item{member}{the member as the list names it: `"USA"`, `"UK"`,
#'     `"France"`, `"USSR"`, `"Russia"`, `"China"`.}
#'   \item{agenda}{the Security Council agenda item.}
#'   \item{topic}{short crisis topic (`"Syria"`, `"Israel-Palestine"`,
#'     `"Ukraine"`, `"Admission"`, ...).}
#'   \item{source}{citation of the row.}
#' }
#' @details Rows to 8 July 2022 (`veto_id` 1--214) come from the World
#'   Politics Data Lab's compilation of the UN Dag Hammarskjöld Library veto
#'   list (vetoing members read from its `member_veto` columns: its
#'   per-member dummy columns miss some vetoes). **The rows from 30 September
#'   2022 on (`veto_id` 215--229, 17 rows) were added by hand** from the
#'   Library's veto list (`data-raw/unsc-vetoes-added.csv`), each with its
#'   citation: Russia on Ukraine (S/2022/720, 30 September 2022), Syria's
#'   cross-border mechanism (11 July 2023), Mali (S/2023/638), the DPRK panel
#'   of experts (S/2024/255), outer space (S/2024/302) and the Sudan
#'   (S/2024/826); Russia and China on the US drafts on Gaza (S/2023/792,
#'   S/2024/239); the United States on Gaza (S/2023/773, S/2023/970,
#'   S/2024/173, S/2024/835, S/2025/353 and the draft of 18 September 2025)
#'   and on the admission of Palestine (S/2024/312). Drafts that failed for
#'   lack of nine votes are not vetoes and are not here (e.g. the US draft on
#'   the Iran arms embargo of 14 August 2020). The list used has no veto by
#'   the Republic of China (its 1955 veto of Mongolia's admission is not in
#'   it). Joint Russia--China vetoes from 2011: 14 (12 to 2022, then October
#'   2023 and March 2024).
#' @source United Nations Dag Hammarskjöld Library, *Security Council --
#'   Veto List*, <https://research.un.org/en/docs/sc/quick/veto>. Compiled to
#'   July 2022 by the World Politics Data Lab
#'   (world-politics-datalab/vetoes-un-security-council, MIT licence);
#'   later vetoes added by hand from the same list.
#' @examples
#' table(format(unsc_vetoes$date, "%Y"))[c("2011", "2020", "2024")]
#' joint <- tapply(unsc_vetoes$ccode, unsc_vetoes$veto_id,
#'                 function(cc) all(c(365, 710) %in% cc))
#' unsc_vetoes[unsc_vetoes$veto_id %in% names(joint)[joint] &
#'               unsc_vetoes$ccode == 365, c("date", "draft", "topic")]
"unsc_vetoes"

#' Armed conflicts between states, dyad-years (UCDP/PRIO ACD 25.1)
#'
#' Pairs of states on opposite sides of an armed conflict in a year, from the
#' UCDP/PRIO Armed Conflict Dataset: interstate conflicts and, flagged
#' separately, internationalized intrastate conflicts in which states sent
#' troops to opposite sides.
#'
#' @format A data frame with 809 rows, one per conflict, year and pair of
#'   states (non-directed, `ccode1 < ccode2`):
#' \describe{
#'   \item{conflict_id}{UCDP conflict identifier (integer).}
#'   \item{year}{year (integer).}
#'   \item{ccode1, ccode2}{CoW codes of the two states, `ccode1 < ccode2`.}
#'   \item{side_a}{`TRUE` if `ccode1` is on side A (in an intrastate
#'     conflict, the government's side), `FALSE` if `ccode2` is.}
#'   \item{primary}{`TRUE` if both states are primary parties (only in
#'     interstate conflicts); `FALSE` when either is a secondary party, a
#'     state that sent troops to support a primary party (e.g. China and the
#'     United States in the Korean War).}
#'   \item{any_primary}{`TRUE` if at least one of the two is a primary party:
#'     in an internationalized intrastate conflict, the government against a
#'     state that sent troops to the rebels' side (Ukraine and Russia,
#'     2014--2022), rather than two states that each supported a side.}
#'   \item{type}{`"interstate"` (government against government) or
#'     `"internationalized intrastate"` (a government against rebels, with
#'     foreign troops on both sides).}
#'   \item{intensity}{`"minor"` (25--999 battle-related deaths in the year)
#'     or `"war"` (1,000 or more): the intensity of the whole conflict in the
#'     year, not of the pair.}
#'   \item{start_date}{the conflict's start date (`Date`): the date of the
#'     first battle-related death in its first year of at least 25.}
#' }
#' @details 499 rows are interstate, 310 internationalized intrastate;
#'   1946--2024. An armed conflict in UCDP's sense is a contested
#'   incompatibility over government or territory in which the use of armed
#'   force between two parties, at least one of them a state's government,
#'   results in at least 25 battle-related deaths in a year. **This is a
#'   different concept from a militarized interstate dispute** ([disputes]):
#'   a MID counts threats, displays and uses of force of any size; an armed
#'   conflict needs sustained fighting with deaths. Use it to continue a
#'   dispute record after the MID data end (2010 here) only with that
#'   difference in mind.
#'
#'   What the data say for Russia and Ukraine: the interstate conflict
#'   (`conflict_id` 13243, start date 18 March 2014) has conflict-years only
#'   from 2022 (war in 2022, 2023 and 2024; North Korea on Russia's side in
#'   2024). In 2014--2022 UCDP codes intrastate conflicts between Ukraine's
#'   government and the Donetsk, Luhansk and Novorossiya groups, with Russia
#'   as a secondary party on the rebels' side: those are the
#'   internationalized intrastate rows of the pair (war in 2014--2015,
#'   minor after). The annexation of Crimea is not an armed conflict-year.
#'   India--Pakistan: interstate conflict 218 in 1948, 1964--1965, 1971,
#'   1984--2003 (most years) and 2013--2020.
#'
#'   The carrier stores a conflict-year with several states on a side as one
#'   row per combination of states; the rows of a conflict-year are pooled
#'   into its two sides (primary and secondary states) and every state of
#'   one side paired with every state of the other. Pairs are not fighting
#'   dyads: two secondary parties on opposite sides need not have met. A
#'   state that UCDP lists on both sides of a conflict-year (Vietnam in
#'   Cambodia, 1979; Uzbekistan in Tajikistan, 1992; Guinea and Nigeria in
#'   Sierra Leone, 1997--98; Angola and Chad in the Congo, 1997) is left out
#'   of that conflict-year. Extrasystemic and purely intrastate conflicts are
#'   not included (no state on the other side).
#'
#'   States are keyed by Gleditsch--Ward codes in UCDP and mapped to CoW codes
#'   through an explicit table (`data-raw/gw-cow.csv`): most codes are the
#'   same; GW 260 is West Germany to 1990 and Germany (CoW 255) from 1991; GW
#'   678 is North Yemen to 1989 and Yemen (CoW 679) from 1990 (the United
#'   States and the United Kingdom against Yemen, 2024, are CoW 679); GW 345
#'   is Yugoslavia and Serbia (CoW 345); GW 972 Tonga is CoW 955; GW 751
#'   Hyderabad (India, 1948) has no CoW code and its pair is left out.
#' @source Gleditsch, N. P., Wallensteen, P., Eriksson, M., Sollenberg, M.
#'   and Strand, H. (2002). Armed conflict 1946--2001: A new dataset.
#'   *Journal of Peace Research* 39(5), 615--637. Davies, S., Pettersson, T.
#'   and Öberg, M. (2025). Organized violence 1989--2024, and the challenges
#'   of identifying civilian victims. *Journal of Peace Research* 62(4).
#'   UCDP/PRIO Armed Conflict Dataset version 25.1, <https://ucdp.uu.se>
#'   (CC BY 4.0). Carried by the peacesciencer package (Miller, GPL-2).
#' @seealso [disputes]
#' @examples
#' armed_conflicts[armed_conflicts$ccode1 == 365 & armed_conflicts$ccode2 == 369, ]
#' table(armed_conflicts$year[armed_conflicts$type == "interstate"] >= 2011)
"armed_conflicts"

#' CAMEO event codes with Goldstein weights
#'
#' @format A data frame with 312 rows:
#' \describe{
#'   \item{code}{CAMEO code (character, e.g. `"036"`, `"1411"`).}
#'   \item{name}{event type.}
#'   \item{level}{0 for the 20 root codes, 1 and 2 for finer codes.}
#'   \item{goldstein}{Goldstein (1992) conflict-cooperation weight, -10 to 10.}
#'   \item{quad}{quad class: 1 verbal cooperation, 2 material cooperation, 3
#'     verbal conflict, 4 material conflict.}
#'   \item{quad_label}{the quad class in words.}
#' }
#' @source Schrodt, P. A. (2012). *CAMEO: Conflict and Mediation Event
#'   Observations Event and Actor Codebook*, version 1.1b3. Goldstein, J. S.
#'   (1992). A conflict-cooperation scale for WEIS events data. *Journal of
#'   Conflict Resolution* 36(2), 369--385. As carried by the icews package
#'   (Beger, MIT licence).
"cameo"

#' ICEWS event counts per directed dyad-year, 2002--2014
#'
#' Counts of Integrated Crisis Early Warning System (ICEWS) events by quad
#' class for 152 states.
#'
#' @format A data frame with 298,376 rows:
#' \describe{
#'   \item{year}{year.}
#'   \item{ccode1}{CoW code of the source of the events.}
#'   \item{ccode2}{CoW code of the target.}
#'   \item{verb_coop, matl_coop, verb_conf, matl_conf}{number of events of
#'     each quad class: verbal cooperation, material cooperation, verbal
#'     conflict, material conflict.}
#' }
#' @details Every directed dyad of the 152 states appears in every year,
#'   with zeros where ICEWS recorded no event (ICEWS codes news reports, so a
#'   zero means "none reported"). ISO3 codes are mapped to CoW codes through
#'   [states] (all mapped). Coverage 2002--2014 only.
#' @source Boschee, E., Lautenschlager, J., O'Brien, S., Shellman, S., Starz,
#'   J. and Ward, M. (2015). *ICEWS Coded Event Data*. Harvard Dataverse,
#'   \doi{10.7910/DVN/28075}. Aggregated by the netify package (Minhas et al.,
#'   GPL-3).
"icews_dyads"
