#!/usr/bin/python3
"""Writes the replay benchmark's job log (tests/perf/replay-1m-4096gpu.toml): N one-GPU jobs as a
CSV of submit (seconds after the log's start), duration (s) and GPUs, seeded. Run times are the
synthetic 1,000,000-trial case's (lognormal, median 1.5 h, sigma 1, at least 0.05 h); jobs arrive
as a Poisson stream at 1,800 an hour, a little above what 4,096 GPUs finish (about 1,640 an hour
at the mean run of 2.5 h), so the cluster stays busy and a queue builds, as in the synthetic case.

    /usr/bin/python3 tests/perf/make_replay_log.py OUT.csv [JOBS]
"""
import math
import random
import sys


def main():
    out, jobs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    rng = random.Random(1)
    t = 0.0
    with open(out, "w") as f:
        f.write("submit,duration,gpus\n")
        for _ in range(jobs):
            t += rng.expovariate(1800 / 3600.0)
            run_h = max(math.exp(math.log(1.5) + rng.gauss(0, 1)), 0.05)
            f.write(f"{int(t)},{int(run_h * 3600)},1\n")


if __name__ == "__main__":
    main()
