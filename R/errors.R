# Classed conditions. Every error a user can hit inherits from
# "threatbalance_error" (warnings from "threatbalance_warning"); the subclass
# says what kind of problem it is. The condition's call is the exported
# function (or S3 method's generic) the user called, found on the stack, so
# R prints "Error in threat_components() : ..." however deep the check sits.

tb_abort <- function(message, class = "input", call = tb_caller(), ...) {
  cls <- c(paste0("threatbalance_error_", class), "threatbalance_error",
           "error", "condition")
  cond <- structure(class = cls,
                    list(message = paste(message, collapse = "\n"), call = call, ...))
  stop(cond)
}

tb_warn <- function(message, class = "coverage", call = tb_caller(), ...) {
  cls <- c(paste0("threatbalance_warning_", class), "threatbalance_warning",
           "warning", "condition")
  cond <- structure(class = cls,
                    list(message = paste(message, collapse = "\n"), call = call, ...))
  warning(cond)
}

# The user-facing functions: exports by name, and registered S3 methods
# under their generic's name. Built once per session.
tb_entry_points <- function() {
  tb_memo("entry_points", {
    ns <- asNamespace("threatbalance")
    exp <- getNamespaceExports(ns)
    fns <- lapply(exp, function(n) get(n, envir = ns))
    keep <- vapply(fns, is.function, NA)
    # registered S3 methods: generic, class, method name (rows of the matrix)
    s3 <- getNamespaceInfo(ns, "S3methods")
    meth <- if (length(s3)) s3[, 3L] else character()
    meth[is.na(meth)] <- paste(s3[is.na(meth), 1L], s3[is.na(meth), 2L], sep = ".")
    have <- vapply(meth, exists, NA, envir = ns, inherits = FALSE)
    list(fun = c(fns[keep], lapply(meth[have], get, envir = ns)),
         name = c(exp[keep], if (length(s3)) s3[have, 1L]))
  })
}

# The outermost frame running a user-facing function of the package, as a
# call without arguments (`threat_components()`); NULL when there is none
# (internal code called directly, as in the tests of internals).
tb_caller <- function() {
  n <- sys.nframe() - 1L
  if (n < 1L) return(NULL)
  ep <- tb_entry_points()
  for (i in seq_len(n)) {
    f <- sys.function(i)
    if (!identical(environment(f), asNamespace("threatbalance"))) next
    for (k in seq_along(ep$fun)) {
      if (identical(f, ep$fun[[k]])) return(as.call(list(as.name(ep$name[k]))))
    }
  }
  NULL
}

# Short description of what a value is, for error messages.
tb_describe <- function(x) {
  if (is.null(x)) return("NULL")
  if (is.function(x)) return("a function")
  if (is.data.frame(x)) return(sprintf("a data frame with %d rows", nrow(x)))
  cls <- class(x)[1L]
  n <- length(x)
  if (n == 1L && is.atomic(x)) {
    val <- if (is.na(x)) "NA" else if (is.character(x)) sprintf("\"%s\"", x) else format(x)
    return(sprintf("%s %s", cls, val))
  }
  sprintf("%s of length %d", cls, n)
}
