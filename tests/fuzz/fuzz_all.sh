#!/usr/bin/env bash
# `make fuzz`: runs every harness of a sanitizer build in turn for SECONDS each (default 600)
# and prints one line per harness: seconds, executions, corpus size, finding or not.
#   fuzz_all.sh BUILD_DIR [SECONDS] [HARNESS...]
set -uo pipefail
build=$1
seconds=${2:-600}
shift $(($# < 2 ? $# : 2))
list="$build/tests/fuzz/harnesses.txt"
if [ ! -f "$list" ]; then
  echo "fuzz_all: $list missing: configure and build the sanitize preset first" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
status=0
summary=()
while read -r name exe seeds; do
  [ -n "$name" ] || continue
  if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
  work="$build/tests/fuzz/work/$name"
  log="$work/fuzz.log"
  mkdir -p "$work"
  echo "fuzz: $name for $seconds s (log: $log)"
  # shellcheck disable=SC2086  # seeds: a space-separated list of directories
  "$here/run_fuzzer.sh" "$exe" "$seconds" "$work" $seeds >"$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  corpus=$(find "$work/corpus" -type f | wc -l)
  if [ $rc -eq 0 ]; then
    verdict="nothing found"
  else
    verdict="FINDING (exit $rc): $(ls "$work/artifacts" 2>/dev/null | tr '\n' ' ')"
    status=1
  fi
  summary+=("$(printf '%-18s %6s s %12s executions %6s corpus  %s' "$name" "${took:-?}" \
    "${runs:-?}" "$corpus" "$verdict")")
done <"$list"
printf '%s\n' "${summary[@]}"
exit $status
