# Shared by bench/bench-events-db.R and bench/bench-events-parquet.R:
#   source(file.path("bench", "events-common.R"))   (from the package root)

# The synthetic event mix: CAMEO codes of three or more digits weighted so
# that roots have roughly their ICEWS shares, and 200 actors (the US and
# China first, the dyad relation_level() follows) with Zipf-like weights.
bench_event_mix <- function() {
  env <- new.env()
  utils::data("cameo", "states", package = "threatbalance", envir = env)
  cam <- env$cameo[nchar(env$cameo$code) >= 3L, ]
  root_w <- c("01" = 13, "02" = 6, "03" = 8, "04" = 22, "05" = 8, "06" = 2, "07" = 3,
              "08" = 3, "09" = 1, "10" = 2, "11" = 6, "12" = 3, "13" = 2, "14" = 3,
              "15" = 1, "16" = 1, "17" = 6, "18" = 4, "19" = 5, "20" = 0.2)
  root <- substr(cam$code, 1L, 2L)
  set.seed(18)
  actors <- sample(sort(unique(env$states$ccode)), 200L)
  actors[1:2] <- c(2L, 710L)
  list(codes = cam$code, code_w = root_w[root] / as.numeric(table(root)[root]),
       actors = actors, actor_w = 1 / seq_along(actors)^1.5)
}

# One measurement in a fresh Rscript process, so that one call's peak memory
# does not hide in another's. `setup` (lines of R) opens `con` and whatever
# the code needs; `code` sets `rows` (rows of output) and may set `note` and
# `events` (the events the call reads, default `events`). Prints elapsed and
# CPU seconds, events per second, rows and the process's peak memory (VmHWM
# from /proc/self/status, which includes an in-process database engine), and
# returns them as a list (NULL when the process failed).
measure_fresh <- function(label, setup, code, events, width = 46L) {
  script <- tempfile(fileext = ".R")
  on.exit(unlink(script))
  writeLines(c(
    "suppressPackageStartupMessages({library(threatbalance); library(DBI)})",
    "hwm <- function() as.numeric(sub('[^0-9]*([0-9]+).*', '\\\\1', grep('^VmHWM', readLines('/proc/self/status'), value = TRUE))) / 1024",
    setup,
    "invisible(relation_scores(data.frame(date = Sys.Date(), actor = '1', target = '2', cameo = '010')))",
    "invisible(dbGetQuery(con, 'SELECT 1'))",
    sprintf("events <- %.0f", events),
    "base_mb <- hwm(); note <- ''; invisible(gc(reset = TRUE))",
    "t0 <- proc.time()[['elapsed']]; c0 <- sum(proc.time()[1:2])",
    code,
    "secs <- proc.time()[['elapsed']] - t0; cpu <- sum(proc.time()[1:2]) - c0",
    "heap <- sum(gc()[, 6L])",
    "cat(sprintf('RESULT %.3f %.0f %.1f %.1f %.1f %.3f %.0f %s\\n', secs, rows, base_mb, hwm(), heap, cpu, events, note))"),
    script)
  out <- system2(file.path(R.home("bin"), "Rscript"), script, stdout = TRUE, stderr = TRUE)
  res <- grep("^RESULT", out, value = TRUE)
  if (!length(res)) {
    cat(label, "failed:\n", paste(out, collapse = "\n"), "\n")
    return(invisible(NULL))
  }
  f <- strsplit(sub("^RESULT ", "", res), " ")[[1]]
  r <- list(label = label, secs = as.numeric(f[1]), rows = as.numeric(f[2]),
            base = as.numeric(f[3]), peak = as.numeric(f[4]), heap = as.numeric(f[5]),
            cpu = as.numeric(f[6]), events = as.numeric(f[7]),
            note = paste(f[-(1:7)], collapse = " "))
  cat(sprintf("%-*s %6.1f s (CPU %6.1f s) %10.0f events/s %8.0f rows | peak %5.0f MB, %3.0f MB at start, R heap max %4.0f MB %s\n",
              width, r$label, r$secs, r$cpu, r$events / r$secs, r$rows, r$peak, r$base,
              r$heap, r$note))
  invisible(r)
}

# The three measurements both event benchmarks make on a database source:
# relation_scores() by year and by month and relation_level() of the US and
# China streamed. `measure(label, code, key)` is the benchmark's own (which
# knows the connection and skips keys not asked for); `src` is R code for
# the source, `what` names it in the labels and `prefix` the keys
# (<prefix>_year, <prefix>_month, <prefix>_level). Returns the results by key.
measure_db_calls <- function(measure, src, what, prefix) {
  notes <- "note <- sprintf('(%.0f events in the result)', sum(r$n_events))"
  out <- list()
  for (by in c("year", "month")) {
    key <- paste0(prefix, "_", by)
    out[[key]] <- measure(key = key, sprintf("relation_scores(%s, by = \"%s\")", what, by), c(
      sprintf("r <- relation_scores(%s, by = '%s')", src, by), "rows <- nrow(r)", notes))
  }
  key <- paste0(prefix, "_level")
  out[[key]] <- measure(key = key, sprintf("relation_level(%s, \"2\", \"710\"), streamed", what), c(
    sprintf("r <- relation_level(%s, '2', '710')", src),
    "rows <- nrow(r); note <- sprintf('(%d events of the dyad)', sum(r$n_events))"))
  out
}
