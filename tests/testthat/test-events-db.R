# relation_scores() and relation_level() on database tables (R/events-db.R)
# against the in-memory results on random event sets: counts exactly, sums
# and levels to 1e-12 (streamed levels exactly); SQLite always, DuckDB when
# installed. Bad input, cleanup of temporary tables on error and interrupt.

db_cameo <- function() {
  env <- new.env()
  utils::data("cameo", package = "threatbalance", envir = env)
  env$cameo
}

# Connections of the backends installed here.
db_backends <- function() {
  out <- list()
  if (requireNamespace("DBI", quietly = TRUE) && requireNamespace("RSQLite", quietly = TRUE)) {
    out$sqlite <- function() DBI::dbConnect(RSQLite::SQLite(), ":memory:")
  }
  # duckdb is an optional peer, not in Suggests (see README): named by a
  # variable so R CMD check does not take it for an undeclared dependency
  duck <- "duckdb"
  if (requireNamespace("DBI", quietly = TRUE) && requireNamespace(duck, quietly = TRUE)) {
    out$duckdb <- function() DBI::dbConnect(getExportedValue(duck, "duckdb")())
  }
  out
}

local_db <- function(backend = "sqlite", env = parent.frame()) {
  mk <- db_backends()[[backend]]
  if (is.null(mk)) skip(sprintf("%s is not installed", backend))
  con <- mk()
  withr::defer(DBI::dbDisconnect(con, shutdown = TRUE), envir = env)
  con
}

# Random events: same-day ties (few days), NA codes, character or integer
# actors, a unique id.
db_random_events <- function(n, days = 700, numeric_actors = FALSE, na = TRUE) {
  cam <- db_cameo()
  actors <- if (numeric_actors) c(2L, 20L, 200L, 290L, 365L, 710L) else
    c("2", "710", "365", "NATO", "20", "290")
  ev <- data.frame(id = sample.int(n),
                   date = as.Date("1998-11-15") + sample.int(days, n, replace = TRUE) - 1L,
                   actor = sample(actors, n, replace = TRUE),
                   target = sample(actors, n, replace = TRUE),
                   cameo = sample(cam$code, n, replace = TRUE), stringsAsFactors = FALSE)
  if (na && n > 3) ev$cameo[sample.int(n, max(1L, n %/% 40))] <- NA
  ev
}

# Writes events to `name` with the dates stored as `dates`: "days" (numbers
# of days since 1970-01-01: how dbWriteTable() stores an R Date in SQLite;
# a DOUBLE column elsewhere), "text" (ISO), "mixed" (SQLite: numbers, ISO
# text and text with a time in one column), "native" (a date type).
db_write <- function(con, name, ev, dates) {
  if (dates == "text") ev$date <- format(ev$date)
  if (dates == "days") ev$date <- as.numeric(ev$date)
  if (dates != "mixed") {
    DBI::dbWriteTable(con, name, ev, overwrite = TRUE)
    return(invisible())
  }
  DBI::dbWriteTable(con, "tmp_days", ev, overwrite = TRUE)
  if (DBI::dbExistsTable(con, name)) DBI::dbRemoveTable(con, name)
  cols <- setdiff(names(ev), "date")
  DBI::dbExecute(con, sprintf("CREATE TABLE %s (date, %s)", name, paste(cols, collapse = ", ")))
  DBI::dbExecute(con, sprintf(
    "INSERT INTO %s SELECT CASE id %% 3 WHEN 0 THEN date WHEN 1 THEN date(date + 2440587.5)
     ELSE date(date + 2440587.5) || ' 12:34:56' END, %s FROM tmp_days",
    name, paste(cols, collapse = ", ")))
  DBI::dbRemoveTable(con, "tmp_days")
  invisible()
}

db_date_kinds <- function(backend) {
  if (backend == "sqlite") c("days", "text", "mixed") else c("native", "text", "days")
}

# Counts exactly, sums and derived scores to 1e-12.
expect_scores_equal <- function(got, ref, info) {
  exact <- intersect(c("year", "month", "actor", "target", "n_events", "verb_coop", "matl_coop",
                       "verb_conf", "matl_conf", "net_coop"), names(ref))
  expect_identical(names(got), names(ref), info = info)
  expect_identical(got[exact], ref[exact], info = info)
  sums <- c("goldstein_sum", "goldstein_mean", "coop_share", "conflict_weighted")
  expect_equal(got[sums], ref[sums], tolerance = 1e-12, info = info)
}

# The database holds nothing new: same tables, no temporary ones.
expect_db_untouched <- function(con, tables) {
  expect_identical(sort(DBI::dbListTables(con)), sort(tables))
  if (inherits(con, "SQLiteConnection")) {
    expect_identical(nrow(DBI::dbGetQuery(con, "SELECT name FROM sqlite_temp_master")), 0L)
  }
}

db_scores_check <- function(backend) {
  con <- local_db(backend)
  set.seed(1801)
  runs <- 0L
  for (it in 1:8) {
    n <- c(1, 3, 60, 400, 1500)[(it - 1L) %% 5L + 1L]
    ev <- db_random_events(n, days = if (it %% 2) 60 else 900, numeric_actors = it %% 3 == 0)
    for (dates in db_date_kinds(backend)) {
      db_write(con, "ev", ev, dates)
      src <- db_events(con, "ev", chunk_size = if (n < 100) 7 else 1e5)
      for (by in c("year", "month")) for (directed in c(TRUE, FALSE)) {
        info <- sprintf("%s it %d n %d %s by %s directed %s", backend, it, n, dates, by, directed)
        expect_scores_equal(relation_scores(src, by = by, directed = directed),
                            relation_scores(ev, by = by, directed = directed), info)
        runs <- runs + 1L
      }
    }
  }
  # a Goldstein and a quad column beside the code, with NA weights
  ev <- db_random_events(500)
  cam <- db_cameo()
  ev$goldstein <- cam$goldstein[match(ev$cameo, cam$code)] / 2
  ev$goldstein[c(3, 9)] <- NA
  ev$quad <- cam$quad[match(ev$cameo, cam$code)]
  ev$cameo <- NULL
  db_write(con, "evg", ev, db_date_kinds(backend)[1L])
  for (cols in list(c("goldstein", "quad"), "goldstein", "quad")) {
    e <- ev[c("date", "actor", "target", cols)]
    DBI::dbWriteTable(con, "evg2", e, overwrite = TRUE)
    for (by in c("year", "month")) {
      expect_scores_equal(relation_scores(db_events(con, "evg2"), by = by),
                          relation_scores(e, by = by), paste(backend, cols, by))
    }
  }
  # quad-class counts (ICEWS dyad-years), yearly
  env <- new.env()
  utils::data("icews_dyads", package = "threatbalance", envir = env)
  cnt <- env$icews_dyads[sample.int(nrow(env$icews_dyads), 3000), ]
  DBI::dbWriteTable(con, "cnt", cnt, overwrite = TRUE)
  for (directed in c(TRUE, FALSE)) {
    expect_scores_equal(relation_scores(db_events(con, "cnt"), directed = directed),
                        relation_scores(cnt, directed = directed), paste(backend, "counts"))
  }
  runs
}

test_that("relation_scores on SQLite equals the in-memory result (counts exactly, sums to 1e-12)", {
  runs <- db_scores_check("sqlite")
  expect_gt(runs, 90L)
})

test_that("relation_scores on DuckDB equals the in-memory result", {
  skip_if_not_installed("duckdb")
  expect_gt(db_scores_check("duckdb"), 50L)
})

# relation_scores() counts the quad classes of the codebook with two packed
# sums (counts below a field of 2^26); a dyad-period of that many events or
# more runs the query unpacked. A field of 4 exercises both, and the checks
# the packed query makes from counts and NULL keys.
db_packed_check <- function(backend) {
  con <- local_db(backend)
  set.seed(1803)
  scores <- get("tb_db_relation_scores", asNamespace("threatbalance"))
  for (it in 1:4) {
    ev <- db_random_events(c(40, 300, 2, 900)[it], days = 400, numeric_actors = it %% 2 == 0,
                           na = it != 2)
    db_write(con, "ev", ev, db_date_kinds(backend)[1L])
    src <- db_events(con, "ev")
    for (pack in c(4, 2^26, 0)) for (directed in c(TRUE, FALSE)) {
      expect_scores_equal(scores(src, "month", directed, pack = pack),
                          relation_scores(ev, by = "month", directed = directed),
                          sprintf("%s it %d pack %g directed %s", backend, it, pack, directed))
    }
  }
  ev <- db_random_events(50, na = FALSE)
  bad <- list(cameo = "999", actor = NA, target = NA)
  for (col in names(bad)) {
    e <- ev
    e[[col]][7] <- bad[[col]]
    db_write(con, "evbad", e, db_date_kinds(backend)[1L])
    for (pack in c(4, 2^26, 0)) for (directed in c(TRUE, FALSE)) {
      expect_error(scores(db_events(con, "evbad"), "year", directed, pack = pack),
                   if (col == "cameo") "not in the CAMEO codebook" else "must not contain NULL",
                   class = "threatbalance_error")
    }
  }
  # NaN in a DOUBLE side column (DuckDB keeps it; SQLite stores NULL): no
  # SQL check finds it, the unpacked query's keys do, as an input error
  e <- db_random_events(50, na = FALSE, numeric_actors = TRUE)[c("date", "actor", "target", "cameo")]
  e$actor <- as.double(e$actor)
  e$target <- as.double(e$target)
  e$actor[7] <- NaN
  db_write(con, "evnan", e, db_date_kinds(backend)[1L])
  for (directed in c(TRUE, FALSE)) {
    expect_error(relation_scores(db_events(con, "evnan"), directed = directed),
                 "must not contain", class = "threatbalance_error_input")
  }
  # the result's attributes in the order of the in-memory result
  x <- relation_scores(db_events(con, "ev"))
  expect_identical(names(attributes(x)), names(attributes(relation_scores(ev))))
  expect_db_untouched(con, c("ev", "evbad", "evnan"))
}

test_that("packed quad-class sums: exact, unpacked again for large groups, checks by counts", {
  db_packed_check("sqlite")
})

test_that("packed quad-class sums on DuckDB", {
  skip_if_not_installed("duckdb")
  db_packed_check("duckdb")
})

# In-memory reference of a table's level: rows in the table's same-date
# order (the `order` column, or the Goldstein weight).
db_level_ref <- function(ev, ..., order = NULL) {
  cam <- db_cameo()
  w <- if ("goldstein" %in% names(ev)) ev$goldstein else cam$goldstein[match(ev$cameo, cam$code)]
  o <- if (is.null(order)) base::order(ev$date, w) else base::order(ev$date, ev[[order]])
  relation_level(ev[o, ], ...)
}

db_level_check <- function(backend) {
  con <- local_db(backend)
  set.seed(1802)
  runs <- 0L
  for (it in 1:6) {
    n <- c(5, 80, 600, 2000)[(it - 1L) %% 4L + 1L]
    ev <- db_random_events(n, days = if (it %% 2) 50 else 1500, na = it %% 4 == 0)
    dates <- db_date_kinds(backend)[(it - 1L) %% length(db_date_kinds(backend)) + 1L]
    db_write(con, "ev", ev, dates)
    decay <- if (it %% 3) stats::runif(1) else 0
    baseline <- stats::runif(1, -9, 9)
    # the stream under both dampings (every pairing with the chunk size
    # over the iterations), the maps under the linear one they compose
    stream_damping <- c("capped", "linear")[(it %/% 2L) %% 2L + 1L]
    for (order in list(NULL, "id")) {
      for (method in c("stream", "maps")) {
        src <- db_events(con, "ev", order = order, level_method = method,
                         chunk_size = if (it %% 2) 3 else 1e5)
        damping <- if (method == "stream") stream_damping else "linear"
        if (method == "maps") {
          expect_error(relation_level(src, "710", "2", damping = "capped"), "level_method",
                       class = "threatbalance_error_input")
        }
        args <- list(list(actor = "710", target = c("2", "NATO")),
                     list(actor = "2", target = NULL, start = "1999-01-10", end = 2003),
                     list(actor = NULL, target = NULL, start = "1998-12-01"),
                     list(actor = "NATO", target = "365", end = "2000-06-30"))
        for (a in args) for (by in c("month", "year")) {
          a2 <- c(a, list(by = by, decay = decay, baseline = baseline, damping = damping))
          ref <- tryCatch(do.call(db_level_ref, c(list(ev), a2, list(order = order))),
                          threatbalance_error = function(e) e)
          got <- tryCatch(do.call(relation_level, c(list(src), a2)),
                          threatbalance_error = function(e) e)
          info <- sprintf("%s it %d %s %s %s order %s by %s %s", backend, it, dates, method,
                          damping, format(order), by, paste(deparse(a), collapse = ""))
          if (inherits(ref, "error")) {
            expect_s3_class(got, "threatbalance_error_input")
            expect_identical(conditionMessage(got), conditionMessage(ref), info = info)
            next
          }
          if (method == "stream") {
            expect_identical(got, ref, info = info)
          } else {
            expect_identical(got[c("period", "n_events")], ref[c("period", "n_events")],
                             info = info)
            expect_equal(got$score, ref$score, tolerance = 1e-12, info = info)
          }
          runs <- runs + 1L
        }
      }
    }
  }
  runs
}

test_that("relation_level on SQLite equals the in-memory level (streamed exactly, maps to 1e-12)", {
  expect_gt(db_level_check("sqlite"), 150L)
})

test_that("relation_level on DuckDB equals the in-memory level", {
  skip_if_not_installed("duckdb")
  expect_gt(db_level_check("duckdb"), 150L)
})

test_that("DuckDB over Parquet files, as in the README's recipe", {
  skip_if_not_installed("duckdb")
  con <- local_db("duckdb")
  set.seed(1807)
  ref <- db_random_events(2000, days = 3000, numeric_actors = TRUE)
  ren <- data.frame(event_id = ref$id, event_date = ref$date, source_country = ref$actor,
                    target_country = ref$target, cameo_code = ref$cameo)
  dir <- withr::local_tempdir()
  dir.create(file.path(dir, "icews"))
  DBI::dbWriteTable(con, "ren", ren)
  # two files, read by one glob
  for (half in 1:2) {
    DBI::dbExecute(con, sprintf(
      "COPY (SELECT * FROM ren WHERE event_id %% 2 = %d) TO '%s' (FORMAT PARQUET)",
      half - 1L, file.path(dir, "icews", sprintf("part-%d.parquet", half))))
  }
  DBI::dbRemoveTable(con, "ren")
  ev <- db_events(con, DBI::SQL(sprintf("read_parquet('%s')",
                                        file.path(dir, "icews", "*.parquet"))),
                  columns = c(date = "event_date", actor = "source_country",
                              target = "target_country", cameo = "cameo_code"))
  for (by in c("year", "month")) {
    expect_scores_equal(relation_scores(ev, by = by), relation_scores(ref, by = by),
                        paste("parquet", by))
  }
  expect_identical(relation_level(ev, "710", "2"), db_level_ref(ref, "710", "2"))
  expect_identical(DBI::dbListTables(con), character())
  # with a same-date order and the maps
  ev2 <- db_events(con, DBI::SQL(sprintf("read_parquet('%s')",
                                         file.path(dir, "icews", "*.parquet"))),
                   columns = c(date = "event_date", actor = "source_country",
                               target = "target_country", cameo = "cameo_code"),
                   order = "event_id", level_method = "maps")
  expect_equal(relation_level(ev2, "710", "2", damping = "linear")$score,
               db_level_ref(ref, "710", "2", order = "id", damping = "linear")$score,
               tolerance = 1e-12)
})

test_that("DuckDB: lazy tables, SQL queries and bad values give the SQLite results and errors", {
  skip_if_not_installed("duckdb")
  con <- local_db("duckdb")
  ei <- "threatbalance_error_input"
  set.seed(1808)
  ev <- db_random_events(300)
  DBI::dbWriteTable(con, "ev", ev)
  expect_scores_equal(relation_scores(db_events(con, DBI::SQL("SELECT * FROM ev WHERE actor <> '2'"))),
                      relation_scores(ev[ev$actor != "2", ]), "duckdb SQL query")
  # duckdb 2.0 warns when it meets a dbplyr older than 2.6 (Debian 12 has
  # 2.3); the package writes its own SQL, so the lazy table works either way
  if (suppressWarnings(requireNamespace("dbplyr", quietly = TRUE))) {
    lazy <- dplyr::filter(dplyr::tbl(con, "ev"), actor != "365")
    sub <- ev[ev$actor != "365", ]
    expect_scores_equal(relation_scores(lazy, by = "month", directed = TRUE),
                        relation_scores(sub, by = "month", directed = TRUE), "duckdb lazy")
    expect_identical(relation_level(db_events(lazy, order = "id"), "710", "NATO"),
                     db_level_ref(sub, "710", "NATO", order = "id"))
  }
  tables <- DBI::dbListTables(con)
  put <- function(name, df) DBI::dbWriteTable(con, name, df, overwrite = TRUE)
  expect_error(db_events(con, "nope"), "no table `nope`", class = ei)
  e <- ev; e$date <- format(e$date); e$date[7] <- "2001-13-45"; put("bad", e)
  expect_error(relation_scores(db_events(con, "bad")), "\"2001-13-45\"", class = ei)
  e$actor <- "710"; e$target <- "2"; put("bad", e)
  expect_error(relation_level(db_events(con, "bad"), "710", "2"), "\"2001-13-45\"",
               class = ei)
  e <- ev; e$date[3] <- NA; put("bad", e)
  expect_error(relation_scores(db_events(con, "bad")), "NULL dates", class = ei)
  # days beyond DuckDB's dates: NULL (then the error naming them), not an
  # overflow of the engine's date arithmetic
  for (v in c(1e9, -1e9, 3e6)) {
    e <- ev; e$date <- as.numeric(e$date); e$date[5] <- v; put("bad", e)
    expect_error(relation_scores(db_events(con, "bad")), "cannot read as a date", class = ei)
    e$actor <- "710"; e$target <- "2"; put("bad", e)
    expect_error(relation_level(db_events(con, "bad"), "710", "2"), "cannot read as a date",
                 class = ei)
  }
  # a native DuckDB date beyond 9999 (its dates reach the year 294247): the
  # streamed and maps levels used to build a monthly grid to that year
  DBI::dbExecute(con, paste(
    "CREATE OR REPLACE TABLE bad AS SELECT CASE WHEN i = 4 THEN DATE '20000-01-01'",
    "ELSE DATE '2000-01-01' + CAST(i AS INTEGER) END AS date, '710' AS actor, '2' AS target,",
    "'042' AS cameo FROM range(10) AS t(i)"))
  expect_error(relation_scores(db_events(con, "bad")), "in the year 20000", class = ei)
  expect_error(relation_level(db_events(con, "bad"), "710", "2"), "6,585,322 days", class = ei)
  expect_error(relation_level(db_events(con, "bad", level_method = "maps"), "710", "2",
                              damping = "linear"), "6,585,322 days", class = ei)
  e <- ev; e$cameo[c(2, 8)] <- c("999", "0000"); put("bad", e)
  expect_error(relation_scores(db_events(con, "bad")), "\"0000\", \"999\"|\"999\", \"0000\"",
               class = ei)
  e <- ev; e$goldstein <- 1; e$goldstein[6] <- 12; put("bad", e)
  expect_error(relation_scores(db_events(con, "bad")), "\\[-10, 10\\]; found 12", class = ei)
  DBI::dbRemoveTable(con, "bad")
  expect_identical(sort(DBI::dbListTables(con)), sort(tables))
})

test_that("maps reset at |weight| >= 9 and agree with the stream on long periods", {
  con <- local_db()
  set.seed(1803)
  n <- 5000
  ev <- data.frame(id = seq_len(n), date = as.Date("2001-01-01") + sample.int(60, n, TRUE),
                   actor = "a", target = "b",
                   goldstein = round(sample(c(stats::runif(n, -10, 10), -10, -9, 9, 10), n), 1))
  DBI::dbWriteTable(con, "ev", ev)
  for (o in list(NULL, "id")) {
    s <- relation_level(db_events(con, "ev", order = o), by = "month", decay = 0.2,
                        damping = "linear")
    m <- relation_level(db_events(con, "ev", order = o, level_method = "maps"), by = "month",
                        decay = 0.2, damping = "linear")
    expect_equal(m$score, s$score, tolerance = 1e-12)
    expect_identical(s$score, db_level_ref(ev, by = "month", decay = 0.2, order = o,
                                           damping = "linear")$score)
    for (d in c("capped", "linear")) {
      expect_identical(relation_level(db_events(con, "ev", order = o, chunk_size = 777),
                                      damping = d),
                       db_level_ref(ev, damping = d, order = o))
    }
  }
})

test_that("relation_level(members = TRUE) on a table counts members' events on their dates", {
  con <- local_db()
  ev <- data.frame(id = 1:6,
                   date = as.Date(c("1998-06-01", "1999-06-01", "2005-06-01", "2005-07-01",
                                    "2005-07-01", "2006-01-01")),
                   actor = c("710", "710", "290", "2", "710", "710"),
                   target = c("290", "NATO", "710", "710", "255", "365"),
                   goldstein = c(5, -4, 3, 2, -1, 7))
  DBI::dbWriteTable(con, "ev", ev)
  for (cs in c(1, 100)) {
    src <- db_events(con, "ev", chunk_size = cs)
    for (by in c("year", "month")) {
      got <- relation_level(src, "710", "NATO", by = by, members = TRUE)
      expect_identical(got, db_level_ref(ev, "710", "NATO", by = by, members = TRUE))
    }
  }
  expect_equal(sum(relation_level(db_events(con, "ev"), "710", "NATO", members = TRUE)$n_events), 4L)
  expect_error(relation_level(db_events(con, "ev", level_method = "maps"), "710", "NATO",
                              members = TRUE), "stream", class = "threatbalance_error_input")
})

test_that("column names, ccode1/ccode2, Id and SQL tables, lazy tables", {
  con <- local_db()
  set.seed(1804)
  ev <- db_random_events(300)
  ren <- setNames(ev, c("event_id", "event_date", "source", "tgt", "code"))
  DBI::dbWriteTable(con, "renamed", ren)
  src <- db_events(con, "renamed", columns = c(date = "event_date", actor = "source",
                                               target = "tgt", cameo = "code"),
                   order = "event_id")
  expect_output(print(src), "date = event_date")
  expect_scores_equal(relation_scores(src, by = "month"), relation_scores(ev, by = "month"),
                      "renamed")
  expect_identical(relation_level(src, "710", "2"),
                   db_level_ref(ev, "710", "2", order = "id"))
  cc <- setNames(ev, c("id", "date", "ccode1", "ccode2", "cameo"))
  DBI::dbWriteTable(con, "cc", cc)
  expect_scores_equal(relation_scores(db_events(con, DBI::Id(table = "cc"))),
                      relation_scores(ev), "ccode1/ccode2")
  expect_scores_equal(relation_scores(db_events(con, DBI::SQL("SELECT * FROM cc WHERE ccode1 <> '2'"))),
                      relation_scores(ev[ev$actor != "2", ]), "SQL query")
  skip_if_not_installed("dbplyr")
  DBI::dbWriteTable(con, "ev", ev)
  lazy <- dplyr::filter(dplyr::tbl(con, "ev"), actor != "365")
  sub <- ev[ev$actor != "365", ]
  expect_scores_equal(relation_scores(lazy, by = "month", directed = TRUE),
                      relation_scores(sub, by = "month", directed = TRUE), "lazy")
  expect_identical(relation_level(lazy, "710", "NATO"), db_level_ref(sub, "710", "NATO"))
  expect_identical(relation_level(db_events(lazy, order = "id"), "710", "NATO"),
                   db_level_ref(sub, "710", "NATO", order = "id"))
  expect_error(db_events(lazy, table = "ev"), "`table`", class = "threatbalance_error_input")
})

test_that("one code stored as text and as a number in SQLite is one key, merged in C", {
  con <- local_db()
  set.seed(1806)
  ev <- db_random_events(400, numeric_actors = TRUE, na = FALSE)
  DBI::dbWriteTable(con, "typed", ev)
  DBI::dbExecute(con, "CREATE TABLE mixed (id, date, actor, target, cameo)")
  # every third row's sides as text: '2' and 2 are different values in SQL
  DBI::dbExecute(con, "INSERT INTO mixed SELECT id, date,
    CASE id % 3 WHEN 0 THEN CAST(actor AS TEXT) ELSE actor END,
    CASE id % 2 WHEN 0 THEN CAST(target AS TEXT) ELSE target END, cameo FROM typed")
  chr <- transform(ev, actor = as.character(actor), target = as.character(target))
  for (by in c("year", "month")) for (directed in c(TRUE, FALSE)) {
    for (cs in c(5, 1e4)) {
      expect_scores_equal(relation_scores(db_events(con, "mixed", chunk_size = cs), by = by,
                                          directed = directed),
                          relation_scores(chr, by = by, directed = directed),
                          paste("mixed", by, directed, cs))
    }
  }
  expect_identical(relation_level(db_events(con, "mixed", chunk_size = 7), "710", c("2", "20")),
                   db_level_ref(chr, "710", c("2", "20")))
  # text that is no number in a column read as numbers (both sides' first
  # values are numbers): a classed error, not a 0 read from "NATO"
  DBI::dbExecute(con, "UPDATE typed SET actor = 'NATO' WHERE rowid = (SELECT MAX(rowid) FROM typed)")
  expect_error(relation_scores(db_events(con, "typed")), "mixes numbers and text",
               class = "threatbalance_error_input")
  expect_error(relation_level(db_events(con, "typed", chunk_size = 10)),
               "mixes numbers and text", class = "threatbalance_error_input")
  # read as text (a side's first value is text), "NATO" is one more code
  DBI::dbExecute(con, "UPDATE mixed SET actor = 'NATO' WHERE rowid = (SELECT MAX(rowid) FROM mixed)")
  DBI::dbExecute(con, "UPDATE mixed SET actor = CAST(actor AS TEXT) WHERE rowid = (SELECT MIN(rowid) FROM mixed)")
  chr$actor[nrow(chr)] <- "NATO"
  expect_scores_equal(relation_scores(db_events(con, "mixed", chunk_size = 10), by = "month"),
                      relation_scores(chr, by = "month"), "mixed with NATO")
  # blocks of the C merge end between rows of different dyad-periods only
  r <- list(p = c(1L, 1L, 1L, 2L), a = c(1L, 2L, 2L, 1L), b = c(2L, 1L, 1L, 2L),
            n = c(1, 2, 3, 4), q1 = 1:4 + 0, q2 = 0 * 1:4, q3 = 0 * 1:4, q4 = 0 * 1:4)
  m <- threatbalance:::tb_db_merge(r, FALSE, FALSE, TRUE, block = 1L)
  expect_identical(m[[4]], c(6, 4))
  expect_identical(m[[6]], c(6, 4))
  expect_true(all(is.na(m[[5]])))
})

test_that("empty tables and selections", {
  con <- local_db()
  ev <- db_random_events(20)
  DBI::dbWriteTable(con, "ev", ev[0, ])
  z <- relation_scores(db_events(con, "ev"))
  expect_identical(z, relation_scores(ev[0, ]))
  expect_error(relation_level(db_events(con, "ev"), "710", "2"), "No events",
               class = "threatbalance_error_input")
  flat <- relation_level(db_events(con, "ev"), "710", "2", start = 2001, end = 2001,
                         baseline = 2, decay = 0.5)
  expect_identical(flat, relation_level(ev[0, ], "710", "2", start = 2001, end = 2001,
                                        baseline = 2, decay = 0.5))
  ev$actor[1:3] <- "710"
  ev$target[1:3] <- "2"
  DBI::dbWriteTable(con, "ev2", ev)
  # events only before `start` (or after `end`): the in-memory error
  for (m in c("stream", "maps")) {
    s <- db_events(con, "ev2", level_method = m)
    expect_error(relation_level(s, "710", "2", start = 2005, damping = "linear"),
                 "must not be before", class = "threatbalance_error_input")
    expect_error(relation_level(s, "710", "2", end = 1990, damping = "linear"),
                 "must not be before", class = "threatbalance_error_input")
  }
})

test_that("bad tables, columns and values give classed errors and write nothing", {
  con <- local_db()
  ei <- "threatbalance_error_input"
  ev <- db_random_events(50, na = FALSE)
  DBI::dbWriteTable(con, "ev", ev)
  tables <- DBI::dbListTables(con)
  expect_error(db_events(con, "nope"), "no table `nope`", class = ei)
  expect_error(db_events(con, "ev", columns = c(date = "when")), "`when`", class = ei)
  expect_error(db_events(con, "ev", columns = c(when = "date")), "unknown role", class = ei)
  expect_error(db_events(con, "ev", columns = "date"), "named character", class = ei)
  expect_error(db_events(con, "ev", order = "rank"), "`rank`", class = ei)
  expect_error(db_events(con, "ev", order = 1), "`order`", class = ei)
  expect_error(db_events(con), "`table`", class = ei)
  expect_error(db_events(con, c("ev", "ev")), "`table`", class = ei)
  expect_error(db_events(ev), "`x`", class = ei)
  expect_error(db_events(con, "ev", dialect = "oracle"), "`dialect`", class = ei)
  expect_error(db_events(con, "ev", chunk_size = 0), "`chunk_size`", class = ei)
  expect_error(db_events(con, "ev", level_method = "fast"), "`level_method`", class = ei)
  expect_error(db_events(con, DBI::SQL("SELECT * FROM nope")), "Cannot read",
               class = "threatbalance_error_database")
  expect_error(relation_scores(con), "db_events", class = ei)
  expect_error(relation_level(con), "db_events", class = ei)
  src <- db_events(con, "ev")
  expect_error(relation_scores(src, by = "week"), "`by`", class = ei)
  expect_error(relation_scores(src, directed = NA), "`directed`", class = ei)
  expect_error(relation_level(src, decay = 2), "`decay`", class = ei)
  expect_error(relation_level(src, start = "soon"), "`start`", class = ei)
  expect_error(relation_level(src, "710", "2", start = 2002, end = 2001), "`end`", class = ei)
  expect_error(relation_level(src, actor = "999"), "No events", class = ei)
  # missing columns
  put <- function(name, df) DBI::dbWriteTable(con, name, df, overwrite = TRUE)
  put("nodate", ev[c("actor", "target", "cameo")])
  expect_error(relation_scores(db_events(con, "nodate")), "`date`", class = ei)
  expect_error(relation_level(db_events(con, "nodate")), "`date`", class = ei)
  put("noside", ev[c("date", "actor", "cameo")])
  expect_error(relation_scores(db_events(con, "noside")), "`target`", class = ei)
  put("noweight", ev[c("date", "actor", "target")])
  expect_error(relation_scores(db_events(con, "noweight")), "`cameo`", class = ei)
  expect_error(relation_level(db_events(con, "noweight")), "`cameo`", class = ei)
  # bad values
  bad_dates <- function(v, rows = 7L) {
    e <- ev
    e$date <- format(e$date)
    e$date[rows] <- v
    put("bad", e)
    db_events(con, "bad")
  }
  expect_error(relation_scores(bad_dates("2001-13-45")), "\"2001-13-45\"", class = ei)
  expect_error(relation_scores(bad_dates("last week")), "cannot read", class = ei)
  expect_error(relation_level(bad_dates("2001-13-45", seq_len(50))), "\"2001-13-45\"",
               class = ei)
  e <- ev; e$date[3] <- NA; put("bad", e)
  expect_error(relation_scores(db_events(con, "bad")), "NULL dates", class = ei)
  e <- ev; e$date <- as.numeric(e$date); e$date[5] <- 1e9; put("bad", e)
  expect_error(relation_scores(db_events(con, "bad")), "1e\\+09", class = ei)
  e <- ev; e$actor[4] <- NA; put("bad", e)
  expect_error(relation_scores(db_events(con, "bad")), "`actor`.*NULL", class = ei)
  e <- ev; e$cameo[c(2, 8)] <- c("999", "0000"); put("bad", e)
  expect_error(relation_scores(db_events(con, "bad")), "\"0000\", \"999\"|\"999\", \"0000\"",
               class = ei)
  e$actor <- "710"; e$target <- "2"; put("bad", e)
  expect_error(relation_level(db_events(con, "bad", chunk_size = 1), "710", "2"), "\"999\"",
               class = ei)
  expect_error(relation_level(db_events(con, "bad", level_method = "maps"), "710", "2",
                              damping = "linear"),
               "\"999\"", class = ei)
  e <- ev; e$cameo <- as.integer(e$cameo); put("bad", e)
  expect_error(relation_scores(db_events(con, "bad")), "leading zeros", class = ei)
  e <- ev; e$goldstein <- 1; e$goldstein[6] <- 12; put("bad", e)
  expect_error(relation_scores(db_events(con, "bad")), "\\[-10, 10\\]; found 12", class = ei)
  e$actor <- "710"; e$target <- "2"; put("bad", e)
  expect_error(relation_level(db_events(con, "bad"), "710", "2"), "found 12", class = ei)
  e <- ev; e$quad <- 1L; e$quad[3] <- 5L; put("bad", e)
  expect_error(relation_scores(db_events(con, "bad")), "quad classes", class = ei)
  cnt <- data.frame(year = 2002, ccode1 = 2, ccode2 = 710, verb_coop = c(1, -1),
                    matl_coop = 0, verb_conf = 0, matl_conf = 0)
  put("cnt", cnt)
  expect_error(relation_scores(db_events(con, "cnt")), "non-negative", class = ei)
  expect_error(relation_scores(db_events(con, "cnt"), by = "month"), "`month`", class = ei)
  DBI::dbRemoveTable(con, "cnt")
  for (t in c("nodate", "noside", "noweight", "bad")) DBI::dbRemoveTable(con, t)
  expect_db_untouched(con, tables)
  # a damaged object, a closed connection
  broken <- src
  broken$cols <- NULL
  expect_error(relation_scores(broken), "not a valid db_events", class = ei)
  con2 <- DBI::dbConnect(RSQLite::SQLite(), ":memory:")
  DBI::dbWriteTable(con2, "ev", ev)
  src2 <- db_events(con2, "ev")
  DBI::dbDisconnect(con2)
  expect_error(relation_level(src2), "closed", class = ei)
  expect_error(db_events(con2, "ev"), "closed", class = ei)
})

test_that("an interrupt or error mid-stream drops the codebook and clears the result", {
  con <- local_db()
  set.seed(1805)
  ev <- db_random_events(3000, na = FALSE)
  ev$actor <- "710"; ev$target <- "2"
  DBI::dbWriteTable(con, "ev", ev)
  tables <- DBI::dbListTables(con)
  # an interrupt (SIGINT to this process) in the fifth conversion of a chunk
  # (or, with ns = RSQLite, fn = "result_create", as a statement SQLite has
  # started comes back from DBI::dbSendQuery(), before any R object holds it)
  interrupted <- function(expr, fn = "tb_db_dbl", at = 5L,
                          ns = asNamespace("threatbalance")) {
    counter <- new.env()
    counter$n <- 0L
    stop_here <- bquote({
      .tb_counter <- .(counter)
      .tb_counter$n <- .tb_counter$n + 1L
      if (.tb_counter$n == .(at)) {
        tools::pskill(Sys.getpid(), tools::SIGINT)
        Sys.sleep(2)
      }
    })
    if (fn == "result_create") {
      trace(fn, where = ns, print = FALSE, exit = stop_here)
    } else {
      trace(fn, where = ns, print = FALSE, tracer = stop_here)
    }
    on.exit(untrace(fn, where = ns), add = TRUE)
    got <- tryCatch({
      expr
      "finished"
    }, interrupt = function(e) "interrupted")
    c(got, counter$n >= at)
  }
  src <- db_events(con, "ev", chunk_size = 10)
  expect_identical(suppressMessages(interrupted(relation_level(src, "710", "2"))),
                   c("interrupted", "TRUE"))
  expect_db_untouched(con, tables)
  expect_identical(suppressMessages(interrupted(relation_scores(src, by = "month"))),
                   c("interrupted", "TRUE"))
  expect_db_untouched(con, tables)
  rs <- asNamespace("RSQLite")
  if (exists("result_create", rs, inherits = FALSE)) {
    # statements: the probe of db_events(), CREATE and INSERT of the
    # codebook, then the query (interrupted as it returns)
    for (f in list(function() relation_scores(db_events(con, "ev")),
                   function() relation_level(db_events(con, "ev"), "710", "2"))) {
      # RSQLite warns as it finalizes the statement nothing held
      got <- suppressWarnings(suppressMessages(
        interrupted(f(), fn = "result_create", at = 4L, ns = rs)))
      expect_identical(got, c("interrupted", "TRUE"))
      expect_db_untouched(con, tables)
    }
  }
  # the connection is usable: no result set left open
  expect_identical(relation_level(db_events(con, "ev"), "710", "2"),
                   db_level_ref(ev, "710", "2"))
  # an error in a late chunk (an unknown code among the last events)
  ev$cameo[ev$date == max(ev$date)] <- "999"
  DBI::dbWriteTable(con, "ev", ev, overwrite = TRUE)
  expect_error(relation_level(db_events(con, "ev", chunk_size = 10), "710", "2"), "\"999\"",
               class = "threatbalance_error_input")
  expect_db_untouched(con, tables)
})

test_that("missing suggested packages give a classed error", {
  expect_error(threatbalance:::tb_db_need("surely.not.a.package"), "surely.not.a.package",
               class = "threatbalance_error_dependency")
})

test_that("user-facing errors are pinned", {
  if (requireNamespace("RSQLite", quietly = TRUE)) {
    con <- DBI::dbConnect(RSQLite::SQLite(), ":memory:")
    on.exit(DBI::dbDisconnect(con), add = TRUE)
    ev <- data.frame(date = c("2001-04-01", "2001-13-45"), actor = c("710", "2"),
                     target = c("2", "710"), cameo = c("112", "999"))
    DBI::dbWriteTable(con, "ev", ev)
    DBI::dbWriteTable(con, "ev_ok", ev[1, ])
    expect_snapshot(db_events(con, "nope"), error = TRUE)
    expect_snapshot(db_events(con), error = TRUE)
    expect_snapshot(db_events(list(con), "ev"), error = TRUE)
    expect_snapshot(db_events(con, "ev", columns = c(date = "day")), error = TRUE)
    expect_snapshot(db_events(con, "ev", columns = c(day = "date")), error = TRUE)
    expect_snapshot(db_events(con, "ev", order = "id"), error = TRUE)
    expect_snapshot(db_events(con, "ev", dialect = "oracle"), error = TRUE)
    expect_snapshot(relation_scores(con), error = TRUE)
    expect_snapshot(relation_scores(db_events(con, "ev")), error = TRUE)
    expect_snapshot(relation_scores(db_events(con, "ev_ok", columns = c(cameo = "actor")),
                                    by = "month"), error = TRUE)
    expect_snapshot(relation_level(db_events(con, "ev"), "710", "2"), error = TRUE)
    expect_snapshot(relation_level(db_events(con, "ev_ok"), "710", "365"), error = TRUE)
    expect_snapshot(relation_level(db_events(con, "ev_ok", level_method = "maps"), "710",
                                   "NATO", members = TRUE), error = TRUE)
    expect_snapshot(relation_level(db_events(con, "ev_ok", level_method = "maps"), "710",
                                   "2"), error = TRUE)
  }
})
