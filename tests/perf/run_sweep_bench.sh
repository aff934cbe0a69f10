#!/usr/bin/env bash
# Sweep speed-up: 64 points of the LISA campaign (max_concurrent 1..64), with --jobs 1 and 2
# and with 1 and 2 MPI ranks. Wall time from /usr/bin/time -v; printed, never asserted.
# usage: run_sweep_bench.sh MLCYCLE SOURCE_DIR
set -euo pipefail
mlcycle=$1
src=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
sweep=(sweep "$src/scenarios/strubell2019/lisa-campaign.toml"
       --vary campaign.lisa.max_concurrent=1:64:1)
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

measure() {  # name, command...
  local name=$1
  shift
  rm -rf "$out/s"
  /usr/bin/time -v "$@" -o "$out/s" >/dev/null 2>"$out/time.txt"
  awk -F': ' -v name="$name" '/Elapsed \(wall clock\)/ {
      n = split($2, p, ":"); s = (n == 3) ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2]
      printf "%-34s %8.2f s\n", name, s }' "$out/time.txt"
}

echo "sweep of 64 LISA points"
measure "--jobs 1" "$mlcycle" "${sweep[@]}" --jobs 1
measure "--jobs 2" "$mlcycle" "${sweep[@]}" --jobs 2
if command -v mpirun >/dev/null; then
  # Runs are child processes: without --bind-to none they inherit their rank's core binding.
  measure "mpirun -n 1 --bind-to none" mpirun -n 1 --bind-to none "$mlcycle" "${sweep[@]}"
  measure "mpirun -n 2 --bind-to none" mpirun -n 2 --bind-to none "$mlcycle" "${sweep[@]}"
else
  echo "mpirun not installed: MPI rows skipped"
fi
