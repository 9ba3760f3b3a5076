#!/usr/bin/env bash
# Installs what threatbalance needs beyond R and testthat, on Debian 12:
# Debian's prebuilt r-cran-* packages and pandoc where they exist, CRAN for
# the rest. Skips whatever is already there, so a second run is quick.
set -euo pipefail
. "$(dirname "$0")/apt-helpers.sh"
need_r knitr r-cran-knitr
need_r rmarkdown r-cran-rmarkdown
need_r roxygen2 r-cran-roxygen2
need_r testthat r-cran-testthat
# events in databases (R/events-db.R): DBI, RSQLite and dbplyr run the tests
need_r DBI r-cran-dbi
need_r RSQLite r-cran-rsqlite
need_r dbplyr r-cran-dbplyr
need_r dplyr r-cran-dplyr
# data.table inputs to the add_*() functions (test-dyads.R)
need_r data.table r-cran-data.table
command -v pandoc >/dev/null 2>&1 || debs+=(pandoc)
command -v qpdf >/dev/null 2>&1 || debs+=(qpdf)
apt_install_queued install-deps
# CRAN packages used by comparison tests and benchmarks (Suggests); a failed
# install only skips those tests, so it does not stop the build. duckdb (the
# DuckDB tests of test-events-db.R) is not in the default list: its source
# build takes about 50 minutes; add it with TB_CRAN_PKGS="changepoint fpsim duckdb".
Rscript -e '
pk <- c(strsplit(Sys.getenv("TB_CRAN_PKGS", "changepoint fpsim"), " ")[[1]])
pk <- pk[nzchar(pk) & !vapply(pk, requireNamespace, NA, quietly = TRUE)]
if (length(pk)) try(install.packages(pk, Ncpus = 2L, quiet = TRUE))
' || true
