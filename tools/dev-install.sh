#!/usr/bin/env bash
# Installs a copy of the package tree into a library (default /tmp/tb-lib),
# building in a temporary folder so no object files land in the work tree.
#   bash tools/dev-install.sh [LIB]
# Honours R_MAKEVARS_USER (the sanitizer and valgrind builds set it).
set -euo pipefail
cd "$(dirname "$0")/.."
lib="${1:-/tmp/tb-lib}"
R="${R:-R}"
mkdir -p "$lib"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/pkg"
for d in DESCRIPTION NAMESPACE R src data inst man; do
  if [ -e "$d" ]; then cp -r "$d" "$tmp/pkg/"; fi
done
rm -f "$tmp"/pkg/src/*.o "$tmp"/pkg/src/*.so
if ! "$R" CMD INSTALL --no-test-load -l "$lib" "$tmp/pkg" >"$tmp/install.log" 2>&1; then
  cat "$tmp/install.log"
  exit 1
fi
echo "installed into $lib"
