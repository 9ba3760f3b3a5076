# threatbalance: the two commands (see README.md) and developer targets.
PKG     := threatbalance
VERSION := $(shell sed -n 's/^Version: //p' DESCRIPTION)
TARBALL := $(PKG)_$(VERSION).tar.gz
R       ?= R
RSCRIPT ?= Rscript

.PHONY: demo check deps doc install dev-install test data bench fuzz sanitize valgrind clean site site-check

## make demo: install dependencies and the package, render the vignettes, write out/*.png
demo: deps
	rm -rf out/pkg && mkdir -p out/pkg
	cd out/pkg && $(R) CMD build ../.. && $(R) CMD INSTALL $(TARBALL)
	$(RSCRIPT) tools/render-vignettes.R out

## make check: install dependencies, R CMD build, R CMD check --as-cran --no-manual
check: deps
	rm -rf check && mkdir -p check
	cd check && $(R) CMD build ..
	cd check && NOT_CRAN=true _R_CHECK_FORCE_SUGGESTS_=false _R_CHECK_CRAN_INCOMING_REMOTE_=false _R_CHECK_ORPHANED_=false _R_CHECK_SYSTEM_CLOCK_=0 $(R) CMD check --as-cran --no-manual $(TARBALL) ; \
	  status=$$? ; \
	  test -f $(PKG).Rcheck/tests/testthat.Rout && tail -n 25 $(PKG).Rcheck/tests/testthat.Rout ; \
	  test $$status -eq 0 || exit 1 ; \
	  if grep -E "^Status: .*(ERROR|WARNING)" $(PKG).Rcheck/00check.log ; then exit 1 ; fi ; \
	  grep -E "^Status" $(PKG).Rcheck/00check.log

deps:
	bash tools/install-deps.sh

## regenerate NAMESPACE and man/ from roxygen comments (no compilation needed)
doc:
	$(RSCRIPT) tools/document.R

install:
	$(R) CMD INSTALL --preclean .

## install a copy of the tree into LIB (default /tmp/tb-lib), building outside the work tree
LIB ?= /tmp/tb-lib
FILTER ?=
export FILTER
dev-install:
	bash tools/dev-install.sh $(LIB)

## run the tests against a dev-install: make test LIB=/tmp/x [FILTER=similarity]
test: dev-install
	R_LIBS=$(LIB) $(RSCRIPT) -e 'testthat::test_dir("tests/testthat", package = "$(PKG)", load_package = "installed", filter = if (nzchar(Sys.getenv("FILTER"))) Sys.getenv("FILTER") else NULL, stop_on_failure = TRUE)'

## rebuild data/ from ../shared/data/raw and the curated CSVs
data:
	$(RSCRIPT) data-raw/datasets.R
	$(RSCRIPT) data-raw/majors.R
	$(RSCRIPT) data-raw/state-names.R
	test ! -f data-raw/curated.R || $(RSCRIPT) data-raw/curated.R
	$(RSCRIPT) data-raw/data-shapes.R

## hardening (issue 9): many hostile calls (TB_FUZZ_N to the exported functions, TB_FUZZ_N/10
## malformed .Call per routine); ASan/UBSan build; valgrind memcheck
fuzz: dev-install
	TB_FUZZ_N=$${TB_FUZZ_N:-100000} R_LIBS=$(LIB) $(RSCRIPT) -e 'testthat::test_dir("tests/testthat", package = "$(PKG)", load_package = "installed", filter = "fuzz|ffi", stop_on_failure = TRUE)'

sanitize:
	bash tools/sanitize.sh

valgrind:
	bash tools/valgrind.sh

bench: install
	for f in bench/*.R; do $(RSCRIPT) $$f || exit 1; done

## make site: the pkgdown website in out/site, built offline from a dev-install into LIB
## (_pkgdown.yml, pkgdown/, tools/build-site.R); not part of make check
site: deps
	bash tools/install-deps-site.sh
	bash tools/dev-install.sh $(LIB)
	R_LIBS=$(LIB) $(RSCRIPT) tools/build-site.R

## make site-check: build the site, then open every page in headless Chromium and fail on a
## missing image, a broken internal link or a console error (tools/check-site.R)
site-check: site
	bash tools/install-deps-site.sh --chromium
	$(RSCRIPT) tools/check-site.R out/site

clean:
	rm -rf check out src/*.o src/*.so
