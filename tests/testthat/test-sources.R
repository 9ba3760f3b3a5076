# Provenance (R/sources.R): the sources each result carries, the citation
# table keyed as the coverage table, and sources().

test_that("the citation table covers every coverage key and every source used", {
  tab <- tb_source_table()
  expect_true(all(tb_coverage()$source %in% tab$source))
  expect_false(anyDuplicated(tab$source) > 0)
  expect_true(all(nzchar(tab$citation)))
  # every dataset named exists in the package
  ds <- trimws(unlist(strsplit(tab$dataset, ",")))
  expect_true(all(vapply(ds, function(d) is.data.frame(tb_data(d)), NA)))
})

test_that("results carry the sources they used", {
  x <- suppressWarnings(threat_components(2015, from = "USA", to = "China"))
  expect_identical(attr(x, "sources"),
                   c("states", "capabilities", "min_distance", "contiguity", "alliances",
                     "disputes", "rivalries", "majors", "conflicts"))
  # settings decide: votes for vote similarity, no rivalries without that part,
  # capitals with the fallback, no conflicts before the MIDs end
  y <- threat_components(2000, from = "USA", to = "China", similarity = "vote",
                         intent_parts = c("disputes", "similarity"), reach = "none",
                         capital_fallback = TRUE)
  expect_identical(attr(y, "sources"),
                   c("states", "capabilities", "capitals", "min_distance", "contiguity",
                     "disputes", "votes"))
  b <- suppressWarnings(bloc_threat("NATO", "China", 2015))
  expect_identical(attr(b, "sources"), c(attr(x, "sources"), "blocs"))
  tb <- suppressWarnings(threat_balance("USA", "China", 2015))
  expect_identical(attr(tb, "sources"), attr(x, "sources"))
  expect_identical(attr(dyad_years(2000), "sources"), "states")
  expect_identical(attr(cinc(tb_data("capabilities")), "sources"), "capabilities")
  expect_null(attr(cinc(tb_data("capabilities")[1:5, ]), "sources"))
  expect_identical(attr(relation_level(events, "710", "2"), "sources"), "events")
  expect_identical(attr(bloc_members("NATO", 2000), "sources"), "blocs")
})

test_that("the recorded dataset shapes match the datasets (data-raw/data-shapes.R)", {
  shapes <- threatbalance:::tb_data_shapes
  ds <- utils::data(package = "threatbalance")$results[, "Item"]
  expect_setequal(names(shapes), ds)
  for (d in ds) {
    x <- tb_data(d)
    expect_identical(shapes[[d]], list(nrow = nrow(x), names = names(x)), label = d)
  }
  # a frame of the events' shape but other values is not the dataset
  ev <- tb_data("events")
  ev$goldstein[1] <- ev$goldstein[1] + 1
  expect_null(threatbalance:::tb_input_sources(ev, c(events = "events")))
  expect_identical(threatbalance:::tb_input_sources(tb_data("events"), c(events = "events")), "events")
  expect_null(threatbalance:::tb_input_sources(ev[1:3, ], c(events = "events")))
})

test_that("sources survive row subsetting, head() and dplyr verbs", {
  v <- vote_similarity(2015, method = "agree")
  expect_identical(attr(v[v$ccode1 == 2, ], "sources"), "votes")
  expect_identical(attr(head(v), "sources"), "votes")
  expect_identical(attr(rbind(v, v), "sources"), "votes")
  skip_if_not_installed("dplyr")
  expect_identical(attr(dplyr::filter(v, ccode1 == 2), "sources"), "votes")
  expect_identical(attr(dplyr::mutate(v, z = 1), "sources"), "votes")
})

test_that("sources() lists citations and prints them", {
  v <- vote_similarity(2015, method = "agree")
  s <- sources(v)
  expect_s3_class(s, c("tb_sources", "data.frame"))
  expect_identical(s$source, "votes")
  expect_match(s$citation, "Voeten")
  out <- capture.output(print(s))
  expect_match(out[1], "<1 source>")
  expect_true(any(grepl("Voeten", out)))
  expect_identical(sources(c("alliances", "votes"))$source, c("alliances", "votes"))
  expect_identical(nrow(sources()), nrow(tb_source_table()))
  ei <- "threatbalance_error_input"
  expect_error(sources(v[c("year", "agree")]), "carries no sources", class = ei)
  expect_error(sources("gdp"), "Unknown source", class = ei)
  expect_error(sources(1), class = ei)
  expect_snapshot(sources(data.frame(a = 1)), error = TRUE)
  expect_snapshot(sources(c("votes", "polity")), error = TRUE)
})
