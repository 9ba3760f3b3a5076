# Benchmark (issue 18): relation_scores() and relation_level() on events in
# a Parquet file that DuckDB reads in place, beside the in-memory path on a
# subsample. Needs the duckdb package (an optional peer; see README.md).
# TB_BENCH_PQ_EVENTS synthetic events (default 100 million: 200 actors drawn
# with Zipf weights, 30 years of dates, a CAMEO mix of ICEWS-like root
# frequencies over the packaged `cameo` codebook, as bench-events-db.R) are
# generated in SQL by DuckDB (range() joined to small tables of weighted
# slots, random() after setseed(), one thread so the file is reproducible)
# and written once with COPY ... TO (FORMAT PARQUET) to TB_BENCH_PQ_FILE
# (default /tmp/tb-bench-events-<n>.parquet), reused when it holds the right
# number of rows. Each measurement runs in a fresh Rscript process that
# reports its elapsed and CPU time and its peak resident memory (VmHWM from
# /proc/self/status: DuckDB runs in the R process, so this includes it).
#   Rscript bench/bench-events-parquet.R
#   TB_BENCH_PQ_EVENTS=1e7 Rscript bench/bench-events-parquet.R
#   TB_BENCH_PQ_ONLY=pq_year,mem_year Rscript bench/bench-events-parquet.R  (some only:
#     pq_year, pq_month, pq_level, mem_year, mem_month, mem_level)
#   TB_BENCH_PQ_THREADS (DuckDB's `threads`, default 2: this machine's cores)
#   TB_BENCH_PQ_MEMORY (DuckDB's `memory_limit`, default "1500MB": DuckDB's
#     own buffers, not R's; beyond it DuckDB spills to its temp directory)
#   TB_BENCH_PQ_SAMPLE (events of the in-memory subsample, default 5e6)
# Target: relation_scores(by = "year") of 100 M events from Parquet in at
# most 10 s and 2 GB (peak of the whole process) on this 2-core machine.
# "events/s" divides the events read (all of the file; for relation_level()
# the file is scanned and the dyad's events streamed) by the elapsed time;
# the in-memory rows are events/s of the same call on the subsample read
# into R (reading it is not timed). CPU is user + system of the process, all
# of DuckDB's threads included: on a shared machine the steadier figure.
suppressPackageStartupMessages({
  library(threatbalance)
  library(DBI)
})
if (!requireNamespace("duckdb", quietly = TRUE)) {
  stop("bench-events-parquet.R needs the duckdb package")
}
n <- as.numeric(Sys.getenv("TB_BENCH_PQ_EVENTS", "1e8"))
file <- Sys.getenv("TB_BENCH_PQ_FILE", sprintf("/tmp/tb-bench-events-%.0f.parquet", n))
threads <- as.integer(Sys.getenv("TB_BENCH_PQ_THREADS", "2"))
memory <- Sys.getenv("TB_BENCH_PQ_MEMORY", "1500MB")
sample_n <- min(n, as.numeric(Sys.getenv("TB_BENCH_PQ_SAMPLE", "5e6")))
connect <- sprintf(
  "dbConnect(duckdb::duckdb(config = list(threads = '%d', memory_limit = '%s')))",
  threads, memory)

# ---- the events ------------------------------------------------------------
# Weighted draws by equality joins: a table of `slots` rows in which value v
# fills about weight(v) * slots rows; an event draws floor(random() * rows).
slot_table <- function(values, w, slots) {
  k <- pmax(1L, round(w / sum(w) * slots))
  data.frame(slot = seq_len(sum(k)) - 1L, v = rep(values, k), stringsAsFactors = FALSE)
}

source(file.path("bench", "events-common.R"))
make_events <- function(file, n) {
  mix <- bench_event_mix()
  cam <- data.frame(code = mix$codes)
  code_w <- mix$code_w
  actors <- mix$actors
  actor_w <- mix$actor_w
  con <- eval(parse(text = sub("threads = '[0-9]+'", "threads = '1'", connect)))
  on.exit(dbDisconnect(con, shutdown = TRUE))
  # the actor (index 1..200), the target among the other 199 (index k of
  # actors[-a], drawn with weights actor_w[-1] and shifted past a, as in
  # bench-events-db.R), the code
  dbWriteTable(con, "tb_actor", data.frame(i = seq_along(actors), ccode = actors))
  dbWriteTable(con, "tb_slot_a", slot_table(seq_along(actors), actor_w, 1e5))
  dbWriteTable(con, "tb_slot_b", slot_table(seq_len(199L), actor_w[-1L], 1e5))
  dbWriteTable(con, "tb_slot_c", slot_table(cam$code, code_w, 1e6))
  na <- dbGetQuery(con, "SELECT COUNT(*) AS n FROM tb_slot_a")$n
  nb <- dbGetQuery(con, "SELECT COUNT(*) AS n FROM tb_slot_b")$n
  nc <- dbGetQuery(con, "SELECT COUNT(*) AS n FROM tb_slot_c")$n
  dbExecute(con, "SELECT setseed(0.18)")
  t0 <- proc.time()[["elapsed"]]
  tmp <- paste0(file, ".tmp")
  dbExecute(con, sprintf("
    COPY (
      SELECT e.i AS id, CAST(DATE '1995-01-01' + e.d AS DATE) AS date,
             aa.ccode AS actor, tt.ccode AS target, sc.v AS cameo
      FROM (SELECT i, CAST(floor(random() * 10957) AS INTEGER) AS d,
                   CAST(floor(random() * %d) AS INTEGER) AS ra,
                   CAST(floor(random() * %d) AS INTEGER) AS rb,
                   CAST(floor(random() * %d) AS INTEGER) AS rc
            FROM range(%.0f) AS t(i)) AS e
      JOIN tb_slot_a AS sa ON sa.slot = e.ra
      JOIN tb_slot_b AS sb ON sb.slot = e.rb
      JOIN tb_slot_c AS sc ON sc.slot = e.rc
      JOIN tb_actor AS aa ON aa.i = sa.v
      JOIN tb_actor AS tt ON tt.i = sb.v + CASE WHEN sb.v >= sa.v THEN 1 ELSE 0 END
    ) TO '%s' (FORMAT PARQUET)", na, nb, nc, n, tmp))
  file.rename(tmp, file)
  cat(sprintf("wrote %.0f events to %s in %.0f s (%.0f MB)\n", n, file,
              proc.time()[["elapsed"]] - t0, file.size(file) / 2^20))
}

rows_in <- function(file) {
  if (!file.exists(file)) return(0)
  con <- dbConnect(duckdb::duckdb())
  on.exit(dbDisconnect(con, shutdown = TRUE))
  n <- tryCatch(dbGetQuery(con, sprintf("SELECT COUNT(*) AS n FROM read_parquet('%s')",
                                        file))$n, error = function(e) 0)
  as.numeric(n)
}

if (rows_in(file) != n) make_events(file, n)

# ---- one measurement per fresh process ----------------------------------------
# `code` runs after setup code has opened `con` (DuckDB, in memory) and made
# `src`, the file as db_events(); it sets `rows` (rows of output) and may set
# `note` and `events` (the events the call reads, default n).
only <- strsplit(Sys.getenv("TB_BENCH_PQ_ONLY", ""), ",")[[1]]
measure <- function(label, code, key) {
  if (length(only) && !key %in% only) return(invisible(NULL))
  measure_fresh(label, c(sprintf("con <- %s", connect),
                         sprintf("src <- db_events(con, DBI::SQL(\"read_parquet('%s')\"))", file)),
                code, n)
}

# the in-memory subsample: the first sample_n events of the file, into R
read_sample <- sprintf(
  "ev <- dbGetQuery(con, \"SELECT date, actor, target, cameo FROM read_parquet('%s') LIMIT %.0f\")",
  file, sample_n)

cat(sprintf("%.0f events, Parquet file %s (%.0f MB); DuckDB %s, threads %d, memory_limit %s; %s\n",
            n, file, file.size(file) / 2^20, utils::packageVersion("duckdb"), threads, memory,
            R.version.string))
res <- measure_db_calls(measure, "src", "parquet", "pq")
mem <- function(key, label, call, sort = FALSE) {
  measure(key = key, sprintf("in memory, %.0f events: %s", sample_n, label), c(
    read_sample,
    if (sort) "ev <- ev[order(ev$date), ]",
    "events <- nrow(ev); t0 <- proc.time()[['elapsed']]; c0 <- sum(proc.time()[1:2])",
    sprintf("r <- %s", call), "rows <- nrow(r)"))
}
res$mem_year <- mem("mem_year", "relation_scores(by = \"year\")",
                    "relation_scores(ev, by = 'year')")
res$mem_month <- mem("mem_month", "relation_scores(by = \"month\")",
                     "relation_scores(ev, by = 'month')")
res$mem_level <- mem("mem_level", "relation_level(\"2\", \"710\")",
                     "relation_level(ev, '2', '710')", sort = TRUE)
y <- res$pq_year
cat(sprintf("\nrelation_scores(by = \"year\") of %.0f events from Parquet in at most 10 s and 2 GB: %s\n",
            n, if (is.null(y)) "not run" else if (y$secs <= 10 && y$peak <= 2048)
              sprintf("yes (%.1f s, %.0f MB)", y$secs, y$peak) else
                sprintf("NO (%.1f s, %.0f MB)", y$secs, y$peak)))
