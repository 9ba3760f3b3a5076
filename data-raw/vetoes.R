# UN Security Council vetoes, one row per vetoing member per vetoed draft.
# Sourced by data-raw/datasets.R. From the carrier's list (1946 to July 2022,
# ../shared/data/raw/unsc_vetoes_1946_sept2022.csv) and, after it, the rows of
# data-raw/unsc-vetoes-added.csv, added by hand from the UN Dag Hammarskjold
# Library's veto list, each with its citation.

vt <- utils::read.csv(file.path("..", "shared", "data", "raw", "unsc_vetoes_1946_sept2022.csv"),
                      stringsAsFactors = FALSE, na.strings = "")
# The members are read from member_veto1..3: the source's per-member dummy
# columns (China, USSR, USA, ...) miss some vetoes (e.g. 1966, 1968, 1975-81).
mem <- as.matrix(vt[c("member_veto1", "member_veto2", "member_veto3")])
n_mem <- rowSums(!is.na(mem))
stopifnot(all(n_mem >= 1L), all(mem[!is.na(mem)] %in% c("USSR", "Russia", "USA", "UK", "France", "China")))
one_line <- function(x) trimws(gsub("[[:space:]]*\n[[:space:]]*", "; ", trimws(x)))
raw_rows <- data.frame(
  veto_id = rep(seq_len(nrow(vt)), n_mem),
  date = rep(as.Date(vt$date, format = "%m/%d/%Y"), n_mem),
  draft = rep(one_line(vt$draft), n_mem),
  meeting = rep(one_line(vt$meeting_record), n_mem),
  member = as.vector(t(mem))[!is.na(as.vector(t(mem)))],
  agenda = rep(one_line(vt$agenda_item), n_mem),
  topic = rep(vt$crisis_topic, n_mem),
  source = paste("UN Dag Hammarskjold Library, Security Council - Veto List,",
                 "https://research.un.org/en/docs/sc/quick/veto; as compiled by",
                 "world-politics-datalab/vetoes-un-security-council (1946 - July 2022)"),
  stringsAsFactors = FALSE)
stopifnot(!anyNA(raw_rows$date), identical(as.integer(format(raw_rows$date, "%Y")),
                                           rep(as.integer(vt$year), n_mem)))

added <- utils::read.csv(file.path("data-raw", "unsc-vetoes-added.csv"),
                         stringsAsFactors = FALSE, na.strings = "", encoding = "UTF-8")
added$date <- as.Date(added$date)
stopifnot(!anyNA(added$date), !anyNA(added$source), !anyNA(added$member),
          min(added$date) > max(raw_rows$date))
# one veto_id per vetoed draft (a draft vetoed by two members shares it)
akey <- paste(added$date, added$draft, added$agenda)
added$veto_id <- max(raw_rows$veto_id) + match(akey, unique(akey))
added$meeting <- as.character(added$meeting)
unsc_vetoes <- rbind(raw_rows, added[names(raw_rows)])
member_ccode <- c(USSR = 365L, Russia = 365L, USA = 2L, UK = 200L, France = 220L, China = 710L)
unsc_vetoes$ccode <- unname(member_ccode[unsc_vetoes$member])
# The Republic of China held China's seat until resolution 2758 (25 October 1971).
roc <- unsc_vetoes$member == "China" & unsc_vetoes$date < as.Date("1971-10-25")
unsc_vetoes$ccode[roc] <- 713L
unsc_vetoes <- unsc_vetoes[order(unsc_vetoes$date, unsc_vetoes$veto_id, unsc_vetoes$ccode),
                           c("veto_id", "date", "draft", "meeting", "ccode", "member",
                             "agenda", "topic", "source")]
stopifnot(!anyNA(unsc_vetoes$ccode), !anyDuplicated(unsc_vetoes[c("veto_id", "ccode")]),
          all(vapply(split(unsc_vetoes$date, unsc_vetoes$veto_id),
                     function(d) length(unique(d)) == 1L, logical(1))))
cat(sprintf("unsc_vetoes: %d drafts from the list, %d added by hand (from %s)\n",
            nrow(vt), length(unique(added$veto_id)), min(added$date)))
