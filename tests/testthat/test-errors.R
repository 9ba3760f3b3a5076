# The errors and warnings pinned by snapshots, checked without snapshots so
# that this also runs on CRAN, where expect_snapshot() skips. The pinned
# expressions are read from the "user-facing errors are pinned" block at the
# end of each test file, so whatever is pinned there is walked here: each
# error must inherit from "threatbalance_error" and each pinned warning from
# "threatbalance_warning", with as call the exported function the expression
# calls (`Error in threat_components()`). The blocks are therefore
# self-contained: their fixtures are defined inside them.

walk_parent <- environment()

# The body of the "user-facing errors are pinned" block of each test file.
pinned_blocks <- function() {
  files <- list.files(test_path(), "^test-.*[.]R$", full.names = TRUE)
  out <- list()
  for (f in files) {
    for (e in as.list(parse(f, keep.source = FALSE, encoding = "UTF-8"))) {
      if (is.call(e) && identical(e[[1L]], quote(test_that)) &&
          identical(e[[2L]], "user-facing errors are pinned")) {
        out[[basename(f)]] <- e[[3L]]
      }
    }
  }
  out
}

# The function a pinned expression calls: f in `f(...)` or `x <- f(...)`.
pinned_fun <- function(expr) {
  if (is.call(expr) && identical(expr[[1L]], as.name("<-"))) expr <- expr[[3L]]
  if (is.call(expr) && is.name(expr[[1L]])) as.character(expr[[1L]]) else NA_character_
}

# Runs a block with expect_snapshot() replaced by a recorder of the code, the
# function it calls, whether an error is expected, and what it raised.
walk_block <- function(block) {
  env <- new.env(parent = walk_parent)
  seen <- list()
  env$expect_snapshot <- function(x, ..., error = FALSE) {
    expr <- substitute(x)
    warnings <- list()
    res <- tryCatch(
      withCallingHandlers(eval(expr, env), warning = function(w) {
        warnings[[length(warnings) + 1L]] <<- w
        invokeRestart("muffleWarning")
      }),
      error = function(e) e)
    seen[[length(seen) + 1L]] <<- list(code = deparse1(expr), fun = pinned_fun(expr),
                                       error = error, result = res, warnings = warnings)
    invisible()
  }
  eval(block, env)
  seen
}

# Every pinned expression of every block, walked once.
pinned <- local({
  cache <- NULL
  function() {
    if (is.null(cache)) {
      blocks <- pinned_blocks()
      cache <<- lapply(blocks, walk_block)
    }
    cache
  }
})

s3_generics <- c("print", "summary", "plot")

test_that("every test file of a concern with user errors pins them", {
  files <- paste0("test-", c("threat", "states", "dyads", "distance", "capability",
                             "events", "phases", "curated"), ".R")
  p <- pinned()
  expect_true(all(files %in% names(p)), info = paste(setdiff(files, names(p)), collapse = ", "))
  for (f in names(p)) {
    expect_true(any(vapply(p[[f]], `[[`, NA, "error")), info = f)
  }
})

test_that("pinned errors and warnings are classed and name the exported function", {
  exported <- getNamespaceExports("threatbalance")
  for (f in names(pinned())) {
    for (p in pinned()[[f]]) {
      if (p$fun %in% s3_generics) next  # below
      info <- sprintf("%s: %s", f, p$code)
      expect_true(p$fun %in% exported, info = info)
      want <- call(p$fun)
      if (p$error) {
        ok <- inherits(p$result, "threatbalance_error")
        expect_true(ok, info = info)
        if (ok) expect_identical(conditionCall(p$result), want, info = info)
      } else {
        expect_false(inherits(p$result, "error"), info = info)
        expect_true(length(p$warnings) > 0L, info = info)
        for (w in p$warnings) {
          expect_true(inherits(w, "threatbalance_warning"), info = info)
          expect_identical(conditionCall(w), want, info = info)
        }
      }
    }
  }
})

test_that("pinned errors of S3 methods are classed and name their generic", {
  s3 <- Filter(function(p) p$fun %in% s3_generics, unlist(pinned(), recursive = FALSE))
  expect_true(length(s3) > 0L)
  for (p in s3) {
    expect_true(p$error && inherits(p$result, "threatbalance_error"), info = p$code)
  }
  for (p in s3) {
    expect_identical(conditionCall(p$result), call(p$fun), info = p$code)
  }
})
