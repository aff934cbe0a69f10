"""The trace of lifecycle runs read back by other tools: h5dump, h5py and pandas read /campaigns,
/deployments, /stages and the lifecycle fields of /jobs, and energy is conserved from the file
alone:

    sum(/jobs energy_j) + sum(/deployments energy_j) + idle (/summary/by_series)
        == sum(/trace/energy_j) == /summary energy_j                        (relative 1e-9)

(serving deployments draw on the platform's hosts, fleets at sites of their own; both are in the
inference series), the last row of /trace/energy_cumulative_j and co2_cumulative_g is the column
sums of /trace/energy_j and co2_g, and the per-campaign and per-deployment series add up to their
table rows.

    /usr/bin/python3 -m pytest tests/cli/test_lifecycle_outputs.py --mlcycle PATH

Needs h5py, numpy and pandas (Debian's /usr/bin/python3).
"""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
import conservation  # noqa: E402
from cli_support import (SCENARIOS_DIR, SOURCE_DIR, TestFailure, expect,
                         expect_close, expect_success, import_hdf5_stack, run_mlcycle, temp_dir)

LISA_LIFECYCLE = SCENARIOS_DIR / "lisa-lifecycle.toml"
ASHA_VS_RANDOM = SCENARIOS_DIR / "asha-vs-random.toml"
POWER_STATES = SOURCE_DIR / "tests" / "data" / "power-states.xml"  # 2 x 1 GPU, region "r", PUE 1
SERIES = ["experimentation", "training", "inference", "idle"]
NO_STAGE = 2**32 - 1
REL = 1e-9

# tests/data/lifecycle-mix.toml: an ASHA search, a training run that crashes and resumes from
# checkpoints, a day of serving after it, and a fleet of electric vehicles charging from grid
# region "f" (deployments_scenario can move it to the hosts' region).
MIX_SCENARIO = SOURCE_DIR / "tests" / "data" / "lifecycle-mix.toml"



def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def run_file(mlcycle, tmp, scenario, name):
    out = Path(tmp) / name
    result = run_mlcycle(mlcycle, ["run", scenario, "-o", out, "--quiet"], cwd=tmp)
    expect_success(result, f"run {Path(scenario).name}")
    expect(out.is_file(), f"{out} was not written", result)
    return out


def deployments_scenario(tmp, fleet_region):
    scenario = Path(tmp) / f"deployments-{fleet_region}.toml"
    text = MIX_SCENARIO.read_text().replace('platform = "power-states.xml"',
                                            f'platform = "{POWER_STATES}"')
    scenario.write_text(text.replace('region = "f"', f'region = "{fleet_region}"'))
    return scenario


def h5dump_table(path, dataset):
    """`h5dump -d DATASET`: its text (types and values)."""
    h5dump = shutil.which("h5dump")
    expect(h5dump is not None, "h5dump is not installed (Debian package hdf5-tools)")
    proc = subprocess.run([h5dump, "-d", dataset, str(path)], capture_output=True, text=True,
                          timeout=10)
    expect(proc.returncode == 0, f"h5dump -d {dataset} {path} exited {proc.returncode}:\n"
                                 f"{proc.stderr[:2000]}")
    return proc.stdout


def check_h5dump(path, campaigns, deployments):
    dump = h5dump_table(path, "/campaigns")
    for needle in ('H5T_COMPOUND', 'H5T_ENUM', '"experimentation"  0;', '"training"         1;',
                   '"inference"        2;', '} "name";', 'H5T_STD_U64LE "stopped_early";',
                   'H5T_IEEE_F64LE "saved_gpu_hours";', 'H5T_IEEE_F64LE "best_score";',
                   f'DATASPACE  SIMPLE {{ ( {len(campaigns)} ) / ( {len(campaigns)} ) }}'):
        expect(needle in dump, f"h5dump -d /campaigns lacks {needle!r}")
    for name in campaigns:
        expect(f'"{name}"' in dump, f"h5dump -d /campaigns does not show campaign {name!r}")
    dump = h5dump_table(path, "/deployments")
    for needle in ('H5T_COMPOUND', '} "kind";', 'H5T_IEEE_F64LE "wh_per_request";',
                   'H5T_STD_U32LE "max_replicas";', 'H5T_STD_U32LE "updates";'):
        expect(needle in dump, f"h5dump -d /deployments lacks {needle!r}")
    for name in deployments:
        expect(f'"{name}"' in dump, f"h5dump -d /deployments does not show {name!r}")
    dump = h5dump_table(path, "/jobs")
    for needle in ('"node_failure"     2;', 'H5T_STD_I32LE "rung";', 'H5T_STD_U32LE "stage";',
                   '} "stop_reason";', 'H5T_IEEE_F64LE "wasted_co2_g";'):
        expect(needle in dump, f"h5dump -d /jobs lacks {needle!r}")


def frame(pd, dataset):
    """A compound table as a DataFrame, strings decoded (enums stay codes)."""
    table = pd.DataFrame(dataset[()])
    for column in table.columns:
        if table[column].dtype == object:
            table[column] = table[column].map(text)
    return table


def check_tables(f, np, pd, campaigns, deployments, stages):
    """Names, enums and types as h5py and pandas see them; /campaigns against /jobs."""
    h5py, _ = import_hdf5_stack()
    c, d = frame(pd, f["campaigns"]), frame(pd, f["deployments"])
    expect(list(c["name"]) == campaigns, f"/campaigns names {list(c['name'])}")
    expect(list(d["name"]) == deployments, f"/deployments names {list(d['name'])}")
    expect([text(s) for s in f["stages"][()]] == stages, "/stages")
    expect(h5py.check_enum_dtype(f["campaigns"].dtype["phase"]) ==
           {"experimentation": 0, "training": 1, "inference": 2}, "/campaigns phase enum")
    jobs = frame(pd, f["jobs"])
    reasons = h5py.check_enum_dtype(f["jobs"].dtype["stop_reason"])
    expect(reasons == {"completed": 0, "crashed": 1, "node_failure": 2, "failed": 3,
                       "walltime": 4, "horizon": 5, "suspended": 6},
           f"/jobs stop_reason enum {reasons}")
    expect(np.array_equal(jobs["wait_s"], jobs["start_s"] - jobs["submit_s"]),
           "/jobs wait_s == start_s - submit_s")
    stage_index = {name: i for i, name in enumerate(stages)}
    for i, row in c.iterrows():
        name = row["name"]
        mine = jobs[jobs["campaign"] == i]
        expect(row["stage"] == "" or (mine["stage"] == stage_index[row["stage"]]).all(),
               f"{name}: its jobs' stage index is /stages' {row['stage']!r}")
        expect(row["stage"] != "" or (mine["stage"] == NO_STAGE).all(),
               f"{name}: jobs outside any stage carry stage 2^32 - 1")
        expect(row["jobs"] == len(mine), f"{name}: {row['jobs']} jobs, /jobs has {len(mine)}")
        crashes = mine["stop_reason"].isin([reasons["crashed"], reasons["node_failure"]]).sum()
        expect(row["crashes"] == crashes, f"{name}: crashes {row['crashes']} vs /jobs {crashes}")
        expect(row["runs"] == mine["stage_run"].nunique(), f"{name}: runs")
        for column in ("gpu_hours", "energy_j", "co2_g", "wasted_gpu_hours", "wasted_co2_g"):
            expect_close(row[column], mine[column].sum(), f"{name} {column}: table vs /jobs",
                         REL, 1e-9)
        expect_close(row["mean_wait_s"], mine["wait_s"].mean(), f"{name} mean_wait_s", REL,
                     1e-9)
        expect(row["first_submit_s"] == mine["submit_s"].min() and
               row["last_end_s"] == mine["end_s"].max(), f"{name}: first submit, last end")
        expect_close(row["saved_gpu_hours"], row["full_budget_gpu_hours"] - row["gpu_hours"],
                     f"{name}: saved = full budget - spent", REL, 1e-9)
        ended = row["completed"] + row["stopped_early"] + row["failed"]
        expect(row["unfinished"] > 0 or ended == row["trials_started"],
               f"{name}: with nothing unfinished, every started trial (configuration) completed, "
               f"stopped early or failed: {ended} of {row['trials_started']}")
    return c, d, jobs


def check_conservation(f, np, pd, c, d, jobs):
    # jobs + deployments + idle = trace = summary = hosts + fleets (conservation.py); then what
    # only lifecycle runs hold.
    conservation.check_file(f)
    trace = f["trace"]
    energy, co2 = trace["energy_j"][()], trace["co2_g"][()]
    idle = float(frame(pd, f["summary/by_series"]).set_index("series").loc["idle", "energy_j"])
    expect(idle >= 0, f"idle energy {idle} J is negative")
    # Cumulative series: the last row is the column sums.
    for name, per_bin in (("energy_cumulative_j", energy), ("co2_cumulative_g", co2)):
        last = trace[name][-1]
        for k, series in enumerate(SERIES):
            expect_close(last[k], per_bin[:, k].sum(), f"/trace/{name} last row, {series}", REL,
                         1e-9)
    # Per campaign and per deployment: their series add up to their table rows.
    for table, prefix in ((c, "campaign"), (d, "deployment")):
        if len(table) == 0:
            expect(f"{prefix}_energy_j" not in trace, f"/trace/{prefix}_energy_j without rows")
            continue
        for quantity in ("energy_j", "co2_g"):
            sums = trace[f"{prefix}_{quantity}"][()].sum(axis=0)
            for i, row in table.iterrows():
                expect_close(sums[i], row[quantity], f"/trace/{prefix}_{quantity} column {i} "
                                                     f"({row['name']}) vs /{prefix}s", REL, 1e-9)


def check_run(path, campaigns, deployments, stages):
    h5py, np = import_hdf5_stack()
    try:
        import pandas as pd
    except ImportError:
        raise TestFailure(f"{sys.executable} cannot import pandas: use /usr/bin/python3")
    check_h5dump(path, campaigns, deployments)
    with h5py.File(path, "r") as f:
        c, d, jobs = check_tables(f, np, pd, campaigns, deployments, stages)
        check_conservation(f, np, pd, c, d, jobs)
        return c, d, jobs


@pytest.mark.title("lifecycle outputs: lisa-lifecycle")
def test_lisa_lifecycle(mlcycle):
    with temp_dir("lifecycle-out") as tmp:
        out = run_file(mlcycle, tmp, LISA_LIFECYCLE, "lisa.h5")
        c, _, jobs = check_run(out, ["grid-searches", "final-lisa", "retrain"], [],
                               ["exploration", "final-model", "monthly-retraining"])
        # 4,789 trials (123 grid searches of 39 and 1 more); crashes add attempts on top.
        row = c.iloc[0]
        expect(row["trials_started"] == 4789 and row["crashes"] > 0 and
               row["jobs"] == 4789 + row["crashes"], "grid-searches: 4,789 trials, one retry "
                                                     "per crash (max_retries 2, none failed)")
        expect(c.iloc[2]["runs"] == 12, "retrain runs 12 times (every 30 d, repeat 12)")


@pytest.mark.title("lifecycle outputs: asha-vs-random")
def test_asha_vs_random(mlcycle):
    with temp_dir("lifecycle-out") as tmp:
        out = run_file(mlcycle, tmp, ASHA_VS_RANDOM, "asha.h5")
        c, _, _ = check_run(out, ["random-search", "asha"], [], [])
        # 729 configurations x 27 epochs x 0.5 h: the full budget of both searches.
        expect(list(c["full_budget_gpu_hours"]) == [9841.5, 9841.5], "full budgets")
        expect([text(s) for s in c["search"]] == ["random", "asha"], "/campaigns search")
        expect(list(c["trials_started"]) == [729, 729], "trials are configurations")


@pytest.mark.title("lifecycle outputs: serving and fleet")
def test_serving_and_fleet(mlcycle):
    with temp_dir("lifecycle-out") as tmp:
        out = run_file(mlcycle, tmp, deployments_scenario(tmp, "f"), "deployments.h5")
        c, d, jobs = check_run(out, ["search", "final"], ["api", "cars"], ["explore", "train"])
        expect([text(k) for k in d["kind"]] == ["serving", "fleet"], "/deployments kind")
        expect(c.iloc[1]["crashes"] >= 1, "the training run crashes (0.5 per GPU-hour, 6 h)")
        api = d.iloc[0]
        expect(api["start_s"] == c.iloc[1]["last_end_s"], "serving starts when training ends")
        expect_close(api["served"], 2 * 86400, "a day at 2 requests/s")


@pytest.mark.title("lifecycle outputs: fleet on the platform grid")
def test_fleet_on_the_datacenter_grid(mlcycle):
    """The fleet charges from region "r", where the hosts draw at PUE 1: the same facility site.
    The platform's idle power must survive the fleet's charger switching off."""
    with temp_dir("lifecycle-out") as tmp:
        out = run_file(mlcycle, tmp, deployments_scenario(tmp, "r"), "shared.h5")
        check_run(out, ["search", "final"], ["api", "cars"], ["explore", "train"])

