# Documentation of the hand-curated datasets built by data-raw/curated.R from
# inst/extdata/{blocs,phases,events}.csv.

#' Membership spells of alliances, blocs and NATO partnership frameworks
#'
#' One row per spell of a state's membership (or partnership, or observer
#' status) in a bloc: NATO (all 32 members), the Warsaw Pact, the Shanghai
#' Cooperation Organisation (from the Shanghai Five), the CSTO, BRICS, the
#' Quad, AUKUS, the Five Eyes, and NATO's partnership frameworks
#' (Partnership for Peace / EAPC, the Mediterranean Dialogue, the Istanbul
#' Cooperation Initiative and partners across the globe). Use
#' [bloc_members()] to ask who was in a bloc on any date.
#'
#' @format A data frame with 145 rows and 8 columns:
#' \describe{
#'   \item{bloc}{bloc name: `"NATO"`, `"Warsaw Pact"`, `"SCO"`, `"CSTO"`,
#'     `"BRICS"`, `"QUAD"`, `"AUKUS"`, `"Five Eyes"`, `"PfP"`,
#'     `"Mediterranean Dialogue"`, `"ICI"` or `"Partners across the globe"`.}
#'   \item{ccode}{Correlates of War state code (integer); every code is in
#'     [states] and every spell lies within the state's CoW membership.}
#'   \item{name}{state name (a convenience; `ccode` is the key).}
#'   \item{start}{first day of the spell (`Date`): entry into force of the
#'     treaty or deposit of the instrument of accession for NATO, signature for
#'     the Warsaw Pact, the summit or signature date elsewhere (see `note`).}
#'   \item{end}{last day of the spell (`Date`), `NA` while still in force.}
#'   \item{role}{`"member"`, `"partner"` (NATO partnership frameworks) or
#'     `"observer"` (SCO observers).}
#'   \item{source}{the treaty, protocol, declaration or decision the spell
#'     rests on.}
#'   \item{note}{precision and coding remarks (empty string if none).}
#' }
#' @details
#' **NATO.** The twelve founders from 1949-08-24 (entry into force of the
#' North Atlantic Treaty); Greece and Turkey 1952-02-18; West Germany (CoW 260)
#' 1955-05-06 to 1990-10-02, continued by Germany (255) from 1990-10-03, the
#' day CoW's state list changes code; Spain 1982-05-30; Czech Republic,
#' Hungary, Poland 1999-03-12; Bulgaria, Estonia, Latvia, Lithuania, Romania,
#' Slovakia, Slovenia 2004-03-29; Albania and Croatia 2009-04-01; Montenegro
#' 2017-06-05; North Macedonia 2020-03-27; Finland 2023-04-04; Sweden
#' 2024-03-07. **France's withdrawal from NATO's integrated military command
#' (1966-2009) did not end its membership and is not a break in its spell**;
#' likewise Greece's absence from the military structure (1974-1980). Every
#' NATO member joined after entering the CoW system.
#'
#' **Cross-check.** NATO membership agrees year by year with the `nato`
#' column of the CoW IGO data (Pevehouse et al. 2020) for 1949-2014: 9,918
#' state-years compared, 1,148 member-years in each, no disagreement, when a
#' state counts as a member in a year if its spell is in force on 31 December
#' (the IGO data's convention; with "any day of the year", the only
#' difference is West Germany in 1990, the year its CoW code ends). The
#' cross-check is rerun by `data-raw/curated.R` and recorded in
#' `data-raw/curated-igo-check.md`, with the Warsaw Pact, SCO and CSTO
#' compared for information: the IGO data count Warsaw Pact members in 1991
#' (the year of dissolution) and Albania in 1968 (the year it withdrew), code
#' Ghana as a Warsaw Pact member in 1960-1964 (an error), and code Uzbekistan
#' as a CSTO member from 2002, although it rejoined only in 2006.
#'
#' **Other blocs.** The Warsaw Pact runs from signature (1955-05-14) to the
#' dissolution protocol (1991-07-01); Albania left on 1968-09-13 and the GDR on
#' 1990-09-24. The SCO spells of China, Russia, Kazakhstan, Kyrgyzstan and
#' Tajikistan start with the Shanghai Five agreement (1996-04-26) and run
#' through the SCO's founding (2001-06-15, with Uzbekistan); India and
#' Pakistan join in 2017, Iran in 2023, Belarus in 2024, each an observer
#' before. The CSTO is coded from its charter (2002-10-07), not from the 1992
#' Collective Security Treaty; Armenia froze its participation in 2024 but
#' remains a member. BRICS starts with the first BRIC summit (2009-06-16) and
#' includes the 2024 expansion (Egypt, Ethiopia, Iran, United Arab Emirates;
#' Saudi Arabia, invited but unconfirmed, is not coded) and Indonesia (2025).
#' The Quad has two spells, 2007 to Australia's withdrawal (2008-02-05) and
#' from its revival (2017-11-12). The Five Eyes start with the UKUSA agreement
#' of 1946-03-05 (US and UK), Canada in 1948 and Australia and New Zealand in
#' 1956 (year precision, coded as 1 January). The "three eyes" intelligence
#' initiative of the US, Japan and South Korea reported in 2023 (Yi and Yang
#' 2023) is not a bloc with members and appears only in [events].
#'
#' **Partnership frameworks** (role `"partner"`). Partnership for Peace
#' spells start with each state's signature of the Framework Document and end
#' on NATO accession; Russia's ends on 2014-04-01, when NATO suspended all
#' practical cooperation (the document was never formally terminated); Malta
#' has two spells. Mediterranean Dialogue and Istanbul Cooperation Initiative
#' dates are month precision (coded as the 1st). Partners across the globe
#' start with the Berlin partnership policy of 2011-04-15 that created the
#' category (Mongolia from its 2012 programme, Colombia from 2018); the
#' Afghan partnership ends on 2021-08-15. Yi and Yang (2023) write that Japan,
#' South Korea, Australia and New Zealand were included in the Partnership
#' for Peace; in NATO's own terms they are partners across the globe, and
#' they are coded as such. The partnership days were curated offline from
#' NATO's published partner lists; treat their day (not their year) as
#' something to verify before relying on it.
#' @source Treaties, accession protocols, summit declarations and NATO partner
#'   lists named in the `source` column; curated in
#'   `system.file("extdata", "blocs.csv", package = "threatbalance")`.
#'   Cross-check: Pevehouse, J. C. W., Nordstrom, T., McManus, R. W. and
#'   Jamison, A. S. (2020). Tracking organizations in the world: The
#'   Correlates of War IGO Version 3.0 datasets. *Journal of Peace Research*
#'   57(3), 492-503.
#' @seealso [bloc_members()], [blocs_available()], [events], [phases].
#' @examples
#' head(blocs)
#' blocs[blocs$bloc == "NATO" & blocs$ccode %in% c(255, 260), ]
#' bloc_members("NATO", "1999-03-12")
"blocs"

#' Historical periodisations of China-NATO and Russia-China relations
#'
#' The phases into which the two seed papers divide the relationships they
#' study, with the papers' own boundary years, for comparison with phases
#' detected from data (see [compare_phases()]).
#'
#' @format A data frame with 5 rows and 8 columns:
#' \describe{
#'   \item{relationship}{`"China-NATO"` or `"Russia-China"`.}
#'   \item{phase}{phase number within the relationship (integer).}
#'   \item{label}{the paper's name for the phase.}
#'   \item{start, end}{first and last year (integer), exactly as the paper
#'     gives them; consecutive phases share their boundary year (the year in
#'     which the change happened).}
#'   \item{characterisation}{a short summary of how the paper describes the
#'     phase, in our words.}
#'   \item{source}{paper and section.}
#'   \item{note}{coding choices (empty string if none).}
#' }
#' @details
#' China-NATO, from Yi and Yang (2023): 1949-1972 isolation and hostility;
#' 1972-1989 strategic collaboration; 1989-2002 political opponents;
#' 2002-2020 engagement and dialogue. The paper is inconsistent about the end
#' of phase three: its abstract says "from 1989 to early 21st century", its
#' section heading "1989-2002"; we keep 2002, which the heading and the start
#' of phase four both give. The paper names no phase after 2020 (it describes
#' a "more serious confrontation" since), so none is coded.
#'
#' Russia-China, from Sadeghi, Keshishyan Siraki and Ghaedi (2022):
#' cooperation against Atlanticism, 2011-2021. The paper gives no sub-periods
#' (the years appear only in its title); it dates the start of the two
#' countries' comprehensive cooperation to "the mid-1990s" without making it a
#' phase.
#' @source
#' Yi, S. X. and Yang, C. (2023). China-NATO relations: history and reality.
#' *BRIQ Belt & Road Initiative Quarterly* 4(3), 26-37.
#' <https://nbn-resolving.org/urn:nbn:de:0168-ssoar-89250-0> (CC BY 4.0).
#'
#' Sadeghi, M., Keshishyan Siraki, G. and Ghaedi, M. R. (2022). Evaluation of
#' possibility assessment of Russia-China cooperation on Atlanticism
#' (2011-2021). Islamic Azad University (received 13 June 2022, accepted
#' 20 July 2022; the text we hold does not name the journal, volume or pages:
#' cite it with those details from the published version).
#'
#' Curated in `system.file("extdata", "phases.csv", package = "threatbalance")`.
#' @seealso [compare_phases()], [events].
#' @examples
#' phases[, c("relationship", "phase", "label", "start", "end")]
#' compare_phases(c(1971, 1990, 2003), phases[phases$relationship == "China-NATO", ])
"phases"

#' A scored chronology of China-NATO, Russia-China, Russia-NATO and Asian-alignment events
#'
#' Curated events, 1946-2024, coded with CAMEO event codes and Goldstein
#' weights, for China and NATO (and NATO members), Russia and China, Russia
#' and NATO, and the US-led Asian alignments (the Quad, AUKUS, the Five Eyes,
#' the reported US-Japan-South Korea "three eyes" initiative and the US
#' alliance treaties in Asia). Every event the two seed papers name is
#' included, together with the NATO summit documents that name China, and
#' every row cites a seed (with its section) or a public primary document.
#'
#' @format A data frame with 194 rows and 9 columns:
#' \describe{
#'   \item{date}{date of the event (`Date`).}
#'   \item{precision}{`"day"`, `"month"` (date coded as the 1st of the
#'     month) or `"year"` (coded as 1 January). A seed that gives only a year
#'     is recorded with year precision rather than a guessed day.}
#'   \item{actor, target}{a CoW state code written as a string (`"710"`) or
#'     a bloc name from [blocs] (`"NATO"`, `"QUAD"`, `"AUKUS"`, `"SCO"`,
#'     `"BRICS"`, `"Partners across the globe"`).}
#'   \item{cameo}{CAMEO event code (character, e.g. `"057"`, `"0312"`); every
#'     code is in [cameo].}
#'   \item{goldstein}{Goldstein weight of the code, equal to [cameo]'s.}
#'   \item{topic}{`"China-NATO"`, `"Russia-China"`, `"Russia-NATO"` or
#'     `"Asian alignments"`.}
#'   \item{description}{one line, in our words.}
#'   \item{source}{the seed paper and section (`"Yi & Yang 2023, section
#'     Phase Three"`; `"Sadeghi et al. 2022, Introduction"`) and/or a named
#'     primary document (treaty, summit declaration, UN document symbol).}
#' }
#' @details
#' Coding rules:
#' * Symmetric acts (treaties, joint statements) appear once, with one party
#'   as actor; aggregate both directions for non-directed analyses. Where each
#'   party acted (joint UN Security Council vetoes, the 1969 border clash,
#'   the joint statement of 4 February 2022 opposing NATO enlargement) there is
#'   one row per actor.
#' * UN Security Council vetoes (CAMEO 129) are directed at the states that
#'   sponsored the draft, never at a bloc: one row per vetoing state and
#'   sponsor when all the sponsors were Council members (the drafters, e.g.
#'   France, Germany, Portugal and the United Kingdom for S/2011/612), and one
#'   row per penholder when the text was also co-sponsored by non-members
#'   (Morocco for S/2012/77, France for S/2014/348, the United States for
#'   S/2008/447 and S/2014/189, the United States and Albania for
#'   S/2022/155); the other co-sponsors are named in `source`, which cites the
#'   draft symbol and the meeting record. Every veto matches the UN Dag
#'   Hammarskjold Library veto list by date, draft and vetoing state, and every
#'   joint Russia-China veto of 2011-2022 is included. A veto of a text with
#'   several sponsors is therefore several dyadic events: `relation_level(...,
#'   members = TRUE)` counts each sponsor that is a member of the bloc. The
#'   2020 Iran arms-embargo vote, which the Russia-China paper calls a joint
#'   veto, is coded 120 (reject): the draft failed for lack of nine votes.
#' * `"NATO"` is a party only where NATO itself acts or is addressed (its
#'   summits, Council, Secretary General, staff talks and operations, such as
#'   the bombing of the Chinese embassy in Belgrade in 1999) or where the seed
#'   treats the members as a group: CoCom's China Committee (1952; its
#'   participants were the NATO members but Iceland, plus Japan) and the
#'   Second World of the Three Worlds theory (1974). Acts of single members
#'   carry the member's code: the US apology for the embassy bombing, the
#'   UK's ending of the "China differential" on 30 May 1957, vetoes of
#'   drafts sponsored by members.
#' * China's abstention on the 25 February 2022 draft deploring Russia's
#'   invasion of Ukraine, which the Russia-China paper singles out, is coded
#'   011 (decline comment) from China to Russia.
#' * Statements that name a state as a challenge or threat (NATO summit
#'   documents of 2021-2024, US strategy documents) are coded 111 or 112; the
#'   London Declaration of 2019, which speaks of "opportunities and
#'   challenges", is coded 010.
#' * Seed-only events without a day: the China Committee embargo (1952),
#'   Mao's Three Worlds theory (1974), the ninth China-NATO
#'   political consultation (by 2020; the seed dates no individual round), the
#'   break-off of China-NATO contacts (May 1999), and the Russian suspension
#'   of cooperation with NATO (March 1999). Also without a day: the start of
#'   the annual NATO-China military staff talks (2010) and the meeting of
#'   NATO's Secretary General with China's foreign minister at the Munich
#'   Security Conference (February 2020).
#' * China-NATO engagement of 2002-2020 (the seed's phase IV) is coded from
#'   NATO and Chinese releases and contemporary reports: the first
#'   ambassador-Secretary General meeting (10 October 2002), visits (2007,
#'   2009, 2012), the staff talks (2010, resumed 2018) and ministerial
#'   meetings (2020, 2021). Russia-China cooperation of 2011-2021 (the
#'   Russia-China paper's period) is coded from the leaders' joint statements
#'   and joint exercises, about one a year.
#' * Every state is a member of the CoW system on the event's date except
#'   Japan (740) at the signing of the US-Japan Security Treaty on
#'   1951-09-08: Japan re-enters the CoW system only on 1952-04-28, when the
#'   occupation ended; the event is kept because the treaty is the base of the
#'   US alliance system in Asia.
#' * The Prague Summit of 2002 is coded NATO to NATO (an internal decision
#'   the China-NATO paper names as a turning point).
#'
#' The chronology is selective (194 events): it is meant for scoring and
#' illustration, not as event data of record; for counts use [icews_dyads].
#' Dates and paragraph numbers of primary documents were curated offline;
#' the CSV is the place to correct them.
#' @source Yi and Yang (2023) and Sadeghi, Keshishyan Siraki and Ghaedi (2022)
#'   (full references in [phases]); the primary documents named in `source`.
#'   CAMEO: Schrodt, P. A. (2012). *CAMEO Conflict and Mediation Event
#'   Observations Event and Actor Codebook*, version 1.1b3. Goldstein, J. S.
#'   (1992). A conflict-cooperation scale for WEIS events data. *Journal of
#'   Conflict Resolution* 36(2), 369-385. Curated in
#'   `system.file("extdata", "events.csv", package = "threatbalance")`.
#' @seealso [cameo], [blocs], [phases].
#' @examples
#' table(events$topic)
#' # China-NATO events and their net Goldstein score per decade
#' cn <- events[(events$actor == "710" & events$target == "NATO") |
#'                (events$actor == "NATO" & events$target == "710"), ]
#' decade <- 10 * floor(as.integer(substr(cn$date, 1, 4)) / 10)
#' tapply(cn$goldstein, decade, sum)
"events"
