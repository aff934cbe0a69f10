#!/usr/bin/env bash
# Benchmarks of whole runs (full accounting, HDF5 trace written): wall time and peak RSS from
# /usr/bin/time -v. Timings are printed, never asserted: machines are shared and noisy.
# FLOOR: the bare-engine floor (../shared/bench/floor_single_actor.cpp, built by CMake as
# bench_floor): it runs interleaved with the 1,000,000-trial case, and the bench prints its wall
# time and the ratio mlcycle / floor of their medians: a ratio of one session, never an
# absolute time, is what compares across runs and machines.
# usage: run_bench.sh MLCYCLE SOURCE_DIR [REPEATS [FLOOR]]
set -euo pipefail
mlcycle=$1
src=$2
repeats=${3:-3}
floor=${4:-}
floor_case="1,000,000 trials, 4,096 GPUs"
plain_case="1,000,000 trials, DE 2020 15-min trace"
policy_case="the same, threshold shifting + baseline"
generated_case="1,000,000 trials, generated 100,000 GPUs"
replay_case="1,000,000-job log replayed, 4,096 GPUs"
serving_case="100k-EV fleet 3 y + 10k req/s service 2 y"
llm_case="LLM service in tokens, 10k req/s, 1 y"
if [ -n "$floor" ] && [ ! -x "$floor" ]; then
  echo "note: $floor absent (../shared/bench missing?): no floor, no ratio"
  floor=
elif [ -z "$floor" ]; then
  echo "note: no floor given (4th argument): no ratio"
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The replay's log is generated, not shipped (15 MB): tests/perf/make_replay_log.py.
/usr/bin/python3 "$src/tests/perf/make_replay_log.py" "$out/replay-1m.csv"

cases=(
  "lisa-campaign (4,789 trials, 64 GPUs)|$src/scenarios/strubell2019/lisa-campaign.toml|"
  "lisa-campaign, exec engine|$src/scenarios/strubell2019/lisa-campaign.toml|--set simulation.engine=exec"
  "100,000 trials, 512 GPUs|$src/tests/perf/trials-100k-512gpu.toml|"
  "100,000 trials, 512 GPUs, exec engine|$src/tests/perf/trials-100k-512gpu.toml|--set simulation.engine=exec"
  "$floor_case|$src/tests/perf/trials-1m-4096gpu.toml|"
  "$generated_case|$src/tests/perf/trials-1m-100kgpu-generated.toml|"
  "$replay_case|$src/tests/perf/replay-1m-4096gpu.toml|--set replay.bench.log=$out/replay-1m.csv"
  "1,000,000 trials, solar-heavy synthetic grid|$src/tests/perf/trials-1m-4096gpu-solar.toml|"
  "ASHA 100,000 configs, 1,024 GPUs, crashes|$src/tests/perf/asha-100k-1024gpu.toml|"
  "$serving_case|$src/tests/perf/inference-fleet-serving.toml|"
  "$llm_case|$src/tests/perf/llm-serving-10k.toml|"
)
# The real 15-min trace lives outside the repository: benchmark it when it is there.
if [ -f "$src/../shared/data/grid/de_2020_carbon_intensity.csv" ]; then
  cases+=("1,000,000 trials, DE 2020 15-min trace|$src/tests/perf/trials-1m-4096gpu-de-trace.toml|")
  # The same with threshold shifting: two passes (the counterfactual in a child process).
  cases+=("$policy_case|$src/tests/perf/trials-1m-4096gpu-de-threshold.toml|")
else
  echo "note: ../shared/data absent: the real-trace benchmark is skipped"
fi

# Wall seconds of the /usr/bin/time -v report in $out/time.txt.
wall_of() {
  awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$out/time.txt" |
    awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }'
}
median_of() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int(NR / 2) + 1] }'; }

printf '%-42s %10s %10s %10s %14s %10s\n' case "wall min" "wall med" "wall max" "peak RSS MiB" "trace MiB"
floor_walls=()
paired_walls=()
replay_paired_walls=()
for entry in "${cases[@]}"; do
  IFS='|' read -r name scenario extra <<<"$entry"
  walls=()
  rss_kb=0
  for ((i = 0; i < repeats; i++)); do
    if [ -n "$floor" ] && [ "$name" = "$floor_case" ]; then
      /usr/bin/time -v "$floor" 1000000 4096 --log=root.thres:critical >/dev/null 2>"$out/time.txt"
      floor_walls+=("$(wall_of)")
    fi
    # The generated platform's ratio pairs each of its runs with a run of the 4,096-GPU case
    # just before it, so that the machine's drift between the two rows does not enter it.
    if [ "$name" = "$generated_case" ]; then
      /usr/bin/time -v "$mlcycle" run "$src/tests/perf/trials-1m-4096gpu.toml" -o "$out/trace.h5" \
        --quiet 2>"$out/time.txt"
      paired_walls+=("$(wall_of)")
    fi
    # The replay's ratio pairs its runs with the synthetic case's the same way.
    if [ "$name" = "$replay_case" ]; then
      /usr/bin/time -v "$mlcycle" run "$src/tests/perf/trials-1m-4096gpu.toml" -o "$out/trace.h5" \
        --quiet 2>"$out/time.txt"
      replay_paired_walls+=("$(wall_of)")
    fi
    # shellcheck disable=SC2086
    /usr/bin/time -v "$mlcycle" run "$scenario" -o "$out/trace.h5" --quiet $extra 2>"$out/time.txt"
    walls+=("$(wall_of)")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out/time.txt")
    (( rss > rss_kb )) && rss_kb=$rss
  done
  sorted=($(printf '%s\n' "${walls[@]}" | sort -g))
  median=${sorted[$(( ${#sorted[@]} / 2 ))]}
  [ "$name" = "$floor_case" ] && floor_case_median=$median
  [ "$name" = "$plain_case" ] && plain_case_median=$median
  [ "$name" = "$policy_case" ] && policy_case_median=$median
  [ "$name" = "$generated_case" ] && generated_case_median=$median
  [ "$name" = "$replay_case" ] && replay_case_median=$median
  [ "$name" = "$serving_case" ] && serving_case_median=$median
  [ "$name" = "$llm_case" ] && llm_case_median=$median
  size=$(stat -c %s "$out/trace.h5")
  printf '%-42s %9.2fs %9.2fs %9.2fs %14.1f %10.1f\n' "$name" "${sorted[0]}" "$median" \
    "${sorted[-1]}" "$(awk -v k="$rss_kb" 'BEGIN {print k / 1024}')" \
    "$(awk -v b="$size" 'BEGIN {print b / 1048576}')"
done
if [ ${#floor_walls[@]} -gt 0 ]; then
  floor_median=$(median_of "${floor_walls[@]}")
  printf '%-42s %9.2fs (median of %d, each run just before one of "%s")\n' \
    "bare-engine floor, 1,000,000 trials" "$floor_median" "${#floor_walls[@]}" "$floor_case"
  printf '%-42s %9.2f  (%s: median wall / floor median wall)\n' "ratio mlcycle / floor" \
    "$(awk -v m="$floor_case_median" -v f="$floor_median" 'BEGIN {print m / f}')" "$floor_case"
fi
if [ -n "${generated_case_median:-}" ] && [ ${#paired_walls[@]} -gt 0 ]; then
  printf '%-42s %9.2f  (%s / %s run just before each: median walls %.2f s / %.2f s)\n' \
    "ratio 100,000 / 4,096 GPUs" \
    "$(awk -v g="$generated_case_median" -v m="$(median_of "${paired_walls[@]}")" 'BEGIN {print g / m}')" \
    "$generated_case" "$floor_case" "$generated_case_median" "$(median_of "${paired_walls[@]}")"
fi
if [ -n "${replay_case_median:-}" ] && [ ${#replay_paired_walls[@]} -gt 0 ]; then
  printf '%-42s %9.2f  (%s / %s run just before each: median walls %.2f s / %.2f s)\n' \
    "ratio replay / synthetic" \
    "$(awk -v r="$replay_case_median" -v m="$(median_of "${replay_paired_walls[@]}")" 'BEGIN {print r / m}')" \
    "$replay_case" "$floor_case" "$replay_case_median" "$(median_of "${replay_paired_walls[@]}")"
fi
if [ -n "${llm_case_median:-}" ] && [ -n "${serving_case_median:-}" ]; then
  printf '%-42s %9.2f  (%s / %s: median walls)\n' "ratio LLM service / serving case" \
    "$(awk -v l="$llm_case_median" -v s="$serving_case_median" 'BEGIN {print l / s}')" \
    "$llm_case" "$serving_case"
fi
if [ -n "${policy_case_median:-}" ]; then
  printf '%-42s %9.2f  (%s / %s: median walls)\n' "ratio policy run / plain run" \
    "$(awk -v p="$policy_case_median" -v q="$plain_case_median" 'BEGIN {print p / q}')" \
    "$policy_case" "$plain_case"
fi
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); repeats: $repeats"
