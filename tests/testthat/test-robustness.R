# threat_robustness(): one modelling choice changed at a time.

test_that("each variant equals threat_components() with that setting, ranks among all sources", {
  r <- suppressWarnings(threat_robustness(2019, to = "China", from = c("USA", "India"),
                                          vary = list(reach = c("major", "none"),
                                                      scale = c(1000, 2000))))
  expect_s3_class(r, c("tb_robustness", "data.frame"))
  expect_setequal(unique(paste(r$setting, r$value)),
                  c("reach major", "reach none", "scale 1000", "scale 2000"))
  expect_identical(r$default, r$value %in% c("major", "1000"))
  x <- suppressWarnings(threat_components(2019, to = 710, reach = "none"))
  idx <- threat_index(x)
  rk <- rank(-idx, ties.method = "min", na.last = "keep")
  got <- r[r$setting == "reach" & r$value == "none", ]
  want <- match(got$ccode1, x$ccode1)
  expect_equal(got$threat, idx[want])
  expect_identical(got$rank, as.integer(rk[want]))
  # the default variant: the US first, as the validation suite expects
  expect_identical(r$rank[r$setting == "reach" & r$value == "major" & r$ccode1 == 2], 1L)
})

test_that("threat_robustness validates its arguments with classed errors", {
  expect_error(threat_robustness(2019), "`to`", class = "threatbalance_error_input")
  expect_error(threat_robustness(to = "China"), "`years`", class = "threatbalance_error_input")
  expect_error(threat_robustness(2019, "China", vary = list(colour = 1)), "`vary`",
               class = "threatbalance_error_input")
  expect_error(threat_robustness(2019, "China", vary = list(1, 2)), "`vary`",
               class = "threatbalance_error_input")
  expect_error(threat_robustness(2019, "Atlantis"), class = "threatbalance_error_unknown_state")
  expect_warning(threat_robustness(2021, "China", from = "USA", vary = list(reach = "none")),
                 class = "threatbalance_warning_coverage")
})

test_that("the default variants include the ideal-point similarity", {
  expect_true("ideal" %in% eval(formals(threat_robustness)$vary)$similarity)
  r <- suppressWarnings(threat_robustness(2019, to = "China", from = c("USA", "Russia"),
                                          vary = list(similarity = c("alliance", "ideal"))))
  expect_setequal(r$value, c("alliance", "ideal"))
  expect_identical(r$default, r$value == "alliance")
  x <- suppressWarnings(threat_components(2019, to = 710, similarity = "ideal"))
  got <- r[r$value == "ideal", ]
  expect_equal(got$threat, threat_index(x)[match(got$ccode1, x$ccode1)])
  expect_identical(got$rank[got$ccode1 == 2L], 1L)
})
