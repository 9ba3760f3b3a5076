#!/usr/bin/env bash
# Installs what `make site` needs beyond tools/install-deps.sh, on Debian 12:
# pkgdown (r-cran-pkgdown, which brings bslib, downlit, jsonlite, ...) and
# MathJax (libjs-mathjax, copied into the site for the help pages' formulas).
# With --chromium also Debian's chromium, for `make site-check`
# (tools/check-site.R). Not used by `make check` or `make demo`.
#   bash tools/install-deps-site.sh [--chromium]
set -euo pipefail
. "$(dirname "$0")/apt-helpers.sh"
need_r pkgdown r-cran-pkgdown
[ -f /usr/share/javascript/mathjax/MathJax.js ] || debs+=(libjs-mathjax)
if [ "${1:-}" = "--chromium" ]; then
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 ||
    [ -n "${CHROMIUM:-}" ] || debs+=(chromium)
fi
apt_install_queued install-deps-site
