library(testthat)
library(threatbalance)

test_check("threatbalance")
