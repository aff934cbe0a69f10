#!/usr/bin/env bash
# Benchmarks of whole runs (full accounting, HDF5 trace written): wall time and peak RSS from
# /usr/bin/time -v. Timings are printed, never asserted: machines are shared and noisy.
# usage: run_bench.sh MLCYCLE SOURCE_DIR [REPEATS]
set -euo pipefail
mlcycle=$1
src=$2
repeats=${3:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cases=(
  "lisa-campaign (4,789 trials, 64 GPUs)|$src/scenarios/strubell2019/lisa-campaign.toml|"
  "lisa-campaign, exec engine|$src/scenarios/strubell2019/lisa-campaign.toml|--set simulation.engine=exec"
  "100,000 trials, 512 GPUs|$src/tests/perf/trials-100k-512gpu.toml|"
  "100,000 trials, 512 GPUs, exec engine|$src/tests/perf/trials-100k-512gpu.toml|--set simulation.engine=exec"
  "1,000,000 trials, 4,096 GPUs|$src/tests/perf/trials-1m-4096gpu.toml|"
  "1,000,000 trials, solar-heavy synthetic grid|$src/tests/perf/trials-1m-4096gpu-solar.toml|"
  "ASHA 100,000 configs, 1,024 GPUs, crashes|$src/tests/perf/asha-100k-1024gpu.toml|"
  "100k-EV fleet 3 y + 10k req/s service 2 y|$src/tests/perf/inference-fleet-serving.toml|"
)
# The real 15-min trace lives outside the repository: benchmark it when it is there.
if [ -f "$src/../shared/data/grid/de_2020_carbon_intensity.csv" ]; then
  cases+=("1,000,000 trials, DE 2020 15-min trace|$src/tests/perf/trials-1m-4096gpu-de-trace.toml|")
else
  echo "note: ../shared/data absent: the real-trace benchmark is skipped"
fi

printf '%-42s %10s %10s %10s %14s %10s\n' case "wall min" "wall med" "wall max" "peak RSS MiB" "trace MiB"
for entry in "${cases[@]}"; do
  IFS='|' read -r name scenario extra <<<"$entry"
  walls=()
  rss_kb=0
  for ((i = 0; i < repeats; i++)); do
    # shellcheck disable=SC2086
    /usr/bin/time -v "$mlcycle" run "$scenario" -o "$out/trace.h5" --quiet $extra 2>"$out/time.txt"
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$out/time.txt" |
           awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
    walls+=("$wall")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out/time.txt")
    (( rss > rss_kb )) && rss_kb=$rss
  done
  sorted=($(printf '%s\n' "${walls[@]}" | sort -g))
  median=${sorted[$(( ${#sorted[@]} / 2 ))]}
  size=$(stat -c %s "$out/trace.h5")
  printf '%-42s %9.2fs %9.2fs %9.2fs %14.1f %10.1f\n' "$name" "${sorted[0]}" "$median" \
    "${sorted[-1]}" "$(awk -v k="$rss_kb" 'BEGIN {print k / 1024}')" \
    "$(awk -v b="$size" 'BEGIN {print b / 1048576}')"
done
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); repeats: $repeats"
