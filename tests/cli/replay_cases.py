"""The replay tests' shared fixtures (test_replay_runs.py, test_replay_examples.py): a five-job
sacct log, a one-node scenario replaying it, and helpers to write, run and check it."""
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
from cli_support import expect, expect_success, import_hdf5_stack, run_mlcycle  # noqa: E402

HEADER = "JobID|Submit|Start|End|Elapsed|State|AllocTRES|NNodes|Partition|Account|User|Timelimit\n"
# UTC. GPUs, logged run: 11: 2, 2 h; 12: 2, 1 h; 13: 4, 3 h (failed: it still ran 3 h); 14: 1,
# 1 h; 15: 3, 2 h. Submits 0, 1800, 3600, 4200, 4800 s after 2024-03-01T00:00Z. (The logged
# starts are another cluster's: the replay schedules anew.)
FIVE = HEADER + """\
11|2024-03-01T00:00:00|2024-03-01T00:00:00|2024-03-01T02:00:00|02:00:00|COMPLETED|gres/gpu=2|1|gpu|research|alice|04:00:00
12|2024-03-01T00:30:00|2024-03-01T00:30:00|2024-03-01T01:30:00|01:00:00|COMPLETED|gres/gpu=2|1|gpu|prod|bob|02:00:00
13|2024-03-01T01:00:00|2024-03-01T01:30:00|2024-03-01T04:30:00|03:00:00|FAILED|gres/gpu=4|1|gpu|prod|bob|05:00:00
14|2024-03-01T01:10:00|2024-03-01T04:30:00|2024-03-01T05:30:00|01:00:00|COMPLETED|gres/gpu=1|1|gpu|research|alice|02:00:00
15|2024-03-01T01:20:00|2024-03-01T04:30:00|2024-03-01T06:30:00|02:00:00|COMPLETED|gres/gpu=3|1|gpu|research|carol|03:00:00
"""

# One node of 4 GPUs at 300 W busy, 50 W idle, nothing else, PUE 1, 400 g/kWh.
SCENARIO = """\
[simulation]
start = 2024-03-01T00:00:00Z
seed = 1

[[cluster]]
name = "a"
gpu = "a100-sxm4-80gb"
nodes = 1
gpus_per_node = 4
region = "here"

[hardware.a]
busy_w = 300
idle_w = 50
node_overhead_w = 0
pue = 1

[grid.here]
intensity_g_per_kwh = 400

[[replay]]
name = "five"
log = "five.sacct"
"""


def write(tmp, extra="", log=FIVE, scenario=SCENARIO):
    (tmp / "five.sacct").write_text(log)
    path = tmp / "replay.toml"
    path.write_text(scenario + extra)
    return path


def run(mlcycle, tmp, extra="", log=FIVE, args=(), scenario=SCENARIO):
    """Runs `scenario` + `extra` on `log`; (result, jobs by trial, the same by trial as a dict,
    /campaigns)."""
    scenario = write(tmp, extra, log, scenario)
    out = tmp / "run.h5"
    result = run_mlcycle(mlcycle, ["run", scenario, "-o", out, *args], cwd=tmp)
    expect_success(result, "mlcycle run of a replay")
    h5py, _ = import_hdf5_stack()
    with h5py.File(out, "r") as f:
        jobs = sorted((dict(zip(f["jobs"].dtype.names, row)) for row in f["jobs"][()]),
                      key=lambda j: j["trial"])
        logged = {int(j["trial"]): j for j in jobs}  # the logged columns, by trial
        campaigns = f["campaigns"][()]
        idle = [r for r in f["summary"]["by_series"][()] if r["series"] == b"idle"]
    run.idle_energy_j = float(idle[0]["energy_j"])
    return result, jobs, logged, campaigns


def expect_schedule(jobs, expected, what):
    got = [(int(j["gpus"]), float(j["start_s"]), float(j["end_s"])) for j in jobs]
    expect(got == expected, f"{what}: (GPUs, start, end) of each job\n  got      {got}\n"
           f"  expected {expected}")
