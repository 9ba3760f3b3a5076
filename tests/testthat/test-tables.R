# R/tables.R: the memo helper, keys, the coverage table and the derived
# state-year and dyad-year tables every measure is built on.

test_that("tb_memo evaluates once and tb_memo_last keeps one slot", {
  n <- 0L
  key <- paste0("test-memo-", format(Sys.time(), "%OS6"))
  f <- function() tb_memo(key, { n <<- n + 1L; 42 })
  expect_equal(f(), 42)
  expect_equal(f(), 42)
  expect_equal(n, 1L)
  m <- 0L
  g <- function(k) tb_memo_last("test-slot", k, { m <<- m + 1L; k * 2 })
  expect_equal(g(1), 2)
  expect_equal(g(1), 2)
  expect_equal(m, 1L)
  expect_equal(g(2), 4)
  expect_equal(g(1), 2)
  expect_equal(m, 3L)
  rm(list = c(key, "test-slot"), envir = tb_cache)
})

test_that("keys are exact and codes outside 0..tb_ccode_max give NA", {
  expect_identical(tb_sy_key(2022L, 710L), 2022710L)
  expect_identical(tb_sy_key(c(1816L, 2024L), c(2L, 999L)), c(1816002L, 2024999L))
  k <- tb_dy_key(c(2000L, 2000L, 2000L), c(2L, 1000L, -1L), c(710L, 2L, 2L))
  expect_identical(k[1L], 2000002710)
  expect_true(all(is.na(k[2:3])))
  expect_identical(tb_ccode_max, 999L)
})

test_that("the coverage table is read from the data and pinned here", {
  cv <- tb_coverage()
  expect_named(cv, c("source", "first", "last", "label"))
  expect_false(anyNA(cv))
  pin <- c(capabilities = "1816-2022", min_distance = "1886-2019",
           contiguity = "1816-2016", alliances = "1815-2018", disputes = "1816-2010",
           rivalries = "1494-2020")
  got <- setNames(paste(cv$first, cv$last, sep = "-"), cv$source)
  expect_identical(got[names(pin)], pin)
  # each source's years agree with its dataset
  span <- function(x) as.integer(range(x))
  expect_identical(tb_cov("capabilities"), span(tb_data("capabilities")$year))
  expect_identical(tb_cov("min_distance"), span(min_distance$year))
  expect_identical(tb_cov("alliances"), span(alliances$year))
  expect_identical(tb_cov("disputes"), span(disputes$year))
  expect_identical(tb_cov("rivalries"), span(c(rivalries$start, rivalries$end)))
  expect_identical(tb_cov("contiguity"), span(tb_year_of(c(contiguity$start, contiguity$end))))
  n <- table(unga_rollcalls$year)
  expect_identical(tb_cov("votes"), span(as.integer(names(n))[n >= 20L]))
  expect_error(tb_cov("nope"), class = "threatbalance_error_internal")
})

test_that("dataset help pages state the coverage of the table", {
  rd <- tools::Rd_db("threatbalance")
  text <- function(topic) paste(capture.output(tools::Rd2txt(rd[[paste0(topic, ".Rd")]],
                                                             options = list(underline_titles = FALSE))),
                                collapse = " ")
  for (src in c("capabilities", "min_distance", "contiguity", "alliances", "disputes",
                "rivalries")) {
    cv <- tb_cov(src)
    expect_match(text(src), sprintf("%d\\s*[-\u2013]+\\s*%d", cv[1L], cv[2L]),
                 info = src)
  }
})

test_that("derived tables agree with the datasets they come from", {
  mem <- tb_member_years()
  expect_true(all(mem$ccode %in% tb_data("states")$ccode))
  expect_true(all(c(2L, 365L, 710L) %in% mem$ccode[mem$year == 2000L]))
  expect_false(255L %in% mem$ccode[mem$year == 1970L])
  cy <- tb_capital_years()
  i <- tb_sy_index(2000L, 710L, cy$year, cy$ccode)
  expect_equal(c(cy$lat[i], cy$lon[i]), c(capitals$lat[capitals$ccode == 710][1L],
                                          capitals$lon[capitals$ccode == 710][1L]))
  ct <- tb_contiguity_years()
  expect_false(is.unsorted(ct$key))
  expect_identical(ct$type[match(tb_dy_key(2000L, 2L, 20L), ct$key)], 1L)
  expect_identical(ct$type[match(tb_dy_key(2000L, 20L, 2L), ct$key)], 1L)
  md <- tb_mindist_table()
  expect_equal(length(md$key), nrow(min_distance))
})
