# Interrupt latency (issue 16): every long C loop checks for interrupts, so a
# child R process sent SIGINT in the middle of one returns to its prompt (here:
# its tryCatch(interrupt = )) within 0.5 s. The cases are in
# interrupt-cases.R, the child-process harness in helper-interrupt.R. Slow
# (a child R per routine, about a minute in all): not on CRAN, Unix only.

test_that("every long C loop honours an interrupt within 0.5 s", {
  skip_on_cran()
  skip_on_os("windows")
  skip_if(nzchar(Sys.getenv("TB_SKIP_INTERRUPT")), "TB_SKIP_INTERRUPT is set")
  source(test_path("interrupt-cases.R"), local = TRUE)
  lat <- vapply(names(tb_interrupt_cases), function(n) {
    cs <- tb_interrupt_cases[[n]]
    # a second try when the first is late: the machine may be busy
    l <- tb_interrupt_latency(cs$expr, cs$setup)
    if (is.na(l) || l > 0.5) l <- min(l, tb_interrupt_latency(cs$expr, cs$setup), na.rm = TRUE)
    l
  }, numeric(1))
  cat("\ninterrupt latency (s) by routine:\n")
  cat(sprintf("  %-48s %6.3f\n", names(lat), lat), sep = "")
  expect_false(anyNA(lat), info = paste(names(lat)[is.na(lat)], collapse = ", "))
  expect_true(all(lat < 0.5, na.rm = TRUE),
              info = paste(sprintf("%s: %.2f s", names(lat), lat)[lat >= 0.5], collapse = "; "))
})
