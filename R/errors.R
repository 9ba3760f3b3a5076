# Classed conditions. Every error a user can hit inherits from
# "threatbalance_error"; the subclass says what kind of problem it is.

tb_abort <- function(message, class = "input", call = NULL, ...) {
  cls <- c(paste0("threatbalance_error_", class), "threatbalance_error",
           "error", "condition")
  cond <- structure(class = cls,
                    list(message = paste(message, collapse = "\n"), call = call, ...))
  stop(cond)
}

tb_warn <- function(message, class = "coverage", call = NULL, ...) {
  cls <- c(paste0("threatbalance_warning_", class), "threatbalance_warning",
           "warning", "condition")
  cond <- structure(class = cls,
                    list(message = paste(message, collapse = "\n"), call = call, ...))
  warning(cond)
}

# Short description of what a value is, for error messages.
tb_describe <- function(x) {
  if (is.null(x)) return("NULL")
  if (is.function(x)) return("a function")
  if (is.data.frame(x)) return(sprintf("a data frame with %d rows", nrow(x)))
  cls <- class(x)[1L]
  n <- length(x)
  if (n == 1L && is.atomic(x)) {
    return(sprintf("%s %s", cls, if (is.na(x)) "NA" else format(x)))
  }
  sprintf("%s of length %d", cls, n)
}
