# Regenerates NAMESPACE and man/ from the roxygen comments without compiling
# the package: sources R/ and loads data/ into one environment.
loader <- function(path) {
  env <- roxygen2::load_source(path)
  for (f in list.files(file.path(path, "data"), pattern = "\\.rda$", full.names = TRUE))
    load(f, envir = env)
  env
}
roxygen2::roxygenise(load_code = loader)
