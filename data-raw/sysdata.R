# save_sysdata(objs): writes the named objects into R/sysdata.rda, keeping
# the objects other data-raw scripts put there (state-names.R: the state-name
# dictionary; data-shapes.R: the datasets' shapes).
#   source(file.path("data-raw", "sysdata.R"))   (from the package root)
save_sysdata <- function(objs) {
  sys <- new.env()
  if (file.exists("R/sysdata.rda")) load("R/sysdata.rda", envir = sys)
  for (nm in names(objs)) assign(nm, objs[[nm]], envir = sys)
  save(list = sort(ls(sys)), envir = sys, file = "R/sysdata.rda", compress = "xz")
}
