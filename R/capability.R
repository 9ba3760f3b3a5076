# Aggregate power: the Composite Index of National Capability, the
# loss-of-strength gradient, and adding NMC capabilities to dyad-year frames.

tb_nmc_components <- c("milex", "milper", "irst", "pec", "tpop", "upop")

# Integer group codes 1..G for the rows of `data` by the columns `by`; a row
# with NA in any `by` column gets NA.
tb_group_codes <- function(data, by) {
  n <- nrow(data)
  if (!length(by)) return(list(code = rep(1L, n), n = as.integer(n > 0L)))
  if (length(by) == 1L) {
    key <- data[[by]]
    if (is.factor(key)) key <- as.character(key)
  } else {
    key <- do.call(paste, c(lapply(data[by], as.character), sep = "\r"))
  }
  na <- rep(FALSE, n)
  for (b in by) na <- na | is.na(data[[b]])
  u <- unique(key[!na])
  code <- match(key, u)
  code[na] <- NA_integer_
  list(code = code, n = length(u))
}

#' Composite Index of National Capability
#'
#' Computes the Correlates of War Composite Index of National Capability
#' (CINC) from its components: each component's share of the total of its
#' `by`-group (by default the year, i.e. the state system), averaged over the
#' components the state reports. A missing component is left out of the
#' state's mean and of the group total, as in the National Material
#' Capabilities data v6 and v7, so on [capabilities] `cinc()` reproduces the
#' published `cinc` column (to within about 3e-8). Any subset of components
#' works, e.g. a military-only index with `c("milex", "milper")`.
#'
#' NA: a state that reports none of the components gets `NA`, as does a row
#' with `NA` in a `by` column. A component whose group total is zero (every
#' reporting state has 0) gives no share and is left out of every state's
#' mean in that group, as a missing component is.
#'
#' @param data A data frame with the component columns and the `by` columns,
#'   such as [capabilities].
#' @param components Names of the numeric, non-negative component columns to
#'   use; by default NMC's six: military expenditure, military personnel,
#'   iron and steel production, primary energy consumption, total and urban
#'   population.
#' @param by Names of the columns that define the groups whose totals the
#'   shares are taken of (`"year"`), or `NULL` for a single group.
#' @return A numeric vector with one value per row of `data`, in \[0, 1\].
#' @references Singer, J. D., Bremer, S. and Stuckey, J. (1972). Capability
#'   distribution, uncertainty, and major power war, 1820-1965. In B. Russett
#'   (ed.), *Peace, War, and Numbers*, 19-48. Beverly Hills: Sage.
#'
#'   Greig, J. M. and Enterline, A. J. (2021). *National Material Capabilities
#'   (NMC) Data Documentation, Version 6.0*. Correlates of War Project.
#' @seealso [add_capabilities()] to add published NMC values to dyad-years.
#' @export
#' @examples
#' x <- cinc(capabilities)
#' all.equal(x, capabilities$cinc)
#' # military capability only, for 2010
#' cap10 <- capabilities[capabilities$year == 2010, ]
#' head(data.frame(ccode = cap10$ccode,
#'                 mil = cinc(cap10, c("milex", "milper"))))
cinc <- function(data, components = c("milex", "milper", "irst", "pec", "tpop", "upop"),
                 by = "year") {
  if (!is.character(components) || !length(components) || anyNA(components)) {
    tb_abort(sprintf("`components` must be a character vector of column names, not %s.",
                     tb_describe(components)))
  }
  if (!is.null(by) && (!is.character(by) || anyNA(by))) {
    tb_abort(sprintf("`by` must be NULL or a character vector of column names, not %s.",
                     tb_describe(by)))
  }
  components <- unique(components)
  tb_check_data_frame(data, "data", c(components, by))
  cols <- lapply(components, function(v)
    tb_check_numeric(data[[v]], sprintf("data$%s", v), min = 0, finite = TRUE))
  g <- tb_group_codes(data, by)
  .Call(C_ffi_cinc, cols, g$code, as.integer(g$n))
}

#' Loss-of-strength gradient
#'
#' Discounts capability by distance. `"bdm"` is Bueno de Mesquita's (1981)
#' gradient as coded in EUGene: `capability ^ log10(miles / mpd + (10 - e))`,
#' where `mpd` is the miles an army can move per day: 250 up to 1917, 375 for
#' 1918-1945 and 500 from 1946 (from `year`), unless `mpd` is given. The
#' exponent is 1 (no discount) at `miles = e * mpd`, below 1 closer (which
#' raises a capability share below 1) and above 1 farther away.
#' `"exponential"` is `capability * exp(-rate * miles)`; `"none"` returns the
#' capability unchanged.
#'
#' Arguments are recycled against each other as in base R arithmetic. NA in
#' any argument the method uses gives NA.
#'
#' @param capability Non-negative numbers, usually CINC scores in \[0, 1\].
#' @param miles Non-negative distances, in miles (`km / 1.609344`).
#' @param year Whole-number years that set the miles per day for `"bdm"`;
#'   ignored when `mpd` is given.
#' @param method `"bdm"`, `"exponential"` or `"none"`.
#' @param mpd Positive miles per day for `"bdm"`, overriding `year`.
#' @param rate Non-negative decay rate per mile for `"exponential"`.
#' @return A numeric vector of discounted capabilities, of the common length
#'   of the arguments the method uses.
#' @references Bueno de Mesquita, B. (1981). *The War Trap*. New Haven: Yale
#'   University Press.
#'
#'   Bennett, D. S. and Stam, A. C. (2000). EUGene: A conceptual manual.
#'   *International Interactions* 26(2), 179-204.
#'
#'   Boulding, K. E. (1962). *Conflict and Defense: A General Theory*. New
#'   York: Harper & Row.
#' @export
#' @examples
#' # China's 2010 CINC seen from 0, 1,000 and 5,000 miles
#' lsg(0.18, c(0, 1000, 5000), year = 2010)
#' lsg(0.18, 5000, method = "exponential", rate = 1e-4)
#' # no discount at e * mpd miles
#' lsg(0.18, exp(1) * 500, mpd = 500)
lsg <- function(capability, miles, year = NULL, method = c("bdm", "exponential", "none"),
                mpd = NULL, rate = NULL) {
  method <- tb_check_choice(method, c("bdm", "exponential", "none"), "method")
  capability <- tb_check_numeric(capability, "capability", min = 0)
  miles <- tb_check_numeric(miles, "miles", min = 0)
  if (method == "bdm") {
    if (!is.null(mpd)) {
      par <- tb_check_numeric(mpd, "mpd", min = .Machine$double.xmin)
      par_arg <- "mpd"
    } else if (!is.null(year)) {
      par <- .Call(C_ffi_mpd_year, tb_check_integerish(year, "year"))
      par_arg <- "year"
    } else {
      tb_abort("`year` or `mpd` must be given for method \"bdm\", not both NULL.")
    }
    code <- 1L
  } else if (method == "exponential") {
    if (is.null(rate)) tb_abort("`rate` must be given for method \"exponential\", not NULL.")
    par <- tb_check_numeric(rate, "rate", min = 0)
    par_arg <- "rate"
    code <- 2L
  } else {
    n <- tb_recycled_length(c(length(capability), length(miles)), c("capability", "miles"))
    return(.Call(C_ffi_lsg, rep_len(capability, n), double(), double(), 3L))
  }
  tb_recycled_length(c(length(capability), length(miles), length(par)),
                  c("capability", "miles", par_arg))
  .Call(C_ffi_lsg, capability, miles, par, code)
}

#' Add national capabilities to dyad-years
#'
#' Adds both sides' National Material Capabilities (v7.0, [capabilities]) to
#' any data frame with columns `ccode1`, `ccode2` and `year` (integer or
#' double), such as one from [dyad_years()] or peacesciencer. Rows keep
#' their order; the new columns are `cinc1`, `cinc2`, `milex1`, `milex2`,
#' and so on (existing columns of those names are replaced).
#'
#' NA: state-years absent from NMC, and years outside 1816-2022 (with a
#' coverage warning), give `NA`; so do rows with `NA` keys.
#'
#' @param data A data frame with `ccode1`, `ccode2` and `year`.
#' @param vars Which of `cinc` and the six components to add.
#' @return `data` with two columns per element of `vars`.
#' @references Singer, J. D., Bremer, S. and Stuckey, J. (1972). Capability
#'   distribution, uncertainty, and major power war, 1820-1965. In B. Russett
#'   (ed.), *Peace, War, and Numbers*, 19-48. Beverly Hills: Sage.
#'
#'   Greig, J. M. and Enterline, A. J. (2021). *National Material Capabilities
#'   (NMC) Data Documentation, Version 6.0*. Correlates of War Project.
#' @export
#' @examples
#' d <- dyad_years(2010)
#' d <- add_capabilities(d, vars = c("cinc", "milex"))
#' head(d[d$ccode1 == 710, ])
add_capabilities <- function(data, vars = c("cinc", "milex", "milper", "irst", "pec",
                                            "tpop", "upop")) {
  vars <- tb_check_choice(vars, c("cinc", tb_nmc_components), "vars", several = TRUE)
  k <- tb_dyad_keys(data, "data", "capabilities")
  cap <- tb_data("capabilities")
  i1 <- tb_sy_index(k$year, k$ccode1, cap$year, cap$ccode)
  i2 <- tb_sy_index(k$year, k$ccode2, cap$year, cap$ccode)
  cols <- list()
  for (v in vars) {
    cols[[paste0(v, "1")]] <- cap[[v]][i1]
    cols[[paste0(v, "2")]] <- cap[[v]][i2]
  }
  tb_add_cols(data, cols)
}
