# Argument checks shared by every exported function. Each returns the value
# coerced to the exact storage type the C code expects, or raises a classed
# error that names the argument, what was expected and what was given.

tb_check_numeric <- function(x, arg, len = NULL, min = -Inf, max = Inf,
                          allow_na = TRUE, finite = FALSE) {
  if (is.factor(x) || !(is.numeric(x) || is.logical(x) && all(is.na(x))) ||
      is.object(x) && !inherits(x, c("numeric", "integer"))) {
    tb_abort(sprintf("`%s` must be a numeric vector, not %s.", arg, tb_describe(x)))
  }
  if (!is.null(len) && !length(x) %in% len) {
    tb_abort(sprintf("`%s` must have length %s, not %d.", arg,
                     paste(len, collapse = " or "), length(x)))
  }
  x <- as.double(x)
  if (!allow_na && anyNA(x)) {
    tb_abort(sprintf("`%s` must not contain NA or NaN (found at position %d).",
                     arg, which(is.na(x))[1L]))
  }
  # sum() is finite when no value is infinite (NA is excluded above, or
  # caught by the full check): one pass with no n-long temporary
  if (finite && !is.finite(sum(x)) && any(is.infinite(x))) {
    tb_abort(sprintf("`%s` must be finite (found %s at position %d).", arg,
                     format(x[is.infinite(x)][1L]), which(is.infinite(x))[1L]))
  }
  if (min > -Inf || max < Inf) {  # no pass over a long x when there is no range
    bad <- which(!is.na(x) & (x < min | x > max))
    if (length(bad)) {
      tb_abort(sprintf("`%s` must be %s; position %d is %s.", arg, tb_describe_range(min, max),
                       bad[1L], format(x[bad[1L]])))
    }
  }
  x
}

# "positive", "non-negative", "at most 9", "in [0, 1]": a range in words.
tb_describe_range <- function(min, max) {
  lo <- if (min == .Machine$double.xmin) "positive" else if (min == 0) "non-negative" else NULL
  if (is.finite(max)) {
    if (!is.null(lo)) return(sprintf("%s and at most %s", lo, format(max)))
    if (is.infinite(min)) return(sprintf("at most %s", format(max)))
    return(sprintf("in [%s, %s]", format(min), format(max)))
  }
  if (!is.null(lo)) return(lo)
  if (is.infinite(min)) return("a number")
  sprintf("at least %s", format(min))
}

tb_check_integerish <- function(x, arg, len = NULL, min = -Inf, max = Inf,
                             allow_na = TRUE) {
  # the common case, one plain whole number in range, without the passes
  # below (14 -> 3 us: a tenth of the R time of a detect_phases() call)
  if (is.numeric(x) && !is.object(x) && length(x) == 1L && (is.null(len) || 1L %in% len) &&
      !is.na(x) && x >= min && x <= max && x == round(x) &&
      abs(x) <= .Machine$integer.max) {
    return(as.integer(x))
  }
  x <- tb_check_numeric(x, arg, len = len, min = min, max = max,
                     allow_na = allow_na, finite = TRUE)
  bad <- which(!is.na(x) & x != round(x))
  if (length(bad)) {
    tb_abort(sprintf("`%s` must hold whole numbers; position %d is %s.",
                     arg, bad[1L], format(x[bad[1L]])))
  }
  if (any(abs(x) > .Machine$integer.max, na.rm = TRUE)) {
    tb_abort(sprintf("`%s` holds values too large for an integer.", arg))
  }
  as.integer(x)
}

tb_check_flag <- function(x, arg) {
  if (!is.logical(x) || length(x) != 1L || is.na(x)) {
    tb_abort(sprintf("`%s` must be TRUE or FALSE, not %s.", arg, tb_describe(x)))
  }
  x
}

tb_check_string <- function(x, arg, allow_null = FALSE) {
  if (is.null(x) && allow_null) return(x)
  if (!is.character(x) || length(x) != 1L || is.na(x) || !nzchar(x)) {
    tb_abort(sprintf("`%s` must be a single non-empty string, not %s.", arg,
                     tb_describe(x)))
  }
  x
}

# match.arg() with a classed error. `x` of length > 1 equal to `choices`
# (the default) gives the first choice; with several = TRUE, a subset.
tb_check_choice <- function(x, choices, arg, several = FALSE) {
  if (identical(x, choices) && !several) return(choices[1L])
  # one valid string (13.5 -> 1 us: detect_phases() checks three)
  if (!several && is.character(x) && length(x) == 1L && !is.na(x)) {
    i <- match(x, choices)
    if (!is.na(i)) return(choices[i])
  }
  if (!is.character(x) || length(x) < 1L || anyNA(x) ||
      (!several && length(x) != 1L)) {
    tb_abort(sprintf("`%s` must be %s of %s, not %s.", arg,
                     if (several) "one or more" else "one",
                     paste0('"', choices, '"', collapse = ", "), tb_describe(x)))
  }
  bad <- setdiff(x, choices)
  if (length(bad)) {
    tb_abort(sprintf("`%s` must be %s of %s; unknown: %s.", arg,
                     if (several) "one or more" else "one",
                     paste0('"', choices, '"', collapse = ", "),
                     paste0('"', bad, '"', collapse = ", ")))
  }
  unique(x)
}

tb_check_data_frame <- function(x, arg, cols = character()) {
  if (!is.data.frame(x)) {
    tb_abort(sprintf("`%s` must be a data frame, not %s.", arg, tb_describe(x)))
  }
  miss <- setdiff(cols, names(x))
  if (length(miss)) {
    tb_abort(sprintf("`%s` must have column%s %s; missing: %s.", arg,
                     if (length(cols) > 1) "s" else "",
                     paste0("`", cols, "`", collapse = ", "),
                     paste0("`", miss, "`", collapse = ", ")))
  }
  tb_check_unique_cols(x, arg, cols)
}

# A column the function reads must have one name: `x$year` and `x[["year"]]`
# silently take the first of two `year` columns. `cols`: the names the
# function reads (other duplicated names are the user's business).
tb_check_unique_cols <- function(x, arg, cols) {
  nm <- names(x)
  dup <- unique(nm[duplicated(nm) & nm %in% cols])
  if (length(dup)) {
    tb_abort(sprintf("`%s` must have one column of each name it is read by; %s %s more than once (columns %s).",
                     arg, paste0("`", dup, "`", collapse = ", "),
                     if (length(dup) > 1L) "appear" else "appears",
                     paste(which(nm %in% dup), collapse = ", ")),
             class = "duplicate_column")
  }
  x
}

# Years requested against a source's coverage: an error when none is
# covered (a warning too with none = "warn": for functions that add columns
# to a user's table, where NA columns are the answer), a coverage warning
# when some are not (their results are NA).
tb_check_years <- function(years, arg, range, source, none = c("error", "warn")) {
  none <- match.arg(none)
  years <- tb_check_integerish(years, arg, allow_na = FALSE)
  if (!length(years)) tb_abort(sprintf("`%s` must hold at least one year.", arg))
  out <- years < range[1L] | years > range[2L]
  span <- tb_year_span(years)
  if (all(out) && none == "warn") {
    tb_warn(sprintf("`%s` (%s) lies outside the years covered by %s, %d-%d; the values are NA.",
                    arg, span, source, range[1L], range[2L]))
    return(years)
  } else if (all(out)) {
    tb_abort(sprintf("`%s` (%s) lies outside the years covered by %s, %d-%d.",
                     arg, span, source, range[1L], range[2L]), class = "coverage")
  }
  if (any(out)) {
    tb_warn(sprintf("%d of the years in `%s` (%s) %s outside the years covered by %s, %d-%d; %s NA.",
                    sum(out), arg, tb_year_span(years[out]),
                    if (sum(out) == 1L) "lies" else "lie", source, range[1L], range[2L],
                    if (sum(out) == 1L) "its values are" else "their values are"))
  }
  years
}

# "1990" or "1990 to 1995" for messages (negative years read clearly).
tb_year_span <- function(years) {
  r <- range(years)
  if (r[1L] == r[2L]) format(r[1L]) else sprintf("%d to %d", r[1L], r[2L])
}

# Common length of vectors recycled like base R arithmetic: zero if any is
# empty, otherwise the longest, which every other length must divide.
tb_recycled_length <- function(lens, args) {
  if (any(lens == 0L)) return(0L)
  n <- max(lens)
  bad <- which(n %% lens != 0L)
  if (length(bad)) {
    tb_abort(sprintf("`%s` has length %d, which does not recycle to length %d.",
                     args[bad[1L]], lens[bad[1L]], n))
  }
  n
}

# Dates must lie in years 1-9999: outside, years do not fit four digits and
# format()/as.Date() round trips (and integer years far beyond) break.
# tb_day_range: 0001-01-01 and 9999-12-31 as days since 1970-01-01 (also the
# bounds of database dates, R/events-db.R).
tb_day_range <- c(-719162, 2932896)
tb_check_date_range <- function(d, arg) {
  v <- unclass(d)
  bad <- which(!is.na(v) & (v < tb_day_range[1L] | v > tb_day_range[2L]))
  if (length(bad)) {
    tb_abort(sprintf("`%s` must hold dates in the years 1-9999; position %d is %s days from 1970-01-01.",
                     arg, bad[1L], format(v[bad[1L]], scientific = FALSE, big.mark = ",")))
  }
  d
}

# Evaluate `expr` with R's RNG seeded by `seed` and restore the caller's
# .Random.seed (or its absence) afterwards; seed = NULL evaluates `expr` on the
# caller's stream, untouched.
tb_with_seed <- function(seed, expr) {
  if (is.null(seed)) return(expr)
  env <- globalenv()
  old <- if (exists(".Random.seed", envir = env, inherits = FALSE))
    get(".Random.seed", envir = env, inherits = FALSE)
  on.exit(if (is.null(old)) {
    if (exists(".Random.seed", envir = env, inherits = FALSE)) rm(".Random.seed", envir = env)
  } else assign(".Random.seed", old, envir = env), add = TRUE)
  set.seed(seed)
  expr
}

# Output-size guard (issue 16): a small input can ask for an output quadratic
# in its length or a product of its dimensions (similarity_matrix() of 2e5
# rows would need 298 GB). Functions whose allocations grow that way size them
# in R, before any is made, and refuse above the limit with an error that
# gives the size. `bytes` is what the call would allocate at its peak, `what`
# describes the output ("a 200,000 x 200,000 matrix of scores").
tb_check_output_size <- function(bytes, what) {
  limit <- tb_max_gb()
  gb <- bytes / 2^30
  if (is.na(gb) || gb > limit) {
    tb_abort(sprintf("The result would need %s GB of memory for %s; the limit is %s GB (option `threatbalance.max_gb`).",
                     format(signif(gb, 3), big.mark = ",", scientific = FALSE), what,
                     format(limit)),
             class = "too_large", bytes = bytes, limit_gb = limit)
  }
  invisible(bytes)
}

# The limit of tb_check_output_size(), in GB (2^30 bytes): the option
# `threatbalance.max_gb`, 8 by default.
tb_max_gb <- function() {
  v <- getOption("threatbalance.max_gb", 8)
  if (!is.numeric(v) || length(v) != 1L || is.na(v) || v <= 0) {
    tb_abort(sprintf("Option `threatbalance.max_gb` must be a single positive number (gigabytes), not %s.",
                     tb_describe(v)))
  }
  as.double(v)
}

# "1,234" for counts in messages.
tb_format_count <- function(n) format(n, big.mark = ",", scientific = FALSE, trim = TRUE)
