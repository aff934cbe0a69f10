#!/usr/bin/env bash
# Runs ctest in the sanitizer build (preset "sanitize") and fails when a sanitizer found
# anything, even in a process whose test passed (a child of a CLI test, say).
#   sanitized_ctest.sh BUILD_DIR [CTEST ARGS...]
# ASan, UBSan and LSan write their reports to BUILD_DIR/sanitizer-logs/, not to stderr: the CLI
# tests assert that a bad input prints exactly one line there. Every log is then scanned for
# findings; the only line ignored is ASan's warning about SimGrid's context switches
# (__asan_handle_no_return, swapcontext), which the scan does not match.
set -uo pipefail
build=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
logs="$(cd "$build" && pwd)/sanitizer-logs"
rm -rf "$logs"
mkdir -p "$logs"
# detect_stack_use_after_return=0: SimGrid switches stacks under ASan's feet (its contexts are
# not instrumented), and fake stacks then report false positives. allocator_may_return_null: a
# malloc of an absurd size returns NULL as glibc's does (HDF5 tries sizes read from corrupt files).
export ASAN_OPTIONS="detect_stack_use_after_return=0:allocator_may_return_null=1:log_path=$logs/asan:log_exe_name=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$logs/ubsan:log_exe_name=1"
export LSAN_OPTIONS="suppressions=$here/lsan-libraries.supp:print_suppressions=0"
ctest --test-dir "$build" "$@"
status=$?
findings=$(grep -l -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$logs"/* 2>/dev/null)
if [ -n "$findings" ]; then
  echo "sanitizers: findings (the tests above may have passed regardless):"
  for log in $findings; do
    echo "==== $log"
    cat "$log"
  done
  status=1
else
  echo "sanitizers: no finding in $(find "$logs" -type f | wc -l) log(s) under $logs"
fi
exit $status
