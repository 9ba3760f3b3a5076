#!/usr/bin/env bash
# make sanitize: builds threatbalance with AddressSanitizer and
# UndefinedBehaviorSanitizer, preloads the ASan runtime into an ordinary R,
# runs the whole test suite, and fails on any sanitizer report.
set -uo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
lib="$work/lib"; mkdir -p "$lib"
cat > "$work/Makevars" <<'MK'
CFLAGS = -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
LDFLAGS = -fsanitize=address,undefined
MK
R_MAKEVARS_USER="$work/Makevars" make -s dev-install LIB="$lib" >/dev/null || {
  echo "sanitize: build failed"; exit 1; }
so="$lib/threatbalance/libs/threatbalance.so"
# grep reads all of ldd's output: with pipefail, grep -q can exit at the first match and
# ldd's SIGPIPE then fails the pipeline (seen here: a build linked against ASan reported as not)
ldd "$so" | grep asan >/dev/null || { echo "sanitize: $so is not linked against ASan"; exit 1; }
echo "sanitize: built $so with -fsanitize=address,undefined"
asan=$(gcc -print-file-name=libasan.so)
ubsan=$(gcc -print-file-name=libubsan.so)
log="$work/tests.log"
# R itself is not built with ASan: leak detection would report R's own
# allocations, so it is off; invalid accesses and UB are what we look for.
# allocator_may_return_null: an impossible allocation (the fuzz tests ask for
# some) fails as in an ordinary R, with an R error, instead of aborting.
# FILTER (optional) restricts the run to matching test files.
LD_PRELOAD="$asan $ubsan" \
ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:halt_on_error=1:detect_odr_violation=0:allocator_may_return_null=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
R_LIBS="$lib" Rscript -e '
r <- testthat::test_dir("tests/testthat", package = "threatbalance",
                        load_package = "installed", reporter = "summary",
                        stop_on_failure = FALSE,
                        filter = if (nzchar(Sys.getenv("FILTER"))) Sys.getenv("FILTER") else NULL)
d <- as.data.frame(r)
cat(sprintf("\nsanitize: %d expectations passed, %d failed, %d skipped, %d test blocks, %d test files\n",
            sum(d$passed), sum(d$failed), sum(d$skipped), nrow(d), length(unique(d$file))))
quit(status = if (sum(d$failed) > 0 || any(d$error)) 1 else 0)
' > "$log" 2>&1
status=$?
tail -n 5 "$log"
reports=$(grep -cE "ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer" "$log")
echo "sanitize: test run exit status $status, sanitizer reports: $reports"
if [ "$reports" -gt 0 ]; then grep -E -A20 "ERROR: AddressSanitizer|runtime error:" "$log" | head -60; fi
[ "$status" -eq 0 ] && [ "$reports" -eq 0 ]
