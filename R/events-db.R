# Event scores on database tables (issue 18): relation_scores() and
# relation_level() on a table the database groups, filters and orders, so
# that only dyad-periods (or one dyad's events, in chunks) reach R.

#' Events held in a database table
#'
#' Describes a table of events (or of quad-class counts) in a database, for
#' [relation_scores()] and [relation_level()] to compute on without loading
#' it into R: the group-by into dyad-periods runs in the database and only
#' the dyad-periods come back; `relation_level()` streams only the events of
#' the dyads asked for, in date order and in chunks, into a scan that resumes
#' across chunks (or, with `level_method = "maps"` and
#' `damping = "linear"`, gets one affine map per period from the database).
#'
#' A dbplyr lazy table (`dplyr::tbl(con, "events")`, filtered or mutated as
#' you like) can also be passed to `relation_scores()` and
#' `relation_level()` directly; `db_events()` is then only needed to rename
#' columns, give a same-date order or change the chunk size. The SQL is
#' written by the package (no dplyr translation), for the dialects of
#' SQLite, DuckDB, PostgreSQL, Spark SQL and BigQuery.
#'
#' **Columns.** The table needs the columns `relation_scores()` needs in a
#' data frame: `date`, `actor` and `target` (or `ccode1` and `ccode2`), and a
#' CAMEO code `cameo` (text, with leading zeros), a Goldstein weight
#' `goldstein` and/or a quad class `quad`; or, for quad-class counts, `year`
#' (`month`), the sides and `verb_coop`, `matl_coop`, `verb_conf`,
#' `matl_conf` (`n_events`, `goldstein_sum`). `columns` maps these roles to
#' the table's own names, e.g. `c(date = "event_date", actor = "source",
#' target = "target", cameo = "event_code")`; a role not named there uses
#' the column of the same name. CAMEO codes are turned into quad classes and
#' Goldstein weights by a join with the packaged [cameo] codebook, which is
#' uploaded as a temporary table and dropped on exit, error or interrupt
#' (inlined in the query on Spark and BigQuery). Nothing else is written to
#' the database.
#'
#' **Dates** are read as the engine holds them: native `DATE` or
#' `TIMESTAMP` columns; ISO text (`"YYYY-MM-DD"`, optionally followed by a
#' time); numbers of days since 1970-01-01, which is how
#' `DBI::dbWriteTable()` stores an R `Date` in SQLite (SQLite has no date
#' type, and one column may mix numbers and text there). A value the engine
#' cannot read as a date is an error naming it (on PostgreSQL the engine
#' itself refuses such text and its message is passed on). Numbers are
#' never read as seconds: convert `POSIXct` columns to dates first.
#'
#' **Same-date order.** A table has no row order, while the bounded score of
#' `relation_level()` depends on the order of events. Events of one date are
#' applied in the order of the columns in `order` (ascending), and without
#' `order` in increasing Goldstein weight (conflict before cooperation).
#' Either way the result does not depend on the engine: events of the same
#' date and weight change the score identically in any order. An in-memory
#' call gives the same result when its rows are sorted the same way (it
#' applies events of one date in row order).
#'
#' **What is checked.** `relation_scores()` reads the whole table and
#' reports, as the data-frame path does, dates that are missing or
#' unreadable, missing actors or targets, unknown CAMEO codes and weights or
#' quad classes out of range. `relation_level()` reads, and so checks, only
#' the events of the dyads asked for.
#'
#' **Memory.** `relation_scores()` holds the dyad-periods (about 100 bytes
#' each, twice while the result is assembled) and `relation_level()` one
#' chunk of `chunk_size` events; the database does the rest (SQLite's sorts
#' spill to temporary files).
#'
#' **Engines.** The dialect is found from the connection's class
#' (`SQLiteConnection`, `duckdb_connection`, `PqConnection` and other
#' PostgreSQL drivers, sparklyr's `spark_connection`, bigrquery's
#' `BigQueryConnection`); give `dialect` for others (such as an ODBC
#' connection to one of these engines). SQLite is tested here; DuckDB when
#' the duckdb package is installed; the PostgreSQL, Spark SQL and BigQuery
#' dialects are written to their documentation but not tested here. With
#' `level_method = "maps"` on SQLite, the natural logarithm comes from
#' RSQLite's math extension when the SQLite library lacks `ln()`: the
#' extension's functions are loaded into the connection (not the file).
#'
#' @param x A DBI connection (then name the table in `table`), or a dbplyr
#'   lazy table (`dplyr::tbl(con, ...)`, with `table = NULL`).
#' @param table The table: a name, a [DBI::Id()] (with a schema), or a
#'   [DBI::SQL()] query or table expression (such as DuckDB's
#'   `read_parquet('events/*.parquet')`).
#' @param columns `NULL`, or a named character vector mapping roles (`date`,
#'   `actor`, `target`, `ccode1`, `ccode2`, `cameo`, `goldstein`, `quad`,
#'   `year`, `month`, `verb_coop`, `matl_coop`, `verb_conf`, `matl_conf`,
#'   `n_events`, `goldstein_sum`) to column names of the table.
#' @param order `NULL`, or the names of columns that order events of the
#'   same date for `relation_level()` (such as an event id); see Details.
#' @param dialect `NULL` to find it from the connection, or one of
#'   `"sqlite"`, `"duckdb"`, `"postgres"`, `"spark"`, `"bigquery"`.
#' @param chunk_size Rows fetched at a time (events for `relation_level()`,
#'   dyad-periods for `relation_scores()`); R's memory holds about 300 bytes
#'   per row of a chunk, collected after each chunk.
#' @param level_method How `relation_level()` works on the table:
#'   `"stream"` (default) fetches the selected events in date order, in
#'   chunks, into a C scan that resumes across chunks; `"maps"` has the
#'   database compose each period's events into one affine map (with
#'   resets: a weight of 9 or more in absolute value sets the score to +-9),
#'   so only one row per period moves, for engines where moving events is
#'   the cost. `"maps"` needs window functions and `LN()`, and supports
#'   neither `members = TRUE` nor the default `damping = "capped"` of
#'   `relation_level()` (an event's step then depends on which side of 0
#'   the score is, which no affine map composes): use it with
#'   `damping = "linear"`; its scores agree with `"stream"` to about 1e-13.
#' @return An object of class `tb_db_events` to pass as `events` to
#'   [relation_scores()] or [relation_level()].
#' @section Recipes (not tested here):
#' DuckDB over Parquet files, without loading them:
#' \preformatted{con <- DBI::dbConnect(duckdb::duckdb())
#' ev <- db_events(con, DBI::SQL("read_parquet('icews/*.parquet')"),
#'                 columns = c(date = "event_date", cameo = "cameo_code"))
#' relation_scores(ev, by = "year")
#' relation_level(ev, "710", "2")  # streams one dyad's events}
#' Spark through sparklyr's DBI connection:
#' \preformatted{sc <- sparklyr::spark_connect(master = "local")
#' sparklyr::spark_read_parquet(sc, "events", "hdfs:///icews/")
#' relation_scores(db_events(sc, "events"), by = "month")}
#' @examples
#' if (requireNamespace("RSQLite", quietly = TRUE)) {
#'   con <- DBI::dbConnect(RSQLite::SQLite(), ":memory:")
#'   ev <- data.frame(id = 1:4,
#'                    day = as.Date(c("2001-04-01", "2001-04-01", "2001-05-20", "2002-01-10")),
#'                    actor = c("710", "2", "2", "710"), target = c("2", "710", "710", "2"),
#'                    cameo = c("112", "036", "042", "057"))
#'   DBI::dbWriteTable(con, "events", ev)
#'   src <- db_events(con, "events", columns = c(date = "day"), order = "id")
#'   print(src)
#'   print(relation_scores(src))
#'   print(relation_level(src, "710", "2", by = "year"))
#'   DBI::dbDisconnect(con)
#' }
#' @export
db_events <- function(x, table = NULL, columns = NULL, order = NULL, dialect = NULL,
                      chunk_size = 10000, level_method = c("stream", "maps")) {
  tb_db_need("DBI")
  level_method <- tb_check_choice(level_method, c("stream", "maps"), "level_method")
  chunk_size <- tb_check_integerish(chunk_size, "chunk_size", len = 1L, min = 1, max = 1e7,
                                 allow_na = FALSE)
  if (inherits(x, "tbl_lazy")) {
    tb_db_need("dbplyr")
    if (!is.null(table)) {
      tb_abort(sprintf("`table` must be NULL when `x` is a lazy table, not %s.",
                       tb_describe(table)))
    }
    con <- dbplyr::remote_con(x)
    if (!inherits(con, "DBIConnection")) {
      tb_abort("`x` is a lazy table without a database connection.")
    }
    from <- paste0("(", as.character(dbplyr::sql_render(x)), ")")
    label <- "the lazy table"
    name <- NULL
  } else if (inherits(x, "DBIConnection")) {
    con <- x
    if (is.null(table)) {
      tb_abort("`table` must name the table of events in the database (or give a dbplyr lazy table as `x`).")
    }
    t <- tb_db_table(con, table)
    from <- t$from; label <- t$label; name <- t$name
  } else {
    tb_abort(sprintf("`x` must be a DBI connection or a dbplyr lazy table, not %s.",
                     tb_describe(x)))
  }
  if (!isTRUE(tryCatch(DBI::dbIsValid(con), error = function(e) FALSE))) {
    tb_abort("`x`: the database connection is closed or not valid.")
  }
  dialect <- if (is.null(dialect)) tb_db_dialect(con) else
    tb_check_choice(dialect, tb_db_dialects, "dialect")
  tb_check_columns(columns)
  if (!is.null(order) && (!is.character(order) || !length(order) || anyNA(order))) {
    tb_abort(sprintf("`order` must be NULL or names of columns, not %s.", tb_describe(order)))
  }
  # one row (SQLite, whose values carry their types) or none (typed engines)
  probe <- tryCatch(
    DBI::dbGetQuery(con, sprintf("SELECT * FROM %s AS tb_src LIMIT %d", from,
                                 if (dialect == "sqlite") 1L else 0L)),
    error = function(e) e)
  if (inherits(probe, "error")) {
    exists <- !is.null(name) &&
      isTRUE(tryCatch(DBI::dbExistsTable(con, table), error = function(e) NA))
    if (!is.null(name) && !exists) {
      tb_abort(sprintf("`table`: there is no table `%s` in the database.", name))
    }
    tb_abort(sprintf("Cannot read %s: %s", label, conditionMessage(probe)), class = "database")
  }
  have <- names(probe)
  miss <- setdiff(c(columns, order), have)
  if (length(miss)) {
    tb_abort(sprintf("%s has no column%s %s; its columns are %s.", tb_db_cap(label),
                     if (length(miss) > 1L) "s" else "", tb_db_quote(miss, "`"),
                     tb_db_quote(have, "`")))
  }
  cols <- vapply(tb_db_roles(), function(r) {
    if (r %in% names(columns)) columns[[r]] else if (r %in% have) r else NA_character_
  }, "")
  cols <- cols[!is.na(cols)]
  if (!all(c("actor", "target") %in% names(cols)) && all(c("ccode1", "ccode2") %in% names(cols))) {
    cols[c("actor", "target")] <- cols[c("ccode1", "ccode2")]
  }
  cols <- cols[setdiff(names(cols), c("ccode1", "ccode2"))]
  kinds <- vapply(names(cols), function(r) tb_db_kind(probe[[cols[[r]]]]), "")
  quoted <- as.character(DBI::dbQuoteIdentifier(con, unname(cols)))
  names(quoted) <- names(cols)
  structure(list(con = con, from = from, label = label, names = have, cols = cols,
                 quoted = quoted, kinds = kinds, order = order, dialect = dialect,
                 chunk_size = chunk_size, level_method = level_method),
            class = "tb_db_events")
}

#' @rdname db_events
#' @param ... Unused.
#' @export
print.tb_db_events <- function(x, ...) {
  r <- names(x$cols)
  cat(sprintf("<threatbalance events in %s, %s dialect>\n", x$label, x$dialect))
  cat("columns: ", paste(ifelse(r == x$cols, r, paste0(r, " = ", x$cols)), collapse = ", "),
      "\n", sep = "")
  cat("same-date order: ", if (is.null(x$order)) "Goldstein weight" else
    paste(x$order, collapse = ", "), "; relation_level() by ",
    if (x$level_method == "stream") "streaming" else
      "per-period maps (damping = \"linear\" only)", "\n", sep = "")
  invisible(x)
}

tb_db_dialects <- c("sqlite", "duckdb", "postgres", "spark", "bigquery")

# `columns` of db_events(), relation_scores() and relation_level(): NULL or a
# named character vector mapping roles (tb_db_roles()) to column names.
tb_check_columns <- function(columns) {
  if (!is.null(columns) && (!is.character(columns) || is.null(names(columns)) ||
                            anyNA(columns) || !all(nzchar(columns)) ||
                            !all(nzchar(names(columns))) || anyDuplicated(names(columns)))) {
    tb_abort(sprintf("`columns` must be a named character vector mapping roles to column names, such as c(date = \"event_date\"); not %s.",
                     tb_describe(columns)))
  }
  bad <- setdiff(names(columns), tb_db_roles())
  if (length(bad)) {
    tb_abort(sprintf("`columns` names unknown role%s %s; the roles are %s.",
                     if (length(bad) > 1L) "s" else "", tb_db_quote(bad, "`"),
                     tb_db_quote(tb_db_roles(), "`")))
  }
  columns
}

tb_db_roles <- function() {
  c("date", "actor", "target", "ccode1", "ccode2", "cameo", "goldstein", "quad", "year",
    "month", quad_cols, "n_events", "goldstein_sum")
}

# A Suggests dependency, or a classed error naming it.
tb_db_need <- function(pkg) {
  if (!requireNamespace(pkg, quietly = TRUE)) {
    tb_abort(sprintf("Events in a database need the %s package; install it (it is only suggested by threatbalance).",
                     pkg), class = "dependency")
  }
}

tb_db_quote <- function(x, q = "\"") paste0(q, x, q, collapse = ", ")
tb_db_cap <- function(s) paste0(toupper(substr(s, 1L, 1L)), substr(s, 2L, nchar(s)))

# The FROM item of `table` (a name, a DBI::Id or DBI::SQL), with a label.
tb_db_table <- function(con, table) {
  if (inherits(table, "SQL")) {
    sql <- as.character(table)
    if (length(sql) != 1L || is.na(sql) || !nzchar(sql)) {
      tb_abort("`table` must be a single SQL query or table expression.")
    }
    short <- if (nchar(sql) > 60L) paste0(substr(sql, 1L, 57L), "...") else sql
    wrap <- grepl("^\\s*(select|with)\\b", sql, ignore.case = TRUE)
    return(list(from = if (wrap) paste0("(", sql, ")") else sql,
                label = sprintf("the query `%s`", short), name = NULL))
  }
  if (inherits(table, "Id")) {
    name <- paste(table@name, collapse = ".")
  } else {
    name <- tb_check_string(table, "table")
  }
  list(from = as.character(DBI::dbQuoteIdentifier(con, table)),
       label = sprintf("table `%s`", name), name = name)
}

tb_db_dialect <- function(con) {
  cls <- class(con)
  if (inherits(con, "SQLiteConnection")) return("sqlite")
  if (inherits(con, "duckdb_connection")) return("duckdb")
  if (any(cls %in% c("PqConnection", "PostgreSQLConnection", "RedshiftConnection",
                     "PostgreSQL"))) return("postgres")
  if (any(cls %in% c("spark_connection", "Spark SQL"))) return("spark")
  if (inherits(con, "BigQueryConnection")) return("bigquery")
  tb_abort(sprintf("Cannot tell the SQL dialect of a %s connection; give `dialect` (one of %s).",
                   cls[1L], tb_db_quote(tb_db_dialects)))
}

# What a column holds, from the values (SQLite) or types (others) the
# probe brought back.
tb_db_kind <- function(v) {
  if (inherits(v, c("Date", "POSIXt"))) "date" else
    if (inherits(v, "integer64") || is.numeric(v)) "number" else
      if (is.character(v) || is.factor(v)) "text" else
        if (is.logical(v) && all(is.na(v))) "unknown" else "other"
}

# relation_scores() and relation_level() take a db_events() object, a dbplyr
# lazy table, or (to say what to do instead) a bare connection.
tb_is_db_source <- function(x) inherits(x, c("tb_db_events", "tbl_lazy", "DBIConnection"))

tb_db_source <- function(x) {
  if (inherits(x, "tb_db_events")) return(tb_db_check_source(x))
  if (inherits(x, "tbl_lazy")) return(db_events(x))
  tb_abort("`events` is a database connection: name the table with `db_events(con, \"events\")`.")
}

# A db_events() object as db_events() made it, on an open connection.
tb_db_check_source <- function(x) {
  str1 <- function(v) is.character(v) && length(v) == 1L && !is.na(v)
  chr <- function(v) is.character(v) && !anyNA(v)
  ok <- is.list(x) && inherits(x$con, "DBIConnection") && str1(x$from) && str1(x$label) &&
    chr(x$names) && chr(x$cols) && chr(x$quoted) && chr(x$kinds) &&
    identical(names(x$cols), names(x$kinds)) && identical(names(x$cols), names(x$quoted)) &&
    (is.null(x$order) || chr(x$order)) && str1(x$dialect) &&
    x$dialect %in% tb_db_dialects && is.numeric(x$chunk_size) &&
    length(x$chunk_size) == 1L && isTRUE(x$chunk_size >= 1) && str1(x$level_method) &&
    x$level_method %in% c("stream", "maps")
  if (!ok) {
    tb_abort("`events` is not a valid db_events() object; create it with db_events().")
  }
  if (!isTRUE(tryCatch(DBI::dbIsValid(x$con), error = function(e) FALSE))) {
    tb_abort("`events`: the database connection is closed or not valid.")
  }
  x
}

# ---- SQL pieces -------------------------------------------------------------

tb_db_q <- function(src, id) as.character(DBI::dbQuoteIdentifier(src$con, id))
tb_db_col <- function(src, role) paste0("ev.", src$quoted[[role]])
# Numbers as SQL literals: the shortest of 15 or 17 digits that reads back
# as the same double.
tb_db_num_sql <- function(x) {
  s <- sprintf("%.15g", x)
  long <- as.numeric(s) != x
  s[long] <- sprintf("%.17g", x[long])
  s
}

# A column as the user knows it, for messages.
tb_db_what <- function(src, role) {
  col <- src$cols[[role]]
  sprintf("Column `%s`%s of %s", col, if (col != role) sprintf(" (%s)", role) else "",
          src$label)
}

# Year, year * 100 + month and days since 1970-01-01 of the date column, as
# SQL; NULL where the engine cannot read the value as a date.
tb_db_dates <- function(src) {
  d <- tb_db_col(src, "date")
  kind <- src$kinds[["date"]]
  if (kind == "other") {
    tb_abort(sprintf("%s must hold dates (a date type, \"YYYY-MM-DD\" text or days since 1970-01-01).",
                     tb_db_what(src, "date")))
  }
  if (src$dialect == "sqlite") {
    # julian day number: numbers are days since 1970, text is parsed
    j <- sprintf("(CASE WHEN typeof(%1$s) IN ('integer', 'real') THEN %1$s + 2440587.5 ELSE julianday(%1$s) END)", d)
    return(list(year = sprintf("CAST(strftime('%%Y', %s) AS INTEGER)", j),
                month = sprintf("CAST(strftime('%%Y%%m', %s) AS INTEGER)", j),
                day = sprintf("(julianday(date(%s)) - 2440587.5)", j)))
  }
  dl <- src$dialect
  x <- switch(kind,
    number = switch(dl,
      duckdb = "CAST(DATE '1970-01-01' + CAST(FLOOR(%s) AS INTEGER) AS DATE)",
      postgres = "(DATE '1970-01-01' + CAST(FLOOR(%s) AS INTEGER))",
      spark = "date_add(DATE '1970-01-01', CAST(FLOOR(%s) AS INT))",
      bigquery = "DATE_FROM_UNIX_DATE(CAST(FLOOR(%s) AS INT64))"),
    text = switch(dl,
      duckdb = "TRY_CAST(TRY_CAST(%s AS TIMESTAMP) AS DATE)",
      postgres = "CAST(CAST(%s AS TIMESTAMP) AS DATE)",
      spark = "to_date(%s)",
      bigquery = "SAFE_CAST(SUBSTR(%s, 1, 10) AS DATE)"),
    "CAST(%s AS DATE)")
  # days beyond the years 1-9999 read as NULL (then the error naming them),
  # not as an overflow or out-of-range error of the engine's date arithmetic
  if (kind == "number") {
    d <- sprintf("(CASE WHEN %1$s >= %2$.0f AND %1$s < %3$.0f THEN %1$s END)", d,
                 tb_day_range[1L], tb_day_range[2L] + 1)
  }
  x <- sprintf(x, d)
  year <- sprintf("CAST(EXTRACT(YEAR FROM %s) AS INTEGER)", x)
  list(year = year,
       month = sprintf("(%s * 100 + CAST(EXTRACT(MONTH FROM %s) AS INTEGER))", year, x),
       day = sprintf(switch(dl,
         duckdb = "date_diff('day', DATE '1970-01-01', %s)",
         postgres = "(%s - DATE '1970-01-01')",
         spark = "datediff(%s, DATE '1970-01-01')",
         bigquery = "UNIX_DATE(%s)"), x))
}

# `col IN (...)` for the codes of one side, as numbers and/or text to suit
# the column (SQLite: both, its values carry their own types, which can
# differ from row to row).
tb_db_in <- function(src, role, codes) {
  col <- tb_db_col(src, role)
  kind <- if (src$dialect == "sqlite") "unknown" else src$kinds[[role]]
  num <- suppressWarnings(as.numeric(codes))
  lit <- character()
  if (kind %in% c("number", "unknown")) {
    ok <- !is.na(num) & as.character(num) == codes
    lit <- tb_db_num_sql(num[ok])
  }
  if (kind %in% c("text", "unknown", "other")) {
    lit <- c(lit, as.character(DBI::dbQuoteString(src$con, codes)))
  }
  if (!length(lit)) return("1 = 0")
  sprintf("%s IN (%s)", col, paste(unique(lit), collapse = ", "))
}

# WHERE condition selecting the events of relation_level()'s sides
# (a superset when members = TRUE: every state ever a member of the blocs).
tb_db_sides_sql <- function(src, actor, target, members) {
  widen <- function(side) {
    if (is.null(side) || !members) return(side)
    sp <- tb_data("blocs")
    b <- unique(sp$bloc)[tolower(unique(sp$bloc)) %in% tolower(side)]
    unique(c(side, as.character(sp$ccode[sp$bloc %in% b & sp$role == "member"])))
  }
  a <- widen(actor); t <- widen(target)
  if (is.null(a) && is.null(t)) return(NULL)
  if (is.null(a) || is.null(t)) {
    s <- if (is.null(a)) t else a
    return(sprintf("(%s OR %s)", tb_db_in(src, "actor", s), tb_db_in(src, "target", s)))
  }
  sprintf("((%s AND %s) OR (%s AND %s))", tb_db_in(src, "actor", a),
          tb_db_in(src, "target", t), tb_db_in(src, "actor", t), tb_db_in(src, "target", a))
}

# The field of the packed quad-class sums (tb_db_codebook()): counts below
# it are exact, as sums below 2^53 are.
tb_db_pack <- 2^26

# The CAMEO codebook as a temporary table (dropped by tb_db_drop(), which the
# caller registers with on.exit() before tb_db_upload() creates it), or
# inline on engines where DBI temporary tables are not ordinary tables.
# Besides each code's quad class and Goldstein weight, p12 and p34 pack the
# quad class for relation_scores(): 1 or `pack` for classes 1 or 2 (p12), 3
# or 4 (p34), else 0, so that two sums count the four classes (see
# tb_db_relation_scores()).
tb_db_codebook <- function(src, pack = tb_db_pack) {
  cam <- tb_cameo_table()
  df <- data.frame(code = cam$code, quad = as.integer(cam$quad),
                   goldstein = as.double(cam$goldstein), stringsAsFactors = FALSE)
  df$p12 <- c(1, pack, 0, 0)[df$quad]
  df$p34 <- c(0, 0, 1, pack)[df$quad]
  if (src$dialect %in% c("spark", "bigquery")) {
    dbl <- if (src$dialect == "spark") "DOUBLE" else "FLOAT64"
    rows <- sprintf("SELECT %s AS code, %d AS quad, CAST(%s AS %s) AS goldstein, CAST(%s AS %s) AS p12, CAST(%s AS %s) AS p34",
                    as.character(DBI::dbQuoteString(src$con, df$code)), df$quad,
                    tb_db_num_sql(df$goldstein), dbl, tb_db_num_sql(df$p12), dbl,
                    tb_db_num_sql(df$p34), dbl)
    return(list(sql = paste0("(", paste(rows, collapse = " UNION ALL "), ")"), name = NULL))
  }
  name <- basename(tempfile("tb_cameo_"))
  list(sql = tb_db_q(src, name), name = name, data = df)
}

# One CREATE TEMPORARY TABLE and one INSERT of all rows (DBI::dbWriteTable()
# costs more than the query on small tables).
tb_db_upload <- function(src, cb) {
  if (is.null(cb$name)) return(invisible())
  d <- cb$data
  rows <- sprintf("(%s, %d, %s, %s, %s)", as.character(DBI::dbQuoteString(src$con, d$code)),
                  d$quad, tb_db_num_sql(d$goldstein), tb_db_num_sql(d$p12), tb_db_num_sql(d$p34))
  dbl <- switch(src$dialect, sqlite = "REAL", duckdb = "DOUBLE", "DOUBLE PRECISION")
  tryCatch({
    DBI::dbExecute(src$con, sprintf(
      "CREATE TEMPORARY TABLE %1$s (code VARCHAR(16), quad INTEGER, goldstein %2$s, p12 %2$s, p34 %2$s)",
      cb$sql, dbl))
    DBI::dbExecute(src$con, sprintf("INSERT INTO %s (code, quad, goldstein, p12, p34) VALUES %s", cb$sql,
                                    paste(rows, collapse = ", ")))
  }, error = function(e) {
             tb_abort(sprintf("Could not create a temporary table of the CAMEO codebook: %s",
                              conditionMessage(e)), class = "database")
           })
  invisible()
}

tb_db_drop <- function(src, cb) {
  if (is.null(cb$name)) return(invisible())
  q <- tb_db_q(src, cb$name)
  sql <- if (src$dialect == "sqlite") sprintf("DROP TABLE IF EXISTS temp.%s", q) else
    sprintf("DROP TABLE IF EXISTS %s", q)
  ok <- !inherits(try(DBI::dbExecute(src$con, sql), silent = TRUE), "try-error")
  if (!ok) {
    # an interrupt inside DBI::dbSendQuery() (SQLite runs a GROUP BY's sort
    # there) leaves a result no R object holds, which keeps the table locked
    # until the garbage collector finalizes it (RSQLite then warns of it)
    suppressWarnings(gc(verbose = FALSE))
    try(DBI::dbExecute(src$con, sql), silent = TRUE)
  }
  invisible()
}

# ---- running queries --------------------------------------------------------

tb_db_try <- function(src, expr) {
  tryCatch(expr, error = function(e) {
    tb_abort(sprintf("The database could not run the query on %s: %s", src$label,
                     conditionMessage(e)), class = "database")
  })
}

tb_db_get <- function(src, sql) tb_db_try(src, DBI::dbGetQuery(src$con, sql))

# Runs `sql` and hands each chunk of at most src$chunk_size rows to f, in
# order. The result set is cleared on exit, error or interrupt (before the
# caller's temporary tables are dropped: SQLite cannot drop them while a
# statement reads them). A diagnostic query cannot run while the result set
# is open (one per connection on SQLite), so f asks for one with
# tb_db_later(): the stream stops, is cleared, and the function is called.
tb_db_stream <- function(src, sql, f, minor = 1e4) {
  res <- tb_db_try(src, DBI::dbSendQuery(src$con, sql))
  open <- TRUE
  on.exit(if (open) try(DBI::dbClearResult(res), silent = TRUE), add = TRUE)
  later <- tryCatch({
    repeat {
      ch <- tb_db_try(src, DBI::dbFetch(res, n = src$chunk_size))
      if (nrow(ch)) f(ch)
      done <- !nrow(ch) || isTRUE(tb_db_try(src, DBI::dbHasCompleted(res)))
      rows <- nrow(ch)
      rm(ch)
      # R collects garbage only when its heap reaches a trigger (64 MB and
      # growing): collect each large chunk's now, so memory stays a chunk's
      tb_db_gc(rows, full = FALSE, minor = minor)
      if (done) break
    }
    NULL
  }, tb_db_later = function(cnd) cnd$fun)
  open <- FALSE
  tb_db_try(src, DBI::dbClearResult(res))
  if (!is.null(later)) later()
  invisible()
}

# Garbage collection after work on `rows` rows (of a chunk, or one column),
# once the garbage since the last collection is enough to matter: a full
# collection (for vectors old enough to have left the young generation)
# after 1e6 rows (8 MB a numeric column), a minor one after `minor` rows (a
# chunk's data frame is about 100-200 bytes a row; a minor collection takes
# 2-7 ms). A full collection after every column cost more than the query:
# it takes about 0.1 s with the package's data and a database driver
# loaded, and 46 collections made 2.2 s of a 4 s call (1e7 events from
# Parquet, by year).
tb_db_gc_rows <- new.env(parent = emptyenv())
tb_db_gc_rows$minor <- 0
tb_db_gc_rows$full <- 0
tb_db_gc <- function(rows, full = TRUE, minor = 1e4) {
  st <- tb_db_gc_rows
  st$minor <- st$minor + rows
  if (full) st$full <- st$full + rows
  if (st$full >= 1e6) {
    tb_collect_garbage(full = TRUE)
    st$full <- 0
    st$minor <- 0
  } else if (st$minor >= minor) {
    tb_collect_garbage(full = FALSE)
    st$minor <- 0
  }
  invisible()
}

tb_db_later <- function(fun) {
  stop(structure(class = c("tb_db_later", "condition"),
                 list(message = "deferred diagnostic query", call = NULL, fun = fun)))
}

# All rows of `sql`, each chunk made compact by conv() (a list of vectors)
# before the next is fetched; the chunks' vectors concatenated.
tb_db_collect <- function(src, sql, conv, empty) {
  parts <- list()
  # a minor collection per 1e5 rows of groups (a chunk of groups is made
  # compact at once; one per chunk of 1e4 took 0.3 s of 100 M events by year)
  tb_db_stream(src, sql, function(ch) parts[[length(parts) + 1L]] <<- conv(ch), minor = 1e5)
  if (!length(parts)) return(empty)
  if (length(parts) == 1L) return(parts[[1L]])
  # column by column, each column's chunks dropped once joined
  out <- list()
  for (j in names(parts[[1L]])) {
    out[[j]] <- do.call(c, lapply(parts, `[[`, j))
    for (i in seq_along(parts)) parts[[i]][j] <- list(NULL)
    tb_db_gc(length(out[[j]]), minor = Inf)  # the chunks' vectors are no longer young
  }
  out
}

# A number from the database as a double (integer64, logical NULLs).
tb_db_dbl <- function(x) {
  if (inherits(x, "integer64")) x <- as.character(x)
  as.double(x)
}

# Codes that are whole numbers as integers (half the memory of doubles;
# tb_event_keys() orders and formats them alike).
tb_db_compact <- function(x) {
  if (inherits(x, "integer64")) x <- tb_db_dbl(x)
  if (is.double(x) && all(is.na(x) | (x == round(x) & abs(x) < .Machine$integer.max))) {
    x <- as.integer(x)
  }
  x
}

# Actor and target codes as the data-frame path keys them (tb_event_keys()):
# character, numbers formatted by as.character() of their common type.
tb_db_keys <- function(a, b) {
  if (inherits(a, "integer64")) a <- tb_db_dbl(a)
  if (inherits(b, "integer64")) b <- tb_db_dbl(b)
  if (is.numeric(a) && is.numeric(b)) {
    ab <- as.character(c(a, b))
    return(list(a = ab[seq_along(a)], b = ab[length(a) + seq_along(b)]))
  }
  list(a = as.character(a), b = as.character(b))
}

# ---- checks whose failures the aggregate counts ----------------------------

# Conditions a row must not meet, as SQL over `ev` (and `cb`, the codebook),
# each with the role it concerns and the message of its error.
tb_db_row_checks <- function(src, form, by, join) {
  k <- src$kinds
  col <- function(r) tb_db_col(src, r)
  out <- list()
  # by_count: relation_scores() with packed quad classes finds these from
  # its NULL keys and counts instead of a per-row flag
  add <- function(role, sql, msg, show = TRUE, by_count = FALSE) {
    out[[length(out) + 1L]] <<- list(role = role, sql = sql, msg = msg, show = show,
                                     by_count = by_count)
  }
  for (r in c("actor", "target")) {
    add(r, sprintf("%s IS NULL", col(r)), "must not contain NULL", show = FALSE, by_count = TRUE)
    if (src$dialect == "sqlite" && all(k[c("actor", "target")] == "number")) {
      add(r, tb_db_not_number(col(r)),
          "mixes numbers and text that is not a number (SQLite keeps each value's type); store the codes as one type")
    }
  }
  if (form == "events") {
    if (join) add("cameo", sprintf("(%s IS NOT NULL AND cb.code IS NULL)", col("cameo")),
                  "holds codes not in the CAMEO codebook (`cameo`)", by_count = TRUE)
    if ("goldstein" %in% names(k)) {
      add("goldstein", sprintf("(%1$s < -10 OR %1$s > 10)", col("goldstein")),
          "must hold Goldstein weights in [-10, 10]")
    }
    if ("quad" %in% names(k)) {
      add("quad", sprintf("(%1$s IS NOT NULL AND %1$s NOT IN (1, 2, 3, 4))", col("quad")),
          "must hold quad classes 1, 2, 3 or 4")
    }
  } else {
    add("year", sprintf("(%1$s IS NOT NULL AND CAST(%1$s AS INTEGER) <> %1$s)", col("year")),
        "must hold whole years")
    if (by == "month") {
      add("month", sprintf("(%1$s IS NULL OR %1$s NOT IN (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12))",
                           col("month")), "must hold months 1 to 12, without NULL")
    }
    for (r in intersect(c(quad_cols, "n_events"), names(k))) {
      add(r, sprintf("(%s < 0)", col(r)), "must hold non-negative counts")
    }
  }
  out
}

# The first row failing a check, as a classed error.
tb_db_explain <- function(src, checks, from_sql, where = NULL) {
  for (ck in checks) {
    w <- paste(c(ck$sql, where), collapse = " AND ")
    v <- tb_db_get(src, sprintf("SELECT DISTINCT %s AS tb_v FROM %s WHERE %s LIMIT 6",
                                tb_db_col(src, ck$role), from_sql, w))$tb_v
    if (!length(v)) next
    if (!ck$show) tb_abort(sprintf("%s %s.", tb_db_what(src, ck$role), ck$msg))
    shown <- if (is.character(v)) tb_db_quote(utils::head(v, 5L)) else
      paste(format(utils::head(tb_db_dbl(v), 5L)), collapse = ", ")
    tb_abort(sprintf("%s %s; found %s%s.", tb_db_what(src, ck$role), ck$msg, shown,
                     if (length(v) > 5L) ", ..." else ""))
  }
  tb_abort(sprintf("%s holds invalid values.", tb_db_cap(src$label)), class = "internal")
}

# The first value of the date column the engine cannot read, as an error.
tb_db_bad_date <- function(src, from_sql, where = NULL) {
  de <- tb_db_dates(src)
  w <- paste(c(sprintf("%s IS NULL", de$year), where), collapse = " AND ")
  v <- tb_db_get(src, sprintf("SELECT %s AS tb_v FROM %s WHERE %s LIMIT 1",
                              tb_db_col(src, "date"), from_sql, w))$tb_v
  if (!length(v)) return(invisible())
  if (is.na(v)) tb_abort(sprintf("%s must not contain NULL dates.", tb_db_what(src, "date")))
  shown <- if (is.character(v)) sprintf("\"%s\"", v) else format(v)
  tb_abort(sprintf("%s holds %s, which the database cannot read as a date in the years 1-9999 (give dates, \"YYYY-MM-DD\" text or days since 1970-01-01).",
                   tb_db_what(src, "date"), shown))
}

# A side (actor or target) as selected. SQLite keeps each value's own type,
# so one column can mix numbers and text, and RSQLite reads a chunk's column
# as the type of its first value (silently 0 for text that is no number):
# both sides are cast to numbers when both columns' first values are
# numbers (with the check below), otherwise to text (whole numbers without
# a decimal point, as R writes them).
tb_db_side <- function(src, role) {
  col <- tb_db_col(src, role)
  if (src$dialect != "sqlite") return(col)
  if (all(src$kinds[c("actor", "target")] == "number")) {
    return(sprintf("CAST(%s AS REAL)", col))
  }
  sprintf("(CASE WHEN typeof(%1$s) = 'real' AND %1$s = CAST(%1$s AS INTEGER) THEN CAST(CAST(%1$s AS INTEGER) AS TEXT) ELSE CAST(%1$s AS TEXT) END)",
          col)
}

# SQL true for a value of a SQLite column of numbers that is not a number.
tb_db_not_number <- function(col) {
  sprintf("(typeof(%1$s) = 'blob' OR (typeof(%1$s) = 'text' AND CAST(CAST(%1$s AS INTEGER) AS TEXT) <> %1$s AND CAST(CAST(%1$s AS REAL) AS TEXT) <> %1$s))",
          col)
}

tb_db_check_years <- function(src, year) {
  bad <- which(year < 1L | year > 9999L)
  if (length(bad)) {
    tb_abort(sprintf("%s must hold dates in the years 1-9999; it holds one in the year %d.",
                     tb_db_what(src, "date"), year[bad[1L]]))
  }
}

# The same for days since 1970-01-01 (a native date type of an engine can
# reach beyond 9999: DuckDB's goes to the year 294247).
tb_db_check_days <- function(src, day) {
  bad <- which(day < tb_day_range[1L] | day > tb_day_range[2L])
  if (length(bad)) {
    tb_abort(sprintf("%s must hold dates in the years 1-9999; it holds one %s days from 1970-01-01.",
                     tb_db_what(src, "date"), format(day[bad[1L]], scientific = FALSE, big.mark = ",")))
  }
}

tb_db_need_sides <- function(src) {
  if (!all(c("actor", "target") %in% names(src$cols))) {
    tb_abort(sprintf("%s must have columns `actor` and `target` (or `ccode1` and `ccode2`), or name them in `columns` of db_events(); it has %s.",
                     tb_db_cap(src$label), tb_db_quote(src$names, "`")))
  }
  for (r in c("actor", "target")) {
    if (!src$kinds[[r]] %in% c("text", "number", "unknown")) {
      tb_abort(sprintf("%s must hold character or integer codes.", tb_db_what(src, r)))
    }
  }
}

# Type checks of the weight, class and code columns.
tb_db_need_kinds <- function(src) {
  k <- src$kinds
  if ("cameo" %in% names(k) && k[["cameo"]] == "number") {
    tb_abort(sprintf("%s must hold character CAMEO codes with their leading zeros (such as \"042\"), not numbers.",
                     tb_db_what(src, "cameo")))
  }
  for (r in intersect(c("goldstein", "quad", "year", "month", quad_cols, "n_events",
                        "goldstein_sum"), names(k))) {
    if (!k[[r]] %in% c("number", "unknown")) {
      tb_abort(sprintf("%s must be numeric.", tb_db_what(src, r)))
    }
  }
}

# ---- relation_scores() --------------------------------------------------------

tb_db_relation_scores <- function(events, by, directed, pack = tb_db_pack) {
  src <- tb_db_source(events)
  by <- tb_check_choice(by, c("year", "month"), "by")
  directed <- tb_check_flag(directed, "directed")
  tb_db_need_sides(src)
  tb_db_need_kinds(src)
  cols <- names(src$cols)
  col <- function(r) tb_db_col(src, r)
  form <- if (all(quad_cols %in% cols)) "counts" else "events"
  join <- FALSE
  if (form == "counts") {
    if (!"year" %in% cols) {
      tb_abort(sprintf("%s holds quad-class counts and must have a `year` column.",
                       tb_db_cap(src$label)))
    }
    if (by == "month" && !"month" %in% cols) {
      tb_abort(sprintf("`by = \"month\"` needs a `month` column; %s holds yearly counts.",
                       src$label))
    }
    p <- if (by == "year") col("year") else sprintf("(%s * 100 + %s)", col("year"), col("month"))
    n <- if ("n_events" %in% cols) col("n_events") else
      sprintf("(%s)", paste(vapply(quad_cols, col, ""), collapse = " + "))
    g <- if ("goldstein_sum" %in% cols) col("goldstein_sum") else NULL
    q <- unname(vapply(quad_cols, col, ""))
  } else {
    if (!"date" %in% cols) {
      tb_abort(sprintf("%s must have a `date` column (events) or the columns %s (quad-class counts); name them in `columns` of db_events().",
                       tb_db_cap(src$label), tb_db_quote(quad_cols, "`")))
    }
    if (!any(c("cameo", "goldstein", "quad") %in% cols)) {
      tb_abort(sprintf("%s must have a `cameo` code or a `goldstein` weight column.",
                       tb_db_cap(src$label)))
    }
    de <- tb_db_dates(src)
    p <- if (by == "year") de$year else de$month
    join <- "cameo" %in% cols
    n <- NULL
    g <- if ("goldstein" %in% cols) col("goldstein") else if (join) "cb.goldstein" else NULL
    qq <- if ("quad" %in% cols) col("quad") else if (join) "cb.quad" else NULL
    q <- if (is.null(qq)) NULL else character(4)
  }
  # With the codebook's quad classes (and no `quad` column), two sums of its
  # packed columns count the four classes: p12 sums to q1 + pack q2, p34 to
  # q3 + pack q4, exactly in any order of addition while the counts are
  # below `pack` (2^26: sums below 2^53). Their total is the number of coded
  # events, which also stands in for the count of non-NULL weights from the
  # codebook and, against the count of non-NULL codes, finds codes not in
  # it; NULL sides show as NULL keys. Two sums and a count in place of six
  # aggregates and a per-row check: 100 M events from Parquet by year took
  # 9.8-10.2 s in DuckDB against 13.7-14.5 s. A group of `pack` events or
  # more runs the query again without packing.
  packed <- form == "events" && join && identical(qq, "cb.quad") && pack > 0
  cb <- if (join) tb_db_codebook(src, if (packed) pack else tb_db_pack) else NULL
  on.exit(tb_db_drop(src, cb), add = TRUE)
  tb_db_upload(src, cb)
  from_sql <- paste0(src$from, " AS ev",
                     if (join) sprintf(" LEFT JOIN %s AS cb ON %s = cb.code", cb$sql, col("cameo")))
  checks <- tb_db_row_checks(src, form, by, join)
  row_checks <- if (packed) {
    Filter(function(ck) !isTRUE(ck$by_count), checks)
  } else {
    checks
  }
  a <- tb_db_side(src, "actor"); b <- tb_db_side(src, "target")
  if (!directed) {
    # any consistent order of the two sides; the C merge orders them as R
    # does. A NULL side stays NULL in one of the two.
    a0 <- a
    a <- sprintf("CASE WHEN %s <= %s THEN %s ELSE %s END", a0, b, a0, b)
    b <- sprintf("CASE WHEN %s <= %s THEN %s ELSE %s END", a0, b, b, a0)
  }
  # inner query: a row per event (or row of counts); outer: a row per
  # dyad-period. NULL makes a sum NA, as NA does in R: counts of the non-NULL
  # values tell (one per measure of counts; one for the weight and one for
  # the quad class of events, whose four sums share it).
  inner <- c(sprintf("%s AS tb_p", p), sprintf("%s AS tb_a", a), sprintf("%s AS tb_b", b))
  outer <- c("tb_p", "tb_a", "tb_b", "COUNT(*) AS tb_rows")
  if (form == "counts") {
    meas <- c(n = n, g = g, q1 = q[1], q2 = q[2], q3 = q[3], q4 = q[4])
    inner <- c(inner, sprintf("%s AS tb_%s", meas, names(meas)))
    outer <- c(outer, sprintf("SUM(tb_%1$s) AS tb_%1$s, COUNT(tb_%1$s) AS tb_%1$s_c",
                              names(meas)))
  } else if (packed) {
    g_cb <- identical(g, "cb.goldstein")
    inner <- c(inner, sprintf("%s AS tb_g", g), "cb.p12 AS tb_p12", "cb.p34 AS tb_p34",
               sprintf("%s AS tb_code", col("cameo")))
    outer <- c(outer, "SUM(tb_g) AS tb_g", if (!g_cb) "COUNT(tb_g) AS tb_g_c",
               "SUM(tb_p12) AS tb_p12", "SUM(tb_p34) AS tb_p34", "COUNT(tb_code) AS tb_code_c")
  } else {
    inner <- c(inner, if (!is.null(g)) sprintf("%s AS tb_g", g),
               if (!is.null(qq)) sprintf("%s AS tb_q", qq))
    outer <- c(outer,
               if (!is.null(g)) "SUM(tb_g) AS tb_g, COUNT(tb_g) AS tb_g_c",
               if (!is.null(qq)) c(sprintf("SUM(CASE WHEN tb_q = %1$d THEN 1 ELSE 0 END) AS tb_q%1$d",
                                           1:4), "COUNT(tb_q) AS tb_q_c"))
  }
  if (length(row_checks)) {
    inner <- c(inner, sprintf("CASE WHEN %s THEN 1 ELSE 0 END AS tb_bad",
                              paste(vapply(row_checks, `[[`, "", "sql"), collapse = " OR ")))
    outer <- c(outer, "MAX(tb_bad) AS tb_bad")
  }
  sql <- sprintf("SELECT %s FROM (SELECT %s FROM %s) AS tb_ev GROUP BY tb_p, tb_a, tb_b",
                 paste(outer, collapse = ", "), paste(inner, collapse = ", "), from_sql)
  vars <- c("n", if (!is.null(g)) "g", if (!is.null(q)) c("q1", "q2", "q3", "q4"))
  flag <- new.env()
  flag$bad <- FALSE
  flag$na <- FALSE
  flag$big <- FALSE
  flag$nakey <- FALSE
  # each chunk as compact vectors: the period code, the sides as they come,
  # sums with their NAs; the checks' flags kept
  conv <- function(ch) {
    if (length(row_checks) && any(tb_db_dbl(ch$tb_bad) > 0)) flag$bad <- TRUE
    pc <- tb_db_dbl(ch$tb_p)
    if (anyNA(pc)) flag$na <- TRUE
    year <- if (by == "year") pc else pc %/% 100
    if (form == "events") tb_db_check_years(src, year[!is.na(year)])
    if (any(abs(year) > 1e8, na.rm = TRUE)) {
      tb_abort(sprintf("%s holds values too large for a year.", tb_db_what(src, "year")))
    }
    rows <- tb_db_dbl(ch$tb_rows)
    out <- list(p = as.integer(if (by == "year") pc else year * 12 + pc %% 100 - 1),
                a = tb_db_compact(ch$tb_a), b = tb_db_compact(ch$tb_b))
    if (packed) {
      # NULL sides, or NaN in a DOUBLE column (no check of the SQL finds it)
      if (anyNA(out$a) || anyNA(out$b)) flag$nakey <- TRUE
      if (any(rows >= pack)) flag$big <- TRUE
      p12 <- tb_db_dbl(ch$tb_p12); p34 <- tb_db_dbl(ch$tb_p34)
      p12[is.na(p12)] <- 0; p34[is.na(p34)] <- 0
      qs <- list(q1 = p12 %% pack, q2 = p12 %/% pack, q3 = p34 %% pack, q4 = p34 %/% pack)
      coded <- qs$q1 + qs$q2 + qs$q3 + qs$q4
      if (!flag$big && any(tb_db_dbl(ch$tb_code_c) > coded)) flag$bad <- TRUE
      ch$tb_g_c <- if (is.null(ch$tb_g_c)) coded else ch$tb_g_c
      ch$tb_q_c <- coded
      for (m in names(qs)) ch[[paste0("tb_", m)]] <- qs[[m]]
    }
    for (m in vars) {
      if (form == "events" && m == "n") {
        out$n <- rows
        next
      }
      v <- tb_db_dbl(ch[[paste0("tb_", m)]])
      nonnull <- if (form == "events" && m != "g") "tb_q_c" else paste0("tb_", m, "_c")
      v[tb_db_dbl(ch[[nonnull]]) < rows] <- NA
      out[[m]] <- v
    }
    out
  }
  empty <- list(p = integer(), a = character(), b = character())
  for (m in vars) empty[[m]] <- double()
  r <- tb_db_collect(src, sql, conv, empty)
  if (flag$big || flag$nakey) {
    # the packed counts may not decode, or a side is NULL or NaN: the query
    # again without packing (its per-row checks name the bad values)
    rm(r)
    return(tb_db_relation_scores(src, by, directed, pack = 0))
  }
  if (flag$bad) tb_db_explain(src, checks, from_sql)
  if (flag$na) {
    if (form == "events") tb_db_bad_date(src, from_sql)
    tb_abort(sprintf("%s must not contain NULL.",
                     tb_db_what(src, if (by == "year") "year" else "month")))
  }
  # numbers stay numbers: tb_event_keys() orders and formats them as in memory
  num <- function(x) if (inherits(x, "integer64")) tb_db_dbl(x) else x
  k <- tb_event_keys(num(r$a), num(r$b), "actor", "target")
  r$a <- k$a; r$b <- k$b
  k$a <- k$b <- NULL
  # the order of the result (period, then the dyad as the C merge orders
  # it), which the merge follows block by block
  lo <- if (directed) r$a else pmin(r$a, r$b)
  o <- order(r$p, lo, if (directed) r$b else pmax(r$a, r$b))
  rm(lo)
  res <- tb_db_merge(r, directed, !is.null(g), !is.null(q), o)
  rm(r, o)
  tb_db_gc(length(res[[1L]]))  # the merged rows, before the result frame is built
  tb_scores_frame(res, k$keys, by)
}

# The C merge (ffi_event_aggregate) of dyad-period rows taken in the order
# `o` of the result (the rows are not reordered: copies of every column
# would be garbage a full collection must find), by blocks of rows: each
# database group is one row, and rows that the merge joins (the same
# dyad-period in R's keys, such as text "2" and the number 2 in one SQLite
# column) are adjacent in that order and kept in one block. The blocks'
# results, in order, fill the result: memory for the rows and the result,
# not for the merge's hash table of every group at once.
tb_db_merge <- function(r, directed, has_g, has_q, o = seq_along(r$p), block = 65536L) {
  n <- length(r$p)
  res <- list(integer(n), integer(n), integer(n), double(n), double(n), double(n),
              double(n), double(n), double(n))
  key <- function(i) {
    i <- o[i]
    a <- r$a[i]; b <- r$b[i]
    if (directed) c(r$p[i], a, b) else c(r$p[i], min(a, b), max(a, b))
  }
  i <- 1L
  filled <- 0L
  while (i <= n) {
    j <- min(n, i + block - 1L)
    while (j < n && identical(key(j), key(j + 1L))) j <- j + 1L
    ix <- o[i:j]
    rb <- .Call(C_ffi_event_aggregate, r$p[ix], r$a[ix], r$b[ix], 0L, directed, r$n[ix],
                if (has_g) r$g[ix] else NULL, NULL,
                if (has_q) list(r$q1[ix], r$q2[ix], r$q3[ix], r$q4[ix]) else NULL)
    m <- length(rb[[1L]])
    at <- filled + seq_len(m)
    for (k in seq_along(res)) res[[k]][at] <- rb[[k]]
    filled <- filled + m
    i <- j + 1L
    rm(rb, at, ix)
    tb_db_gc(m, full = FALSE)  # the block's copies
  }
  if (filled < n) res <- lapply(res, `[`, seq_len(filled))
  res
}

# ---- relation_level() ---------------------------------------------------------

tb_db_relation_level <- function(events, actor, target, start, end, by, decay, baseline,
                                 members, damping) {
  src <- tb_db_source(events)
  members <- tb_check_flag(members, "members")
  by <- tb_check_choice(by, c("month", "year"), "by")
  decay <- tb_check_numeric(decay, "decay", len = 1L, min = 0, max = 1, allow_na = FALSE)
  baseline <- tb_check_numeric(baseline, "baseline", len = 1L, min = -9, max = 9,
                            allow_na = FALSE)
  tb_db_need_sides(src)
  tb_db_need_kinds(src)
  cols <- names(src$cols)
  if (!"date" %in% cols) {
    tb_abort(sprintf("%s must have a `date` column; name it in `columns` of db_events().",
                     tb_db_cap(src$label)))
  }
  if (!any(c("cameo", "goldstein") %in% cols)) {
    tb_abort(sprintf("%s must have a `cameo` code or a `goldstein` weight column.",
                     tb_db_cap(src$label)))
  }
  actor <- tb_level_side(actor, "actor"); target <- tb_level_side(target, "target")
  start <- tb_level_day(start, "start", FALSE); end <- tb_level_day(end, "end", TRUE)
  if (!is.null(start) && !is.null(end) && end < start) {
    tb_abort(sprintf("`end` (%s) must not be before `start` (%s).", format(end), format(start)))
  }
  if (src$level_method == "maps" && members) {
    tb_abort("`members = TRUE` needs `level_method = \"stream\"` in db_events(): bloc membership is checked in R, event by event.")
  }
  if (src$level_method == "maps" && damping == "capped") {
    tb_abort(c("`damping = \"capped\"` (the default) cannot be computed with `level_method = \"maps\"` in db_events(): the maps compose each period's events as affine maps of the score, and the capped damping factor (min(1, (9 - s)/9) for a positive weight) is not affine in it.",
               "Use `level_method = \"stream\"` (exact for both dampings) or `damping = \"linear\"` (the uncapped factor)."))
  }
  join <- !"goldstein" %in% cols
  cb <- if (join) tb_db_codebook(src) else NULL
  on.exit(tb_db_drop(src, cb), add = TRUE)
  tb_db_upload(src, cb)
  q <- list(src = src, join = join, cb = cb, de = tb_db_dates(src),
            sides = tb_db_sides_sql(src, actor, target, members),
            w = if (join) "cb.goldstein" else tb_db_col(src, "goldstein"),
            from = paste0(src$from, " AS ev",
                          if (join) sprintf(" LEFT JOIN %s AS cb ON %s = cb.code", cb$sql,
                                            tb_db_col(src, "cameo"))))
  q$checks <- tb_db_row_checks(src, "events", by, join)
  q$checks <- Filter(function(ck) ck$role != "quad", q$checks)
  if (src$level_method == "maps") {
    return(tb_db_level_maps(q, start, end, by, decay, baseline))
  }
  tb_db_level_stream(q, actor, target, start, end, by, decay, baseline, members,
                     tb_level_capped(damping))
}

# WHERE clause: the sides, and days within [start, end] (or NULL, so that
# missing dates of the selected events are reported, not dropped).
tb_db_level_where <- function(q, start, end) {
  day <- q$de$day
  rng <- c(if (!is.null(start)) sprintf("%s >= %s", day, tb_db_num_sql(unclass(start))),
           if (!is.null(end)) sprintf("%s <= %s", day, tb_db_num_sql(unclass(end))))
  w <- c(q$sides, if (length(rng)) sprintf("(%s IS NULL OR (%s))", day,
                                           paste(rng, collapse = " AND ")))
  if (length(w)) paste(" WHERE", paste(w, collapse = " AND ")) else ""
}

# ORDER BY terms after the day: the `order` columns, or the weight.
tb_db_tiebreak <- function(q, weight) {
  o <- q$src$order
  if (is.null(o)) weight else paste0("ev.", vapply(o, function(v) tb_db_q(q$src, v), ""))
}

# The selected events in date order, chunk by chunk, through the resumable
# C scan. Each chunk is filtered again in R exactly as in memory (bloc
# membership on the event's date when members = TRUE).
tb_db_level_stream <- function(q, actor, target, start, end, by, decay, baseline, members,
                               capped) {
  src <- q$src
  sel <- c(sprintf("%s AS tb_day", q$de$day), sprintf("%s AS tb_actor", tb_db_side(src, "actor")),
           sprintf("%s AS tb_target", tb_db_side(src, "target")), sprintf("%s AS tb_w", q$w),
           if (length(q$checks)) sprintf("CASE WHEN %s THEN 1 ELSE 0 END AS tb_bad",
                                         paste(vapply(q$checks, `[[`, "", "sql"),
                                               collapse = " OR ")))
  sql_for <- function(s, e) {
    sprintf("SELECT %s FROM %s%s ORDER BY %s", paste(sel, collapse = ", "), q$from,
            tb_db_level_where(q, s, e),
            paste(c("tb_day", tb_db_tiebreak(q, "tb_w")), collapse = ", "))
  }
  on_side <- function(keys, side, date) {
    if (is.null(side)) return(rep(TRUE, length(keys)))
    hit <- keys %in% side
    if (members) hit <- hit | tb_bloc_member_on(keys, date, side)
    hit
  }
  # the kept events of a chunk: dates and weights, after the checks
  kept <- function(ch, s, e) {
    day <- tb_db_dbl(ch$tb_day)
    if (anyNA(day)) tb_db_later(function() tb_db_bad_date(src, q$from, q$sides))
    tb_db_check_days(src, day[!is.na(day)])
    ks <- tb_db_keys(ch$tb_actor, ch$tb_target)
    date <- structure(floor(day), class = "Date")
    keep <- (on_side(ks$a, actor, date) & on_side(ks$b, target, date)) |
      (on_side(ks$b, actor, date) & on_side(ks$a, target, date))
    if (!is.null(s)) keep <- keep & date >= s
    if (!is.null(e)) keep <- keep & date <= e
    if (length(q$checks) && any(ch$tb_bad[keep] == 1)) {
      tb_db_later(function() tb_db_explain(src, q$checks, q$from, q$sides))
    }
    list(date = date[keep], w = tb_db_dbl(ch$tb_w)[keep])
  }
  first <- start
  period <- 1L; score <- baseline; closed <- list(); counts <- integer(); last <- NULL
  tb_db_stream(src, sql_for(start, end), function(ch) {
    k <- kept(ch, start, end)
    if (!length(k$date)) return()
    if (is.null(first)) first <<- tb_check_date_range(k$date[1L], "events$date")
    pidx <- tb_level_pidx(k$date, first, by)
    r <- .Call(C_ffi_relation_level_resume, as.integer(pidx), k$w, period, score,
               as.integer(pidx[length(pidx)]), decay, baseline, capped)
    closed[[length(closed) + 1L]] <<- r$closed
    period <<- r$period; score <<- r$score
    tab <- tabulate(pidx)
    if (length(tab) > length(counts)) counts <<- c(counts, integer(length(tab) - length(counts)))
    counts[seq_along(tab)] <<- counts[seq_along(tab)] + tab
    last <<- k$date[length(k$date)]
  })
  if (is.null(last) && (is.null(start) || is.null(end))) {
    # nothing within the bounds: find the selected events' span, as the
    # data-frame path would, to say why
    lo <- NULL; hi <- NULL
    tb_db_stream(src, sql_for(NULL, NULL), function(ch) {
      k <- kept(ch, NULL, NULL)
      if (!length(k$date)) return()
      if (is.null(lo)) lo <<- k$date[1L]
      hi <<- k$date[length(k$date)]
    })
    if (is.null(lo)) {
      tb_abort("No events between `actor` and `target`; give `start` and `end` to get a flat series.")
    }
    if (is.null(start)) start <- lo
    if (is.null(end)) end <- hi
    tb_abort(sprintf("`end` (%s) must not be before `start` (%s).", format(end), format(start)))
  }
  if (is.null(first)) first <- start
  if (is.null(end)) end <- last
  if (end < first) {
    tb_abort(sprintf("`end` (%s) must not be before `start` (%s).", format(end), format(first)))
  }
  periods <- tb_level_periods(first, end, by)
  np <- length(periods)
  r <- .Call(C_ffi_relation_level_resume, integer(), double(), period, score,
             as.integer(np + 1L), decay, baseline, capped)
  score <- c(unlist(closed), r$closed)
  tb_level_frame(periods, c(counts, integer(np - length(counts))), score, by)
}

# The natural logarithm's name on an SQLite connection: ln() when the
# library has its math functions, else log() from RSQLite's math extension.
tb_db_sqlite_ln <- function(con) {
  ok <- tryCatch({
    DBI::dbGetQuery(con, "SELECT ln(1.0) AS x")
    TRUE
  }, error = function(e) FALSE)
  if (ok) return("ln")
  tb_db_need("RSQLite")
  RSQLite::initExtension(con, "math")
  "log"
}

# relation_level() from one affine map per period, composed in SQL (for
# damping = "linear" only: the capped factor is piecewise, not affine). An
# event of weight g maps s to (1 - |g|/9) s + g when |g| < 9 and to
# sign(g) * 9 otherwise (a reset). After a period's last reset, event i
# contributes g_i times the product of the later factors, exp(sum of their
# logs): a window sum over the events after it in date (tie-break) order.
tb_db_level_maps <- function(q, start, end, by, decay, baseline) {
  src <- q$src
  ln <- switch(src$dialect, sqlite = tb_db_sqlite_ln(src$con), "LN")
  p <- if (by == "year") q$de$year else q$de$month
  ord <- if (is.null(src$order)) "tb_w" else sprintf("tb_o%d", seq_along(src$order))
  f <- c(sprintf("%s AS tb_p", p), sprintf("%s AS tb_day", q$de$day), sprintf("%s AS tb_w", q$w),
         if (!is.null(src$order)) sprintf("%s AS %s", tb_db_tiebreak(q, NULL), ord),
         if (length(q$checks)) sprintf("CASE WHEN %s THEN 1 ELSE 0 END AS tb_bad",
                                       paste(vapply(q$checks, `[[`, "", "sql"),
                                             collapse = " OR ")) else "0 AS tb_bad")
  win <- sprintf("OVER (PARTITION BY tb_p ORDER BY %s ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)",
                 paste(c("tb_day", ord), collapse = ", "))
  after0 <- "COALESCE(tb_ra, 0) = 0"
  sql <- paste0(
    "SELECT tb_p, COUNT(*) AS tb_n, COUNT(tb_w) AS tb_nw, MIN(tb_day) AS tb_first, ",
    "MAX(tb_day) AS tb_last, SUM(tb_bad) AS tb_bad, ",
    "MAX(CASE WHEN tb_rst = 1 AND ", after0, " THEN 1 ELSE 0 END) AS tb_reset, ",
    "SUM(CASE WHEN tb_rst = 0 AND ", after0, " THEN tb_la ELSE 0 END) AS tb_loga, ",
    "SUM(CASE WHEN ", after0, " THEN (CASE WHEN tb_rst = 1 THEN (CASE WHEN tb_w > 0 THEN 9.0 ELSE -9.0 END) ",
    "ELSE tb_w END) * EXP(COALESCE(tb_la_after, 0)) ELSE 0 END) AS tb_b ",
    "FROM (SELECT tb_p, tb_day, tb_w, tb_bad, tb_rst, tb_la, SUM(tb_rst) ", win, " AS tb_ra, ",
    "SUM(tb_la) ", win, " AS tb_la_after FROM (",
    "SELECT tb_f.*, CASE WHEN tb_w >= 9 OR tb_w <= -9 THEN 1 ELSE 0 END AS tb_rst, ",
    "CASE WHEN tb_w > -9 AND tb_w < 9 THEN ", ln, "(1.0 - ABS(tb_w) / 9.0) END AS tb_la ",
    "FROM (SELECT ", paste(f, collapse = ", "), " FROM ", q$from,
    tb_db_level_where(q, start, end), ") AS tb_f) AS tb_e) AS tb_s GROUP BY tb_p")
  r <- tb_db_get(src, sql)
  if (sum(tb_db_dbl(r$tb_bad)) > 0) tb_db_explain(src, q$checks, q$from, q$sides)
  if (anyNA(r$tb_p)) tb_db_bad_date(src, q$from, q$sides)
  tb_db_check_days(src, c(tb_db_dbl(r$tb_first), tb_db_dbl(r$tb_last)))
  pc <- tb_db_dbl(r$tb_p)
  if (!nrow(r) && (is.null(start) || is.null(end))) {
    w <- if (is.null(q$sides)) "" else paste(" WHERE", q$sides)
    span <- tb_db_get(src, sprintf("SELECT MIN(%1$s) AS lo, MAX(%1$s) AS hi FROM %2$s%3$s",
                                   q$de$day, q$from, w))
    if (is.na(span$lo)) {
      tb_abort("No events between `actor` and `target`; give `start` and `end` to get a flat series.")
    }
    if (is.null(start)) start <- structure(tb_db_dbl(span$lo), class = "Date")
    if (is.null(end)) end <- structure(tb_db_dbl(span$hi), class = "Date")
    tb_abort(sprintf("`end` (%s) must not be before `start` (%s).", format(end), format(start)))
  }
  if (is.null(start)) start <- structure(min(tb_db_dbl(r$tb_first)), class = "Date")
  if (is.null(end)) end <- structure(max(tb_db_dbl(r$tb_last)), class = "Date")
  if (end < start) {
    tb_abort(sprintf("`end` (%s) must not be before `start` (%s).", format(end), format(start)))
  }
  periods <- tb_level_periods(start, end, by)
  np <- length(periods)
  lt0 <- as.POSIXlt(start)
  y0 <- lt0$year + 1900
  pidx <- if (by == "year") pc - y0 + 1 else
    (pc %/% 100 - y0) * 12 + (pc %% 100 - 1 - lt0$mon) + 1
  i <- match(seq_len(np), pidx)
  n <- tb_db_dbl(r$tb_n); nw <- tb_db_dbl(r$tb_nw); rs <- tb_db_dbl(r$tb_reset)
  a <- exp(tb_db_dbl(r$tb_loga)); bb <- tb_db_dbl(r$tb_b)
  score <- numeric(np)
  s <- baseline
  for (k in seq_len(np)) {
    if (k > 1L && !is.na(s)) s <- baseline + (s - baseline) * (1 - decay)
    j <- i[k]
    if (!is.na(j) && !is.na(s)) {
      s <- if (nw[j] < n[j]) NA_real_ else if (rs[j] > 0) bb[j] else a[j] * s + bb[j]
      if (!is.na(s)) s <- min(9, max(-9, s))
    }
    score[k] <- s
  }
  tb_level_frame(periods, as.integer(ifelse(is.na(i), 0, n[i])), score, by)
}
