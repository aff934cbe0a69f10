#!/usr/bin/env bash
# Runs one libFuzzer harness.
#   run_fuzzer.sh HARNESS SECONDS WORK_DIR [SEED_DIR...]   fuzz for SECONDS (CTest, make fuzz)
#   run_fuzzer.sh --replay HARNESS INPUT...                 run each input once (regressions)
# Fuzzing grows WORK_DIR/corpus (the seed directories are only read) and writes a crashing input
# to WORK_DIR/artifacts/; the exit status is libFuzzer's: 0 when nothing was found. The last
# lines printed are libFuzzer's final statistics (executions, time), quoted in docs/testing.md.
set -euo pipefail
# Reports on stderr, not in log files: this output is the record of a finding. Leaks are
# checked per input (libFuzzer's -detect_leaks, on by default). allocator_may_return_null: a
# malloc of an absurd size returns NULL, as glibc's does, instead of aborting (HDF5 allocates
# sizes read from a corrupt file and fails cleanly when it gets NULL).
here=$(cd "$(dirname "$0")" && pwd)
export ASAN_OPTIONS="detect_stack_use_after_return=0:allocator_may_return_null=1"
export LSAN_OPTIONS="suppressions=$here/lsan-libraries.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
if [ "${1:-}" = "--replay" ]; then
  harness=$2
  shift 2
  exec "$harness" -runs=1 "$@"
fi
harness=$1 seconds=$2 work=$3
shift 3
mkdir -p "$work/corpus" "$work/artifacts"
seeds=()
for dir in "$@"; do
  if [ -d "$dir" ]; then seeds+=("$dir"); fi
done
exec "$harness" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" "${seeds[@]}"
