"""`[[replay]]` on the example generator's logs (the fidelity check: every logged start
reproduced by FIFO; the shipped week; an SWF log) and bad replays: exit 2 with one located line
and no output (docs/replay.md).

    /usr/bin/python3 -m pytest tests/cli/test_replay_examples.py --mlcycle PATH
"""
import json
import subprocess
import sys

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
from cli_support import (SOURCE_DIR, expect, expect_success, import_hdf5_stack,  # noqa: E402
                         run_mlcycle)
from replay_cases import FIVE, SCENARIO, write  # noqa: E402


def generate(tmp, *args):
    generator = SOURCE_DIR / "scenarios" / "replay" / "generate_logs.py"
    return subprocess.run(["/usr/bin/python3", generator, *args], cwd=tmp, check=True,
                          capture_output=True, text=True).stdout


@pytest.mark.title("replay: fidelity, the generated log's every start reproduced by FIFO")
def test_fidelity(mlcycle, tmp):
    # The generator schedules strict FIFO with mlcycle's allocation rule on 8 nodes of 8 GPUs;
    # replayed with its own times (anchor = "log") on the same cluster, each job starts when the
    # log says. Four days at 8 jobs an hour, more than the cluster runs: a queue that grows,
    # 32-GPU gangs over nodes: 540 jobs ran (25 still running at the end), 237 never started.
    generate(tmp, "--sacct", "gen.sacct", "--horizon", "96", "--rate", "8", "--seed", "7")
    scenario = SCENARIO.replace("nodes = 1\ngpus_per_node = 4", "nodes = 8\ngpus_per_node = 8")
    scenario = scenario.replace("start = 2024-03-01T00:00:00Z", "start = 2024-03-04T00:00:00Z")
    scenario = scenario.replace('log = "five.sacct"', 'log = "gen.sacct"')
    (tmp / "gen.toml").write_text(scenario + 'utc_offset = "+01:00"\nanchor = "log"\n')
    result = run_mlcycle(mlcycle, ["run", "gen.toml", "-o", "gen.h5"], cwd=tmp)
    expect_success(result, "replay of the generated log")
    h5py, np = import_hdf5_stack()
    with h5py.File(tmp / "gen.h5", "r") as f:
        jobs = f["jobs"][()]
    # Submits map one to one (the first at the scenario start): equal waits, equal starts.
    differ = np.flatnonzero(jobs["wait_s"] != jobs["logged_wait_s"])
    expect(len(jobs) > 300, f"only {len(jobs)} jobs replayed")
    expect(len(differ) == 0, f"{len(differ)} of {len(jobs)} starts differ from the log, first "
           f"trial {differ[:1]}")


@pytest.mark.title("replay: the shipped example week is the generator's own log")
def test_shipped_week(mlcycle, tmp):
    generate(tmp, "--sacct", "week.sacct", "--horizon", "168")
    shipped = SOURCE_DIR / "scenarios" / "replay" / "week.sacct"
    expect((tmp / "week.sacct").read_bytes() == shipped.read_bytes(),
           f"{shipped} differs from generate_logs.py --sacct week.sacct --horizon 168")
    result = run_mlcycle(mlcycle, ["run", SOURCE_DIR / "scenarios" / "replay" /
                                   "week-as-logged.toml", "-o", tmp / "week.h5"], cwd=tmp)
    expect_success(result, "week-as-logged")
    h5py, np = import_hdf5_stack()
    with h5py.File(tmp / "week.h5", "r") as f:
        jobs = f["jobs"][()]
    expect(np.array_equal(jobs["wait_s"], jobs["logged_wait_s"]),
           "week-as-logged reproduces every logged wait, so every logged start")


@pytest.mark.title("replay: an SWF log replays its processors as GPUs")
def test_swf(mlcycle, tmp):
    summary = generate(tmp, "--swf", "gen.swf", "--horizon", "48", "--seed", "3")
    scenario = SCENARIO.replace("nodes = 1\ngpus_per_node = 4", "nodes = 8\ngpus_per_node = 8")
    scenario = scenario.replace('log = "five.sacct"', 'log = "gen.swf"')
    (tmp / "swf.toml").write_text(scenario + "processors_per_gpu = 4\n")
    result = run_mlcycle(mlcycle, ["run", "swf.toml", "-o", "swf.h5"], cwd=tmp)
    expect_success(result, "replay of the generated SWF log")
    expected = json.loads(summary)
    # SWF holds the jobs that ended by the log's horizon: started - running of them.
    replayed = expected["started"] - expected["running"]
    expect(f"jobs             {replayed} completed" in result.stdout,
           f"{replayed} jobs replayed", result)


BAD = [
    ("missing log", 'log = "none.sacct"', "replay[0].log: no such file"),
    ("unknown format", 'format = "philly"', "replay[0].format: 'philly' is not sacct, swf or csv"),
    ("swf option on sacct", "processors_per_gpu = 4",
     "replay[0].processors_per_gpu: is for swf logs"),
    ("bad utc offset", 'utc_offset = "+25:00"',
     "replay[0].utc_offset: '+25:00' is not an offset like +01:00 or -05:00"),
    ("bad anchor", 'anchor = "last"', "replay[0].anchor: "),
    ("zero speed", "speed = 0", "replay[0].speed: must be greater than zero"),
    ("speed word", 'speed = "fast"', 'replay[0].speed: is a number > 0 or "catalog"'),
    ("logged gpu without catalog", 'logged_gpu = "v100-sxm2"',
     'replay[0].logged_gpu: applies with speed = "catalog"'),
    ("catalog speed without a type", 'speed = "catalog"',
     "replay.five.speed: a job names no GPU type: give 'logged_gpu'"),
    ("unknown logged gpu", 'speed = "catalog"\nlogged_gpu = "k80"',
     "replay.five.speed: logged GPU type 'k80' is not in the catalog"),
    ("gpu_types without catalog", 'gpu_types = { v100 = "v100-sxm2" }',
     'replay[0].gpu_types: applies with speed = "catalog"'),
    ("phases without phase_by", 'phases = { prod = "training" }',
     "replay[0].phases: needs 'phase_by'"),
    ("unknown phase", 'phase_by = "account"\nphases = { prod = "deploy" }',
     "replay[0].phases: 'prod': "),
    ("bad phase_by", 'phase_by = "group"', "replay[0].phase_by: "),
    ("window backwards", "from = 2024-03-02T00:00:00Z\nto = 2024-03-01T00:00:00Z",
     "replay[0].to: must be after 'from'"),
    ("filters keep nothing", 'accounts = ["nobody"]', "holds no job to replay"),
    ("unknown key", "speedup = 2", "speedup"),
    ("name used twice", '[[replay]]\nname = "five"\nlog = "five.sacct"',
     "replay[1].name: 'five' is used by an earlier campaign or replay"),
    ("job larger than the cluster", None,
     "replay.five: its largest logged job asks 8 GPUs, but cluster 'a' has only 4"),
    ("bad log line", "", "five.sacct:3:"),
]


@pytest.mark.title("replay: bad input: {}")
@pytest.mark.parametrize("case", BAD, ids=[c[0] for c in BAD])
def test_bad_replay(mlcycle, tmp, case):
    name, extra, message = case
    log = FIVE
    if extra is None:
        log, extra = FIVE.replace("gres/gpu=4", "gres/gpu=8"), ""
    if name == "bad log line":
        log = FIVE.replace("2024-03-01T00:30:00|2024", "2024-03-01T24:30:00|2024")
    scenario = SCENARIO
    if extra.startswith("log = "):
        scenario, extra = SCENARIO.replace('log = "five.sacct"', extra), ""
    write(tmp, extra + "\n", log, scenario)
    for command in (["run", "replay.toml", "-o", "bad.h5"], ["check", "replay.toml"]):
        result = run_mlcycle(mlcycle, command, cwd=tmp)
        expect(result.returncode == 2, f"{name}: {command[0]} exits 2", result)
        lines = result.stderr.strip().splitlines()
        expect(len(lines) == 1 and message in lines[0],
               f"{name}: one line with {message!r}", result)
    expect(not list(tmp.glob("bad.h5*")), f"{name}: no output file")
