# Builds the pkgdown site into out/site, offline. Used by `make site`, which
# first installs the package into a private library (R_LIBS) so that pkgdown
# documents and runs the installed package (devel = FALSE, install = FALSE).
#   R_LIBS=/tmp/lib Rscript tools/build-site.R
# Nothing is fetched: pkgdown.internet = FALSE turns off pkgdown's CRAN
# look-ups, pkgdown/templates/head.html loads no script from the network,
# and MathJax (for the formulas of the help pages) is copied from Debian's
# libjs-mathjax into the site.
options(pkgdown.internet = FALSE)
if (!requireNamespace("pkgdown", quietly = TRUE))
  stop("pkgdown is not installed: run `bash tools/install-deps-site.sh` (as root)")
suppressPackageStartupMessages(library(threatbalance))
dest <- "out/site"
unlink(dest, recursive = TRUE)
t0 <- proc.time()[["elapsed"]]
pkgdown::build_site(".", examples = TRUE, preview = FALSE, devel = FALSE,
                    new_process = FALSE, install = FALSE)

# MathJax 2: the core, one combined configuration (TeX input, CommonHTML
# output), the TeX extensions it may load on demand, and its web fonts.
mj <- "/usr/share/javascript/mathjax"
if (!file.exists(file.path(mj, "MathJax.js")))
  stop("MathJax not found in ", mj, ": install Debian's libjs-mathjax ",
       "(bash tools/install-deps-site.sh)")
parts <- c("MathJax.js", "config/TeX-AMS_CHTML.js", "extensions",
           "jax/input/TeX", "jax/element", "jax/output/CommonHTML",
           "fonts/HTML-CSS/TeX/woff")
for (p in parts) {
  to <- file.path(dest, "mathjax", dirname(p))
  dir.create(to, recursive = TRUE, showWarnings = FALSE)
  file.copy(file.path(mj, p), to, recursive = TRUE, copy.mode = FALSE)
}
html <- list.files(dest, pattern = "\\.html$", recursive = TRUE)
cat(sprintf("site: %d HTML pages in %s (%.0f s)\n", length(html), dest,
            proc.time()[["elapsed"]] - t0))
