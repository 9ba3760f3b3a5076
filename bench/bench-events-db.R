# Benchmark (issue 18): relation_scores() and relation_level() on events in
# an on-disk SQLite file, against the in-memory path on the same events.
# TB_BENCH_DB_EVENTS synthetic events (default 20 million: 200 actors drawn
# with Zipf weights, 30 years, a CAMEO mix of ICEWS-like root frequencies)
# are written once to TB_BENCH_DB_FILE (default /tmp/tb-bench-events-<n>.sqlite,
# reused when it holds the right number of rows). Each measurement runs in a
# fresh Rscript process that reports its time and its peak resident memory
# (VmHWM from /proc/self/status), so one measurement's memory does not hide
# in another's.
#   Rscript bench/bench-events-db.R
#   TB_BENCH_DB_EVENTS=1e6 Rscript bench/bench-events-db.R
#   TB_BENCH_DB_ONLY=db_month,db_level Rscript bench/bench-events-db.R  (some only: db_month,
#     db_year, db_level, db_maps, mem_month, mem_level; TB_BENCH_DB_IN_MEMORY=false skips mem_*)
# Targets: relation_scores(by = "month") under 300 MB of R's peak memory;
# relation_level() of one dyad, streamed, under 100 MB. "peak" is the
# process's VmHWM, which includes R, DBI and RSQLite loaded and a connection
# used once ("at start", about 85 MB); "R heap max" is gc()'s maximum of R's
# own heap during the call. Times are elapsed (events/s from them) and CPU
# (user + system of the process, SQLite included): on a shared machine the
# CPU time is the steadier figure.
suppressPackageStartupMessages({
  library(threatbalance)
  library(DBI)
})
n <- as.numeric(Sys.getenv("TB_BENCH_DB_EVENTS", "2e7"))
file <- Sys.getenv("TB_BENCH_DB_FILE", sprintf("/tmp/tb-bench-events-%.0f.sqlite", n))
memory_path <- Sys.getenv("TB_BENCH_DB_IN_MEMORY", "true") == "true"

# ---- the events ------------------------------------------------------------
source(file.path("bench", "events-common.R"))
make_events <- function(file, n, chunk = 1e6) {
  mix <- bench_event_mix()
  cam <- data.frame(code = mix$codes)
  code_w <- mix$code_w
  actors <- mix$actors
  actor_w <- mix$actor_w
  con <- dbConnect(RSQLite::SQLite(), file)
  on.exit(dbDisconnect(con))
  if (dbExistsTable(con, "events")) dbRemoveTable(con, "events")
  t0 <- proc.time()[["elapsed"]]
  for (s in seq(1, n, by = chunk)) {
    m <- min(chunk, n - s + 1)
    a <- sample.int(200L, m, TRUE, prob = actor_w)
    b <- sample.int(199L, m, TRUE, prob = actor_w[-1L])
    b <- b + (b >= a)  # no event of an actor with itself
    dbWriteTable(con, "events", append = TRUE, data.frame(
      id = as.integer(s - 1 + seq_len(m)),
      date = as.Date("1995-01-01") + sample.int(10957L, m, TRUE) - 1L,
      actor = actors[a], target = actors[b],
      cameo = sample(cam$code, m, TRUE, prob = code_w), stringsAsFactors = FALSE))
  }
  cat(sprintf("wrote %.0f events to %s in %.0f s (%.0f MB)\n", n, file,
              proc.time()[["elapsed"]] - t0, file.size(file) / 2^20))
}

rows_in <- function(file) {
  if (!file.exists(file)) return(0)
  con <- dbConnect(RSQLite::SQLite(), file)
  on.exit(dbDisconnect(con))
  if (!dbExistsTable(con, "events")) return(0)
  dbGetQuery(con, "SELECT COUNT(*) AS n FROM events")$n
}

if (rows_in(file) != n) make_events(file, n)

# ---- one measurement per fresh process ----------------------------------------
# `code` runs after setup code has opened `con` on the file; it sets `rows`
# (rows of output) and may set `note`. Prints seconds, rows and peak MB.
only <- strsplit(Sys.getenv("TB_BENCH_DB_ONLY", ""), ",")[[1]]
measure <- function(label, code, key) {
  if (length(only) && !key %in% only) return(invisible(NULL))
  measure_fresh(label, sprintf("con <- dbConnect(RSQLite::SQLite(), '%s')", file), code, n,
                width = 44L)
}

cat(sprintf("%.0f events, SQLite file %s (%.0f MB); %s\n", n, file, file.size(file) / 2^20,
            R.version.string))
res <- measure_db_calls(measure, "db_events(con, 'events')", "table", "db")
# the maps compose the linear damping only (the default "capped" is an error there)
res$db_maps <- measure(key = "db_maps", "relation_level(table, \"2\", \"710\"), SQL maps, linear damping", c(
  "r <- relation_level(db_events(con, 'events', level_method = 'maps'), '2', '710', damping = 'linear')",
  "rows <- nrow(r)"))
if (memory_path) {
  res$mem_month <- measure(key = "mem_month", "in memory: relation_scores(by = \"month\")", c(
    "t1 <- proc.time()[['elapsed']]",
    "ev <- dbReadTable(con, 'events'); ev$date <- as.Date(ev$date, origin = '1970-01-01')",
    "load <- proc.time()[['elapsed']] - t1; t0 <- proc.time()[['elapsed']]",
    "r <- relation_scores(ev, by = 'month')",
    "rows <- nrow(r); note <- sprintf('(+ %.1f s to read the table into R)', load)"))
  res$mem_level <- measure(key = "mem_level", "in memory: relation_level(\"2\", \"710\")", c(
    "ev <- dbReadTable(con, 'events'); ev$date <- as.Date(ev$date, origin = '1970-01-01')",
    "ev <- ev[order(ev$date), ]; t0 <- proc.time()[['elapsed']]",
    "r <- relation_level(ev, '2', '710')", "rows <- nrow(r)"))
}
ok <- function(r, mb) if (is.null(r)) "not run" else if (r$peak < mb) "yes" else "NO"
cat(sprintf("\nrelation_scores(by = \"month\") under 300 MB: %s; relation_level() streamed under 100 MB: %s\n",
            ok(res$db_month, 300), ok(res$db_level, 100)))
