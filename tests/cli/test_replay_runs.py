"""`[[replay]]`: a cluster's job log replayed on a simulated platform (docs/replay.md, "Replaying
a log"): hand-computed starts, energy and CO2e of a 5-job log on 4 GPUs with FIFO; the speed
factor (a number and the catalog's); filters, anchoring, campaigns by account and the phase
mapping; the logged id, wait and state in /jobs beside the simulated ones; the queue and
backfilling. The example generator's logs and bad input: test_replay_examples.py.

    /usr/bin/python3 -m pytest tests/cli/test_replay_runs.py --mlcycle PATH
"""
import math
import sys
import tomllib

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
from cli_support import (SOURCE_DIR, expect, expect_close, import_hdf5_stack,  # noqa: E402
                         run_mlcycle)
from replay_cases import FIVE, HEADER, SCENARIO, expect_schedule, run, write  # noqa: E402


@pytest.mark.title("replay: five logged jobs on 4 GPUs with FIFO, hand-computed")
def test_five_jobs(mlcycle, tmp):
    result, jobs, logged, campaigns = run(mlcycle, tmp)
    # Strict FIFO on one node of 4 GPUs: 11 [0, 7200) and 12 [1800, 5400) run together; 13 (4
    # GPUs, 3600) waits for both: [7200, 18000); 14 (1 GPU) and 15 (3 GPUs) wait behind it and
    # then start together: [18000, 21600) and [18000, 25200).
    expect_schedule(jobs, [(2, 0.0, 7200.0), (2, 1800.0, 5400.0), (4, 7200.0, 18000.0),
                           (1, 18000.0, 21600.0), (3, 18000.0, 25200.0)], "FIFO replay")
    expect([float(j["submit_s"]) for j in jobs] == [0.0, 1800.0, 3600.0, 4200.0, 4800.0],
           "submits: the logged ones, the first at the scenario start")
    # Energy: GPUs x 300 W x run: 4.32, 2.16, 12.96, 1.08, 6.48 MJ = 27 MJ = 7.5 kWh, 3,000 g.
    for job, mj in zip(jobs, [4.32, 2.16, 12.96, 1.08, 6.48]):
        expect_close(job["energy_j"], mj * 1e6, f"energy of trial {job['trial']}")
        expect_close(job["co2_g"], mj * 1e6 / 3.6e6 * 400, f"CO2e of trial {job['trial']}")
    expect_close(campaigns[0]["energy_j"], 27e6, "the replay's energy")
    expect_close(campaigns[0]["co2_g"], 3000.0, "the replay's CO2e")
    expect(campaigns[0]["search"] == b"replay", f"/campaigns search: {campaigns[0]['search']}")
    # Idle: 4 GPUs x 25,200 s - 90,000 busy GPU-s = 10,800 GPU-s x 50 W = 0.54 MJ = 0.15 kWh.
    expect_close(run.idle_energy_j, 0.54e6, "idle energy")
    expect("total                   5          25.0           7.7" in result.stdout,
           "summary: 5 jobs, 25 GPU-hours, 7.65 kWh", result)
    # /jobs keeps what the log says beside the simulated values.
    expect([logged[t]["logged_id"] for t in range(5)] == [b"11", b"12", b"13", b"14", b"15"],
           f"logged ids: {[logged[t]['logged_id'] for t in range(5)]}")
    expect([logged[t]["logged_wait_s"] for t in range(5)] == [0, 0, 1800, 12000, 11400],
           "logged waits: start - submit in the log")
    expect([jobs[t]["wait_s"] for t in range(5)] == [0, 0, 3600, 13800, 13200],
           "simulated waits beside them")
    expect([int(logged[t]["logged_state"]) for t in range(5)] == [0, 0, 1, 0, 0],
           "13 failed (enum code 1), the others completed (0)")


@pytest.mark.title("replay: a synthetic campaign's jobs beside a replay's have no logged values")
def test_logged_columns_of_other_jobs(mlcycle, tmp):
    # One 1-GPU trial of 1 h, priority above the replay's: it starts at 0 beside 11.
    extra = ('\n[[campaign]]\nname = "sweep"\ntrials = 1\ngpus_per_trial = 1\npriority = 1\n'
             'length = { hours = 1 }\n')
    _, jobs, _, campaigns = run(mlcycle, tmp, extra=extra)
    # Replays come after the [[campaign]]s: the sweep is campaign 0, the replay 1.
    sweep = [j for j in jobs if int(j["campaign"]) == 0]
    expect(len(sweep) == 1, f"one sweep job, got {len(sweep)}")
    expect(sweep[0]["logged_id"] == b"" and math.isnan(sweep[0]["logged_wait_s"]),
           f"no logged id or wait: {sweep[0]['logged_id']!r} {sweep[0]['logged_wait_s']}")
    expect(int(sweep[0]["logged_state"]) == 10, "logged_state 'none' (code 10)")
    replayed = [j for j in jobs if int(j["campaign"]) == 1]
    expect([j["logged_id"] for j in replayed] == [b"11", b"12", b"13", b"14", b"15"],
           "the replay's jobs keep theirs")


@pytest.mark.title("replay: a speed factor divides every run time exactly")
def test_speed_factor(mlcycle, tmp):
    _, jobs, logged, campaigns = run(mlcycle, tmp, "speed = 2\n")
    # Runs halve: 11 [0, 3600), 12 [1800, 3600); 13 at its submit 3600, as both end then (ends
    # before starts): [3600, 9000); 14 [9000, 10800); 15 [9000, 12600). Energy halves: 13.5 MJ.
    expect_schedule(jobs, [(2, 0.0, 3600.0), (2, 1800.0, 3600.0), (4, 3600.0, 9000.0),
                           (1, 9000.0, 10800.0), (3, 9000.0, 12600.0)], "speed 2")
    expect_close(campaigns[0]["energy_j"], 13.5e6, "energy at speed 2")
    expect([logged[t]["logged_wait_s"] for t in range(5)] == [0, 0, 1800, 12000, 11400],
           "the logged waits are the log's, whatever the speed")


@pytest.mark.title("replay: speed from the catalog, logged V100s on A100s")
def test_catalog_speed(mlcycle, tmp):
    _, jobs, logged, _ = run(mlcycle, tmp, 'speed = "catalog"\nlogged_gpu = "v100-sxm2"\n')
    with open(SOURCE_DIR / "platforms" / "hardware.toml", "rb") as f:
        catalog = tomllib.load(f)

    def peak(gpu_id):
        entry = catalog["gpu"][gpu_id]
        return max(entry[k] for k in ("bf16_tflops", "fp16_tflops", "fp32_tflops"))

    speed = peak("a100-sxm4-80gb") / peak("v100-sxm2")  # 312 / 125 = 2.496
    expect_close(jobs[0]["end_s"], 7200 / speed, "11 runs 2 h / speed")


@pytest.mark.title("replay: sacct's GPU types mapped to catalog ids for the catalog speed")
def test_typed_gpus(mlcycle, tmp):
    # 11 ran on "v100"s, 12 on "t4"s (sacct's gres/gpu:TYPE); the others name no type.
    log = FIVE.replace("|gres/gpu=2|1|gpu|research|alice|04:00:00",
                       "|gres/gpu:v100=2|1|gpu|research|alice|04:00:00")
    log = log.replace("|gres/gpu=2|1|gpu|prod|bob|", "|gres/gpu:t4=2|1|gpu|prod|bob|")
    extra = ('speed = "catalog"\nlogged_gpu = "a100-sxm4-80gb"\n'
             'gpu_types = { v100 = "v100-sxm2", t4 = "t4" }\n')
    _, _, logged, _ = run(mlcycle, tmp, extra, log=log)

    def run_h(trial):
        return float(logged[trial]["end_s"] - logged[trial]["start_s"]) / 3600
    with open(SOURCE_DIR / "platforms" / "hardware.toml", "rb") as f:
        gpus = tomllib.load(f)["gpu"]

    def peak(gpu_id):
        return max(gpus[gpu_id][k] for k in ("bf16_tflops", "fp16_tflops", "fp32_tflops"))

    # Each logged run (11: 2 h, 12: 1 h, 13: 3 h) over its type's speed on the A100s.
    a100 = peak("a100-sxm4-80gb")
    expect_close(run_h(0), 2 / (a100 / peak("v100-sxm2")), "v100 -> A100: 2 h / (312 / 125)")
    expect_close(run_h(1), 1 / (a100 / peak("t4")), "t4 -> A100: 1 h / (312 / 65)")
    expect_close(run_h(2), 3.0, "no type: logged_gpu, the A100 itself, speed 1")
    # Without the mapping "t4" is still a catalog id, "v100" is not: named, with the way out.
    write(tmp, 'speed = "catalog"\nlogged_gpu = "a100-sxm4-80gb"\n', log)
    result = run_mlcycle(mlcycle, ["run", "replay.toml", "-o", "bad.h5"], cwd=tmp)
    expect(result.returncode == 2 and "logged GPU type 'v100' is not in the catalog: map it with "
           "gpu_types" in result.stderr, "an unmapped type", result)


@pytest.mark.title("replay: filters, re-anchoring and an offset")
def test_filters_and_anchor(mlcycle, tmp):
    # Accounts: research only (11, 14, 15): 11 [0, 7200) on 2 GPUs; 14 at 4200 on 1 of the 2
    # free: [4200, 7800); 15 (3 GPUs, 4800) waits for 11: [7200, 14400).
    _, jobs, logged, _ = run(mlcycle, tmp, 'accounts = ["research"]\n')
    expect_schedule(jobs, [(2, 0.0, 7200.0), (1, 4200.0, 7800.0), (3, 7200.0, 14400.0)],
                    "accounts = research")
    expect([logged[t]["logged_id"] for t in range(3)] == [b"11", b"14", b"15"], "kept ids")
    # From 01:00Z (13, 14, 15), first-submit anchor: 13 at 0 [0, 10800); 14, 15 behind it.
    _, jobs, _, _ = run(mlcycle, tmp, "from = 2024-03-01T01:00:00Z\n")
    expect_schedule(jobs, [(4, 0.0, 10800.0), (1, 10800.0, 14400.0), (3, 10800.0, 18000.0)],
                    "from 01:00Z")
    # Logged times kept (anchor = "log"), one hour later: every submit + 3600.
    _, jobs, _, _ = run(mlcycle, tmp, 'anchor = "log"\noffset = "1h"\nusers = ["bob"]\n')
    expect_schedule(jobs, [(2, 5400.0, 9000.0), (4, 9000.0, 19800.0)], "anchor log, +1 h, bob")


@pytest.mark.title("replay: one log as campaigns by account, the rest in a campaign of its own")
def test_campaigns_by_account(mlcycle, tmp):
    # Accounts: 11, 14, 15 research; 12, 13 prod. "research" takes its account, "rest" everything
    # else. Both anchor at the log's times (one clock for the two), on the same 4 GPUs.
    head = SCENARIO.replace('[[replay]]\nname = "five"\nlog = "five.sacct"\n', "")
    scenario = head + (
        '[[replay]]\nname = "research"\nlog = "five.sacct"\nanchor = "log"\n'
        'accounts = ["research"]\n\n'
        '[[replay]]\nname = "rest"\nlog = "five.sacct"\nanchor = "log"\n'
        'exclude_accounts = ["research"]\npriority = -1\n')
    result, jobs, _, campaigns = run(mlcycle, tmp, scenario=scenario)
    names = [n.decode() for n in campaigns["name"]]
    by_campaign = {}
    for j in jobs:
        by_campaign.setdefault(names[int(j["campaign"])], []).append(j["logged_id"].decode())
    expect(sorted(by_campaign["research"]) == ["11", "14", "15"], f"research: {by_campaign}")
    expect(sorted(by_campaign["rest"]) == ["12", "13"], f"rest: {by_campaign}")
    # The same five jobs as one replay: the same GPU-hours (2x2 + 2x1 + 4x3 + 1x1 + 3x2 = 25).
    expect("total                   5          25.0" in result.stdout, "5 jobs, 25 GPU-hours",
           result)


@pytest.mark.title("replay: jobs submitted before the scenario start are not replayed")
def test_before_start(mlcycle, tmp):
    scenario = SCENARIO.replace("start = 2024-03-01T00:00:00Z", "start = 2024-03-01T01:00:00Z")
    _, jobs, _, _ = run(mlcycle, tmp, 'anchor = "log"\n', scenario=scenario)
    starts = sorted(float(j["start_s"]) for j in jobs)
    # 13 at 0 (01:00Z) [0, 10800); 14 and 15 behind it.
    expect(starts == [0.0, 10800.0, 10800.0], f"starts {starts}")


@pytest.mark.title("replay: phases by account; a log out of submit order")
def test_phases_and_order(mlcycle, tmp):
    result, jobs, _, _ = run(mlcycle, tmp,
                             'phase_by = "account"\nphases = { prod = "training" }\n')
    expect([int(j["phase"]) for j in jobs] == [0, 1, 1, 0, 0], "12 and 13 are training")
    expect("training                2          14.0" in result.stdout,
           "summary: 2 training jobs, 2 x 1 + 4 x 3 = 14 GPU-hours", result)
    # B is written first but submitted 10 min after A: the replay reads ahead the log's
    # disorder (600 s) and releases them in submit order. Anchor: A's submit, 00:00Z.
    log = HEADER + (
        "B|2024-03-01T00:10:00|2024-03-01T00:10:00|2024-03-01T01:10:00|01:00:00|COMPLETED|"
        "gres/gpu=4|1|gpu|x|u|\n"
        "A|2024-03-01T00:00:00|2024-03-01T00:00:00|2024-03-01T01:00:00|01:00:00|COMPLETED|"
        "gres/gpu=1|1|gpu|x|u|\n")
    _, jobs, logged, _ = run(mlcycle, tmp, log=log)
    # A (trial 1) [0, 3600) on 1 GPU; B (trial 0, 4 GPUs) at 600 waits for it: [3600, 7200).
    expect_schedule(jobs, [(4, 3600.0, 7200.0), (1, 0.0, 3600.0)], "out of order")
    expect([logged[t]["logged_id"] for t in range(2)] == [b"B", b"A"], "trials in log order")
    expect([float(j["wait_s"]) for j in jobs] == [3000.0, 0.0], "waits from each own submit")


@pytest.mark.title("replay: crashes drawn on top of the log with 'failures'")
def test_failures(mlcycle, tmp):
    # Every attempt crashes (probability 1) at a uniform time of its run, and none is retried:
    # five failed jobs, each shorter than its logged run.
    _, jobs, _, _ = run(mlcycle, tmp, "failures = { crash_probability = 1, max_retries = 0 }\n")
    expect([int(j["stop_reason"]) for j in jobs] == [3] * 5, "all failed (stop reason 3)")
    runs = [7200, 3600, 10800, 3600, 7200]
    expect(all(0 < j["end_s"] - j["start_s"] < run for j, run in zip(jobs, runs)),
           "each crashed within its run")


@pytest.mark.title("replay: --set reaches a replay's keys")
def test_set_override(mlcycle, tmp):
    _, jobs, _, _ = run(mlcycle, tmp, args=["--set", "replay.five.speed=4"])
    expect_close(jobs[0]["end_s"], 1800.0, "11 runs 7200 / 4 s")


# A 4-GPU job runs 0-5 h; 1-GPU jobs arrive at 1, 2, 3 and 4 h and wait for it.
QUEUE = HEADER + "".join(
    f"{i}|2024-03-01T0{h}:00:00|2024-03-01T05:00:00|2024-03-01T06:00:00|01:00:00|COMPLETED|"
    f"gres/gpu={4 if i == 1 else 1}|1|gpu|a|u|06:00:00\n" for i, h in enumerate(range(5), 1)
).replace("1|2024-03-01T00:00:00|2024-03-01T05:00:00|2024-03-01T06:00:00|01:00:00",
          "1|2024-03-01T00:00:00|2024-03-01T00:00:00|2024-03-01T05:00:00|05:00:00")


@pytest.mark.title("replay: the queue in the trace counts every released job that waits")
def test_queue_in_trace(mlcycle, tmp):
    _, jobs, _, _ = run(mlcycle, tmp, log=QUEUE)
    expect_schedule(jobs, [(4, 0.0, 18000.0)] + [(1, 18000.0, 21600.0)] * 4, "queue")
    h5py, _ = import_hdf5_stack()
    with h5py.File(tmp / "run.h5", "r") as f:
        queue = [float(q) for q in f["trace"]["cluster_queue_jobs"][:, 0]]
    # Hourly bins, the queue at each bin's start... its mean: 0, 1, 2, 3, 4 then 0, 0.
    expect(queue[:6] == [0.0, 1.0, 2.0, 3.0, 4.0, 0.0], f"queue per bin {queue}")


@pytest.mark.title("replay: easy-backfill starts a replay's later jobs around its blocked one")
def test_backfill_inside_replay(mlcycle, tmp):
    # 1: 3 GPUs 0-5 h (limit 5 h); 2: 4 GPUs at 00:10, blocked until 5 h; 3: 1 GPU at 00:20 for
    # 1 h (limit 1 h): it ends before 2's reservation at 5 h, so it backfills at once.
    log = HEADER + (
        "1|2024-03-01T00:00:00|2024-03-01T00:00:00|2024-03-01T05:00:00|05:00:00|COMPLETED|"
        "gres/gpu=3|1|gpu|a|u|05:00:00\n"
        "2|2024-03-01T00:10:00|2024-03-01T05:00:00|2024-03-01T06:00:00|01:00:00|COMPLETED|"
        "gres/gpu=4|1|gpu|a|u|01:00:00\n"
        "3|2024-03-01T00:20:00|2024-03-01T00:20:00|2024-03-01T01:20:00|01:00:00|COMPLETED|"
        "gres/gpu=1|1|gpu|a|u|01:00:00\n")
    _, rows, _, _ = run(mlcycle, tmp, log=log,
                        scenario=SCENARIO + '\n[scheduler]\npolicy = "easy-backfill"\n')
    got = [(float(j["start_s"]), float(j["end_s"])) for j in rows]
    expect(got == [(0.0, 18000.0), (18000.0, 21600.0), (1200.0, 4800.0)],
           f"backfilled schedule {got}")
    # FIFO keeps 3 behind 2, which takes all 4 GPUs from 5 h to 6 h: 3 starts at 6 h.
    _, jobs, _, _ = run(mlcycle, tmp, log=log)
    starts = sorted(float(j["start_s"]) for j in jobs)
    expect(starts == [0.0, 18000.0, 21600.0], f"FIFO starts {starts}")
