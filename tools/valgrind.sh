#!/usr/bin/env bash
# make valgrind: runs the test suite under valgrind memcheck and fails on any
# invalid read or write, use of uninitialised values, or definite leak whose
# stack passes through threatbalance's shared object.
set -uo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
lib="$work/lib"; mkdir -p "$lib"
cat > "$work/Makevars" <<'MK'
CFLAGS = -g -O0
MK
R_MAKEVARS_USER="$work/Makevars" make -s dev-install LIB="$lib" >/dev/null || {
  echo "valgrind: build failed"; exit 1; }
log="$work/valgrind.log"
# The fuzz tests run far fewer calls under valgrind (each call is ~30x slower);
# the malformed .Call tests (test-ffi.R) are the ones that matter here.
# FILTER (optional) restricts the run to matching test files.
export TB_FUZZ_N="${TB_FUZZ_N:-300}"
echo "valgrind: running tests${FILTER:+ matching '$FILTER'} (TB_FUZZ_N=$TB_FUZZ_N); log in $log"
R_LIBS="$lib" R --vanilla --quiet \
  -d "valgrind --leak-check=full --errors-for-leak-kinds=definite --track-origins=yes --log-file=$log" \
  -e 'r <- testthat::test_dir("tests/testthat", package = "threatbalance", load_package = "installed", reporter = "summary", stop_on_failure = FALSE, filter = if (nzchar(Sys.getenv("FILTER"))) Sys.getenv("FILTER") else NULL); d <- as.data.frame(r); cat(sprintf("\nvalgrind: %d expectations passed, %d failed, %d skipped, %d test blocks, %d test files\n", sum(d$passed), sum(d$failed), sum(d$skipped), nrow(d), length(unique(d$file)))); quit(status = if (sum(d$failed) > 0 || any(d$error)) 1 else 0)' \
  > "$work/tests.log" 2>&1
status=$?
tail -n 3 "$work/tests.log"
# Errors whose stack names the package's code (threatbalance.so or one of its sources)
errs=$(awk '/^==[0-9]+== (Invalid|Conditional|Use of uninitialised|Syscall param|Mismatched|Source and destination)/{inb=1; buf=$0; next}
            inb && /^==[0-9]+== *$/ {if (buf ~ /threatbalance/) n++; inb=0; buf=""; next}
            inb {buf = buf "\n" $0}
            END{print n+0}' "$log")
leaks=$(awk '/definitely lost in/{inb=1; buf=$0; next}
             inb && /^==[0-9]+== *$/ {if (buf ~ /threatbalance/) n++; inb=0; buf=""; next}
             inb {buf = buf "\n" $0}
             END{print n+0}' "$log")
echo "valgrind: test run exit status $status; memory errors in package code: $errs; definite leaks from package code: $leaks"
grep -E "ERROR SUMMARY|definitely lost:" "$log" | tail -n 2
[ "$status" -eq 0 ] && [ "$errs" -eq 0 ] && [ "$leaks" -eq 0 ]
