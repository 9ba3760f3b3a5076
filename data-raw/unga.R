# UN General Assembly recorded votes of sessions 75-80 and of the tenth and
# eleventh emergency special sessions, from the UN DGACM machine-readable
# extract (../shared/data/raw/unga_dgacm/*.json, one resolution a line).
# Sourced by data-raw/datasets.R after the votes to session 74 (unvotes) are
# built: appends to `unga_votes` and `unga_rollcalls` in the calling
# environment. Session 74 is taken from unvotes, not from the extract (the two
# hold the same 90 recorded votes and 16,174 member votes).
#
# Member names (upper case, varying spellings) map to CoW codes through ONE
# table, data-raw/unga-member-aliases.csv (name as in the files, ccode);
# a name missing from it stops the build.
#
# Known defects of the extract and how they are handled (also in ?unga_votes):
# * A/RES/75/254 A-C: counts (168-2-0) but no member lists. Dropped: no member
#   vote is known.
# * A/RES/75/290 A: every list written twice. Each member kept once; the
#   de-duplicated lists match the counts (90-0-47).
# * A/RES/77/293: 58 abstainers listed against a stated count of 59. The 58
#   listed are kept; the 59th cannot be identified.
# * 19 resolutions of session 79 and 2 of session 80 appear twice, with the
#   same votes (one copy spells Turkiye differently). Kept once.
# * 4 multi-part resolutions (A/RES/79/259 A-C, 80/84 A-B, 80/236 A-B,
#   80/244 A-C) have an empty adoption type, zero counts and no lists: not a
#   recorded vote in the extract, so not included.

stopifnot(exists("unga_votes"), exists("unga_rollcalls"), exists("states"))

unga_dir <- file.path("..", "shared", "data", "raw", "unga_dgacm")
unga_files <- file.path(unga_dir, c(paste0(75:80, ".json"), "ES-10.json", "ES-11.json"))
stopifnot(all(file.exists(unga_files)))

read_unga <- function(f) {
  lapply(readLines(f, encoding = "UTF-8", warn = FALSE), jsonlite::fromJSON,
         simplifyVector = TRUE)
}
res <- do.call(c, lapply(unga_files, read_unga))
res <- res[vapply(res, function(x) identical(x$adoption_type, "By a recorded vote"), logical(1))]

# Dates come as "2019-11-07 00:00:00" or "2 March 2022".
unga_date <- function(x) {
  x <- trimws(gsub("[[:space:]\u00a0]+", " ", x))   # some dates have non-breaking spaces
  iso <- grepl("^[0-9]{4}-[0-9]{2}-[0-9]{2}", x)
  out <- as.Date(rep(NA_character_, length(x)))
  out[iso] <- as.Date(substr(x[iso], 1L, 10L))
  months <- c("January", "February", "March", "April", "May", "June", "July",
              "August", "September", "October", "November", "December")
  p <- regmatches(x[!iso], regexec("^([0-9]{1,2}) ([A-Za-z]+) ([0-9]{4})$", x[!iso]))
  out[!iso] <- as.Date(vapply(p, function(m) {
    if (length(m) != 4L || is.na(match(m[3L], months))) return(NA_character_)
    sprintf("%s-%02d-%02d", m[4L], match(m[3L], months), as.integer(m[2L]))
  }, character(1)))
  if (anyNA(out)) stop("unparsed adoption dates: ", paste(x[is.na(out)], collapse = ", "))
  out
}
count_of <- function(x) {
  x <- suppressWarnings(as.integer(x))
  x
}

aliases <- utils::read.csv(file.path("data-raw", "unga-member-aliases.csv"),
                           encoding = "UTF-8", stringsAsFactors = FALSE)
stopifnot(identical(names(aliases), c("name", "ccode")), !anyDuplicated(aliases$name),
          !anyNA(aliases$ccode), all(aliases$ccode %in% states$ccode))

# Titles: a footnote is appended after a tab in some; cut it. Text is kept
# ASCII (transliterated) as in the rest of the package's data.
clean_text <- function(x) {
  x <- sub("\t.*$", "", x)
  x <- trimws(gsub("[[:space:]\u00a0]+", " ", x))
  out <- iconv(x, "UTF-8", "ASCII//TRANSLIT", sub = "?")
  stopifnot(!anyNA(out))
  out
}
meta <- data.frame(
  resolution = vapply(res, `[[`, "", "symbol"),
  date = unga_date(vapply(res, `[[`, "", "adoption_date")),
  short = clean_text(vapply(res, `[[`, "", "title")),
  agenda = clean_text(paste0(vapply(res, `[[`, "", "agenda_item"), ": ",
                             vapply(res, `[[`, "", "agenda_item_name"))),
  n_yes = count_of(vapply(res, `[[`, "", "MS_in_favour_count")),
  n_no = count_of(vapply(res, `[[`, "", "MS_against_count")),
  n_abstain = count_of(vapply(res, `[[`, "", "MS_abstaining_count")),
  stringsAsFactors = FALSE)
votes <- do.call(rbind, lapply(seq_along(res), function(i) {
  x <- res[[i]]
  nm <- c(x$MS_in_favour, x$MS_against, x$MS_abstaining)
  data.frame(item = rep(i, length(nm)), name = as.character(nm),
             # codes as in unvotes: 1 yes, 2 abstain, 3 no
             vote = rep(c(1L, 3L, 2L), c(length(x$MS_in_favour), length(x$MS_against),
                                         length(x$MS_abstaining))),
             stringsAsFactors = FALSE)
}))
unknown <- setdiff(votes$name, aliases$name)
if (length(unknown)) stop("UN member names not in data-raw/unga-member-aliases.csv: ",
                          paste(unknown, collapse = "; "))
votes$ccode <- aliases$ccode[match(votes$name, aliases$name)]

# A/RES/75/290 A: lists written twice. Drop exact repeats of (item, ccode, vote).
votes <- votes[!duplicated(votes[c("item", "ccode", "vote")]), ]
stopifnot(!anyDuplicated(votes[c("item", "ccode")]))   # no member in two lists

# Resolutions recorded twice: keep the first copy, after checking the votes agree.
key_of <- function(i) {
  v <- votes[votes$item == i, ]
  paste(sort(paste(v$ccode, v$vote)), collapse = ",")
}
dup <- which(duplicated(meta$resolution))
for (i in dup) {
  first <- match(meta$resolution[i], meta$resolution)
  stopifnot(identical(key_of(i), key_of(first)),
            identical(as.list(meta[i, c("date", "n_yes", "n_no", "n_abstain")]),
                      as.list(meta[first, c("date", "n_yes", "n_no", "n_abstain")])))
}
keep <- setdiff(seq_len(nrow(meta)), dup)

# A/RES/75/254 A-C: counts without lists. Dropped (no member vote known).
listed <- tabulate(votes$item, nrow(meta))
no_list <- which(listed == 0L)
stopifnot(identical(meta$resolution[no_list], "A/RES/75/254 A-C"))
keep <- setdiff(keep, no_list)

# Counts: the listed votes equal the stated counts, but for A/RES/77/293.
tab <- table(factor(votes$item, levels = seq_len(nrow(meta))), factor(votes$vote, levels = 1:3))
stated <- cbind(meta$n_yes, meta$n_no, meta$n_abstain)   # yes, no, abstain
listed3 <- cbind(tab[, 1L], tab[, 3L], tab[, 2L])
off <- keep[rowSums(listed3[keep, , drop = FALSE] != stated[keep, , drop = FALSE]) > 0]
stopifnot(identical(meta$resolution[off], "A/RES/77/293"),
          tab[off, 2L] == 58L, meta$n_abstain[off] == 59L)

# Session: the regular session from the symbol; for an emergency special
# session, the regular session in progress at the adoption date (as unvotes
# does for A/RES/ES-10/19, in session 72). Regular sessions open on the
# Tuesday of the third week of September (rule 1 of the rules of procedure).
session_opening <- as.Date(c("75" = "2020-09-15", "76" = "2021-09-14", "77" = "2022-09-13",
                             "78" = "2023-09-05", "79" = "2024-09-10", "80" = "2025-09-09"))
meta$session <- NA_integer_
reg <- grepl("^A/RES/[0-9]+/", meta$resolution)
meta$session[reg] <- as.integer(sub("^A/RES/([0-9]+)/.*$", "\\1", meta$resolution[reg]))
es <- grepl("^A/RES/ES-", meta$resolution)
meta$session[es] <- as.integer(names(session_opening))[
  findInterval(as.numeric(meta$date[es]), as.numeric(session_opening))]
stopifnot(!anyNA(meta$session[keep]), all(reg | es))

meta <- meta[keep, ]
votes <- votes[votes$item %in% keep, ]
# rcid: after the last unvotes rcid, in order of date, then session and
# resolution number.
resno <- as.integer(sub("^A/RES/(ES-)?[0-9]+/([0-9]+).*$", "\\2", meta$resolution))
o <- order(meta$date, meta$session, es[keep], resno, meta$resolution)
meta <- meta[o, ]
meta$rcid <- max(unga_rollcalls$rcid) + seq_len(nrow(meta))
votes$rcid <- meta$rcid[match(votes$item, keep[o])]

new_rollcalls <- data.frame(
  rcid = as.integer(meta$rcid), session = as.integer(meta$session), date = meta$date,
  year = as.integer(format(meta$date, "%Y")), important = NA_integer_,
  resolution = meta$resolution, amend = 0L, para = 0L, short = meta$short,
  descr = meta$agenda, stringsAsFactors = FALSE)
for (iss in c("me", "nu", "di", "hr", "co", "ec")) new_rollcalls[[iss]] <- NA
new_votes <- data.frame(rcid = as.integer(votes$rcid), ccode = as.integer(votes$ccode),
                        vote = as.integer(votes$vote))
stopifnot(identical(names(new_rollcalls), names(unga_rollcalls)),
          identical(names(new_votes), names(unga_votes)),
          !any(new_rollcalls$resolution %in% unga_rollcalls$resolution))
cat(sprintf("UN votes (DGACM extract): %d roll calls, %d member votes, %s to %s\n",
            nrow(new_rollcalls), nrow(new_votes), min(new_rollcalls$date), max(new_rollcalls$date)))

unga_rollcalls <- rbind(unga_rollcalls, new_rollcalls)
unga_votes <- rbind(unga_votes, new_votes)
unga_votes <- unga_votes[order(unga_votes$rcid, unga_votes$ccode), ]
stopifnot(!anyDuplicated(unga_votes[c("rcid", "ccode")]), !anyDuplicated(unga_rollcalls$rcid))
