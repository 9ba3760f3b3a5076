# Records the shape (rows and column names) of every packaged dataset in
# R/sysdata.rda as `tb_data_shapes`, so that tb_input_sources() can tell
# that a user's data frame is not a packaged dataset without loading the
# dataset (loading `events` and `icews_dyads` to compare costs about 25 MB
# and 40 ms on every relation_scores() call). Run after the datasets are
# built (make data runs it last); keeps the other objects in R/sysdata.rda.
# tests/testthat/test-sources.R checks the shapes against the datasets.
#
#   Rscript data-raw/data-shapes.R      (from the package root)
files <- sort(list.files("data", pattern = "\\.rda$", full.names = TRUE))
tb_data_shapes <- list()
for (f in files) {
  e <- new.env()
  load(f, envir = e)
  for (nm in ls(e)) {
    d <- get(nm, e)
    tb_data_shapes[[nm]] <- list(nrow = nrow(d), names = names(d))
  }
}
source(file.path("data-raw", "sysdata.R"))
save_sysdata(list(tb_data_shapes = tb_data_shapes))
cat(sprintf("R/sysdata.rda: shapes of %d datasets\n", length(tb_data_shapes)))
