# Interrupt latency (issue 16): a child Rscript runs `setup`, signals that it
# is ready, then evaluates `expr` inside tryCatch(interrupt = ...). The parent
# waits `delay` seconds (so the child is deep in the long loop), sends SIGINT
# with tools::pskill() and measures the time until the child reports that it
# caught the interrupt. Base R only: the child is started with
# system2(wait = FALSE) and reports its pid, readiness and the moment it caught
# the interrupt through files. Returns the latency in seconds, or NA with an
# attribute "why" when the child finished first or never reported.
tb_interrupt_latency <- function(expr, setup = "", delay = 1.5, timeout = 60,
                                 lib = NULL) {
  dir <- tempfile("tb-intr-")
  dir.create(dir)
  on.exit(unlink(dir, recursive = TRUE), add = TRUE)
  f <- function(x) file.path(dir, x)
  if (is.null(lib)) lib <- dirname(find.package("threatbalance"))
  script <- c(
    sprintf(".libPaths(c(%s, .libPaths()))", deparse(lib)),
    "suppressMessages(library(threatbalance))",
    sprintf("writeLines(as.character(Sys.getpid()), %s)", deparse(f("pid"))),
    setup,
    sprintf("writeLines('ready', %s)", deparse(f("ready"))),
    "res <- tryCatch({",
    expr,
    "  'finished'",
    "}, interrupt = function(e) {",
    "  format(as.numeric(Sys.time()), digits = 17)",
    "})",
    sprintf("writeLines(res, %s)", deparse(f("done.tmp"))),
    sprintf("file.rename(%s, %s)", deparse(f("done.tmp")), deparse(f("done"))))
  writeLines(script, f("child.R"))
  rscript <- file.path(R.home("bin"), "Rscript")
  system2(rscript, c("--vanilla", shQuote(f("child.R"))), wait = FALSE,
          stdout = f("out.log"), stderr = f("err.log"))
  fail <- function(why) structure(NA_real_, why = why)
  t_end <- Sys.time() + timeout
  while (!file.exists(f("ready")) && !file.exists(f("done"))) {
    if (Sys.time() > t_end) return(fail("the child never became ready"))
    Sys.sleep(0.02)
  }
  pid <- as.integer(readLines(f("pid")))
  Sys.sleep(delay)
  if (file.exists(f("done"))) {
    return(fail(sprintf("the child finished within %.1f s, before the signal", delay)))
  }
  t0 <- as.numeric(Sys.time())
  tools::pskill(pid, tools::SIGINT)
  while (!file.exists(f("done"))) {
    if (Sys.time() > t_end) {
      tools::pskill(pid, tools::SIGKILL)
      return(fail("the child did not catch the interrupt before the timeout"))
    }
    Sys.sleep(0.01)
  }
  res <- readLines(f("done"))
  if (identical(res, "finished")) {
    return(fail("the child ran to completion: the interrupt was not seen"))
  }
  as.numeric(res) - t0
}
