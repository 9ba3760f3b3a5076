# Generators of hostile inputs for test-fuzz.R (exported functions) and
# test-ffi.R (registered C routines), and the call harness that classifies
# each outcome. Every generated value carries a short label, so a failure can
# be reported as "function, argument <- mutation: message".

# Values of every kind, unrelated to any valid input.
fuzz_generic <- function() {
  list(
    "NULL" = NULL, "NA" = NA, "NA_integer_" = NA_integer_, "NA_real_" = NA_real_,
    "NA_character_" = NA_character_, "NaN" = NaN, "Inf" = Inf, "-Inf" = -Inf,
    "-1" = -1, "-1L" = -1L, "0" = 0, "0L" = 0L, "0.5" = 0.5, "1e308" = 1e308,
    "-1e308" = -1e308, "1e15" = 1e15, ".Machine$integer.max" = .Machine$integer.max,
    "2^31" = 2^31, "-2^31" = -2^31, "TRUE" = TRUE, "FALSE" = FALSE,
    "c(TRUE, NA)" = c(TRUE, NA), "\"a\"" = "a", "\"\"" = "", "c(\"a\", \"b\")" = c("a", "b"),
    "character(0)" = character(0), "numeric(0)" = numeric(0), "integer(0)" = integer(0),
    "logical(0)" = logical(0), "list()" = list(), "list(1, \"a\")" = list(1, "a"),
    "list(NULL)" = list(NULL), "factor(\"a\")" = factor("a"), "factor(c(3, 1))" = factor(c(3, 1)),
    "a function" = function(x) x, "an environment" = new.env(), "1i" = 1i,
    "as.raw(1)" = as.raw(1), "quote(x)" = quote(x), "matrix(1:4, 2)" = matrix(1:4, 2),
    "matrix(\"a\", 2, 2)" = matrix("a", 2, 2), "data.frame()" = data.frame(),
    "data.frame(a = 1)" = data.frame(a = 1), "as.Date(\"2000-01-01\")" = as.Date("2000-01-01"),
    "as.POSIXct(\"2000-01-01\")" = as.POSIXct("2000-01-01", tz = "UTC"),
    "1:3" = 1:3, "c(3, 1, 2)" = c(3, 1, 2), "c(1, 1, 1)" = c(1, 1, 1),
    "rep(NA, 5)" = rep(NA, 5), "c(-5, 5)" = c(-5, 5), "1e5 zeros" = numeric(1e5),
    "1:1e5" = 1:1e5
  )
}

# Set element i of a vector to v without changing anything else.
fuzz_set1 <- function(x, v, i = 1L) {
  if (!length(x)) return(x)
  x[i] <- v
  x
}

# Mutations of a valid value: the same kind of value made hostile (empty,
# length 1, unsorted, duplicated, NA, non-finite, negative, huge, wrong
# storage type, wrong class), or for a data frame, missing or extra columns,
# wrong column types and so on.
fuzz_derived <- function(v) {
  if (is.null(v)) return(list())
  if (is.data.frame(v)) return(fuzz_derived_df(v))
  if (is.matrix(v) && is.numeric(v)) {
    return(list(
      "t(m)" = t(v), "m[0, ]" = v[0, , drop = FALSE], "m[, 0]" = v[, 0, drop = FALSE],
      "as.vector(m)" = as.vector(v), "m as character" = array(as.character(v), dim(v)),
      "m with NA" = fuzz_set1(v, NA), "m with Inf" = fuzz_set1(v, Inf),
      "m * -1" = -v, "m * 1e300" = v * 1e300, "as.data.frame(m)" = as.data.frame(v),
      "m[1, , drop = FALSE]" = v[1, , drop = FALSE]))
  }
  if (inherits(v, "Date")) {
    return(list(
      "as.character(d)" = as.character(v), "d[0]" = v[0], "d with NA" = fuzz_set1(v, NA),
      "as.numeric(d)" = as.numeric(v), "c(d, d)" = c(v, v), "rev(d)" = rev(v),
      "d + 1e6" = v + 1e6, "d - 1e6" = v - 1e6, "as.POSIXct(d)" = as.POSIXct(v),
      "format(d, \"%d/%m/%Y\")" = format(v, "%d/%m/%Y")))
  }
  if (is.factor(v)) v <- as.character(v)
  if (is.logical(v)) {
    return(list(
      "NA" = NA, "!v" = !v, "as.integer(v)" = as.integer(v), "as.character(v)" = as.character(v),
      "c(v, v)" = c(v, v), "v[0]" = v[0], "as.list(v)" = as.list(v)))
  }
  if (is.numeric(v)) {
    swap <- if (is.integer(v)) as.double(v) else if (all(v == round(v), na.rm = TRUE) &&
                                                     all(abs(v) < 2^31 - 1, na.rm = TRUE))
      as.integer(v) else as.integer(round(v))
    out <- list(
      "v[0]" = v[0], "v[1]" = v[1], "rev(v)" = rev(v), "c(v, v)" = c(v, v),
      "c(v, v[1])" = c(v, v[1]), "v with NA" = fuzz_set1(v, NA), "v with NaN" = fuzz_set1(v, NaN),
      "v with Inf" = fuzz_set1(v, Inf), "v with -Inf" = fuzz_set1(v, -Inf), "-v" = -v,
      "v - 1" = v - 1, "v * 1e9" = v * 1e9, "v + 0.5" = v + 0.5,
      "v with integer.max + 1" = fuzz_set1(as.double(v), .Machine$integer.max + 1),
      "as.character(v)" = as.character(v), "as.list(v)" = as.list(v), "factor(v)" = factor(v),
      "integer/double swap" = swap, "rep_len(v, 1e5)" = rep_len(v, 1e5),
      "all NA" = rep(NA_real_, length(v)), "as.logical(v)" = as.logical(v),
      "v named" = stats::setNames(v, sprintf("n%d", seq_along(v))))
    return(out)
  }
  if (is.character(v)) {
    return(list(
      "v[0]" = v[0], "v with NA" = fuzz_set1(v, NA), "v with \"\"" = fuzz_set1(v, ""),
      "v with an unknown value" = fuzz_set1(v, "zz_no_such_thing"), "toupper(v)" = toupper(v),
      "c(v, v)" = c(v, v), "rev(v)" = rev(v), "factor(v)" = factor(v), "as.list(v)" = as.list(v),
      "padded with spaces" = paste0(" ", v, " "), "1L" = 1L, "v[1]" = v[1],
      "c(v, \"zz\")" = c(v, "zz")))
  }
  if (is.list(v)) {
    return(list(
      "l[0]" = v[0], "l[-1]" = v[-1], "unlist(l)" = unlist(v), "c(l, l)" = c(v, v),
      # elements with no character form (a connection) are kept as they are
      "l as character" = lapply(v, function(e) tryCatch(as.character(e), error = function(err) e)),
      "l with NULL" = fuzz_set1(v, list(NULL))))
  }
  list()
}

fuzz_derived_df <- function(d) {
  out <- list()
  nm <- names(d)
  for (j in seq_along(nm)) {
    col <- nm[j]
    out[[sprintf("drop column `%s`", col)]] <- d[-j]
    x <- d[[col]]
    e <- d; e[[col]] <- as.character(x); out[[sprintf("`%s` as character", col)]] <- e
    e <- d; e[[col]] <- factor(x); out[[sprintf("`%s` as factor", col)]] <- e
    e <- d; e[[col]] <- as.list(x); out[[sprintf("`%s` as a list column", col)]] <- e
    e <- d; if (nrow(e)) e[[col]][1L] <- NA; out[[sprintf("`%s` with NA", col)]] <- e
    if (is.numeric(x)) {
      e <- d; e[[col]] <- -x; out[[sprintf("`%s` negated", col)]] <- e
      e <- d; e[[col]] <- x * 1e12; out[[sprintf("`%s` * 1e12", col)]] <- e
      e <- d; e[[col]] <- x + 0.5; out[[sprintf("`%s` + 0.5", col)]] <- e
      e <- d; e[[col]] <- fuzz_set1(as.double(x), Inf); out[[sprintf("`%s` with Inf", col)]] <- e
      e <- d; e[[col]] <- fuzz_set1(as.double(x), NaN); out[[sprintf("`%s` with NaN", col)]] <- e
      e <- d; e[[col]] <- if (is.integer(x)) as.double(x) else suppressWarnings(as.integer(x))
      out[[sprintf("`%s` integer/double swap", col)]] <- e
      e <- d; e[[col]] <- rep(NA_real_, nrow(d)); out[[sprintf("`%s` all NA", col)]] <- e
      e <- d; e[[col]] <- rep(NA, nrow(d)); out[[sprintf("`%s` all logical NA", col)]] <- e
      e <- d; e[[col]] <- x + 1L; out[[sprintf("`%s` + 1", col)]] <- e
      e <- d; e[[col]] <- x * 0L; out[[sprintf("`%s` set to 0", col)]] <- e
      e <- d; e[[col]] <- fuzz_set1(x, .Machine$integer.max)
      out[[sprintf("`%s` with integer.max", col)]] <- e
      e <- d; if (nrow(e) > 1L) e[[col]][c(1L, nrow(e))] <- c(-1L, 1L) * .Machine$integer.max
      out[[sprintf("`%s` spanning the integer range", col)]] <- e
    }
    if (is.character(x)) {
      e <- d; e[[col]] <- fuzz_set1(x, "zz_no_such_thing")
      out[[sprintf("`%s` with an unknown value", col)]] <- e
      e <- d; e[[col]] <- fuzz_set1(x, ""); out[[sprintf("`%s` with \"\"", col)]] <- e
      e <- d; e[[col]] <- suppressWarnings(as.numeric(x))
      out[[sprintf("`%s` as.numeric", col)]] <- e
    }
    if (inherits(x, "Date")) {
      e <- d; e[[col]] <- as.numeric(x); out[[sprintf("`%s` as numbers", col)]] <- e
      e <- d; e[[col]] <- x + 1e6; out[[sprintf("`%s` far future", col)]] <- e
    }
  }
  rev_rows <- d[rev(seq_len(nrow(d))), , drop = FALSE]
  c(out, list(
    "extra column" = cbind(d, zz_extra = seq_len(nrow(d))),
    "0 rows" = d[0, , drop = FALSE], "1 row" = d[1, , drop = FALSE],
    "rows reversed (unsorted)" = rev_rows,
    "rows duplicated" = d[rep(seq_len(nrow(d)), 2L), , drop = FALSE],
    "as.matrix" = as.matrix(d), "as.list" = as.list(d),
    "tibble class" = structure(d, class = c("tbl_df", "tbl", "data.frame")),
    "names upper-cased" = stats::setNames(d, toupper(names(d))),
    "duplicated column names" = stats::setNames(cbind(d, d[1L]), c(names(d), names(d)[1L])),
    "unnamed list of columns" = unname(as.list(d)),
    "grouped-like attribute" = structure(d, groups = "x")))
}

# One random hostile value for a valid value v: a mutation of v or (less
# often) a generic value. Returns list(label, value).
fuzz_pick <- function(v, generic = fuzz_generic()) {
  der <- fuzz_derived(v)
  pool <- if (length(der) && stats::runif(1) < 0.65) der else generic
  i <- sample.int(length(pool), 1L)
  list(label = names(pool)[i], value = pool[i])  # value kept as a length-1 list
}

# Evaluate a call and classify the outcome: "valid", "classed" (an error of
# class threatbalance_error) or "failure" (any other error, a warning not of
# class threatbalance_warning, or a result `check` rejects).
fuzz_run <- function(f, args, check = NULL, time_limit = 30) {
  force(args)
  warn <- character()
  setTimeLimit(elapsed = time_limit, transient = TRUE)
  on.exit(setTimeLimit(elapsed = Inf))
  res <- withCallingHandlers(
    tryCatch(list(value = do.call(f, args, quote = TRUE)),
             error = function(e) list(error = e)),
    warning = function(w) {
      if (!inherits(w, "threatbalance_warning")) warn <<- c(warn, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  setTimeLimit(elapsed = Inf)
  if (!is.null(res$error)) {
    if (inherits(res$error, "threatbalance_error")) {
      return(list(outcome = "classed", message = conditionMessage(res$error)))
    }
    return(list(outcome = "failure",
                message = paste("unclassed error:", conditionMessage(res$error))))
  }
  if (length(warn)) {
    return(list(outcome = "failure", message = paste("base R warning:", warn[1L])))
  }
  if (!is.null(check)) {
    ok <- tryCatch(check(res$value, args), error = function(e) conditionMessage(e))
    if (!isTRUE(ok)) {
      return(list(outcome = "failure",
                  message = paste("invalid result:", if (is.character(ok)) ok else "check failed")))
    }
  }
  list(outcome = "valid", message = "")
}

# One-line description of a value, for failure reports.
fuzz_show <- function(x) {
  s <- tryCatch(paste(deparse(x, width.cutoff = 60L, nlines = 1L), collapse = ""),
                error = function(e) class(x)[1L])
  if (nchar(s) > 60L) s <- paste0(substr(s, 1L, 57L), "...")
  s
}

# Number of fuzz calls: TB_FUZZ_N, or `default`.
fuzz_n <- function(default) {
  n <- suppressWarnings(as.numeric(Sys.getenv("TB_FUZZ_N", "")))
  if (is.na(n) || n < 1) default else n
}
